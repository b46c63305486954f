import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient } from '../support/api-client.js';
import { samplePng } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { personId } from '../support/identities.js';
import { PageClient } from '../support/page-client.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The listed party's pages on the real local system, as a browser without
 * JavaScript uses them. An entry of the Shanghai market regulator is proposed
 * on Monday 2026-08-17, listed at 24:00 on 08-31 (10 working days) and published
 * until 2029-08-10, three years from the decision of 2026-08-10.
 */
const SAMR = '310000-samr';
const A = personId(80);
const OTHER = personId(81);

describe('the listed party\'s pages on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let party: PageClient;
  let entryId: string;

  beforeAll(async () => {
    data = await tempDataDir('web-subject-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date('2026-08-17T10:00:00+08:00'), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    const res = await api.call('POST', '/v1/listings', {
      token: officer,
      body: { subject: { id: A, kind: 'person', name: '<script>alert(1)</script>周甲', email: 'a@example.cn' }, listType: 'serious-dishonesty', facts: '拒不履行 <img src=x onerror=alert(1)>', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2026〕401号', decisionDate: '2026-08-10' },
    });
    expect(res.status).toBe(201);
    entryId = res.body.entryId;
    await api.advanceTo('2026-09-01T09:00:00+08:00');
    party = await PageClient.signedIn(sys.url, await api.token({ role: 'subject', subjectId: A, name: '周甲' }));
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('shows the entry with its dates in Beijing days, the names inert, and the actions open now or from when', async () => {
    const { status, html } = await party.page(`/entries/${entryId}`);
    expect(status).toBe(200);
    expect(html).toContain('2026年9月1日'); // listed at 00:00 on 09-01 Beijing time (16:00 UTC on 08-31)
    expect(html).toContain('2029年8月10日'); // the last day published, not the midnight after it
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;周甲');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('id="file-objection"');
    expect(html).toMatch(/申请信用修复: 可于\d{4}年\d+月\d+日起办理/);
    const mine = await party.page('/me');
    expect(mine.html).toContain(`/entries/${entryId}#file-objection-panel`);
  });

  it('answers a malformed or someone else\'s id with a not-found page, never a server error', async () => {
    for (const path of ['/entries/xyz', '/cases/xyz', `/cases/..%2Fme%2Fentries`, '/entries/ent_00000000000000000000000000']) {
      const res = await party.page(path);
      expect(res.status, path).toBe(404);
      expect(res.html).toContain('未找到该页面');
    }
    expect((await party.post('/entries/xyz/cases', { kind: 'objection', grounds: 'x' })).status).toBe(404);
    const other = await PageClient.signedIn(sys.url, await api.token({ role: 'subject', subjectId: OTHER }));
    expect((await other.page(`/entries/${entryId}`)).status).toBe(404);
    expect((await other.post(`/entries/${entryId}/cases`, { kind: 'objection', grounds: '不是我的记录' })).status).toBe(404);
  });

  it('never redirects off the site after signing in', async () => {
    const token = await api.token({ role: 'subject', subjectId: A });
    for (const next of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/%09/evil.example', 'https://evil.example', '/\n/x']) {
      const res = await fetch(`${sys.url}/_local/login?token=${token}&next=${encodeURIComponent(next)}`, { redirect: 'manual' });
      expect(res.status, next).toBe(303);
      const location = new URL(res.headers.get('location')!, sys.url);
      expect(location.origin, next).toBe(sys.url);
    }
  });

  it('keeps uploaded files with a refused filing, and files them with the corrected one', async () => {
    const token = await api.token({ role: 'subject', subjectId: A });
    const file = await uploadEvidence(api, token, samplePng([1, 2, 3]), '凭证.png', 'image/png');
    const ref = JSON.stringify({ name: file.name, contentType: file.contentType, sha256: file.sha256 });
    const refused = await party.post(`/entries/${entryId}/cases`, { kind: 'objection', grounds: '', evidenceRef: ref, idempotencyKey: 'web-subject-1' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('不能为空');
    expect(html).toContain('凭证.png');
    const carried = html.match(/name="evidenceRef" value="([^"]+)"/)![1]!.replaceAll('&quot;', '"');
    expect(JSON.parse(carried)).toEqual(JSON.parse(ref));
    const filed = await party.post(`/entries/${entryId}/cases`, { kind: 'objection', grounds: '罚款已缴清', evidenceRef: carried, idempotencyKey: 'web-subject-1' });
    expect(filed.status).toBe(303);
    const caseId = filed.headers.get('location')!.match(/cas_[0-9A-Z]{26}/)![0];
    expect((await api.call('GET', `/v1/cases/${caseId}`, { token })).body.evidence).toEqual([JSON.parse(ref)]);
    // The same form again (a reload, a double click): the case the first one filed, not a second.
    const again = await party.post(`/entries/${entryId}/cases`, { kind: 'objection', grounds: '罚款已缴清', evidenceRef: carried, idempotencyKey: 'web-subject-1' });
    expect(again.headers.get('location')).toContain(caseId);
  });

  it('withdraws a case from its page, and refuses a form without its CSRF token', async () => {
    const token = await api.token({ role: 'subject', subjectId: A });
    const open = (await api.call('GET', `/v1/entries/${entryId}`, { token })).body.cases.find((x: { status: string }) => x.status === 'open');
    expect((await party.post(`/cases/${open.caseId}/withdraw`, {}, { csrf: false })).status).toBe(403);
    expect((await api.call('GET', `/v1/cases/${open.caseId}`, { token })).body.status).toBe('open');
    const done = await party.post(`/cases/${open.caseId}/withdraw`, {});
    expect(done.status).toBe(303);
    expect((await api.call('GET', `/v1/cases/${open.caseId}`, { token })).body.status).toBe('withdrawn');
  });
});
