import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePdf, samplePng } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { executionArn } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Objections, corrections and appeals on the real local system, over HTTP on
 * the virtual clock. Eight entries of the Shanghai market regulator are
 * proposed on Monday 2026-08-17 and listed at 24:00 on 08-31 (10 working
 * days). The disputes then run through September and the National Day week of
 * the official 2026 calendar: make-up Sunday 09-20, Mid-Autumn Friday 09-25,
 * National Day 10-01..10-07, make-up Saturday 10-10. Every date below is
 * counted by hand in the comments.
 */

const START = '2026-08-17T10:00:00+08:00';
const SAMR = '310000-samr';
const INBOX = 'review@310000-samr.gov.example.cn';
const names = { a: '甲公司', b: '李二', c: '丙公司', d: '丁公司', e: '戊公司', f: '己公司', g: '庚公司', h: '辛公司' } as const;
type Who = keyof typeof names;
const WHO = Object.keys(names) as Who[];
const P = Object.fromEntries(WHO.map((w, i) => [w, personId(40 + i)])) as Record<Who, string>;
const at = (shanghai: string) => `${shanghai}+08:00`;

const proposal = (who: Who) => ({
  subject: { id: P[who], kind: 'person', name: names[who], email: `${who}@example.cn` },
  listType: 'serious-dishonesty',
  facts: '拒不履行行政处罚决定，罚款人民币五万元未缴纳',
  legalBasis: '《行政处罚法》第七十二条',
  measures: ['限制参加政府采购'],
  decisionRef: `沪市监处〔2026〕${200 + WHO.indexOf(who)}号`,
  decisionDate: '2026-08-10',
});

describe('objections, corrections and appeals on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const entries = {} as Record<Who, string>;
  const cases = {} as Record<Who | 'appealC', string>;

  const as = (request: TokenRequest) => api.token(request);
  const subject = (who: Who) => as({ role: 'subject', subjectId: P[who] });
  const reviewer = (name = '张审', agencyId = SAMR) => as({ role: 'agency-reviewer', agencyId, name });
  const provincial = (provinceCode = '310000', name = '省审') => as({ role: 'provincial-reviewer', provinceCode, name });
  const auditor = () => as({ role: 'auditor' });
  const advanceTo = (shanghai: string) => api.advanceTo(at(shanghai));
  const entry = async (who: Who) => (await api.call('GET', `/v1/entries/${entries[who]}`, { token: await auditor() })).body;
  const caseOf = async (id: string) => (await api.call('GET', `/v1/cases/${id}`, { token: await auditor() })).body;
  const trail = async (who: Who) => (await api.call('GET', `/v1/entries/${entries[who]}/audit?limit=200`, { token: await auditor() })).body.events as Array<{ type: string; data: Record<string, unknown> }>;
  const file = async (who: Who, body: Record<string, unknown>, key?: string) =>
    api.call('POST', '/v1/cases', { token: await subject(who), body: { entryId: entries[who], grounds: '处罚决定认定事实有误', ...body }, headers: key ? { 'idempotency-key': key } : {} });
  const act = async (token: string, id: string, action: string, body?: unknown) => api.call('POST', `/v1/cases/${id}/${action}`, { token, body });
  const lastMail = async (to: string) => (await api.outbox(to)).filter((m) => m.channel === 'email').at(-1)!;

  beforeAll(async () => {
    data = await tempDataDir('disputes-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const officer = await as({ role: 'agency-officer', agencyId: SAMR });
    for (const who of WHO) entries[who] = (await api.call('POST', '/v1/listings', { token: officer, body: proposal(who) })).body.entryId;
    // Window: 08-18..21, 24..28, 31: ten working days; listed at 24:00 on 08-31.
    await advanceTo('2026-09-01T09:00:00');
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('files an objection once per Idempotency-Key, marks the entry under objection at once, publicly too, and acknowledges it', async () => {
    expect((await entry('a')).status).toBe('listed');
    const token = await subject('a');
    const decision = await uploadEvidence(api, token, samplePdf('payment'), '缴款凭证.pdf', 'application/pdf');
    const body = { kind: 'objection', evidence: [decision] };
    const first = await file('a', body, 'objection-a');
    expect(first.status).toBe(201);
    // Filed Tuesday 09-01: 09-02, 03, 04, 07, 08. The cap of 20 working days: 09-02..04 (3), 07..11 (8),
    // 14..18 (13), make-up Sunday 20 (14), 21..24 (18), Mid-Autumn 25 off, 28 (19), 29 (20).
    expect(first.body).toMatchObject({ kind: 'objection', status: 'open', level: 'agency', deadline: '2026-09-08', capDate: '2026-09-29', evidence: [decision] });
    cases.a = first.body.caseId;
    const again = await file('a', body, 'objection-a');
    expect([again.status, again.body.caseId]).toEqual([200, cases.a]);
    expect((await file('a', { ...body, grounds: '另一理由' }, 'objection-a')).status).toBe(422);
    expect((await file('a', body, 'objection-a-2')).status).toBe(409);

    expect(await entry('a')).toMatchObject({ underObjection: true, openCases: [cases.a] });
    const pub = (await api.call('GET', `/v1/public/entries?q=${P.a}`)).body.entries;
    expect(pub).toHaveLength(1);
    expect(pub[0]).toMatchObject({ entryId: entries.a, underObjection: true });
    expect(pub[0].subject.id).not.toBe(P.a);

    await sys.runner.whenIdle();
    const ack = await lastMail('a@example.cn');
    expect(ack).toMatchObject({ caseId: cases.a });
    expect(ack.text).toContain(cases.a);
    expect(ack.text).toContain('2026年9月8日');
    expect(ack.text.indexOf('异议已受理')).toBeLessThan(ack.text.indexOf('objection was received'));
    const filed = (await trail('a')).find((e) => e.type === 'CaseFiled')!;
    expect(filed.data.evidence).toEqual([decision]);
  });

  it('refuses evidence that was not uploaded by the subject, or is not what it says, naming the field', async () => {
    const other = await uploadEvidence(api, await subject('h'), samplePng([1, 2, 3]), 'photo.png', 'image/png');
    const refused = await file('b', { kind: 'correction', requestedCorrection: { field: 'subject.name', value: '李贰' }, evidence: [other, { ...other, contentType: 'application/pdf' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['evidence.0.sha256', 'evidence.1.sha256']);
    const own = await uploadEvidence(api, await subject('b'), samplePng([9, 9, 9]), 'id.png', 'image/png');
    const mislabelled = await file('b', { kind: 'correction', requestedCorrection: { field: 'subject.name', value: '李贰' }, evidence: [{ ...own, contentType: 'application/pdf' }] });
    expect(mislabelled.status).toBe(400);
    expect(mislabelled.body.errors.map((e: { path: string }) => e.path)).toEqual(['evidence.0.contentType']);
    const badField = await file('b', { kind: 'correction', requestedCorrection: { field: 'amount', value: '1' } });
    expect(badField.body.errors.map((e: { path: string }) => e.path)).toEqual(['requestedCorrection.field']);
  });

  it('files the other disputes and shows them in the agency queue only, soonest deadline first, with the working days left', async () => {
    const b = await file('b', { kind: 'correction', requestedCorrection: { field: 'subject.name', value: '李贰' } });
    expect(b.status).toBe(201);
    expect(b.body.requestedCorrection).toEqual({ field: 'subject.name', value: '李贰' });
    cases.b = b.body.caseId;
    for (const who of ['c', 'd', 'f', 'g', 'h'] as const) {
      const res = await file(who, { kind: 'objection' });
      expect(res.status).toBe(201);
      cases[who] = res.body.caseId;
    }
    await sys.runner.whenIdle();
    const queue = (await api.call('GET', '/v1/queues/agency?limit=200', { token: await reviewer() })).body.cases as Array<Record<string, any>>;
    expect(queue.map((c) => c.caseId).sort()).toEqual([cases.a, cases.b, cases.c, cases.d, cases.f, cases.g, cases.h].sort());
    expect(queue.every((c) => c.deadline === '2026-09-08' && c.workingDaysLeft === 5 && c.overdue === false && c.paused === false)).toBe(true);
    expect(queue.find((c) => c.caseId === cases.b)!.entry).toMatchObject({ entryId: entries.b, status: 'listed', subjectName: '李二' });
    // The wrong agency, the province (before escalation) and the wrong subject see nothing of them.
    expect((await api.call('GET', '/v1/queues/agency', { token: await reviewer('王审', '310000-pudong-samr') })).body.cases).toEqual([]);
    expect((await api.call('GET', '/v1/queues/provincial', { token: await provincial() })).body.cases).toEqual([]);
    for (const token of [await reviewer('王审', '310000-pudong-samr'), await provincial()]) {
      expect((await act(token, cases.a, 'claim')).status).toBe(404);
      expect((await act(token, cases.a, 'decision', { outcome: 'upheld', reasons: 'x' })).status).toBe(404);
    }
    expect((await act(await subject('b'), cases.a, 'withdraw')).status).toBe(404);
    expect((await act(await subject('b'), cases.a, 'supplement', { text: '补充' })).status).toBe(404);
    expect((await api.call('GET', `/v1/cases/${cases.a}`, { token: await subject('b') })).status).toBe(404);
  });

  it('withdraws an open case: the mark goes, the trail keeps both, the review closes', async () => {
    const res = await act(await subject('g'), cases.g, 'withdraw');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn' });
    await sys.runner.whenIdle();
    expect(await entry('g')).toMatchObject({ status: 'listed', underObjection: false, openCases: [] });
    expect((await trail('g')).map((e) => e.type)).toEqual(expect.arrayContaining(['CaseFiled', 'CaseWithdrawn']));
    expect((await lastMail('g@example.cn')).text).toContain('撤回');
    expect(await sys.runner.describeExecution(executionArn('caseReview', cases.g))).toMatchObject({ status: 'SUCCEEDED' });
    expect((await act(await reviewer(), cases.g, 'decision', { outcome: 'upheld', reasons: 'late' })).status).toBe(409);
  });

  it('lets exactly one of two reviewers deciding at once win; the other gets 409', async () => {
    const [one, two] = await Promise.all([
      act(await reviewer('甲审'), cases.f, 'decision', { outcome: 'rejected', reasons: '证据不足' }),
      act(await reviewer('乙审'), cases.f, 'decision', { outcome: 'upheld', reasons: '异议成立' }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    await sys.runner.whenIdle();
    const decided = (await trail('f')).filter((e) => e.type === 'CaseDecided');
    expect(decided).toHaveLength(1);
    const winner = one.status === 200 ? one : two;
    expect((await caseOf(cases.f)).decision).toMatchObject({ outcome: winner.body.decision.outcome, by: winner.body.decision.by });
    expect((await entry('f')).status).toBe(winner.body.decision.outcome === 'upheld' ? 'delisted' : 'listed');
    // A typical review decided by the agency: OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(await sys.runner.describeExecution(executionArn('caseReview', cases.f))).toMatchObject({ status: 'SUCCEEDED', transitions: 7 });
  });

  it('decides an objection on Wednesday 09-02; an appeal filed after its window (10 days → Saturday 09-12 → Monday 09-14) is refused with the date', async () => {
    await advanceTo('2026-09-02T10:00:00');
    const decided = await act(await reviewer(), cases.d, 'decision', { outcome: 'rejected', reasons: '罚款至今未缴纳，异议不成立' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'decided', appealClosesOn: '2026-09-14' });
    await sys.runner.whenIdle();
    expect(await entry('d')).toMatchObject({ status: 'listed', underObjection: false });
    const notice = (await lastMail('d@example.cn')).text;
    for (const part of ['不成立', '罚款至今未缴纳', '2026年9月14日', 'appeal online until 24:00 on 14 September 2026']) expect(notice).toContain(part);
  });

  it('pauses the clock on request-info, asked once, listing everything missing', async () => {
    await advanceTo('2026-09-03T10:00:00');
    const rb = await reviewer('赵审');
    expect((await act(rb, cases.b, 'claim')).body).toMatchObject({ status: 'in-review', assignedTo: expect.stringContaining('赵审') });
    expect((await act(await reviewer('钱审'), cases.b, 'claim')).status).toBe(409);
    const asked = await act(rb, cases.b, 'request-info', { questions: ['身份证复印件', '更名的公安机关证明'] });
    expect(asked.status).toBe(200);
    // Deadline 09-08: after Thursday 09-03 come 04, 07, 08, so 3 working days are left.
    // The answer is due in 10 working days: 09-04, 07..11, 14..17.
    expect(asked.body).toMatchObject({ status: 'awaiting-info', infoRequest: { questions: ['身份证复印件', '更名的公安机关证明'], answerDue: '2026-09-17', remaining: { unit: 'workingDays', value: 3 } } });
    expect((await act(rb, cases.b, 'request-info', { questions: ['再问'] })).status).toBe(409);
    expect((await act(rb, cases.b, 'request-info', { questions: [] })).body.errors[0].path).toBe('questions');
    // H's reviewer asks too, and never gets an answer.
    expect((await act(await reviewer('孙审'), cases.h, 'request-info', { questions: ['缴款凭证'] })).status).toBe(200);
    await sys.runner.whenIdle();
    const ask = await lastMail('b@example.cn');
    for (const part of ['1. 身份证复印件', '2. 更名的公安机关证明', '2026年9月17日', 'decided on the file']) expect(ask.text).toContain(part);
  });

  it('extends once with a reason, within the cap, and tells the subject the new date', async () => {
    await advanceTo('2026-09-04T10:00:00');
    const rc = await reviewer('周审');
    // Cap 09-29: after the deadline 09-08 come 09..11, 14..18, 20, 21..24, 28, 29: at most 15.
    const tooLong = await act(rc, cases.c, 'extend', { reason: '需要核查银行流水', workingDays: 16 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([{ path: 'workingDays', message: 'at most 15: the review may not run past 2026-09-29' }]);
    const extended = await act(rc, cases.c, 'extend', { reason: '需要核查银行流水', workingDays: 5 });
    // 5 working days after 09-08: 09, 10, 11, 14, 15.
    expect(extended.body).toMatchObject({ deadline: '2026-09-15', extension: { workingDays: 5, reason: '需要核查银行流水', previousDeadline: '2026-09-08' } });
    expect((await act(rc, cases.c, 'extend', { reason: '再次延长', workingDays: 1 })).status).toBe(422);
    expect((await act(await provincial(), cases.c, 'extend', { reason: 'x', workingDays: 1 })).status).toBe(403);
    await sys.runner.whenIdle();
    const told = await lastMail('c@example.cn');
    for (const part of ['2026年9月15日', '需要核查银行流水', '15 September 2026']) expect(told.text).toContain(part);
  });

  it('reminds the agency reviewers on the last working day, where 80% of 5 working days also falls, and the agency decides', async () => {
    // A: filed Tuesday 09-01, 5 working days to 09-08. 80% of them is after the 4th, Monday 09-07, so at 24:00
    // on 09-07: the start of the last working day, and one reminder serves for both.
    await advanceTo('2026-09-07T11:00:00');
    const before = (await api.outbox(INBOX)).filter((m) => m.caseId === cases.a);
    expect(before).toEqual([]);
    await advanceTo('2026-09-08T00:30:00');
    const reminders = (await api.outbox(INBOX)).filter((m) => m.caseId === cases.a);
    expect(reminders.map((m) => m.sentAt.slice(0, 16))).toEqual(['2026-09-07T16:00']);
    expect(reminders[0]!.text).toContain('最后一个工作日');
    expect(reminders[0]!.text).toContain(`/cases/${cases.a}`);
    expect((await caseOf(cases.a)).timeline.filter((t: { type: string }) => t.type === 'reminded')).toHaveLength(1);
    const decided = await act(await reviewer(), cases.a, 'decision', { outcome: 'rejected', reasons: '异议理由不成立' });
    expect(decided.status).toBe(200);
    await sys.runner.whenIdle();
    expect(await entry('a')).toMatchObject({ underObjection: false });
    // OpenReview and Next step?, then AwaitDecision → ReviewTimer → Next step? for the reminder and for the decision, CloseReview, Closed.
    expect(await sys.runner.describeExecution(executionArn('caseReview', cases.a))).toMatchObject({ status: 'SUCCEEDED', transitions: 10 });
  });

  it('keeps the paused case with the agency past its old deadline, and resumes with the days left on the supplement', async () => {
    // Past the old deadline, the paused case stays with the agency.
    await advanceTo('2026-09-10T10:00:00');
    expect(await caseOf(cases.b)).toMatchObject({ status: 'awaiting-info', level: 'agency' });
    const queued = (await api.call('GET', '/v1/queues/agency?limit=200', { token: await reviewer('赵审') })).body.cases.find((c: { caseId: string }) => c.caseId === cases.b);
    expect(queued).toMatchObject({ paused: true, workingDaysLeft: 3, overdue: false });

    const proof = await uploadEvidence(api, await subject('b'), samplePdf('name change'), '更名证明.pdf', 'application/pdf');
    const answered = await act(await subject('b'), cases.b, 'supplement', { text: '附更名证明', evidence: [proof] });
    expect(answered.status).toBe(200);
    // Resumed Thursday 09-10 with 3 working days: 11, 14, 15. The cap had 18 working days left after 09-03
    // (04, 07..11, 14..18, 20, 21..24, 28, 29); from 09-10: 11, 14..18, 20, 21..24, 28..30, 10-08, 09, Sat 10, 12.
    expect(answered.body).toMatchObject({ status: 'open', deadline: '2026-09-15', capDate: '2026-10-12', infoRequest: { resumedBy: 'supplement' }, supplements: [{ text: '附更名证明', evidence: [proof] }] });
  });

  it('upholds the correction: the entry is corrected, the old name stays in the trail, partners get entry.corrected', async () => {
    await advanceTo('2026-09-11T10:00:00');
    const decided = await act(await reviewer('赵审'), cases.b, 'decision', { outcome: 'upheld', reasons: '提交的公安机关证明确认姓名登记错误' });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({ outcome: 'upheld', correction: { field: 'subject.name', value: '李贰' } });
    await sys.runner.whenIdle();
    expect(await entry('b')).toMatchObject({ status: 'listed', underObjection: false, subject: { name: '李贰' } });
    const corrected = (await trail('b')).filter((e) => e.type === 'EntryCorrected');
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.data).toMatchObject({ caseId: cases.b, field: 'subject.name', from: '李二', to: '李贰' });
    expect((await sys.deps.entries.partnerEvents(entries.b)).map((e) => e.type)).toEqual(['entry.listed', 'entry.corrected']);
    expect((await lastMail('b@example.cn')).text).toContain('已更正为：李贰');
    // Woken by the request for material (then AwaitSupplement), by the supplement and by the decision: 3 rounds of 3, and 4 more.
    expect(await sys.runner.describeExecution(executionArn('caseReview', cases.b))).toMatchObject({ status: 'SUCCEEDED', transitions: 13 });
    expect((await api.call('GET', `/v1/entries/${entries.b}/audit/verify`, { token: await auditor() })).body).toMatchObject({ ok: true });
  });

  it('refuses an appeal after its window with the closing date, takes a timely one to the provincial queue while the listing stays in force', async () => {
    await advanceTo('2026-09-15T10:00:00');
    const late = await file('d', { kind: 'appeal', appealOf: cases.d });
    expect(late.status).toBe(422);
    expect(late.body.detail).toContain('2026-09-14');

    const rejectC = await act(await reviewer('周审'), cases.c, 'decision', { outcome: 'rejected', reasons: '银行流水显示罚款未缴' });
    // 10 days from Tuesday 09-15 end on Friday 09-25, Mid-Autumn: moved to Monday 09-28.
    expect(rejectC.body.appealClosesOn).toBe('2026-09-28');
    await advanceTo('2026-09-16T10:00:00');
    const appeal = await file('c', { kind: 'appeal', appealOf: cases.c, grounds: '银行流水有误，已补缴' });
    expect(appeal.status).toBe(201);
    // 15 days from Wednesday 09-16 end on 10-01, National Day: moved to Thursday 10-08.
    expect(appeal.body).toMatchObject({ kind: 'appeal', level: 'province', appealOf: cases.c, deadline: '2026-10-08' });
    cases.appealC = appeal.body.caseId;
    expect((await file('c', { kind: 'appeal', appealOf: cases.c })).status).toBe(409);
    await sys.runner.whenIdle();
    expect(await entry('c')).toMatchObject({ status: 'listed', underObjection: false, openCases: [cases.appealC] });
    const provincialQueue = (await api.call('GET', '/v1/queues/provincial', { token: await provincial() })).body.cases;
    expect(provincialQueue.map((c: { caseId: string }) => c.caseId)).toEqual([cases.appealC]);
    expect((await api.call('GET', '/v1/queues/agency?limit=200', { token: await reviewer() })).body.cases.map((c: { caseId: string }) => c.caseId)).not.toContain(cases.appealC);
    expect((await api.call('GET', '/v1/queues/provincial', { token: await provincial('330000') })).body.cases).toEqual([]);
    expect((await api.call('GET', `/v1/cases/${cases.appealC}`, { token: await provincial('330000') })).status).toBe(404);
    expect((await act(await reviewer(), cases.appealC, 'decision', { outcome: 'upheld', reasons: 'x' })).status).toBe(409);
  });

  it('decides on the file when nobody answers: the clock runs again when the answer time runs out', async () => {
    // H's answer was due 09-17 at 24:00; its 3 days run on from there: Friday 09-18, Sunday 09-20 (make-up), Monday 09-21.
    await advanceTo('2026-09-18T00:00:01');
    expect(await caseOf(cases.h)).toMatchObject({ status: 'open', level: 'agency', deadline: '2026-09-21', infoRequest: { resumedBy: 'no-answer' } });
  });

  it('escalates an undecided objection to the province at its deadline across Mid-Autumn; the agency can no longer decide; the province decides', async () => {
    await advanceTo('2026-09-22T10:00:00');
    const filed = await file('e', { kind: 'objection' });
    // Tuesday 09-22: 23, 24, Mid-Autumn 25 off, 28, 29, 30.
    expect(filed.body.deadline).toBe('2026-09-30');
    cases.e = filed.body.caseId;
    await advanceTo('2026-09-30T23:00:00');
    expect(await caseOf(cases.e)).toMatchObject({ status: 'open', level: 'agency' });
    await advanceTo('2026-10-01T00:00:01');
    // 15 days from the agency deadline 09-30 end on Thursday 10-15.
    expect(await caseOf(cases.e)).toMatchObject({ status: 'escalated', level: 'province', deadline: '2026-10-15' });
    const late = await act(await reviewer(), cases.e, 'decision', { outcome: 'rejected', reasons: '迟到的决定' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('provincial reviewer');
    const told = await lastMail('e@example.cn');
    expect(told.text).toContain('省级复核');
    expect(told.text).toContain('2026年10月15日');

    await advanceTo('2026-10-08T10:00:00');
    const pe = await provincial('310000', '省审甲');
    expect((await act(pe, cases.e, 'claim')).status).toBe(200);
    const decided = await act(pe, cases.e, 'decision', { outcome: 'rejected', reasons: '经复核，处罚事实清楚' });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({ level: 'province' });
    expect(decided.body.appealClosesOn).toBeUndefined();
    await sys.runner.whenIdle();
    const notice = (await lastMail('e@example.cn')).text;
    // A provincial decision names the remedies of the law: reconsideration in 60 days (10-08 → Monday 12-07).
    for (const part of ['经复核，处罚事实清楚', '行政复议', '2026年12月7日', 'administrative reconsideration']) expect(notice).toContain(part);
    expect((await file('e', { kind: 'appeal', appealOf: cases.e })).status).toBe(422);
  });

  it('upholds the appeal at the province: the entry is delisted at once, objection upheld', async () => {
    const decided = await act(await provincial('310000', '省审乙'), cases.appealC, 'decision', { outcome: 'upheld', reasons: '补缴凭证真实有效' });
    expect(decided.status).toBe(200);
    await sys.runner.whenIdle();
    expect(await entry('c')).toMatchObject({ status: 'delisted', delistReason: 'objection-upheld', openCases: [] });
    expect((await api.call('GET', `/v1/public/entries?q=${P.c}`)).body.entries).toEqual([]);
    // The appeal's 80% point (Sunday 10-04, National Day) moved to the start of its last day, 10-08: one reminder,
    // then the decision: OpenReview, Next step?, and two rounds of AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(await sys.runner.describeExecution(executionArn('caseReview', cases.appealC))).toMatchObject({ status: 'SUCCEEDED', transitions: 10 });
    expect((await api.outbox('review@310000.credit.gov.example.cn')).filter((m) => m.caseId === cases.appealC).map((m) => m.sentAt.slice(0, 16))).toEqual(['2026-10-07T16:00']);
  });

  it('corrects the decision date: the expiry moves earlier, and the waiting listing wakes and delists on the new date', async () => {
    const filed = await file('g', { kind: 'correction', requestedCorrection: { field: 'decisionDate', value: '2023-10-20' }, grounds: '处罚决定实际作出于2023年10月20日' });
    expect(filed.status).toBe(201);
    const decided = await act(await reviewer(), filed.body.caseId, 'decision', { outcome: 'upheld', reasons: '经核对决定书原件，决定日期为2023年10月20日' });
    expect(decided.status).toBe(200);
    await sys.runner.whenIdle();
    // Three years from 2023-10-20 end on Tuesday 2026-10-20; repair after one year: Sunday 2024-10-20 → Monday 10-21, so from 10-22.
    expect(await entry('g')).toMatchObject({ status: 'listed', decisionDate: '2023-10-20', expiresAt: '2026-10-21T00:00:00.000+08:00', earliestRepairDate: '2024-10-22' });
    const corrected = (await trail('g')).find((e) => e.type === 'EntryCorrected')!;
    expect(corrected.data).toMatchObject({ field: 'decisionDate', from: '2026-08-10', to: '2023-10-20' });
    await advanceTo('2026-10-20T23:00:00');
    expect((await entry('g')).status).toBe('listed');
    await advanceTo('2026-10-21T00:00:01');
    expect(await entry('g')).toMatchObject({ status: 'delisted', delistReason: 'expired' });
    expect((await lastMail('g@example.cn')).text).toContain('移出');
  });

  it('leaves a verifiable audit chain on every entry', async () => {
    for (const who of WHO) {
      expect((await api.call('GET', `/v1/entries/${entries[who]}/audit/verify`, { token: await auditor() })).body, who).toMatchObject({ ok: true });
    }
  });
});
