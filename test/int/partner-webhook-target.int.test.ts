import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { postWebhook, WebhookTargetRefused } from '../../shared/partners/webhook-post.js';
import type { ResolveHost } from '../../shared/partners/webhook-target.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Where partner events may go (OWASP API7, SSRF), on the real local system
 * started with the deployed rule (loopback not allowed, by configuration) and
 * a DNS table the test changes: the subscription route refuses loopback and
 * private targets, and a name that resolved to a public address when the
 * partner subscribed but to loopback at delivery (DNS rebinding) is refused at
 * the connection: the endpoint listening there sees no connection at all.
 */

const START = '2026-09-01T10:00:00+08:00';
const SECRET = 'partner-secret-0123456789';
const PUBLIC = '93.184.215.14';

/** A partner's endpoint on loopback that counts every TCP connection made to it, TLS or not. */
class CountingEndpoint {
  connections = 0;
  private readonly server: Server = createServer((_req, res) => res.writeHead(200).end());

  async start(): Promise<number> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('partner webhook targets, with loopback disallowed by configuration', () => {
  const dns: Record<string, string[]> = { 'internal.partner.example': ['10.0.0.5'] };
  const partner = () => api.token({ role: 'partner', name: '市公积金中心' });
  const resolve: ResolveHost = async (hostname) => {
    const addresses = dns[hostname];
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const endpoint = new CountingEndpoint();
  let port = 0;
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;

  beforeAll(async () => {
    data = await tempDataDir('webhook-target-');
    port = await endpoint.start();
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), partnerWebhooks: { allowLoopback: false, resolve } });
    api = new ApiClient(sys.url);
  });

  afterAll(async () => {
    await sys?.close();
    await endpoint.close();
    await data?.remove();
  });

  it('connects to the endpoint when loopback is allowed, and not at all when it is not', async () => {
    dns['rebind.partner.example'] = ['127.0.0.1'];
    const request = { url: `http://rebind.partner.example:${port}/credit-events`, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 5_000 };
    expect(await postWebhook(request, { allowLoopback: true, resolve })).toEqual({ status: 200 });
    expect(endpoint.connections).toBe(1);
    await expect(postWebhook({ ...request, url: `https://rebind.partner.example:${port}/credit-events` }, { allowLoopback: false, resolve })).rejects.toThrow(WebhookTargetRefused);
    await expect(postWebhook({ ...request, url: `https://127.0.0.1:${port}/credit-events` }, { allowLoopback: false, resolve })).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    expect(endpoint.connections).toBe(1);
  });

  it.each([
    ['loopback over http', () => `http://127.0.0.1:${port}/credit-events`, /expected an https URL/],
    ['loopback over https', () => `https://127.0.0.1:${port}/credit-events`, /127\.0\.0\.1 is a loopback address/],
    ['loopback spelt in decimal', () => `https://2130706433:${port}/credit-events`, /127\.0\.0\.1 is a loopback address/],
    ['an IPv4-mapped metadata address', () => 'https://[::ffff:169.254.169.254]/latest/meta-data/', /metadata/],
    ['a name resolving to a private address', () => 'https://internal.partner.example/credit-events', /internal\.partner\.example resolves to 10\.0\.0\.5, which is a private address/],
  ])('refuses to subscribe %s: 400 naming url', async (_label, url, why) => {
    const res = await api.call('POST', '/v1/partners/subscriptions', { token: await api.token({ role: 'partner', name: '市税务局' }), body: { url: url(), secret: SECRET } });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(why) }]);
  });

  it('refuses at delivery a name that resolved to a public address at subscription and to loopback now, recording why and retrying', async () => {
    dns['rebind.partner.example'] = [PUBLIC];
    const subscribed = await api.call('POST', '/v1/partners/subscriptions', { token: await partner(), body: { url: `https://rebind.partner.example:${port}/credit-events`, secret: SECRET } });
    expect(subscribed.status).toBe(201);

    // The partner's DNS now answers loopback, where an endpoint is listening.
    dns['rebind.partner.example'] = ['127.0.0.1'];
    const before = endpoint.connections;
    const officer = await api.token({ role: 'agency-officer', agencyId: '310000-samr' });
    const listing = await api.call('POST', '/v1/listings', { token: officer, body: { subject: { id: personId(90), kind: 'person', name: 'rebind', email: 'rebind@example.cn' }, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: '沪市监处〔2025〕rebind号', decisionDate: '2025-06-01' } });
    expect(listing.status).toBe(201);
    // Listed at 24:00 on 09-15; then two retries after 1 and 2 minutes.
    await api.advanceTo('2026-09-16T00:00:01+08:00');
    await sys.runner.whenIdle();
    await api.advanceTo('2026-09-16T00:05:00+08:00');
    await sys.runner.whenIdle();

    // Tokens are short-lived on the virtual clock: a fresh one after the move.
    const deliveries = (await api.call('GET', '/v1/partners/deliveries', { token: await partner() })).body.deliveries;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ type: 'entry.listed', entryId: listing.body.entryId, status: 'pending', lastAttempt: { error: expect.stringMatching(/^refused: rebind\.partner\.example resolves to 127\.0\.0\.1, which is a loopback address/) } });
    expect(deliveries[0].lastAttempt.status).toBeUndefined();
    expect(deliveries[0].attempts).toBeGreaterThanOrEqual(3);
    expect(endpoint.connections).toBe(before);
  });
});
