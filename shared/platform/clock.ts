/** The one source of "now". Passed in, never read from Date.now() inside domain code. */
export interface Clock {
  now(): Date;
}

/** Wall-clock time, used on AWS. */
export const systemClock: Clock = { now: () => new Date() };
