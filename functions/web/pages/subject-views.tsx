import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { randomUUID } from 'node:crypto';
import { CASE_STATUS, CASE_STEP, CORRECTABLE_FIELD, dateText, DELIST_REASON, ENTRY_STATUS, EVENT, KIND, OUTCOME, say, type Text, ENTRY_FIELD, named } from '../../../shared/i18n/texts.js';
import type { AppEnv } from '../../api/context.js';
import { ErrorSummary, Field, PostForm, type FormState } from '../forms.js';
import { tr } from '../layout.js';
import { lastDayOf, shanghaiDateOf } from '../../../shared/calendar/index.js';
import { UI } from '../ui-text.js';
import { Badge, Facts } from './common.js';
import { isOpenStatus, shortActor, type CaseView } from './case-badges.js';

/** Words of the subject's pages. */
export const T = {
  myEntries: { zh: '我的名单记录', en: 'My entries' },
  noEntries: { zh: '没有以您为主体的记录。', en: 'There are no entries about you.' },
  list: ENTRY_FIELD.list,
  agency: ENTRY_FIELD.agency,
  decisionRef: ENTRY_FIELD.decisionRef,
  decisionDate: ENTRY_FIELD.decisionDate,
  facts: ENTRY_FIELD.facts,
  legalBasis: ENTRY_FIELD.legalBasis,
  measures: ENTRY_FIELD.measures,
  representationDeadline: { zh: '陈述申辩截止', en: 'Representations until' },
  listedAt: { zh: '列入日期', en: 'Listed on' },
  expiresAt: { zh: '公示期满', en: 'Published until' },
  earliestRepair: { zh: '最早可申请信用修复', en: 'Credit repair possible from' },
  delisted: { zh: '移出', en: 'Delisted' },
  underObjection: { zh: '异议审查中', en: 'Under objection' },
  actionsNow: { zh: '您现在可以办理', en: 'What you can do now' },
  notYet: { zh: '暂不能办理', en: 'Not possible now' },
  open: { zh: '打开', en: 'Open' },
  until: { zh: '截止', en: 'until' },
  from: { zh: '可于{date}起办理', en: 'possible from {date}' },
  closedOn: { zh: '已于{date}截止', en: 'closed on {date}' },
  needsListing: { zh: '列入名单后方可提出', en: 'possible once the entry is listed' },
  alreadyOpen: { zh: '已有进行中的同类申请', en: 'one is already open' },
  notAvailable: { zh: '不适用', en: 'not available' },
  cases: { zh: '我的申请', en: 'My cases' },
  noCases: { zh: '尚无申请。', en: 'No cases yet.' },
  timeline: { zh: '办理过程（审计记录）', en: 'Timeline (from the audit trail)' },
  grounds: { zh: '事实与理由', en: 'Grounds' },
  groundsHint: { zh: '请写明您认为记录有误或应当移出的事实和理由。', en: 'State the facts and reasons why the entry is wrong or should be removed.' },
  correctionField: { zh: '需更正的项目', en: 'Field to correct' },
  correctionValue: { zh: '更正后的内容', en: 'Corrected value' },
  commitment: { zh: '我已阅读并作出以下信用承诺', en: 'I make the following credit commitment' },
  evidence: { zh: '证据材料（PDF、JPEG 或 PNG，每个不超过 10 MB，最多 10 个）', en: 'Evidence (PDF, JPEG or PNG, up to 10 MB each, at most 10 files)' },
  evidenceHint: { zh: '可一次选择多个文件。启用脚本时文件会先行上传并显示进度。', en: 'You can choose several files. With scripts on, files upload first with a progress bar.' },
  fileButton: { zh: '提交申请', en: 'File' },
  filed: { zh: '已提交。受理回执已发送至您的邮箱和手机。', en: 'Filed. An acknowledgement has been sent to your email and phone.' },
  supplemented: { zh: '补充材料已提交，审查计时恢复。', en: 'Your material was sent; the review clock runs again.' },
  withdrawn: { zh: '申请已撤回。', en: 'The case was withdrawn.' },
  caseOf: { zh: '申请', en: 'Case' },
  kind: { zh: '类型', en: 'Kind' },
  filedAt: { zh: '提交时间', en: 'Filed' },
  decision: { zh: '决定', en: 'Decision' },
  decidedOn: { zh: '决定日期', en: 'Decided on' },
  outcome: { zh: '结论', en: 'Outcome' },
  reasons: { zh: '理由', en: 'Reasons' },
  corrected: { zh: '更正内容', en: 'Correction' },
  missing: { zh: '尚需补正的事项', en: 'Still to put right' },
  certificate: { zh: '信用修复证书', en: 'Repair certificate' },
  remedies: { zh: '救济途径', en: 'Your remedies' },
  appealUntil: { zh: '可于{date}前向省级信用主管部门申请复核', en: 'You may appeal to the provincial reviewer until {date}' },
  reconsiderationUntil: { zh: '申请行政复议：{date}前', en: 'Administrative reconsideration: until {date}' },
  litigationUntil: { zh: '提起行政诉讼：{date}前', en: 'Administrative litigation: until {date}' },
  appealButton: { zh: '申请复核', en: 'Appeal' },
  infoRequest: { zh: '补正材料通知', en: 'Request for information' },
  answerDue: { zh: '请于{date}前补正；期间审查计时暂停。', en: 'Please answer by {date}; the review clock stands still meanwhile.' },
  answer: { zh: '补正说明', en: 'Your answer' },
  answerButton: { zh: '提交补正材料', en: 'Send material' },
  answered: { zh: '已于{date}补正。', en: 'Answered on {date}.' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  withdrawHint: { zh: '撤回后异议标记将被移除，办理记录予以保留。', en: 'Withdrawing removes the objection mark; the record keeps both.' },
  extendedTo: { zh: '审查期限已延长（理由：{reason}）', en: 'The review was extended (reason: {reason})' },
  evidenceList: { zh: '已提交的证据', en: 'Evidence filed' },
  carried: { zh: '已上传、将随本次提交的文件：', en: 'Files already uploaded, sent with this form:' },
  refusedElsewhere: { zh: '未能提交', en: 'Not filed' },
  actor: { zh: '操作方', en: 'By' },
  file: {
    representation: { zh: '提出陈述申辩', en: 'Make a representation' },
    objection: { zh: '提出异议', en: 'File an objection' },
    correction: { zh: '申请更正', en: 'Request a correction' },
    repair: { zh: '申请信用修复', en: 'Apply for credit repair' },
    appeal: { zh: '申请复核', en: 'Appeal' },
  } as Record<string, Text>,
} as const;

/** A text with {placeholders} filled. */
export const fill = (c: Context<AppEnv>, text: Text, values: Record<string, string>) => tr(c, text).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
/** The last day a period ending at an instant covers (an expiry at 00:00 on D+1 is D). */
export const lastDay = (c: Context<AppEnv>, endsAt: string | undefined) => (endsAt ? say(dateText(lastDayOf(endsAt)), c.get('lang')) : '');
/** A date, or the Beijing date of an instant. */
export const day = (c: Context<AppEnv>, iso: string | undefined) => (iso ? say(dateText(iso.includes('T') ? shanghaiDateOf(iso) : iso), c.get('lang')) : '');
/** An instant in Beijing time, for timelines. */
export const instant = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);

export interface EntryView {
  entryId: string;
  status: string;
  subject: { id: string; kind: string; name: string };
  listType: string;
  agencyId: string;
  facts: string;
  legalBasis: string;
  measures: string[];
  decisionRef: string;
  decisionDate: string;
  policy: { profileId: string; version: number };
  representationDeadline: string;
  listedAt?: string;
  expiresAt?: string;
  earliestRepairDate?: string;
  underObjection: boolean;
  delistedAt?: string;
  delistReason?: string;
  cases: Array<{ caseId: string; kind: string; status: string; deadline: string }>;
  actions?: Array<{ kind: string; appealOf?: string; open: boolean; until?: string; because?: { code: string; from?: string; closedOn?: string; caseId?: string } }>;
}

export type { CaseView } from './case-badges.js';

export function EntryStatus({ c, entry }: { c: Context<AppEnv>; entry: EntryView }) {
  const tone = entry.status === 'listed' ? 'danger' : entry.status === 'proposed' ? 'warn' : 'ok';
  return (
    <span class="actions">
      <Badge tone={tone}>{tr(c, named(ENTRY_STATUS, entry.status))}</Badge>
      {entry.underObjection ? <Badge tone="warn">{tr(c, T.underObjection)}</Badge> : null}
      {entry.delistReason ? <Badge tone="muted">{tr(c, named(DELIST_REASON, entry.delistReason))}</Badge> : null}
    </span>
  );
}

/** The dates that matter for an entry now. */
export function entryDates(c: Context<AppEnv>, entry: EntryView): Array<[Text, string]> {
  const rows: Array<[Text, string]> = [];
  if (entry.status === 'proposed') rows.push([T.representationDeadline, day(c, entry.representationDeadline)]);
  if (entry.listedAt) rows.push([T.listedAt, day(c, entry.listedAt)]);
  if (entry.expiresAt && entry.status === 'listed') rows.push([T.expiresAt, lastDay(c, entry.expiresAt)]);
  if (entry.earliestRepairDate && entry.status === 'listed') rows.push([T.earliestRepair, day(c, entry.earliestRepairDate)]);
  if (entry.delistedAt) rows.push([T.delisted, day(c, entry.delistedAt)]);
  return rows;
}

/** Why an action is not open, and from when it will be. */
export function closedReason(c: Context<AppEnv>, because: NonNullable<NonNullable<EntryView['actions']>[number]['because']>): string {
  switch (because.code) {
    case 'NOT_YET':
      return fill(c, T.from, { date: day(c, because.from) });
    case 'WINDOW_CLOSED':
      return fill(c, T.closedOn, { date: day(c, because.closedOn) });
    case 'NEEDS_LISTING':
      return tr(c, T.needsListing);
    case 'ALREADY_OPEN':
      return tr(c, T.alreadyOpen);
    default:
      return tr(c, T.notAvailable);
  }
}

/** The id of the filing form of an action: one per kind, and one per appealable case. */
export const actionFormId = (kind: string, appealOf?: string) => `file-${kind}${appealOf ? `-${appealOf}` : ''}`;

/** The actions open and closed, each open one with its form. */
export function ActionList({ c, entry, commitment, forms }: { c: Context<AppEnv>; entry: EntryView; commitment: Text; forms: Record<string, FormState> }) {
  const actions = entry.actions ?? [];
  const open = actions.filter((a) => a.open);
  const closed = actions.filter((a) => !a.open);
  const orphans = Object.entries(forms).filter(([id]) => !open.some((a) => actionFormId(a.kind, a.appealOf) === id));
  return (
    <>
      {orphans.map(([id, state]) => (
        <ErrorSummary c={c} form={id} state={state} />
      ))}
      <h2>{tr(c, T.actionsNow)}</h2>
      {open.length === 0 ? <p>{tr(c, UI.none)}</p> : null}
      {open.map((a) => {
        const id = actionFormId(a.kind, a.appealOf);
        const state = forms[id];
        return (
          <details class="form" id={`${id}-panel`} open={state ? true : undefined}>
            <summary>
              {tr(c, T.file[a.kind] ?? named(KIND, a.kind))}
              {a.appealOf ? ` · ${a.appealOf}` : ''}
              {a.until ? ` (${tr(c, T.until)} ${day(c, a.until)})` : ''}
            </summary>
            <FilingForm c={c} entryId={entry.entryId} kind={a.kind} appealOf={a.appealOf} commitment={commitment} state={state} />
          </details>
        );
      })}
      {closed.length > 0 ? (
        <>
          <h3>{tr(c, T.notYet)}</h3>
          <ul>
            {closed.map((a) => (
              <li>
                {tr(c, T.file[a.kind] ?? named(KIND, a.kind))}: {closedReason(c, a.because!)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** Files already uploaded with a refused form: carried into the form again, so fixing another field does not lose them. */
export function CarriedEvidence({ c, state }: { c: Context<AppEnv>; state?: FormState }) {
  const refs = (state?.values.evidenceRef ?? '').split('\n').filter(Boolean);
  const names = refs.flatMap((r) => {
    try {
      return [String((JSON.parse(r) as { name: unknown }).name)];
    } catch {
      return [];
    }
  });
  if (refs.length === 0) return null;
  return (
    <div class="field">
      <p>{tr(c, T.carried)}</p>
      <ul>{names.map((n) => <li>{n}</li>)}</ul>
      {refs.map((r) => <input type="hidden" name="evidenceRef" value={r} />)}
    </div>
  );
}

/** One filing form: grounds, the fields its kind needs, evidence; it posts without a script and uploads with progress when one runs. */
export function FilingForm({ c, entryId, kind, appealOf, commitment, state }: { c: Context<AppEnv>; entryId: string; kind: string; appealOf?: string; commitment: Text; state?: FormState }) {
  const id = actionFormId(kind, appealOf);
  return (
    <PostForm c={c} action={`/entries/${entryId}/cases`} id={id} multipart upload>
      <ErrorSummary c={c} form={id} state={state} />
      <input type="hidden" name="kind" value={kind} />
      {appealOf ? <input type="hidden" name="appealOf" value={appealOf} /> : null}
      {/* A resubmitted form (back, reload) names the case the first one filed. */}
      <input type="hidden" name="idempotencyKey" value={state?.values.idempotencyKey ?? randomUUID()} />
      {kind === 'correction' ? (
        <>
          <Field c={c} form={id} name="requestedCorrection.field" label={T.correctionField} type="select" required state={state} options={Object.entries(CORRECTABLE_FIELD).map(([value, l]) => ({ value, label: l }))} />
          <Field c={c} form={id} name="requestedCorrection.value" label={T.correctionValue} required state={state} maxLength={2000} />
        </>
      ) : null}
      <Field c={c} form={id} name="grounds" label={T.grounds} hint={T.groundsHint} type="textarea" required state={state} maxLength={10000} />
      {kind === 'repair' ? (
        <>
          <p class="panel">{tr(c, commitment)}</p>
          <Field c={c} form={id} name="commitment" label={T.commitment} type="checkbox" required state={state} />
        </>
      ) : null}
      <CarriedEvidence c={c} state={state} />
      <Field c={c} form={id} name="evidence" label={T.evidence} hint={T.evidenceHint} type="file" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" state={state} />
      <button type="submit">{tr(c, T.fileButton)}</button>
    </PostForm>
  );
}

export function CaseList({ c, cases }: { c: Context<AppEnv>; cases: EntryView['cases'] }) {
  if (cases.length === 0) return <p>{tr(c, T.noCases)}</p>;
  return (
    <ul>
      {cases.map((k) => (
        <li>
          <a href={`/cases/${k.caseId}`}>
            {tr(c, named(KIND, k.kind))} {k.caseId}
          </a>{' '}
          <Badge tone={isOpenStatus(k.status) ? 'info' : 'muted'}>{tr(c, named(CASE_STATUS, k.status))}</Badge>{' '}
          {isOpenStatus(k.status) ? `${tr(c, UI.deadline)} ${day(c, k.deadline)}` : null}
        </li>
      ))}
    </ul>
  );
}

export function AuditTimeline({ c, events }: { c: Context<AppEnv>; events: Array<{ seq: number; type: string; at: string; actor: { role: string } }> }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <time datetime={e.at}>{instant(e.at)}</time>
          {tr(c, named(EVENT, e.type))} <span class="muted">#{e.seq} · {e.actor.role}</span>
        </li>
      ))}
    </ol>
  );
}

/** A case's steps; reviewers also see who took each step and its detail. */
export function CaseTimeline({ c, items, actors }: { c: Context<AppEnv>; items: CaseView['timeline']; actors?: boolean }) {
  return (
    <ol class="timeline">
      {items.map((i) => (
        <li>
          <time datetime={i.at}>{instant(i.at)}</time>
          {tr(c, named(CASE_STEP, i.type))}
          {actors && i.by ? ` · ${shortActor(i.by)}` : ''}
          {actors && i.detail ? <span class="muted"> ({i.detail})</span> : null}
        </li>
      ))}
    </ol>
  );
}


export function DecisionPanel({ c, k }: { c: Context<AppEnv>; k: CaseView }) {
  const d = k.decision!;
  return (
    <section class="panel" aria-labelledby="decision-heading">
      <h2 id="decision-heading">{tr(c, T.decision)}</h2>
      <Facts
        c={c}
        rows={[
          [T.outcome, <strong>{tr(c, named(OUTCOME, d.outcome))}</strong>],
          [T.reasons, d.reasons],
          ...(d.correction ? [[T.corrected, `${tr(c, named(CORRECTABLE_FIELD, d.correction.field))}: ${d.correction.value}`] as [Text, string]] : []),
          ...(d.missing ? [[T.missing, <ul>{d.missing.map((m) => <li>{m}</li>)}</ul>] as [Text, Child]] : []),
          ...(d.certificate ? [[T.certificate, <a href={`/verify/${d.certificate}`}>{d.certificate}</a>] as [Text, Child]] : []),
          [T.decidedOn, day(c, d.decidedAt)],
        ]}
      />
      <h3>{tr(c, T.remedies)}</h3>
      <ul>
        {k.appealClosesOn ? <li>{fill(c, T.appealUntil, { date: day(c, k.appealClosesOn) })}</li> : null}
        {k.reconsiderationClosesOn ? <li>{fill(c, T.reconsiderationUntil, { date: day(c, k.reconsiderationClosesOn) })}</li> : null}
        {k.litigationClosesOn ? <li>{fill(c, T.litigationUntil, { date: day(c, k.litigationClosesOn) })}</li> : null}
      </ul>
    </section>
  );
}
