import type { Context, Hono } from 'hono';
import type { AppEnv } from '../api/context.js';

/** Where the identity service sends the browser back to; the user pool client's callback URL is the site's URL plus this path. */
export const SIGN_IN_CALLBACK_PATH = '/auth/callback';

/** The app client's callback and sign-out URLs for the site: the stack registers exactly what the app sends. */
export function signInUrls(siteUrl: string): { callback: string; signedOut: string } {
  const site = siteUrl.replace(/\/+$/, '');
  return { callback: `${site}${SIGN_IN_CALLBACK_PATH}`, signedOut: `${site}/` };
}

/**
 * A sign-in service the pages hand over to (the Cognito hosted UI on AWS):
 * `begin` sends the browser there, and the routes it registers take the
 * browser back, verify the token it brings and start the session.
 */
export interface SignInProvider {
  begin(c: Context<AppEnv>, next: string): Response | Promise<Response>;
  routes(app: Hono<AppEnv>): void;
  /** Where to send the browser once the session cookie is gone, so the service's own session ends too. */
  signOutUrl?(): string;
  /**
   * The service's origin. A form posted with an expired session (or the sign-out
   * form) is redirected there, and browsers hold such redirects to the page's
   * CSP `form-action`, so the pages must allow it.
   */
  readonly origin?: string;
}
