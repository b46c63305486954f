import type { Actor, PendingEvent } from '../shared/audit/hash-chain.js';
import { fileCase, listEntry, proposeListing, type CaseKind, type DecideContext, type EntryState } from '../shared/domain/entry.js';
import { residentId } from '../test/support/identities.js';
import { newId } from '../shared/platform/ids.js';
import { inPool } from '../shared/platform/pool.js';
import type { LoadedEntry } from '../shared/stores/entry-store.js';
import type { Deps } from '../functions/deps.js';

/**
 * What each seeded case is: an objection to a listed entry, the queue's usual
 * content. For representations on proposed entries: `{ kind: 'representation', listedFirst: false }`.
 */
export const SEED_CASE: { kind: CaseKind; listedFirst: boolean } = { kind: 'objection', listedFirst: true };

/** One agency's queue to fill: the agency and a list type it may propose. */
export interface SeedQueue {
  agencyId: string;
  listType: string;
}

export interface SeedOptions {
  queue: SeedQueue;
  count: number;
  /** Filing times are spread evenly over [from, to), so the deadlines differ and the queue has an order to keep. */
  filedFrom: Date;
  filedTo: Date;
  /** Commands in flight at once. */
  concurrency: number;
  /** Offsets the subject ids, so two seeds never name the same person. */
  firstSubject: number;
  /** Stops at the listed entry, with no case filed: entries for a benchmark that files the cases itself. */
  listedOnly?: boolean;
  onProgress?: (done: number) => void;
}

export interface SeededCase {
  caseId: string;
  entryId: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WORKFLOW_ACTOR: Actor = { role: 'system', id: 'workflow' };
export { residentId };

interface SeedStep {
  at: Date;
  actor: Actor;
  decide: (state: EntryState | undefined, ctx: DecideContext) => PendingEvent[];
}

/** The commands that bring one entry to an open case in its agency's queue, each at its own virtual time, as the routes and tasks would decide them. */
function stepsFor(queue: SeedQueue, n: number, filedAt: Date, listedOnly = false): { entryId: string; caseId: string; steps: SeedStep[] } {
  // A listing first needs the representation window (10 working days) to have closed before the filing.
  const proposedAt = new Date(filedAt.getTime() - (SEED_CASE.listedFirst ? 35 * DAY_MS : HOUR_MS));
  const entryId = newId('ent', proposedAt);
  const caseId = newId('cas', filedAt);
  const subjectId = residentId(n);
  const officer: Actor = { role: 'agency-officer', id: `agency-officer:${queue.agencyId}` };
  const subject: Actor = { role: 'subject', id: `subject:${subjectId}` };
  const propose: SeedStep = {
    at: proposedAt,
    actor: officer,
    decide: (state, ctx) => proposeListing({
      entryId,
      agencyId: queue.agencyId,
      subject: { id: subjectId, kind: 'person', name: `基准测试${n}`, email: `bench-${n}@example.cn` },
      listType: queue.listType,
      facts: 'Seeded by bench/queue.ts',
      legalBasis: 'Seeded by bench/queue.ts',
      measures: ['Seeded by bench/queue.ts'],
      decisionRef: `BENCH-${n}`,
      decisionDate: new Date(proposedAt.getTime() - 30 * DAY_MS).toISOString().slice(0, 10),
    }, state, ctx),
  };
  const list: SeedStep = { at: new Date(filedAt.getTime() - HOUR_MS), actor: WORKFLOW_ACTOR, decide: (state, ctx) => listEntry(state!, ctx) };
  const file: SeedStep = {
    at: filedAt,
    actor: subject,
    decide: (state, ctx) => fileCase({ caseId, kind: SEED_CASE.kind, subjectId, grounds: 'Seeded by bench/queue.ts', evidence: [] }, state!, ctx),
  };
  if (listedOnly) return { entryId, caseId, steps: [propose, list] };
  return { entryId, caseId, steps: SEED_CASE.listedFirst ? [propose, list, file] : [propose, file] };
}

/**
 * Opens `count` cases in one agency's queue through the domain deciders and
 * the entry store, without HTTP or workflows: each entry's commands are
 * committed in turn, as the routes commit them, so the projections and the
 * queue index are the ones the system writes.
 */
export async function seedQueue(deps: Pick<Deps, 'entries' | 'policies' | 'calendar'>, options: SeedOptions): Promise<SeededCase[]> {
  const policies = await deps.policies();
  if (!policies.agency(options.queue.agencyId)) throw new Error(`Agency ${options.queue.agencyId} is not in the catalogue`);
  const spanMs = options.filedTo.getTime() - options.filedFrom.getTime();
  const seeded: SeededCase[] = new Array(options.count);
  await inPool(options.count, options.concurrency, async (i) => {
    const filedAt = new Date(options.filedFrom.getTime() + Math.floor(((i + 0.5) * spanMs) / options.count));
    const { entryId, caseId, steps } = stepsFor(options.queue, options.firstSubject + i, filedAt, options.listedOnly);
    let loaded: LoadedEntry | undefined;
    for (const step of steps) {
      const ctx: DecideContext = { policies, calendar: deps.calendar, now: step.at };
      loaded = (await deps.entries.commit(entryId, loaded, step.decide(loaded?.state, ctx), step.actor, step.at)).entry;
    }
    seeded[i] = { caseId, entryId };
  }, options.onProgress);
  return seeded;
}

export { inPool };
