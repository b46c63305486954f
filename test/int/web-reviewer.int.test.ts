import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePdf, samplePng } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { personId } from '../support/identities.js';
import { PageClient } from '../support/page-client.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The reviewers' pages on the real local system, driven like a browser with
 * no JavaScript: cookies, forms posted urlencoded with the CSRF token, every
 * redirect looked at. Entries of the Shanghai market regulator are proposed
 * on Monday 2026-08-17 and listed at 24:00 on 08-31 (10 working days); the
 * cases are filed on Tuesday 09-01, due on 09-08 (09-02, 03, 04, 07, 08).
 *   a1: subject A, serious dishonesty, objection with a PNG and a PDF: claimed, released, asked, decided;
 *   a2: subject A, general penalty, correction of the name: extended by 2 working days to 09-10;
 *   c:  subject C, serious dishonesty, objection: left alone, escalated at 24:00 on 09-08.
 */

const START = '2026-08-17T10:00:00+08:00';
const SAMR = '310000-samr';
const A = personId(70);
const C = personId(71);
const at = (shanghai: string) => `${shanghai}+08:00`;
const GROUNDS = '罚款已于八月二十日缴清，附缴款凭证';

describe('the reviewers\' pages on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let reviewer: PageClient;
  const entries = {} as Record<'a1' | 'a2' | 'c', string>;
  const cases = {} as Record<'a1' | 'a2' | 'c', string>;
  const files = {} as Record<'png' | 'pdf', { name: string; contentType: string; sha256: string }>;
  const png = samplePng([20, 120, 40]);

  const as = (request: TokenRequest) => api.token(request);
  const reviewerToken = () => as({ role: 'agency-reviewer', agencyId: SAMR, name: '张审' });
  const caseOf = async (id: string) => (await api.call('GET', `/v1/cases/${id}`, { token: await as({ role: 'auditor' }) })).body;
  const queue = async (query: string) => (await api.call('GET', `/v1/queues/agency?${query}`, { token: await reviewerToken() }));
  const ids = (res: { body: { cases: Array<{ caseId: string }> } }) => res.body.cases.map((x) => x.caseId).sort();

  beforeAll(async () => {
    data = await tempDataDir('web-reviewer-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const officer = await as({ role: 'agency-officer', agencyId: SAMR });
    const propose = async (subjectId: string, name: string, listType: string, ref: string) => {
      const res = await api.call('POST', '/v1/listings', {
        token: officer,
        body: { subject: { id: subjectId, kind: 'person', name, email: `${ref}@example.cn` }, listType, facts: '拒不履行行政处罚决定，罚款未缴纳', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2026〕${ref}号`, decisionDate: '2026-08-10' },
      });
      expect(res.status).toBe(201);
      return res.body.entryId as string;
    };
    entries.a1 = await propose(A, '周甲', 'serious-dishonesty', '301');
    entries.a2 = await propose(A, '周甲', 'penalty-general', '302');
    entries.c = await propose(C, '吴丙', 'serious-dishonesty', '303');
    await api.advanceTo(at('2026-09-01T09:00:00'));

    const subjectA = await as({ role: 'subject', subjectId: A });
    files.png = await uploadEvidence(api, subjectA, png, '缴款回单 (照片).png', 'image/png');
    files.pdf = await uploadEvidence(api, subjectA, samplePdf('receipt'), '缴款凭证.pdf', 'application/pdf');
    const file = async (token: string, body: Record<string, unknown>) => {
      const res = await api.call('POST', '/v1/cases', { token, body });
      expect(res.status).toBe(201);
      return res.body.caseId as string;
    };
    cases.a1 = await file(subjectA, { kind: 'objection', entryId: entries.a1, grounds: GROUNDS, evidence: [files.png, files.pdf] });
    cases.a2 = await file(subjectA, { kind: 'correction', entryId: entries.a2, grounds: '姓名记载有误', requestedCorrection: { field: 'subject.name', value: '周佳' } });
    cases.c = await file(await as({ role: 'subject', subjectId: C }), { kind: 'objection', entryId: entries.c, grounds: '并非本人' });
    await sys.runner.whenIdle();
    reviewer = await PageClient.signedIn(sys.url, await reviewerToken());
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('lists the filed cases in the queue with their badges, in a table that stacks on a phone', async () => {
    const { status, html } = await reviewer.page('/queue');
    expect(status).toBe(200);
    for (const id of Object.values(cases)) expect(html).toContain(`href="/cases/${id}"`);
    expect(html.match(/剩余 5 个工作日/g)).toHaveLength(3);
    expect(html).not.toContain('已逾期');
    expect(html).toContain('<table class="stack">');
    expect(html).toMatch(/<td data-label="办理期限">2026年9月8日/);
  });

  it('filters the queue by kind and list type, on the page and in the JSON API, paging through the filter', async () => {
    const objections = await reviewer.page('/queue?kind=objection');
    expect(objections.html).toContain(cases.a1);
    expect(objections.html).toContain(cases.c);
    expect(objections.html).not.toContain(cases.a2);
    const penalties = await reviewer.page('/queue?listType=penalty-general');
    expect(penalties.html).toContain(cases.a2);
    expect(penalties.html).not.toContain(cases.a1);
    // The filter form keeps what was chosen.
    expect(penalties.html).toMatch(/<option value="penalty-general" selected/);

    expect(ids(await queue('kind=objection'))).toEqual([cases.a1, cases.c].sort());
    expect(ids(await queue('listType=penalty-general'))).toEqual([cases.a2]);
    expect(ids(await queue('kind=correction&listType=serious-dishonesty'))).toEqual([]);
    const first = await queue('kind=objection&limit=1');
    expect([first.body.cases.length, typeof first.body.nextCursor]).toEqual([1, 'string']);
    const second = await queue(`kind=objection&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeUndefined();
    expect([...ids(first), ...ids(second)].sort()).toEqual([cases.a1, cases.c].sort());

    const refused = await queue('kind=complaint');
    expect([refused.status, refused.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ['query.kind']]);
    const refusedPage = await reviewer.page('/queue?kind=complaint');
    expect(refusedPage.status).toBe(400);
    expect(refusedPage.html).toContain('id="queue-kind-error"');
  });

  it('shows the workbench: the grounds, the entry, the evidence in the page and the subject\'s other cases', async () => {
    const res = await reviewer.get(`/cases/${cases.a1}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-src 'self'.*frame-ancestors 'none'/);
    const html = await res.text();
    for (const part of [GROUNDS, '拒不履行行政处罚决定，罚款未缴纳', '沪市监处〔2026〕301号', '限制参加政府采购']) expect(html).toContain(part);
    expect(html).toContain(`<img src="/evidence/${cases.a1}/${files.png.sha256}?disposition=inline" alt="证据材料：${files.png.name}"`);
    expect(html).toContain(`<iframe src="/evidence/${cases.a1}/${files.pdf.sha256}?disposition=inline" title="证据材料：${files.pdf.name}"`);
    // Subject A's correction on the other entry is among the related cases.
    expect(html).toContain(`href="/cases/${cases.a2}"`);
    expect(html).not.toContain(cases.c);
    expect(html).toContain(`action="/cases/${cases.a1}/claim"`);
    expect(html).not.toContain(`action="/cases/${cases.a1}/release"`);

    const related = await api.call('GET', `/v1/cases/${cases.a1}/related`, { token: await reviewerToken() });
    expect(related.body.cases.map((x: { caseId: string }) => x.caseId)).toEqual([cases.a2]);
  });

  it('serves the evidence bytes typed by what they are, as an attachment unless asked inline, then sandboxed', async () => {
    const name = `UTF-8''${encodeURIComponent(files.png.name).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
    const download = await reviewer.get(`/evidence/${cases.a1}/${files.png.sha256}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename*=${name}`);
    expect(download.headers.get('content-security-policy')).not.toContain('sandbox');

    const inline = await reviewer.get(`/evidence/${cases.a1}/${files.png.sha256}?disposition=inline`);
    expect(inline.headers.get('content-disposition')).toBe(`inline; filename*=${name}`);
    expect(inline.headers.get('x-content-type-options')).toBe('nosniff');
    expect(inline.headers.get('content-security-policy')).toMatch(/^sandbox;.*frame-ancestors 'self'/);

    const pdf = await fetch(`${sys.url}/v1/cases/${cases.a1}/evidence/${files.pdf.sha256}?disposition=inline`, { headers: { authorization: `Bearer ${await reviewerToken()}` } });
    expect([pdf.status, pdf.headers.get('content-type'), pdf.headers.get('content-security-policy')?.startsWith('sandbox')]).toEqual([200, 'application/pdf', true]);
    const own = await fetch(`${sys.url}/v1/cases/${cases.a1}/evidence/${files.pdf.sha256}`, { headers: { authorization: `Bearer ${await as({ role: 'subject', subjectId: A })}` } });
    expect([own.status, own.headers.get('content-disposition')]).toEqual([200, `attachment; filename*=UTF-8''${encodeURIComponent(files.pdf.name)}`]);
    // Only files the case names: A's own photo is no evidence of the correction case.
    expect((await api.call('GET', `/v1/cases/${cases.a2}/evidence/${files.png.sha256}`, { token: await reviewerToken() })).status).toBe(404);
  });

  it('claims, releases, asks for information and decides through the forms, with no script: 303 each time, the case changed', async () => {
    const back = `/cases/${cases.a1}`;
    const claimed = await reviewer.post(`${back}/claim`, {});
    expect([claimed.status, claimed.headers.get('location')]).toEqual([303, `${back}?done=claimed`]);
    expect(await caseOf(cases.a1)).toMatchObject({ status: 'in-review', assignedTo: expect.stringContaining('张审') });
    const after = await reviewer.page(`${back}?done=claimed`);
    expect(after.html).toContain('已认领本案');
    expect(after.html).toContain(`action="${back}/release"`);
    expect((await reviewer.page('/queue')).html).toContain('由您认领');

    const released = await reviewer.post(`${back}/release`, {});
    expect([released.status, released.headers.get('location')]).toEqual([303, `${back}?done=released`]);
    expect((await caseOf(cases.a1)).assignedTo).toBeUndefined();

    const asked = await reviewer.post(`${back}/request-info`, { questions: '缴款凭证原件\r\n\r\n  身份证复印件  ' });
    expect([asked.status, asked.headers.get('location')]).toEqual([303, `${back}?done=info-requested`]);
    expect(await caseOf(cases.a1)).toMatchObject({ status: 'awaiting-info', paused: true, infoRequest: { questions: ['缴款凭证原件', '身份证复印件'] } });
    expect((await reviewer.page('/queue')).html).toContain('计时暂停');

    // A decision without reasons is refused beside the field, with what was chosen kept.
    const refused = await reviewer.post(`${back}/decision`, { outcome: 'upheld', reasons: '   ' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/<p class="error" id="decide-reasons-error">[^<]+<\/p>\s*<textarea id="decide-reasons" name="reasons"[^>]*aria-invalid="true"/);
    expect(html).not.toContain('id="decide-outcome-error"');
    expect(html).toMatch(/<option value="upheld" selected/);
    expect((await caseOf(cases.a1)).status).toBe('awaiting-info');

    const decided = await reviewer.post(`${back}/decision`, { outcome: 'upheld', reasons: '缴款凭证真实，罚款已缴清', 'correction.field': '', 'correction.value': '' });
    expect([decided.status, decided.headers.get('location')]).toEqual([303, `${back}?done=decided`]);
    expect((await caseOf(cases.a1)).decision).toMatchObject({ outcome: 'upheld', reasons: '缴款凭证真实，罚款已缴清' });
    expect((await api.call('GET', `/v1/entries/${entries.a1}`, { token: await reviewerToken() })).body).toMatchObject({ status: 'delisted', delistReason: 'objection-upheld' });
    const done = await reviewer.page(back);
    expect(done.html).toContain('缴款凭证真实，罚款已缴清');
    expect(done.html).not.toContain(`action="${back}/decision"`);
  });

  it('refuses bad fields beside them (no questions, no working days), then extends the correction by 2 working days', async () => {
    const noQuestions = await reviewer.post(`/cases/${cases.c}/request-info`, { questions: '\n' });
    expect(noQuestions.status).toBe(400);
    expect(await noQuestions.text()).toContain('id="request-info-questions-error"');
    const noDays = await reviewer.post(`/cases/${cases.a2}/extend`, { workingDays: '', reason: '需向公安机关核实姓名' });
    expect(noDays.status).toBe(400);
    expect(await noDays.text()).toContain('id="extend-workingDays-error"');
    const extended = await reviewer.post(`/cases/${cases.a2}/extend`, { workingDays: '2', reason: '需向公安机关核实姓名' });
    expect([extended.status, extended.headers.get('location')]).toEqual([303, `/cases/${cases.a2}?done=extended`]);
    expect(await caseOf(cases.a2)).toMatchObject({ deadline: '2026-09-10', extension: { workingDays: 2, previousDeadline: '2026-09-08' } });
    expect((await caseOf(cases.c)).infoRequest).toBeUndefined();
  });

  it('documents the new routes and the queue filter in the OpenAPI document', async () => {
    const { paths } = (await api.call('GET', '/openapi.json')).body;
    expect(paths['/v1/cases/{caseId}/related'].get['x-roles']).toEqual(['agency-reviewer', 'provincial-reviewer', 'auditor']);
    expect(paths['/v1/cases/{caseId}/evidence/{sha256}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['caseId', 'sha256', 'disposition']);
    for (const queue of ['/v1/queues/agency', '/v1/queues/provincial']) {
      expect(paths[queue].get.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'cursor', 'kind', 'listType']);
    }
  });

  it('refuses a form without the CSRF token with 403, and changes nothing', async () => {
    const forged = await reviewer.post(`/cases/${cases.c}/claim`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    expect((await caseOf(cases.c)).assignedTo).toBeUndefined();
  });

  it('keeps the API\'s scope: another agency and a subject see nothing of the queue, the workbench or the files', async () => {
    const pudong = await PageClient.signedIn(sys.url, await as({ role: 'agency-reviewer', agencyId: '310000-pudong-samr', name: '王审' }));
    expect((await pudong.page(`/cases/${cases.a1}`)).status).toBe(404);
    expect((await pudong.get(`/evidence/${cases.a1}/${files.png.sha256}`)).status).toBe(404);
    expect((await pudong.page('/queue')).html).not.toContain(cases.c);
    expect((await pudong.post(`/cases/${cases.c}/claim`, {})).status).toBe(404);
    expect((await api.call('GET', `/v1/cases/${cases.a1}/evidence/${files.png.sha256}`, { token: await as({ role: 'agency-reviewer', agencyId: '310000-pudong-samr' }) })).status).toBe(404);
    // Auditors and the agency's officers read the workbench, with no forms.
    // (The subject's cases on other entries are the reviewers' and auditors' to see.)
    for (const [token, related] of [[await as({ role: 'auditor' }), true], [await as({ role: 'agency-officer', agencyId: SAMR }), false]] as const) {
      const readOnly = await (await PageClient.signedIn(sys.url, token)).page(`/cases/${cases.a1}`);
      expect(readOnly.status).toBe(200);
      expect(readOnly.html).toContain(GROUNDS);
      expect(readOnly.html.includes(`href="/cases/${cases.a2}"`)).toBe(related);
      expect(readOnly.html).not.toContain('<form method="post" action="/cases/');
    }
    const subject = await PageClient.signedIn(sys.url, await as({ role: 'subject', subjectId: C }));
    expect((await subject.page('/queue')).status).toBe(403);
    expect((await subject.get(`/evidence/${cases.a1}/${files.png.sha256}`)).status).toBe(404);
  });

  it('shows an escalated case in its province\'s queue, marked, and to no other province', async () => {
    await api.advanceTo(at('2026-09-09T09:00:00'));
    await sys.runner.whenIdle();
    expect(await caseOf(cases.c)).toMatchObject({ status: 'escalated', level: 'province' });
    const shanghai = await PageClient.signedIn(sys.url, await as({ role: 'provincial-reviewer', provinceCode: '310000', name: '省审' }));
    const q = await shanghai.page('/queue');
    expect(q.html).toContain('省级复核队列');
    expect(q.html).toContain(`href="/cases/${cases.c}"`);
    expect(q.html).toContain('已提交省级');
    expect(q.html).not.toContain(cases.a2);
    const workbench = await shanghai.page(`/cases/${cases.c}`);
    expect(workbench.status).toBe(200);
    expect(workbench.html).toContain(`action="/cases/${cases.c}/decision"`);
    expect(workbench.html).not.toContain(`action="/cases/${cases.c}/extend"`);
    // The agency has lost it: still readable there, but no forms.
    expect((await reviewer.page(`/cases/${cases.c}`)).html).not.toContain(`action="/cases/${cases.c}/claim"`);
    const zhejiang = await PageClient.signedIn(sys.url, await as({ role: 'provincial-reviewer', provinceCode: '330000', name: '浙审' }));
    expect((await zhejiang.page(`/cases/${cases.c}`)).status).toBe(404);
    expect((await zhejiang.page('/queue')).html).not.toContain(cases.c);
  });
});
