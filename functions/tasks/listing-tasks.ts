import * as z from 'zod';
import { delistAtExpiry, listEntry, listingOutcome } from '../../shared/domain/entry.js';
import { delistedNotice, listedNotice, preListingNotice } from '../../shared/notices/templates.js';
import type { Deps } from '../deps.js';
import type { TaskHandler } from './dispatch.js';
import { serveNotice, WORKFLOW_ACTOR } from './serve-notice.js';

const entryPayload = z.object({ entryId: z.string() }).loose();
const callbackPayload = entryPayload.extend({ taskToken: z.string() });

/** How long a listing parked on a representation waits before it looks again by itself, should a wake-up be lost. */
const RECHECK_SECONDS = 24 * 3600;

async function loadEntry(deps: Deps, entryId: string) {
  const loaded = await deps.entries.load(entryId);
  if (!loaded) throw new Error(`Entry ${entryId} does not exist`);
  return loaded.state;
}

/** Step 1: the pre-listing notice, by email and SMS. */
const sendPreListingNotice: TaskHandler = async (payload, deps) => {
  const { entryId } = entryPayload.parse(payload);
  return { served: await serveNotice(deps, await loadEntry(deps, entryId), preListingNotice) };
};

/**
 * Step 2, when the window (and any grace period) has closed: list the entry,
 * or report that a representation holds it, or that it was withdrawn.
 */
const listEntryTask: TaskHandler = async (payload, deps) => {
  const { entryId } = entryPayload.parse(payload);
  const ctx = { policies: await deps.policies(), calendar: deps.calendar, now: deps.clock.now() };
  const { entry } = await deps.entries.apply(entryId, (loaded) => ({ events: listEntry(loaded.state, ctx), result: undefined }), WORKFLOW_ACTOR, ctx.now);
  const outcome = listingOutcome(entry.state);
  if (outcome.outcome === 'listed') {
    if (entry.state.status === 'listed') await serveNotice(deps, entry.state, listedNotice);
    return outcome;
  }
  if (outcome.outcome === 'awaiting-representation') {
    const untilDeadline = Math.ceil((Date.parse(outcome.deadlineAt) - ctx.now.getTime()) / 1000);
    return { ...outcome, recheckSeconds: untilDeadline > 0 ? Math.min(untilDeadline, RECHECK_SECONDS) : RECHECK_SECONDS };
  }
  return outcome;
};

/** Parks the listing until the open representation is decided or withdrawn. */
const awaitRepresentation: TaskHandler = async (payload, deps) => {
  const { entryId, taskToken } = callbackPayload.parse(payload);
  await deps.tokens.park(`listing:${entryId}`, taskToken);
  // The representation may have closed before the token was stored: wake at once rather than wait for the recheck.
  if (listingOutcome(await loadEntry(deps, entryId)).outcome !== 'awaiting-representation') await deps.tokens.wake(`listing:${entryId}`);
  return {};
};

/** Step 3, at the end of the period: delist, or report the extended date, or that the entry already left the list. */
const delistAtExpiryTask: TaskHandler = async (payload, deps) => {
  const { entryId } = entryPayload.parse(payload);
  const ctx = { policies: await deps.policies(), calendar: deps.calendar, now: deps.clock.now() };
  const { entry, result } = await deps.entries.apply(entryId, (loaded) => delistAtExpiry(loaded.state, ctx), WORKFLOW_ACTOR, ctx.now);
  // Also on a rerun after the delisting committed but before its notice went out.
  if (entry.state.status === 'delisted' && entry.state.delistReason === 'expired') {
    await serveNotice(deps, entry.state, delistedNotice);
    return { outcome: 'delisted' };
  }
  return result;
};

export const LISTING_TASKS: Record<string, TaskHandler> = {
  sendPreListingNotice,
  listEntry: listEntryTask,
  awaitRepresentation,
  delistAtExpiry: delistAtExpiryTask,
};
