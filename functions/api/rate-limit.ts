import { ServiceUnavailableError } from '../../shared/platform/errors.js';
import type { Context, MiddlewareHandler } from 'hono';
import { isIPv6 } from 'node:net';
import type { RateLimitName } from '../../shared/platform/rate-limits.js';
import type { Deps } from '../deps.js';
import type { AppEnv } from './context.js';
import { problem } from './problems.js';

/** Answers a request over a limit; pages answer with a page, the API with a problem. Either way 429 with `Retry-After`. */
export type TooMany = (c: Context<AppEnv>, retryAfterSeconds: number) => Response | Promise<Response>;

const tooManyProblem: TooMany = (c, retryAfterSeconds) => problem(c, 429, `Too many requests; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });

/**
 * The address the request came from, as the platform saw the connection: API
 * Gateway's `sourceIp` on AWS, the socket's peer locally. Never a header the
 * client sent (X-Forwarded-For), which anyone can write. An IPv6 client is
 * counted by its /64, which one household or host usually holds whole.
 */
export function clientAddress(c: Context): string {
  const env = c.env as { requestContext?: { http?: { sourceIp?: string } }; incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const ip = env?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress;
  // An address that cannot be read is counted as one: such requests share a limit rather than escape it.
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  return isIPv6(ip) ? ipv6Prefix64(ip) : ip;
}

function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.toLowerCase().replace(/%.*$/, '').split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/**
 * Counts the request against each limit in turn; the first one reached answers
 * 429 and the request goes no further (the later limits do not count it).
 */
export async function overLimit(deps: Pick<Deps, 'clock' | 'rateLimits'>, c: Context<AppEnv>, checks: ReadonlyArray<readonly [RateLimitName, string]>, tooMany: TooMany = tooManyProblem): Promise<Response | undefined> {
  const now = deps.clock.now();
  for (const [name, key] of checks) {
    let verdict;
    try {
      verdict = await deps.rateLimits.hit(name, key, now);
    } catch (error) {
      // Closed, not open: an uncounted request could be the flood. The caller may try again shortly.
      throw new ServiceUnavailableError('The request could not be counted against its limit; try again shortly', 5, { cause: error });
    }
    if (verdict.allowed) continue;
    c.header('Retry-After', String(verdict.retryAfterSeconds));
    return tooMany(c, verdict.retryAfterSeconds);
  }
  return undefined;
}

/** Filing a case (POST /v1/cases): per client address, then per subject. Runs after the bearer token is read. */
export function limitFilings(deps: Pick<Deps, 'clock' | 'rateLimits'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const subjectId = c.get('principal')?.subjectId;
    const checks: Array<readonly [RateLimitName, string]> = [['filingPerIp', clientAddress(c)]];
    if (subjectId) checks.push(['filingPerSubject', subjectId]);
    return (await overLimit(deps, c, checks)) ?? next();
  };
}

/** Sending a listing batch (POST /v1/listings:batch): per agency, before the upload is read. Runs after the bearer token is read. */
export function limitBatches(deps: Pick<Deps, 'clock' | 'rateLimits'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (c.req.method !== 'POST' || principal?.role !== 'agency-officer' || !principal.agencyId) return next();
    return (await overLimit(deps, c, [['batchPerAgency', principal.agencyId]])) ?? next();
  };
}

/** Using a token: having one issued, signing in with one, per client address. */
export function limitTokenUse(deps: Pick<Deps, 'clock' | 'rateLimits'>, tooMany?: TooMany): MiddlewareHandler<AppEnv> {
  return async (c, next) => (await tokenUseOverLimit(deps, c, tooMany)) ?? next();
}

/** Counts one token use of the request's address; a response when the limit is reached. */
export function tokenUseOverLimit(deps: Pick<Deps, 'clock' | 'rateLimits'>, c: Context<AppEnv>, tooMany?: TooMany): Promise<Response | undefined> {
  return overLimit(deps, c, [['tokenUsePerIp', clientAddress(c)]], tooMany);
}
