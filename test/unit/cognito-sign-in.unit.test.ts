import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../functions/api/context.js';
import { CognitoSignIn, FLOW_COOKIE } from '../../functions/web/cognito-sign-in.js';
import { pageSession, SESSION_COOKIE } from '../../functions/web/session.js';
import { TokenVerifier } from '../../shared/auth/token-verifier.js';
import { personId } from '../support/identities.js';

const SITE = 'https://credit-dispute.example.cn';
const REDIRECT_URI = `${SITE}/auth/callback`;
const DOMAIN_URL = 'https://due-process.auth.ap-east-1.amazoncognito.com';
const CLIENT_ID = '4k1h2example0client';
const ISSUER = 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Example';
const NOW = new Date('2026-03-02T02:00:00Z');
const clock = { now: () => NOW };
const SUBJECT_ID = personId(1);

let cognitoKey: CryptoKey;
let otherKey: CryptoKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  const cognito = await generateKeyPair('ES256');
  cognitoKey = cognito.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  verifier = new TokenVerifier({ issuer: ISSUER, audience: CLIENT_ID, keys: cognito.publicKey, clock });
});

/** An ID token as Cognito issues it: the role as a group, the scope as a custom attribute, the client id as audience. */
function idToken(key: CryptoKey, claims: Record<string, unknown> = { 'cognito:groups': ['subject'], 'custom:subjectId': SUBJECT_ID }): Promise<string> {
  const iat = Math.floor(NOW.getTime() / 1000);
  return new SignJWT({ token_use: 'id', email: 'li.hua@example.cn', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'pool-key-1' })
    .setSubject('6c1e4d5a-user-1')
    .setIssuer(ISSUER)
    .setAudience(CLIENT_ID)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(key);
}

/**
 * A stand-in for the user pool's hosted UI and token endpoint: `authorize` is the person signing in
 * (it remembers the challenge and redirect URI the authorize request carried and hands out a code),
 * and `fetch` is the token endpoint, which redeems a code once and only with the matching verifier.
 */
class FakeCognito {
  answer: 'tokens' | 'unreachable' | 'server-error' = 'tokens';
  issue: () => Promise<string> = () => idToken(cognitoKey);
  readonly forms: URLSearchParams[] = [];
  private readonly codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();

  authorize(location: string): { code: string; state: string } {
    const url = new URL(location);
    const code = randomBytes(12).toString('hex');
    this.codes.set(code, { challenge: url.searchParams.get('code_challenge')!, redirectUri: url.searchParams.get('redirect_uri')!, clientId: url.searchParams.get('client_id')! });
    return { code, state: url.searchParams.get('state')! };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.answer === 'unreachable') throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
    const url = new URL(String(input));
    if (url.origin !== DOMAIN_URL || url.pathname !== '/oauth2/token' || init?.method !== 'POST') return Response.json({ error: 'not_found' }, { status: 404 });
    if (new Headers(init.headers).get('content-type') !== 'application/x-www-form-urlencoded') return Response.json({ error: 'invalid_request' }, { status: 400 });
    const form = new URLSearchParams(String(init.body));
    this.forms.push(form);
    if (this.answer === 'server-error') return new Response('Internal Server Error', { status: 500 });
    const granted = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const verifierMatches = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === granted?.challenge;
    if (form.get('grant_type') !== 'authorization_code' || !granted || granted.clientId !== form.get('client_id') || granted.redirectUri !== form.get('redirect_uri') || !verifierMatches || form.has('client_secret')) {
      return Response.json({ error: 'invalid_grant' }, { status: 400 });
    }
    return Response.json({ id_token: await this.issue(), access_token: 'opaque-access', refresh_token: 'opaque-refresh', expires_in: 3600, token_type: 'Bearer' });
  };
}

interface SetCookie {
  value: string;
  attributes: string[];
}

/** The cookies a response sets, the last one of each name winning, as a browser would keep them. */
function setCookies(res: Response): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of res.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), { value: decodeURIComponent(pair!.slice(eq + 1)), attributes: attributes.map((a) => a.toLowerCase()) });
  }
  return out;
}

let cognito: FakeCognito;
let app: Hono<AppEnv>;
let provider: CognitoSignIn;

beforeEach(() => {
  cognito = new FakeCognito();
  provider = new CognitoSignIn({ domainUrl: DOMAIN_URL, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, verifier, clock, fetch: cognito.fetch });
  app = new Hono<AppEnv>();
  // As the pages are served: the session middleware gives every page its principal, language and CSRF token.
  app.use('*', pageSession(verifier));
  app.get('/login', (c) => provider.begin(c, c.req.query('next') ?? ''));
  app.get('/whoami', (c) => c.text(c.get('principal')?.id ?? 'nobody'));
  provider.routes(app);
});

/** GET /login?next=…: the redirect to the hosted UI and the flow cookie it leaves. */
async function begin(next: string) {
  const res = await app.request(`${SITE}/login?next=${encodeURIComponent(next)}`);
  const flow = setCookies(res).get(FLOW_COOKIE);
  return { res, location: res.headers.get('location') ?? '', flow };
}

/** The browser coming back from the hosted UI to the callback, with the flow cookie and English pages. */
function callback(query: Record<string, string>, flowCookie: string | undefined) {
  const cookie = [`dp_lang=en`, ...(flowCookie ? [`${FLOW_COOKIE}=${flowCookie}`] : [])].join('; ');
  return app.request(`${SITE}/auth/callback?${new URLSearchParams(query)}`, { headers: { cookie } });
}

/** The whole round trip: begin, sign in at the (fake) hosted UI, come back with its code and state. */
async function signInVia(next: string) {
  const started = await begin(next);
  const { code, state } = cognito.authorize(started.location);
  return { started, res: await callback({ code, state }, started.flow?.value) };
}

describe('Cognito hosted UI sign-in', () => {
  it('begins with a redirect to the authorize endpoint: code flow, PKCE S256, a random state, and a short-lived Lax flow cookie', async () => {
    const { res, location, flow } = await begin('/cases/c-1');
    expect([302, 303]).toContain(res.status);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${DOMAIN_URL}/oauth2/authorize`);
    expect(location).toContain('scope=openid+email+profile');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'openid email profile', code_challenge_method: 'S256' });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(22);

    expect(flow).toBeDefined();
    expect(flow!.attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/auth/callback']));
    const maxAge = Number(flow!.attributes.find((a) => a.startsWith('max-age='))?.slice('max-age='.length));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(15 * 60);
    // The verifier stays with the browser; only its S256 challenge went to the hosted UI.
    expect(location).not.toContain(flow!.value.split('.')[1]);

    const again = await begin('/cases/c-1');
    expect(new URL(again.location).searchParams.get('state')).not.toBe(url.searchParams.get('state'));
    expect(new URL(again.location).searchParams.get('code_challenge')).not.toBe(url.searchParams.get('code_challenge'));
  });

  it('signs in on the callback with the right state and code: the token endpoint gets the code, the verifier and the redirect URI, the session holds the ID token, and the browser goes on to next', async () => {
    const { started, res } = await signInVia('/cases/c-1');
    expect(cognito.forms).toHaveLength(1);
    const form = Object.fromEntries(cognito.forms[0]!);
    expect(form).toEqual({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: expect.any(String), redirect_uri: REDIRECT_URI, code_verifier: started.flow!.value.split('.')[1] });

    expect(res.status).toBe(200);
    // The page moves on itself, a navigation of this site's own page, so the Strict session cookie goes with it.
    expect(res.headers.get('refresh')).toBe('0; url=/cases/c-1');
    expect(await res.text()).toContain('href="/cases/c-1"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookies = setCookies(res);
    const session = cookies.get(SESSION_COOKIE);
    expect(session).toBeDefined();
    expect(await verifier.verify(session!.value)).toMatchObject({ role: 'subject', subjectId: SUBJECT_ID, id: '6c1e4d5a-user-1' });
    expect(session!.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'secure', 'path=/', 'max-age=3600']));
    expect(cookies.get(FLOW_COOKIE)?.attributes).toContain('max-age=0');

    const who = await app.request(`${SITE}/whoami`, { headers: { cookie: `${SESSION_COOKIE}=${session!.value}` } });
    expect(await who.text()).toBe('6c1e4d5a-user-1');
  });

  it("goes to the role's home page when no next was asked for", async () => {
    const { res } = await signInVia('');
    expect(res.headers.get('refresh')).toBe('0; url=/me');
  });

  it('refuses a callback whose state is not the one in the flow cookie, or that has no flow cookie: 400, no session, no code redeemed', async () => {
    const started = await begin('/cases/c-1');
    const { code } = cognito.authorize(started.location);
    for (const res of [await callback({ code, state: 'forged-state-forged-state' }, started.flow!.value), await callback({ code, state: new URL(started.location).searchParams.get('state')! }, undefined)]) {
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('This sign-in has expired or did not start on this site');
      expect(setCookies(res).has(SESSION_COOKIE)).toBe(false);
    }
    expect(cognito.forms).toHaveLength(0);
  });

  it('refuses an ID token signed by another key: 401, no session', async () => {
    cognito.issue = () => idToken(otherKey);
    const { res } = await signInVia('/cases/c-1');
    expect(cognito.forms).toHaveLength(1);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('The identity token could not be verified');
    expect(setCookies(res).has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses a verified ID token of an account with no role: 401, no session', async () => {
    cognito.issue = () => idToken(cognitoKey, { 'cognito:groups': [] });
    const { res } = await signInVia('/cases/c-1');
    expect(res.status).toBe(401);
    expect(setCookies(res).has(SESSION_COOKIE)).toBe(false);
  });

  it.each(['unreachable', 'server-error'] as const)('answers a token endpoint that is %s with a 502 page, no session', async (answer) => {
    cognito.answer = answer;
    const { res } = await signInVia('/cases/c-1');
    expect(res.status).toBe(502);
    const page = await res.text();
    expect(page).toContain('The identity service could not be reached, so you are not signed in');
    expect(page).toContain(`href="/login?next=${encodeURIComponent('/cases/c-1')}"`);
    expect(setCookies(res).has(SESSION_COOKIE)).toBe(false);
  });

  it('answers a code the token endpoint will not redeem (already used, or the wrong verifier) with a 400 page to sign in again', async () => {
    const started = await begin('/cases/c-1');
    const { code, state } = cognito.authorize(started.location);
    const [flowState, , next] = started.flow!.value.split('.');
    const res = await callback({ code, state }, `${flowState}.${randomBytes(32).toString('base64url')}.${next}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in code has expired or was already used');
    expect(setCookies(res).has(SESSION_COOKIE)).toBe(false);
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example/', '/\t/evil.example'])('ignores next=%j and goes to the home page', async (next) => {
    const { res } = await signInVia(next);
    expect(res.status).toBe(200);
    expect(res.headers.get('refresh')).toBe('0; url=/me');
    expect(await res.text()).not.toContain('evil.example');
  });

  it("ends the hosted UI's session on sign-out, coming back to the site", () => {
    const url = new URL(provider.signOutUrl());
    expect(`${url.origin}${url.pathname}`).toBe(`${DOMAIN_URL}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${SITE}/` });
    expect(provider.origin).toBe(DOMAIN_URL);
  });
});
