import { describe, expect, it } from 'vitest';
import { classifyAddress, checkWebhookUrl, type ResolveHost } from '../../shared/partners/webhook-target.js';
import { loadAwsConfig } from '../../shared/platform/config.js';

/*
 * Where partner events may go (OWASP API7, SSRF): https to public addresses,
 * every address a host name resolves to checked, loopback only where the
 * configuration allows it. DNS is a table here, so each answer is chosen.
 */

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

const DNS: Record<string, string[]> = {
  'partner.example': [PUBLIC_V4, PUBLIC_V6],
  'internal.partner.example': ['10.0.0.5'],
  'metadata.partner.example': ['169.254.169.254'],
  'metadata6.partner.example': ['fd00:ec2::254'],
  'mapped.partner.example': ['::ffff:127.0.0.1'],
  'cgnat.partner.example': ['100.100.1.1'],
  // One address of several is enough to refuse: a connection may use any of them.
  'mixed.partner.example': [PUBLIC_V4, PUBLIC_V6, '192.168.1.20'],
  'nowhere.partner.example': [],
  localhost: ['127.0.0.1', '::1'],
};

const resolve: ResolveHost = async (hostname) => {
  const addresses = DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const deployed = { allowLoopback: false, resolve };
const local = { allowLoopback: true, resolve };

describe('a webhook URL deployed (no loopback)', () => {
  it.each([
    // private, shared (CGNAT), link-local, the metadata addresses
    ['https://10.0.0.1/hook', /private/],
    ['https://172.16.5.4/hook', /private/],
    ['https://172.31.255.255/hook', /private/],
    ['https://192.168.1.1/hook', /private/],
    ['https://100.64.0.1/hook', /carrier-grade NAT/],
    ['https://100.127.255.254/hook', /carrier-grade NAT/],
    ['https://169.254.1.1/hook', /link-local/],
    ['https://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://[fd00:ec2::254]/latest/meta-data/', /metadata/],
    ['https://[fe80::1]/hook', /link-local/],
    ['https://[fc00::1]/hook', /unique-local/],
    ['https://[fd12:3456:789a::1]/hook', /unique-local/],
    // loopback, unspecified, multicast, reserved
    ['https://127.0.0.1/hook', /loopback/],
    ['https://127.8.9.10/hook', /loopback/],
    ['https://[::1]/hook', /loopback/],
    ['https://[0:0:0:0:0:0:0:1]/hook', /loopback/],
    ['https://0.0.0.0/hook', /unspecified/],
    ['https://[::]/hook', /unspecified/],
    ['https://224.0.0.1/hook', /multicast/],
    ['https://239.255.255.250/hook', /multicast/],
    ['https://[ff02::1]/hook', /multicast/],
    ['https://255.255.255.255/hook', /reserved/],
    ['https://192.0.0.170/hook', /reserved/],
    // IPv4-mapped IPv6, written either way
    ['https://[::ffff:127.0.0.1]/hook', /loopback/],
    ['https://[::ffff:7f00:1]/hook', /loopback/],
    ['https://[::ffff:10.0.0.1]/hook', /private/],
    ['https://[::ffff:169.254.169.254]/hook', /metadata/],
    ['https://[::ffff:a9fe:a9fe]/hook', /metadata/],
    ['https://[::ffff:100.64.0.1]/hook', /carrier-grade NAT/],
    ['https://[::ffff:0.0.0.0]/hook', /unspecified/],
    // IPv4 inside other IPv6 forms: NAT64, 6to4, the deprecated IPv4-compatible form
    ['https://[64:ff9b::a9fe:a9fe]/hook', /metadata/],
    ['https://[64:ff9b::10.0.0.1]/hook', /private/],
    ['https://[2002:a9fe:a9fe::1]/hook', /reserved/],
    ['https://[::127.0.0.1]/hook', /reserved/],
    // decimal, octal, hex and short IPv4 spellings, normalised by the WHATWG URL parser
    ['https://2130706433/hook', /127\.0\.0\.1 is a loopback/],
    ['https://0x7f.1/hook', /127\.0\.0\.1 is a loopback/],
    ['https://0177.0.0.1/hook', /127\.0\.0\.1 is a loopback/],
    ['https://0x7f000001/hook', /127\.0\.0\.1 is a loopback/],
    ['https://127.1/hook', /127\.0\.0\.1 is a loopback/],
    ['https://2852039166/latest/meta-data/', /169\.254\.169\.254 is the cloud instance metadata/],
    ['https://0xa9.0xfe.0xa9.0xfe/', /169\.254\.169\.254 is the cloud instance metadata/],
    ['https://0/hook', /0\.0\.0\.0 is the unspecified/],
    ['https://127.0.0.1./hook', /loopback/],
    // host names, by every address they resolve to
    ['https://internal.partner.example/hook', /internal\.partner\.example resolves to 10\.0\.0\.5, which is a private address/],
    ['https://metadata.partner.example/hook', /resolves to 169\.254\.169\.254, which is the cloud instance metadata address/],
    ['https://metadata6.partner.example/hook', /resolves to fd00:ec2::254, which is the cloud instance metadata address/],
    ['https://mapped.partner.example/hook', /resolves to ::ffff:127\.0\.0\.1, which is a loopback address/],
    ['https://cgnat.partner.example/hook', /carrier-grade NAT/],
    ['https://mixed.partner.example/hook', /resolves to 192\.168\.1\.20, which is a private address/],
    ['https://localhost/hook', /localhost resolves to 127\.0\.0\.1, which is a loopback address/],
    ['https://nowhere.partner.example/hook', /resolves to no address/],
    ['https://unknown.partner.example/hook', /does not resolve/],
    // https only
    ['http://partner.example/hook', /expected an https URL/],
    ['ftp://partner.example/hook', /expected an https URL/],
    ['not a url', /expected an https URL/],
  ])('refuses %s, naming url and why', async (url, why) => {
    const result = await checkWebhookUrl(url, deployed);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.path).toBe('url');
      expect(result.error.message).toMatch(why);
    }
  });

  it.each([
    'https://partner.example/hook',
    'https://partner.example:8443/credit-events?k=v',
    `https://${PUBLIC_V4}/hook`,
    'https://[2606:4700:4700::1111]/hook',
    'https://[::ffff:8.8.8.8]/hook',
    'https://[64:ff9b::808:808]/hook',
    'https://172.32.0.1/hook',
    'https://100.128.0.1/hook',
  ])('accepts %s', async (url) => {
    expect(await checkWebhookUrl(url, deployed)).toMatchObject({ ok: true });
  });
});

describe('a webhook URL on the local system (loopback allowed by configuration)', () => {
  it.each(['http://127.0.0.1:4000/hook', 'http://[::1]:4000/hook', 'http://localhost:4000/hook', 'https://127.0.0.1/hook', 'http://2130706433:4000/hook', 'https://partner.example/hook'])('accepts %s', async (url) => {
    expect(await checkWebhookUrl(url, local)).toMatchObject({ ok: true });
  });

  it.each([
    ['http://10.0.0.5/hook', /private/],
    ['http://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://[fd00:ec2::254]/', /metadata/],
    ['https://internal.partner.example/hook', /private/],
    ['https://mixed.partner.example/hook', /private/],
    // Loopback is the exception, not http: a public host still needs TLS.
    ['http://partner.example/hook', /expected an https URL; http only to this machine's loopback/],
    ['ftp://127.0.0.1/hook', /expected an https URL/],
  ])('still refuses %s', async (url, why) => {
    const result = await checkWebhookUrl(url, local);
    expect(result).toMatchObject({ ok: false, error: { path: 'url', message: expect.stringMatching(why) } });
  });
});

describe('addresses', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['10.255.255.255', 'private'],
    ['11.0.0.1', 'public'],
    ['100.63.255.255', 'public'],
    ['100.64.0.0', 'shared'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:ec2::253', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'public'],
    ['4000::1', 'reserved'],
    ['not-an-address', 'reserved'],
  ] as const)('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('the deployed configuration', () => {
  const env = {
    TABLE_ENTRIES: 'e', TABLE_AUDIT: 'a', TABLE_REFERENCE: 'r', EVIDENCE_BUCKET: 'b', SENDER_EMAIL: 'notices@example.cn',
    SITE_URL: 'https://credit.example.cn', TOKEN_ISSUER: 'https://issuer.example.cn', TOKEN_AUDIENCE: 'aud', COGNITO_DOMAIN_URL: 'https://auth.example.cn', AWS_REGION: 'cn-north-1',
  };

  it('never allows loopback webhooks: absent or false means false, and true fails at start naming the variable', () => {
    expect(loadAwsConfig(env).PARTNER_WEBHOOKS_ALLOW_LOOPBACK).toBe(false);
    expect(loadAwsConfig({ ...env, PARTNER_WEBHOOKS_ALLOW_LOOPBACK: 'false' }).PARTNER_WEBHOOKS_ALLOW_LOOPBACK).toBe(false);
    expect(() => loadAwsConfig({ ...env, PARTNER_WEBHOOKS_ALLOW_LOOPBACK: 'true' })).toThrow(/PARTNER_WEBHOOKS_ALLOW_LOOPBACK: must be absent or 'false'/);
  });
});
