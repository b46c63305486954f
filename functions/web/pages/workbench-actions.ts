import type { Hono } from 'hono';
import type { Role } from '../../../shared/auth/principal.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';
import { callApi, PageRefusal } from '../api-call.js';
import { formStateOf, formText, pagePost, pathId, refusedStatus } from './common.js';
import { showWorkbench } from './workbench.js';
import type { FormId } from './workbench-forms.js';

type Form = Record<string, string | File | (string | File)[]>;

const REVIEWERS: readonly Role[] = ['agency-reviewer', 'provincial-reviewer'];

/** A textarea of one item per line, as the list the API takes; blank lines are no items. */
const lines = (form: Form, name: string) =>
  formText(form, name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A whole number as typed; anything else is passed on as typed, for the API to name the field. */
const wholeNumber = (text: string): number | string | undefined => (text.trim() === '' ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text);

/** Each workbench form: its page path, the JSON route it calls, what it sends, and the flash it leaves. */
const ACTIONS: ReadonlyArray<{ form: FormId; path: string; roles: readonly Role[]; done: string; body?: (form: Form) => unknown }> = [
  { form: 'claim', path: 'claim', roles: REVIEWERS, done: 'claimed' },
  { form: 'release', path: 'release', roles: REVIEWERS, done: 'released' },
  { form: 'request-info', path: 'request-info', roles: REVIEWERS, done: 'info-requested', body: (form) => ({ questions: lines(form, 'questions') }) },
  { form: 'extend', path: 'extend', roles: ['agency-reviewer'], done: 'extended', body: (form) => ({ workingDays: wholeNumber(formText(form, 'workingDays')), reason: formText(form, 'reason') }) },
  {
    form: 'decide',
    path: 'decision',
    roles: REVIEWERS,
    done: 'decided',
    body: (form) => {
      const field = formText(form, 'correction.field');
      const value = formText(form, 'correction.value');
      const missing = lines(form, 'missing');
      return {
        outcome: formText(form, 'outcome') || undefined,
        reasons: formText(form, 'reasons'),
        // Either half given means a correction was meant: the API names the half that is missing.
        ...(field || value.trim() ? { correction: { field, value } } : {}),
        ...(missing.length > 0 ? { missing } : {}),
      };
    },
  },
];

/**
 * The workbench's form targets. Each calls its JSON route as the signed-in
 * reviewer; success redirects back to the case (303, so a reload sends
 * nothing again), a refusal shows the workbench again with the API's status
 * and each error beside its field.
 */
export function workbenchActions(app: Hono<AppEnv>, deps: Deps) {
  for (const action of ACTIONS) {
    pagePost(app, `/cases/:caseId/${action.path}`, action.roles, async (c, form) => {
      const caseId = pathId(c, 'caseId');
      const result = await callApi(app, c, 'POST', `/v1/cases/${caseId}/${action.path}`, action.body?.(form));
      if (result.ok) return c.redirect(`/cases/${caseId}?done=${action.done}`, 303);
      if (result.status === 401 || result.status === 403 || result.status === 404) throw new PageRefusal(result.status, result.detail);
      return showWorkbench(app, deps, c, caseId, { form: action.form, state: formStateOf(form, result), status: refusedStatus(result.status) });
    });
  }
}
