import * as z from 'zod/mini';
import { isOpenCase, remediesAfter, requireCase, reviewClock, reviewClockKey, type CaseState, type ReviewLevel, type DecideContext } from '../../shared/domain/entry.js';
import { caseDecidedNotice, caseEscalatedNotice, caseExtendedNotice, caseFiledNotice, caseWithdrawnNotice, infoRequestedNotice, reviewerReminderNotice, type Notice, type NoticeContext } from '../../shared/notices/templates.js';
import { log } from '../../shared/platform/log.js';
import { DEADLINE_BREACHES } from '../../shared/platform/metrics.js';
import type { LoadedEntry } from '../../shared/stores/entry-store.js';
import { decideContext, type TaskDeps } from '../deps.js';
import type { TaskHandler } from './dispatch.js';
import { serveNotice, WORKFLOW_ACTOR } from './serve-notice.js';

/** How soon a review looks again when its notices could not be served. */
const NOTICE_RETRY_SECONDS = 300;

const casePayload = z.looseObject({ caseId: z.string(), entryId: z.string() });
const callbackPayload = z.extend(casePayload, { taskToken: z.string(), clockKey: z.string() });

async function loadCase(deps: TaskDeps, entryId: string, caseId: string) {
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
async function serveOwed(deps: TaskDeps, loaded: LoadedEntry, c: CaseState, ctx: DecideContext) {
  const toSubject: Array<(n: NoticeContext) => Notice> = [(n) => caseFiledNotice(n, c)];
  if (c.infoRequest) toSubject.push((n) => infoRequestedNotice(n, c));
  if (c.extension) toSubject.push((n) => caseExtendedNotice(n, c));
  if (c.escalatedAt) toSubject.push((n) => caseEscalatedNotice(n, c));
  if (c.withdrawnAt) toSubject.push((n) => caseWithdrawnNotice(n, c));
  if (c.decision) {
    const remedies = remediesAfter(c, ctx)!;
    toSubject.push((n) => caseDecidedNotice(n, c, remedies));
  }
  let entry = loaded;
  for (const build of toSubject) entry = (await serveNotice(deps, entry, build)).entry;
  const book = ctx.policies;
  for (const reminder of c.reminders) {
    const inbox = reminder.startsWith('province:') ? book.province(c.provinceCode)?.reviewInbox : book.agency(c.agencyId)?.reviewInbox;
    if (inbox) entry = (await serveNotice(deps, entry, () => reviewerReminderNotice(c, reminder, deps.site.caseUrl(c.caseId)), { email: inbox })).entry;
  }
}

/**
 * The review deadlines that the committed events show passed undecided, by the level whose deadline it
 * was: the agency's when the case is escalated, the province's when the case is first marked overdue
 * (the daily reminders after that are the same breach, not new ones).
 */
export function deadlineBreaches(before: CaseState, events: ReadonlyArray<{ type: string }>): ReviewLevel[] {
  const breaches: ReviewLevel[] = [];
  let overdue = before.overdue;
  for (const e of events) {
    if (e.type === 'CaseEscalated') breaches.push('agency');
    if (e.type === 'CaseMarkedOverdue' && !overdue) breaches.push('province');
    if (e.type === 'CaseMarkedOverdue') overdue = true;
  }
  return breaches;
}

/**
 * The review clock: resumes a pause whose answer time ran out, escalates an
 * agency breach, marks a provincial breach overdue, reminds the reviewers,
 * serves what the subject is owed, and answers what to wait for next and for how long.
 */
const reviewTimer: TaskHandler = async (payload, deps) => {
  const { caseId, entryId } = casePayload.parse(payload);
  const ctx = await decideContext(deps);
  let before: CaseState | undefined;
  const { entry, events, result } = await deps.entries.apply(
    entryId,
    (loaded) => {
      before = requireCase(loaded.state, caseId);
      return reviewClock(caseId, loaded.state, ctx);
    },
    WORKFLOW_ACTOR,
    ctx.now,
  );
  const c = requireCase(entry.state, caseId);
  // Only what this run committed is counted: a retried timer finds the breach already recorded and adds nothing.
  for (const level of before ? deadlineBreaches(before, events) : []) {
    log.metric('review deadline passed undecided', DEADLINE_BREACHES, 1, ctx.now, { caseId, entryId, reviewLevel: level, deadline: before!.deadline });
  }
  const clockKey = reviewClockKey(c);
  try {
    await serveOwed(deps, entry, c, ctx);
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
