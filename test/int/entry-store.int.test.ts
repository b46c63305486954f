import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/audit/hash-chain.js';
import { WorkingDayCalendar } from '../../shared/calendar/index.js';
import { proposeListing as decide, type ProposeListing } from '../../shared/domain/entry.js';
import { ConcurrentUpdateError } from '../../shared/platform/errors.js';
import { DEFAULT_CATALOGUE } from '../../shared/policy/catalogue.js';
import { PolicyBook } from '../../shared/policy/policy-book.js';
import { EntryStore } from '../../shared/stores/entry-store.js';
import { LOCAL_TABLES, startLocalStores, type LocalStores } from '../../infra/local/stores.js';
import { tempDataDir } from '../support/temp-dir.js';

const ctx = { policies: new PolicyBook(DEFAULT_CATALOGUE), calendar: new WorkingDayCalendar(), now: new Date('2026-11-20T02:00:00Z') };
const actor = { role: 'agency-officer', id: 'agency-officer:310000-samr' };
const proposal = (entryId: string, subjectId = '11010519491231002X'): ProposeListing => ({
  entryId,
  agencyId: '310000-samr',
  subject: { id: subjectId, kind: 'person', name: '张三', email: 'zhang@example.cn' },
  listType: 'serious-dishonesty',
  facts: 'f',
  legalBasis: 'l',
  measures: ['m'],
  decisionRef: 'r',
  decisionDate: '2026-11-01',
});
/** A later event on an existing entry that changes nothing else: an auditor's read of it. */
const viewed = { type: 'RecordViewed', data: { by: 'auditor:1', at: ctx.now.toISOString(), what: 'entry' } };

describe('entry store on dynalite (on disk)', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let stores: LocalStores;

  beforeEach(async () => {
    data = await tempDataDir();
    stores = await startLocalStores(data.dir);
  });
  afterEach(async () => {
    await stores.close();
    await data.remove();
  });

  it('commits a proposal as one audit item and a projection, both readable back', async () => {
    const { entry, events } = await stores.entries.commit('ent_a', undefined, decide(proposal('ent_a'), undefined, ctx), actor, ctx.now);
    expect(entry.version).toBe(1);
    expect(events).toHaveLength(1);
    const loaded = await stores.entries.load('ent_a');
    expect(loaded?.state).toMatchObject({ entryId: 'ent_a', status: 'proposed' });
    expect(loaded?.head).toEqual({ seq: 1, hash: events[0]!.hash });
    expect((await stores.entries.listBySubject('11010519491231002X', 10)).entries.map((e) => e.entryId)).toEqual(['ent_a']);
  });

  it('lets exactly one of two concurrent commands on an entry win; the other is a ConcurrentUpdateError', async () => {
    await stores.entries.commit('ent_b', undefined, decide(proposal('ent_b'), undefined, ctx), actor, ctx.now);
    const loaded = await stores.entries.load('ent_b');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => stores.entries.commit('ent_b', loaded, [viewed], actor, ctx.now)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers).toHaveLength(4);
    for (const l of losers) expect(l.reason).toBeInstanceOf(ConcurrentUpdateError);
    const trail = await stores.entries.auditTrail('ent_b');
    expect(trail.map((e) => e.seq)).toEqual([1, 2]);
    expect(verifyChain(trail).ok).toBe(true);
  });

  it('refuses to overwrite a stored commit', async () => {
    await stores.entries.commit('ent_c', undefined, decide(proposal('ent_c'), undefined, ctx), actor, ctx.now);
    await expect(stores.entries.commit('ent_c', undefined, decide(proposal('ent_c'), undefined, ctx), actor, ctx.now)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('detects an event edited directly in the table and names it', async () => {
    const first = await stores.entries.commit('ent_d', undefined, decide(proposal('ent_d'), undefined, ctx), actor, ctx.now);
    await stores.entries.commit('ent_d', first.entry, [viewed], actor, ctx.now);
    const third = await stores.entries.load('ent_d');
    await stores.entries.commit('ent_d', third, [viewed], actor, ctx.now);
    const key = { entryId: 'ent_d', version: 2 };
    const stored = (await stores.db.send(new GetCommand({ TableName: LOCAL_TABLES.audit, Key: key }))).Item!;
    stored.events[0].data.by = 'somebody else';
    await stores.db.send(new PutCommand({ TableName: LOCAL_TABLES.audit, Item: stored }));
    expect(verifyChain(await stores.entries.auditTrail('ent_d'))).toMatchObject({ ok: false, firstBadSeq: 2, length: 3 });
  });

  it('rebuilds a lagging projection from the stream (a crash between the two writes)', async () => {
    const first = await stores.entries.commit('ent_e', undefined, decide(proposal('ent_e'), undefined, ctx), actor, ctx.now);
    await stores.db.send(new DeleteCommand({ TableName: LOCAL_TABLES.entries, Key: { pk: 'ENTRY#ent_e', sk: 'ENTRY' } }));
    // Read as after the restart: the process that crashed kept nothing.
    const restarted = new EntryStore(stores.db, LOCAL_TABLES);
    expect((await restarted.load('ent_e'))?.head).toEqual(first.entry.head);
    // The rebuilt projection is written back, so indexes find the entry again.
    expect((await stores.entries.listBySubject('11010519491231002X', 10)).entries.map((e) => e.entryId)).toContain('ent_e');
  });

  it('sees a commit another process made after this one kept the entry, and its events', async () => {
    const here = stores.entries;
    const elsewhere = new EntryStore(stores.db, LOCAL_TABLES);
    await here.commit('ent_g', undefined, decide(proposal('ent_g'), undefined, ctx), actor, ctx.now);
    expect((await here.load('ent_g'))?.version).toBe(1);
    await elsewhere.apply('ent_g', () => ({ events: [viewed], result: undefined }), actor, ctx.now);
    const seen = await here.load('ent_g');
    expect(seen?.version).toBe(2);
    expect(Object.keys(seen?.state.recentViews ?? {})).toHaveLength(1);
    // And a command here decides on that version: it commits the third, not a second one again.
    const { entry } = await here.apply('ent_g', () => ({ events: [viewed], result: undefined }), actor, ctx.now);
    expect(entry.version).toBe(3);
    expect(verifyChain(await here.auditTrail('ent_g')).ok).toBe(true);
  });

  it('keeps its own copy: a caller changing an entry it loaded does not change the next load', async () => {
    await stores.entries.commit('ent_h', undefined, decide(proposal('ent_h'), undefined, ctx), actor, ctx.now);
    const loaded = (await stores.entries.load('ent_h'))!;
    loaded.state.subject.name = '李四';
    loaded.version = 7;
    const again = (await stores.entries.load('ent_h'))!;
    expect(again.version).toBe(1);
    expect(again.state.subject.name).toBe('张三');
  });

  it('keeps everything across a restart on the same directory', async () => {
    await stores.entries.commit('ent_f', undefined, decide(proposal('ent_f'), undefined, ctx), actor, ctx.now);
    await stores.close();
    stores = await startLocalStores(data.dir);
    const trail = await stores.entries.auditTrail('ent_f');
    expect(trail).toHaveLength(1);
    expect(verifyChain(trail).ok).toBe(true);
    const ids = [];
    for await (const id of stores.entries.allEntryIds()) ids.push(id);
    expect(ids).toEqual(['ent_f']);
  });
});
