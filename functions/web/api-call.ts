import type { Context, Hono } from 'hono';
import type { FieldError } from '../../shared/platform/errors.js';
import type { AppEnv } from '../api/context.js';

/** What a JSON route answered: its data, or its problem with the fields it named. */
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; detail: string; errors: FieldError[]; problem: Record<string, unknown> };

/**
 * Pages act through the same JSON routes as every other client, as the
 * signed-in user: the same validation, scope rules and audit trail, with no
 * second path to keep in step. The call stays inside the process.
 */
export async function callApi<T>(app: Hono<AppEnv>, c: Context<AppEnv>, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  const res = await callApiRaw(app, c, method, path, body, headers);
  // A page refused for too many requests, or while a read cannot be recorded, says when to come back, as the API did.
  const retryAfter = res.status === 429 || res.status === 503 ? res.headers.get('retry-after') : null;
  if (retryAfter) c.header('Retry-After', retryAfter);
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.ok) return { ok: true, status: res.status, data: json as T };
  return { ok: false, status: res.status, detail: String(json.detail ?? res.statusText), errors: (json.errors as FieldError[] | undefined) ?? [], problem: json };
}

/** The same call, answering the route's response as it is: for files, whose bytes a page passes on. */
export async function callApiRaw(app: Hono<AppEnv>, c: Context<AppEnv>, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const token = c.get('sessionToken');
  // The page's own environment goes along, so the route sees the same client address (rate limits count it).
  return app.request(
    path,
    {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    c.env,
  );
}

/** The data, or a thrown refusal the page's error handler renders (404 for out of scope, as the API says). */
export async function readApi<T>(app: Hono<AppEnv>, c: Context<AppEnv>, path: string): Promise<T> {
  const result = await callApi<T>(app, c, 'GET', path);
  if (!result.ok) throw new PageRefusal(result.status, result.detail);
  return result.data;
}

export class PageRefusal extends Error {
  override readonly name = 'PageRefusal';
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}
