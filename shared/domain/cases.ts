import { computePeriodEnd, shanghaiDateOf } from '../calendar/index.js';
import { assertIsoDate } from '../calendar/iso-date.js';
import { DomainError, invalid } from '../platform/errors.js';
import type { Period, PolicyProfile } from '../policy/schema.js';
import { checkIdentifier } from './identifiers.js';
import { holderOf, isOpenCase, type CaseClaimed, type CaseFiled, type CaseKind, type CaseReleased, type CaseState, type CaseWithdrawn, type CorrectableField, type Correction, type EntryState, type Evidence, type ReviewLevel } from './entry-state.js';
import type { DecideContext } from './listing.js';

export interface FileCase {
  caseId: string;
  kind: CaseKind;
  subjectId: string;
  grounds: string;
  evidence: Evidence[];
  requestedCorrection?: { field: string; value: string };
  appealOf?: string;
  /** A repair applicant ticked the public credit commitment. */
  commitment?: boolean;
  requestHash?: string;
}

/** Kinds whose procedure this system runs, the level that first reviews them and the profile deadline that bounds it. */
const REVIEW: Partial<Record<CaseKind, { level: ReviewLevel; period: keyof PolicyProfile['deadlines'] }>> = {
  representation: { level: 'agency', period: 'representationReview' },
  objection: { level: 'agency', period: 'objectionReview' },
  correction: { level: 'agency', period: 'correctionReview' },
  repair: { level: 'agency', period: 'repairReview' },
  // Reconsideration goes one level up (Fa Shi [2017] No. 7 Art. 11; Zhejiang 2017 Art. 31).
  appeal: { level: 'province', period: 'provincialReview' },
};

/** The deadline a case is counted against at the level that holds it, from the case's own policy version. */
export function reviewPeriodOf(c: Pick<CaseState, 'kind' | 'level'>, profile: PolicyProfile): Period {
  if (c.level === 'province') return profile.deadlines.provincialReview;
  const review = REVIEW[c.kind];
  if (!review) throw new Error(`No review period for ${c.kind} cases`);
  return profile.deadlines[review.period];
}

/** The kinds filed only on a listed entry (checkDispute, checkRepair refuse them on any other). */
export const FILED_ON_LISTED: readonly CaseKind[] = ['objection', 'correction', 'repair'];

/** The fields of an entry a correction may change (name, identifier, the facts and the decision's particulars). */
export const CORRECTABLE_FIELDS: readonly CorrectableField[] = ['subject.name', 'subject.id', 'facts', 'legalBasis', 'decisionRef', 'decisionDate'];

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
  const review = REVIEW[cmd.kind];
  if (!review) throw new DomainError('RULE_REFUSED', `${cmd.kind} cases are not accepted by this system yet`, { errors: [{ path: 'kind', message: `${cmd.kind} is not accepted yet` }] });
  if (cmd.requestedCorrection && cmd.kind !== 'correction') throw invalid([{ path: 'requestedCorrection', message: 'only a correction names a field to correct' }]);
  if (cmd.appealOf && cmd.kind !== 'appeal') throw invalid([{ path: 'appealOf', message: 'only an appeal names the case it appeals' }]);
  if (cmd.commitment !== undefined && cmd.kind !== 'repair') throw invalid([{ path: 'commitment', message: 'only a repair application carries the credit commitment' }]);
  let requestedCorrection: Correction | undefined;
  switch (cmd.kind) {
    case 'representation':
      checkRepresentation(state, ctx);
      break;
    case 'objection':
    case 'correction':
      requestedCorrection = checkDispute(cmd, state, ctx);
      break;
    case 'appeal':
      checkAppeal(cmd, state, ctx);
      break;
    case 'repair':
      checkRepair(cmd, state, ctx);
      break;
    default:
      break;
  }
  const today = shanghaiDateOf(ctx.now);
  const profile = ctx.policies.profileInForce(state.policy.profileId, today);
  const commitment = cmd.kind === 'repair' ? { text: `${profile.repairCommitment.zh}\n${profile.repairCommitment.en}`, acceptedAt: ctx.now.toISOString() } : undefined;
  // The filing day is not counted (POLICY.md, counting a period).
  const deadline = computePeriodEnd(ctx.calendar, today, profile.deadlines[review.period]);
  const capDate = cmd.kind === 'objection' || cmd.kind === 'correction' ? computePeriodEnd(ctx.calendar, today, profile.deadlines.reviewMaxWithExtension).endDate : undefined;
  return [{
    type: 'CaseFiled',
    data: {
      caseId: cmd.caseId,
      entryId: state.entryId,
      kind: cmd.kind,
      level: review.level,
      subjectId: cmd.subjectId,
      agencyId: state.agencyId,
      provinceCode: state.provinceCode,
      grounds: cmd.grounds,
      evidence: cmd.evidence,
      ...(requestedCorrection ? { requestedCorrection } : {}),
      ...(cmd.appealOf ? { appealOf: cmd.appealOf } : {}),
      ...(commitment ? { commitment } : {}),
      policy: { profileId: profile.profileId, version: profile.version },
      filedAt: ctx.now.toISOString(),
      clockStartedAt: ctx.now.toISOString(),
      deadline: deadline.endDate,
      deadlineAt: deadline.endsAt,
      deadlineProvisional: deadline.provisional,
      ...(capDate ? { capDate } : {}),
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
  refuseSecondOpen(state, 'representation');
}

/** An objection or correction disputes a listed entry; a correction names one field and a valid new value. */
function checkDispute(cmd: FileCase, state: EntryState, ctx: DecideContext): Correction | undefined {
  if (state.status !== 'listed') {
    const hint = state.status === 'proposed' ? '; before listing, make a representation' : '';
    throw new DomainError('RULE_REFUSED', `Objections and corrections concern a listed entry; this entry is ${state.status}${hint}`, { status: state.status });
  }
  refuseSecondOpen(state, cmd.kind);
  if (cmd.kind !== 'correction') return undefined;
  if (!cmd.requestedCorrection) throw invalid([{ path: 'requestedCorrection', message: `a correction names the field to correct (${CORRECTABLE_FIELDS.join(', ')}) and its proposed value` }]);
  return checkCorrection(cmd.requestedCorrection, state, ctx, 'requestedCorrection');
}

/**
 * A repair is applied for on a listed entry whose list allows it, once the
 * policy's minimum period has run (NDRC Credit Repair Measures 2026), or at
 * any time after performance for judgment defaulters, with the public credit
 * commitment accepted.
 */
function checkRepair(cmd: FileCase, state: EntryState, ctx: DecideContext) {
  if (state.status !== 'listed') throw new DomainError('RULE_REFUSED', `Repair takes a listed entry off the list; this entry is ${state.status}`, { status: state.status });
  const listType = ctx.policies.listType(state.listType);
  if (!listType || listType.repair === 'none' || !state.earliestRepairDate) {
    throw new DomainError('RULE_REFUSED', `${listType?.name.en ?? state.listType} entries are not repaired: they are not published and end with their period`, { listType: state.listType });
  }
  if (shanghaiDateOf(ctx.now) < state.earliestRepairDate) {
    const min = listType.minPublication;
    const rule = min ? `the minimum publication period of ${min.value} ${min.value === 1 ? min.unit.replace(/s$/, '') : min.unit} from the decision date (NDRC Credit Repair Measures 2026)` : 'the listing rule';
    throw new DomainError('RULE_REFUSED', `Repair may be applied for from ${state.earliestRepairDate}, after ${rule}`, { earliestRepairDate: state.earliestRepairDate, rule });
  }
  if (cmd.commitment !== true) throw invalid([{ path: 'commitment', message: 'a repair application accepts the public credit commitment (commitment: true)' }]);
  refuseSecondOpen(state, 'repair');
}

/** A correction of one field to a value that is valid for it and differs from what the entry says. */
export function checkCorrection(proposed: { field: string; value: string }, state: EntryState, ctx: DecideContext, path: string): Correction {
  const field = CORRECTABLE_FIELDS.find((f) => f === proposed.field);
  if (!field) throw invalid([{ path: `${path}.field`, message: `must be one of ${CORRECTABLE_FIELDS.join(', ')}` }]);
  const trimmed = proposed.value.trim();
  const value = field === 'subject.id' ? trimmed.toUpperCase() : trimmed;
  const problem = valueProblem(field, value, state, ctx);
  if (problem) throw invalid([{ path: `${path}.value`, message: problem }]);
  if (currentValue(state, field) === value) throw invalid([{ path: `${path}.value`, message: `the entry already says ${value}` }]);
  return { field, value };
}

function valueProblem(field: CorrectableField, value: string, state: EntryState, ctx: DecideContext): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (field === 'subject.id') {
    const check = checkIdentifier(state.subject.kind, value);
    return check.ok ? undefined : check.reason;
  }
  if (field === 'decisionDate') {
    if (!isCalendarDate(value)) return 'expected a calendar date as YYYY-MM-DD';
    if (value < EARLIEST_DECISION_DATE) return `must be on or after ${EARLIEST_DECISION_DATE}`;
    if (value > shanghaiDateOf(ctx.now)) return `must be on or before ${shanghaiDateOf(ctx.now)}`;
  }
  return undefined;
}

/** Decision dates before the social credit lists existed are no correction but a typing error. */
const EARLIEST_DECISION_DATE = '2000-01-01';

function isCalendarDate(value: string): boolean {
  try {
    assertIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

export function currentValue(state: EntryState, field: CorrectableField): string {
  return field === 'subject.name' ? state.subject.name : field === 'subject.id' ? state.subject.id : state[field];
}

/**
 * An appeal (reconsideration) lies against an agency's decision on this entry,
 * once, within the window counted from the decision (Fa Shi [2017] No. 7 Art. 11).
 */
function checkAppeal(cmd: FileCase, state: EntryState, ctx: DecideContext) {
  if (!cmd.appealOf) throw invalid([{ path: 'appealOf', message: 'an appeal names the decided case it appeals' }]);
  const appealed = state.cases.find((c) => c.caseId === cmd.appealOf);
  if (!appealed || appealed.subjectId !== cmd.subjectId) throw invalid([{ path: 'appealOf', message: `no case ${cmd.appealOf} of yours on this entry` }]);
  if (appealed.kind === 'appeal') throw new DomainError('RULE_REFUSED', 'An appeal decision is not appealed again here; administrative reconsideration or litigation remain open under the law', { appealOf: appealed.caseId });
  if (!appealed.decision) throw new DomainError('INVALID_STATE', `Case ${appealed.caseId} is not decided yet`, { status: appealed.status });
  if (appealed.decision.level !== 'agency') throw new DomainError('RULE_REFUSED', `Case ${appealed.caseId} was decided by the provincial reviewer; administrative reconsideration or litigation remain open under the law`, { appealOf: appealed.caseId });
  const prior = state.cases.find((c) => c.kind === 'appeal' && c.appealOf === appealed.caseId);
  if (prior) throw new DomainError('INVALID_STATE', `Case ${appealed.caseId} was already appealed as ${prior.caseId}`, { caseId: prior.caseId });
  const closes = appealWindowEnd(appealed, ctx);
  if (ctx.now.getTime() >= Date.parse(closes.endsAt)) {
    throw new DomainError('RULE_REFUSED', `The appeal window closed on ${closes.endDate} at 24:00`, { closedOn: closes.endDate, closedAt: closes.endsAt });
  }
}

/** The appeal window of a decided case, counted from the day of the decision (its notice is served that day). */
export function appealWindowEnd(c: CaseState, ctx: Pick<DecideContext, 'policies' | 'calendar'>) {
  const profile = ctx.policies.profileVersion(c.policy.profileId, c.policy.version);
  return computePeriodEnd(ctx.calendar, shanghaiDateOf(c.decision!.decidedAt), profile.deadlines.appealWindow);
}

function refuseSecondOpen(state: EntryState, kind: CaseKind) {
  const open = state.cases.find((c) => c.kind === kind && isOpenCase(c));
  if (open) throw new DomainError('INVALID_STATE', `A ${kind} on this entry is still open: ${open.caseId}`, { caseId: open.caseId });
}

export function requireCase(state: EntryState, caseId: string): CaseState {
  const found = state.cases.find((c) => c.caseId === caseId);
  if (!found) throw new DomainError('NOT_FOUND', `Case ${caseId} was not found`);
  return found;
}

export function requireOpen(c: CaseState) {
  if (!isOpenCase(c)) throw new DomainError('INVALID_STATE', `Case ${c.caseId} is ${c.status}`, { status: c.status });
}

/** Only the level that holds a case acts on it: the agency until escalation, then the province. */
export function requireLevel(c: CaseState, level: ReviewLevel | undefined) {
  if (level === 'agency' && c.level === 'province') throw new DomainError('INVALID_STATE', `Case ${c.caseId} is with the provincial reviewer; the agency can no longer act on it`);
  if (level === 'province' && c.level === 'agency') throw new DomainError('INVALID_STATE', `Case ${c.caseId} is with the agency until its deadline passes`);
}

/** Someone else's live claim stands in the way; a lapsed one does not. */
export function requireNotHeldByOther(c: CaseState, by: string, now: Date) {
  const holder = holderOf(c, now);
  if (holder && holder !== by) throw new DomainError('INVALID_STATE', `Case ${c.caseId} is claimed by another reviewer until ${c.claimUntil}`, { assignedTo: holder, claimUntil: c.claimUntil });
}

/** A reviewer takes a case for the policy's claim hold; claiming one's own case again renews it. */
export function claimCase(cmd: { caseId: string; by: string; level?: ReviewLevel }, state: EntryState, ctx: DecideContext): CaseClaimed[] {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  requireLevel(c, cmd.level);
  requireNotHeldByOther(c, cmd.by, ctx.now);
  const hold: Period = ctx.policies.profileVersion(c.policy.profileId, c.policy.version).claimHold;
  const until = computePeriodEnd(ctx.calendar, shanghaiDateOf(ctx.now), hold).endsAt;
  if (holderOf(c, ctx.now) === cmd.by && c.claimUntil === until) return [];
  return [{ type: 'CaseClaimed', data: { caseId: c.caseId, by: cmd.by, at: ctx.now.toISOString(), until } }];
}

/** The holder gives a case back to the queue. Releasing a case nobody holds changes nothing. */
export function releaseCase(cmd: { caseId: string; by: string; level?: ReviewLevel }, state: EntryState, ctx: DecideContext): CaseReleased[] {
  const c = requireCase(state, cmd.caseId);
  requireOpen(c);
  requireLevel(c, cmd.level);
  requireNotHeldByOther(c, cmd.by, ctx.now);
  if (!holderOf(c, ctx.now)) return [];
  return [{ type: 'CaseReleased', data: { caseId: c.caseId, by: cmd.by, at: ctx.now.toISOString() } }];
}

/** The subject withdraws an open case; the objection mark goes with it, and the trail keeps both. */
export function withdrawCase(cmd: { caseId: string; by: string }, state: EntryState, ctx: DecideContext): CaseWithdrawn[] {
  const c = requireCase(state, cmd.caseId);
  if (c.status === 'withdrawn') return [];
  requireOpen(c);
  return [{ type: 'CaseWithdrawn', data: { caseId: c.caseId, at: ctx.now.toISOString(), by: cmd.by } }];
}
