import type { Context } from 'hono';
import { CORRECTABLE_FIELD, OUTCOME, type Text } from '../../../shared/i18n/texts.js';
import type { AppEnv } from '../../api/context.js';
import { ErrorSummary, Field, PostForm, type FormState } from '../forms.js';
import { tr } from '../layout.js';
import { isOpenStatus, shortActor, type CaseView } from './case-badges.js';
import { day, instant } from './subject-views.js';

/** The workbench's forms, each named as its refusals are handed back to it. */
export type FormId = 'claim' | 'release' | 'request-info' | 'extend' | 'decide';

/** A form the API refused: its state (values and errors) and the API's status, which the page answers with. */
export interface Refused {
  form: FormId;
  state: FormState;
  status: 400 | 404 | 409 | 413 | 415 | 422 | 429;
}

const T = {
  claimTitle: { zh: '认领', en: 'Claim' },
  claimHint: { zh: '认领后至下一个工作日结束前，其他审查人员不能办理本案；再次认领即续期。', en: 'A claim holds the case for you until the end of the next working day; claim again to renew it.' },
  claim: { zh: '认领本案', en: 'Claim this case' },
  renew: { zh: '续期认领', en: 'Renew the claim' },
  release: { zh: '退回队列', en: 'Give back to the queue' },
  heldUntil: (who: string, until: string): Text => ({ zh: `本案已由 ${who} 认领，至 ${until}。认领期间只有其本人可以办理。`, en: `${who} holds this case until ${until}; only they can act on it meanwhile.` }),
  infoTitle: { zh: '要求补正材料', en: 'Request information' },
  questions: { zh: '需要补正的材料（每行一项）', en: 'What is missing (one item per line)' },
  questionsHint: { zh: '只能要求一次，请一次列明全部所需材料。申请人答复前，审查期限暂停计算。', en: 'You can ask once only, so list everything needed. The review clock stops until the subject answers.' },
  ask: { zh: '发送补正要求', en: 'Send the request' },
  extendTitle: { zh: '延长审查期限', en: 'Extend the review' },
  workingDays: { zh: '延长的工作日数', en: 'Working days to add' },
  workingDaysHint: (cap: string): Text => ({ zh: `只能延长一次，最迟至 ${cap}。`, en: `Once only, to ${cap} at the latest.` }),
  reason: { zh: '延长理由（将告知申请人）', en: 'Reason (the subject is told)' },
  extend: { zh: '延长期限', en: 'Extend' },
  decideTitle: { zh: '作出决定', en: 'Decide' },
  outcome: { zh: '审查结论', en: 'Outcome' },
  choose: { zh: '请选择', en: 'Choose' },
  reasons: { zh: '决定理由（将告知申请人）', en: 'Reasons (the subject is told)' },
  pausedHint: { zh: '申请人的补正答复期限未满，目前只能作出“成立”的决定。', en: 'The subject\'s time to answer has not run out: only upholding the case is possible now.' },
  correctionField: { zh: '更正的项目', en: 'Field corrected' },
  correctionValue: { zh: '更正后的内容', en: 'Corrected value' },
  correctionHint: { zh: '部分成立时必须填写；更正申请全部成立而不填写的，按申请的内容更正。', en: 'Required when partly upheld; an upheld correction request left blank applies the value asked for.' },
  noField: { zh: '不更正', en: 'No correction' },
  missing: { zh: '仍需纠正的事项（每行一项）', en: 'Still to put right (one item per line)' },
  missingHint: { zh: '驳回信用修复申请时必须逐项列明。', en: 'Required when a repair application is rejected.' },
  decide: { zh: '提交决定', en: 'Submit the decision' },
} as const;

interface FormsProps {
  c: Context<AppEnv>;
  item: CaseView;
  /** The kind of case whose remedy the decision gives: the appealed case's for an appeal. */
  askedKind: string;
  refused?: Refused;
}

const stateOf = (refused: Refused | undefined, form: FormId) => (refused?.form === form ? refused.state : undefined);

/**
 * The forms the caller's role and the case's state allow now. The API still
 * decides: a form shown is no promise, and every refusal comes back beside its field.
 */
export function ActionForms({ c, item, askedKind, refused }: FormsProps) {
  const me = c.get('principal')!;
  const level = me.role === 'agency-reviewer' ? 'agency' : me.role === 'provincial-reviewer' ? 'province' : undefined;
  if (!level || item.level !== level || !isOpenStatus(item.status)) return null;
  const heldByOther = item.assignedTo !== undefined && item.assignedTo !== me.id;
  const heldByMe = item.assignedTo === me.id;
  const action = (path: string) => `/cases/${item.caseId}/${path}`;
  const claimState = stateOf(refused, 'claim') ?? stateOf(refused, 'release');
  return (
    <>
      <h3>{tr(c, T.claimTitle)}</h3>
      <ErrorSummary c={c} form={refused?.form === 'release' ? 'release' : 'claim'} state={claimState} />
      {heldByOther ? (
        <p class="notice warn">{tr(c, T.heldUntil(shortActor(item.assignedTo!), item.claimUntil ? instant(item.claimUntil) : ''))}</p>
      ) : (
        <>
          <p class="hint">{tr(c, T.claimHint)}</p>
          <div class="actions">
            <PostForm c={c} action={action('claim')} id="claim">
              <button type="submit">{tr(c, heldByMe ? T.renew : T.claim)}</button>
            </PostForm>
            {heldByMe ? (
              <PostForm c={c} action={action('release')} id="release">
                <button type="submit" class="secondary">
                  {tr(c, T.release)}
                </button>
              </PostForm>
            ) : null}
          </div>
        </>
      )}
      {heldByOther ? null : (
        <>
          {item.infoRequest ? null : <RequestInfoForm c={c} action={action('request-info')} state={stateOf(refused, 'request-info')} open={refused?.form === 'request-info'} />}
          {me.role === 'agency-reviewer' && item.capDate && !item.extension && !item.paused ? (
            <ExtendForm c={c} action={action('extend')} capDate={item.capDate} state={stateOf(refused, 'extend')} open={refused?.form === 'extend'} />
          ) : null}
          <DecideForm c={c} action={action('decision')} item={item} askedKind={askedKind} state={stateOf(refused, 'decide')} />
        </>
      )}
    </>
  );
}

function RequestInfoForm({ c, action, state, open }: { c: Context<AppEnv>; action: string; state?: FormState; open: boolean }) {
  return (
    <details class="form" open={open}>
      <summary>
        <h3 class="summary-heading">{tr(c, T.infoTitle)}</h3>
      </summary>
      <ErrorSummary c={c} form="request-info" state={state} />
      <PostForm c={c} action={action} id="request-info">
        <Field c={c} form="request-info" name="questions" label={T.questions} hint={T.questionsHint} type="textarea" required maxLength={30 * 2001} rows={6} state={state} />
        <button type="submit">{tr(c, T.ask)}</button>
      </PostForm>
    </details>
  );
}

function ExtendForm({ c, action, capDate, state, open }: { c: Context<AppEnv>; action: string; capDate: string; state?: FormState; open: boolean }) {
  return (
    <details class="form" open={open}>
      <summary>
        <h3 class="summary-heading">{tr(c, T.extendTitle)}</h3>
      </summary>
      <ErrorSummary c={c} form="extend" state={state} />
      <PostForm c={c} action={action} id="extend">
        <Field c={c} form="extend" name="workingDays" label={T.workingDays} hint={T.workingDaysHint(day(c, capDate))} type="number" required min={1} state={state} />
        <Field c={c} form="extend" name="reason" label={T.reason} type="textarea" required maxLength={2000} rows={3} state={state} />
        <button type="submit">{tr(c, T.extend)}</button>
      </PostForm>
    </details>
  );
}

function DecideForm({ c, action, item, askedKind, state }: { c: Context<AppEnv>; action: string; item: CaseView; askedKind: string; state?: FormState }) {
  const repair = askedKind === 'repair';
  const corrects = askedKind === 'correction' || askedKind === 'objection';
  const outcomes = repair ? ['upheld', 'rejected'] : ['upheld', 'rejected', 'partially-upheld'];
  return (
    <>
      <h3>{tr(c, T.decideTitle)}</h3>
      <ErrorSummary c={c} form="decide" state={state} />
      {item.paused ? <p class="notice warn">{tr(c, T.pausedHint)}</p> : null}
      <PostForm c={c} action={action} id="decide">
        <Field c={c} form="decide" name="outcome" label={T.outcome} type="select" required state={state} options={[{ value: '', label: T.choose }, ...outcomes.map((o) => ({ value: o, label: OUTCOME[o]! }))]} />
        <Field c={c} form="decide" name="reasons" label={T.reasons} type="textarea" required maxLength={10000} rows={6} state={state} />
        {corrects ? (
          <>
            <Field
              c={c}
              form="decide"
              name="correction.field"
              label={T.correctionField}
              hint={T.correctionHint}
              type="select"
              state={state}
              options={[{ value: '', label: T.noField }, ...Object.entries(CORRECTABLE_FIELD).map(([value, label]) => ({ value, label }))]}
            />
            <Field c={c} form="decide" name="correction.value" label={T.correctionValue} type="textarea" maxLength={2000} rows={2} state={state} />
          </>
        ) : null}
        {repair ? <Field c={c} form="decide" name="missing" label={T.missing} hint={T.missingHint} type="textarea" maxLength={30 * 2001} rows={4} state={state} /> : null}
        <button type="submit">{tr(c, T.decide)}</button>
      </PostForm>
    </>
  );
}
