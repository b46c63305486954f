import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { KIND, say, type Text, named } from '../../../shared/i18n/texts.js';
import { MAX_EVIDENCE_BYTES } from '../../../shared/evidence/evidence-files.js';
import { sniffContentType } from '../../../shared/evidence/sniff.js';
import type { FieldError } from '../../../shared/platform/errors.js';
import { shanghaiDateOf } from '../../../shared/calendar/index.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';
import { callApi, readApi } from '../api-call.js';
import { ErrorSummary, Field, PostForm, type FormState } from '../forms.js';
import { render, tr } from '../layout.js';
import { csrfRefusal } from '../session.js';
import { UI } from '../ui-text.js';
import { agencyName, listTypeName } from '../../../shared/policy/policy-book.js';
import { CaseBadges, isOpenStatus } from './case-badges.js';
import { EvidenceList } from './evidence-list.js';
import { showWorkbench } from './workbench.js';
import { Facts, pathId, formStateOf, formText, formTexts, formValues, pageGet, pagePost, refusedStatus } from './common.js';
import {
  actionFormId,
  ActionList,
  AuditTimeline,
  CaseList,
  CarriedEvidence,
  CaseTimeline,
  closedReason,
  day,
  DecisionPanel,
  EntryStatus,
  entryDates,
  fill,
  FilingForm,
  T,
  type CaseView,
  type EntryView,
} from './subject-views.js';

type Evidence = { name: string; contentType: string; sha256: string };
type FormData = Record<string, string | File | (string | File)[]>;

/** A refused form's state with the files it already uploaded, so they go with the next submission. */
const carrying = (state: FormState, evidence: Evidence[]): FormState => ({ ...state, values: { ...state.values, evidenceRef: evidence.map((e) => JSON.stringify(e)).join('\n') } });

/** The pages of a listed party: their entries, an entry with its forms, a case. */
export function subjectPages(app: Hono<AppEnv>, deps: Deps) {
  pageGet(app, '/me', ['subject'], async (c) => {
    const { entries } = await readApi<{ entries: EntryView[] }>(app, c, '/v1/me/entries?limit=100');
    const book = await deps.policies();
    return render(
      c,
      200,
      T.myEntries,
      entries.length === 0 ? (
        <p>{tr(c, T.noEntries)}</p>
      ) : (
        <ul class="cards">
          {entries.map((e) => (
            <li class="card">
              <h2>
                <a href={`/entries/${e.entryId}`}>{say(listTypeName(book, e.listType), c.get('lang'))}</a>
              </h2>
              <EntryStatus c={c} entry={e} />
              <Facts c={c} rows={[[T.agency, say(agencyName(book, e.agencyId), c.get('lang'))], [T.decisionRef, e.decisionRef], ...entryDates(c, e)]} />
              <h3>{tr(c, T.cases)}</h3>
              <CaseList c={c} cases={e.cases} />
              <h3>{tr(c, T.actionsNow)}</h3>
              <ul>
                {(e.actions ?? []).map((a) => (
                  <li>
                    {a.open ? (
                      <a href={`/entries/${e.entryId}#${actionFormId(a.kind, a.appealOf)}-panel`}>
                        {tr(c, T.file[a.kind]!)}
                        {a.until ? ` (${tr(c, T.until)} ${day(c, a.until)})` : ''}
                      </a>
                    ) : (
                      <span class="muted">
                        {tr(c, T.file[a.kind]!)}: {closedReason(c, a.because!)}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ),
    );
  });

  async function entryPage(c: Context<AppEnv>, entryId: string, status: 200 | 400 | 404 | 409 | 413 | 415 | 422 | 429 = 200, forms: Record<string, FormState> = {}) {
    const entry = await readApi<EntryView>(app, c, `/v1/entries/${entryId}`);
    const audit = await readApi<{ events: Array<{ seq: number; type: string; at: string; actor: { role: string } }> }>(app, c, `/v1/entries/${entryId}/audit?limit=200`);
    const book = await deps.policies();
    const lang = c.get('lang');
    const commitment = book.profileInForce(entry.policy.profileId, shanghaiDateOf(deps.clock.now())).repairCommitment;
    return render(
      c,
      status,
      `${entry.subject.name} · ${say(listTypeName(book, entry.listType), lang)}`,
      <>
        <EntryStatus c={c} entry={entry} />
        <Facts
          c={c}
          rows={[
            [T.agency, say(agencyName(book, entry.agencyId), lang)],
            [T.decisionRef, entry.decisionRef],
            [T.decisionDate, day(c, entry.decisionDate)],
            [T.facts, entry.facts],
            [T.legalBasis, entry.legalBasis],
            [T.measures, <ul>{entry.measures.map((m) => <li>{m}</li>)}</ul>],
            ...entryDates(c, entry),
          ]}
        />
        {entry.actions ? <ActionList c={c} entry={entry} commitment={commitment} forms={forms} /> : null}
        <h2>{tr(c, T.cases)}</h2>
        <CaseList c={c} cases={entry.cases} />
        <h2>{tr(c, T.timeline)}</h2>
        <AuditTimeline c={c} events={audit.events} />
      </>,
    );
  }

  pageGet(app, '/entries/:entryId', ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], (c) => entryPage(c, pathId(c, 'entryId')));

  /**
   * Files a case from the form. Files chosen without a script come with the
   * form and are stored here through the same upload the script uses; files a
   * script already uploaded are named by their digest.
   */
  pagePost(app, '/entries/:entryId/cases', ['subject'], async (c, form) => {
    const entryId = pathId(c, 'entryId');
    const kind = formText(form, 'kind');
    const appealOf = formText(form, 'appealOf') || undefined;
    const formId = actionFormId(kind, appealOf);
    const refused = (status: number, state: FormState) => entryPage(c, entryId, refusedStatus(status), { [formId]: state });
    const uploaded = await evidenceOf(c, form);
    if ('errors' in uploaded) return refused(400, { values: formValues(form), errors: uploaded.errors });
    const field = formText(form, 'requestedCorrection.field');
    const body = {
      kind,
      entryId,
      grounds: formText(form, 'grounds'),
      evidence: uploaded.evidence,
      ...(kind === 'correction' ? { requestedCorrection: { field, value: formText(form, 'requestedCorrection.value') } } : {}),
      ...(appealOf ? { appealOf } : {}),
      ...(kind === 'repair' ? { commitment: formText(form, 'commitment') === 'true' } : {}),
    };
    const key = formText(form, 'idempotencyKey');
    const filed = await callApi<CaseView>(app, c, 'POST', '/v1/cases', body, key ? { 'idempotency-key': key } : {});
    if (!filed.ok) return refused(filed.status, carrying(formStateOf(form, filed, (p) => (p.startsWith('evidence.') ? 'evidence' : p === 'Idempotency-Key' ? 'grounds' : p)), uploaded.evidence));
    return c.redirect(`/cases/${filed.data.caseId}?done=filed`, 303);
  });

  /** Evidence from the form: digests the script uploaded, and files sent with the form, uploaded now. */
  async function evidenceOf(c: Context<AppEnv>, form: FormData): Promise<{ evidence: Evidence[] } | { errors: FieldError[] }> {
    const evidence: Evidence[] = [];
    const errors: FieldError[] = [];
    for (const ref of formTexts(form, 'evidenceRef')) {
      try {
        const { name, contentType, sha256 } = JSON.parse(ref) as Evidence;
        evidence.push({ name, contentType, sha256 });
      } catch {
        errors.push({ path: 'evidence', message: 'an uploaded file reference is malformed; choose the file again' });
      }
    }
    const files = ([] as unknown[]).concat(form.evidence ?? []).filter((f): f is File => f instanceof File && f.size > 0);
    for (const file of files) {
      const stored = await uploadFromForm(c, file);
      if ('error' in stored) errors.push({ path: 'evidence', message: `${file.name}: ${stored.error}` });
      else evidence.push(stored);
    }
    return errors.length > 0 ? { errors } : { evidence };
  }

  async function uploadFromForm(c: Context<AppEnv>, file: File): Promise<Evidence | { error: string }> {
    if (file.size > MAX_EVIDENCE_BYTES) return { error: `larger than ${MAX_EVIDENCE_BYTES} bytes (10 MB)` };
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The bytes say what the file is, not its name or the browser.
    const contentType = sniffContentType(bytes);
    if (!contentType) return { error: 'not a PDF, JPEG or PNG file' };
    const meta = { name: file.name.slice(0, 200) || 'evidence', contentType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    const prepared = await callApi<{ upload: { url: string; headers: Record<string, string> } }>(app, c, 'POST', '/v1/evidence', meta);
    if (!prepared.ok) return { error: prepared.errors.map((e) => e.message).join('; ') || prepared.detail };
    const put = await fetch(prepared.data.upload.url, { method: 'PUT', headers: prepared.data.upload.headers, body: bytes });
    if (!put.ok) return { error: `the upload was refused (${put.status})` };
    return { name: meta.name, contentType, sha256: meta.sha256 };
  }

  /** For the page's upload script: where to send one file, for the signed-in subject (cookie session and CSRF header). */
  app.post('/web/evidence', async (c) => {
    if (c.get('principal')?.role !== 'subject') return c.json({ detail: 'Sign in as the listed party to upload evidence' }, 403);
    if (await csrfRefusal(c, undefined)) return c.json({ detail: 'Reload the page and try again' }, 403);
    const result = await callApi<unknown>(app, c, 'POST', '/v1/evidence', await c.req.json().catch(() => undefined));
    return c.json(result.ok ? result.data : result.problem, result.status as 201);
  });

  async function casePage(c: Context<AppEnv>, caseId: string, status: 200 | 400 | 404 | 409 | 413 | 415 | 422 | 429 = 200, forms: Record<string, FormState> = {}) {
    const k = await readApi<CaseView>(app, c, `/v1/cases/${caseId}`);
    const done = c.req.query('done');
    const flash: Record<string, Text> = { filed: T.filed, supplemented: T.supplemented, withdrawn: T.withdrawn };
    const isOpen = isOpenStatus(k.status);
    const answered = k.infoRequest?.resumedAt;
    // The appeal as the filing rules see it now: open (a form), or closed with the reason.
    // Only the subject sees this page (others get the workbench).
    const appeal = k.appealClosesOn ? (await readApi<EntryView>(app, c, `/v1/entries/${k.entryId}`)).actions?.find((a) => a.kind === 'appeal' && a.appealOf === k.caseId) : undefined;
    return render(
      c,
      status,
      `${tr(c, KIND[k.kind] ?? T.caseOf)} ${k.caseId}`,
      <>
        {done && flash[done] ? (
          <p class="notice" role="status">
            {tr(c, flash[done])}
          </p>
        ) : null}
        <Facts
          c={c}
          rows={[
            [T.kind, tr(c, named(KIND, k.kind))],
            [T.filedAt, day(c, k.filedAt)],
            [UI.deadline, <>{day(c, k.deadline)} {k.deadlineProvisional ? tr(c, UI.provisional) : ''} <CaseBadges c={c} item={{ ...k, assignedTo: undefined }} overdue={k.overdue} /></>],
            [T.grounds, k.grounds],
          ]}
        />
        <p>
          <a href={`/entries/${k.entryId}`}>{tr(c, UI.back)}</a>
        </p>
        {k.extension ? <p class="notice warn">{fill(c, T.extendedTo, { reason: k.extension.reason })}</p> : null}
        {k.infoRequest ? (
          <section class="panel" aria-labelledby="info-heading">
            <h2 id="info-heading">{tr(c, T.infoRequest)}</h2>
            <ol>
              {k.infoRequest.questions.map((q) => (
                <li>{q}</li>
              ))}
            </ol>
            {answered ? <p>{fill(c, T.answered, { date: day(c, answered) })}</p> : <p>{fill(c, T.answerDue, { date: day(c, k.infoRequest.answerDue) })}</p>}
            {!answered && isOpen ? (
              <PostForm c={c} action={`/cases/${k.caseId}/supplement`} id="supplement" multipart upload>
                <ErrorSummary c={c} form="supplement" state={forms.supplement} />
                <Field c={c} form="supplement" name="text" label={T.answer} type="textarea" required state={forms.supplement} maxLength={10000} />
                <CarriedEvidence c={c} state={forms.supplement} />
                <Field c={c} form="supplement" name="evidence" label={T.evidence} hint={T.evidenceHint} type="file" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" state={forms.supplement} />
                <button type="submit">{tr(c, T.answerButton)}</button>
              </PostForm>
            ) : null}
          </section>
        ) : null}
        <h2>{tr(c, T.evidenceList)}</h2>
        <EvidenceList c={c} caseId={k.caseId} files={[...k.evidence, ...k.supplements.flatMap((s) => s.evidence)]} />
        {k.decision ? <DecisionPanel c={c} k={k} /> : null}
        {appeal && !appeal.open ? (
          <p class="notice warn">
            {tr(c, T.appealButton)}: {closedReason(c, appeal.because!)}
          </p>
        ) : null}
        {appeal?.open && k.appealClosesOn ? (
          <details class="form" id="appeal-panel" open={forms[actionFormId('appeal', k.caseId)] ? true : undefined}>
            <summary>
              {tr(c, T.appealButton)} ({tr(c, T.until)} {day(c, k.appealClosesOn)})
            </summary>
            <FilingForm c={c} entryId={k.entryId} kind="appeal" appealOf={k.caseId} commitment={{ zh: '', en: '' }} state={forms[actionFormId('appeal', k.caseId)]} />
          </details>
        ) : null}
        {isOpen ? (
          <PostForm c={c} action={`/cases/${k.caseId}/withdraw`} id="withdraw">
            <ErrorSummary c={c} form="withdraw" state={forms.withdraw} />
            <p class="hint">{tr(c, T.withdrawHint)}</p>
            <button type="submit" class="secondary">
              {tr(c, T.withdraw)}
            </button>
          </PostForm>
        ) : null}
        <h2>{tr(c, T.timeline)}</h2>
        <CaseTimeline c={c} items={k.timeline} />
      </>,
    );
  }

  pageGet(app, '/cases/:caseId', ['subject', 'agency-officer', 'agency-reviewer', 'provincial-reviewer', 'auditor'], (c) => {
    const caseId = pathId(c, 'caseId');
    if (c.get('principal')!.role !== 'subject') return showWorkbench(app, deps, c, caseId);
    return casePage(c, caseId);
  });

  pagePost(app, '/cases/:caseId/supplement', ['subject'], async (c, form) => {
    const caseId = pathId(c, 'caseId');
    const uploaded = await evidenceOf(c, form);
    if ('errors' in uploaded) return casePage(c, caseId, 400, { supplement: { values: formValues(form), errors: uploaded.errors } });
    const sent = await callApi<CaseView>(app, c, 'POST', `/v1/cases/${caseId}/supplement`, { text: formText(form, 'text'), evidence: uploaded.evidence });
    if (!sent.ok) return casePage(c, caseId, refusedStatus(sent.status), { supplement: carrying(formStateOf(form, sent, (p) => (p.startsWith('evidence.') ? 'evidence' : p)), uploaded.evidence) });
    return c.redirect(`/cases/${caseId}?done=supplemented`, 303);
  });

  pagePost(app, '/cases/:caseId/withdraw', ['subject'], async (c) => {
    const caseId = pathId(c, 'caseId');
    const done = await callApi<CaseView>(app, c, 'POST', `/v1/cases/${caseId}/withdraw`);
    if (!done.ok) return casePage(c, caseId, refusedStatus(done.status), { withdraw: { values: {}, errors: [], message: done.detail } });
    return c.redirect(`/cases/${caseId}?done=withdrawn`, 303);
  });
}
