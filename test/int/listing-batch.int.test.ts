import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchLineEntryId } from '../../functions/tasks/batch-tasks.js';
import { createTaskDispatcher } from '../../functions/tasks/dispatch.js';
import { TASK_HANDLERS } from '../../functions/tasks/handlers.js';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { DomainError } from '../../shared/platform/errors.js';
import { ApiClient, type ApiResponse } from '../support/api-client.js';
import { executionArn } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * `POST /v1/listings:batch` on the real local system: an NDJSON upload, its
 * lines put in the local bucket, the synthesized ListingBatch machine's
 * Distributed Map run by the local runner in chunks, every good line proposed
 * as `POST /v1/listings` would (entry, lifecycle, pre-listing notice), every
 * bad line reported by its number, and progress read by GET on the batch.
 * Proposed on Monday 2026-08-17. A kill -9 in the middle of a batch is in
 * test/e2e/batch-kill.e2e.test.ts.
 */
const SAMR = '310000-samr';
const ZJAMR = '330000-zjamr';
const START = '2026-08-17T10:00:00+08:00';
const NDJSON = { 'content-type': 'application/x-ndjson' };

const proposal = (n: number, over: Record<string, unknown> = {}) => ({
  subject: { id: personId(n), kind: 'person', name: `批量${n}`, email: `batch-${n}@example.cn` },
  listType: 'serious-dishonesty',
  facts: '拒不履行行政处罚决定，罚款未缴纳',
  legalBasis: '《行政处罚法》第七十二条',
  measures: ['限制参加政府采购'],
  decisionRef: `沪市监处〔2026〕${n}号`,
  decisionDate: '2026-08-10',
  ...over,
});
const ndjson = (lines: Array<unknown | string>) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('listing batches: NDJSON through the Distributed Map', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let officer: string;
  let auditor: string;

  /** Sends an upload under its own Idempotency-Key unless one is named (`key: null` sends none). */
  const upload = (body: string, options: { token?: string; key?: string | null; headers?: Record<string, string> } = {}) => {
    const key = options.key === undefined ? randomUUID() : options.key;
    return api.call('POST', '/v1/listings:batch', { token: options.token ?? officer, raw: body, headers: { ...NDJSON, ...(key !== null ? { 'idempotency-key': key } : {}), ...options.headers } });
  };
  const read = (batchId: string, token = officer, fromLine?: number) => api.call('GET', `/v1/listing-batches/${batchId}${fromLine ? `?fromLine=${fromLine}` : ''}`, { token });
  /** Waits until the batch's workflow and the lifecycles it started are idle; the batch is then finished. */
  const finished = async (res: ApiResponse) => {
    await sys.runner.whenIdle();
    return (await read(res.body.batchId, auditor)).body;
  };

  beforeAll(async () => {
    data = await tempDataDir('listing-batch-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    officer = await api.token({ role: 'agency-officer', agencyId: SAMR, name: '沪官' });
    auditor = await api.token({ role: 'auditor' });
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('proposes every good line and reports every bad one by its line number, without one holding back another', async () => {
    const body = ndjson([
      proposal(501), // 1
      '', // 2: blank, skipped but counted in the numbering
      '{"subject": {"id": ', // 3: not JSON
      proposal(502), // 4
      proposal(503, { facts: '', subject: { id: '110101199003070001', kind: 'person', name: '错号' } }), // 5: two bad fields
      proposal(504, { listType: 'no-such-list' }), // 6: refused by the catalogue
      proposal(505, { decisionDate: '2019-01-10' }), // 7: its publication period already ended
      proposal(506), // 8
      '   ', // 9: blank
    ]);
    const res = await upload(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'processing', agencyId: SAMR, lines: 7, blankLines: 2 });
    expect(res.body.batchId).toMatch(/^bat_[0-9A-Z]{26}$/);

    const batch = await finished(res);
    expect(batch).toMatchObject({ status: 'completed', lines: 7, processed: 7, proposed: 3, refused: 4, progress: 1 });
    expect(batch.finishedAt).toBeDefined();
    expect(batch.entries.map((e: { line: number }) => e.line)).toEqual([1, 4, 8]);
    const errors = Object.fromEntries(batch.errors.map((e: { line: number; status: number; errors?: Array<{ path: string }> }) => [e.line, { status: e.status, paths: (e.errors ?? []).map((x) => x.path).sort() }]));
    expect(errors).toEqual({
      3: { status: 400, paths: ['(line)'] },
      5: { status: 400, paths: ['facts', 'subject.id'] },
      6: { status: 400, paths: ['listType'] },
      7: { status: 422, paths: [] },
    });

    // Each good line is an entry like any other: proposed by this officer's agency, its lifecycle started, its notice sent.
    for (const [i, { entryId }] of batch.entries.entries()) {
      const entry = (await api.call('GET', `/v1/entries/${entryId}`, { token: auditor })).body;
      expect(entry).toMatchObject({ status: 'proposed', agencyId: SAMR, subject: { id: personId([501, 502, 506][i]!) } });
      expect((await sys.runner.describeExecution(executionArn('listingLifecycle', entryId)))?.status).toBe('RUNNING');
      expect((await api.outbox(`batch-${[501, 502, 506][i]}@example.cn`)).map((m) => m.channel)).toEqual(['email']);
    }
    const audit = (await api.call('GET', `/v1/entries/${batch.entries[0].entryId}/audit`, { token: auditor })).body.events;
    expect(audit[0]).toMatchObject({ type: 'ListingProposed', actor: { role: 'agency-officer' } });
    expect((await sys.runner.describeExecution(executionArn('listingBatch', res.body.batchId)))?.status).toBe('SUCCEEDED');
  });

  it('names the batch the first upload made when the same upload is sent again with its Idempotency-Key', async () => {
    const body = ndjson([proposal(511), proposal(512)]);
    const first = await upload(body, { key: 'batch-retry-1' });
    expect(first.status).toBe(202);
    await finished(first);
    const again = await upload(body, { key: 'batch-retry-1' });
    expect([again.status, again.body.batchId, again.body.status, again.body.proposed]).toEqual([200, first.body.batchId, 'completed', 2]);
    await sys.runner.whenIdle();
    // Still one notice per subject: nothing was proposed twice.
    expect((await api.outbox('batch-511@example.cn')).length).toBe(1);
    const other = await upload(ndjson([proposal(513)]), { key: 'batch-retry-1' });
    expect(other.status).toBe(422);
  });

  it('runs a chunk twice (at-least-once) without a second entry, event or notice', async () => {
    const res = await upload(ndjson([proposal(521), proposal(522)]));
    const batch = await finished(res);
    const run = createTaskDispatcher(TASK_HANDLERS, sys.deps);
    const items = [
      { line: 1, text: JSON.stringify(proposal(521)) },
      { line: 2, text: JSON.stringify(proposal(522)) },
    ];
    // Stored already: answered from the chunk's result.
    expect(await run({ task: 'proposeBatchLines', batchId: res.body.batchId, items })).toEqual({ firstLine: 1, lines: 2, proposed: 2, refused: 0 });
    // A chunk whose result was lost (the task stopped after its lines, before the result): the lines find their entries.
    const trail = async () => (await api.call('GET', `/v1/entries/${batch.entries[0].entryId}/audit/verify`, { token: auditor })).body.length;
    const before = await trail();
    await sys.db.send(new (await import('@aws-sdk/lib-dynamodb')).DeleteCommand({ TableName: sys.tables.entries, Key: { pk: `BATCH#${res.body.batchId}`, sk: 'CHUNK#000001' } }));
    expect(await run({ task: 'proposeBatchLines', batchId: res.body.batchId, items })).toEqual({ firstLine: 1, lines: 2, proposed: 2, refused: 0 });
    await sys.runner.whenIdle();
    expect(await trail()).toBe(before);
    expect((await read(res.body.batchId)).body.entries).toEqual(batch.entries);
    expect(batch.entries[0].entryId).toBe(batchLineEntryId(res.body.batchId, 1));
    expect((await api.outbox('batch-521@example.cn')).length).toBe(1);
    // Finishing twice keeps the first outcome.
    await run({ task: 'finishBatch', batchId: res.body.batchId });
    expect((await read(res.body.batchId)).body).toMatchObject({ status: 'completed', finishedAt: batch.finishedAt });
  });

  it('refuses what is not a batch, naming the limit, and leaves nothing behind', async () => {
    const json = await api.call('POST', '/v1/listings:batch', { token: officer, body: proposal(531) });
    expect(json.status).toBe(415);
    expect(json.body.detail).toContain('application/x-ndjson');
    const blank = await upload('\n  \n\n');
    expect([blank.status, blank.body.errors]).toEqual([400, [{ path: '(body)', message: 'no proposals: every line is blank' }]]);
    const many = await upload('{}\n'.repeat(10_001));
    expect(many.status).toBe(413);
    expect(many.body.detail).toContain('10000');
    const long = await upload(ndjson([proposal(532), proposal(533, { facts: '长'.repeat(12_000) })]));
    expect([long.status, long.body.detail]).toEqual([413, expect.stringContaining('Line 2')]);
    const huge = await upload('x'.repeat(4 * 1024 * 1024 + 1));
    expect(huge.status).toBe(413);
    const unkeyed = await upload(ndjson([proposal(535)]), { key: null });
    expect([unkeyed.status, unkeyed.body.errors?.[0]?.path]).toEqual([400, 'Idempotency-Key']);
    const badKey = await upload(ndjson([proposal(534)]), { key: 'é' });
    expect([badKey.status, badKey.body.errors?.[0]?.path]).toEqual([400, 'Idempotency-Key']);
    await sys.runner.whenIdle();
    for (const n of [531, 532, 533, 534, 535]) expect(await api.outbox(`batch-${n}@example.cn`)).toEqual([]);
  });

  it('shows a batch to its agency\'s officers and to auditors only', async () => {
    const res = await upload(ndjson([proposal(541)]));
    await sys.runner.whenIdle();
    const as = async (request: Parameters<ApiClient['token']>[0]) => (await read(res.body.batchId, await api.token(request))).status;
    expect(await as({ role: 'agency-officer', agencyId: SAMR })).toBe(200);
    expect(await as({ role: 'auditor' })).toBe(200);
    expect(await as({ role: 'agency-officer', agencyId: ZJAMR })).toBe(404);
    expect(await as({ role: 'agency-reviewer', agencyId: SAMR })).toBe(403);
    expect(await as({ role: 'subject', subjectId: personId(541) })).toBe(403);
    expect((await api.call('GET', `/v1/listing-batches/${res.body.batchId}`)).status).toBe(401);
    expect((await read('bat_nope')).status).toBe(400);
    expect((await read('bat_0000000000000000000000000A')).status).toBe(404);
    // Only officers propose, for their own agency.
    expect((await upload(ndjson([proposal(542)]), { token: await api.token({ role: 'agency-reviewer', agencyId: SAMR }) })).status).toBe(403);
    const zj = await upload(ndjson([proposal(543, { listType: 'penalty-general' })]), { token: await api.token({ role: 'agency-officer', agencyId: ZJAMR }) });
    const zjBatch = await finished(zj);
    expect((await api.call('GET', `/v1/entries/${zjBatch.entries[0].entryId}`, { token: auditor })).body.agencyId).toBe(ZJAMR);
  });

  it('keeps a refused line\'s report bounded, however many bad fields it has, and pages the outcomes by line', async () => {
    // A line of thousands of fields no proposal has: each would be an error.
    const noisy = `{${Array.from({ length: 3000 }, (_, i) => `"k${i}":0`).join(',')}}`;
    const lines = [noisy, noisy, ...Array.from({ length: 1_100 }, () => '{}'), JSON.stringify(proposal(551))];
    const res = await upload(ndjson(lines));
    expect(res.status).toBe(202);
    const batch = await finished(res);
    expect(batch).toMatchObject({ status: 'completed', lines: 1_103, processed: 1_103, proposed: 1, refused: 1_102, page: { fromLine: 1, toLine: 1_000, nextFromLine: 1_001 } });
    const [first] = batch.errors;
    expect(first.line).toBe(1);
    expect(first.errors).toHaveLength(8);
    expect(first.moreErrors).toBeGreaterThan(3000 - 8);
    expect(JSON.stringify(first).length).toBeLessThan(4_000);
    expect(batch.errors.map((e: { line: number }) => e.line)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(batch.entries).toEqual([]);
    const next = (await read(res.body.batchId, auditor, 1_001)).body;
    expect(next.page).toEqual({ fromLine: 1_001, toLine: 2_000 });
    expect(next.errors.map((e: { line: number }) => e.line)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1_001));
    expect(next.entries).toEqual([{ line: 1_103, entryId: expect.stringMatching(/^ent_/) }]);
    expect((await api.call('GET', `/v1/listing-batches/${res.body.batchId}?fromLine=0`, { token: auditor })).status).toBe(400);
  });
});

describe('listing batches: a chunk that fails, and the restart', () => {
  it('marks the batch failed with the error, and a new execution with the same input finishes it, proposing no line twice', async () => {
    const data = await tempDataDir('listing-batch-failed-');
    let refuseFrom = 101;
    const sys = await startLocalSystem({
      dataDir: data.dir,
      port: 0,
      clockStart: new Date(START),
      rateLimits: ROOMY_RATE_LIMITS,
      // The chunk from line 101 on is refused (not retried) until the fault is cleared.
      taskHandlers: {
        proposeBatchLines: (payload, deps) => {
          if ((payload as { items: Array<{ line: number }> }).items[0]!.line >= refuseFrom) throw new DomainError('INVALID_STATE', 'the store refused this chunk');
          return TASK_HANDLERS.proposeBatchLines!(payload, deps);
        },
      },
    });
    try {
      const api = new ApiClient(sys.url);
      const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
      const auditor = await api.token({ role: 'auditor' });
      const res = await api.call('POST', '/v1/listings:batch', { token: officer, raw: ndjson(Array.from({ length: 250 }, (_, i) => proposal(700 + i))), headers: { ...NDJSON, 'idempotency-key': 'failing-batch' } });
      expect(res.status).toBe(202);
      await sys.runner.whenIdle();
      const failed = (await api.call('GET', `/v1/listing-batches/${res.body.batchId}`, { token: auditor })).body;
      expect(failed).toMatchObject({ status: 'failed', failure: expect.stringContaining('the store refused this chunk'), proposed: 100, processed: 100 });
      const arn = executionArn('listingBatch', res.body.batchId);
      const execution = (await sys.runner.describeExecution(arn))!;
      expect(execution.status).toBe('FAILED');
      const firstEntry = failed.entries[0].entryId as string;
      const trail = async () => (await api.call('GET', `/v1/entries/${firstEntry}/audit/verify`, { token: auditor })).body.length as number;
      const before = await trail();

      // README, Operations: a new execution under <batchId>-r1 with the failed one's input.
      refuseFrom = Infinity;
      await sys.runner.startExecution('listingBatch', `${res.body.batchId}-r1`, execution.input);
      await sys.runner.whenIdle();
      const done = (await api.call('GET', `/v1/listing-batches/${res.body.batchId}`, { token: auditor })).body;
      expect(done).toMatchObject({ status: 'completed', proposed: 250, processed: 250, refused: 0 });
      expect(done.failure).toBeUndefined();
      expect(new Set(done.entries.map((e: { entryId: string }) => e.entryId)).size).toBe(250);
      // The chunk done before was not worked again: its entries' trails did not grow, and each subject has one notice.
      expect(await trail()).toBe(before);
      for (const n of [700, 799, 800, 949]) expect((await api.outbox(`batch-${n}@example.cn`)).length).toBe(1);
    } finally {
      await sys.close();
      await data.remove();
    }
  });
});
