import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { verifySignature } from '../../shared/partners/signature.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';
import { PartnerEndpoint } from '../support/partner-endpoint.js';

/*
 * Delivery to joint-enforcement partners on the real local system: a partner
 * endpoint on 127.0.0.1 (loopback, allowed locally by configuration) that
 * refuses twice and then accepts, events in order per entry, signatures
 * checked as a partner would, and a restart while a delivery waits for its retry.
 */

const START = '2026-09-01T10:00:00+08:00';
const SECRET = 'partner-secret-0123456789';
const P = { first: personId(80), second: personId(81) };
type Who = keyof typeof P;
const at = (shanghai: string) => `${shanghai}+08:00`;

describe('delivery to joint-enforcement partners', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const endpoint = new PartnerEndpoint();
  let url = '';
  const entries = {} as Record<Who, string>;

  const as = (request: TokenRequest) => api.token(request);
  const partner = () => as({ role: 'partner', name: '市税务局' });
  const officer = () => as({ role: 'agency-officer', agencyId: '310000-samr' });
  const advanceTo = (shanghai: string) => api.advanceTo(at(shanghai));
  const start = async () => {
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
  };

  beforeAll(async () => {
    data = await tempDataDir('partners-');
    url = await endpoint.start();
    await start();
  });

  afterAll(async () => {
    await sys?.close();
    await endpoint.close();
    await data?.remove();
  });

  it('subscribes a partner, refusing a private or metadata address, a short secret and other roles', async () => {
    const token = await partner();
    const refused = async (body: Record<string, unknown>) => (await api.call('POST', '/v1/partners/subscriptions', { token, body })).body.errors.map((e: { path: string }) => e.path);
    // Locally loopback is allowed (by the local system's configuration), nothing else that is not public.
    expect(await refused({ url: 'http://10.0.0.5/hook', secret: SECRET })).toEqual(['url']);
    expect(await refused({ url: 'https://169.254.169.254/latest/meta-data/', secret: SECRET })).toEqual(['url']);
    expect(await refused({ url, secret: 'short' })).toEqual(['secret']);
    expect(await refused({ url: 'ftp://127.0.0.1/x', secret: SECRET })).toEqual(['url']);
    expect((await api.call('POST', '/v1/partners/subscriptions', { token: await officer(), body: { url, secret: SECRET } })).status).toBe(403);
    const created = await api.call('POST', '/v1/partners/subscriptions', { token, body: { url, secret: SECRET } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subscriptionId: expect.stringMatching(/^sub_/), events: ['entry.listed', 'entry.delisted', 'entry.corrected'] });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
  });

  it('retries a refused delivery with back-off, keeps the order per entry, and delivers every event once acknowledged', async () => {
    const token = await officer();
    for (const who of Object.keys(P) as Who[]) {
      entries[who] = (await api.call('POST', '/v1/listings', { token, body: { subject: { id: P[who], kind: 'person', name: who, email: `${who}@example.cn` }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2025〕${who}号`, decisionDate: '2025-06-01' } })).body.entryId;
    }
    // The endpoint refuses the first two requests. Both entries are listed at 24:00 on 09-15.
    endpoint.failures = 2;
    await advanceTo('2026-09-16T00:00:01');
    await sys.runner.whenIdle();
    const pending = (await api.call('GET', '/v1/partners/deliveries', { token: await partner() })).body.deliveries;
    expect(pending.map((d: { type: string }) => d.type)).toEqual(['entry.listed', 'entry.listed']);
    expect(pending.every((d: { status: string; attempts: number; lastAttempt: { status: number } }) => d.status === 'pending' && d.attempts >= 1 && d.lastAttempt.status === 503)).toBe(true);

    // The first entry is repaired and delisted while its listing is still not acknowledged: the delisting waits its turn.
    const subject = await as({ role: 'subject', subjectId: P.first });
    const repair = await api.call('POST', '/v1/cases', { token: subject, body: { kind: 'repair', entryId: entries.first, grounds: '罚款已缴纳', commitment: true } });
    expect(repair.status).toBe(201);
    expect((await api.call('POST', `/v1/cases/${repair.body.caseId}/decision`, { token: await as({ role: 'agency-reviewer', agencyId: '310000-samr' }), body: { outcome: 'upheld', reasons: '已履行' } })).status).toBe(200);
    await sys.runner.whenIdle();
    expect(endpoint.acknowledged()).toEqual([]);

    // Retries after 1, then 2 more minutes on the virtual clock.
    await advanceTo('2026-09-16T00:10:00');
    await sys.runner.whenIdle();
    const acknowledged = endpoint.acknowledged();
    expect(acknowledged.sort()).toEqual([`entry.delisted:${entries.first}`, `entry.listed:${entries.first}`, `entry.listed:${entries.second}`].sort());
    // In order per entry: the first entry's listing was acknowledged before its delisting was even sent.
    const firstEntry = endpoint.received.filter((r) => r.event.entryId === entries.first);
    expect(firstEntry.findIndex((r) => r.event.type === 'entry.delisted')).toBeGreaterThan(firstEntry.findIndex((r) => r.answered === 200 && r.event.type === 'entry.listed'));
    expect(endpoint.received.filter((r) => r.answered === 503)).toHaveLength(2);
    for (const r of endpoint.received) {
      expect(verifySignature(r.body, SECRET, r.signature)).toBe(true);
      expect(verifySignature(r.body, 'another-secret-0123456789', r.signature)).toBe(false);
    }
    expect(endpoint.received[0]!.event).toEqual({ eventId: `${endpoint.received[0]!.event.entryId}:${endpoint.received[0]!.event.eventId.split(':')[1]}`, type: 'entry.listed', entryId: expect.any(String), subjectId: expect.any(String), listType: 'serious-dishonesty', at: expect.any(String) });

    expect((await api.call('GET', '/v1/partners/deliveries', { token: await partner() })).body.deliveries).toEqual([]);
    const byEntry = await api.call('GET', `/v1/entries/${entries.first}/deliveries`, { token: await officer() });
    expect(byEntry.body.allAcknowledged).toBe(true);
    expect(byEntry.body.deliveries.map((d: { type: string; status: string }) => `${d.type}:${d.status}`)).toEqual(['entry.listed:delivered', 'entry.delisted:delivered']);
    expect((await api.call('GET', `/v1/entries/${entries.first}/deliveries`, { token: await as({ role: 'agency-officer', agencyId: '310000-pudong-samr' }) })).status).toBe(404);
  });

  it('delivers a delisting to the partner within moments of the decision when the partner answers', async () => {
    const revokedAt = Date.now();
    const revoked = await api.call('POST', `/v1/entries/${entries.second}/revocation`, { token: await officer(), body: { revokedBy: '(2026)沪01行终9号', note: '原决定被撤销' } });
    expect(revoked.status).toBe(200);
    await sys.runner.whenIdle();
    const receipt = endpoint.received.find((r) => r.event.entryId === entries.second && r.event.type === 'entry.delisted');
    expect(receipt?.answered).toBe(200);
    console.log(`Delisting to partner receipt: ${receipt!.receivedAtMs - revokedAt} ms (HTTP decision, commit, hand-off, delivery execution, signed POST)`);
  });

  it('answers a committed change even when its hand-off fails, and the outbox sweep hands it off later', async () => {
    const fourth = personId(83);
    const entryId = (await api.call('POST', '/v1/listings', { token: await officer(), body: { subject: { id: fourth, kind: 'person', name: 'fourth', email: 'fourth@example.cn' }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '条例', measures: ['限制'], decisionRef: '沪市监处〔2025〕fourth号', decisionDate: '2025-06-01' } })).body.entryId;
    // Listed at 24:00 on 09-30 (09-17 .. 09-30, with the make-up Sunday).
    await advanceTo('2026-10-01T00:00:01');
    await sys.runner.whenIdle();
    expect(endpoint.received.filter((r) => r.event.entryId === entryId).map((r) => r.answered)).toEqual([200]);
    // Step Functions refuses to start deliveries for a while.
    const start = sys.runner.startExecution.bind(sys.runner);
    sys.runner.startExecution = async (machine, name, input) => {
      if (machine === 'partnerDelivery') throw new Error('ThrottlingException: rate exceeded');
      return start(machine, name, input);
    };
    const revoked = await api.call('POST', `/v1/entries/${entryId}/revocation`, { token: await officer(), body: { revokedBy: '(2026)沪01行终10号', note: '原决定被撤销' } });
    expect(revoked.status).toBe(200);
    expect((await api.call('GET', `/v1/public/entries?q=${fourth}`)).body.entries).toEqual([]);
    await sys.runner.whenIdle();
    expect(endpoint.received.filter((r) => r.event.entryId === entryId).map((r) => r.event.type)).toEqual(['entry.listed']);
    sys.runner.startExecution = start;
    // The sweep runs before the clock moves (and every few seconds).
    await advanceTo('2026-10-01T00:01:00');
    await sys.runner.whenIdle();
    expect(endpoint.received.filter((r) => r.event.entryId === entryId).map((r) => `${r.event.type}:${r.answered}`)).toEqual(['entry.listed:200', 'entry.delisted:200']);
  });

  it('loses nothing across a restart while a delivery waits for its retry', async () => {
    const before = endpoint.acknowledged().length;
    endpoint.failures = 1;
    // A third entry, proposed 10-01: ten working days are 10-08, 09, the make-up Saturday 10-10, 12..16, 19, 20; listed at 24:00 on 10-20.
    const third = personId(82);
    const entryId = (await api.call('POST', '/v1/listings', { token: await officer(), body: { subject: { id: third, kind: 'person', name: 'third', email: 'third@example.cn' }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '条例', measures: ['限制'], decisionRef: '沪市监处〔2025〕third号', decisionDate: '2025-06-01' } })).body.entryId;
    await advanceTo('2026-10-21T00:00:01');
    await sys.runner.whenIdle();
    // The listing was refused once and waits a minute for its retry: stop everything now.
    expect(endpoint.received.filter((r) => r.event.entryId === entryId).map((r) => r.answered)).toEqual([503]);
    await sys.close();
    await start();
    await advanceTo('2026-10-21T00:05:00');
    await sys.runner.whenIdle();
    expect(endpoint.received.filter((r) => r.event.entryId === entryId).map((r) => r.answered)).toEqual([503, 200]);
    expect(endpoint.acknowledged().length).toBe(before + 1);
    expect((await api.call('GET', '/v1/partners/deliveries', { token: await partner() })).body.deliveries).toEqual([]);
  });
});
