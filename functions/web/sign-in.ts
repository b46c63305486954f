import type { Context, Hono } from 'hono';
import type { AppEnv } from '../api/context.js';

/**
 * A sign-in service the pages hand over to (the Cognito hosted UI on AWS):
 * `begin` sends the browser there, and the routes it registers take the
 * browser back, verify the token it brings and start the session.
 */
export interface SignInProvider {
  begin(c: Context<AppEnv>, next: string): Response | Promise<Response>;
  routes(app: Hono<AppEnv>): void;
}
