import * as z from 'zod/mini';
import { delistAtExpiry, listEntry, listingOutcome } from '../../shared/domain/entry.js';
import { delistedNotice, listedNotice, preListingNotice } from '../../shared/notices/templates.js';
import { decideContext, wakeClosedReviews, type TaskDeps } from '../deps.js';
import { continuationName, horizonOf } from './continuation.js';
import type { TaskHandler } from './dispatch.js';
import { serveNotice, WORKFLOW_ACTOR } from './serve-notice.js';

const entryPayload = z.looseObject({ entryId: z.string() });
const callbackPayload = z.extend(entryPayload, { taskToken: z.string() });
const agedPayload = z.extend(entryPayload, { executionStartedAt: z.string() });

/** How long a listing parked on a representation waits before it looks again by itself, should a wake-up be lost. */
const RECHECK_SECONDS = 24 * 3600;

/** Where a listed entry waits next, and for how many seconds: its expiry, or the execution's horizon when the expiry lies beyond it. */
function nextWait(expiresAt: string, executionStartedAt: string, now: Date) {
  const horizon = horizonOf(executionStartedAt);
  const waiting = (until: number) => ({ outcome: 'waiting' as const, waitUntil: new Date(until).toISOString(), secondsLeft: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) });
  if (Date.parse(expiresAt) <= horizon) return { ...waiting(Date.parse(expiresAt)), waitUntil: expiresAt };
  if (now.getTime() >= horizon) return { outcome: 'continue' as const };
  return waiting(horizon);
}

async function loadEntry(deps: TaskDeps, entryId: string) {
  const loaded = await deps.entries.load(entryId);
  if (!loaded) throw new Error(`Entry ${entryId} does not exist`);
  return loaded;
}

/** Step 1: the pre-listing notice, by email and SMS. */
const sendPreListingNotice: TaskHandler = async (payload, deps) => {
  const { entryId } = entryPayload.parse(payload);
  return { served: (await serveNotice(deps, await loadEntry(deps, entryId), preListingNotice)).served };
};

/**
 * Step 2, when the window (and any grace period) has closed: list the entry,
 * or report that a representation holds it, or that it was withdrawn.
 */
const listEntryTask: TaskHandler = async (payload, deps) => {
  const { entryId, executionStartedAt } = agedPayload.parse(payload);
  const ctx = await decideContext(deps);
  const { entry } = await deps.entries.apply(entryId, (loaded) => ({ events: listEntry(loaded.state, ctx), result: undefined }), WORKFLOW_ACTOR, ctx.now);
  const outcome = listingOutcome(entry.state);
  if (outcome.outcome === 'listed') {
    if (entry.state.status === 'listed') await serveNotice(deps, entry, listedNotice);
    const wait = nextWait(outcome.expiresAt, executionStartedAt, ctx.now);
    // Listed past the horizon already (a representation held it that long): look again at once, and continue.
    return { ...outcome, ...(wait.outcome === 'waiting' ? { waitUntil: wait.waitUntil, secondsLeft: wait.secondsLeft } : { waitUntil: ctx.now.toISOString(), secondsLeft: 1 }) };
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
  if (listingOutcome((await loadEntry(deps, entryId)).state).outcome !== 'awaiting-representation') await deps.tokens.wake(`listing:${entryId}`);
  return {};
};

const expiryPayload = z.extend(callbackPayload, { waitUntil: z.string() });

/**
 * Parks a listed entry until its wait is over, or until a decision takes it
 * off the list or moves its expiry earlier (a corrected decision date) and
 * wakes it. A change committed before the token was stored wakes it at once.
 */
const awaitExpiry: TaskHandler = async (payload, deps) => {
  const { entryId, taskToken, waitUntil } = expiryPayload.parse(payload);
  await deps.tokens.park(`listing:${entryId}`, taskToken);
  const entry = (await loadEntry(deps, entryId)).state;
  if (entry.status !== 'listed' || Date.parse(entry.expiresAt!) < Date.parse(waitUntil)) await deps.tokens.wake(`listing:${entryId}`);
  return {};
};

/**
 * Step 3, at the end of the period: delist; or, when the period was extended
 * (or lies beyond this execution's horizon), say when to look again or to
 * continue as a new execution; or end when the entry already left the list.
 */
const delistAtExpiryTask: TaskHandler = async (payload, deps) => {
  const { entryId, executionStartedAt } = agedPayload.parse(payload);
  const ctx = await decideContext(deps);
  const { entry, result, events } = await deps.entries.apply(entryId, (loaded) => delistAtExpiry(loaded.state, ctx), WORKFLOW_ACTOR, ctx.now);
  await wakeClosedReviews(deps, events);
  // Also on a rerun after the delisting committed but before its notice went out.
  if (entry.state.status === 'delisted' && entry.state.delistReason === 'expired') {
    await serveNotice(deps, entry, delistedNotice);
    return { outcome: 'delisted' };
  }
  return result.outcome === 'extended' ? nextWait(result.expiresAt, executionStartedAt, ctx.now) : result;
};

const continuePayload = z.extend(entryPayload, { executionName: z.string() });

/** Hands a long listing to a fresh execution, named after this one, which picks up at DelistAtExpiry. */
const continueListing: TaskHandler = async (payload, deps) => {
  const { entryId, executionName } = continuePayload.parse(payload);
  const { executionArn } = await deps.workflows.startExecution('listingLifecycle', continuationName(executionName), { entryId, phase: 'listed' });
  return { executionArn };
};

export const LISTING_TASKS: Record<string, TaskHandler> = {
  sendPreListingNotice,
  listEntry: listEntryTask,
  awaitRepresentation,
  awaitExpiry,
  delistAtExpiry: delistAtExpiryTask,
  continueListing,
};
