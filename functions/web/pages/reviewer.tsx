import type { Context, Hono } from 'hono';
import type * as z from 'zod';
import { KIND, say, type Text, ENTRY_FIELD } from '../../../shared/i18n/texts.js';
import { caseKinds, type queueItemSchema } from '../../../shared/schemas/cases.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';
import { callApi, callApiRaw, PageRefusal } from '../api-call.js';
import { ErrorSummary, Field, type FormState } from '../forms.js';
import { render, tr } from '../layout.js';
import { UI } from '../ui-text.js';
import { CaseBadges } from './case-badges.js';
import { day } from './subject-views.js';
import { formStateOf, pageGet, pathId, refusedStatus } from './common.js';
import { listTypeName } from '../../../shared/policy/policy-book.js';
import { workbenchActions } from './workbench-actions.js';


type QueueItem = z.output<typeof queueItemSchema>;

const T = {
  agencyQueue: { zh: '本机关审查队列', en: 'Agency review queue' },
  provincialQueue: { zh: '省级复核队列', en: 'Provincial review queue' },
  intro: { zh: '未办结的案件，期限最近的在前。', en: 'Open cases, soonest deadline first.' },
  filter: { zh: '筛选', en: 'Filter' },
  clear: { zh: '清除筛选', en: 'Clear filter' },
  kind: { zh: '案件类型', en: 'Kind of case' },
  listType: { zh: '名单类型', en: 'List type' },
  all: { zh: '全部', en: 'All' },
  cases: { zh: '案件', en: 'Cases' },
  caption: { zh: '队列中的案件', en: 'Cases in the queue' },
  case: { zh: '案件', en: 'Case' },
  subject: ENTRY_FIELD.subject,
  deadline: { zh: '办理期限', en: 'Deadline' },
  state: { zh: '状态', en: 'State' },
  empty: { zh: '队列中没有符合条件的案件。', en: 'No cases in the queue match.' },
  next: { zh: '下一页', en: 'Next page' },
  first: { zh: '回到第一页', en: 'Back to the first page' },
  shown: (n: number): Text => ({ zh: `本页 ${n} 件`, en: `${n} on this page` }),
} satisfies Record<string, Text | ((n: number) => Text)>;

const PAGE_SIZE = 25;
const SIGNED_IN_READERS = ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'] as const;

/** The reviewers' queue, and the forms of the case workbench (claim, release, request information, extend, decide). */
export function reviewerPages(app: Hono<AppEnv>, deps: Deps) {
  pageGet(app, '/queue', ['agency-reviewer', 'provincial-reviewer'], (c) => queuePage(app, deps, c));
  workbenchActions(app, deps);
}

/**
 * The workbench's evidence viewer: a case's file as the JSON route answers
 * it (scoped like the case, typed by its bytes, sandboxed when inline),
 * passed on to the signed-in browser.
 */
export function workbenchPage(app: Hono<AppEnv>) {
  pageGet(app, '/evidence/:caseId/:sha256', SIGNED_IN_READERS, async (c) => {
    const caseId = pathId(c, 'caseId');
    const sha256 = pathId(c, 'sha256');
    const disposition = c.req.query('disposition') === 'inline' ? 'inline' : 'attachment';
    const res = await callApiRaw(app, c, 'GET', `/v1/cases/${caseId}/evidence/${sha256}?disposition=${disposition}`);
    if (!res.ok) throw new PageRefusal([401, 403, 503].includes(res.status) ? res.status : 404, res.statusText);
    const headers = new Headers();
    for (const name of ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'cache-control', 'content-security-policy']) {
      const value = res.headers.get(name);
      if (value) headers.set(name, value);
    }
    return new Response(res.body, { status: 200, headers });
  });
}

async function queuePage(app: Hono<AppEnv>, deps: Deps, c: Context<AppEnv>) {
  const principal = c.get('principal')!;
  const provincial = principal.role === 'provincial-reviewer';
  const kind = c.req.query('kind') ?? '';
  const listType = c.req.query('listType') ?? '';
  const cursor = c.req.query('cursor') ?? '';
  const filter = { ...(kind ? { kind } : {}), ...(listType ? { listType } : {}) };
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...filter, ...(cursor ? { cursor } : {}) });
  const result = await callApi<{ cases: QueueItem[]; nextCursor?: string }>(app, c, 'GET', `/v1/queues/${provincial ? 'provincial' : 'agency'}?${params}`);
  if (!result.ok && result.status !== 400) throw new PageRefusal(result.status, result.detail);
  const state: FormState | undefined = result.ok ? undefined : formStateOf(filter, result, (path) => path.replace(/^query\./, ''));
  const book = await deps.policies();
  // An agency reviewer filters by the lists the agency keeps; the province sees every list.
  const kept = provincial ? undefined : book.agency(principal.agencyId ?? '')?.listTypes;
  const listTypes = book.catalogue.listTypes.map((t) => t.listType).filter((t) => !kept || kept.includes(t));
  const items = result.ok ? result.data.cases : [];
  const next = result.ok ? result.data.nextCursor : undefined;
  const lang = c.get('lang');

  return render(
    c,
    result.ok ? 200 : refusedStatus(result.status),
    provincial ? T.provincialQueue : T.agencyQueue,
    <>
      <p>{tr(c, T.intro)}</p>
      <ErrorSummary c={c} form="queue" state={state} />
      <form method="get" action="/queue" class="search" id="queue" novalidate>
        <Field c={c} form="queue" name="kind" label={T.kind} type="select" value={kind} state={state} options={[{ value: '', label: T.all }, ...caseKinds.map((k) => ({ value: k, label: KIND[k]! }))]} />
        <Field c={c} form="queue" name="listType" label={T.listType} type="select" value={listType} state={state} options={[{ value: '', label: T.all }, ...listTypes.map((t) => ({ value: t, label: listTypeName(book, t) }))]} />
        <div class="actions">
          <button type="submit">{tr(c, T.filter)}</button>
          {kind || listType ? <a href="/queue">{tr(c, T.clear)}</a> : null}
        </div>
      </form>
      <h2>{tr(c, T.cases)}</h2>
      {items.length === 0 ? (
        <p>{tr(c, T.empty)}</p>
      ) : (
        <>
          <p class="muted">{tr(c, T.shown(items.length))}</p>
          <div class="table-wrap">
            <table class="stack">
              <caption class="visually-hidden">{tr(c, T.caption)}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(c, T.case)}</th>
                  <th scope="col">{tr(c, T.subject)}</th>
                  <th scope="col">{tr(c, T.listType)}</th>
                  <th scope="col">{tr(c, T.deadline)}</th>
                  <th scope="col">{tr(c, T.state)}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr>
                    <td data-label={tr(c, T.case)}>
                      <a href={`/cases/${item.caseId}`}>{tr(c, KIND[item.kind]!)}</a> <span class="mono muted">{item.caseId}</span>
                    </td>
                    <td data-label={tr(c, T.subject)}>
                      {item.entry.subjectName} <span class="mono">{item.entry.subjectId}</span>
                    </td>
                    <td data-label={tr(c, T.listType)}>{say(listTypeName(book, item.entry.listType), lang)}</td>
                    <td data-label={tr(c, T.deadline)}>
                      {day(c, item.deadline)}
                      {item.deadlineProvisional ? <span class="muted"> {tr(c, UI.provisional)}</span> : null}
                    </td>
                    <td data-label={tr(c, T.state)}>
                      <CaseBadges c={c} item={item} overdue={item.overdue} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {cursor || next ? (
        <p class="actions">
          {cursor ? <a href={`/queue?${new URLSearchParams(filter)}`}>{tr(c, T.first)}</a> : null}
          {next ? <a href={`/queue?${new URLSearchParams({ ...filter, cursor: next })}`}>{tr(c, T.next)}</a> : null}
        </p>
      ) : null}
    </>,
  );
}
