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
  requestedCorrection?: { field: string; value: string };
  evidence: Evidence[];
  appealOf?: string;
  /** The profile version in force when the case was filed; it is judged by it to the end. */
  policy: PolicyRef;
  filedAt: string;
  deadline: string;
  deadlineAt: string;
  deadlineProvisional: boolean;
  assignedTo?: string;
  escalatedAt?: string;
  overdue: boolean;
  remindersSent: number;
  decision?: { outcome: CaseOutcome; reasons: string; by: string; level: ReviewLevel; decidedAt: string };
  /** SHA-256 of the filing request, so a retried submission with the same key is recognised. */
  requestHash?: string;
  timeline: TimelineItem[];
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
  withdrawnAt?: string;
  openCases: string[];
  cases: CaseState[];
  /** SHA-256 of the proposal request, so a retried proposal with the same Idempotency-Key is recognised. */
  requestHash?: string;
  /** Notices served, as `${notice}:${channel}`, so a retried step never serves one twice. */
  noticesSent: string[];
}

export type ProposalData = Omit<EntryState, 'status' | 'underObjection' | 'openCases' | 'cases' | 'noticesSent' | 'extensions'>;

export interface ListingProposed extends PendingEvent {
  type: 'ListingProposed';
  data: ProposalData;
}
/** A reviewer read the subject's full record: kept in the trail (who, when, what), no change of state. */
export interface RecordViewed extends PendingEvent {
  type: 'RecordViewed';
  data: { by: string; fields?: string[] };
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
  data: { at: string; caseId: string };
}
export interface ListingExtended extends PendingEvent {
  type: 'ListingExtended';
  data: { extension: Period; reason: string; by: string; at: string; previousExpiresAt: string; expiresAt: string };
}
export interface EntryDelisted extends PendingEvent {
  type: 'EntryDelisted';
  data: { at: string; reason: DelistReason; caseId?: string };
}
export interface CaseFiled extends PendingEvent {
  type: 'CaseFiled';
  data: Omit<CaseState, 'status' | 'level' | 'overdue' | 'remindersSent' | 'timeline'>;
}
export interface CaseClaimed extends PendingEvent {
  type: 'CaseClaimed';
  data: { caseId: string; by: string; at: string };
}
export interface CaseEscalated extends PendingEvent {
  type: 'CaseEscalated';
  data: { caseId: string; at: string; deadline: string; deadlineAt: string; deadlineProvisional: boolean };
}
export interface CaseMarkedOverdue extends PendingEvent {
  type: 'CaseMarkedOverdue';
  data: { caseId: string; at: string; reminder: number };
}
export interface CaseDecided extends PendingEvent {
  type: 'CaseDecided';
  data: { caseId: string; at: string; outcome: CaseOutcome; reasons: string; by: string; level: ReviewLevel };
}

export type EntryEvent =
  | ListingProposed
  | RecordViewed
  | NoticeSent
  | EntryListed
  | ListingWithdrawn
  | ListingExtended
  | EntryDelisted
  | CaseFiled
  | CaseClaimed
  | CaseEscalated
  | CaseMarkedOverdue
  | CaseDecided;

export const isOpenCase = (c: CaseState) => c.status !== 'decided' && c.status !== 'withdrawn' && c.status !== 'closed';
