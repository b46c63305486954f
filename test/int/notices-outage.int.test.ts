import { mkdir, rename, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The mail service goes down while notices go out (issue 8). Every notice is
 * retried with back-off and sent once the service is back: none lost, none
 * sent twice, on either channel. Proposed on Monday 2026-08-17 10:00 with SES
 * down for two hours; listed at 24:00 on 08-31; an objection filed on 09-01
 * with SES down for a day.
 */
const SUBJECT = personId(960);
const EMAIL = 'outage@example.cn';
const MOBILE = '13900009600';
const at = (shanghai: string) => `${shanghai}+08:00`;

describe('notices when the mail service is down', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let entryId = '';

  const mail = async () => (await api.outbox(EMAIL)).map((m) => m.subject!);
  const sms = async () => (await api.outbox(MOBILE)).map((m) => m.text);

  beforeAll(async () => {
    data = await tempDataDir('notices-outage-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(at('2026-08-17T10:00:00')), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('serves the notice before listing once the mail service is back, two hours later, and the SMS only once', async () => {
    await sys.ses.stop();
    const officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    const proposed = await api.call('POST', '/v1/listings', { token: officer, body: { subject: { id: SUBJECT, kind: 'person', name: '停机', email: EMAIL, mobile: MOBILE }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2026〕960号', decisionDate: '2026-08-10' } });
    expect(proposed.status).toBe(201);
    entryId = proposed.body.entryId;
    await api.advanceTo(at('2026-08-17T12:00:00'));
    await sys.runner.whenIdle();
    expect(await mail()).toEqual([]);

    await sys.ses.start();
    await api.advanceTo(at('2026-08-17T14:00:00'));
    await sys.runner.whenIdle();
    expect((await mail()).filter((s) => s.includes('告知书'))).toHaveLength(1);
    expect(await sms()).toHaveLength(1);
  });

  it('lists the entry on time and tells the subject once', async () => {
    await api.advanceTo(at('2026-09-01T09:00:00'));
    await sys.runner.whenIdle();
    const auditor = await api.token({ role: 'auditor' });
    expect((await api.call('GET', `/v1/entries/${entryId}`, { token: auditor })).body.status).toBe('listed');
    expect((await mail()).filter((s) => s.startsWith('【列入'))).toHaveLength(1);
  });

  it('acknowledges an objection filed during a day-long outage once the service is back, once', async () => {
    await sys.ses.stop();
    const filed = await api.call('POST', '/v1/cases', { token: await api.token({ role: 'subject', subjectId: SUBJECT }), body: { kind: 'objection', entryId, grounds: '罚款已缴清' } });
    expect(filed.status).toBe(201);
    await api.advanceTo(at('2026-09-02T09:00:00'));
    await sys.runner.whenIdle();
    expect((await mail()).filter((s) => s.includes('受理回执'))).toHaveLength(0);
    await sys.ses.start();
    await api.advanceTo(at('2026-09-02T10:00:00'));
    await sys.runner.whenIdle();
    expect((await mail()).filter((s) => s.includes('受理回执'))).toHaveLength(1);
    const texts = await sms();
    expect(new Set(texts).size).toBe(texts.length);
    const all = await mail();
    expect(new Set(all).size).toBe(all.length);
  });

  it('sends the decision by email at once while the SMS gateway is down, and the SMS once it is back', async () => {
    // The SMS outbox cannot be written: a folder stands where its file was.
    const outbox = sys.services.smsOutbox!;
    await rename(outbox, `${outbox}.kept`);
    await mkdir(outbox);
    const caseId = (await api.call('GET', `/v1/entries/${entryId}`, { token: await api.token({ role: 'auditor' }) })).body.cases[0].caseId;
    const decided = await api.call('POST', `/v1/cases/${caseId}/decision`, { token: await api.token({ role: 'agency-reviewer', agencyId: '310000-samr' }), body: { outcome: 'rejected', reasons: '未提供缴款凭证' } });
    expect(decided.status).toBe(200);
    await api.advanceTo(at('2026-09-02T12:00:00'));
    await sys.runner.whenIdle();
    expect((await mail()).filter((s) => s.includes('决定'))).toHaveLength(1);
    const before = (await sms()).length;

    await rm(outbox, { recursive: true });
    await rename(`${outbox}.kept`, outbox);
    await api.advanceTo(at('2026-09-02T13:00:00'));
    await sys.runner.whenIdle();
    const texts = await sms();
    expect(texts).toHaveLength(before + 1);
    expect(new Set(texts).size).toBe(texts.length);
    expect((await mail()).filter((s) => s.includes('决定'))).toHaveLength(1);
  });
});

