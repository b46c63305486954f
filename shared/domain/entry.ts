import type { PendingEvent } from '../audit/hash-chain.js';
import { computePeriodEnd, shanghaiDateOf, type WorkingDayCalendar } from '../calendar/index.js';
import { DomainError } from '../platform/errors.js';
import { levelAtLeast, type PolicyBook } from '../policy/policy-book.js';

export type EntryStatus = 'proposed' | 'listed' | 'withdrawn' | 'delisted';
export type DelistReason = 'expired' | 'repaired' | 'objection-upheld' | 'corrected-out' | 'revoked';

export interface Subject {
  id: string;
  kind: 'person' | 'organization';
  name: string;
  email?: string;
  mobile?: string;
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
  policy: { profileId: string; version: number };
  proposedAt: string;
  representationDeadline: string;
  representationDeadlineAt: string;
  deadlineProvisional: boolean;
  listedAt?: string;
  expiresAt?: string;
  earliestRepairDate?: string;
  underObjection: boolean;
  delistedAt?: string;
  delistReason?: DelistReason;
  openCases: string[];
}

export interface ProposeListing {
  type: 'ProposeListing';
  entryId: string;
  agencyId: string;
  subject: Subject;
  listType: string;
  facts: string;
  legalBasis: string;
  measures: string[];
  decisionRef: string;
  decisionDate: string;
}

export type EntryCommand = ProposeListing;

export interface ListingProposed extends PendingEvent {
  type: 'ListingProposed';
  data: Omit<EntryState, 'status' | 'underObjection' | 'openCases'>;
}

/** A reviewer read the subject's full record: kept in the trail (who, when, what), no change of state. */
export interface RecordViewed extends PendingEvent {
  type: 'RecordViewed';
  data: { by: string; fields?: string[] };
}

export type EntryEvent = ListingProposed | RecordViewed;

/** What decide may consult: all of it loaded before, so decide stays pure and synchronous. */
export interface DecideContext {
  policies: PolicyBook;
  calendar: WorkingDayCalendar;
  now: Date;
}

/** Decides what a command means for an entry: the events to append, or a refusal. */
export function decide(command: EntryCommand, state: EntryState | undefined, ctx: DecideContext): EntryEvent[] {
  switch (command.type) {
    case 'ProposeListing':
      return proposeListing(command, state, ctx);
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
}

function proposeListing(cmd: ProposeListing, state: EntryState | undefined, ctx: DecideContext): EntryEvent[] {
  if (state) throw new DomainError('INVALID_STATE', `Entry ${cmd.entryId} already exists`);
  const listType = ctx.policies.listType(cmd.listType);
  if (!listType) throw new DomainError('VALIDATION_FAILED', 'Unknown list type', { errors: [{ path: 'listType', message: `unknown list type ${cmd.listType}` }] });
  const agency = ctx.policies.agency(cmd.agencyId);
  if (!agency) throw new DomainError('FORBIDDEN', `Agency ${cmd.agencyId} is not a registered agency`);
  // Only an agency entitled to this list type, of the right kind, at county level or above may list (Guobanfa [2020] No. 49; Fa Shi [2017] No. 7 Art. 2).
  if (!agency.listTypes.includes(listType.listType) || !listType.proposers.kinds.includes(agency.kind) || !levelAtLeast(agency.level, listType.proposers.minLevel)) {
    throw new DomainError('FORBIDDEN', `Agency ${agency.agencyId} may not propose ${listType.listType} entries`);
  }
  const today = shanghaiDateOf(ctx.now);
  if (cmd.decisionDate > today) {
    throw new DomainError('VALIDATION_FAILED', 'The decision date is in the future', { errors: [{ path: 'decisionDate', message: `must be on or before ${today}` }] });
  }
  const profile = ctx.policies.profileInForce(listType.policyProfile, today);
  // The day the notice is served is not counted; the window ends at 24:00 on its last working day.
  const window = computePeriodEnd(ctx.calendar, today, profile.deadlines.representationWindow);
  return [
    {
      type: 'ListingProposed',
      data: {
        entryId: cmd.entryId,
        subject: cmd.subject,
        listType: listType.listType,
        agencyId: agency.agencyId,
        provinceCode: agency.provinceCode,
        facts: cmd.facts,
        legalBasis: cmd.legalBasis,
        measures: cmd.measures,
        decisionRef: cmd.decisionRef,
        decisionDate: cmd.decisionDate,
        policy: { profileId: profile.profileId, version: profile.version },
        proposedAt: ctx.now.toISOString(),
        representationDeadline: window.endDate,
        representationDeadlineAt: window.endsAt,
        deadlineProvisional: window.provisional,
      },
    },
  ];
}

/** Folds one event into the state. Unknown events are a programming error, not data to skip. */
export function evolve(state: EntryState | undefined, event: { type: string; data: Record<string, unknown> }): EntryState {
  const e = event as EntryEvent;
  switch (e.type) {
    case 'ListingProposed':
      return { ...e.data, status: 'proposed', underObjection: false, openCases: [] };
    case 'RecordViewed':
      if (!state) throw new Error('RecordViewed before the entry exists');
      return state;
    default: {
      const _exhaustive: never = e;
      throw new Error(`Unknown entry event ${(_exhaustive as { type: string }).type}`);
    }
  }
}
