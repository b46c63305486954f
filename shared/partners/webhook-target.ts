import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { FieldError } from '../platform/errors.js';

/** Every address a host name resolves to: `dns.promises.lookup(host, { all: true })` deployed, a table in tests. */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family?: number }>>;

/** Where partner events may be sent: checked when a partner subscribes and again on every connection. */
export interface WebhookTargetPolicy {
  /**
   * Loopback (127.0.0.0/8, ::1), over http too: only for the local system, whose
   * partners' endpoints run on the same machine. Never deployed, where loopback
   * is the function's own host and its runtime API.
   */
  allowLoopback: boolean;
  resolve: ResolveHost;
}

export const systemResolve: ResolveHost = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** What an address is, by the IANA special-purpose registries; anything but `public` is refused, loopback unless allowed. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'shared' | 'link-local' | 'metadata' | 'unique-local' | 'multicast' | 'unspecified' | 'reserved';

const DESCRIBED: Record<Exclude<AddressKind, 'public'>, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  shared: 'a carrier-grade NAT address',
  'link-local': 'a link-local address',
  metadata: 'the cloud instance metadata address',
  'unique-local': 'a unique-local address',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  reserved: 'a reserved address',
};

const ipv4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// First match wins: the metadata address before the link-local block it sits in.
const IPV4_RANGES: ReadonlyArray<readonly [base: number, prefix: number, kind: Exclude<AddressKind, 'public'>]> = [
  [ipv4(169, 254, 169, 254), 32, 'metadata'],
  [ipv4(0, 0, 0, 0), 8, 'unspecified'],
  [ipv4(10, 0, 0, 0), 8, 'private'],
  [ipv4(100, 64, 0, 0), 10, 'shared'],
  [ipv4(127, 0, 0, 0), 8, 'loopback'],
  [ipv4(169, 254, 0, 0), 16, 'link-local'],
  [ipv4(172, 16, 0, 0), 12, 'private'],
  [ipv4(192, 0, 0, 0), 24, 'reserved'],
  [ipv4(192, 0, 2, 0), 24, 'reserved'],
  [ipv4(192, 168, 0, 0), 16, 'private'],
  [ipv4(198, 18, 0, 0), 15, 'reserved'],
  [ipv4(198, 51, 100, 0), 24, 'reserved'],
  [ipv4(203, 0, 113, 0), 24, 'reserved'],
  [ipv4(224, 0, 0, 0), 4, 'multicast'],
  [ipv4(240, 0, 0, 0), 4, 'reserved'],
];

function classifyIpv4(value: number): AddressKind {
  for (const [base, prefix, kind] of IPV4_RANGES) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if (((value & mask) >>> 0) === base) return kind;
  }
  return 'public';
}

const parseIpv4 = (address: string) => {
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
  return ipv4(a, b, c, d);
};

/** The eight 16-bit groups of an IPv6 address (a valid one: `isIP` said 6), any zone dropped. */
function parseIpv6(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const embeddedIpv4 = (high: number, low: number) => ((high << 16) | low) >>> 0;

function classifyIpv6(g: number[]): AddressKind {
  const zerosBefore = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zerosBefore(8)) return 'unspecified';
  if (zerosBefore(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address itself on a dual-stack socket.
  if (zerosBefore(5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  // The deprecated IPv4-compatible form (::a.b.c.d) has no legitimate use.
  if (zerosBefore(6)) return 'reserved';
  // NAT64 (64:ff9b::/96) is how an IPv6-only VPC reaches IPv4: judged by the IPv4 address it translates to.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private';
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (g[0] === 0x2002) {
    const inner = classifyIpv4(embeddedIpv4(g[1]!, g[2]!));
    return inner === 'public' ? 'public' : 'reserved';
  }
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return 'metadata';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  // Only global unicast (2000::/3) is public, less documentation (2001:db8::/32) and Teredo (2001::/32).
  if ((g[0]! & 0xe000) !== 0x2000) return 'reserved';
  if (g[0] === 0x2001 && (g[1] === 0x0db8 || g[1] === 0)) return 'reserved';
  return 'public';
}

/** Classifies an IP address (IPv4 dotted quad or IPv6, as a resolver returns them); anything else is `reserved`. */
export function classifyAddress(address: string): AddressKind {
  switch (isIP(address.replace(/%.*$/, ''))) {
    case 4:
      return classifyIpv4(parseIpv4(address));
    case 6:
      return classifyIpv6(parseIpv6(address));
    default:
      return 'reserved';
  }
}

export type WebhookTargetCheck = { ok: true; url: URL } | { ok: false; error: FieldError & { path: 'url' } };

const refused = (message: string): WebhookTargetCheck => ({ ok: false, error: { path: 'url', message } });

/** The URL's host as an address, when it is one: the WHATWG parser has already turned 2130706433 and 0x7f.1 into 127.0.0.1. */
export const literalAddress = (url: URL): string | undefined => {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
};

/**
 * What can be said of a webhook URL without resolving it: a parseable http(s)
 * URL, http only where loopback is allowed, and an address written into the
 * URL judged at once (a literal address cannot change).
 */
export function checkWebhookUrlSyntax(raw: string, policy: Pick<WebhookTargetPolicy, 'allowLoopback'>): WebhookTargetCheck & { literal?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refused('expected an https URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback)) return refused(policy.allowLoopback ? 'expected an https URL, or http to this machine\'s loopback' : 'expected an https URL');
  const literal = literalAddress(url);
  if (literal === undefined) return { ok: true, url };
  const why = refusalOf(url, [literal], policy);
  return why ? refused(why) : { ok: true, url, literal };
}

/**
 * Why these addresses of the URL's host may not be connected to, if they may
 * not: ANY forbidden address refuses the host, as a connection may use any of
 * them; http goes only to loopback, and only where loopback is allowed.
 */
export function refusalOf(url: URL, addresses: readonly string[], policy: Pick<WebhookTargetPolicy, 'allowLoopback'>): string | undefined {
  const host = url.hostname;
  if (addresses.length === 0) return `${host} resolves to no address`;
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind === 'public' || (kind === 'loopback' && policy.allowLoopback)) continue;
    const subject = literalAddress(url) !== undefined ? host : `${host} resolves to ${address}, which`;
    return `${subject} is ${DESCRIBED[kind]}; partner events go only to public addresses`;
  }
  if (url.protocol === 'http:' && !(policy.allowLoopback && addresses.every((a) => classifyAddress(a) === 'loopback'))) return 'expected an https URL; http only to this machine\'s loopback';
  return undefined;
}

/**
 * Checks a partner's webhook URL before it is stored (OWASP API7, SSRF): https
 * to public addresses only, its host name resolved and every address checked;
 * loopback only where the policy allows it. The same rule is applied again at
 * each connection (`postWebhook`), as a name may resolve elsewhere by then.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): Promise<WebhookTargetCheck> {
  const syntax = checkWebhookUrlSyntax(raw, policy);
  if (!syntax.ok || syntax.literal !== undefined) return syntax.ok ? { ok: true, url: syntax.url } : syntax;
  let addresses: ReadonlyArray<{ address: string }>;
  try {
    addresses = await policy.resolve(syntax.url.hostname);
  } catch {
    return refused(`${syntax.url.hostname} does not resolve`);
  }
  const why = refusalOf(syntax.url, addresses.map((a) => a.address), policy);
  return why ? refused(why) : { ok: true, url: syntax.url };
}
