import type { EntryState, RecordViewed, ViewedPart } from './entry-state.js';

/**
 * One record per viewer, per part read, per span. A workbench page reads a
 * case and its entry several times while a reviewer works on it, and a
 * reviewer comes back to it within minutes: that is one access to the
 * subject's data, and a trail flooded with repeats would hide the accesses
 * that matter. A read after the span is a new access, recorded again.
 */
export const VIEW_RECORD_SPAN_MS = 10 * 60 * 1000;

/**
 * Whose reads of a subject's full record are recorded: every official. The
 * reviewers read it to decide; the agency's officers hold the listing but
 * still read the person's contact details and case files; auditors may read
 * every entry, and that is why their reads are recorded too: oversight is
 * itself accountable. The subject reading their own record, partners (who
 * never see it) and the workflows (which read no more than they act on) are not.
 */
const RECORDED_ROLES: ReadonlySet<string> = new Set(['agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor']);

export interface RecordView {
  viewer: { role: string; id: string };
  what: ViewedPart;
  /** The case read, or the case whose file was read. */
  caseId?: string;
  sha256?: string;
}

type ViewData = RecordViewed['data'];

/** The key a read is recorded under: who read which part. */
const viewKey = (v: Pick<ViewData, 'by' | 'what' | 'caseId' | 'sha256'>) => [v.by, v.what, v.caseId ?? '', v.sha256 ?? ''].join(' ');

/** Whether a read by this role is recorded at all. */
export const isRecordedViewer = (role: string) => RECORDED_ROLES.has(role);

/**
 * Records that an official read part of the subject's record, unless the same
 * official's read of the same part was recorded less than a span ago.
 */
export function recordView(command: RecordView, state: EntryState, now: Date): RecordViewed[] {
  if (!isRecordedViewer(command.viewer.role)) return [];
  const data: ViewData = {
    by: command.viewer.id,
    at: now.toISOString(),
    what: command.what,
    ...(command.caseId ? { caseId: command.caseId } : {}),
    ...(command.sha256 ? { sha256: command.sha256 } : {}),
  };
  const last = state.recentViews?.[viewKey(data)];
  if (last !== undefined && now.getTime() - Date.parse(last) < VIEW_RECORD_SPAN_MS) return [];
  return [{ type: 'RecordViewed', data }];
}

/** The reads still within their span once this one is recorded; older ones are let go, so the state stays small. */
export function rememberView(recent: Record<string, string> | undefined, view: ViewData): Record<string, string> {
  const at = Date.parse(view.at);
  const kept = Object.entries(recent ?? {}).filter(([, seen]) => at - Date.parse(seen) < VIEW_RECORD_SPAN_MS);
  return Object.fromEntries([...kept, [viewKey(view), view.at]]);
}
