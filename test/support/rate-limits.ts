import { RATE_LIMITS, type RateLimits } from '../../shared/platform/rate-limits.js';

/**
 * For tests of other things, which issue a token for nearly every call and file
 * cases by the dozen within seconds, all from 127.0.0.1: the same limits a
 * thousand times higher, so a fast machine is never refused. Requests are still
 * counted. test/int/security-limits.int.test.ts runs against the real limits.
 */
export const ROOMY_RATE_LIMITS = Object.fromEntries(Object.entries(RATE_LIMITS).map(([name, limit]) => [name, { ...limit, limit: limit.limit * 1000 }])) as RateLimits;
