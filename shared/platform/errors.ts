/**
 * Domain refusals are values with the data a person needs; one mapper
 * (functions/api/problems.ts) turns them into RFC 9457 problem responses
 * and workflow tasks turn them into Step Functions error names.
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONCURRENT_UPDATE'
  | 'INVALID_STATE'
  | 'RULE_REFUSED';

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} was not found`);
export const invalid = (errors: FieldError[], message = 'The request has invalid fields') =>
  new DomainError('VALIDATION_FAILED', message, { errors });
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

/** A conditional write lost a race: someone else changed the record first. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdate';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Something a request depends on could not do its part just now; the same request may succeed shortly. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps a thrown non-Error so nothing is swallowed or stringified away. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
