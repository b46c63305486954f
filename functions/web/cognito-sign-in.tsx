import { createHash, randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod';
import type { TokenVerifier } from '../../shared/auth/token-verifier.js';
import type { Text } from '../../shared/i18n/texts.js';
import { asError } from '../../shared/platform/errors.js';
import type { Clock } from '../../shared/platform/clock.js';
import { log } from '../../shared/platform/log.js';
import type { AppEnv } from '../api/context.js';
import { render, tr } from './layout.js';
import { safeNext } from './pages/common.js';
import { homeOf, sameSecret, secondsLeft, startSession } from './session.js';
import { SIGN_IN_CALLBACK_PATH, type SignInProvider } from './sign-in.js';

/** The sign-in in progress: state, PKCE verifier and where to go afterwards, for the callback only. */
export const FLOW_COOKIE = 'dp_signin';
/** Time to sign in at the hosted UI, MFA included; a later callback starts again. */
const FLOW_SECONDS = 10 * 60;
/** Well inside the API function's 29 s, so a hung token endpoint still gets its page. */
const TOKEN_TIMEOUT_MS = 8_000;
/** `next` rides in a cookie; a longer one is dropped rather than overflow it. */
const MAX_NEXT_CHARS = 1_024;

export interface CognitoSignInOptions {
  /** The user pool domain: https://<prefix>.auth.<region>.amazoncognito.com */
  domainUrl: string;
  /** The public app client (no secret): the id token's audience. */
  clientId: string;
  /** `${site}/auth/callback`, exactly as registered on the app client. */
  redirectUri: string;
  /** Where Cognito's sign-out returns to, a sign-out URL of the app client; by default the root of the redirect URI's site. */
  signedOutUri?: string;
  verifier: TokenVerifier;
  clock: Clock;
  /** The token endpoint is reached through this; a stand-in for Cognito in tests. */
  fetch?: typeof fetch;
}

/** The token endpoint did not answer usefully: down, slow, or not speaking OAuth. */
export class TokenEndpointUnavailable extends Error {
  override readonly name = 'TokenEndpointUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const T = {
  title: { zh: '登录', en: 'Sign in' },
  signedIn: { zh: '已登录', en: 'Signed in' },
  continue: { zh: '继续', en: 'Continue' },
  again: { zh: '重新登录', en: 'Sign in again' },
  staleFlow: { zh: '登录请求已过期，或不是从本网站发起的。请重新登录。', en: 'This sign-in has expired or did not start on this site. Please sign in again.' },
  refusedAtService: { zh: '统一身份认证未完成登录。', en: 'The identity service did not complete the sign-in.' },
  codeSpent: { zh: '该登录凭证已失效或已被使用。请重新登录。', en: 'This sign-in code has expired or was already used. Please sign in again.' },
  notAccepted: { zh: '身份令牌无法验证，或您的账号尚未分配角色。请联系管理员。', en: 'The identity token could not be verified, or your account has no role yet. Please contact the administrator.' },
  unavailable: { zh: '统一身份认证服务暂时无法访问，未能完成登录。请稍后重试。', en: 'The identity service could not be reached, so you are not signed in. Please try again later.' },
} satisfies Record<string, Text>;

const tokenResponse = z.object({ id_token: z.string().min(1) });

type Exchange = { idToken: string } | { refused: 'spent' | 'unavailable' };

interface Flow {
  state: string;
  codeVerifier: string;
  next: string;
}

const b64url = /^[\w-]+$/;

/** The flow cookie, or nothing if it is absent or not one this provider wrote. */
function readFlow(value: string | undefined): Flow | undefined {
  const [state, codeVerifier, next, ...rest] = (value ?? '').split('.');
  if (rest.length > 0 || !state || !codeVerifier || next === undefined || !b64url.test(state) || !b64url.test(codeVerifier)) return undefined;
  return { state, codeVerifier, next: Buffer.from(next, 'base64url').toString('utf8') };
}

/**
 * A path on this site, or the fallback. Normalised as the browser will read it, then checked
 * again: `/\t/evil.example` passes a plain prefix test but a browser strips the tab and goes off-site.
 */


/**
 * Sign-in through the Cognito hosted UI: the authorization-code flow with
 * PKCE (S256) for a public client. The session holds the **ID token**, which
 * carries the groups and custom attributes a principal is read from and has
 * the client id as its audience (an access token has neither).
 */
export class CognitoSignIn implements SignInProvider {
  readonly origin: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CognitoSignInOptions) {
    this.origin = new URL(options.domainUrl).origin;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  begin(c: Context<AppEnv>, next: string): Response {
    const state = randomBytes(24).toString('base64url');
    const codeVerifier = randomBytes(32).toString('base64url');
    const kept = next.length <= MAX_NEXT_CHARS ? safeNext(next, '') : '';
    // Lax, not Strict: the hosted UI comes back with a cross-site top-level GET, which Strict would strip the cookie from.
    setCookie(c, FLOW_COOKIE, [state, codeVerifier, Buffer.from(kept).toString('base64url')].join('.'), {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: SIGN_IN_CALLBACK_PATH,
      maxAge: FLOW_SECONDS,
    });
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      scope: 'openid email profile',
      state,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${this.origin}/oauth2/authorize?${params}`, 302);
  }

  /** Cognito's sign-out endpoint, which ends the hosted UI's session and comes back to the site's home page. */
  signOutUrl(): string {
    const params = new URLSearchParams({ client_id: this.options.clientId, logout_uri: this.options.signedOutUri ?? new URL('/', this.options.redirectUri).href });
    return `${this.origin}/logout?${params}`;
  }

  routes(app: Hono<AppEnv>): void {
    app.get(SIGN_IN_CALLBACK_PATH, (c) => this.callback(c));
  }

  private async callback(c: Context<AppEnv>): Promise<Response> {
    c.header('Cache-Control', 'no-store');
    const flow = readFlow(getCookie(c, FLOW_COOKIE));
    const state = c.req.query('state');
    // Checked before anything else: a callback this browser did not start (login CSRF) must not sign it in.
    // A mismatch leaves the cookie alone, so a forged callback cannot spoil a sign-in under way.
    if (!flow || !state || !sameSecret(flow.state, state)) return this.refusal(c, 400, T.staleFlow, { retry: flow?.next ?? '' });
    deleteCookie(c, FLOW_COOKIE, { path: SIGN_IN_CALLBACK_PATH, secure: true });

    const code = c.req.query('code');
    if (!code) return this.refusal(c, 400, T.refusedAtService, { retry: flow.next, detail: c.req.query('error_description') ?? c.req.query('error') });
    const exchanged = await this.exchange(code, flow.codeVerifier);
    if ('refused' in exchanged) return exchanged.refused === 'spent' ? this.refusal(c, 400, T.codeSpent, { retry: flow.next }) : this.refusal(c, 502, T.unavailable, { retry: flow.next });

    const principal = await this.options.verifier.verify(exchanged.idToken);
    // Signing in again would bring the same token: no retry link.
    if (!principal) return this.refusal(c, 401, T.notAccepted, {});
    startSession(c, exchanged.idToken, secondsLeft(exchanged.idToken, this.options.clock.now()));
    c.set('principal', principal);
    const next = safeNext(flow.next, homeOf(principal.role));
    // Not a redirect: this response belongs to a navigation the hosted UI started, and browsers withhold
    // SameSite=Strict cookies from every redirect of it, so `next` would load signed out and send the
    // browser round to sign in again. A refresh is a navigation of this site's own page, and carries them.
    c.header('Refresh', `0; url=${next}`);
    return render(c, 200, T.signedIn, <p><a href={next}>{tr(c, T.continue)}</a></p>);
  }

  /** Trades the code for tokens; only a spent or expired code is the person's to retry, anything else is the service's failure. */
  private async exchange(code: string, codeVerifier: string): Promise<Exchange> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: this.options.clientId, code, redirect_uri: this.options.redirectUri, code_verifier: codeVerifier });
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetch(`${this.origin}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      return this.unavailable(new TokenEndpointUnavailable('The token endpoint did not answer', { cause: asError(error) }));
    }
    if (response.status === 400 && (body as { error?: unknown } | undefined)?.error === 'invalid_grant') return { refused: 'spent' };
    if (!response.ok) return this.unavailable(new TokenEndpointUnavailable(`The token endpoint answered ${response.status}`, { cause: body }));
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) return this.unavailable(new TokenEndpointUnavailable('The token endpoint answered without an id_token'));
    return { idToken: parsed.data.id_token };
  }

  private unavailable(error: TokenEndpointUnavailable): Exchange {
    log.error('sign-in', { error });
    return { refused: 'unavailable' };
  }

  /** A page saying why the person is not signed in, with the way to try again (back to `retry`) where trying again can help. */
  private refusal(c: Context<AppEnv>, status: 400 | 401 | 502, message: Text, { retry, detail }: { retry?: string; detail?: string }): Response | Promise<Response> {
    const back = safeNext(retry, '');
    const again = retry === undefined ? undefined : `/login${back ? `?next=${encodeURIComponent(back)}` : ''}`;
    return render(
      c,
      status,
      T.title,
      <>
        <p role="alert">{tr(c, message)}</p>
        {detail ? <p class="mono">{detail.slice(0, 200)}</p> : null}
        {again ? <p><a href={again}>{tr(c, T.again)}</a></p> : null}
      </>,
    );
  }
}
