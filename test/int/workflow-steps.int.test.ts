import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskDispatcher } from '../../functions/tasks/dispatch.js';
import { TASK_HANDLERS } from '../../functions/tasks/handlers.js';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient } from '../support/api-client.js';
import { executionArn, listingChain } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Every workflow step on the real local system is idempotent (run twice, it
 * changes nothing more), a failed send is retried with back-off rather than
 * dropped, and an entry that left the list early ends its workflow cleanly.
 */

const START = '2026-11-02T10:00:00+08:00';

describe('listing and review steps on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let run: (payload: unknown) => Promise<unknown>;

  const propose = async (seq: number, name: string, over: Record<string, unknown> = {}) => {
    const token = await api.token({ role: 'agency-officer', agencyId: '330000-zjamr' });
    const res = await api.call('POST', '/v1/listings', {
      token,
      body: { subject: { id: personId(seq), kind: 'person', name, email: `${seq}@example.cn`, mobile: `1390000${String(seq).padStart(4, '0')}` }, listType: 'penalty-general', facts: '未按规定公示年度报告', legalBasis: '《企业信息公示暂行条例》第十八条', measures: ['列入重点监管'], decisionRef: `浙市监〔2026〕${seq}号`, decisionDate: '2026-10-30', ...over },
    });
    expect(res.status).toBe(201);
    await sys.runner.whenIdle();
    return res.body.entryId as string;
  };
  const trail = async (entryId: string) => sys.deps.entries.auditTrail(entryId);
  const execution = (machine: string, name: string) => sys.runner.describeExecution(executionArn(machine, name));
  const chainOf = (entryId: string) => listingChain(sys.runner, entryId);
  const startedAt = async (entryId: string) => (await execution('listingLifecycle', entryId))!.startedAt;

  beforeAll(async () => {
    data = await tempDataDir('workflow-steps-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    // The dispatcher the tasks Lambda and the runner use, on the same dependencies.
    run = createTaskDispatcher(TASK_HANDLERS, sys.deps);
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('runs every listing step twice without a second event or a second notice', async () => {
    const entryId = await propose(11, '周一');
    const before = await trail(entryId);
    expect(before.map((e) => e.type)).toEqual(['ListingProposed', 'NoticeSent', 'NoticeSent']);
    await run({ task: 'sendPreListingNotice', entryId });
    const executionStartedAt = await startedAt(entryId);
    expect(await trail(entryId)).toHaveLength(before.length);
    expect(await api.outbox('11@example.cn')).toHaveLength(1);

    // Monday 11-02 + 10 working days: Monday 11-16, 24:00.
    await api.advanceTo('2026-11-17T00:00:01+08:00');
    const listed = await trail(entryId);
    expect(listed.map((e) => e.type).slice(3)).toEqual(['EntryListed', 'NoticeSent', 'NoticeSent']);
    expect(await run({ task: 'listEntry', entryId, executionStartedAt })).toMatchObject({ outcome: 'listed' });
    expect(await trail(entryId)).toHaveLength(listed.length);
    expect(await api.outbox('11@example.cn')).toHaveLength(2);

    // 1 year from 2026-10-30: Saturday 2027-10-30 moves to Monday 11-01 (provisional 2027 calendar).
    await api.advanceTo('2027-11-02T00:00:01+08:00');
    const delisted = await trail(entryId);
    expect(delisted.filter((e) => e.type === 'EntryDelisted')).toHaveLength(1);
    expect(await run({ task: 'delistAtExpiry', entryId, executionStartedAt })).toEqual({ outcome: 'delisted' });
    expect(await trail(entryId)).toHaveLength(delisted.length);
    expect(await api.outbox('11@example.cn')).toHaveLength(3);
    // The year's listing outlives one execution's horizon (330 days): it continued once, then delisted.
    const chain = await chainOf(entryId);
    expect(chain.map((r) => [r.status, r.transitions])).toEqual([['SUCCEEDED', 10], ['SUCCEEDED', 7]]);
  });

  it('runs every review step twice: one escalation, one escalation notice, one decision notice', async () => {
    const entryId = await propose(12, '周二', { decisionDate: '2027-10-29' });
    const subject = await api.token({ role: 'subject', subjectId: personId(12) });
    const filed = await api.call('POST', '/v1/cases', { token: subject, body: { kind: 'representation', entryId, grounds: '年度报告已补报' } });
    expect(filed.status).toBe(201);
    const caseId = filed.body.caseId as string;
    await sys.runner.whenIdle();
    await run({ task: 'openReview', caseId, entryId });
    expect((await api.outbox('12@example.cn')).filter((m) => m.caseId === caseId)).toHaveLength(1);

    await api.advanceTo(new Date(Date.parse(filed.body.deadlineAt) + 1000).toISOString());
    const escalated = await trail(entryId);
    expect(escalated.filter((e) => e.type === 'CaseEscalated')).toHaveLength(1);
    expect(await run({ task: 'reviewTimer', caseId, entryId })).toMatchObject({ open: true, level: 'province', action: 'wait' });
    expect(await trail(entryId)).toHaveLength(escalated.length);
    expect((await api.outbox('12@example.cn')).filter((m) => m.caseId === caseId)).toHaveLength(2);

    const province = await api.token({ role: 'provincial-reviewer', provinceCode: '330000' });
    expect((await api.call('POST', `/v1/cases/${caseId}/decision`, { token: province, body: { outcome: 'rejected', reasons: '补报晚于处罚决定' } })).status).toBe(200);
    await sys.runner.whenIdle();
    const decided = await trail(entryId);
    await run({ task: 'closeReview', caseId, entryId });
    expect(await trail(entryId)).toHaveLength(decided.length);
    expect((await api.outbox('12@example.cn')).filter((m) => m.caseId === caseId)).toHaveLength(3);
    expect(await execution('caseReview', caseId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends the expiry step cleanly when the entry already left the list', async () => {
    const entryId = await propose(13, '周三', { decisionDate: '2027-11-01' });
    const entry = await sys.deps.entries.load(entryId);
    await api.advanceTo(new Date(Date.parse(entry!.state.listingDueAt) + 1000).toISOString());
    expect((await sys.deps.entries.load(entryId))!.state.status).toBe('listed');
    // Taken off the list early, as a revocation or an approved repair does.
    const at = sys.deps.clock.now();
    await sys.deps.entries.apply(entryId, () => ({ events: [{ type: 'EntryDelisted', data: { at: at.toISOString(), reason: 'revoked' } }], result: undefined }), { role: 'agency-officer', id: 'agency-officer:330000-zjamr' }, at);

    await api.advanceTo('2028-11-03T00:00:01+08:00');
    const types = (await trail(entryId)).map((e) => e.type);
    expect(types.filter((t) => t === 'EntryDelisted')).toHaveLength(1);
    expect((await sys.deps.entries.load(entryId))!.state).toMatchObject({ status: 'delisted', delistReason: 'revoked' });
    const chain = await chainOf(entryId);
    expect(chain.at(-1)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'ended' } } });
  });

  it('retries a failed send with back-off on the virtual clock, and serves the notice exactly once', async () => {
    const notifier = sys.deps.notifier;
    const send = notifier.send.bind(notifier);
    let failures = 0;
    // The mail provider is unreachable for the first two attempts.
    notifier.send = async (message) => {
      if (message.channel === 'email' && failures < 2) {
        failures++;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'TimeoutError' });
      }
      return send(message);
    };
    try {
      const entryId = await propose(14, '周四', { decisionDate: '2028-11-01' });
      expect(failures).toBe(1);
      expect(await api.outbox('14@example.cn')).toEqual([]);
      expect(await execution('listingLifecycle', entryId)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'SendPreListingNotice', kind: 'retry' } });

      const now = sys.deps.clock.now().getTime();
      await api.advanceTo(new Date(now + 2_000).toISOString());
      expect(failures).toBe(2);
      expect(await api.outbox('14@example.cn')).toEqual([]);
      // The second back-off is 4 s after the second failure; a second of slack for real time spent in between.
      await api.advanceTo(new Date(now + 7_000).toISOString());
      expect(await api.outbox('14@example.cn')).toHaveLength(1);
      expect(await api.outbox('13900000014')).toHaveLength(1);
      expect((await trail(entryId)).filter((e) => e.type === 'NoticeSent').map((e) => e.data.channel).sort()).toEqual(['email', 'sms']);
      expect(await execution('listingLifecycle', entryId)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitListingDate', kind: 'wait' } });
    } finally {
      notifier.send = send;
    }
  });
});
