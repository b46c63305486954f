import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorCode, type FieldError } from '../../shared/platform/errors.js';
import { asError, ConcurrentUpdateError, ServiceUnavailableError } from '../../shared/platform/errors.js';
import { log } from '../../shared/platform/log.js';

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONCURRENT_UPDATE: 409,
  INVALID_STATE: 409,
  RULE_REFUSED: 422,
};

/** The HTTP status a domain refusal is answered with. */
export const statusOf = (code: DomainErrorCode): ContentfulStatusCode => STATUS[code];

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Refused by rule',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** An RFC 9457 problem response. */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, extra: { errors?: FieldError[]; [k: string]: unknown } = {}) {
  const slug = (TITLES[status] ?? 'error').toLowerCase().replaceAll(' ', '-');
  return c.body(JSON.stringify({ type: `urn:due-process:problem:${slug}`, title: TITLES[status] ?? 'Error', status, detail, ...extra }), status, {
    'content-type': 'application/problem+json; charset=utf-8',
  });
}

/** The one mapping from thrown values to responses: refusals to 4xx, the unexpected to a logged 500. */
export function errorResponse(c: Context, error: unknown) {
  if (error instanceof DomainError) return problem(c, STATUS[error.code], error.message, error.details);
  if (error instanceof ConcurrentUpdateError) return problem(c, 409, 'Another change to this record was made at the same time; reload and try again');
  if (error instanceof ServiceUnavailableError) {
    c.header('Retry-After', String(error.retryAfterSeconds));
    return problem(c, 503, error.message);
  }
  log.error('unhandled', { method: c.req.method, path: c.req.path, error: asError(error) });
  return problem(c, 500, 'The request could not be completed');
}
