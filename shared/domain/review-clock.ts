import { computePeriodEnd, endOfDayAt, shanghaiDateOf, addCalendarDays, type Period } from '../calendar/index.js';
import { DomainError, invalid } from '../platform/errors.js';
import type { PolicyProfile } from '../policy/schema.js';
import { requireCase, requireLevel, requireNotHeldByOther, requireOpen, reviewPeriodOf } from './cases.js';
import { evolveCase } from './case-evolve.js';
import { holderOf, isOpenCase, isPaused, restingStatus, type CaseEscalated, type CaseExtended, type CaseInfoRequested, type CaseMarkedOverdue, type CaseReminded, type CaseResumed, type CaseState, type CaseSupplemented, type EntryState, type Evidence, type ReviewLevel } from './entry-state.js';
import type { DecideContext } from './listing.js';

const DAY_MS = 86_400_000;
/** Evidence files a case may carry, with its supplements. */
const MAX_FILES_PER_CASE = 10;

const profileOf = (c: CaseState, ctx: Pick<DecideContext, 'policies'>) => ctx.policies.profileVersion(c.policy.profileId, c.policy.version);

/**
 * What is left of a period after today, in the unit it is counted in: working
 * days stay working days, anything else is counted in calendar days. At least
 * one, so a clock stopped on its last day still gives a day when it runs again.
 */
function remainingAfter(ctx: Pick<DecideContext, 'calendar'>, today: string, until: string, unit: Period['unit']): Period {
  if (unit === 'workingDays') return { unit, value: Math.max(1, ctx.calendar.workingDaysBetween(today, until)) };
  return { unit: 'calendarDays', value: Math.max(1, Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS)) };
}

export interface RequestInfo {
  caseId: string;
  by: string;
  level: ReviewLevel;
  questions: string[];
}

/**
 * The reviewer asks the subject once, listing everything missing. The review
 * clock stops with what was left of it, and the subject has the policy's time to answer.
 */
export function requestInfo(cmd: RequestInfo, state: EntryState, ctx: DecideContext): CaseInfoRequested[] {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  requireLevel(c, cmd.level);
  requireNotHeldByOther(c, cmd.by, ctx.now);
  if (c.infoRequest) throw new DomainError('INVALID_STATE', `The subject of case ${c.caseId} was already asked for material on ${shanghaiDateOf(c.infoRequest.at)}; it is asked once, listing everything missing`, { askedAt: c.infoRequest.at });
  requireBeforeDeadline(c, ctx);
  // Past its deadline a case is decided, not paused: asking then would hand the reviewer a fresh deadline.
  if (ctx.now.getTime() >= Date.parse(c.deadlineAt)) throw new DomainError('INVALID_STATE', `The deadline of case ${c.caseId} passed on ${c.deadline} at 24:00; it is decided on the file`, { deadline: c.deadline });
  const profile = profileOf(c, ctx);
  const today = shanghaiDateOf(ctx.now);
  const answer = computePeriodEnd(ctx.calendar, today, profile.deadlines.supplementAnswer);
  const unit = reviewPeriodOf(c, profile).unit;
  return [{
    type: 'CaseInfoRequested',
    data: {
      caseId: c.caseId,
      questions: cmd.questions,
      by: cmd.by,
      at: ctx.now.toISOString(),
      answerDue: answer.endDate,
      answerDueAt: answer.endsAt,
      remaining: remainingAfter(ctx, today, c.deadline, unit === 'workingDays' ? 'workingDays' : 'calendarDays'),
      ...(c.capDate ? { capRemaining: remainingAfter(ctx, today, c.capDate, 'workingDays') } : {}),
    },
  }];
}

/** An agency's own deadline, once passed, leaves nothing for it to do but let the case escalate. */
export function requireBeforeDeadline(case_: CaseState, ctx: DecideContext) {
  const c = clockNow(case_, ctx);
  if (c.level === 'agency' && !isPaused(c) && ctx.now.getTime() >= Date.parse(c.deadlineAt)) {
    throw new DomainError('INVALID_STATE', `The agency's deadline for case ${c.caseId} passed on ${c.deadline} at 24:00; it escalates to the province`, { deadline: c.deadline });
  }
}

/** The clock runs again at `at`: the remaining time counts from that day, and reminders move by the time it stood still. */
function resumed(c: CaseState, by: 'supplement' | 'no-answer', at: Date, ctx: Pick<DecideContext, 'calendar'>): CaseResumed {
  const request = c.infoRequest!;
  // Time runs again from the day after the supplement, or after the last day to answer.
  const day = by === 'no-answer' ? request.answerDue : shanghaiDateOf(at);
  const deadline = computePeriodEnd(ctx.calendar, day, request.remaining);
  const pausedMs = at.getTime() - Date.parse(request.at);
  return {
    type: 'CaseResumed',
    data: {
      caseId: c.caseId,
      at: at.toISOString(),
      by,
      deadline: deadline.endDate,
      deadlineAt: deadline.endsAt,
      deadlineProvisional: deadline.provisional,
      clockStartedAt: new Date(Date.parse(c.clockStartedAt) + pausedMs).toISOString(),
      ...(request.capRemaining ? { capDate: computePeriodEnd(ctx.calendar, day, request.capRemaining).endDate } : {}),
    },
  };
}

/**
 * The resumption a pause owes once its answer time has run out, for a
 * command to record before its own events, so nothing is decided on a clock
 * the trail does not show.
 */
export function catchUp(c: CaseState, ctx: Pick<DecideContext, 'calendar' | 'now'>): CaseResumed[] {
  if (!isPaused(c) || ctx.now.getTime() < Date.parse(c.infoRequest!.answerDueAt)) return [];
  return [resumed(c, 'no-answer', new Date(c.infoRequest!.answerDueAt), ctx)];
}

/** A case as its clock stands now: a pause whose answer time has run out is over, even before the trail records it. */
export function clockNow(c: CaseState, ctx: Pick<DecideContext, 'calendar' | 'now'>): CaseState {
  return catchUp(c, ctx).reduce(evolveCase, c);
}

/** The subject's supplementary material. While the clock waits for it, it runs again from today. */
const sameFiles = (a: Evidence[], b: Evidence[]) => a.length === b.length && a.every((f, i) => f.sha256 === b[i]!.sha256 && f.name === b[i]!.name);

export function supplementCase(cmd: { caseId: string; text: string; evidence: Evidence[] }, state: EntryState, ctx: DecideContext): Array<CaseSupplemented | CaseResumed> {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  // The same material again (a retried submission: the last supplement's text and files) decides nothing.
  const last = c.supplements.at(-1);
  if (last && last.text === cmd.text && sameFiles(last.evidence, cmd.evidence)) return [];
  const filed = c.evidence.length + c.supplements.reduce((n, s) => n + s.evidence.length, 0);
  if (filed + cmd.evidence.length > MAX_FILES_PER_CASE) {
    throw invalid([{ path: 'evidence', message: `at most ${MAX_FILES_PER_CASE} files per case; ${filed} are already on file, so at most ${Math.max(0, MAX_FILES_PER_CASE - filed)} more` }]);
  }
  const supplemented: CaseSupplemented = { type: 'CaseSupplemented', data: { caseId: c.caseId, at: ctx.now.toISOString(), text: cmd.text, evidence: cmd.evidence } };
  if (!isPaused(c)) return [supplemented];
  const answerDueAt = new Date(c.infoRequest!.answerDueAt);
  // A late answer is still material on the file, but the clock ran again when its time ran out.
  return ctx.now < answerDueAt ? [supplemented, resumed(c, 'supplement', ctx.now, ctx)] : [resumed(c, 'no-answer', answerDueAt, ctx), supplemented];
}

export interface ExtendReview {
  caseId: string;
  by: string;
  reason: string;
  workingDays: number;
}

/** One extension of an objection or correction review, with a written reason, within the policy's cap. */
export function extendReview(cmd: ExtendReview, state: EntryState, ctx: DecideContext): Array<CaseResumed | CaseExtended> {
  const stored = requireCase(state, cmd.caseId);
  const caught = catchUp(stored, ctx);
  const c = caught.reduce(evolveCase, stored);
  requireOpen(c);
  requireLevel(c, 'agency');
  requireNotHeldByOther(c, cmd.by, ctx.now);
  if (!c.capDate) throw new DomainError('RULE_REFUSED', `A ${c.kind} review cannot be extended`, { kind: c.kind });
  if (c.extension) throw new DomainError('RULE_REFUSED', `Case ${c.caseId} was already extended once, to ${c.deadline}`, { deadline: c.deadline });
  if (isPaused(c)) throw new DomainError('INVALID_STATE', `The review clock of case ${c.caseId} stands still until the subject answers; extend it once it runs again`);
  requireBeforeDeadline(c, ctx);
  const most = ctx.calendar.workingDaysBetween(c.deadline, c.capDate);
  if (most < 1) throw new DomainError('RULE_REFUSED', `The deadline ${c.deadline} is already at the policy's cap`, { capDate: c.capDate });
  if (cmd.workingDays > most) throw invalid([{ path: 'workingDays', message: `at most ${most}: the review may not run past ${c.capDate}` }]);
  const deadline = computePeriodEnd(ctx.calendar, c.deadline, { unit: 'workingDays', value: cmd.workingDays });
  return [...caught, {
    type: 'CaseExtended',
    data: { caseId: c.caseId, at: ctx.now.toISOString(), by: cmd.by, reason: cmd.reason, workingDays: cmd.workingDays, previousDeadline: c.deadline, deadline: deadline.endDate, deadlineAt: deadline.endsAt, deadlineProvisional: deadline.provisional },
  }];
}

/** The instant a day begins in Asia/Shanghai: 24:00 of the day before. */
const startOfDay = (date: string) => endOfDayAt(addCalendarDays(date, -1));

/**
 * When the reviewers of a running review are reminded: once the policy's
 * share of the time has passed, and at the start of the last working day.
 * The share of a working-day period is counted in working days (80% of 5 is
 * after the 4th); of any other period, in time. A reminder that falls on a
 * day off moves to the start of the next working day; when it then meets the
 * last-day reminder, that one serves for both.
 */
export function reminderSchedule(c: CaseState, ctx: Pick<DecideContext, 'policies' | 'calendar'>): Array<{ key: string; at: string }> {
  if (!isOpenCase(c) || isPaused(c)) return [];
  const profile = profileOf(c, ctx);
  const start = Date.parse(c.clockStartedAt);
  const lastDay = Date.parse(startOfDay(c.deadline));
  let share: number;
  if (reviewPeriodOf(c, profile).unit === 'workingDays') {
    const startDay = shanghaiDateOf(c.clockStartedAt);
    const elapsed = Math.ceil(profile.reminderAtFraction * ctx.calendar.workingDaysBetween(startDay, c.deadline));
    share = Date.parse(endOfDayAt(ctx.calendar.addWorkingDays(startDay, elapsed)));
  } else {
    share = start + profile.reminderAtFraction * (Date.parse(c.deadlineAt) - start);
  }
  let day = shanghaiDateOf(new Date(share));
  if (!ctx.calendar.isWorkingDay(day)) {
    while (!ctx.calendar.isWorkingDay(day)) day = addCalendarDays(day, 1);
    share = Date.parse(startOfDay(day));
  }
  const out: Array<{ key: string; at: string }> = [];
  if (share < lastDay && share > start) out.push({ key: `${c.level}:80%@${c.deadline}`, at: new Date(share).toISOString() });
  if (lastDay > start) out.push({ key: `${c.level}:last-day@${c.deadline}`, at: new Date(lastDay).toISOString() });
  return out;
}

export type ReviewClock =
  | { open: false; step: 'closed' }
  | { open: true; step: 'await-decision' | 'await-info'; level: ReviewLevel; secondsLeft: number; action: 'wait' | 'escalated' | 'overdue' };

/** What a waiting review depends on: when it changes, the waiting step is woken to look again. */
export function reviewClockKey(c: CaseState): string {
  // Claims and releases are not in it: they change nothing the clock keeps.
  return [isOpenCase(c), isPaused(c), c.level, c.deadlineAt, c.infoRequest?.at ?? '', c.infoRequest?.resumedAt ?? '', c.reminders.length].join('|');
}

/**
 * The review clock ticks: resumes a pause whose answer time ran out (the case
 * is then decided on the file), escalates an agency breach to the province,
 * marks a provincial breach overdue and reminds again at the end of the next
 * working day, sends the reminders that fell due, and says how long to wait
 * for the next thing that can happen.
 */
export function reviewClock(caseId: string, state: EntryState, ctx: DecideContext): { events: Array<CaseResumed | CaseEscalated | CaseMarkedOverdue | CaseReminded>; result: ReviewClock } {
  const c = requireCase(state, caseId);
  if (!isOpenCase(c)) return { events: [], result: { open: false, step: 'closed' } };
  const now = ctx.now.getTime();
  if (isPaused(c)) {
    const answerDueAt = c.infoRequest!.answerDueAt;
    if (now < Date.parse(answerDueAt)) return { events: [], result: { open: true, step: 'await-info', level: c.level, secondsLeft: secondsUntil(answerDueAt, now), action: 'wait' } };
    // No answer in time: the clock runs again from the answer deadline, and the case is decided on the file.
    const caught = catchUp(c, ctx);
    const next = tick(caught.reduce(evolveCase, c), ctx);
    return { events: [...caught, ...next.events], result: next.result };
  }
  return tick(c, ctx);
}

function tick(c: CaseState, ctx: DecideContext): { events: Array<CaseEscalated | CaseMarkedOverdue | CaseReminded>; result: ReviewClock & { open: true } } {
  const now = ctx.now.getTime();
  const at = ctx.now.toISOString();
  if (now >= Date.parse(c.deadlineAt)) {
    if (c.level === 'agency') {
      // Counted from the day the agency's deadline ran out, so a late timer gives the province no extra days.
      const deadline = computePeriodEnd(ctx.calendar, c.deadline, profileOf(c, ctx).deadlines.provincialReview);
      const escalation: CaseEscalated = { type: 'CaseEscalated', data: { caseId: c.caseId, at, deadline: deadline.endDate, deadlineAt: deadline.endsAt, deadlineProvisional: deadline.provisional } };
      return {
        events: [escalation],
        result: { open: true, step: 'await-decision', level: 'province', secondsLeft: secondsUntil(nextWake(evolveCase(c, escalation), ctx), now), action: 'escalated' },
      };
    }
    // Overdue at the province: still decidable, reminded once for every working day that ends undecided:
    // the last working day whose 24:00 has passed (the timer fires at 24:00, already the next day's 00:00;
    // a retry later in the day finds the same day, already reminded).
    let day = addCalendarDays(shanghaiDateOf(ctx.now), -1);
    while (!ctx.calendar.isWorkingDay(day)) day = addCalendarDays(day, -1);
    const nextReminder = computePeriodEnd(ctx.calendar, day, { unit: 'workingDays', value: 1 });
    const overdue: CaseMarkedOverdue[] = c.reminders.includes(`province:overdue@${day}`) ? [] : [{ type: 'CaseMarkedOverdue', data: { caseId: c.caseId, at, reminder: c.remindersSent + 1, day } }];
    return {
      events: overdue,
      result: { open: true, step: 'await-decision', level: 'province', secondsLeft: secondsUntil(nextReminder.endsAt, now), action: 'overdue' },
    };
  }
  const due = reminderSchedule(c, ctx).filter((r) => Date.parse(r.at) <= now && !c.reminders.includes(r.key));
  const reminded: CaseReminded[] = due.map((r) => ({ type: 'CaseReminded', data: { caseId: c.caseId, at, reminder: r.key, level: c.level } }));
  const after = reminded.reduce(evolveCase, c);
  return { events: reminded, result: { open: true, step: 'await-decision', level: c.level, secondsLeft: secondsUntil(nextWake(after, ctx), now), action: 'wait' } };
}

/** The next instant something happens to a running review: a reminder not yet sent, or its deadline. */
function nextWake(c: CaseState, ctx: DecideContext): string {
  const pending = reminderSchedule(c, ctx).filter((r) => !c.reminders.includes(r.key) && Date.parse(r.at) > ctx.now.getTime());
  return pending[0]?.at ?? c.deadlineAt;
}

/**
 * A case as it stands at `ctx.now`, for reading: the pause that ran out is
 * over, and a lapsed claim holds nobody, so the case is open to any reviewer.
 */
export function caseAsOf(stored: CaseState, ctx: Pick<DecideContext, 'calendar' | 'now'>): CaseState {
  const c = clockNow(stored, ctx);
  if (!c.assignedTo || holderOf(c, ctx.now)) return c;
  const { assignedTo: _lapsed, claimUntil: _until, ...rest } = c;
  return { ...rest, status: c.status === 'in-review' ? restingStatus(rest) : c.status };
}

/** Whether a case's clock has run out undecided: overdue at the province, or past the agency deadline before the timer escalates it. */
export function isOverdue(c: CaseState, ctx: Pick<DecideContext, 'now'>): boolean {
  return c.overdue || (isOpenCase(c) && !isPaused(c) && ctx.now.getTime() >= Date.parse(c.deadlineAt));
}

/** Whole working days left after today until a case's deadline: 0 on its last day and once it has passed; while paused, what was left when the clock stopped. */
export function workingDaysLeft(ctx: Pick<DecideContext, 'calendar' | 'now'>, case_: CaseState): number {
  const c = clockNow(case_, ctx);
  if (isPaused(c)) return c.infoRequest!.remaining.value;
  if (ctx.now.getTime() >= Date.parse(c.deadlineAt)) return 0;
  return Math.max(0, ctx.calendar.workingDaysBetween(shanghaiDateOf(ctx.now), c.deadline));
}

function secondsUntil(at: string, nowMs: number): number {
  return Math.max(1, Math.ceil((Date.parse(at) - nowMs) / 1000));
}
