import * as z from 'zod';
import type { FieldError } from '../platform/errors.js';

/** A calendar date in Asia/Shanghai, checked to be a real day. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'not a calendar date');

export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** Lists page with ?limit (default 50, at most 200) and an opaque ?cursor. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).regex(/^[A-Za-z0-9_-]+$/, 'not a cursor this API issued').optional(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Idempotency-Key: an opaque client token, as in the IETF draft; printable and short. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'expected 1-200 printable ASCII characters').optional();

/** Every issue of a failed parse as a field error, named by its path (prefixed, e.g. `query`). */
export function zodErrors(error: z.ZodError, prefix: string[] = []): FieldError[] {
  const pathOf = (path: PropertyKey[]) => [...prefix, ...path.map(String)].join('.') || '(body)';
  // A field the caller may not set (a status, a deadline, an agency) is named by its own path, one error each.
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'not a field of this request; it cannot be set' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}
