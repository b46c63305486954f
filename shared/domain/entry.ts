import type { CaseState, CorrectableField, EntryEvent, EntryState } from './entry-state.js';
import { isOpenCase } from './entry-state.js';
import { evolveCase } from './case-evolve.js';
import { rememberView } from './record-views.js';

export * from './entry-state.js';
export { proposeListing, listEntry, listingOutcome, extendListing, revokeListing, delistAtExpiry, recordNotice, type DecideContext, type ProposeListing, type ExtendListing, type ListingOutcome, type ExpiryOutcome } from './listing.js';
export { fileCase, claimCase, releaseCase, withdrawCase, requireCase, CORRECTABLE_FIELDS, type FileCase } from './cases.js';
export { requestInfo, supplementCase, extendReview, reviewClock, reviewClockKey, workingDaysLeft, reminderSchedule, clockNow, caseAsOf, isOverdue, type ReviewClock } from './review-clock.js';
export { evolveCase, closeMootCases } from './case-evolve.js';
export { decideCase, remediesAfter, type DecideCase, type DecisionRemedies } from './decision.js';
export { subjectActions, type SubjectAction, type ClosedBecause } from './actions.js';
export { recordView, isRecordedViewer, VIEW_RECORD_SPAN_MS, type RecordView } from './record-views.js';

/** Folds one event into the state. Unknown events are a programming error, not data to skip. */
export function evolve(state: EntryState | undefined, event: { type: string; data: Record<string, unknown> }): EntryState {
  const e = event as EntryEvent;
  if (e.type === 'ListingProposed') return { ...e.data, status: 'proposed', underObjection: false, openCases: [], cases: [], noticesSent: [], extensions: [] };
  if (!state) throw new Error(`${e.type} before the entry exists`);
  switch (e.type) {
    case 'RecordViewed':
      return { ...state, recentViews: rememberView(state.recentViews, e.data) };
    case 'NoticeSent':
      return { ...state, noticesSent: [...state.noticesSent, `${e.data.notice}:${e.data.channel}`] };
    case 'EntryListed':
      return { ...state, status: 'listed', listedAt: e.data.listedAt, expiresAt: e.data.expiresAt, ...(e.data.earliestRepairDate ? { earliestRepairDate: e.data.earliestRepairDate } : {}) };
    case 'ListingWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnAt: e.data.at, ...(e.data.revokedBy ? { revokedBy: e.data.revokedBy } : {}) };
    case 'ListingExtended':
      return { ...state, expiresAt: e.data.expiresAt, extensions: [...state.extensions, { extension: e.data.extension, reason: e.data.reason, by: e.data.by, at: e.data.at }] };
    case 'EntryDelisted':
      return { ...state, status: 'delisted', delistedAt: e.data.at, delistReason: e.data.reason, underObjection: false, ...(e.data.revokedBy ? { revokedBy: e.data.revokedBy } : {}) };
    case 'EntryCorrected':
      return { ...corrected(state, e.data.field, e.data.to), ...(e.data.expiresAt ? { expiresAt: e.data.expiresAt } : {}), ...(e.data.earliestRepairDate ? { earliestRepairDate: e.data.earliestRepairDate } : {}) };
    case 'CaseFiled':
      return withCases(state, [...state.cases, { ...e.data, status: 'open', overdue: false, remindersSent: 0, reminders: [], supplements: [], timeline: [{ at: e.data.filedAt, type: 'filed', by: e.data.subjectId, detail: `deadline ${e.data.deadline}` }] }]);
    case 'CaseClaimed':
    case 'CaseReleased':
    case 'CaseInfoRequested':
    case 'CaseSupplemented':
    case 'CaseResumed':
    case 'CaseExtended':
    case 'CaseReminded':
    case 'CaseEscalated':
    case 'CaseMarkedOverdue':
    case 'CaseWithdrawn':
    case 'CaseClosed':
    case 'CaseDecided':
      return updateCase(state, e.data.caseId, (c) => evolveCase(c, e));
    default: {
      const _exhaustive: never = e;
      throw new Error(`Unknown entry event ${(_exhaustive as { type: string }).type}`);
    }
  }
}

/** The entry with one field replaced by its corrected value. */
function corrected(state: EntryState, field: CorrectableField, value: string): EntryState {
  switch (field) {
    case 'subject.name':
      return { ...state, subject: { ...state.subject, name: value } };
    case 'subject.id':
      return { ...state, subject: { ...state.subject, id: value } };
    case 'facts':
    case 'legalBasis':
    case 'decisionRef':
    case 'decisionDate':
      return { ...state, [field]: value };
    default: {
      const _exhaustive: never = field;
      throw new Error(`Unknown correctable field ${String(_exhaustive)}`);
    }
  }
}

function updateCase(state: EntryState, caseId: string, change: (c: CaseState) => CaseState): EntryState {
  if (!state.cases.some((c) => c.caseId === caseId)) throw new Error(`Event for unknown case ${caseId}`);
  return withCases(state, state.cases.map((c) => (c.caseId === caseId ? change(c) : c)));
}

/** The derived fields follow the cases: the open ones, and the objection mark while an objection or correction is open. */
function withCases(state: EntryState, cases: CaseState[]): EntryState {
  const open = cases.filter(isOpenCase);
  return { ...state, cases, openCases: open.map((c) => c.caseId), underObjection: state.status === 'listed' && open.some((c) => c.kind === 'objection' || c.kind === 'correction') };
}
