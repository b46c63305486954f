import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { npmStart, type RunningSystem } from '../support/local-process.js';
import { PartnerEndpoint } from '../support/partner-endpoint.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * kill -9 of `npm start` (the whole process group, no chance to clean up) while
 * a review deadline is pending and a partner delivery waits for its retry, then
 * a restart on the same DATA_DIR: the entry, the case, its deadline and the
 * delivery are all still there, and each fires exactly once. Proposed on
 * Monday 2026-08-17 and listed at 24:00 on 08-31; the objection of 09-01 is due
 * at 24:00 on 09-08 (09-02, 03, 04, 07, 08) and escalates to the province then.
 */
const SUBJECT = personId(950);
const EMAIL = 'hard-kill@example.cn';
const at = (shanghai: string) => `${shanghai}+08:00`;

describe('a hard kill and a restart on the same DATA_DIR', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;
  let api: ApiClient;
  const endpoint = new PartnerEndpoint();
  let entryId = '';
  let caseId = '';

  beforeAll(async () => {
    data = await tempDataDir('hard-kill-');
    const url = await endpoint.start();
    sys = await npmStart(data.dir, 60_000, { CLOCK_START: at('2026-08-17T10:00:00') });
    api = new ApiClient(sys.url);
    const partner = await api.token({ role: 'partner', name: '市税务局' });
    expect((await api.call('POST', '/v1/partners/subscriptions', { token: partner, body: { url, secret: 'partner-secret-0123456789' } })).status).toBe(201);
  });
  afterAll(async () => {
    sys?.kill();
    await endpoint.close();
    await data?.remove();
  });

  it('is killed with a delivery waiting for its retry and a review waiting for its deadline', async () => {
    const officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    const proposed = await api.call('POST', '/v1/listings', { token: officer, body: { subject: { id: SUBJECT, kind: 'person', name: '硬停', email: EMAIL }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2026〕950号', decisionDate: '2026-08-10' } });
    expect(proposed.status).toBe(201);
    entryId = proposed.body.entryId;
    // Listed at 00:00 on 09-01. The partner refuses the listing's delivery: it waits for a retry a minute later.
    endpoint.failures = 1;
    await api.advanceTo(at('2026-09-01T00:00:20'));
    await expect.poll(() => endpoint.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(endpoint.acknowledged()).toEqual([]);
    const filed = await api.call('POST', '/v1/cases', { token: await api.token({ role: 'subject', subjectId: SUBJECT }), body: { kind: 'objection', entryId, grounds: '罚款已缴清' } });
    expect(filed.status).toBe(201);
    caseId = filed.body.caseId;
    expect(filed.body.deadline).toBe('2026-09-08');

    await sys.killHard(); // SIGKILL to the process group: npm, tsx and the server die at once
  });

  it('finds everything again after the restart, and fires each thing exactly once', async () => {
    sys = await npmStart(data.dir);
    api = new ApiClient(sys.url);
    let auditor = await api.token({ role: 'auditor' });
    const kept = await api.call('GET', `/v1/cases/${caseId}`, { token: auditor });
    expect(kept.body).toMatchObject({ status: 'open', deadline: '2026-09-08', level: 'agency' });

    // The retry is due: the partner gets the listing once.
    await api.advanceTo(at('2026-09-01T09:30:00'));
    await expect.poll(() => endpoint.acknowledged(), { timeout: 10_000 }).toEqual([`entry.listed:${entryId}`]);

    // The deadline passes: the case escalates once, and the subject is told once.
    await api.advanceTo(at('2026-09-09T01:00:00'));
    // Tokens live one hour of the clock: a fresh one after the move.
    auditor = await api.token({ role: 'auditor' });
    await expect.poll(async () => (await api.call('GET', `/v1/cases/${caseId}`, { token: auditor })).body.level, { timeout: 10_000 }).toBe('province');
    const trail = (await api.call('GET', `/v1/entries/${entryId}/audit?limit=200`, { token: auditor })).body.events as Array<{ type: string }>;
    expect(trail.filter((e) => e.type === 'CaseEscalated')).toHaveLength(1);
    expect(trail.filter((e) => e.type === 'EntryListed')).toHaveLength(1);
    expect((await api.call('GET', `/v1/entries/${entryId}/audit/verify`, { token: auditor })).body.ok).toBe(true);

    const mail = (await api.outbox(EMAIL)).filter((m) => m.channel === 'email').map((m) => m.subject!);
    // Each notice once: before listing, the listing, the acknowledgement, the escalation.
    expect(mail.filter((s) => s.includes('告知书'))).toHaveLength(1);
    expect(mail.filter((s) => s.includes('列入') && s.includes('通知'))).toHaveLength(1);
    expect(mail.filter((s) => s.includes('受理回执'))).toHaveLength(1);
    expect(mail.filter((s) => s.includes('已提交省级复核'))).toHaveLength(1);
    expect(new Set(mail).size).toBe(mail.length);
    // The partner was sent the listing twice (refused, then acknowledged) and acknowledged it once.
    expect(endpoint.received.filter((r) => r.event.type === 'entry.listed').map((r) => r.answered)).toEqual([503, 200]);
  });
});
