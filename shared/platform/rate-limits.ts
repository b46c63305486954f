/**
 * How often one caller may do the costly things: file a case, and use a token
 * (have one issued, sign in, or present one that does not verify). Each limit
 * is a count in a fixed window, kept per subject or per client address.
 *
 * - A subject files at most 10 cases a minute: a party has a handful of entries
 *   and one open case per entry and kind, so more than that is a script.
 * - One address files at most 300 a minute: a law firm or a legal-aid office
 *   behind one gateway files for many parties at once (a listing round can
 *   reach hundreds of entries in a day), while a flood from one host stops.
 * - One address uses tokens at most 120 times a minute: a sign-in takes one or
 *   two, so an office full of people signing in fits, and guessing or replaying
 *   tokens (thousands of tries) does not.
 * - An agency sends at most 20 listing batches an hour: up to 200,000
 *   proposals, about the national court list's busiest month, each with its
 *   notices. More is a script gone wrong or a stolen token.
 */
export interface RateLimit {
  /** Requests allowed in one window; the next one is refused until the window ends. */
  limit: number;
  windowSeconds: number;
  /** What the count is kept per. */
  per: 'subject' | 'ip' | 'agency';
}

export const RATE_LIMITS = {
  filingPerSubject: { limit: 10, windowSeconds: 60, per: 'subject' },
  filingPerIp: { limit: 300, windowSeconds: 60, per: 'ip' },
  tokenUsePerIp: { limit: 120, windowSeconds: 60, per: 'ip' },
  batchPerAgency: { limit: 20, windowSeconds: 3600, per: 'agency' },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * Before the app, on AWS. The API stage's throttling caps the whole API (every
 * route, every caller): its steady rate per second and the burst above it.
 */
export const API_STAGE_THROTTLE = { ratePerSecond: 100, burst: 200 } as const;

/**
 * The sign-in service (the Cognito user pool: hosted UI and its endpoints),
 * behind AWS WAF: requests per address in the 5 minutes WAF counts over. A
 * sign-in takes a few requests, so this allows some ten a minute from one
 * address, about the app's own limit on token use.
 */
export const SIGN_IN_SERVICE_LIMIT = { requests: 300, windowSeconds: 300 } as const;
export type RateLimits = Record<RateLimitName, RateLimit>;

/** The fixed window `now` falls in: where it starts (the counter's key) and when it ends. */
export interface RateWindow {
  /** ISO instant the window starts at. */
  startsAt: string;
  endsAtEpochSeconds: number;
  /** Whole seconds until the window ends, at least 1: the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
}

/** Windows are aligned to the epoch, so every instance of the function counts in the same window. */
export function rateWindow(now: Date, windowSeconds: number): RateWindow {
  const nowMs = now.getTime();
  const lengthMs = windowSeconds * 1000;
  const startMs = Math.floor(nowMs / lengthMs) * lengthMs;
  const endMs = startMs + lengthMs;
  return { startsAt: new Date(startMs).toISOString(), endsAtEpochSeconds: endMs / 1000, retryAfterSeconds: Math.max(1, Math.ceil((endMs - nowMs) / 1000)) };
}
