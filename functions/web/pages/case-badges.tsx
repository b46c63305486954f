import type { Context } from 'hono';
import type * as z from 'zod';
import { CASE_STATUS, type Text, named } from '../../../shared/i18n/texts.js';
import type { caseSchema } from '../../../shared/schemas/cases.js';
import type { AppEnv } from '../../api/context.js';
import { tr } from '../layout.js';
import { UI } from '../ui-text.js';
import { Badge } from './common.js';

/** A case as the JSON routes answer it. */
export type CaseView = z.output<typeof caseSchema>;

const T = {
  daysLeft: (n: number): Text => ({ zh: `剩余 ${n} 个工作日`, en: `${n} working day${n === 1 ? '' : 's'} left` }),
  lastDay: { zh: '今日到期', en: 'Due today' },
  claimedByYou: { zh: '由您认领', en: 'Claimed by you' },
  claimedBy: (who: string): Text => ({ zh: `已由 ${who} 认领`, en: `Claimed by ${who}` }),
} satisfies Record<string, Text | ((...a: never[]) => Text)>;

export const isOpenStatus = (status: string) => !['decided', 'withdrawn', 'closed'].includes(status);

/** The name part of a caller id (`role:scope:name` locally; an opaque id on AWS stays whole). */
export const shortActor = (id: string) => id.split(':').at(-1) || id;

/**
 * What a reviewer triages by: the status, the working days left, overdue,
 * escalated, the clock paused, and who holds the case.
 */
export function CaseBadges({ c, item, overdue }: { c: Context<AppEnv>; item: Pick<CaseView, 'status' | 'workingDaysLeft' | 'escalatedAt' | 'paused' | 'assignedTo'>; overdue: boolean }) {
  const me = c.get('principal')?.id;
  const open = isOpenStatus(item.status);
  const left = item.workingDaysLeft;
  return (
    <span class="badges">
      <Badge tone={open ? 'info' : 'muted'}>{tr(c, named(CASE_STATUS, item.status))}</Badge>{' '}
      {open && left !== undefined && !overdue ? (
        <>
          <Badge tone={left <= 0 ? 'danger' : left <= 1 ? 'warn' : 'ok'}>{tr(c, left <= 0 ? T.lastDay : T.daysLeft(left))}</Badge>{' '}
        </>
      ) : null}
      {overdue ? (
        <>
          <Badge tone="danger">{tr(c, UI.overdue)}</Badge>{' '}
        </>
      ) : null}
      {/* The status already says escalated while it is; afterwards the badge keeps the history visible. */}
      {item.escalatedAt && item.status !== 'escalated' ? (
        <>
          <Badge tone="warn">{tr(c, UI.escalated)}</Badge>{' '}
        </>
      ) : null}
      {item.paused ? (
        <>
          <Badge tone="muted">{tr(c, UI.paused)}</Badge>{' '}
        </>
      ) : null}
      {item.assignedTo ? <Badge tone="info">{tr(c, item.assignedTo === me ? T.claimedByYou : T.claimedBy(shortActor(item.assignedTo)))}</Badge> : null}
    </span>
  );
}
