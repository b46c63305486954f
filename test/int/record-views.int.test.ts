import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { samplePng } from '../support/evidence-samples.js';
import { uploadEvidence } from '../support/evidence-upload.js';
import { personId } from '../support/identities.js';
import { PageClient } from '../support/page-client.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Every official's read of a subject's full record is in the entry's trail:
 * who, when and what, once per viewer and part within ten minutes, and no
 * record is shown when its reading cannot be recorded. The entry is proposed
 * on Monday 2026-08-17, listed at 24:00 on 08-31; the objection is filed on 09-01.
 */

const START = '2026-08-17T10:00:00+08:00';
const SAMR = '310000-samr';
const SUBJECT = personId(95);
const MOBILE = '13912345095';
const EMAIL = 'reader-test@example.cn';
const at = (shanghai: string) => `${shanghai}+08:00`;

interface TrailEvent {
  seq: number;
  at: string;
  type: string;
  actor: { role: string; id: string };
  data: { by?: string; at?: string; what?: string; caseId?: string; sha256?: string };
}

describe('reads of a subject\'s record, in its audit trail', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let entryId = '';
  let caseId = '';
  let sha256 = '';

  const as = (request: TokenRequest) => api.token(request);
  const reviewer = () => as({ role: 'agency-reviewer', agencyId: SAMR, name: '李审' });
  const subject = () => as({ role: 'subject', subjectId: SUBJECT });
  /** The trail as read straight from the store, so reading it here records nothing. */
  const trail = async () => (await sys.deps.entries.auditTrail(entryId)) as unknown as TrailEvent[];
  const views = async () => (await trail()).filter((e) => e.type === 'RecordViewed');
  const read = async (path: string, token: string) => api.call('GET', path, { token });
  /** Moves the clock past the span of one record. */
  const pastTheSpan = async () => api.advanceTo(new Date(Date.parse((await api.call('GET', '/_local/clock')).body.now) + 10 * 60_000 + 1000).toISOString());

  beforeAll(async () => {
    data = await tempDataDir('record-views-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const proposed = await api.call('POST', '/v1/listings', {
      token: await as({ role: 'agency-officer', agencyId: SAMR }),
      body: { subject: { id: SUBJECT, kind: 'person', name: '孙读', email: EMAIL, mobile: MOBILE }, listType: 'serious-dishonesty', facts: '拒不履行行政处罚决定', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2026〕395号', decisionDate: '2026-08-10' },
    });
    expect(proposed.status).toBe(201);
    entryId = proposed.body.entryId;
    await api.advanceTo(at('2026-09-01T09:00:00'));
    const file = await uploadEvidence(api, await subject(), samplePng([9, 5, 95]), '回单.png', 'image/png');
    sha256 = file.sha256;
    const filed = await api.call('POST', '/v1/cases', { token: await subject(), body: { kind: 'objection', entryId, grounds: '已缴清罚款', evidence: [file] } });
    expect(filed.status).toBe(201);
    caseId = filed.body.caseId;
    await sys.runner.whenIdle();
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('records a reviewer\'s read of the entry, the case, a file and the trail, who and when, once within ten minutes', async () => {
    const before = (await trail()).length;
    const token = await reviewer();
    const now = (await api.call('GET', '/_local/clock')).body.now as string;
    expect((await read(`/v1/entries/${entryId}`, token)).status).toBe(200);
    expect((await read(`/v1/cases/${caseId}`, token)).status).toBe(200);
    // The subject's other cases are read as part of the case: no second record.
    expect((await read(`/v1/cases/${caseId}/related`, token)).status).toBe(200);
    expect((await fetch(`${sys.url}/v1/cases/${caseId}/evidence/${sha256}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const audit = await read(`/v1/entries/${entryId}/audit?limit=200`, token);
    expect(audit.status).toBe(200);
    // Again, as a page would: nothing more.
    for (const path of [`/v1/entries/${entryId}`, `/v1/cases/${caseId}`, `/v1/entries/${entryId}/audit`]) expect((await read(path, token)).status).toBe(200);

    const recorded = (await trail()).slice(before);
    expect(recorded.map((e) => e.type)).toEqual(['RecordViewed', 'RecordViewed', 'RecordViewed', 'RecordViewed']);
    expect(recorded.map((e) => e.data)).toEqual([
      { by: 'agency-reviewer:310000-samr:李审', at: expect.any(String), what: 'entry' },
      { by: 'agency-reviewer:310000-samr:李审', at: expect.any(String), what: 'case', caseId },
      { by: 'agency-reviewer:310000-samr:李审', at: expect.any(String), what: 'evidence', caseId, sha256 },
      { by: 'agency-reviewer:310000-samr:李审', at: expect.any(String), what: 'audit-trail' },
    ]);
    for (const e of recorded) {
      expect(e.actor).toEqual({ role: 'agency-reviewer', id: 'agency-reviewer:310000-samr:李审' });
      expect(e.at).toBe(e.data.at);
      expect(Date.parse(e.at) - Date.parse(now)).toBeLessThan(60_000);
    }
    // The trail answered includes the read of it, and the chain holds.
    expect((audit.body.events as TrailEvent[]).at(-1)).toMatchObject({ type: 'RecordViewed', data: { what: 'audit-trail' } });
    expect((await read(`/v1/entries/${entryId}/audit/verify`, token)).body).toMatchObject({ ok: true, length: before + 4 });
    // What is remembered to drop repeats is bookkeeping, not part of the entry shown.
    expect((await read(`/v1/entries/${entryId}`, token)).body).not.toHaveProperty('recentViews');
  });

  it('records the same read again after ten minutes, and the reads of auditors and agency officers', async () => {
    const before = (await views()).length;
    await pastTheSpan();
    expect((await read(`/v1/entries/${entryId}`, await reviewer())).status).toBe(200);
    expect((await read(`/v1/cases/${caseId}`, await as({ role: 'auditor' }))).status).toBe(200);
    expect((await read(`/v1/entries/${entryId}`, await as({ role: 'agency-officer', agencyId: SAMR }))).status).toBe(200);
    expect((await views()).slice(before).map((e) => `${e.actor.role} ${e.data.what}`)).toEqual(['agency-reviewer entry', 'auditor case', 'agency-officer entry']);
  });

  it('does not record the subject reading their own record, nor a read refused as out of scope', async () => {
    const before = (await trail()).length;
    for (const path of [`/v1/entries/${entryId}`, `/v1/cases/${caseId}`, `/v1/entries/${entryId}/audit`]) expect((await read(path, await subject())).status).toBe(200);
    expect((await fetch(`${sys.url}/v1/cases/${caseId}/evidence/${sha256}`, { headers: { authorization: `Bearer ${await subject()}` } })).status).toBe(200);
    const elsewhere = await as({ role: 'agency-reviewer', agencyId: '330000-zjamr' });
    for (const path of [`/v1/entries/${entryId}`, `/v1/cases/${caseId}`, `/v1/entries/${entryId}/audit`, `/v1/cases/${caseId}/related`]) expect((await read(path, elsewhere)).status).toBe(404);
    expect((await trail()).length).toBe(before);
  });

  it('records the workbench page\'s reads as the signed-in reviewer\'s', async () => {
    await pastTheSpan();
    const before = (await views()).length;
    const page = await PageClient.signedIn(sys.url, await reviewer());
    expect((await page.page(`/cases/${caseId}`)).status).toBe(200);
    expect((await page.get(`/evidence/${caseId}/${sha256}?disposition=inline`)).status).toBe(200);
    expect((await views()).slice(before).map((e) => `${e.data.by} ${e.data.what}`).sort()).toEqual([
      'agency-reviewer:310000-samr:李审 case',
      'agency-reviewer:310000-samr:李审 entry',
      'agency-reviewer:310000-samr:李审 evidence',
    ]);
  });

  it('withholds the record with 503 when its reading cannot be recorded, and says so in the log', async () => {
    await pastTheSpan();
    const before = (await trail()).length;
    const page = await PageClient.signedIn(sys.url, await reviewer());
    const logged: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const commit = vi.spyOn(sys.deps.entries, 'commit').mockRejectedValue(new Error('the audit table is unavailable'));
    try {
      for (const path of [`/v1/entries/${entryId}`, `/v1/cases/${caseId}`, `/v1/cases/${caseId}/evidence/${sha256}`, `/v1/cases/${caseId}/related`, `/v1/entries/${entryId}/audit`]) {
        const res = await fetch(sys.url + path, { headers: { authorization: `Bearer ${await reviewer()}` } });
        const text = await res.text();
        expect(res.status, path).toBe(503);
        expect(res.headers.get('content-type'), path).toContain('application/problem+json');
        expect(res.headers.get('retry-after'), path).toBe('2');
        for (const secret of [SUBJECT, '孙读', MOBILE, EMAIL, sha256.slice(0, 16)]) expect(text, path).not.toContain(secret);
      }
      // Nor do the pages built on those reads show anything.
      const workbench = await page.page(`/cases/${caseId}`);
      expect(workbench.status).toBe(503);
      for (const secret of [SUBJECT, '孙读', MOBILE, EMAIL, '已缴清罚款']) expect(workbench.html).not.toContain(secret);
      expect((await page.get(`/evidence/${caseId}/${sha256}?disposition=inline`)).status).toBe(503);
      // The subject's own reads are never recorded, so they do not depend on it.
      expect((await read(`/v1/entries/${entryId}`, await subject())).status).toBe(200);
    } finally {
      commit.mockRestore();
      stderr.mockRestore();
    }
    const failures = logged.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((line) => line.msg === 'read not recorded; the record was withheld');
    expect(failures.map((line) => line.what)).toEqual(['entry', 'case', 'evidence', 'case', 'audit-trail', 'case', 'evidence']);
    expect(failures[0]).toMatchObject({ level: 'error', entryId, role: 'agency-reviewer', error: { message: 'the audit table is unavailable' } });
    expect((await trail()).length).toBe(before);
    // Once it can be recorded again, the same read is answered and recorded.
    expect((await read(`/v1/entries/${entryId}`, await reviewer())).status).toBe(200);
    expect((await trail()).slice(before).map((e) => e.data.what)).toEqual(['entry']);
  });
});
