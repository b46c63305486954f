import type { Context } from 'hono';
import { canonicalDigest } from '../../shared/audit/canonical-json.js';
import type { Principal } from '../../shared/auth/principal.js';
import { invalid } from '../../shared/platform/errors.js';
import { derivedId, newId } from '../../shared/platform/ids.js';
import { idempotencyKeySchema } from '../../shared/schemas/common.js';
import type { AppEnv } from './context.js';

/**
 * The id a create request makes, and the hash of what it asked. With an
 * `Idempotency-Key` the id is derived from the caller and the key, so a
 * retried request names the record the first one made; the hash tells a true
 * retry from a reuse of the key for something else.
 */
export function idempotentCreate(c: Context<AppEnv>, principal: Principal, prefix: string, now: Date, body: unknown): { id: string; requestHash: string; keyed: boolean } {
  const key = idempotencyKeySchema.safeParse(c.req.header('idempotency-key'));
  if (!key.success) throw invalid([{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }]);
  const requestHash = canonicalDigest(body);
  if (!key.data) return { id: newId(prefix, now), requestHash, keyed: false };
  return { id: derivedId(prefix, `${principal.id}\n${key.data}`), requestHash, keyed: true };
}
