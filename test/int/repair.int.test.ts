import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePdf } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { executionArn } from '../support/executions.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Credit repair on the real local system, over HTTP on the virtual clock.
 * Entries are proposed on Tuesday 2026-09-01 and listed at 24:00 on 09-15
 * (10 working days: 09-02..04, 07..11, 14, 15).
 */

const START = '2026-09-01T10:00:00+08:00';
const P = { approved: personId(60), rejected: personId(61), early: personId(62), minor: personId(63) };
type Who = keyof typeof P;
const at = (shanghai: string) => `${shanghai}+08:00`;

const proposal = (who: Who, over: Record<string, unknown> = {}) => ({
  subject: { id: P[who], kind: 'person', name: `${who}先生`, email: `${who}@example.cn` },
  listType: 'serious-dishonesty',
  facts: '拒不缴纳罚款人民币五万元',
  legalBasis: '《行政处罚法》第七十二条',
  measures: ['限制参加政府采购'],
  decisionRef: `沪市监处〔2025〕${300 + Object.keys(P).indexOf(who)}号`,
  // A year has passed since: repair may be applied for from 2026-06-02 (one year to Monday 06-01, then the next day).
  decisionDate: '2025-06-01',
  ...over,
});

describe('credit repair on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const entries = {} as Record<Who, string>;
  let approvedCase = '';
  let certificate = '';

  const as = (request: TokenRequest) => api.token(request);
  const subject = (who: Who) => as({ role: 'subject', subjectId: P[who] });
  const reviewer = () => as({ role: 'agency-reviewer', agencyId: '310000-samr', name: '修复审核' });
  const auditor = () => as({ role: 'auditor' });
  const entry = async (who: Who) => (await api.call('GET', `/v1/entries/${entries[who]}`, { token: await auditor() })).body;
  const apply = async (who: Who, body: Record<string, unknown> = {}) =>
    api.call('POST', '/v1/cases', { token: await subject(who), body: { kind: 'repair', entryId: entries[who], grounds: '罚款已于2026年9月10日全额缴纳', commitment: true, ...body } });
  const decide = async (caseId: string, body: Record<string, unknown>) => api.call('POST', `/v1/cases/${caseId}/decision`, { token: await reviewer(), body });
  const lastMail = async (who: Who) => (await api.outbox(`${who}@example.cn`)).filter((m) => m.channel === 'email').at(-1)!;

  beforeAll(async () => {
    data = await tempDataDir('repair-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const samr = await as({ role: 'agency-officer', agencyId: '310000-samr' });
    for (const who of ['approved', 'rejected'] as const) entries[who] = (await api.call('POST', '/v1/listings', { token: samr, body: proposal(who) })).body.entryId;
    entries.early = (await api.call('POST', '/v1/listings', { token: samr, body: proposal('early', { decisionDate: '2026-08-10' }) })).body.entryId;
    const minor = await api.call('POST', '/v1/listings', { token: await as({ role: 'agency-officer', agencyId: '310000-pudong-samr' }), body: proposal('minor', { listType: 'penalty-minor', decisionDate: '2026-08-20' }) });
    entries.minor = minor.body.entryId;
    await api.advanceTo(at('2026-09-16T10:00:00'));
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('refuses a repair before the earliest date with 422 naming the date and the rule', async () => {
    expect((await entry('early')).status).toBe('listed');
    const refused = await apply('early');
    expect(refused.status).toBe(422);
    // One year from Monday 2026-08-10 ends on Tuesday 2027-08-10; repair from the next day.
    expect(refused.body).toMatchObject({ earliestRepairDate: '2027-08-11' });
    expect(refused.body.detail).toContain('2027-08-11');
    expect(refused.body.rule).toContain('minimum publication period');
  });

  it('refuses a repair of an unpublished minor penalty, and an application without the credit commitment', async () => {
    expect((await apply('minor')).status).toBe(422);
    const uncommitted = await apply('approved', { commitment: false });
    expect(uncommitted.status).toBe(400);
    expect(uncommitted.body.errors.map((e: { path: string }) => e.path)).toEqual(['commitment']);
    const wrongKind = await api.call('POST', '/v1/cases', { token: await subject('approved'), body: { kind: 'objection', entryId: entries.approved, grounds: 'x', commitment: true } });
    expect(wrongKind.body.errors.map((e: { path: string }) => e.path)).toEqual(['commitment']);
  });

  it('approves a repair: the entry leaves the list and the public search at once, and the certificate can be checked by anyone', async () => {
    const receipt = await uploadEvidence(api, await subject('approved'), samplePdf('fine paid'), '缴款凭证.pdf', 'application/pdf');
    const filed = await apply('approved', { evidence: [receipt] });
    expect(filed.status).toBe(201);
    // 10 working days from Wednesday 09-16: 17, 18, make-up Sunday 20, 21..24, Mid-Autumn 25 off, 28, 29, 30.
    expect(filed.body).toMatchObject({ kind: 'repair', level: 'agency', deadline: '2026-09-30', commitment: { text: expect.stringContaining('承诺') } });
    approvedCase = filed.body.caseId;
    expect((await api.call('GET', `/v1/public/entries?q=${P.approved}`)).body.entries).toHaveLength(1);

    const objection = await api.call('POST', '/v1/cases', { token: await subject('approved'), body: { kind: 'objection', entryId: entries.approved, grounds: '罚款数额有误' } });
    expect(objection.status).toBe(201);
    await api.advanceTo(at('2026-09-17T10:00:00'));
    expect((await decide(approvedCase, { outcome: 'partially-upheld', reasons: '部分' })).body.errors.map((e: { path: string }) => e.path)).toEqual(['outcome']);
    const approved = await decide(approvedCase, { outcome: 'upheld', reasons: '罚款已缴纳，作出信用承诺' });
    expect(approved.status).toBe(200);
    certificate = approved.body.decision.certificate;
    expect(certificate).toMatch(/^RC-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await entry('approved')).toMatchObject({ status: 'delisted', delistReason: 'repaired', underObjection: false, openCases: [] });
    // The objection lost its object with the listing: closed, and its review ended.
    expect((await api.call('GET', `/v1/cases/${objection.body.caseId}`, { token: await auditor() })).body).toMatchObject({ status: 'closed', timeline: expect.arrayContaining([expect.objectContaining({ type: 'closed', detail: 'entry-delisted' })]) });
    await sys.runner.whenIdle();
    expect((await sys.runner.describeExecution(executionArn('caseReview', objection.body.caseId)))?.status).toBe('SUCCEEDED');
    expect((await api.call('GET', `/v1/public/entries?q=${P.approved}`)).body.entries).toEqual([]);
    expect((await sys.deps.entries.partnerEvents(entries.approved)).map((e) => e.type)).toEqual(['entry.listed', 'entry.delisted']);

    await sys.runner.whenIdle();
    const notice = (await lastMail('approved')).text;
    for (const part of ['信用修复申请已通过', certificate, `/verify/${certificate}`, 'Your credit repair is approved']) expect(notice).toContain(part);

    const checked = await api.call('GET', `/v1/certificates/${certificate}`);
    expect(checked.status).toBe(200);
    expect(checked.body).toEqual({
      code: certificate,
      valid: true,
      subject: { id: `${P.approved.slice(0, 4)}${'*'.repeat(10)}${P.approved.slice(-4)}`, kind: 'person', name: 'approved先生' },
      listType: 'serious-dishonesty',
      listTypeName: { zh: '严重失信主体名单', en: 'Seriously untrustworthy subjects list' },
      agency: { zh: '上海市市场监督管理局', en: 'Shanghai Administration for Market Regulation' },
      decisionRef: '沪市监处〔2025〕300号',
      repairedOn: '2026-09-17',
    });
    const page = await fetch(`${sys.url}/verify/${certificate}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('lang="zh-CN"');
    expect(text).toContain(certificate);
    expect(text).toContain('2026-09-17');
    expect(text).not.toContain(P.approved);
    expect((await fetch(`${sys.url}/verify/RC-0000-0000-0000`)).status).toBe(404);
    expect((await api.call('GET', '/v1/certificates/RC-0000-0000-0000')).status).toBe(404);
    expect((await api.call('GET', '/v1/certificates/not-a-code')).status).toBe(400);
  });

  it('rejects a repair with the reasons and what is still missing; the entry stays listed', async () => {
    const filed = await apply('rejected');
    expect(filed.status).toBe(201);
    const bare = await decide(filed.body.caseId, { outcome: 'rejected', reasons: '未见缴款凭证' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors.map((e: { path: string }) => e.path)).toEqual(['missing']);
    const rejected = await decide(filed.body.caseId, { outcome: 'rejected', reasons: '未见缴款凭证', missing: ['罚款缴纳凭证', '滞纳金缴纳凭证'] });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decision).toMatchObject({ outcome: 'rejected', missing: ['罚款缴纳凭证', '滞纳金缴纳凭证'] });
    expect(rejected.body.decision.certificate).toBeUndefined();
    await sys.runner.whenIdle();
    expect(await entry('rejected')).toMatchObject({ status: 'listed' });
    const notice = (await lastMail('rejected')).text;
    for (const part of ['未见缴款凭证', '1. 罚款缴纳凭证', '2. 滞纳金缴纳凭证', 'Still to put right', '复核']) expect(notice).toContain(part);
  });

  it('revokes a listing whose decision was revoked: off the list at once with the revoking reference, partners told', async () => {
    const body = { revokedBy: '(2026)沪01行终12号', note: '法院判决撤销原处罚决定' };
    const revoke = async (who: Who, agencyId = '310000-samr') => api.call('POST', `/v1/entries/${entries[who]}/revocation`, { token: await as({ role: 'agency-officer', agencyId }), body });
    expect((await revoke('rejected', '310000-pudong-samr')).status).toBe(404);
    expect((await api.call('POST', `/v1/entries/${entries.rejected}/revocation`, { token: await reviewer(), body })).status).toBe(403);
    expect((await api.call('POST', `/v1/entries/${entries.rejected}/revocation`, { token: await as({ role: 'agency-officer', agencyId: '310000-samr' }), body: { note: 'x' } })).body.errors.map((e: { path: string }) => e.path)).toEqual(['revokedBy']);
    const revoked = await revoke('rejected');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'delisted', delistReason: 'revoked', revokedBy: '(2026)沪01行终12号', underObjection: false });
    expect((await revoke('rejected')).status).toBe(200);
    expect((await revoke('approved')).status).toBe(409);
    expect((await api.call('GET', `/v1/public/entries?q=${P.rejected}`)).body.entries).toEqual([]);
    expect((await sys.deps.entries.partnerEvents(entries.rejected)).map((e) => e.type)).toEqual(['entry.listed', 'entry.delisted']);
    // The listing workflow was woken and ended, not left waiting for the old expiry.
    await sys.runner.whenIdle();
    expect((await sys.runner.describeExecution(executionArn('listingLifecycle', entries.rejected)))?.status).toBe('SUCCEEDED');
  });

  it('withdraws a proposal whose decision was revoked before publication: it is never listed', async () => {
    const officer = await as({ role: 'agency-officer', agencyId: '310000-samr' });
    const proposed = (await api.call('POST', '/v1/listings', { token: officer, body: proposal('early', { decisionRef: '沪市监处〔2026〕999号', decisionDate: '2026-09-01' }) })).body.entryId;
    const revoked = await api.call('POST', `/v1/entries/${proposed}/revocation`, { token: officer, body: { revokedBy: '沪府复字〔2026〕5号', note: '复议撤销原处罚决定' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'withdrawn', revokedBy: '沪府复字〔2026〕5号' });
    // Its window would have closed on 10-09; the listing does not go ahead.
    await api.advanceTo(at('2026-10-12T10:00:00'));
    expect((await api.call('GET', `/v1/entries/${proposed}`, { token: await auditor() })).body.status).toBe('withdrawn');
  });

  it('leaves a verifiable audit chain', async () => {
    for (const who of Object.keys(P) as Who[]) {
      expect((await api.call('GET', `/v1/entries/${entries[who]}/audit/verify`, { token: await auditor() })).body, who).toMatchObject({ ok: true });
    }
  });
});
