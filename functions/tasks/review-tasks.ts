import * as z from 'zod';
import { isOpenCase, remediesAfter, requireCase, reviewClock, reviewClockKey, type CaseState, type EntryState } from '../../shared/domain/entry.js';
import { caseDecidedNotice, caseEscalatedNotice, caseExtendedNotice, caseFiledNotice, caseWithdrawnNotice, infoRequestedNotice, reviewerReminderNotice, type Notice, type NoticeContext } from '../../shared/notices/templates.js';
import { log } from '../../shared/platform/log.js';
import { decideContext, type Deps } from '../deps.js';
import type { TaskHandler } from './dispatch.js';
import { serveNotice, WORKFLOW_ACTOR } from './serve-notice.js';

/** How soon a review looks again when its notices could not be served. */
const NOTICE_RETRY_SECONDS = 300;

const casePayload = z.object({ caseId: z.string(), entryId: z.string() }).loose();
const callbackPayload = casePayload.extend({ taskToken: z.string(), clockKey: z.string() });

async function loadCase(deps: Deps, entryId: string, caseId: string) {
  const loaded = await deps.entries.load(entryId);
  if (!loaded) throw new Error(`Entry ${entryId} does not exist`);
  return { entry: loaded.state, case: requireCase(loaded.state, caseId) };
}

/**
 * Every notice a case's state owes, in the order things happened, each
 * served once: to the subject its acknowledgement, the request for material,
 * the extension, the escalation, the decision or the withdrawal; to the
 * reviewers' mailbox of the level concerned, each reminder.
 */
async function serveOwed(deps: Deps, entry: EntryState, c: CaseState) {
  const toSubject: Array<(n: NoticeContext) => Notice> = [(n) => caseFiledNotice(n, c)];
  if (c.infoRequest) toSubject.push((n) => infoRequestedNotice(n, c));
  if (c.extension) toSubject.push((n) => caseExtendedNotice(n, c));
  if (c.escalatedAt) toSubject.push((n) => caseEscalatedNotice(n, c));
  if (c.withdrawnAt) toSubject.push((n) => caseWithdrawnNotice(n, c));
  if (c.decision) {
    const remedies = remediesAfter(c, await decideContext(deps))!;
    toSubject.push((n) => caseDecidedNotice(n, c, remedies));
  }
  for (const build of toSubject) await serveNotice(deps, entry, build);
  const book = await deps.policies();
  for (const reminder of c.reminders) {
    const inbox = reminder.startsWith('province:') ? book.province(c.provinceCode)?.reviewInbox : book.agency(c.agencyId)?.reviewInbox;
    if (inbox) await serveNotice(deps, entry, () => reviewerReminderNotice(c, reminder, deps.site.caseUrl(c.caseId)), { email: inbox });
  }
}

/**
 * The review clock: resumes a pause whose answer time ran out, escalates an
 * agency breach, marks a provincial breach overdue, reminds the reviewers,
 * serves what the subject is owed, and answers what to wait for next and for how long.
 */
const reviewTimer: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const ctx = await decideContext(deps);
  const { entry, result } = await deps.entries.apply(entryId, (loaded) => reviewClock(caseId, loaded.state, ctx), WORKFLOW_ACTOR, ctx.now);
  const c = requireCase(entry.state, caseId);
  const clockKey = reviewClockKey(c);
  try {
    await serveOwed(deps, entry.state, c);
  } catch (error) {
    // A notice that cannot go out now must not end the review: what the clock decided is committed,
    // and the review looks again shortly, serving what is still owed (never twice), before it closes.
    log.warn('notices not served; the review tries again', { caseId, entryId, retryInSeconds: NOTICE_RETRY_SECONDS, error });
    const wait = result.open ? result : { open: true as const, step: 'await-decision' as const, level: c.level, action: 'wait' as const, secondsLeft: NOTICE_RETRY_SECONDS };
    return { ...wait, secondsLeft: Math.min(wait.secondsLeft, NOTICE_RETRY_SECONDS), noticesPending: true, clockKey };
  }
  return { ...result, clockKey };
};

/**
 * Parks the review until the API changes the case (a decision, a request for
 * material, a supplement, an extension, a withdrawal) and wakes it, or the
 * timer falls due. A change committed before the token was stored wakes it at once.
 */
const awaitChange: TaskHandler = async (payload, deps) => {
  const { caseId, entryId, taskToken, clockKey } = callbackPayload.parse(payload);
  await deps.tokens.park(`review:${caseId}`, taskToken);
  if (reviewClockKey((await loadCase(deps, entryId, caseId)).case) !== clockKey) await deps.tokens.wake(`review:${caseId}`);
  return {};
};

/** After the decision or withdrawal, whose notices ReviewTimer has served: let a listing held by a representation go on. */
const closeReview: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const { case: c } = await loadCase(deps, entryId, caseId);
  if (c.kind === 'representation') await deps.tokens.wake(`listing:${entryId}`);
  return { status: c.status, open: isOpenCase(c) };
};

export const REVIEW_TASKS: Record<string, TaskHandler> = { openReview: reviewTimer, awaitDecision: awaitChange, awaitSupplement: awaitChange, reviewTimer, closeReview };
