import type { CaseState, CorrectableField, EntryEvent, EntryState } from './entry-state.js';
import { isOpenCase, restingStatus } from './entry-state.js';

export * from './entry-state.js';
export { proposeListing, listEntry, listingOutcome, extendListing, delistAtExpiry, recordNotice, type DecideContext, type ProposeListing, type ExtendListing, type ListingOutcome, type ExpiryOutcome } from './listing.js';
export { fileCase, claimCase, releaseCase, withdrawCase, requireCase, CORRECTABLE_FIELDS, type FileCase } from './cases.js';
export { requestInfo, supplementCase, extendReview, reviewClock, reviewClockKey, workingDaysLeft, reminderSchedule, type ReviewClock } from './review-clock.js';
export { decideCase, appealClosesOn, type DecideCase } from './decision.js';

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
    case 'EntryCorrected':
      return { ...corrected(state, e.data.field, e.data.to), ...(e.data.expiresAt ? { expiresAt: e.data.expiresAt } : {}), ...(e.data.earliestRepairDate ? { earliestRepairDate: e.data.earliestRepairDate } : {}) };
    case 'CaseFiled':
      return withCases(state, [...state.cases, { ...e.data, status: 'open', overdue: false, remindersSent: 0, reminders: [], supplements: [], timeline: [{ at: e.data.filedAt, type: 'filed', by: e.data.subjectId, detail: `deadline ${e.data.deadline}` }] }]);
    case 'CaseClaimed':
      return updateCase(state, e.data.caseId, (c) => {
        const claimed = { ...c, assignedTo: e.data.by, claimUntil: e.data.until };
        return { ...claimed, status: c.status === 'awaiting-info' ? c.status : restingStatus(claimed), timeline: [...c.timeline, { at: e.data.at, type: 'claimed', by: e.data.by }] };
      });
    case 'CaseReleased':
      return updateCase(state, e.data.caseId, (c) => {
        const { assignedTo: _released, claimUntil: _until, ...rest } = c;
        return { ...rest, status: c.status === 'awaiting-info' ? c.status : restingStatus(rest), timeline: [...c.timeline, { at: e.data.at, type: 'released', by: e.data.by }] };
      });
    case 'CaseInfoRequested': {
      const { caseId, ...request } = e.data;
      return updateCase(state, caseId, (c) => ({ ...c, status: 'awaiting-info', infoRequest: request, timeline: [...c.timeline, { at: request.at, type: 'info-requested', by: request.by, detail: `answer due ${request.answerDue}` }] }));
    }
    case 'CaseSupplemented':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, supplements: [...c.supplements, { at: e.data.at, text: e.data.text, evidence: e.data.evidence }], timeline: [...c.timeline, { at: e.data.at, type: 'supplemented', by: c.subjectId }] }));
    case 'CaseResumed':
      return updateCase(state, e.data.caseId, (c) => ({
        ...c,
        status: restingStatus(c),
        infoRequest: { ...c.infoRequest!, resumedAt: e.data.at, resumedBy: e.data.by },
        deadline: e.data.deadline,
        deadlineAt: e.data.deadlineAt,
        deadlineProvisional: e.data.deadlineProvisional,
        clockStartedAt: e.data.clockStartedAt,
        ...(e.data.capDate ? { capDate: e.data.capDate } : {}),
        timeline: [...c.timeline, { at: e.data.at, type: 'resumed', detail: `${e.data.by === 'supplement' ? 'supplement received' : 'no answer in time, decided on the file'}; deadline ${e.data.deadline}` }],
      }));
    case 'CaseExtended':
      return updateCase(state, e.data.caseId, (c) => ({
        ...c,
        deadline: e.data.deadline,
        deadlineAt: e.data.deadlineAt,
        deadlineProvisional: e.data.deadlineProvisional,
        extension: { workingDays: e.data.workingDays, reason: e.data.reason, by: e.data.by, at: e.data.at, previousDeadline: e.data.previousDeadline },
        timeline: [...c.timeline, { at: e.data.at, type: 'extended', by: e.data.by, detail: `deadline ${e.data.deadline}: ${e.data.reason}` }],
      }));
    case 'CaseReminded':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, reminders: [...c.reminders, e.data.reminder], timeline: [...c.timeline, { at: e.data.at, type: 'reminded', detail: e.data.reminder }] }));
    case 'CaseEscalated':
      return updateCase(state, e.data.caseId, (c) => {
        const { assignedTo: _released, claimUntil: _until, ...rest } = c;
        return { ...rest, status: 'escalated', level: 'province', escalatedAt: e.data.at, clockStartedAt: e.data.at, deadline: e.data.deadline, deadlineAt: e.data.deadlineAt, deadlineProvisional: e.data.deadlineProvisional, timeline: [...c.timeline, { at: e.data.at, type: 'escalated', detail: `provincial deadline ${e.data.deadline}` }] };
      });
    case 'CaseMarkedOverdue':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, overdue: true, remindersSent: e.data.reminder, reminders: [...c.reminders, `province:overdue#${e.data.reminder}@${c.deadline}`], timeline: [...c.timeline, { at: e.data.at, type: 'overdue', detail: `reminder ${e.data.reminder}` }] }));
    case 'CaseWithdrawn':
      return updateCase(state, e.data.caseId, (c) => ({ ...c, status: 'withdrawn', withdrawnAt: e.data.at, timeline: [...c.timeline, { at: e.data.at, type: 'withdrawn', by: e.data.by }] }));
    case 'CaseDecided':
      return updateCase(state, e.data.caseId, (c) => ({
        ...c,
        status: 'decided',
        decision: { outcome: e.data.outcome, reasons: e.data.reasons, by: e.data.by, level: e.data.level, decidedAt: e.data.at, ...(e.data.correction ? { correction: e.data.correction } : {}) },
        timeline: [...c.timeline, { at: e.data.at, type: 'decided', by: e.data.by, detail: e.data.outcome }],
      }));
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
