import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Text } from '../../shared/i18n/texts.js';
import type { FieldError } from '../../shared/platform/errors.js';
import type { AppEnv } from '../api/context.js';
import { CsrfField, tr } from './layout.js';
import { UI } from './ui-text.js';

/**
 * The API names what is wrong with a field in English; the page says the
 * common ones in the reader's language, and the rest as the API put them.
 */
const MESSAGES_ZH: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^must not be empty$/, () => '不能为空'],
  [/^at most (\d+) characters$/, (m) => `不能超过${m[1]}个字`],
  [/^Invalid option: expected one of/, () => '请从列表中选择'],
  [/^Invalid input: expected (string|number|boolean), received undefined$/, () => '必填'],
  [/^at least (\d+)$/, (m) => `不能小于${m[1]}`],
  [/^a whole number of working days$/, () => '请填写整数个工作日'],
];
export function fieldMessage(c: Context<AppEnv>, message: string): string {
  if (c.get('lang') === 'en') return message;
  for (const [pattern, say] of MESSAGES_ZH) {
    const m = message.match(pattern);
    if (m) return say(m);
  }
  return message;
}

/** What a form shows after a refused submission: the values given and the error of each field. */
export interface FormState {
  values: Record<string, string>;
  errors: FieldError[];
  /** A refusal that names no field (a conflict, a rule): shown above the form. */
  message?: string;
}


/** The id of a field's element, from its name (names are the API's field paths, e.g. requestedCorrection.value). */
export const fieldId = (form: string, name: string) => `${form}-${name.replace(/[^\w-]/g, '-')}`;

/** The errors the API named for a field: its own path, or any path under it (evidence.0.sha256 belongs to evidence). */
const errorsOf = (state: FormState | undefined, name: string) => (state?.errors ?? []).filter((e) => e.path === name || e.path.startsWith(`${name}.`));

interface FieldProps {
  c: Context<AppEnv>;
  form: string;
  name: string;
  label: Text;
  state?: FormState;
  hint?: Text;
  required?: boolean;
  type?: 'text' | 'number' | 'date' | 'textarea' | 'select' | 'file' | 'checkbox';
  options?: Array<{ value: string; label: Text }>;
  value?: string;
  multiple?: boolean;
  accept?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  rows?: number;
}

/** One labelled field, its hint, and its errors next to it, tied together for screen readers. */
export function Field(p: FieldProps) {
  const id = fieldId(p.form, p.name);
  const errors = errorsOf(p.state, p.name);
  const value = p.state?.values[p.name] ?? p.value ?? '';
  const describedBy = [p.hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: p.name, required: p.required, 'aria-invalid': errors.length ? 'true' : undefined, 'aria-describedby': describedBy };
  let control: Child;
  switch (p.type ?? 'text') {
    case 'textarea':
      control = <textarea {...common} rows={p.rows ?? 5} maxlength={p.maxLength}>{value}</textarea>;
      break;
    case 'select':
      control = (
        <select {...common}>
          {(p.options ?? []).map((o) => (
            <option value={o.value} selected={o.value === value}>
              {tr(p.c, o.label)}
            </option>
          ))}
        </select>
      );
      break;
    case 'checkbox':
      control = <input {...common} type="checkbox" value="true" checked={value === 'true'} />;
      break;
    case 'file':
      control = <input {...common} type="file" multiple={p.multiple} accept={p.accept} data-evidence="" />;
      break;
    default:
      control = <input {...common} type={p.type ?? 'text'} value={value} min={p.min} max={p.max} maxlength={p.maxLength} />;
  }
  return (
    <div class={`field${errors.length ? ' has-error' : ''}${p.type === 'checkbox' ? ' checkbox' : ''}`}>
      <label for={id}>
        {tr(p.c, p.label)}
        {p.required ? <span class="req"> ({tr(p.c, UI.required)})</span> : null}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {tr(p.c, p.hint)}
        </p>
      ) : null}
      {errors.length ? (
        <p class="error" id={`${id}-error`}>
          {errors.map((e) => fieldMessage(p.c, e.message)).join('; ')}
        </p>
      ) : null}
      {control}
    </div>
  );
}

/** The top of a refused form: what went wrong, with links to each field, focused by the script. */
export function ErrorSummary({ c, form, state }: { c: Context<AppEnv>; form: string; state?: FormState }) {
  if (!state || (state.errors.length === 0 && !state.message)) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} data-error-summary="">
      <p>
        <strong>{tr(c, UI.formHasErrors)}</strong>
      </p>
      {state.message ? <p>{state.message}</p> : null}
      <ul>
        {state.errors.map((e) => (
          <li>
            <a href={`#${fieldId(form, e.path.split('.')[0] === 'evidence' ? 'evidence' : e.path)}`}>
              {fieldMessage(c, e.message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A POST form with its CSRF token. */
export function PostForm({ c, action, id, children, multipart, upload }: { c: Context<AppEnv>; action: string; id: string; children: Child; multipart?: boolean; upload?: boolean }) {
  return (
    <form method="post" action={action} id={id} enctype={multipart ? 'multipart/form-data' : undefined} data-upload={upload ? '' : undefined} novalidate>
      <CsrfField c={c} />
      {children}
    </form>
  );
}
