import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Signature`: `sha256=<hex HMAC-SHA256 of the raw body with the subscription's secret>` (API.md, partners). */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a partner does on receipt: recompute and compare in constant time. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  const expected = Buffer.from(signBody(body, secret));
  const got = Buffer.from(header ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}
