import { actorOf, type Principal } from '../../shared/auth/principal.js';
import { recordView, type RecordView } from '../../shared/domain/entry.js';
import { ServiceUnavailableError } from '../../shared/platform/errors.js';
import { log } from '../../shared/platform/log.js';
import type { LoadedEntry } from '../../shared/stores/entry-store.js';
import type { Deps } from '../deps.js';

/**
 * Reads of one entry arriving together (a workbench's evidence frames load at
 * once) each lose a commit race at most once per other reader, so each is
 * recorded within this many tries.
 */
const VIEW_ATTEMPTS = 8;
const RETRY_AFTER_SECONDS = 2;

/**
 * Records in the entry's trail that an official read part of the subject's
 * record (the domain decides whose reads count and drops a repeat within its
 * span), before the record is answered.
 *
 * It fails closed: when the read cannot be recorded, the caller gets 503 and
 * not the record, and the failure is logged. A read of a person's data that
 * went unrecorded can never be recorded afterwards; a refused read can simply
 * be made again a moment later.
 */
export async function recordRead(deps: Pick<Deps, 'entries' | 'clock'>, principal: Principal, from: LoadedEntry, view: Omit<RecordView, 'viewer'>): Promise<void> {
  const now = deps.clock.now();
  const actor = actorOf(principal);
  try {
    await deps.entries.apply(from.state.entryId, (loaded) => ({ events: recordView({ viewer: actor, ...view }, loaded.state, now), result: undefined }), actor, now, { loaded: from, attempts: VIEW_ATTEMPTS });
  } catch (error) {
    log.error('read not recorded; the record was withheld', { entryId: from.state.entryId, role: principal.role, ...view, error });
    throw new ServiceUnavailableError('This read could not be recorded in the audit trail, so the record is not shown; try again shortly', RETRY_AFTER_SECONDS, { cause: error });
  }
}
