import * as z from 'zod';
import { computePeriodEnd, shanghaiDateOf } from '../../shared/calendar/index.js';
import { isOpenCase, requireCase, reviewTimerDue } from '../../shared/domain/entry.js';
import { caseDecidedNotice, caseEscalatedNotice, caseFiledNotice } from '../../shared/notices/templates.js';
import { decideContext, type Deps } from '../deps.js';
import type { TaskHandler } from './dispatch.js';
import { serveNotice, WORKFLOW_ACTOR } from './serve-notice.js';

const casePayload = z.object({ caseId: z.string(), entryId: z.string() }).loose();
const callbackPayload = casePayload.extend({ taskToken: z.string() });

async function loadCase(deps: Deps, entryId: string, caseId: string) {
  const loaded = await deps.entries.load(entryId);
  if (!loaded) throw new Error(`Entry ${entryId} does not exist`);
  return { entry: loaded.state, case: requireCase(loaded.state, caseId) };
}

/**
 * The review timer: escalates an agency breach, marks a provincial breach
 * overdue, or reports the time left when the deadline moved. Answers how
 * long the review may wait before the timer falls due again.
 */
const reviewTimer: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const ctx = await decideContext(deps);
  const { entry, result } = await deps.entries.apply(entryId, (loaded) => reviewTimerDue(caseId, loaded.state, ctx), WORKFLOW_ACTOR, ctx.now);
  const c = requireCase(entry.state, caseId);
  // Told once the case is with the province, also when a rerun finds the escalation already committed.
  if (c.level === 'province' && isOpenCase(c)) await serveNotice(deps, entry.state, (n) => caseEscalatedNotice(n, c));
  return result;
};

/** The case is in the queue: acknowledge it to the subject with its number and deadline, then start the timer. */
const openReview: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const { entry, case: c } = await loadCase(deps, entryId, caseId);
  await serveNotice(deps, entry, (n) => caseFiledNotice(n, c));
  return reviewTimer(payload, deps);
};

/** Parks the review until a decision (or withdrawal) is committed, or the timer falls due. */
const awaitDecision: TaskHandler = async (payload, deps) => {
  const { caseId, entryId, taskToken } = callbackPayload.parse(payload);
  await deps.tokens.park(`review:${caseId}`, taskToken);
  // A decision committed before the token was stored would otherwise wait for the timer.
  if (!isOpenCase((await loadCase(deps, entryId, caseId)).case)) await deps.tokens.wake(`review:${caseId}`);
  return {};
};

/** After the decision: tell the subject with reasons and remedies, and let a waiting listing go on. */
const closeReview: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const { entry, case: c } = await loadCase(deps, entryId, caseId);
  if (c.decision) {
    const profile = (await deps.policies()).profileVersion(c.policy.profileId, c.policy.version);
    const appealClosesOn = computePeriodEnd(deps.calendar, shanghaiDateOf(c.decision.decidedAt), profile.deadlines.appealWindow).endDate;
    await serveNotice(deps, entry, (n) => caseDecidedNotice(n, c, appealClosesOn));
  }
  if (c.kind === 'representation') await deps.tokens.wake(`listing:${entryId}`);
  return { status: c.status };
};

export const REVIEW_TASKS: Record<string, TaskHandler> = { openReview, awaitDecision, reviewTimer, closeReview };
