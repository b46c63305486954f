import { addCalendarDays, addMonths, shanghaiDateOf, type IsoDate, type WorkingDayCalendar } from '../calendar/index.js';
import { dayOfWeek } from '../calendar/iso-date.js';
import { isOpenCase, isPaused, type CaseState } from './entry-state.js';
import { clockNow, isOverdue } from './review-clock.js';

/**
 * The figures of the reviewers' dashboard, from case states alone: what is
 * open and when it falls due, how often each agency decided within its own
 * deadline, how long decisions took in working days, and how many cases went
 * up to the province each month. Pure: the caller reads the cases (open ones
 * from the queues, finished ones of the window from the finished index) and
 * hands in the calendar and one reading of the clock.
 */
export interface ReviewStats {
  asOf: string;
  /** The twelve calendar months up to today (Asia/Shanghai) that the rate, time and escalation figures cover. */
  window: { from: IsoDate; to: IsoDate };
  backlog: Backlog;
  onTime: OnTimeRate[];
  timeToDecision: TimeToDecision[];
  escalations: MonthlyEscalations[];
}

/** Open cases: overdue ones, paused ones (waiting for the subject's material), and the rest by the week their deadline falls in. */
export interface Backlog {
  total: number;
  overdue: number;
  paused: number;
  /** Weeks starting Monday, from the current one to the last with a deadline, none left out. */
  weeks: Array<{ weekStart: IsoDate; open: number }>;
}

export interface OnTimeRate {
  agencyId: string;
  onTime: number;
  late: number;
  /** onTime / (onTime + late); null when the agency settled no case in the window. */
  rate: number | null;
}

export interface TimeToDecision {
  agencyId: string;
  decided: number;
  /** Working days from the filing day (not counted) to the decision day; null when nothing was decided. */
  medianWorkingDays: number | null;
}

export interface MonthlyEscalations {
  /** YYYY-MM in Asia/Shanghai. */
  month: string;
  escalated: number;
}

/** How many months the dashboard looks back, the current one included. */
export const STATS_MONTHS = 12;

/**
 * The window of the finished-case figures: the first day of the month eleven
 * months back, 00:00 in Shanghai, to now. `fromAt` is the instant finished
 * cases are read from.
 */
export function reviewStatsWindow(now: Date): { from: IsoDate; to: IsoDate; fromAt: string; months: string[] } {
  const today = shanghaiDateOf(now);
  const from = addMonths(`${today.slice(0, 7)}-01`, -(STATS_MONTHS - 1));
  const months = Array.from({ length: STATS_MONTHS }, (_, i) => addMonths(from, i).slice(0, 7));
  return { from, to: today, fromAt: new Date(`${from}T00:00:00+08:00`).toISOString(), months };
}

/** When a case left review: its decision, its withdrawal, or its closing with the entry; undefined while open. */
export function finishedAt(c: CaseState): string | undefined {
  switch (c.status) {
    case 'decided':
      return c.decision?.decidedAt;
    case 'withdrawn':
      return c.withdrawnAt;
    case 'closed':
      return [...c.timeline].reverse().find((t) => t.type === 'closed')?.at;
    default:
      return undefined;
  }
}

/** The Monday of the week a date falls in. */
export const weekStartOf = (d: IsoDate): IsoDate => addCalendarDays(d, -((dayOfWeek(d) + 6) % 7));

/**
 * Open cases by the deadline they are now counted against, at the agency or
 * the province. A case whose clock stands still has no running deadline and
 * counts as paused; one past its deadline counts as overdue, not in a week.
 */
export function backlogByWeek(cases: readonly CaseState[], calendar: WorkingDayCalendar, now: Date): Backlog {
  const ctx = { calendar, now };
  const thisWeek = weekStartOf(shanghaiDateOf(now));
  const byWeek = new Map<IsoDate, number>();
  let overdue = 0;
  let paused = 0;
  let total = 0;
  for (const stored of cases) {
    if (!isOpenCase(stored)) continue;
    total++;
    const c = clockNow(stored, ctx);
    if (isPaused(c)) paused++;
    else if (isOverdue(c, ctx)) overdue++;
    else byWeek.set(weekStartOf(c.deadline), (byWeek.get(weekStartOf(c.deadline)) ?? 0) + 1);
  }
  const last = [...byWeek.keys()].sort().at(-1) ?? thisWeek;
  const weeks: Backlog['weeks'] = [];
  for (let w = thisWeek; w <= last; w = addCalendarDays(w, 7)) weeks.push({ weekStart: w, open: byWeek.get(w) ?? 0 });
  return { total, overdue, paused, weeks };
}

/** Cases filed with an agency, as opposed to appeals, which are filed with the province. */
const filedWithAgency = (c: CaseState) => c.kind !== 'appeal';

/**
 * How a case filed with an agency left the agency: decided by it, on time
 * unless past its deadline with the clock running (a decision while the clock
 * stood still is on time), or escalated because the deadline passed, which is
 * late whatever the province then does. Undefined while the agency still has
 * it, and for withdrawn or closed cases, which measure no one.
 */
export function agencySettlement(c: CaseState): { at: string; onTime: boolean } | undefined {
  if (!filedWithAgency(c) || c.status === 'withdrawn' || c.status === 'closed') return undefined;
  if (c.escalatedAt) return { at: c.escalatedAt, onTime: false };
  if (c.decision?.level !== 'agency') return undefined;
  const stoppedClock = c.infoRequest !== undefined && c.infoRequest.resumedAt === undefined;
  return { at: c.decision.decidedAt, onTime: stoppedClock || Date.parse(c.decision.decidedAt) < Date.parse(c.deadlineAt) };
}

const inWindow = (at: string, fromAt: string, now: Date) => Date.parse(at) >= Date.parse(fromAt) && Date.parse(at) <= now.getTime();

/** Per agency, of the cases it settled in the window: how many it decided within its deadline. */
export function onTimeByAgency(cases: readonly CaseState[], agencyIds: readonly string[], now: Date): OnTimeRate[] {
  const { fromAt } = reviewStatsWindow(now);
  return agencyIds.map((agencyId) => {
    const settled = cases
      .filter((c) => c.agencyId === agencyId)
      .map(agencySettlement)
      .filter((s): s is { at: string; onTime: boolean } => s !== undefined && inWindow(s.at, fromAt, now));
    const onTime = settled.filter((s) => s.onTime).length;
    const late = settled.length - onTime;
    return { agencyId, onTime, late, rate: settled.length > 0 ? onTime / settled.length : null };
  });
}

/** The middle value, or the mean of the two middle values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Per agency, the median working days from filing to decision of the cases
 * filed with it and decided in the window, by the agency or, escalated, by the
 * province. Counted like a period (the filing day is not counted, the decision
 * day is), with the official calendar; a pause for the subject's material is
 * time the subject waited, so it counts.
 */
export function timeToDecisionByAgency(cases: readonly CaseState[], agencyIds: readonly string[], calendar: WorkingDayCalendar, now: Date): TimeToDecision[] {
  const { fromAt } = reviewStatsWindow(now);
  return agencyIds.map((agencyId) => {
    const days = cases
      .filter((c) => c.agencyId === agencyId && filedWithAgency(c) && c.status === 'decided' && c.decision && inWindow(c.decision.decidedAt, fromAt, now))
      .map((c) => calendar.workingDaysBetween(shanghaiDateOf(c.filedAt), shanghaiDateOf(c.decision!.decidedAt)));
    return { agencyId, decided: days.length, medianWorkingDays: median(days) };
  });
}

/** Escalations to the province by the month (Asia/Shanghai) they happened, the last twelve months, whatever became of the case since. */
export function escalationsByMonth(cases: readonly CaseState[], now: Date): MonthlyEscalations[] {
  const { months } = reviewStatsWindow(now);
  const counts = new Map(months.map((m) => [m, 0]));
  for (const c of cases) {
    if (!c.escalatedAt || Date.parse(c.escalatedAt) > now.getTime()) continue;
    const month = shanghaiDateOf(c.escalatedAt).slice(0, 7);
    if (counts.has(month)) counts.set(month, counts.get(month)! + 1);
  }
  return months.map((month) => ({ month, escalated: counts.get(month)! }));
}

/**
 * The four series for the agencies in scope. A case read twice (it finished
 * between the read of the queues and of the finished index) counts once, as
 * the later of the two readings.
 */
export function reviewStats(input: { agencyIds: readonly string[]; cases: readonly CaseState[] }, calendar: WorkingDayCalendar, now: Date): ReviewStats {
  const scope = new Set(input.agencyIds);
  const latest = new Map<string, CaseState>();
  for (const c of input.cases) {
    if (!scope.has(c.agencyId)) continue;
    const seen = latest.get(c.caseId);
    if (!seen || c.timeline.length > seen.timeline.length) latest.set(c.caseId, c);
  }
  const cases = [...latest.values()];
  const { from, to } = reviewStatsWindow(now);
  return {
    asOf: now.toISOString(),
    window: { from, to },
    backlog: backlogByWeek(cases, calendar, now),
    onTime: onTimeByAgency(cases, input.agencyIds, now),
    timeToDecision: timeToDecisionByAgency(cases, input.agencyIds, calendar, now),
    escalations: escalationsByMonth(cases, now),
  };
}
