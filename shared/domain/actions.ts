import { DomainError } from '../platform/errors.js';
import { fileCase, FILED_ON_LISTED } from './cases.js';
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
    const action = { kind, ...(appealOf ? { appealOf } : {}) };
    const open = (): SubjectAction => ({ ...action, open: true, ...untilOf(kind, state, ctx, appealOf) });
    try {
      fileCase({ caseId: 'cas_PROBE', kind, subjectId, grounds: '-', evidence: [], appealOf, commitment: kind === 'repair' ? true : undefined }, state, ctx);
      return open();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return error.code === 'VALIDATION_FAILED' ? open() : { ...action, open: false, because: becauseOf(error, kind, state) };
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

function becauseOf(error: DomainError, kind: CaseKind, state: EntryState): ClosedBecause {
  // Read from the rule itself, not from the refusal's wording.
  if (FILED_ON_LISTED.includes(kind) && state.status !== 'listed') return { code: 'NEEDS_LISTING', status: state.status };
  const d = (error.details ?? {}) as Record<string, unknown>;
  if (typeof d.earliestRepairDate === 'string') return { code: 'NOT_YET', from: d.earliestRepairDate };
  if (typeof d.closedOn === 'string') return { code: 'WINDOW_CLOSED', closedOn: d.closedOn };
  if (typeof d.deadline === 'string') return { code: 'WINDOW_CLOSED', closedOn: d.deadline };
  if (error.code === 'INVALID_STATE' && typeof d.caseId === 'string') return { code: 'ALREADY_OPEN', caseId: d.caseId };
  return { code: 'NOT_AVAILABLE', message: error.message };
}
