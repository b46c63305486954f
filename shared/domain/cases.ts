import { computePeriodEnd, shanghaiDateOf } from '../calendar/index.js';
import { DomainError } from '../platform/errors.js';
import type { PolicyProfile } from '../policy/schema.js';
import { isOpenCase, type CaseClaimed, type CaseDecided, type CaseEscalated, type CaseFiled, type CaseKind, type CaseMarkedOverdue, type CaseOutcome, type CaseState, type EntryState, type Evidence, type ListingWithdrawn, type ReviewLevel } from './entry-state.js';
import type { DecideContext } from './listing.js';

export interface FileCase {
  caseId: string;
  kind: CaseKind;
  subjectId: string;
  grounds: string;
  evidence: Evidence[];
  requestedCorrection?: { field: string; value: string };
  appealOf?: string;
  requestHash?: string;
}

/** Kinds whose procedure this system runs; each names the profile deadline that bounds its review. */
const REVIEW_PERIOD: Partial<Record<CaseKind, keyof PolicyProfile['deadlines']>> = {
  representation: 'representationReview',
};

/**
 * Files a case on an entry. The same case id again with the same request is a
 * retried submission and decides nothing new; with a different request it is refused.
 */
export function fileCase(cmd: FileCase, state: EntryState, ctx: DecideContext): CaseFiled[] {
  const existing = state.cases.find((c) => c.caseId === cmd.caseId);
  if (existing) {
    if (existing.requestHash !== cmd.requestHash) throw new DomainError('RULE_REFUSED', 'This Idempotency-Key was already used for a different request', { caseId: cmd.caseId });
    return [];
  }
  const period = REVIEW_PERIOD[cmd.kind];
  if (!period) throw new DomainError('RULE_REFUSED', `${cmd.kind} cases are not accepted by this system yet`, { errors: [{ path: 'kind', message: `${cmd.kind} is not accepted yet` }] });
  if (cmd.kind === 'representation') checkRepresentation(state, ctx);
  const today = shanghaiDateOf(ctx.now);
  const profile = ctx.policies.profileInForce(state.policy.profileId, today);
  // The filing day is not counted (POLICY.md, counting a period).
  const deadline = computePeriodEnd(ctx.calendar, today, profile.deadlines[period]);
  return [{
    type: 'CaseFiled',
    data: {
      caseId: cmd.caseId,
      entryId: state.entryId,
      kind: cmd.kind,
      subjectId: cmd.subjectId,
      agencyId: state.agencyId,
      provinceCode: state.provinceCode,
      grounds: cmd.grounds,
      evidence: cmd.evidence,
      ...(cmd.requestedCorrection ? { requestedCorrection: cmd.requestedCorrection } : {}),
      ...(cmd.appealOf ? { appealOf: cmd.appealOf } : {}),
      policy: { profileId: profile.profileId, version: profile.version },
      filedAt: ctx.now.toISOString(),
      deadline: deadline.endDate,
      deadlineAt: deadline.endsAt,
      deadlineProvisional: deadline.provisional,
      ...(cmd.requestHash ? { requestHash: cmd.requestHash } : {}),
    },
  }];
}

function checkRepresentation(state: EntryState, ctx: DecideContext) {
  // The window closes at 24:00 on its last working day (Guobanfa [2020] No. 49).
  if (ctx.now.getTime() >= Date.parse(state.representationDeadlineAt)) {
    throw new DomainError('RULE_REFUSED', `The representation window closed on ${state.representationDeadline} at 24:00`, { deadline: state.representationDeadline, deadlineAt: state.representationDeadlineAt });
  }
  if (state.status !== 'proposed') {
    throw new DomainError('RULE_REFUSED', `Representations are made before listing; this entry is ${state.status}`, { status: state.status });
  }
  const open = state.cases.find((c) => c.kind === 'representation' && isOpenCase(c));
  if (open) throw new DomainError('INVALID_STATE', `Representation ${open.caseId} on this entry is still open`, { caseId: open.caseId });
}

export function requireCase(state: EntryState, caseId: string): CaseState {
  const found = state.cases.find((c) => c.caseId === caseId);
  if (!found) throw new DomainError('NOT_FOUND', `Case ${caseId} was not found`);
  return found;
}

function requireOpen(c: CaseState) {
  if (!isOpenCase(c)) throw new DomainError('INVALID_STATE', `Case ${c.caseId} is ${c.status}`, { status: c.status });
}

/** Only the level that holds a case acts on it: the agency until escalation, then the province. */
function requireLevel(c: CaseState, level: ReviewLevel | undefined) {
  if (level === 'agency' && c.level === 'province') throw new DomainError('INVALID_STATE', `Case ${c.caseId} was escalated to the province; the agency can no longer act on it`);
  if (level === 'province' && c.level === 'agency') throw new DomainError('INVALID_STATE', `Case ${c.caseId} is with the agency until its deadline passes`);
}

/** A reviewer takes a case; someone else's claim stands. Claiming one's own case again changes nothing. */
export function claimCase(cmd: { caseId: string; by: string; level?: ReviewLevel }, state: EntryState, ctx: DecideContext): CaseClaimed[] {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  requireLevel(c, cmd.level);
  if (c.assignedTo === cmd.by) return [];
  if (c.assignedTo) throw new DomainError('INVALID_STATE', `Case ${c.caseId} is claimed by another reviewer`, { assignedTo: c.assignedTo });
  return [{ type: 'CaseClaimed', data: { caseId: c.caseId, by: cmd.by, at: ctx.now.toISOString() } }];
}

export interface DecideCase {
  caseId: string;
  outcome: CaseOutcome;
  reasons: string;
  by: string;
  level: ReviewLevel;
}

/** Exactly one decision per case, by the level that holds it, within the agency's deadline. */
export function decideCase(cmd: DecideCase, state: EntryState, ctx: DecideContext): Array<CaseDecided | ListingWithdrawn> {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  requireLevel(c, cmd.level);
  if (cmd.level === 'agency' && ctx.now.getTime() >= Date.parse(c.deadlineAt)) {
    throw new DomainError('INVALID_STATE', `The agency's deadline for case ${c.caseId} passed on ${c.deadline} at 24:00; it escalates to the province`, { deadline: c.deadline });
  }
  if (c.assignedTo && c.assignedTo !== cmd.by) throw new DomainError('INVALID_STATE', `Case ${c.caseId} is claimed by another reviewer`, { assignedTo: c.assignedTo });
  const at = ctx.now.toISOString();
  const decided: CaseDecided = { type: 'CaseDecided', data: { caseId: c.caseId, at, outcome: cmd.outcome, reasons: cmd.reasons, by: cmd.by, level: cmd.level } };
  // An upheld representation withdraws the proposal: the entry is never published.
  if (c.kind === 'representation' && cmd.outcome === 'upheld' && state.status === 'proposed') {
    return [decided, { type: 'ListingWithdrawn', data: { at, caseId: c.caseId } }];
  }
  return [decided];
}

export type ReviewTimer = { open: false } | { open: true; secondsLeft: number; level: ReviewLevel; action: 'wait' | 'escalated' | 'overdue' };

/**
 * The review timer fell due: escalate an agency breach to the province, mark
 * a provincial breach overdue and remind again at the end of the next working
 * day, or keep waiting when the deadline moved.
 */
export function reviewTimerDue(caseId: string, state: EntryState, ctx: DecideContext): { events: Array<CaseEscalated | CaseMarkedOverdue>; result: ReviewTimer } {
  const c = requireCase(state, caseId);
  if (!isOpenCase(c)) return { events: [], result: { open: false } };
  const now = ctx.now.getTime();
  if (now < Date.parse(c.deadlineAt)) return { events: [], result: { open: true, level: c.level, secondsLeft: secondsUntil(c.deadlineAt, now), action: 'wait' } };
  const at = ctx.now.toISOString();
  if (c.level === 'agency') {
    const profile = ctx.policies.profileVersion(c.policy.profileId, c.policy.version);
    // Counted from the day the agency's deadline ran out, so a late timer gives the province no extra days.
    const deadline = computePeriodEnd(ctx.calendar, c.deadline, profile.deadlines.provincialReview);
    return {
      events: [{ type: 'CaseEscalated', data: { caseId, at, deadline: deadline.endDate, deadlineAt: deadline.endsAt, deadlineProvisional: deadline.provisional } }],
      result: { open: true, level: 'province', secondsLeft: secondsUntil(deadline.endsAt, now), action: 'escalated' },
    };
  }
  // Overdue at the province: still decidable, reminded at the end of every working day.
  // Counted from the last day that has ended: the timer fires at 24:00, which is already the next day's 00:00.
  const nextReminder = computePeriodEnd(ctx.calendar, shanghaiDateOf(new Date(now - 1)), { unit: 'workingDays', value: 1 });
  return {
    events: [{ type: 'CaseMarkedOverdue', data: { caseId, at, reminder: c.remindersSent + 1 } }],
    result: { open: true, level: 'province', secondsLeft: secondsUntil(nextReminder.endsAt, now), action: 'overdue' },
  };
}

/** Whole working days left after today until a case's deadline: 0 on its last day and once it has passed. */
export function workingDaysLeft(ctx: Pick<DecideContext, 'calendar' | 'now'>, c: Pick<CaseState, 'deadline' | 'deadlineAt'>): number {
  if (ctx.now.getTime() >= Date.parse(c.deadlineAt)) return 0;
  return Math.max(0, ctx.calendar.workingDaysBetween(shanghaiDateOf(ctx.now), c.deadline));
}

function secondsUntil(at: string, nowMs: number): number {
  return Math.max(1, Math.ceil((Date.parse(at) - nowMs) / 1000));
}
