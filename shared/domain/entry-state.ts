import type { PendingEvent } from '../audit/hash-chain.js';
import type { Period } from '../policy/schema.js';

export type EntryStatus = 'proposed' | 'listed' | 'withdrawn' | 'delisted';
export type DelistReason = 'expired' | 'repaired' | 'objection-upheld' | 'corrected-out' | 'revoked';
export type CaseKind = 'representation' | 'objection' | 'correction' | 'repair' | 'appeal';
export type CaseStatus = 'open' | 'in-review' | 'awaiting-info' | 'escalated' | 'decided' | 'withdrawn' | 'closed';
export type CaseOutcome = 'upheld' | 'rejected' | 'partially-upheld';
export type ReviewLevel = 'agency' | 'province';

export interface Subject {
  id: string;
  kind: 'person' | 'organization';
  name: string;
  email?: string;
  mobile?: string;
}

export interface Evidence {
  name: string;
  contentType: string;
  sha256: string;
}

export interface PolicyRef {
  profileId: string;
  version: number;
}

/** A field a correction may change, and the value proposed or decided for it. */
export type CorrectableField = 'subject.name' | 'subject.id' | 'facts' | 'legalBasis' | 'decisionRef' | 'decisionDate';
export interface Correction {
  field: CorrectableField;
  value: string;
}

/** A request for supplementary material: the review clock stands still until it is answered or its time runs out. */
export interface InfoRequest {
  questions: string[];
  by: string;
  at: string;
  answerDue: string;
  answerDueAt: string;
  /** What was left of the review period, and of its cap, when the clock stopped. */
  remaining: Period;
  capRemaining?: Period;
  /** Set when the clock runs again: on the subject's supplement, or when the answer was not given in time. */
  resumedAt?: string;
  resumedBy?: 'supplement' | 'no-answer';
}

export interface TimelineItem {
  at: string;
  type: string;
  by?: string;
  detail?: string;
}

/** One case (representation, objection, …) on an entry: part of the entry's stream, so its trail is the entry's. */
export interface CaseState {
  caseId: string;
  entryId: string;
  kind: CaseKind;
  status: CaseStatus;
  level: ReviewLevel;
  subjectId: string;
  agencyId: string;
  provinceCode: string;
  grounds: string;
  requestedCorrection?: Correction;
  evidence: Evidence[];
  appealOf?: string;
  /** A repair applicant's public credit commitment: the text accepted, as the policy worded it then. */
  commitment?: { text: string; acceptedAt: string };
  /** The profile version in force when the case was filed; it is judged by it to the end. */
  policy: PolicyRef;
  filedAt: string;
  deadline: string;
  deadlineAt: string;
  deadlineProvisional: boolean;
  /** When the time now being counted began: filing, escalation, or filing shifted by a pause; reminders are placed within it. */
  clockStartedAt: string;
  /** The latest date one extension may move an agency deadline to (the policy's cap). */
  capDate?: string;
  assignedTo?: string;
  /** A claim lapses at this instant unless renewed; a lapsed claim holds nobody back. */
  claimUntil?: string;
  escalatedAt?: string;
  overdue: boolean;
  remindersSent: number;
  /** Reminders sent to reviewers, as `${kind}@${deadline}`, so none goes twice. */
  reminders: string[];
  extension?: { workingDays: number; reason: string; by: string; at: string; previousDeadline: string };
  infoRequest?: InfoRequest;
  supplements: Array<{ at: string; text: string; evidence: Evidence[] }>;
  withdrawnAt?: string;
  decision?: CaseDecision;
  /** SHA-256 of the filing request, so a retried submission with the same key is recognised. */
  requestHash?: string;
  timeline: TimelineItem[];
}

export interface CaseDecision {
  outcome: CaseOutcome;
  reasons: string;
  by: string;
  level: ReviewLevel;
  decidedAt: string;
  correction?: Correction;
  /** A rejected repair: what the subject still has to put right. */
  missing?: string[];
  /** An approved repair: the code a third party checks the repair certificate by. */
  certificate?: string;
}

/** The state of one entry, folded from its audit events. */
export interface EntryState {
  entryId: string;
  status: EntryStatus;
  subject: Subject;
  listType: string;
  agencyId: string;
  provinceCode: string;
  facts: string;
  legalBasis: string;
  measures: string[];
  decisionRef: string;
  decisionDate: string;
  policy: PolicyRef;
  /** Whether the list type is ever shown in the public search (minor penalties are not). */
  published: boolean;
  proposedAt: string;
  representationDeadline: string;
  representationDeadlineAt: string;
  deadlineProvisional: boolean;
  /** The grace period before publication, when the list type allows one and the agency granted it. */
  gracePeriod?: Period;
  /** When the listing may take effect: the close of the representation window or the end of the grace period. */
  listingDueAt: string;
  listedAt?: string;
  expiresAt?: string;
  earliestRepairDate?: string;
  extensions: Array<{ extension: Period; reason: string; by: string; at: string }>;
  underObjection: boolean;
  delistedAt?: string;
  delistReason?: DelistReason;
  /** The decision that revoked the listing decision, when the entry was revoked. */
  revokedBy?: string;
  withdrawnAt?: string;
  openCases: string[];
  cases: CaseState[];
  /** SHA-256 of the proposal request, so a retried proposal with the same Idempotency-Key is recognised. */
  requestHash?: string;
  /** Notices served, as `${notice}:${channel}`, so a retried step never serves one twice. */
  noticesSent: string[];
  /** Reads recorded within the last span (`VIEW_RECORD_SPAN_MS`), by viewer and part read, with when: a read again within it is not recorded twice. */
  recentViews?: Record<string, string>;
}

export type ProposalData = Omit<EntryState, 'status' | 'underObjection' | 'openCases' | 'cases' | 'noticesSent' | 'extensions' | 'recentViews'>;

export interface ListingProposed extends PendingEvent {
  type: 'ListingProposed';
  data: ProposalData;
}
/** The parts of a subject's record an official may read: the entry, a case, one of a case's files, the trail itself. */
export type ViewedPart = 'entry' | 'case' | 'evidence' | 'audit-trail';
/** An official read the subject's full record: kept in the trail (who, when, what); the entry itself does not change. */
export interface RecordViewed extends PendingEvent {
  type: 'RecordViewed';
  data: { by: string; at: string; what: ViewedPart; caseId?: string; sha256?: string };
}
export interface NoticeSent extends PendingEvent {
  type: 'NoticeSent';
  data: { notice: string; channel: 'email' | 'sms'; to: string; messageId: string; caseId?: string; at: string };
}
export interface EntryListed extends PendingEvent {
  type: 'EntryListed';
  data: { listedAt: string; expiresAt: string; earliestRepairDate?: string; expiryProvisional: boolean };
}
export interface ListingWithdrawn extends PendingEvent {
  type: 'ListingWithdrawn';
  /** Withdrawn on an upheld representation (`caseId`), or because the decision behind it was revoked (`revokedBy`). */
  data: { at: string; caseId?: string; revokedBy?: string; note?: string; by?: string };
}
export interface ListingExtended extends PendingEvent {
  type: 'ListingExtended';
  data: { extension: Period; reason: string; by: string; at: string; previousExpiresAt: string; expiresAt: string };
}
export interface EntryDelisted extends PendingEvent {
  type: 'EntryDelisted';
  /** `revokedBy`: the reference of the court or reconsideration decision that revoked the listing decision. */
  data: { at: string; reason: DelistReason; caseId?: string; revokedBy?: string; note?: string; by?: string };
}
export interface EntryCorrected extends PendingEvent {
  type: 'EntryCorrected';
  /** The old value stays in the trail beside the new one. */
  data: { caseId: string; at: string; field: CorrectableField; from: string; to: string; expiresAt?: string; earliestRepairDate?: string };
}
export interface CaseFiled extends PendingEvent {
  type: 'CaseFiled';
  data: Omit<CaseState, 'status' | 'overdue' | 'remindersSent' | 'reminders' | 'supplements' | 'timeline'>;
}
export interface CaseClaimed extends PendingEvent {
  type: 'CaseClaimed';
  data: { caseId: string; by: string; at: string; until: string };
}
export interface CaseReleased extends PendingEvent {
  type: 'CaseReleased';
  data: { caseId: string; by: string; at: string };
}
export interface CaseInfoRequested extends PendingEvent {
  type: 'CaseInfoRequested';
  data: { caseId: string } & Omit<InfoRequest, 'resumedAt' | 'resumedBy'>;
}
export interface CaseSupplemented extends PendingEvent {
  type: 'CaseSupplemented';
  data: { caseId: string; at: string; text: string; evidence: Evidence[] };
}
/** The review clock runs again after a pause, with what was left of the period counted from today. */
export interface CaseResumed extends PendingEvent {
  type: 'CaseResumed';
  data: { caseId: string; at: string; by: 'supplement' | 'no-answer'; deadline: string; deadlineAt: string; deadlineProvisional: boolean; clockStartedAt: string; capDate?: string };
}
export interface CaseExtended extends PendingEvent {
  type: 'CaseExtended';
  data: { caseId: string; at: string; by: string; reason: string; workingDays: number; previousDeadline: string; deadline: string; deadlineAt: string; deadlineProvisional: boolean };
}
export interface CaseReminded extends PendingEvent {
  type: 'CaseReminded';
  data: { caseId: string; at: string; reminder: string; level: ReviewLevel };
}
/** A case that lost its object: the entry left the list (or its proposal was withdrawn) before the case was decided. */
export interface CaseClosed extends PendingEvent {
  type: 'CaseClosed';
  data: { caseId: string; at: string; reason: 'entry-delisted' | 'entry-withdrawn' };
}
export interface CaseWithdrawn extends PendingEvent {
  type: 'CaseWithdrawn';
  data: { caseId: string; at: string; by: string };
}
export interface CaseEscalated extends PendingEvent {
  type: 'CaseEscalated';
  data: { caseId: string; at: string; deadline: string; deadlineAt: string; deadlineProvisional: boolean };
}
export interface CaseMarkedOverdue extends PendingEvent {
  type: 'CaseMarkedOverdue';
  /** `day`: the working day whose end found the case overdue; one reminder per such day. */
  data: { caseId: string; at: string; reminder: number; day: string };
}
export interface CaseDecided extends PendingEvent {
  type: 'CaseDecided';
  data: { caseId: string; at: string } & Omit<CaseDecision, 'decidedAt'>;
}

/** The events that change one case after its filing. */
export type CaseEvent = CaseClaimed | CaseReleased | CaseInfoRequested | CaseSupplemented | CaseResumed | CaseExtended | CaseReminded | CaseEscalated | CaseMarkedOverdue | CaseWithdrawn | CaseClosed | CaseDecided;

export type EntryEvent =
  | ListingProposed
  | RecordViewed
  | NoticeSent
  | EntryListed
  | ListingWithdrawn
  | ListingExtended
  | EntryDelisted
  | EntryCorrected
  | CaseFiled
  | CaseClaimed
  | CaseReleased
  | CaseInfoRequested
  | CaseSupplemented
  | CaseResumed
  | CaseExtended
  | CaseReminded
  | CaseEscalated
  | CaseMarkedOverdue
  | CaseWithdrawn
  | CaseClosed
  | CaseDecided;

export const isOpenCase = (c: CaseState) => c.status !== 'decided' && c.status !== 'withdrawn' && c.status !== 'closed';

/** Whether the review clock stands still, waiting for the subject's supplement. */
export const isPaused = (c: CaseState) => c.infoRequest !== undefined && c.infoRequest.resumedAt === undefined && isOpenCase(c);

/** Who holds a case now: a lapsed claim holds nobody. */
export const holderOf = (c: CaseState, now: Date): string | undefined => (c.assignedTo && c.claimUntil && Date.parse(c.claimUntil) > now.getTime() ? c.assignedTo : undefined);

/** The status an open case rests in when nothing waits on the subject: escalated, being reviewed, or open. */
export function restingStatus(c: Pick<CaseState, 'level' | 'assignedTo' | 'kind'>): CaseStatus {
  if (c.level === 'province' && c.kind !== 'appeal') return 'escalated';
  return c.assignedTo ? 'in-review' : 'open';
}
