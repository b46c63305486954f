import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePdf } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { executionArn, listingChain } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The first complete due-process path on the real local system (dynalite on
 * disk, SES local, the SMS outbox, the local runner on the synthesized state
 * machines), driven over HTTP on the virtual clock. It starts on Friday
 * 2026-09-18, so every window crosses the Mid-Autumn holiday, the make-up
 * working days and the National Day week of the official 2026 calendar.
 */

const START = '2026-09-18T10:00:00+08:00';
const P = { listed: personId(1), upheld: personId(2), escalated: personId(3), defaulter: personId(4), stranger: personId(5) };

const proposal = (subjectId: string, name: string, over: Record<string, unknown> = {}) => ({
  subject: { id: subjectId, kind: 'person', name, email: `${subjectId}@example.cn`, mobile: `138${subjectId.slice(-8, -1)}1` },
  listType: 'serious-dishonesty',
  facts: '连续六个月拖欠十二名劳动者工资共计人民币三十万元',
  legalBasis: '《劳动保障监察条例》第二十六条',
  measures: ['限制参加政府采购', '限制获得财政补助'],
  decisionRef: '沪市监处〔2026〕101号',
  decisionDate: '2026-09-01',
  ...over,
});

describe('listing lifecycle on the local system, across the 2026 holiday weeks', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const ids: Record<'listed' | 'upheld' | 'escalated' | 'defaulter', string> = { listed: '', upheld: '', escalated: '', defaulter: '' };
  const caseIds: Record<'upheld' | 'escalated', string> = { upheld: '', escalated: '' };

  const as = (request: TokenRequest) => api.token(request);
  const officer = (agencyId: string) => as({ role: 'agency-officer', agencyId });
  const reviewer = (agencyId: string) => as({ role: 'agency-reviewer', agencyId });
  const provincial = (provinceCode: string) => as({ role: 'provincial-reviewer', provinceCode });
  const subject = (subjectId: string) => as({ role: 'subject', subjectId });
  /** Moves the clock; everything due has run when it returns. */
  const advanceTo = (to: string) => api.advanceTo(to);
  const entry = async (entryId: string) => (await api.call('GET', `/v1/entries/${entryId}`, { token: await as({ role: 'auditor' }) })).body;
  const search = async (q: string) => (await api.call('GET', `/v1/public/entries?q=${encodeURIComponent(q)}`)).body.entries as Array<{ entryId: string; subject: { id: string } }>;
  const auditEvents = async (entryId: string) => (await api.call('GET', `/v1/entries/${entryId}/audit?limit=200`, { token: await as({ role: 'auditor' }) })).body.events as Array<{ seq: number; type: string }>;
  // The auditor's own reads are in the trail too (test/int/record-views.int.test.ts); the lifecycle is the rest of it.
  const auditTypes = async (entryId: string) => (await auditEvents(entryId)).map((e) => e.type).filter((type) => type !== 'RecordViewed');
  const chainOf = (entryId: string) => listingChain(sys.runner, entryId);

  beforeAll(async () => {
    data = await tempDataDir('listing-lifecycle-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('proposes with the representation deadline counted in working days, and serves a bilingual notice by email and SMS', async () => {
    const samr = await officer('310000-samr');
    const created = await api.call('POST', '/v1/listings', { token: samr, body: proposal(P.listed, '王一') });
    expect(created.status).toBe(201);
    // POLICY.md: served Friday 2026-09-18, 10 working days: make-up Sunday 09-20 counts, Mid-Autumn 09-25 and the National Day week do not.
    expect(created.body).toMatchObject({ status: 'proposed', representationDeadline: '2026-10-09', representationDeadlineAt: '2026-10-10T00:00:00.000+08:00', deadlineProvisional: false, listingDueAt: '2026-10-10T00:00:00.000+08:00' });
    ids.listed = created.body.entryId;
    ids.upheld = (await api.call('POST', '/v1/listings', { token: samr, body: proposal(P.upheld, '王二') })).body.entryId;
    ids.escalated = (await api.call('POST', '/v1/listings', { token: await officer('330000-zjamr'), body: proposal(P.escalated, '王三', { listType: 'penalty-general', decisionRef: '浙市监处〔2026〕7号' }) })).body.entryId;
    const court = await officer('310000-court-1st-intermediate');
    const defaulter = await api.call('POST', '/v1/listings', { token: court, body: proposal(P.defaulter, '王四', { listType: 'judgment-defaulters', measures: ['限制乘坐飞机', '限制乘坐高铁一等座'], decisionRef: '(2026)沪01执123号', gracePeriod: { unit: 'months', value: 1 } }) });
    expect(defaulter.status).toBe(201);
    // The grace period (1 month from service, to Sunday 10-18, so Monday 10-19) ends after the window: publication waits for it.
    expect(defaulter.body).toMatchObject({ representationDeadline: '2026-10-09', listingDueAt: '2026-10-20T00:00:00.000+08:00' });
    ids.defaulter = defaulter.body.entryId;
    await sys.runner.whenIdle();

    const [email, ...moreMail] = await api.outbox(`${P.listed}@example.cn`);
    expect(moreMail).toEqual([]);
    expect(email).toMatchObject({ channel: 'email', entryId: ids.listed });
    const text = email!.text;
    for (const part of ['连续六个月拖欠', '《劳动保障监察条例》第二十六条', '限制参加政府采购', '沪市监处〔2026〕101号', '2026年10月9日', '陈述申辩', '信用修复', '期满自动移出', `/entries/${ids.listed}`, 'Deadline for representations: 9 October 2026', 'Remedies:', 'Removal:']) {
      expect(text).toContain(part);
    }
    // Chinese first, English second.
    expect(text.indexOf('陈述申辩截止日期')).toBeLessThan(text.indexOf('Deadline for representations'));
    const sms = await api.outbox(proposal(P.listed, '').subject.mobile);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain('2026-10-09');
    expect(sms[0]!.text).toContain(`/entries/${ids.listed}`);
    expect(sms[0]!.text.length).toBeLessThan(200);
    expect(await auditTypes(ids.listed)).toEqual(['ListingProposed', 'NoticeSent', 'NoticeSent']);
  });

  it('refuses bad proposals with 400 naming the field', async () => {
    const samr = await officer('310000-samr');
    const refused = async (body: unknown, token = samr) => {
      const res = await api.call('POST', '/v1/listings', { token, body });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      return res.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await refused(proposal(P.stranger, '赵', { listType: 'judgment-defaulters' }))).toEqual(['listType']);
    expect(await refused(proposal(P.stranger, '赵', { listType: 'no-such-list' }))).toEqual(['listType']);
    expect(await refused(proposal(P.stranger, '赵', { decisionDate: '2026-02-30' }))).toEqual(['decisionDate']);
    expect(await refused(proposal(P.stranger, '赵', { decisionDate: '2026-09-19' }))).toEqual(['decisionDate']);
    expect(await refused(proposal(P.stranger, '赵', { gracePeriod: { unit: 'months', value: 1 } }))).toEqual(['gracePeriod']);
    expect(await refused(proposal(P.stranger, '赵', { listType: 'judgment-defaulters', gracePeriod: { unit: 'months', value: 4 } }), await officer('310000-court-1st-intermediate'))).toEqual(['gracePeriod']);
    expect(await refused({ ...proposal(P.stranger, '赵'), subject: { id: P.stranger, kind: 'person', name: '赵' } })).toEqual(['subject.email']);
  });

  it('makes one entry and one workflow for a proposal retried with the same Idempotency-Key', async () => {
    const samr = await officer('310000-samr');
    const body = proposal(P.stranger, '赵六');
    const first = await api.call('POST', '/v1/listings', { token: samr, body, headers: { 'idempotency-key': 'proposal-77' } });
    const again = await api.call('POST', '/v1/listings', { token: samr, body, headers: { 'idempotency-key': 'proposal-77' } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.entryId).toBe(first.body.entryId);
    expect((await api.call('POST', '/v1/listings', { token: samr, body: { ...body, facts: '另一事实' }, headers: { 'idempotency-key': 'proposal-77' } })).status).toBe(422);
    await sys.runner.whenIdle();
    expect(await api.outbox(`${P.stranger}@example.cn`)).toHaveLength(1);
    expect(await chainOf(first.body.entryId)).toHaveLength(1);
  });

  it('takes a representation with an Idempotency-Key, once; a second open one is 409; another subject gets 404', async () => {
    await advanceTo('2026-09-21T10:00:00+08:00');
    const token = await subject(P.upheld);
    const receipt = await uploadEvidence(api, token, samplePdf('bank receipt'), '回单.pdf', 'application/pdf');
    const body = { kind: 'representation', entryId: ids.upheld, grounds: '工资已于九月十日全部支付，附银行回单', evidence: [receipt] };
    const first = await api.call('POST', '/v1/cases', { token, body, headers: { 'idempotency-key': 'rep-1' } });
    expect(first.status).toBe(201);
    // Filed Monday 09-21, 5 working days: 22, 23, 24, then Mid-Autumn (25) and the weekend, then 28 and 29.
    expect(first.body).toMatchObject({ kind: 'representation', status: 'open', deadline: '2026-09-29', level: 'agency' });
    caseIds.upheld = first.body.caseId;
    const again = await api.call('POST', '/v1/cases', { token, body, headers: { 'idempotency-key': 'rep-1' } });
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(caseIds.upheld);
    expect((await api.call('POST', '/v1/cases', { token, body: { ...body, grounds: 'other' }, headers: { 'idempotency-key': 'rep-1' } })).status).toBe(422);
    expect((await api.call('POST', '/v1/cases', { token, body, headers: { 'idempotency-key': 'rep-2' } })).status).toBe(409);
    expect((await api.call('POST', '/v1/cases', { token: await subject(P.stranger), body, headers: { 'idempotency-key': 'rep-3' } })).status).toBe(404);

    const escalated = await api.call('POST', '/v1/cases', { token: await subject(P.escalated), body: { kind: 'representation', entryId: ids.escalated, grounds: '处罚决定已被撤销' } });
    expect(escalated.status).toBe(201);
    caseIds.escalated = escalated.body.caseId;
    await sys.runner.whenIdle();
    expect((await entry(ids.upheld)).openCases).toEqual([caseIds.upheld]);
    const ack = (await api.outbox(`${P.upheld}@example.cn`)).at(-1)!;
    expect(ack).toMatchObject({ caseId: caseIds.upheld });
    expect(ack.text).toContain(caseIds.upheld);
    expect(ack.text).toContain('2026年9月29日');
  });

  it('puts the representation in its agency queue only, soonest first; an upheld one withdraws the proposal for good', async () => {
    const samrReviewer = await reviewer('310000-samr');
    const queue = (await api.call('GET', '/v1/queues/agency', { token: samrReviewer })).body.cases;
    expect(queue.map((c: { caseId: string }) => c.caseId)).toEqual([caseIds.upheld]);
    expect(queue[0]).toMatchObject({ deadline: '2026-09-29', workingDaysLeft: 5, overdue: false, entry: { entryId: ids.upheld, status: 'proposed' } });
    const zjQueue = (await api.call('GET', '/v1/queues/agency', { token: await reviewer('330000-zjamr') })).body.cases;
    expect(zjQueue.map((c: { caseId: string }) => c.caseId)).toEqual([caseIds.escalated]);
    // The wrong agency and a province the case has not reached see nothing.
    for (const token of [await reviewer('310000-pudong-samr'), await provincial('310000')]) {
      expect((await api.call('GET', `/v1/cases/${caseIds.upheld}`, { token })).status).toBe(404);
      expect((await api.call('POST', `/v1/cases/${caseIds.upheld}/decision`, { token, body: { outcome: 'upheld', reasons: 'x' } })).status).toBe(404);
    }

    expect((await api.call('POST', `/v1/cases/${caseIds.upheld}/claim`, { token: samrReviewer })).body.assignedTo).toBeDefined();
    const colleague = await as({ role: 'agency-reviewer', agencyId: '310000-samr', name: '李四' });
    expect((await api.call('POST', `/v1/cases/${caseIds.upheld}/claim`, { token: colleague })).status).toBe(409);
    expect((await api.call('POST', `/v1/cases/${caseIds.upheld}/decision`, { token: colleague, body: { outcome: 'rejected', reasons: 'not mine' } })).status).toBe(409);
    const decided = await api.call('POST', `/v1/cases/${caseIds.upheld}/decision`, { token: samrReviewer, body: { outcome: 'upheld', reasons: '当事人已足额支付工资，证据充分' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'decided', decision: { outcome: 'upheld', level: 'agency' } });
    expect((await api.call('POST', `/v1/cases/${caseIds.upheld}/decision`, { token: samrReviewer, body: { outcome: 'rejected', reasons: 'again' } })).status).toBe(409);
    await sys.runner.whenIdle();

    expect(await entry(ids.upheld)).toMatchObject({ status: 'withdrawn', openCases: [] });
    const notice = (await api.outbox(`${P.upheld}@example.cn`)).at(-1)!;
    expect(notice.text).toContain('当事人已足额支付工资');
    expect(notice.text).toContain('The proposal is withdrawn');
    expect((await api.call('GET', '/v1/queues/agency', { token: samrReviewer })).body.cases).toEqual([]);
  });

  it('escalates an undecided representation to the province only once the agency deadline has passed', async () => {
    await advanceTo('2026-09-29T23:00:00+08:00');
    const token = await provincial('330000');
    expect((await api.call('GET', `/v1/cases/${caseIds.escalated}`, { token })).status).toBe(404);

    await advanceTo('2026-09-30T00:00:01+08:00');
    const zj = await provincial('330000');
    const seen = await api.call('GET', `/v1/cases/${caseIds.escalated}`, { token: zj });
    expect(seen.status).toBe(200);
    // 15 calendar days from the agency's deadline (09-29) end on 10-14, a Wednesday after the National Day week.
    expect(seen.body).toMatchObject({ status: 'escalated', level: 'province', deadline: '2026-10-14' });
    expect((await api.call('GET', '/v1/queues/provincial', { token: zj })).body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([caseIds.escalated]);
    expect((await api.call('GET', '/v1/queues/provincial', { token: await provincial('310000') })).body.cases).toEqual([]);
    expect((await api.call('GET', `/v1/entries/${ids.escalated}`, { token: zj })).status).toBe(200);
    expect((await api.call('GET', `/v1/entries/${ids.listed}`, { token: zj })).status).toBe(404);
    // The agency can no longer decide.
    expect((await api.call('POST', `/v1/cases/${caseIds.escalated}/decision`, { token: await reviewer('330000-zjamr'), body: { outcome: 'upheld', reasons: 'late' } })).status).toBe(409);
    expect((await api.outbox(`${P.escalated}@example.cn`)).at(-1)!.text).toContain('省级复核');
  });

  it('keeps the entry proposed through the last day of the window and lists it at 24:00, masked in the public search', async () => {
    // A Monday-to-Friday count would have closed the window on 2026-10-02, inside the National Day week.
    await advanceTo('2026-10-09T23:59:00+08:00');
    expect((await entry(ids.listed)).status).toBe('proposed');
    expect(await search('王一')).toEqual([]);

    await advanceTo('2026-10-10T00:00:01+08:00');
    const listed = await entry(ids.listed);
    // At most 3 years from the decision date: 2029-09-01 is a Saturday, so the period runs to Monday 09-03, 24:00.
    expect(listed).toMatchObject({ status: 'listed', expiresAt: '2029-09-04T00:00:00.000+08:00', earliestRepairDate: '2027-09-02' });
    const found = await search('王一');
    expect(found.map((e) => e.entryId)).toEqual([ids.listed]);
    expect(found[0]!.subject.id).toBe(`${P.listed.slice(0, 4)}${'*'.repeat(10)}${P.listed.slice(-4)}`);
    expect(JSON.stringify(await api.call('GET', '/v1/public/entries'))).not.toContain(P.listed);
    const notice = (await api.outbox(`${P.listed}@example.cn`)).at(-1)!;
    expect(notice.subject).toContain('You have been listed');
    expect(notice.text).toContain('2029年9月3日');
    expect(notice.text).toContain('2027年9月2日');
    expect(notice.text).toContain('异议');
    // Neither the withdrawn proposal nor the one held by a representation is published.
    expect(await search('王二')).toEqual([]);
    expect((await entry(ids.escalated)).status).toBe('proposed');
    expect((await entry(ids.defaulter)).status).toBe('proposed');
  });

  it('refuses a representation after the window with 422 naming the deadline that passed', async () => {
    const late = await api.call('POST', '/v1/cases', { token: await subject(P.listed), body: { kind: 'representation', entryId: ids.listed, grounds: '迟到的申辩' } });
    expect(late.status).toBe(422);
    expect(late.body.detail).toContain('2026-10-09');
    expect(late.body.deadline).toBe('2026-10-09');
  });

  it('lists at once when the province rejects the representation that held it', async () => {
    const decided = await api.call('POST', `/v1/cases/${caseIds.escalated}/decision`, { token: await provincial('330000'), body: { outcome: 'rejected', reasons: '撤销决定尚未生效' } });
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({ outcome: 'rejected', level: 'province' });
    await sys.runner.whenIdle();
    expect(await entry(ids.escalated)).toMatchObject({ status: 'listed', expiresAt: '2027-09-02T00:00:00.000+08:00' });
    expect((await search('王三')).map((e) => e.entryId)).toEqual([ids.escalated]);
    // By the whole identifier, never by a fragment of it; pages follow the cursor.
    expect((await search(P.escalated)).map((e) => e.entryId)).toEqual([ids.escalated]);
    expect(await search(P.escalated.slice(0, 10))).toEqual([]);
    const first = (await api.call('GET', `/v1/public/entries?q=${encodeURIComponent('王')}&limit=1`)).body;
    expect(first.entries).toHaveLength(1);
    const second = (await api.call('GET', `/v1/public/entries?q=${encodeURIComponent('王')}&limit=1&cursor=${first.nextCursor}`)).body;
    expect([...first.entries, ...second.entries].map((e: { entryId: string }) => e.entryId).sort()).toEqual([ids.listed, ids.escalated].sort());
    // A cursor of one search handed to another is refused, not a 500.
    expect((await api.call('GET', `/v1/public/entries?cursor=${first.nextCursor}&q=${P.escalated}`)).status).toBe(400);
    const texts = (await api.outbox(`${P.escalated}@example.cn`)).map((m) => m.text);
    expect(texts.some((t) => t.includes('撤销决定尚未生效') && t.includes('The listing proceeds'))).toBe(true);
  });

  it('publishes a judgment defaulter only after the grace period, and an extension keeps it listed past the old date', async () => {
    await advanceTo('2026-10-19T23:00:00+08:00');
    expect((await entry(ids.defaulter)).status).toBe('proposed');
    await advanceTo('2026-10-20T00:00:01+08:00');
    // 2 years from 2026-09-01: Friday 2028-09-01, 24:00.
    expect(await entry(ids.defaulter)).toMatchObject({ status: 'listed', expiresAt: '2028-09-02T00:00:00.000+08:00' });

    const court = await officer('310000-court-1st-intermediate');
    const path = `/v1/entries/${ids.defaulter}/extension`;
    expect((await api.call('POST', path, { token: await officer('310000-samr'), body: { extension: { unit: 'years', value: 1 }, reason: 'x' } })).status).toBe(404);
    const tooLong = await api.call('POST', path, { token: court, body: { extension: { unit: 'years', value: 4 }, reason: '仍未履行' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { path: string }) => e.path)).toEqual(['extension.value']);
    expect((await api.call('POST', `/v1/entries/${ids.listed}/extension`, { token: await officer('310000-samr'), body: { extension: { unit: 'years', value: 1 }, reason: 'x' } })).status).toBe(422);

    await advanceTo('2027-09-02T00:00:01+08:00');
    // The penalty listed on 2026-10-10 ran 1 year from its decision date, to Wednesday 2027-09-01, 24:00.
    expect(await entry(ids.escalated)).toMatchObject({ status: 'delisted', delistReason: 'expired' });
    expect(await search('王三')).toEqual([]);

    await advanceTo('2028-08-01T10:00:00+08:00');
    const extended = await api.call('POST', path, { token: await officer('310000-court-1st-intermediate'), body: { extension: { unit: 'years', value: 1 }, reason: '被执行人仍未履行生效法律文书确定的义务' } });
    expect(extended.status).toBe(200);
    // 3 years from 2026-09-01: Saturday 2029-09-01, so Monday 09-03, 24:00.
    expect(extended.body.expiresAt).toBe('2029-09-04T00:00:00.000+08:00');

    await advanceTo('2028-09-02T00:00:01+08:00');
    expect((await entry(ids.defaulter)).status).toBe('listed');
    expect((await search('王四')).map((e) => e.entryId)).toEqual([ids.defaulter]);
  });

  it('delists at expiry: gone from the search at once, the subject told, entry.delisted recorded, the trail intact', async () => {
    await advanceTo('2029-09-03T23:00:00+08:00');
    expect((await entry(ids.listed)).status).toBe('listed');
    await advanceTo('2029-09-04T00:00:01+08:00');
    for (const id of [ids.listed, ids.defaulter]) {
      expect(await entry(id)).toMatchObject({ status: 'delisted', delistReason: 'expired', delistedAt: expect.any(String) });
    }
    expect(await search('王一')).toEqual([]);
    expect(await search('王四')).toEqual([]);
    expect((await api.outbox(`${P.listed}@example.cn`)).at(-1)!.subject).toContain('Removed from the');

    expect(await auditTypes(ids.listed)).toEqual(['ListingProposed', 'NoticeSent', 'NoticeSent', 'EntryListed', 'NoticeSent', 'NoticeSent', 'EntryDelisted', 'NoticeSent', 'NoticeSent']);
    // Recorded for partners in the same write as the delisting; a withdrawn proposal never concerned them.
    const partnerEvents = await sys.deps.entries.partnerEvents(ids.listed);
    expect(partnerEvents.map((e) => e.type)).toEqual(['entry.listed', 'entry.delisted']);
    // Its id is the delisting's place in the trail, wherever the reads recorded before it put it.
    const delisting = (await auditEvents(ids.listed)).find((e) => e.type === 'EntryDelisted')!;
    expect(partnerEvents[1]).toMatchObject({ entryId: ids.listed, subjectId: P.listed, listType: 'serious-dishonesty', eventId: `${ids.listed}:${delisting.seq}` });
    expect(await sys.deps.entries.partnerEvents(ids.upheld)).toEqual([]);
    const auditor = await as({ role: 'auditor' });
    for (const id of Object.values(ids)) {
      expect((await api.call('GET', `/v1/entries/${id}/audit/verify`, { token: auditor })).body.ok).toBe(true);
    }
    // What one listing costs on Step Functions, proposal to expiry: three years in four executions of at most 330 days.
    const chain = await chainOf(ids.listed);
    expect(chain.map((r) => [r.status, r.transitions])).toEqual([['SUCCEEDED', 10], ['SUCCEEDED', 8], ['SUCCEEDED', 8], ['SUCCEEDED', 7]]);
    expect((await chainOf(ids.upheld)).map((r) => [r.status, r.transitions])).toEqual([['SUCCEEDED', 6]]);
    // A review decided by the agency at once: OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(await sys.runner.describeExecution(executionArn('caseReview', caseIds.upheld))).toMatchObject({ status: 'SUCCEEDED', transitions: 7 });
    // One escalated first: rounds of AwaitDecision, ReviewTimer, Next step? for the agency's last-day reminder (where
    // 80% of its 5 working days also falls), its deadline and the province's decision, then CloseReview and Closed.
    expect(await sys.runner.describeExecution(executionArn('caseReview', caseIds.escalated))).toMatchObject({ status: 'SUCCEEDED', transitions: 13 });
  });
});
