import { DomainError } from '../platform/errors.js';
import { fileCase } from './cases.js';
import { remediesAfter } from './decision.js';
import type { CaseKind, EntryState } from './entry-state.js';
import type { DecideContext } from './listing.js';

/** Why an action is not open now, with the date it opens or closed where there is one. */
export type ClosedBecause =
  | { code: 'NOT_YET'; from: string }
  | { code: 'WINDOW_CLOSED'; closedOn: string }
  | { code: 'NEEDS_LISTING'; status: string }
  | { code: 'ALREADY_OPEN'; caseId: string }
  | { code: 'NOT_AVAILABLE'; message: string };

/** One thing a subject might file on an entry: open now (until when), or closed (and why). */
export type SubjectAction = { kind: CaseKind; appealOf?: string } & ({ open: true; until?: string } | { open: false; because: ClosedBecause });

const KINDS: CaseKind[] = ['representation', 'objection', 'correction', 'repair'];

/**
 * The actions a subject has on an entry now, found by asking the very rules
 * a filing meets (`fileCase`), so the page can never offer what the filing
 * refuses. A refusal that only wants the form filled in (a correction's field,
 * the commitment) means the action is open.
 */
export function subjectActions(state: EntryState, subjectId: string, ctx: DecideContext): SubjectAction[] {
  const probe = (kind: CaseKind, appealOf?: string): SubjectAction => {
    try {
      fileCase({ caseId: 'cas_PROBE', kind, subjectId, grounds: '-', evidence: [], appealOf, commitment: kind === 'repair' ? true : undefined }, state, ctx);
      return { kind, ...(appealOf ? { appealOf } : {}), open: true, ...untilOf(kind, state, ctx, appealOf) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'VALIDATION_FAILED') return { kind, ...(appealOf ? { appealOf } : {}), open: true, ...untilOf(kind, state, ctx, appealOf) };
      return { kind, ...(appealOf ? { appealOf } : {}), open: false, because: becauseOf(error) };
    }
  };
  const appeals = state.cases.filter((c) => c.subjectId === subjectId && c.decision?.level === 'agency' && c.kind !== 'appeal').map((c) => probe('appeal', c.caseId));
  return [...KINDS.map((k) => probe(k)), ...appeals];
}

function untilOf(kind: CaseKind, state: EntryState, ctx: DecideContext, appealOf?: string): { until?: string } {
  if (kind === 'representation') return { until: state.representationDeadline };
  const appealed = appealOf ? state.cases.find((c) => c.caseId === appealOf) : undefined;
  const closes = appealed && remediesAfter(appealed, ctx)?.appealClosesOn;
  return closes ? { until: closes } : {};
}

function becauseOf(error: DomainError): ClosedBecause {
  const d = (error.details ?? {}) as Record<string, unknown>;
  if (typeof d.earliestRepairDate === 'string') return { code: 'NOT_YET', from: d.earliestRepairDate };
  if (typeof d.closedOn === 'string') return { code: 'WINDOW_CLOSED', closedOn: d.closedOn };
  if (typeof d.deadline === 'string') return { code: 'WINDOW_CLOSED', closedOn: d.deadline };
  if (error.code === 'INVALID_STATE' && typeof d.caseId === 'string') return { code: 'ALREADY_OPEN', caseId: d.caseId };
  if (typeof d.status === 'string' && error.message.includes('listed entry')) return { code: 'NEEDS_LISTING', status: d.status };
  return { code: 'NOT_AVAILABLE', message: error.message };
}
