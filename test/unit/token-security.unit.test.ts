import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIssuer } from '../../shared/auth/local-issuer.js';
import { TokenVerifier } from '../../shared/auth/token-verifier.js';

// OWASP API2 (broken authentication): a token is accepted only when an asymmetric key of
// ours signed it, for our issuer and audience, unexpired on the clock, living one hour at most.
const NOW = new Date('2026-09-18T02:00:00Z');
const clock = { now: () => NOW };
const iat = Math.floor(NOW.getTime() / 1000) - 60;
const claims = { role: 'subject', subjectId: '110102199001010015', name: '周甲' };

let key: CryptoKey;
let publicKey: CryptoKey;
let verifier: TokenVerifier;
const sign = (over: { alg?: 'ES256'; iss?: string; aud?: string; iat?: number; exp?: number; signWith?: CryptoKey; payload?: Record<string, unknown> } = {}) =>
  new SignJWT(over.payload ?? claims)
    .setProtectedHeader({ alg: over.alg ?? 'ES256', kid: 'k1' })
    .setIssuer(over.iss ?? LOCAL_ISSUER)
    .setAudience(over.aud ?? LOCAL_AUDIENCE)
    .setSubject('subject:110102199001010015')
    .setIssuedAt(over.iat ?? iat)
    .setExpirationTime(over.exp ?? iat + 3600)
    .sign(over.signWith ?? key);

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  publicKey = pair.publicKey;
  verifier = new TokenVerifier({ issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, keys: publicKey, clock });
});

describe('TokenVerifier', () => {
  it('accepts a token our key signed, for our issuer and audience, within its hour', async () => {
    expect(await verifier.verify(await sign())).toMatchObject({ role: 'subject', subjectId: '110102199001010015' });
  });

  it('refuses an expired token, judged on the given clock', async () => {
    expect(await verifier.verify(await sign({ iat: iat - 3600, exp: iat - 1 }))).toBeUndefined();
  });

  it('refuses another issuer or another audience', async () => {
    expect(await verifier.verify(await sign({ iss: 'https://evil.example' }))).toBeUndefined();
    expect(await verifier.verify(await sign({ aud: 'another-app' }))).toBeUndefined();
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT(claims).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setSubject('subject:x').setIssuedAt(iat).setExpirationTime(iat + 3600).encode();
    expect(unsigned.split('.')[2]).toBe('');
    expect(await verifier.verify(unsigned)).toBeUndefined();
  });

  it('refuses HS256 signed with our public key as the secret (algorithm confusion)', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    const jwkText = new TextEncoder().encode(JSON.stringify(await exportJWK(publicKey)));
    for (const secret of [pem, jwkText]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setSubject('subject:x').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(secret);
      expect(await verifier.verify(forged)).toBeUndefined();
    }
  });

  it('refuses RS256 or ES256 signed by a key that is not ours, under our kid', async () => {
    const rsa = await generateKeyPair('RS256');
    const rs = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setSubject('subject:x').setIssuedAt(iat).setExpirationTime(iat + 3600).sign(rsa.privateKey);
    expect(await verifier.verify(rs)).toBeUndefined();
    const other = await generateKeyPair('ES256');
    expect(await verifier.verify(await sign({ signWith: other.privateKey }))).toBeUndefined();
  });

  it('refuses a tampered token: another role or scope under the original signature', async () => {
    const [header, payload, signature] = (await sign()).split('.');
    const altered = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'auditor' };
    expect(await verifier.verify(`${header}.${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${signature}`)).toBeUndefined();
    const otherSubject = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), subjectId: '110102199001010023' };
    expect(await verifier.verify(`${header}.${Buffer.from(JSON.stringify(otherSubject)).toString('base64url')}.${signature}`)).toBeUndefined();
  });

  it('refuses a token living longer than one hour, issued in the future, or without an issue time', async () => {
    expect(await verifier.verify(await sign({ exp: iat + 3601 }))).toBeUndefined();
    // Issued a year ahead with an hour to live: it would stay valid for a year.
    expect(await verifier.verify(await sign({ iat: iat + 365 * 86400, exp: iat + 365 * 86400 + 3600 }))).toBeUndefined();
    const noIat = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setSubject('subject:x').setExpirationTime(iat + 600).sign(key);
    expect(await verifier.verify(noIat)).toBeUndefined();
  });

  it('refuses a role without its scope claim', async () => {
    expect(await verifier.verify(await sign({ payload: { role: 'subject' } }))).toBeUndefined();
    expect(await verifier.verify(await sign({ payload: { role: 'agency-reviewer' } }))).toBeUndefined();
  });
});

describe('LocalIssuer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'issuer-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('makes its ES256 key on first start under DATA_DIR with mode 0600, keeps it on the next start, and publishes only the public half', async () => {
    const first = await LocalIssuer.open(dir);
    const file = join(dir, 'keys', 'local-issuer.jwk.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await LocalIssuer.open(dir);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(first.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(JSON.parse(await readFile(file, 'utf8')).privateJwk).toHaveProperty('d');
  });

  it('signs one-hour ES256 tokens that the verifier accepts', async () => {
    const issuer = await LocalIssuer.open(dir);
    const token = await issuer.sign({ role: 'agency-reviewer', agencyId: '310000-samr' }, NOW);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(header.alg).toBe('ES256');
    expect(payload.exp - payload.iat).toBe(3600);
    const local = new TokenVerifier({ issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, keys: await issuer.publicKey(), clock });
    expect(await local.verify(token)).toMatchObject({ role: 'agency-reviewer', agencyId: '310000-samr' });
    // One signature character changed well inside it (the last one may only carry padding bits).
    const at = token.length - 20;
    expect(await local.verify(`${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`)).toBeUndefined();
  });
});
