import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Role } from '../../../shared/auth/principal.js';
import type { Text } from '../../../shared/i18n/texts.js';
import { DomainError } from '../../../shared/platform/errors.js';
import { caseIdParams } from '../../../shared/schemas/cases.js';
import { sha256HexSchema } from '../../../shared/schemas/evidence.js';
import { entryIdParams } from '../../../shared/schemas/listing.js';
import type { FieldError } from '../../../shared/platform/errors.js';
import type { AppEnv } from '../../api/context.js';
import { PageRefusal, type ApiResult } from '../api-call.js';
import type { FormState } from '../forms.js';
import { render, tr } from '../layout.js';
import { csrfRefusal } from '../session.js';
import { UI } from '../ui-text.js';

type PageHandler = (c: Context<AppEnv>) => Promise<Response> | Response;

/**
 * A path inside this site only: `next` must never send a user elsewhere. A
 * browser drops tabs and newlines from a URL and reads a backslash as a slash,
 * so `/\t/evil.example` would be `//evil.example`: any of them is refused.
 */
export function safeNext(next: string | undefined, fallback: string): string {
  if (!next || !/^\/(?!\/)[^\\\x00-\x1f\x7f]*$/.test(next)) return fallback;
  // Read as a browser reads it, against a stand-in origin: anything that leaves it is refused.
  const base = 'https://site.invalid';
  const url = new URL(next, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

/** The ids a page path may carry, checked by the same schemas as the API's paths. */
const PATH_IDS = { entryId: entryIdParams.shape.entryId, caseId: caseIdParams.shape.caseId, sha256: sha256HexSchema } as const;

/** An id from the page's path, well-formed, or the page is not found (it is put into the API path as it is). */
export function pathId(c: Context<AppEnv>, name: keyof typeof PATH_IDS): string {
  const id = c.req.param(name) ?? '';
  if (!PATH_IDS[name].safeParse(id).success) throw new PageRefusal(404, `No such ${name}`);
  return id;
}

/** Sends a signed-out visitor to sign in and back; a signed-in one of another role gets 403. */
function gate(c: Context<AppEnv>, roles: readonly Role[] | 'anyone'): Response | Promise<Response> | undefined {
  if (roles === 'anyone') return undefined;
  const principal = c.get('principal');
  if (!principal) {
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  if (!roles.includes(principal.role)) return render(c, 403, UI.forbidden, <p>{tr(c, UI.forbidden)}</p>);
  return undefined;
}

/** What a refusal looks like as a page rather than a problem document. */
function refusalPage(c: Context<AppEnv>, error: unknown): Response | Promise<Response> {
  const status = error instanceof PageRefusal ? error.status : error instanceof DomainError ? ({ NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHENTICATED: 401 } as Record<string, number>)[error.code] : undefined;
  if (status === 401) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  // A malformed id in the page's path (the API answers 400 naming path.*) names nothing that exists.
  if (status === 404 || status === 400) return render(c, 404, UI.notFound, <p>{tr(c, UI.notFound)}</p>);
  if (status === 403) return render(c, 403, UI.forbidden, <p>{tr(c, UI.forbidden)}</p>);
  // The API could not record this read, so it showed nothing: neither does the page.
  if (status === 503) return render(c, 503, UI.unavailable, <p>{tr(c, UI.unavailable)}</p>);
  if (status !== undefined && status >= 400 && status < 500) return render(c, refusedStatus(status), UI.formHasErrors, <p>{(error as Error).message}</p>);
  throw error;
}

/** A page for the given roles, rendering refusals (not found, forbidden) as pages. */
export function pageGet(app: Hono<AppEnv>, path: string, roles: readonly Role[] | 'anyone', handler: PageHandler) {
  app.get(path, async (c) => {
    const refused = gate(c, roles);
    if (refused) return refused;
    try {
      return await handler(c);
    } catch (error) {
      return refusalPage(c, error);
    }
  });
}

/**
 * A form's target: sign-in and role checked, the CSRF token matched, the
 * form parsed (urlencoded or multipart) and handed over. A forged or stale
 * form is refused with 403 before anything else is read.
 */
export function pagePost(app: Hono<AppEnv>, path: string, roles: readonly Role[] | 'anyone', handler: (c: Context<AppEnv>, form: Record<string, string | File | (string | File)[]>) => Promise<Response> | Response) {
  app.post(path, async (c) => {
    const refused = gate(c, roles);
    if (refused) return refused;
    let form: Record<string, string | File | (string | File)[]>;
    try {
      form = (await c.req.parseBody({ all: true })) as typeof form;
    } catch {
      return render(c, 400, UI.formHasErrors, <p>{tr(c, UI.formHasErrors)}</p>);
    }
    const csrf = await csrfRefusal(c, form);
    if (csrf) return render(c, 403, UI.forbidden, <p>{csrf}</p>);
    try {
      return await handler(c, form);
    } catch (error) {
      return refusalPage(c, error);
    }
  });
}

/** A form field's text value (the first, when sent twice). */
export const formText = (form: Record<string, unknown>, name: string): string => {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
};

/** Every text value of a repeated field. */
export const formTexts = (form: Record<string, unknown>, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

/** The values as sent, for putting back into a refused form (files and the CSRF token left out). */
export const formValues = (form: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (k === '_csrf' ? [] : typeof v === 'string' ? [[k, v]] : Array.isArray(v) && typeof v[0] === 'string' ? [[k, v.join('\n')]] : [])));

/** A refused API call as the form shows it: each named field's error beside it, anything else above. */
export function formStateOf(form: Record<string, unknown>, result: Extract<ApiResult<unknown>, { ok: false }>, rename: (path: string) => string = (p) => p): FormState {
  const errors: FieldError[] = result.errors.map((e) => ({ path: rename(e.path), message: e.message }));
  return { values: formValues(form), errors, message: errors.length === 0 ? result.detail : undefined };
}

/** The status a refused form is re-rendered with: the API's own. */
export const refusedStatus = (status: number) => ([400, 404, 409, 413, 415, 422, 429].includes(status) ? status : 400) as 400 | 404 | 409 | 413 | 415 | 422 | 429;

/** A labelled badge, e.g. working days left. */
export const Badge = ({ tone, children }: { tone: 'info' | 'warn' | 'danger' | 'ok' | 'muted'; children: Child }) => <span class={`badge badge-${tone}`}>{children}</span>;

/** A definition list of label/value rows. */
export function Facts({ c, rows }: { c: Context<AppEnv>; rows: Array<[Text, Child]> }) {
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <div>
          <dt>{tr(c, label)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
