import type { CaseState, EntryEvent, EntryState } from './entry-state.js';
import { isOpenCase } from './entry-state.js';

export * from './entry-state.js';
export { proposeListing, listEntry, listingOutcome, extendListing, delistAtExpiry, recordNotice, type DecideContext, type ProposeListing, type ExtendListing, type ListingOutcome, type ExpiryOutcome } from './listing.js';
export { fileCase, claimCase, decideCase, reviewTimerDue, requireCase, workingDaysLeft, type FileCase, type DecideCase, type ReviewTimer } from './cases.js';

/** Folds one event into the state. Unknown events are a programming error, not data to skip. */
export function evolve(state: EntryState | undefined, event: { type: string; data: Record<string, unknown> }): EntryState {
  const e = event as EntryEvent;
  if (e.type === 'ListingProposed') return { ...e.data, status: 'proposed', underObjection: false, openCases: [], cases: [], noticesSent: [], extensions: [] };
  if (!state) throw new Error(`${e.type} before the entry exists`);
  switch (e.type) {
    case 'RecordViewed':
      return state;
    case 'NoticeSent':
      return { ...state, noticesSent: [...state.noticesSent, `${e.data.notice}:${e.data.channel}`] };
    case 'EntryListed':
      return { ...state, status: 'listed', listedAt: e.data.listedAt, expiresAt: e.data.expiresAt, ...(e.data.earliestRepairDate ? { earliestRepairDate: e.data.earliestRepairDate } : {}) };
    case 'ListingWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnAt: e.data.at };
    case 'ListingExtended':
      return { ...state, expiresAt: e.data.expiresAt, extensions: [...state.extensions, { extension: e.data.extension, reason: e.data.reason, by: e.data.by, at: e.data.at }] };
    case 'EntryDelisted':
      return { ...state, status: 'delisted', delistedAt: e.data.at, delistReason: e.data.reason, underObjection: false };
    case 'CaseFiled':
      return withCases(state, [...state.cases, { ...e.data, status: 'open', level: 'agency', overdue: false, remindersSent: 0, timeline: [{ at: e.data.filedAt, type: 'filed', by: e.data.subjectId }] }]);
    case 'CaseClaimed':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, assignedTo: e.data.by, status: c.level === 'agency' ? 'in-review' : c.status, timeline: [...c.timeline, { at: e.data.at, type: 'claimed', by: e.data.by }] }));
    case 'CaseEscalated':
      return updateCase(state, e.data.caseId, (c) => {
        const { assignedTo: _released, ...rest } = c;
        return { ...rest, status: 'escalated', level: 'province', escalatedAt: e.data.at, deadline: e.data.deadline, deadlineAt: e.data.deadlineAt, deadlineProvisional: e.data.deadlineProvisional, timeline: [...c.timeline, { at: e.data.at, type: 'escalated', detail: `provincial deadline ${e.data.deadline}` }] };
      });
    case 'CaseMarkedOverdue':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, overdue: true, remindersSent: e.data.reminder, timeline: [...c.timeline, { at: e.data.at, type: 'overdue', detail: `reminder ${e.data.reminder}` }] }));
    case 'CaseDecided':
      return updateCase(state, e.data.caseId, (c) => ({
        ...c,
        status: 'decided',
        decision: { outcome: e.data.outcome, reasons: e.data.reasons, by: e.data.by, level: e.data.level, decidedAt: e.data.at },
        timeline: [...c.timeline, { at: e.data.at, type: 'decided', by: e.data.by, detail: e.data.outcome }],
      }));
    default: {
      const _exhaustive: never = e;
      throw new Error(`Unknown entry event ${(_exhaustive as { type: string }).type}`);
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
