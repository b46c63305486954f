/**
 * A Standard execution lives at most one year. Workflows that may outlast it
 * (a listing, a delivery a partner keeps refusing) hand over to a new
 * execution before this age, named after the old one with a generation suffix.
 */
const EXECUTION_HORIZON_MS = 330 * 86_400_000;

/** Whether an execution started at `startedAt` has reached the horizon at `now`. */
export const pastHorizon = (startedAt: string, now: Date) => now.getTime() - Date.parse(startedAt) >= EXECUTION_HORIZON_MS;

/** The instant an execution started at `startedAt` reaches the horizon. */
export const horizonOf = (startedAt: string) => Date.parse(startedAt) + EXECUTION_HORIZON_MS;

/** The name of the execution that continues `executionName`: `<base>-c<n+1>`. */
export function continuationName(executionName: string): string {
  const generation = Number(/-c(\d+)$/.exec(executionName)?.[1] ?? 0) + 1;
  return `${executionName.replace(/-c\d+$/, '')}-c${generation}`;
}
