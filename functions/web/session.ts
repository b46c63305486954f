import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { decodeJwt } from 'jose';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Principal, Role } from '../../shared/auth/principal.js';
import type { TokenVerifier } from '../../shared/auth/token-verifier.js';
import { LANGS, type Lang } from '../../shared/i18n/texts.js';
import type { AppEnv } from '../api/context.js';

/** The session cookie holds the signed token itself: no server-side session to lose or replicate. */
export const SESSION_COOKIE = 'dp_session';
/** The double-submit CSRF token: a random value in a cookie that every form echoes in `_csrf`. */
export const CSRF_COOKIE = 'dp_csrf';
export const LANG_COOKIE = 'dp_lang';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Cookies are Secure wherever the site is served over https (always on AWS). */
const secureFor = (c: Context) => new URL(c.req.url).protocol === 'https:';

/** Where each role starts after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'subject':
      return '/me';
    case 'agency-reviewer':
    case 'provincial-reviewer':
      return '/queue';
    case 'auditor':
      return '/dashboard';
    case 'agency-officer':
    case 'partner':
      return '/';
    default: {
      const _exhaustive: never = role;
      return _exhaustive;
    }
  }
}

/** Signs in: the token becomes an HttpOnly, SameSite=Strict cookie that lives as long as the token. */
export function startSession(c: Context<AppEnv>, token: string, expiresInSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: secureFor(c), path: '/', maxAge: Math.max(1, Math.floor(expiresInSeconds)) });
  // A new session gets a new CSRF token, so a token planted before sign-in is worthless after it.
  setCookie(c, CSRF_COOKIE, randomBytes(24).toString('base64url'), { httpOnly: true, sameSite: 'Strict', secure: secureFor(c), path: '/' });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureFor(c) });
}

/** Seconds until a JWT's `exp`, read without verifying (it was verified before). */
export function secondsLeft(token: string, now: Date): number {
  return (decodeJwt(token).exp ?? 0) - now.getTime() / 1000;
}

/** Compares two secrets in constant time. */
export const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * For pages: the signed-in principal from the session cookie (verified like
 * a bearer token, so an expired or forged cookie is simply signed out), the
 * language (`?lang=` remembered in a cookie, zh-CN by default) and the CSRF
 * token, made on first visit.
 */
export function pageSession(verifier: TokenVerifier): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const principal = token ? await verifier.verify(token) : undefined;
    c.set('principal', principal);
    if (principal) c.set('sessionToken', token);
    else if (token) endSession(c);

    const asked = c.req.query('lang');
    const chosen = (LANGS as readonly string[]).includes(asked ?? '') ? (asked as Lang) : undefined;
    if (chosen) setCookie(c, LANG_COOKIE, chosen, { sameSite: 'Lax', secure: secureFor(c), path: '/', maxAge: 365 * 86400 });
    const remembered = getCookie(c, LANG_COOKIE);
    c.set('lang', chosen ?? ((LANGS as readonly string[]).includes(remembered ?? '') ? (remembered as Lang) : 'zh-CN'));

    let csrf = getCookie(c, CSRF_COOKIE);
    if (!csrf || !/^[\w-]{32}$/.test(csrf)) {
      csrf = randomBytes(24).toString('base64url');
      setCookie(c, CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'Strict', secure: secureFor(c), path: '/' });
    }
    c.set('csrf', csrf);
    await next();
  };
}

/**
 * Refuses a state-changing page request whose form (or, for the upload
 * script, header) does not echo the CSRF cookie. With SameSite=Strict
 * cookies this is the second lock: a forged cross-site form has neither.
 */
export async function csrfRefusal(c: Context<AppEnv>, form: Record<string, unknown> | undefined): Promise<string | undefined> {
  const expected = getCookie(c, CSRF_COOKIE);
  const given = c.req.header(CSRF_HEADER) ?? (typeof form?.[CSRF_FIELD] === 'string' ? (form[CSRF_FIELD] as string) : undefined);
  if (!expected || !given || !sameSecret(expected, given)) return 'The form has expired or did not come from this site. Reload the page and try again.';
  return undefined;
}
