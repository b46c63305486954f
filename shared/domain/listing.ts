import { addCalendarDays, computePeriodEnd, shanghaiDateOf, type WorkingDayCalendar } from '../calendar/index.js';
import { DomainError, invalid } from '../platform/errors.js';
import { levelAtLeast, type PolicyBook } from '../policy/policy-book.js';
import type { ListType, Period } from '../policy/schema.js';
import { closeMootCases } from './case-evolve.js';
import { isOpenCase, type CaseClosed, type EntryDelisted, type EntryListed, type EntryState, type ListingExtended, type ListingProposed, type ListingWithdrawn, type NoticeSent, type Subject } from './entry-state.js';

/** What a decision may consult: all of it loaded before, so deciding stays pure and synchronous. */
export interface DecideContext {
  policies: PolicyBook;
  calendar: WorkingDayCalendar;
  now: Date;
}

export interface ProposeListing {
  entryId: string;
  agencyId: string;
  subject: Subject;
  listType: string;
  facts: string;
  legalBasis: string;
  measures: string[];
  decisionRef: string;
  decisionDate: string;
  gracePeriod?: Period;
  requestHash?: string;
}

/** A proposal: who may list, when the representation window closes, and when publication may start. */
export function proposeListing(cmd: ProposeListing, state: EntryState | undefined, ctx: DecideContext): [ListingProposed] {
  if (state) throw new DomainError('INVALID_STATE', `Entry ${cmd.entryId} already exists`);
  const listType = ctx.policies.listType(cmd.listType);
  if (!listType) throw invalid([{ path: 'listType', message: `unknown list type ${cmd.listType}` }], 'Unknown list type');
  const agency = ctx.policies.agency(cmd.agencyId);
  if (!agency) throw new DomainError('FORBIDDEN', `Agency ${cmd.agencyId} is not a registered agency`);
  // Only an agency entitled to this list type, of the right kind, at county level or above may list (Guobanfa [2020] No. 49; Fa Shi [2017] No. 7 Art. 2).
  if (!agency.listTypes.includes(listType.listType) || !listType.proposers.kinds.includes(agency.kind) || !levelAtLeast(agency.level, listType.proposers.minLevel)) {
    throw invalid([{ path: 'listType', message: `agency ${agency.agencyId} may not propose ${listType.listType} entries; it may propose ${agency.listTypes.join(', ')}` }], `Agency ${agency.agencyId} may not propose ${listType.listType} entries`);
  }
  const today = shanghaiDateOf(ctx.now);
  if (cmd.decisionDate > today) throw invalid([{ path: 'decisionDate', message: `must be on or before ${today}` }], 'The decision date is in the future');
  if (!cmd.subject.email && !cmd.subject.mobile) {
    throw invalid([{ path: 'subject.email', message: 'give an email address or a mobile number, so the pre-listing notice can be served' }]);
  }
  const expiry = computePeriodEnd(ctx.calendar, cmd.decisionDate, listType.maxPublication);
  if (Date.parse(expiry.endsAt) <= ctx.now.getTime()) {
    throw new DomainError('RULE_REFUSED', `The maximum publication period of a decision dated ${cmd.decisionDate} ended on ${expiry.endDate}`, { expiredOn: expiry.endDate });
  }
  const profile = ctx.policies.profileInForce(listType.policyProfile, today);
  // The day the notice is served is not counted; the window ends at 24:00 on its last working day.
  const window = computePeriodEnd(ctx.calendar, today, profile.deadlines.representationWindow);
  let listingDueAt = window.endsAt;
  if (cmd.gracePeriod) {
    checkGracePeriod(ctx, listType, today, cmd.gracePeriod);
    // Publication deferred after the notice (SPC Fa Fa [2019] No. 35): whichever ends later.
    const grace = computePeriodEnd(ctx.calendar, today, cmd.gracePeriod);
    if (Date.parse(grace.endsAt) > Date.parse(listingDueAt)) listingDueAt = grace.endsAt;
  }
  return [{
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
      published: listType.published,
      proposedAt: ctx.now.toISOString(),
      representationDeadline: window.endDate,
      representationDeadlineAt: window.endsAt,
      deadlineProvisional: window.provisional,
      ...(cmd.gracePeriod ? { gracePeriod: cmd.gracePeriod } : {}),
      listingDueAt,
      ...(cmd.requestHash ? { requestHash: cmd.requestHash } : {}),
    },
  }];
}

function checkGracePeriod(ctx: DecideContext, listType: ListType, today: string, grace: Period) {
  const rule = listType.gracePeriod;
  if (!rule) throw invalid([{ path: 'gracePeriod', message: `${listType.listType} entries have no grace period before publication` }]);
  const endsAt = (p: Period) => Date.parse(computePeriodEnd(ctx.calendar, today, p).endsAt);
  if (grace.value < 1 || endsAt(grace) < endsAt(rule.min) || endsAt(grace) > endsAt(rule.max)) {
    throw invalid([{ path: 'gracePeriod', message: `must be from ${rule.min.value} ${rule.min.unit} to ${rule.max.value} ${rule.max.unit}` }]);
  }
}

export type ListingOutcome = { outcome: 'listed'; expiresAt: string } | { outcome: 'awaiting-representation'; caseId: string; deadlineAt: string } | { outcome: 'not-listed' };

/** Where a proposal stands when its window has closed: listed, held by an open representation, or withdrawn. */
export function listingOutcome(state: EntryState): ListingOutcome {
  if (state.status === 'listed' || state.status === 'delisted') return { outcome: 'listed', expiresAt: state.expiresAt! };
  if (state.status === 'withdrawn') return { outcome: 'not-listed' };
  const open = state.cases.find((c) => c.kind === 'representation' && isOpenCase(c));
  if (open) return { outcome: 'awaiting-representation', caseId: open.caseId, deadlineAt: open.deadlineAt };
  return { outcome: 'not-listed' };
}

/**
 * Lists a proposed entry once its window (and grace period) has closed and no
 * representation is pending. Running it again on a listed entry changes nothing.
 */
export function listEntry(state: EntryState, ctx: DecideContext): EntryListed[] {
  if (state.status !== 'proposed') return [];
  if (state.cases.some((c) => c.kind === 'representation' && isOpenCase(c))) return [];
  if (ctx.now.getTime() < Date.parse(state.listingDueAt)) {
    throw new DomainError('RULE_REFUSED', `The entry may not be listed before ${state.listingDueAt}`, { listingDueAt: state.listingDueAt });
  }
  const listType = requireListType(ctx, state.listType);
  const expiry = expiryOf(ctx, state, listType);
  return [{ type: 'EntryListed', data: { listedAt: ctx.now.toISOString(), expiresAt: expiry.endsAt, expiryProvisional: expiry.provisional, ...repairFrom(ctx, state, listType) } }];
}

/** The end of publication: the maximum period and every extension granted (and one being granted), from the decision date. */
function expiryOf(ctx: DecideContext, state: Pick<EntryState, 'decisionDate' | 'extensions'>, listType: ListType, extending = 0) {
  const granted = state.extensions.reduce((sum, e) => sum + e.extension.value, 0);
  // The period runs from the decision date (Guobanfa [2025] No. 22; Fa Shi [2017] No. 7 Art. 2).
  return computePeriodEnd(ctx.calendar, state.decisionDate, { unit: listType.maxPublication.unit, value: listType.maxPublication.value + granted + extending });
}

/**
 * The dates that follow from a corrected decision date: the end of publication
 * and, when repair waits for the minimum period, its earliest date.
 */
export function datesAfterDecisionDate(ctx: DecideContext, state: EntryState, decisionDate: string): { expiresAt: string; earliestRepairDate?: string } {
  const listType = requireListType(ctx, state.listType);
  const moved = { ...state, decisionDate };
  return { expiresAt: expiryOf(ctx, moved, listType).endsAt, ...(listType.repair === 'after-minimum' ? repairFrom(ctx, moved, listType) : {}) };
}

function repairFrom(ctx: DecideContext, state: EntryState, listType: ListType): { earliestRepairDate?: string } {
  switch (listType.repair) {
    case 'on-performance':
      return { earliestRepairDate: shanghaiDateOf(ctx.now) };
    case 'after-minimum':
      // Repair may be applied for once the minimum period has run (NDRC Credit Repair Measures 2026).
      return { earliestRepairDate: addCalendarDays(computePeriodEnd(ctx.calendar, state.decisionDate, listType.minPublication ?? { unit: 'calendarDays', value: 0 }).endDate, 1) };
    case 'none':
      return {};
    default: {
      const _exhaustive: never = listType.repair;
      return _exhaustive;
    }
  }
}

export interface ExtendListing {
  extension: Period;
  reason: string;
  by: string;
}

/** An agency extends a listing period within the policy (e.g. judgment defaulters +1 to 3 years, Fa Shi [2017] No. 7 Art. 2). */
export function extendListing(cmd: ExtendListing, state: EntryState, ctx: DecideContext): [ListingExtended] {
  if (state.status !== 'listed') throw new DomainError('INVALID_STATE', `Only a listed entry can be extended; this one is ${state.status}`);
  const listType = requireListType(ctx, state.listType);
  const rule = listType.extension;
  if (!rule) throw new DomainError('RULE_REFUSED', `${listType.listType} listings cannot be extended`, { listType: listType.listType });
  if (cmd.extension.unit !== rule.max.unit || cmd.extension.unit !== listType.maxPublication.unit) {
    throw invalid([{ path: 'extension.unit', message: `must be ${rule.max.unit}` }]);
  }
  const already = state.extensions.reduce((sum, e) => sum + e.extension.value, 0);
  if (cmd.extension.value < rule.min.value || already + cmd.extension.value > rule.max.value) {
    throw invalid([{ path: 'extension.value', message: `must be at least ${rule.min.value}, and all extensions together at most ${rule.max.value} ${rule.max.unit} (${already} granted so far)` }]);
  }
  const expiry = expiryOf(ctx, state, listType, cmd.extension.value);
  if (Date.parse(expiry.endsAt) <= ctx.now.getTime()) throw new DomainError('RULE_REFUSED', `The extended period would already have ended on ${expiry.endDate}`, { endedOn: expiry.endDate });
  return [{ type: 'ListingExtended', data: { extension: cmd.extension, reason: cmd.reason, by: cmd.by, at: ctx.now.toISOString(), previousExpiresAt: state.expiresAt!, expiresAt: expiry.endsAt } }];
}

/**
 * The decision behind a listing was revoked (by a court, or on
 * reconsideration): the agency takes a listed entry off at once, or withdraws
 * a proposal before it is published, naming the revoking decision. Revoking
 * it again changes nothing.
 */
export function revokeListing(cmd: { revokedBy: string; note: string; by: string }, state: EntryState, ctx: DecideContext): Array<EntryDelisted | ListingWithdrawn | CaseClosed> {
  if (state.revokedBy) return [];
  const data = { at: ctx.now.toISOString(), revokedBy: cmd.revokedBy, note: cmd.note, by: cmd.by };
  if (state.status === 'proposed') return [{ type: 'ListingWithdrawn', data }, ...closeMootCases(state, data.at, 'entry-withdrawn')];
  if (state.status !== 'listed') throw new DomainError('INVALID_STATE', `Only a listed or proposed entry is revoked; this one is ${state.status}`, { status: state.status });
  return [{ type: 'EntryDelisted', data: { ...data, reason: 'revoked' } }, ...closeMootCases(state, data.at, 'entry-delisted')];
}

export type ExpiryOutcome = { outcome: 'delisted' } | { outcome: 'extended'; expiresAt: string } | { outcome: 'ended' };

/** At the end of the period: delist, or wait for the new date if the period was extended, or end if already off the list. */
export function delistAtExpiry(state: EntryState, ctx: DecideContext): { events: Array<EntryDelisted | CaseClosed>; result: ExpiryOutcome } {
  if (state.status !== 'listed') return { events: [], result: { outcome: 'ended' } };
  if (ctx.now.getTime() < Date.parse(state.expiresAt!)) return { events: [], result: { outcome: 'extended', expiresAt: state.expiresAt! } };
  // Publication stops automatically at the maximum (NDRC Credit Repair Measures 2026).
  const at = ctx.now.toISOString();
  return { events: [{ type: 'EntryDelisted', data: { at, reason: 'expired' } }, ...closeMootCases(state, at, 'entry-delisted')], result: { outcome: 'delisted' } };
}

/** A notice served on one channel, recorded once. */
export function recordNotice(state: EntryState, data: NoticeSent['data']): NoticeSent[] {
  return state.noticesSent.includes(`${data.notice}:${data.channel}`) ? [] : [{ type: 'NoticeSent', data }];
}

function requireListType(ctx: DecideContext, id: string): ListType {
  const listType = ctx.policies.listType(id);
  if (!listType) throw new Error(`List type ${id} is no longer in the catalogue`);
  return listType;
}
