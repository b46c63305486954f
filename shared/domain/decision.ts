import { invalid, DomainError } from '../platform/errors.js';
import { computePeriodEnd, shanghaiDateOf } from '../calendar/index.js';
import { closeMootCases, evolveCase } from './case-evolve.js';
import { catchUp, requireBeforeDeadline } from './review-clock.js';
import { appealWindowEnd, checkCorrection, currentValue, requireCase, requireLevel, requireNotHeldByOther, requireOpen } from './cases.js';
import { isPaused, type CaseClosed, type CaseResumed, type CaseDecided, type CaseOutcome, type CaseState, type Correction, type EntryCorrected, type EntryDelisted, type EntryState, type ListingWithdrawn, type ReviewLevel } from './entry-state.js';
import { datesAfterDecisionDate, type DecideContext } from './listing.js';

export interface DecideCase {
  caseId: string;
  outcome: CaseOutcome;
  reasons: string;
  by: string;
  level: ReviewLevel;
  correction?: { field: string; value: string };
  /** A rejected repair: what the subject still has to put right. */
  missing?: string[];
  /** An unguessable code for the certificate an approved repair issues; drawn by the caller, so deciding stays pure. */
  certificateCode?: string;
}

type Remedy = ListingWithdrawn | EntryDelisted | EntryCorrected;

/**
 * Exactly one decision per case, by the level that holds it, within the
 * agency's deadline, with what it changes on the entry: an upheld objection
 * delists it, an upheld correction corrects it (the old value stays in the
 * trail), a rejection changes nothing but the objection mark.
 */
export function decideCase(cmd: DecideCase, state: EntryState, ctx: DecideContext): Array<CaseResumed | CaseDecided | Remedy | CaseClosed> {
  const stored = requireCase(state, cmd.caseId);
  const caught = catchUp(stored, ctx);
  const c = caught.reduce(evolveCase, stored);
  requireOpen(c);
  requireLevel(c, cmd.level);
  requireBeforeDeadline(c, ctx);
  requireNotHeldByOther(c, cmd.by, ctx.now);
  // The subject was asked for material: nothing may go against them before their time to answer is up.
  if (cmd.outcome !== 'upheld' && isPaused(c)) {
    throw new DomainError('INVALID_STATE', `Case ${c.caseId} waits for the subject's material until ${c.infoRequest!.answerDue} at 24:00; only upholding it is possible before then`, { answerDue: c.infoRequest!.answerDue });
  }
  // An appeal asks again for what the appealed case asked: its remedy is that case's.
  const asked = c.kind === 'appeal' ? requireCase(state, c.appealOf!) : c;
  const correction = correctionOf(cmd, asked, state, ctx);
  if (cmd.missing?.length && !(asked.kind === 'repair' && cmd.outcome === 'rejected')) throw invalid([{ path: 'missing', message: 'only a rejected repair lists what is still missing' }]);
  const repair = asked.kind === 'repair' ? repairTerms(cmd, c, state) : {};
  const at = ctx.now.toISOString();
  const decided: CaseDecided = { type: 'CaseDecided', data: { caseId: c.caseId, at, outcome: cmd.outcome, reasons: cmd.reasons, by: cmd.by, level: cmd.level, ...(correction ? { correction } : {}), ...repair } };
  const remedy = remedies(cmd.outcome, asked, correction, state, ctx, c.caseId);
  // Off the list: the entry's other open cases have nothing left to decide.
  const gone = remedy.find((e) => e.type === 'EntryDelisted' || e.type === 'ListingWithdrawn');
  return [...caught, decided, ...remedy, ...(gone ? closeMootCases(state, at, gone.type === 'EntryDelisted' ? 'entry-delisted' : 'entry-withdrawn', c.caseId) : [])];
}

/**
 * A repair is approved or rejected, not partly: approval issues a certificate
 * (while the entry is still listed), a rejection by the agency says what is
 * still missing.
 */
function repairTerms(cmd: DecideCase, c: CaseState, state: EntryState): { missing?: string[]; certificate?: string } {
  if (cmd.outcome === 'partially-upheld') throw invalid([{ path: 'outcome', message: 'a repair is upheld (approved) or rejected' }]);
  if (cmd.outcome === 'upheld') {
    if (state.status !== 'listed') return {};
    if (!cmd.certificateCode) throw new Error('An approved repair needs a certificate code from the caller');
    return { certificate: cmd.certificateCode };
  }
  if (c.kind === 'repair' && !cmd.missing?.length) throw invalid([{ path: 'missing', message: 'a rejected repair lists what the subject still has to put right' }]);
  return cmd.missing?.length ? { missing: cmd.missing } : {};
}

/** The correction a decision makes: the one asked for when upheld in full, the reviewer's own when in part. */
function correctionOf(cmd: DecideCase, asked: CaseState, state: EntryState, ctx: DecideContext): Correction | undefined {
  if (cmd.outcome === 'rejected') {
    if (cmd.correction) throw invalid([{ path: 'correction', message: 'a rejection corrects nothing' }]);
    return undefined;
  }
  if (cmd.correction && (asked.kind === 'repair' || (cmd.outcome === 'upheld' && asked.kind !== 'correction'))) {
    throw invalid([{ path: 'correction', message: `an upheld ${asked.kind} takes the entry off the list; a correction goes with a correction request, or with a partly upheld case` }]);
  }
  const proposed = cmd.correction ?? (cmd.outcome === 'upheld' ? asked.requestedCorrection : undefined);
  if (!proposed) {
    if (cmd.outcome === 'partially-upheld' && (asked.kind === 'correction' || asked.kind === 'objection')) {
      throw invalid([{ path: 'correction', message: 'a partly upheld objection or correction states the field it corrects and the value' }]);
    }
    return undefined;
  }
  return checkCorrection(proposed, state, ctx, 'correction');
}

function remedies(outcome: CaseOutcome, asked: CaseState, correction: Correction | undefined, state: EntryState, ctx: DecideContext, caseId: string): Remedy[] {
  if (state.status !== 'listed' && state.status !== 'proposed') return [];
  const at = ctx.now.toISOString();
  const off = (reason: EntryDelisted['data']['reason']): Remedy =>
    state.status === 'proposed' ? { type: 'ListingWithdrawn', data: { at, caseId } } : { type: 'EntryDelisted', data: { at, reason, caseId } };
  // The entry should not exist: off the list at once (the rule allows 3 working days).
  if (outcome === 'upheld' && (asked.kind === 'objection' || asked.kind === 'representation')) return [off('objection-upheld')];
  // Repaired: off the list at once, and out of the public search with it.
  if (outcome === 'upheld' && asked.kind === 'repair') return state.status === 'listed' ? [off('repaired')] : [];
  if (!correction) return [];
  // Listed against the wrong person: the entry is taken off, not moved to someone who was never given notice.
  if (correction.field === 'subject.id') return [off('corrected-out')];
  const dates: { expiresAt?: string; earliestRepairDate?: string } = correction.field === 'decisionDate' && state.status === 'listed' ? datesAfterDecisionDate(ctx, state, correction.value) : {};
  const fixed: EntryCorrected = { type: 'EntryCorrected', data: { caseId, at, field: correction.field, from: currentValue(state, correction.field), to: correction.value, ...dates } };
  // A corrected decision date can end publication already.
  if (dates.expiresAt && Date.parse(dates.expiresAt) <= ctx.now.getTime()) return [fixed, { type: 'EntryDelisted', data: { at, reason: 'expired', caseId } }];
  return [fixed];
}

/** What the subject may do after a decision, each with its last day: appeal an agency's decision here; otherwise the remedies of the law. */
export interface DecisionRemedies {
  appealClosesOn?: string;
  reconsiderationClosesOn: string;
  litigationClosesOn: string;
}

/** The remedies against a decided case, counted from the day of the decision under the case's own policy version. */
export function remediesAfter(c: CaseState, ctx: Pick<DecideContext, 'policies' | 'calendar'>): DecisionRemedies | undefined {
  if (!c.decision) return undefined;
  const { deadlines } = ctx.policies.profileVersion(c.policy.profileId, c.policy.version);
  const decidedOn = shanghaiDateOf(c.decision.decidedAt);
  const appealable = c.decision.level === 'agency' && c.kind !== 'appeal';
  return {
    ...(appealable ? { appealClosesOn: appealWindowEnd(c, ctx).endDate } : {}),
    reconsiderationClosesOn: computePeriodEnd(ctx.calendar, decidedOn, deadlines.reconsiderationWindow).endDate,
    litigationClosesOn: computePeriodEnd(ctx.calendar, decidedOn, deadlines.litigationWindow).endDate,
  };
}
