import * as z from 'zod';

const count = z.number().int().min(0);
const date = z.string().describe('YYYY-MM-DD, Asia/Shanghai');

/** The review statistics of the agencies in the caller's scope (shared/domain/review-stats.ts). */
export const reviewStatsSchema = z.object({
  asOf: z.string().describe('the instant the figures were taken'),
  window: z.object({ from: date, to: date }).describe('the current month and the eleven before it, for the on-time, time-to-decision and escalation figures'),
  backlog: z.object({
    total: count,
    overdue: count.describe('open past the deadline now counted (the agency\'s or the province\'s)'),
    paused: count.describe('clock stopped, waiting for the subject\'s material'),
    weeks: z.array(z.object({ weekStart: date.describe('the Monday'), open: count })).describe('the other open cases by the week of their deadline, from the current week, none left out'),
  }),
  onTime: z.array(z.object({ agencyId: z.string(), onTime: count, late: count, rate: z.number().min(0).max(1).nullable() })).describe('per agency, cases filed with it whose agency stage ended in the window: decided by it within its deadline, or late (escalated); appeals, withdrawn and closed cases left out'),
  timeToDecision: z.array(z.object({ agencyId: z.string(), decided: count, medianWorkingDays: z.number().min(0).nullable() })).describe('per agency, cases filed with it and decided in the window (by it or the province): median working days from filing (not counted) to decision'),
  escalations: z.array(z.object({ month: z.string().describe('YYYY-MM'), escalated: count })).describe('escalations to the province by month, twelve months, oldest first'),
});

export type ReviewStatsBody = z.infer<typeof reviewStatsSchema>;
