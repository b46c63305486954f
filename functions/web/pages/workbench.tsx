import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import { CASE_STEP, CORRECTABLE_FIELD, ENTRY_STATUS, KIND, OUTCOME, CASE_STATUS, say, type Text, ENTRY_FIELD, named } from '../../../shared/i18n/texts.js';
import type { entrySchema } from '../../../shared/schemas/listing.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';
import { callApi, readApi } from '../api-call.js';
import { render, tr } from '../layout.js';
import { UI } from '../ui-text.js';
import { CaseBadges, isOpenStatus, shortActor, type CaseView } from './case-badges.js';
import { CaseTimeline, day, instant, lastDay } from './subject-views.js';
import { Facts } from './common.js';
import { EvidenceList } from './evidence-list.js';
import { agencyName, listTypeName } from '../../../shared/policy/policy-book.js';
import { ActionForms, type Refused } from './workbench-forms.js';

type EntryView = z.output<typeof entrySchema>;

/** Another case of the same subject, as `GET /v1/cases/{caseId}/related` answers it. */
interface RelatedCase {
  caseId: string;
  entryId: string;
  kind: string;
  status: string;
  filedAt: string;
  deadline: string;
  entry?: { listType: string; decisionRef: string };
  decision?: { outcome: string; decidedAt: string };
}


const T = {
  title: (kind: Text, caseId: string): Text => ({ zh: `${kind.zh}审查 ${caseId}`, en: `Review of ${kind.en} ${caseId}` }),
  done: {
    claimed: { zh: '已认领本案。', en: 'You hold this case now.' },
    released: { zh: '已退回队列。', en: 'The case is back in the queue.' },
    'info-requested': { zh: '补正要求已发送，审查期限暂停计算。', en: 'The request was sent; the review clock stands still.' },
    extended: { zh: '审查期限已延长，申请人将收到通知。', en: 'The review was extended; the subject is told.' },
    decided: { zh: '决定已作出，申请人将收到通知。', en: 'The decision was made; the subject is told.' },
  } as Record<string, Text>,
  summary: { zh: '办理情况', en: 'Progress' },
  filedAt: { zh: '提交时间', en: 'Filed' },
  level: { zh: '审查层级', en: 'Held by' },
  agencyLevel: { zh: '认定机关', en: 'The agency' },
  provinceLevel: { zh: '省级复核', en: 'The province' },
  claimedUntil: { zh: '认领至', en: 'Claimed until' },
  capDate: { zh: '可延长至', en: 'Extendable to' },
  extension: { zh: '已延长', en: 'Extended' },
  application: { zh: '申请内容', en: 'The application' },
  grounds: { zh: '事实和理由', en: 'Grounds' },
  requested: { zh: '申请更正', en: 'Correction asked for' },
  currentValue: { zh: '现记载为', en: 'Now recorded as' },
  commitment: { zh: '信用承诺', en: 'Credit commitment' },
  acceptedAt: { zh: '承诺时间', en: 'Accepted' },
  appealOf: { zh: '复核的决定', en: 'Appeal against' },
  evidence: { zh: '证据材料', en: 'Evidence' },
  supplements: { zh: '补充材料', en: 'Supplements' },
  infoRequest: { zh: '补正材料要求', en: 'Request for information' },
  askedBy: { zh: '提出', en: 'Asked' },
  answerDue: { zh: '答复期限', en: 'Answer due' },
  answer: { zh: '答复', en: 'Answer' },
  answered: { zh: '申请人已补充材料，审查期限恢复计算。', en: 'The subject answered; the review clock runs again.' },
  noAnswer: { zh: '申请人未在期限内答复，按现有材料审查。', en: 'No answer in time: the case is decided on the file.' },
  waiting: { zh: '等待申请人答复。', en: 'Waiting for the subject\'s answer.' },
  decision: { zh: '决定', en: 'Decision' },
  outcome: { zh: '结论', en: 'Outcome' },
  reasons: { zh: '理由', en: 'Reasons' },
  decidedBy: { zh: '决定人', en: 'Decided by' },
  corrected: { zh: '更正', en: 'Correction' },
  missing: { zh: '仍需纠正', en: 'Still to put right' },
  certificate: { zh: '信用修复证明编号', en: 'Repair certificate' },
  appealCloses: { zh: '可申请复核至', en: 'Appeal possible until' },
  entry: { zh: '名单记录', en: 'The entry' },
  subject: ENTRY_FIELD.subject,
  listType: ENTRY_FIELD.list,
  agency: ENTRY_FIELD.agency,
  facts: ENTRY_FIELD.facts,
  legalBasis: ENTRY_FIELD.legalBasis,
  measures: ENTRY_FIELD.measures,
  decisionRef: ENTRY_FIELD.decisionRef,
  published: { zh: '公示期', en: 'Published' },
  openEntry: { zh: '查看名单记录页面', en: 'Open the entry page' },
  related: { zh: '同一主体的其他案件', en: 'Other cases of this subject' },
  noRelated: { zh: '没有您可查看的其他案件。', en: 'No other cases you may see.' },
  relatedCaption: { zh: '同一主体的其他案件', en: 'Other cases of the same subject' },
  caseCol: { zh: '案件', en: 'Case' },
  filedCol: { zh: '提交', en: 'Filed' },
  stateCol: { zh: '状态', en: 'State' },
  entryCol: { zh: '名单记录', en: 'Entry' },
  timeline: { zh: '办理记录', en: 'Timeline' },
  act: { zh: '办理', en: 'Act on this case' },
} as const;


/**
 * The case workbench: for reviewers with the forms their role and the case allow; read-only for auditors and officers.
 * After a refused form, the same page with that form's values and errors, answered with the API's status.
 * `caseId` comes checked from the page's path (`pathId`).
 */
export async function showWorkbench(app: Hono<AppEnv>, deps: Deps, c: Context<AppEnv>, caseId: string, refused?: Refused): Promise<Response> {
  const item = await readApi<CaseView>(app, c, `/v1/cases/${caseId}`);
  const [entry, related] = await Promise.all([readApi<EntryView>(app, c, `/v1/entries/${item.entryId}`), relatedCases(app, c, item)]);
  const book = await deps.policies();
  const lang = c.get('lang');
  const open = isOpenStatus(item.status);
  const overdue = item.overdue || (open && !item.paused && Date.parse(item.deadlineAt) <= deps.clock.now().getTime());
  const askedKind = item.appealOf ? (entry.cases.find((x) => x.caseId === item.appealOf)?.kind ?? item.kind) : item.kind;
  const flash = T.done[c.req.query('done') ?? ''];
  const kindName = named(KIND, item.kind);

  return render(
    c,
    refused?.status ?? 200,
    T.title(kindName, item.caseId),
    <>
      {flash && !refused ? (
        <p class="notice" role="status">
          {tr(c, flash)}
        </p>
      ) : null}
      <section class="panel" aria-labelledby="summary">
        <h2 id="summary">{tr(c, T.summary)}</h2>
        <CaseBadges c={c} item={item} overdue={overdue} />
        <Facts
          c={c}
          rows={[
            [UI.deadline, <>{day(c, item.deadline)}{item.deadlineProvisional ? <span class="muted"> {tr(c, UI.provisional)}</span> : null}</>],
            ...(open && item.workingDaysLeft !== undefined ? [[UI.workingDaysLeft, String(item.workingDaysLeft)] as [Text, Child]] : []),
            [T.filedAt, instant(item.filedAt)],
            [T.level, tr(c, item.level === 'province' ? T.provinceLevel : T.agencyLevel)],
            ...(item.assignedTo && item.claimUntil ? [[T.claimedUntil, `${shortActor(item.assignedTo)} · ${instant(item.claimUntil)}`] as [Text, Child]] : []),
            ...(item.extension ? [[T.extension, `+${item.extension.workingDays} · ${item.extension.reason}`] as [Text, Child]] : item.capDate && open ? [[T.capDate, day(c, item.capDate)] as [Text, Child]] : []),
          ]}
        />
      </section>

      <h2>{tr(c, T.application)}</h2>
      <Facts
        c={c}
        rows={[
          [T.grounds, <Paragraphs text={item.grounds} />],
          ...(item.requestedCorrection
            ? [[T.requested, <>{tr(c, named(CORRECTABLE_FIELD, item.requestedCorrection.field))}: {item.requestedCorrection.value} <span class="muted">({tr(c, T.currentValue)}: {currentValue(entry, item.requestedCorrection.field)})</span></>] as [Text, Child]]
            : []),
          ...(item.commitment ? [[T.commitment, <><Paragraphs text={item.commitment.text} /><span class="muted">{tr(c, T.acceptedAt)}: {instant(item.commitment.acceptedAt)}</span></>] as [Text, Child]] : []),
          ...(item.appealOf ? [[T.appealOf, <a href={`/cases/${item.appealOf}`}>{item.appealOf}</a>] as [Text, Child]] : []),
        ]}
      />

      <h2>{tr(c, T.evidence)}</h2>
      <EvidenceList c={c} caseId={item.caseId} files={item.evidence} />

      {item.supplements.length > 0 ? (
        <>
          <h2>{tr(c, T.supplements)}</h2>
          {item.supplements.map((s) => (
            <div class="panel">
              <h3>{instant(s.at)}</h3>
              <Paragraphs text={s.text} />
              <EvidenceList c={c} caseId={item.caseId} files={s.evidence} />
            </div>
          ))}
        </>
      ) : null}

      {item.infoRequest ? (
        <>
          <h2>{tr(c, T.infoRequest)}</h2>
          <ol>
            {item.infoRequest.questions.map((q) => (
              <li>{q}</li>
            ))}
          </ol>
          <Facts
            c={c}
            rows={[
              [T.askedBy, `${shortActor(item.infoRequest.by)} · ${instant(item.infoRequest.at)}`],
              [T.answerDue, day(c, item.infoRequest.answerDue)],
              [T.answer, tr(c, item.infoRequest.resumedBy === 'supplement' ? T.answered : item.infoRequest.resumedBy === 'no-answer' ? T.noAnswer : T.waiting)],
            ]}
          />
        </>
      ) : null}

      {item.decision ? (
        <>
          <h2>{tr(c, T.decision)}</h2>
          <Facts
            c={c}
            rows={[
              [T.outcome, tr(c, named(OUTCOME, item.decision.outcome))],
              [T.reasons, <Paragraphs text={item.decision.reasons} />],
              [T.decidedBy, `${shortActor(item.decision.by)} · ${instant(item.decision.decidedAt)}`],
              ...(item.decision.correction ? [[T.corrected, `${say(named(CORRECTABLE_FIELD, item.decision.correction.field), lang)}: ${item.decision.correction.value}`] as [Text, Child]] : []),
              ...(item.decision.missing?.length ? [[T.missing, <ul>{item.decision.missing.map((m) => <li>{m}</li>)}</ul>] as [Text, Child]] : []),
              ...(item.decision.certificate ? [[T.certificate, <span class="mono">{item.decision.certificate}</span>] as [Text, Child]] : []),
              ...(item.appealClosesOn ? [[T.appealCloses, day(c, item.appealClosesOn)] as [Text, Child]] : []),
            ]}
          />
        </>
      ) : null}

      <h2>{tr(c, T.entry)}</h2>
      <Facts
        c={c}
        rows={[
          [T.subject, <>{entry.subject.name} <span class="mono">{entry.subject.id}</span></>],
          [T.listType, say(listTypeName(book, entry.listType), lang)],
          [T.agency, say(agencyName(book, entry.agencyId), lang)],
          [UI.status, tr(c, named(ENTRY_STATUS, entry.status))],
          [T.facts, <Paragraphs text={entry.facts} />],
          [T.legalBasis, entry.legalBasis],
          [T.measures, <ul>{entry.measures.map((m) => <li>{m}</li>)}</ul>],
          [T.decisionRef, `${entry.decisionRef} · ${day(c, entry.decisionDate)}`],
          ...(entry.listedAt ? [[T.published, `${day(c, entry.listedAt)} – ${lastDay(c, entry.expiresAt)}`] as [Text, Child]] : []),
        ]}
      />
      <p>
        <a href={`/entries/${entry.entryId}`}>{tr(c, T.openEntry)}</a>
      </p>

      <h2>{tr(c, T.related)}</h2>
      <RelatedTable c={c} cases={related ?? ofEntry(item, entry)} />

      <h2>{tr(c, T.timeline)}</h2>
      <CaseTimeline c={c} items={item.timeline} actors />

      {open ? <ActionSection c={c} item={item} askedKind={askedKind} refused={refused} /> : null}
    </>,
  );
}

function ActionSection(props: Parameters<typeof ActionForms>[0]) {
  const forms = ActionForms(props);
  if (!forms) return null;
  return (
    <section aria-labelledby="act">
      <h2 id="act">{tr(props.c, T.act)}</h2>
      {forms}
    </section>
  );
}

/** The subject's other cases this reader may see; undefined where the route is not theirs (officers), who see the entry's own cases. */
async function relatedCases(app: Hono<AppEnv>, c: Context<AppEnv>, item: CaseView): Promise<RelatedCase[] | undefined> {
  const role = c.get('principal')?.role;
  if (role !== 'agency-reviewer' && role !== 'provincial-reviewer' && role !== 'auditor') return undefined;
  const result = await callApi<{ cases: RelatedCase[] }>(app, c, 'GET', `/v1/cases/${item.caseId}/related?limit=50`);
  return result.ok ? result.data.cases : undefined;
}

const ofEntry = (item: CaseView, entry: EntryView): RelatedCase[] => entry.cases.filter((x) => x.caseId !== item.caseId).map((x) => ({ ...x, entryId: entry.entryId, filedAt: '' }));

function RelatedTable({ c, cases }: { c: Context<AppEnv>; cases: RelatedCase[] }) {
  if (cases.length === 0) return <p>{tr(c, T.noRelated)}</p>;
  return (
    <div class="table-wrap">
      <table class="stack">
        <caption class="visually-hidden">{tr(c, T.relatedCaption)}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(c, T.caseCol)}</th>
            <th scope="col">{tr(c, T.entryCol)}</th>
            <th scope="col">{tr(c, T.filedCol)}</th>
            <th scope="col">{tr(c, T.stateCol)}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((r) => (
            <tr>
              <td data-label={tr(c, T.caseCol)}>
                <a href={`/cases/${r.caseId}`}>{tr(c, named(KIND, r.kind))}</a> <span class="mono muted">{r.caseId}</span>
              </td>
              <td data-label={tr(c, T.entryCol)}>
                <a href={`/entries/${r.entryId}`}>{r.entry?.decisionRef ?? r.entryId}</a>
              </td>
              <td data-label={tr(c, T.filedCol)}>{r.filedAt ? instant(r.filedAt) : ''}</td>
              <td data-label={tr(c, T.stateCol)}>
                {tr(c, named(CASE_STATUS, r.status))}
                {r.decision ? ` · ${tr(c, named(OUTCOME, r.decision.outcome))}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Text as its author broke it into lines. */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => (
          <p>{line}</p>
        ))}
    </>
  );
}

/** What the entry records now for a field a correction names. */
function currentValue(entry: EntryView, field: string): string {
  switch (field) {
    case 'subject.name':
      return entry.subject.name;
    case 'subject.id':
      return entry.subject.id;
    case 'facts':
      return entry.facts;
    case 'legalBasis':
      return entry.legalBasis;
    case 'decisionRef':
      return entry.decisionRef;
    case 'decisionDate':
      return entry.decisionDate;
    default:
      return '';
  }
}
