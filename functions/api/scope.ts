import type { Principal } from '../../shared/auth/principal.js';
import { caseAsOf, clockNow, isOpenCase, isPaused, remediesAfter, workingDaysLeft, type CaseState, type DecideContext, type EntryState } from '../../shared/domain/entry.js';
import { maskSubjectId } from '../../shared/domain/identifiers.js';
import { notFound } from '../../shared/platform/errors.js';

/**
 * Whether a caller may see an entry at all. Out of scope reads answer 404,
 * so nobody learns that an entry they may not see exists.
 */
export function canSeeEntry(p: Principal, entry: EntryState): boolean {
  switch (p.role) {
    case 'subject':
      return p.subjectId === entry.subject.id;
    case 'agency-officer':
    case 'agency-reviewer':
      return p.agencyId === entry.agencyId;
    case 'auditor':
      return true;
    case 'provincial-reviewer':
      // Provincial reviewers see an entry through a case escalated or appealed to their province.
      return entry.cases.some((c) => canSeeCase(p, c));
    case 'partner':
      return false;
    default: {
      const _exhaustive: never = p.role;
      return _exhaustive;
    }
  }
}

/** The entry, when the caller may see it; otherwise a 404, as if it did not exist. */
export function requireEntryInScope(p: Principal, entry: EntryState): EntryState {
  if (!canSeeEntry(p, entry)) throw notFound(`Entry ${entry.entryId}`);
  return entry;
}

/**
 * Whether a caller may see a case: its subject, its agency, its province once
 * it is there (and, to decide an appeal, the case the appeal names), auditors.
 */
export function canSeeCase(p: Principal, c: CaseState, entry?: EntryState): boolean {
  if (p.role === 'provincial-reviewer' && entry?.cases.some((a) => a.appealOf === c.caseId && a.provinceCode === p.provinceCode)) return true;
  switch (p.role) {
    case 'subject':
      return p.subjectId === c.subjectId;
    case 'agency-officer':
    case 'agency-reviewer':
      return p.agencyId === c.agencyId;
    case 'provincial-reviewer':
      return p.provinceCode === c.provinceCode && c.level === 'province';
    case 'auditor':
      return true;
    case 'partner':
      return false;
    default: {
      const _exhaustive: never = p.role;
      return _exhaustive;
    }
  }
}

/** An entry as its scoped readers see it: cases summarised, the notice and read bookkeeping left out. */
export function entryView(e: EntryState) {
  const { noticesSent: _noticesSent, requestHash: _requestHash, recentViews: _recentViews, cases, ...rest } = e;
  return { ...rest, cases: cases.map((c) => ({ caseId: c.caseId, kind: c.kind, status: c.status, deadline: c.deadline })) };
}

/** A case as its scoped readers see it at `ctx.now`, with the remedies against its decision; the clock's bookkeeping is left out. */
export function caseView(stored: CaseState, ctx: Pick<DecideContext, 'policies' | 'calendar' | 'now'>) {
  const { requestHash: _requestHash, reminders: _reminders, remindersSent: _sent, clockStartedAt: _started, ...rest } = caseAsOf(stored, ctx);
  const remedies = remediesAfter(stored, ctx);
  const now = clockNow(stored, ctx);
  return { ...rest, ...remedies, ...(isOpenCase(now) ? { workingDaysLeft: workingDaysLeft(ctx, stored), paused: isPaused(now) } : {}) };
}

/** The public view of a listed entry: subject id masked, no contact details, no internal fields. */
export function publicView(e: EntryState) {
  return {
    entryId: e.entryId,
    status: 'listed' as const,
    subject: { id: maskSubjectId(e.subject.id), kind: e.subject.kind, name: e.subject.name },
    listType: e.listType,
    agencyId: e.agencyId,
    facts: e.facts,
    legalBasis: e.legalBasis,
    measures: e.measures,
    decisionRef: e.decisionRef,
    listedAt: e.listedAt,
    expiresAt: e.expiresAt,
    underObjection: e.underObjection,
  };
}
