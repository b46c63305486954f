import type { Actor } from '../../shared/audit/hash-chain.js';
import { recordNotice, type EntryState } from '../../shared/domain/entry.js';
import { maskEmail, maskPhone } from '../../shared/domain/identifiers.js';
import type { Notice, NoticeContext } from '../../shared/notices/templates.js';
import type { LoadedEntry } from '../../shared/stores/entry-store.js';
import type { TaskDeps } from '../deps.js';

/** The actor of steps the workflows take on their own. */
export const WORKFLOW_ACTOR: Actor = { role: 'system', id: 'workflow' };

/** Everything a notice about an entry may draw on, from the entry's own policy version. */
export async function noticeContext(deps: TaskDeps, entry: EntryState): Promise<NoticeContext> {
  const book = await deps.policies();
  const listType = book.listType(entry.listType);
  const agency = book.agency(entry.agencyId);
  if (!listType || !agency) throw new Error(`Entry ${entry.entryId} names a list type or agency no longer in the catalogue`);
  return { entry, listType, agency, profile: book.profileVersion(entry.policy.profileId, entry.policy.version), entryUrl: deps.site.entryUrl(entry.entryId), certificateUrl: (code) => deps.site.certificateUrl(code) };
}

/**
 * Serves a notice on every contact the subject gave (or on the reviewers' mailbox), email and SMS, and
 * records each in the entry's trail with its provider message id. A channel
 * already recorded is skipped, so a retried step serves nothing twice. Each
 * channel is tried on its own (the mail service being down does not hold back
 * the SMS); a failed one throws after the others, and the step is retried.
 * Each record is committed on the entry as last loaded or committed here,
 * without reading it again; should another command have committed in
 * between, the commit fails on the version and is decided again on a fresh load.
 * Answers how many were served, and the entry as it now stands.
 */
export async function serveNotice(deps: TaskDeps, from: LoadedEntry, build: (ctx: NoticeContext) => Notice, to: { email?: string; mobile?: string } = from.state.subject): Promise<{ served: number; entry: LoadedEntry }> {
  const entry = from.state;
  const notice = build(await noticeContext(deps, entry));
  const contacts = [
    { channel: 'email' as const, to: to.email, masked: maskEmail },
    { channel: 'sms' as const, to: to.mobile, masked: maskPhone },
  ];
  let served = 0;
  let current = from;
  const failed: unknown[] = [];
  for (const { channel, to, masked } of contacts) {
    if (!to || entry.noticesSent.includes(`${notice.key}:${channel}`)) continue;
    try {
      const sent = await deps.notifier.send({ channel, to, subject: notice.subject, text: channel === 'email' ? notice.email : notice.sms, entryId: entry.entryId, ...(notice.caseId ? { caseId: notice.caseId } : {}), key: `${entry.entryId}:${notice.key}:${channel}` });
      const data = { notice: notice.key, channel, to: masked(to), messageId: sent.messageId, at: sent.sentAt, ...(notice.caseId ? { caseId: notice.caseId } : {}) };
      current = (await deps.entries.apply(entry.entryId, (loaded) => ({ events: recordNotice(loaded.state, data), result: undefined }), WORKFLOW_ACTOR, deps.clock.now(), { loaded: current })).entry;
      served++;
    } catch (error) {
      failed.push(error);
    }
  }
  if (failed.length > 0) throw new Error(`Notice ${notice.key} of ${entry.entryId}: ${failed.length} channel(s) not served yet`, { cause: failed[0] });
  return { served, entry: current };
}
