import { proposeListing, type EntryState } from '../shared/domain/entry.js';
import type { Principal } from '../shared/auth/principal.js';
import { actorOf } from '../shared/auth/principal.js';
import { ConcurrentUpdateError, DomainError } from '../shared/platform/errors.js';
import type { ProposeListingBody } from '../shared/schemas/listing.js';
import { decideContext, type TaskDeps } from './deps.js';

/** The id a proposal commits under, and the digest of what it asked; `keyed` ids name the same entry on every retry. */
export interface ProposalId {
  entryId: string;
  requestHash: string;
  keyed: boolean;
}

/**
 * Proposes a listing for an agency officer, as `POST /v1/listings` and each
 * line of a batch do: commits the proposal, then starts its lifecycle. Run
 * again with the same keyed id, it finds the entry the first run made (and
 * starts its lifecycle if that run stopped short of it) rather than making
 * another; the same id for a different proposal is refused.
 */
export async function proposeEntry(deps: TaskDeps, principal: Principal, body: ProposeListingBody, id: ProposalId): Promise<{ state: EntryState; created: boolean }> {
  const ctx = await decideContext(deps);
  let state = id.keyed ? (await deps.entries.load(id.entryId))?.state : undefined;
  const created = !state;
  if (!state) {
    const events = proposeListing({ entryId: id.entryId, agencyId: principal.agencyId!, ...body, requestHash: id.requestHash }, undefined, ctx);
    try {
      state = (await deps.entries.commit(id.entryId, undefined, events, actorOf(principal), ctx.now)).entry.state;
    } catch (error) {
      // The same key raced itself: the first request made the entry.
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      state = (await deps.entries.load(id.entryId))!.state;
    }
  }
  if (state.requestHash !== id.requestHash) throw new DomainError('RULE_REFUSED', 'This Idempotency-Key was already used for a different proposal', { entryId: id.entryId });
  // Named by the entry: starting it again (a retry after a failed start) finds or makes the one execution.
  await deps.workflows.startExecution('listingLifecycle', id.entryId, { entryId: id.entryId, listingDueAt: state.listingDueAt });
  return { state, created };
}
