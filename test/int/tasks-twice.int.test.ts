import { AsyncLocalStorage } from 'node:async_hooks';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskDispatcher } from '../../functions/tasks/dispatch.js';
import { TASK_HANDLERS } from '../../functions/tasks/handlers.js';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import type { Notifier } from '../../shared/notices/notifier.js';
import { ApiClient } from '../support/api-client.js';
import { executionArn } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { PartnerEndpoint } from '../support/partner-endpoint.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Every task handler run twice on purpose, as Step Functions may deliver a
 * task more than once (at least once): the second run adds nothing. No event
 * in an entry's trail, no notice, no partner delivery, no execution, no change
 * to a batch. Where the first run has work to do, the scene leaves it undone:
 * a subject's notices held back by an outage, a partner refusing, deliveries
 * not started. Callback tasks get the token of the execution parked on them,
 * as a redelivery would. One case per handler, checked against TASK_HANDLERS.
 * Proposed Monday 2026-11-02 (Zhejiang AMR), listed at 24:00 on 11-16.
 */
const ZJAMR = '330000-zjamr';
const at = (shanghai: string) => `${shanghai}+08:00`;
const MINUTE = 60_000;
const DAY = 86_400_000;
const INBOXES = ['review@330000-zjamr.gov.example.cn', 'review@330000.credit.gov.example.cn'];

interface Person {
  seq: number;
  email: string;
  mobile?: string;
}
const person = (seq: number, mobile = true): Person => ({ seq, email: `twice-${seq}@example.cn`, ...(mobile ? { mobile: `1390000${String(seq).padStart(4, '0')}` } : {}) });
/** L runs the listing steps, R holds its listing with a representation, H is revoked, B1 and B2 come in a batch. */
const L = person(991);
const R = person(992);
const H = person(993);
const B = [person(994, false), person(995, false)];

const proposal = (p: Person, decisionDate: string) => ({
  subject: { id: personId(p.seq), kind: 'person', name: `重投${p.seq}`, email: p.email, ...(p.mobile ? { mobile: p.mobile } : {}) },
  listType: 'penalty-general',
  facts: '未按规定公示年度报告',
  legalBasis: '《企业信息公示暂行条例》第十八条',
  measures: ['列入重点监管'],
  decisionRef: `浙市监〔2026〕${p.seq}号`,
  decisionDate,
});

/** Output a run computes from the clock it read: how long to wait from now. */
const steady = (output: unknown) => {
  const { secondsLeft: _secondsLeft, ...rest } = output as Record<string, unknown>;
  return rest;
};

describe('every task handler twice: no double effect', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let run: (payload: unknown) => Promise<unknown>;
  const endpoint = new PartnerEndpoint();
  let subscriptionId = '';
  const ids = { l: '', r: '', h: '', caseId: '', batchId: '' };
  const entryIds: string[] = [];
  const batchEntries: string[] = [];

  const officer = () => api.token({ role: 'agency-officer', agencyId: ZJAMR });
  const propose = async (p: Person, decisionDate: string) => {
    const res = await api.call('POST', '/v1/listings', { token: await officer(), body: proposal(p, decisionDate) });
    expect(res.status).toBe(201);
    entryIds.push(res.body.entryId);
    await sys.runner.whenIdle();
    return res.body.entryId as string;
  };
  const execution = (machine: string, name: string) => sys.runner.describeExecution(executionArn(machine, name));
  const entryState = async (entryId: string) => (await sys.deps.entries.load(entryId))!.state;
  const storedToken = async (key: string) => (await sys.db.send(new GetCommand({ TableName: sys.tables.entries, Key: { pk: `WAKE#${key}`, sk: 'TOKEN' }, ConsistentRead: true }))).Item?.token;
  const readBatch = async () => (await api.call('GET', `/v1/listing-batches/${ids.batchId}`, { token: await api.token({ role: 'auditor' }) })).body;

  /**
   * What a run could add to: each entry's trail as an auditor verifies it (which records no read),
   * the notices sent to every address in the scene, the partner's acknowledgements, the executions, the batch.
   */
  async function world() {
    const auditor = await api.token({ role: 'auditor' });
    const addresses = [L, R, H, ...B].flatMap((p) => [p.email, ...(p.mobile ? [p.mobile] : [])]).concat(INBOXES);
    const [trails, outbox, executions, batch] = await Promise.all([
      Promise.all(entryIds.map(async (id) => [id, (await api.call('GET', `/v1/entries/${id}/audit/verify`, { token: auditor })).body.length])),
      Promise.all(addresses.map(async (to) => [to, (await api.outbox(to)).length])),
      readdir(join(data.dir, 'executions')).then((names) => names.filter((n) => n.endsWith('.json')).length),
      ids.batchId ? readBatch() : undefined,
    ]);
    return { trails: Object.fromEntries(trails) as Record<string, number>, outbox: Object.fromEntries(outbox) as Record<string, number>, acknowledged: endpoint.acknowledged(), executions, batch };
  }

  /** Runs a task twice, each to the end of what it starts; the second must leave the world as the first left it. */
  async function twice(invoke: () => Promise<unknown>) {
    const before = await world();
    const first = await invoke();
    await sys.runner.whenIdle();
    const between = await world();
    const second = await invoke();
    await sys.runner.whenIdle();
    expect(await world()).toEqual(between);
    return { before, between, first, second };
  }

  /** The mail service and the SMS gateway refuse everything to this subject until released: an outage for one subject. */
  function holdNotices(p: Person) {
    const notifier: Notifier = sys.deps.notifier;
    const send = notifier.send;
    const held = new Set([p.email, p.mobile]);
    notifier.send = async (message) => {
      if (held.has(message.to)) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'TimeoutError' });
      return send.call(notifier, message);
    };
    return () => {
      notifier.send = send;
    };
  }

  /** The token and input of an execution parked on a callback, as the task was first given them. */
  async function parkedOn(machine: string, name: string, stateName: string) {
    const record = await execution(machine, name);
    expect(record?.parked).toMatchObject({ stateName, kind: 'callback', registered: true });
    return { token: record!.parked!.token!, input: record!.checkpoint!.rawInput as Record<string, any>, parked: record!.parked };
  }

  beforeAll(async () => {
    data = await tempDataDir('tasks-twice-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(at('2026-11-02T10:00:00')), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    run = createTaskDispatcher(TASK_HANDLERS, sys.deps);
    const subscribed = await api.call('POST', '/v1/partners/subscriptions', { token: await api.token({ role: 'partner', name: '省税务局' }), body: { url: await endpoint.start(), secret: 'partner-secret-0123456789' } });
    expect(subscribed.status).toBe(201);
    subscriptionId = subscribed.body.subscriptionId;
    // Expires in 2027, beyond the one-year life of its first execution.
    ids.r = await propose(R, '2026-10-30');
    ids.h = await propose(H, '2026-10-30');
  });

  afterAll(async () => {
    await sys?.close();
    await endpoint.close();
    await data?.remove();
  });

  /** In the order of the clock: each case sets its scene on what the ones before it left. */
  const TWICE: Record<string, () => Promise<void>> = {
    async sendPreListingNotice() {
      const release = holdNotices(L);
      try {
        ids.l = await propose(L, '2025-11-25');
        // The quick retries (2 s doubling to 64 s) are spent; the step waits 5 minutes before it runs again.
        await api.advanceTo(at('2026-11-02T10:04:00'));
        expect((await execution('listingLifecycle', ids.l))?.parked?.stateName).toBe('SendPreListingNoticeLater');
      } finally {
        release();
      }
      const { before, between, first, second } = await twice(() => run({ task: 'sendPreListingNotice', entryId: ids.l }));
      expect([first, second]).toEqual([{ served: 2 }, { served: 0 }]);
      expect(between.trails[ids.l]! - before.trails[ids.l]!).toBe(2);
      expect([between.outbox[L.email], between.outbox[L.mobile!]]).toEqual([1, 1]);
      // The workflow's own run, when its wait is over, finds the notice served and goes on to the listing date.
      await api.advanceTo(at('2026-11-02T10:12:00'));
      expect(await world()).toEqual(between);
      expect((await execution('listingLifecycle', ids.l))?.parked?.stateName).toBe('AwaitListingDate');
    },

    async proposeBatchLines() {
      const body = B.map((p) => JSON.stringify(proposal(p, '2025-11-20'))).join('\n') + '\n';
      const res = await api.call('POST', '/v1/listings:batch', { token: await officer(), raw: body, headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'tasks-twice-batch' } });
      expect(res.status).toBe(202);
      ids.batchId = res.body.batchId;
      await sys.runner.whenIdle();
      const batch = await readBatch();
      expect(batch).toMatchObject({ status: 'completed', proposed: 2 });
      batchEntries.push(...batch.entries.map((e: { entryId: string }) => e.entryId));
      entryIds.push(...batchEntries);
      // The chunk exactly as the Distributed Map handed it out: the lines the API put in the bucket.
      const { objectKey } = (await execution('listingBatch', ids.batchId))!.input as { objectKey: string };
      const items = (await readFile(join(data.dir, 'objects', objectKey), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const { before, between, first, second } = await twice(() => run({ task: 'proposeBatchLines', batchId: ids.batchId, items }));
      expect(first).toEqual({ firstLine: 1, lines: 2, proposed: 2, refused: 0 });
      expect(second).toEqual(first);
      expect(between).toEqual(before);
      expect(B.map((p) => between.outbox[p.email])).toEqual([1, 1]);
    },

    async finishBatch() {
      const { before, between, first, second } = await twice(() => run({ task: 'finishBatch', batchId: ids.batchId }));
      expect(first).toEqual({ batchId: ids.batchId, status: 'completed' });
      expect(second).toEqual(first);
      // finishedAt included: the first finish stands.
      expect(between).toEqual(before);
    },

    async openReview() {
      const release = holdNotices(R);
      try {
        const filed = await api.call('POST', '/v1/cases', { token: await api.token({ role: 'subject', subjectId: personId(R.seq) }), body: { kind: 'representation', entryId: ids.r, grounds: '年度报告已补报' } });
        expect(filed.status).toBe(201);
        ids.caseId = filed.body.caseId;
        await sys.runner.whenIdle();
        // The acknowledgement could not go out: the review waits, and looks again in 5 minutes.
        expect((await execution('caseReview', ids.caseId))?.parked?.stateName).toBe('AwaitDecision');
      } finally {
        release();
      }
      const { before, between, first, second } = await twice(() => run({ task: 'openReview', caseId: ids.caseId, entryId: ids.r }));
      expect(first).toMatchObject({ open: true, step: 'await-decision', level: 'agency', action: 'wait' });
      expect(steady(second)).toEqual(steady(first));
      expect(between.trails[ids.r]! - before.trails[ids.r]!).toBe(2);
      expect(between.outbox[R.email]! - before.outbox[R.email]!).toBe(1);
    },

    async awaitDecision() {
      const { token, input, parked } = await parkedOn('caseReview', ids.caseId, 'AwaitDecision');
      const { before, between, first, second } = await twice(() => run({ task: 'awaitDecision', caseId: ids.caseId, entryId: ids.r, taskToken: token, clockKey: input.review.clockKey }));
      expect([first, second]).toEqual([{}, {}]);
      expect(between).toEqual(before);
      // The same token stays stored and the execution stays parked on it: the next change wakes it (awaitSupplement).
      expect(await storedToken(`review:${ids.caseId}`)).toBe(token);
      expect((await execution('caseReview', ids.caseId))?.parked).toEqual(parked);
    },

    async awaitSupplement() {
      const release = holdNotices(R);
      try {
        const asked = await api.call('POST', `/v1/cases/${ids.caseId}/request-info`, { token: await api.token({ role: 'agency-reviewer', agencyId: ZJAMR }), body: { questions: ['补报年度报告的回执'] } });
        expect(asked.status).toBe(200);
        await sys.runner.whenIdle();
      } finally {
        release();
      }
      const { token, input, parked } = await parkedOn('caseReview', ids.caseId, 'AwaitSupplement');
      const { before, between, first, second } = await twice(() => run({ task: 'awaitSupplement', caseId: ids.caseId, entryId: ids.r, taskToken: token, clockKey: input.review.clockKey }));
      expect([first, second]).toEqual([{}, {}]);
      expect(between).toEqual(before);
      expect(await storedToken(`review:${ids.caseId}`)).toBe(token);
      expect((await execution('caseReview', ids.caseId))?.parked).toEqual(parked);
    },

    async reviewTimer() {
      // The request for material is still owed to the subject: its serving failed while their contacts were down.
      const { before, between, first, second } = await twice(() => run({ task: 'reviewTimer', caseId: ids.caseId, entryId: ids.r }));
      expect(first).toMatchObject({ open: true, step: 'await-info', level: 'agency' });
      expect(steady(second)).toEqual(steady(first));
      expect(between.trails[ids.r]! - before.trails[ids.r]!).toBe(2);
      expect([between.outbox[R.email]! - before.outbox[R.email]!, between.outbox[R.mobile!]! - before.outbox[R.mobile!]!]).toEqual([1, 1]);
      // The answer wakes the review through the token the callback stored.
      const answered = await api.call('POST', `/v1/cases/${ids.caseId}/supplement`, { token: await api.token({ role: 'subject', subjectId: personId(R.seq) }), body: { text: '附年度报告回执', evidence: [] } });
      expect(answered.status).toBe(200);
      await sys.runner.whenIdle();
      expect((await execution('caseReview', ids.caseId))?.parked?.stateName).toBe('AwaitDecision');
    },

    async listEntry() {
      // The partner refuses until deliverPartnerEvent, so the listings' deliveries are pending there.
      endpoint.failures = 1_000_000;
      const release = holdNotices(L);
      try {
        await api.advanceTo(at('2026-11-17T00:04:00'));
        expect((await entryState(ids.l)).status).toBe('listed');
        expect((await execution('listingLifecycle', ids.l))?.parked?.stateName).toBe('ListEntryLater');
      } finally {
        release();
      }
      const { startedAt } = (await execution('listingLifecycle', ids.l))!;
      const { before, between, first, second } = await twice(() => run({ task: 'listEntry', entryId: ids.l, executionStartedAt: startedAt }));
      expect(first).toMatchObject({ outcome: 'listed', expiresAt: (await entryState(ids.l)).expiresAt });
      expect(steady(second)).toEqual(steady(first));
      expect(between.trails[ids.l]! - before.trails[ids.l]!).toBe(2);
      expect([between.outbox[L.email], between.outbox[L.mobile!]]).toEqual([2, 2]);
      await api.advanceTo(at('2026-11-17T00:10:00'));
      expect(await world()).toEqual(between);
      expect((await execution('listingLifecycle', ids.l))?.parked?.stateName).toBe('AwaitExpiry');
    },

    async awaitRepresentation() {
      // The representation, escalated to the province on 11-10, still holds R's listing.
      const { token, parked } = await parkedOn('listingLifecycle', ids.r, 'AwaitRepresentationOutcome');
      const { before, between, first, second } = await twice(() => run({ task: 'awaitRepresentation', entryId: ids.r, taskToken: token }));
      expect([first, second]).toEqual([{}, {}]);
      expect(between).toEqual(before);
      expect(await storedToken(`listing:${ids.r}`)).toBe(token);
      expect((await execution('listingLifecycle', ids.r))?.parked).toEqual(parked);
    },

    async deliverPartnerEvent() {
      const deliveries = async () => (await api.call('GET', `/v1/entries/${ids.l}/deliveries`, { token: await officer() })).body.deliveries as Array<{ eventId: string; type: string; status: string; attempts: number }>;
      const pending = (await deliveries()).find((d) => d.type === 'entry.listed')!;
      expect(pending).toMatchObject({ status: 'pending', attempts: expect.any(Number) });
      endpoint.failures = 0;
      const { before, between, first, second } = await twice(() => run({ task: 'deliverPartnerEvent', subscriptionId, entryId: ids.l, eventId: pending.eventId }));
      expect(first).toEqual({ delivered: true, at: expect.any(String) });
      expect(second).toEqual(first);
      expect(between.acknowledged.length - before.acknowledged.length).toBe(1);
      expect((await deliveries()).find((d) => d.eventId === pending.eventId)).toMatchObject({ status: 'delivered', attempts: pending.attempts + 1 });
      // The delivery's own retry finds it acknowledged; the other refused deliveries go through.
      await api.advanceTo(at('2026-11-17T00:40:00'));
      expect(endpoint.received.filter((r) => r.answered === 200 && r.event.eventId === pending.eventId)).toHaveLength(1);
      expect((await execution('partnerDelivery', `${subscriptionId}-${ids.l}-${pending.eventId.split(':').at(-1)}`))?.status).toBe('SUCCEEDED');
    },

    async awaitExpiry() {
      const { token, input, parked } = await parkedOn('listingLifecycle', ids.l, 'AwaitExpiry');
      const { before, between, first, second } = await twice(() => run({ task: 'awaitExpiry', entryId: ids.l, taskToken: token, waitUntil: input.listing.waitUntil }));
      expect([first, second]).toEqual([{}, {}]);
      expect(between).toEqual(before);
      expect(await storedToken(`listing:${ids.l}`)).toBe(token);
      expect((await execution('listingLifecycle', ids.l))?.parked).toEqual(parked);
    },

    async closeReview() {
      const decided = await api.call('POST', `/v1/cases/${ids.caseId}/decision`, { token: await api.token({ role: 'provincial-reviewer', provinceCode: '330000' }), body: { outcome: 'rejected', reasons: '补报晚于处罚决定' } });
      expect(decided.status).toBe(200);
      await sys.runner.whenIdle();
      expect((await execution('caseReview', ids.caseId))?.status).toBe('SUCCEEDED');
      expect((await entryState(ids.r)).status).toBe('listed');
      const { before, between, first, second } = await twice(() => run({ task: 'closeReview', caseId: ids.caseId, entryId: ids.r }));
      expect(first).toEqual({ status: 'decided', open: false });
      expect(second).toEqual(first);
      expect(between).toEqual(before);
      // Run again after the listing went on, it wakes the listing's expiry wait early, which finds nothing due and waits again.
      expect((await execution('listingLifecycle', ids.r))?.parked?.stateName).toBe('AwaitExpiry');
    },

    async handOffPending() {
      const sweep = new AsyncLocalStorage<true>();
      const start = sys.runner.startExecution.bind(sys.runner);
      // Step Functions refuses to start deliveries, except for the two sweeps run here (not the system's scheduled one).
      sys.runner.startExecution = async (machine, name, input) => {
        if (machine === 'partnerDelivery' && !sweep.getStore()) throw new Error('ThrottlingException: rate exceeded');
        return start(machine, name, input);
      };
      try {
        const revoked = await api.call('POST', `/v1/entries/${ids.h}/revocation`, { token: await officer(), body: { revokedBy: '浙市监撤〔2026〕1号', note: '认定依据被撤销' } });
        expect(revoked.status).toBe(200);
        await sys.runner.whenIdle();
        expect(endpoint.acknowledged()).not.toContain(`entry.delisted:${ids.h}`);
        // Only H waits for the sweep: an entry whose events were handed off as it was committed (R, listed, then its notice recorded) is not queued again.
        const queued = await sys.db.send(new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({ TableName: sys.tables.entries, IndexName: 'byQueue', KeyConditionExpression: 'queueKey = :k', ExpressionAttributeValues: { ':k': 'HANDOFF' } }));
        expect((queued.Items ?? []).map((i) => i.pk)).toEqual([`ENTRY#${ids.h}`]);
        const { before, between, first, second } = await twice(() => sweep.run(true, () => run({ task: 'handOffPending' })));
        expect([first, second]).toEqual([{ handedOff: 1 }, { handedOff: 0 }]);
        expect(between.acknowledged.filter((a) => a === `entry.delisted:${ids.h}`)).toHaveLength(1);
        expect(between.executions - before.executions).toBe(1);
      } finally {
        sys.runner.startExecution = start;
      }
    },

    async delistAtExpiry() {
      const { expiresAt } = await entryState(ids.l);
      const release = holdNotices(L);
      try {
        await api.advanceTo(new Date(Date.parse(expiresAt!) + 4 * MINUTE).toISOString());
        expect(await entryState(ids.l)).toMatchObject({ status: 'delisted', delistReason: 'expired' });
        expect((await execution('listingLifecycle', ids.l))?.parked?.stateName).toBe('DelistAtExpiryLater');
      } finally {
        release();
      }
      const { startedAt } = (await execution('listingLifecycle', ids.l))!;
      const { before, between, first, second } = await twice(() => run({ task: 'delistAtExpiry', entryId: ids.l, executionStartedAt: startedAt }));
      expect([first, second]).toEqual([{ outcome: 'delisted' }, { outcome: 'delisted' }]);
      expect(between.trails[ids.l]! - before.trails[ids.l]!).toBe(2);
      expect([between.outbox[L.email], between.outbox[L.mobile!]]).toEqual([3, 3]);
      expect(between.acknowledged.filter((a) => a === `entry.delisted:${ids.l}`)).toHaveLength(1);
      await api.advanceTo(new Date(Date.parse(expiresAt!) + 12 * MINUTE).toISOString());
      expect(await world()).toEqual(between);
      expect((await execution('listingLifecycle', ids.l))?.status).toBe('SUCCEEDED');
    },

    async continueListing() {
      // At 330 days the listing's execution hands over to `<entryId>-c1`, which waits for the expiry in 2027-11.
      const { startedAt } = (await execution('listingLifecycle', ids.r))!;
      await api.advanceTo(new Date(Date.parse(startedAt) + 330 * DAY + 60 * MINUTE).toISOString());
      expect((await execution('listingLifecycle', ids.r))?.status).toBe('SUCCEEDED');
      const { parked } = await parkedOn('listingLifecycle', `${ids.r}-c1`, 'AwaitExpiry');
      const { before, between, first, second } = await twice(() => run({ task: 'continueListing', entryId: ids.r, executionName: ids.r }));
      expect(first).toEqual({ executionArn: executionArn('listingLifecycle', `${ids.r}-c1`) });
      expect(second).toEqual(first);
      expect(between).toEqual(before);
      expect(await execution('listingLifecycle', `${ids.r}-c2`)).toBeUndefined();
      expect((await execution('listingLifecycle', `${ids.r}-c1`))?.parked).toEqual(parked);
    },
  };

  it('has a twice-case for every task handler', () => {
    expect(Object.keys(TWICE).sort()).toEqual(Object.keys(TASK_HANDLERS).sort());
  });

  for (const [task, twiceCase] of Object.entries(TWICE)) it(`${task}, run twice, adds nothing the second time`, twiceCase);

  it('left the partner with each event acknowledged once, across every run above', () => {
    const listedAndDelisted = [ids.l, ids.h, ...batchEntries].flatMap((id) => [`entry.listed:${id}`, `entry.delisted:${id}`]);
    expect(endpoint.acknowledged().sort()).toEqual([...listedAndDelisted, `entry.listed:${ids.r}`].sort());
  });
});
