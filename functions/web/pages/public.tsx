import type { Hono } from 'hono';
import { roles } from '../../../shared/auth/principal.js';
import { say, type Text, ENTRY_FIELD } from '../../../shared/i18n/texts.js';
import { day, lastDay } from './subject-views.js';
import { agencyName, listTypeName } from '../../../shared/policy/policy-book.js';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../api/context.js';
import { callApi } from '../api-call.js';
import { ErrorSummary, Field, PostForm, type FormState } from '../forms.js';
import { render, tr } from '../layout.js';
import { endSession, homeOf, secondsLeft, startSession } from '../session.js';
import { Badge, formStateOf, formText, pageGet, pagePost, refusedStatus, safeNext } from './common.js';

const T = {
  searchTitle: { zh: '失信名单公示查询', en: 'Search the published lists' },
  searchLabel: { zh: '主体名称，或完整的身份证号 / 统一社会信用代码', en: 'Name, or a full identity number / credit code' },
  searchButton: { zh: '查询', en: 'Search' },
  noResults: { zh: '没有符合条件的公示记录。', en: 'No published entries match.' },
  results: { zh: '查询结果', en: 'Results' },
  intro: { zh: '仅显示在公示期内的记录；证件号码已部分隐去。名单所列主体可登录后在线提出异议、更正、信用修复和复核申请。', en: 'Only entries now published are shown, with identity numbers partly hidden. Listed parties can sign in to object, request a correction, apply for credit repair or appeal online.' },
  subject: ENTRY_FIELD.subject,
  list: ENTRY_FIELD.list,
  agency: ENTRY_FIELD.agency,
  decision: ENTRY_FIELD.decisionRef,
  published: { zh: '公示期', en: 'Published' },
  underObjection: { zh: '异议审查中', en: 'Under objection' },
  more: { zh: '下一页', en: 'Next page' },
  signInTitle: { zh: '登录', en: 'Sign in' },
  localIntro: { zh: '本地运行：选择角色并填写其范围，即可获得一小时有效的本地令牌。部署后改由统一身份认证登录。', en: 'Running locally: choose a role and its scope to get a local token valid for one hour. Deployed, sign-in goes through the identity service.' },
  role: { zh: '角色', en: 'Role' },
  subjectId: { zh: '身份证号 / 统一社会信用代码（名单主体）', en: 'Identity number / credit code (listed party)' },
  agencyId: { zh: '机关代码（机关人员）', en: 'Agency id (agency staff)' },
  provinceCode: { zh: '省级行政区划代码（省级复核人员）', en: 'Province code (provincial reviewers)' },
  name: { zh: '姓名（显示用）', en: 'Name (shown on pages)' },
} satisfies Record<string, Text>;

const ROLE_NAMES: Record<string, Text> = {
  subject: { zh: '名单主体（个人或企业）', en: 'Listed party (person or company)' },
  'agency-officer': { zh: '机关经办人员', en: 'Agency officer' },
  'agency-reviewer': { zh: '机关审查人员', en: 'Agency reviewer' },
  'provincial-reviewer': { zh: '省级复核人员', en: 'Provincial reviewer' },
  partner: { zh: '联合惩戒合作单位', en: 'Enforcement partner' },
  auditor: { zh: '审计人员', en: 'Auditor' },
};

interface PublicEntry {
  entryId: string;
  subject: { id: string; kind: string; name: string };
  listType: string;
  agencyId: string;
  decisionRef: string;
  listedAt?: string;
  expiresAt?: string;
  underObjection: boolean;
}


/** The public search, sign-in and sign-out. */
export function publicPages(app: Hono<AppEnv>, deps: Deps) {
  pageGet(app, '/', 'anyone', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 100);
    const cursor = c.req.query('cursor');
    const params = new URLSearchParams({ limit: '20', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    const result = await callApi<{ entries: PublicEntry[]; nextCursor?: string }>(app, c, 'GET', `/v1/public/entries?${params}`);
    const page = result.ok ? result.data : { entries: [] };
    const book = await deps.policies();
    const lang = c.get('lang');
    return render(
      c,
      200,
      T.searchTitle,
      <>
        <p>{tr(c, T.intro)}</p>
        <form method="get" action="/" role="search" class="search">
          <div class="field">
            <label for="q">{tr(c, T.searchLabel)}</label>
            <input id="q" name="q" type="search" value={q} maxlength={100} />
          </div>
          <button type="submit">{tr(c, T.searchButton)}</button>
        </form>
        <h2>{tr(c, T.results)}</h2>
        {page.entries.length === 0 ? (
          <p>{tr(c, T.noResults)}</p>
        ) : (
          <ul class="cards">
            {page.entries.map((e) => (
              <li class="card">
                <h3>
                  {e.subject.name} <span class="mono">{e.subject.id}</span>
                </h3>
                {e.underObjection ? <Badge tone="warn">{tr(c, T.underObjection)}</Badge> : null}
                <dl class="facts">
                  <div><dt>{tr(c, T.list)}</dt><dd>{say(listTypeName(book, e.listType), lang)}</dd></div>
                  <div><dt>{tr(c, T.agency)}</dt><dd>{say(agencyName(book, e.agencyId), lang)}</dd></div>
                  <div><dt>{tr(c, T.decision)}</dt><dd>{e.decisionRef}</dd></div>
                  <div><dt>{tr(c, T.published)}</dt><dd>{day(c, e.listedAt)} – {lastDay(c, e.expiresAt)}</dd></div>
                </dl>
              </li>
            ))}
          </ul>
        )}
        {result.ok && result.data.nextCursor ? <a href={`/?${new URLSearchParams({ ...(q ? { q } : {}), cursor: result.data.nextCursor })}`}>{tr(c, T.more)}</a> : null}
      </>,
    );
  });

  const signInForm = (c: Parameters<Parameters<typeof pageGet>[3]>[0], next: string, state?: FormState) => (
    <>
      <p>{tr(c, T.localIntro)}</p>
      <ErrorSummary c={c} form="login" state={state} />
      <PostForm c={c} action={`/login?next=${encodeURIComponent(next)}`} id="login">
        <Field c={c} form="login" name="role" label={T.role} type="select" required state={state} options={roles.map((r) => ({ value: r, label: ROLE_NAMES[r]! }))} />
        <Field c={c} form="login" name="subjectId" label={T.subjectId} state={state} maxLength={18} />
        <Field c={c} form="login" name="agencyId" label={T.agencyId} state={state} maxLength={64} />
        <Field c={c} form="login" name="provinceCode" label={T.provinceCode} state={state} maxLength={6} />
        <Field c={c} form="login" name="name" label={T.name} state={state} maxLength={100} />
        <button type="submit">{tr(c, T.signInTitle)}</button>
      </PostForm>
    </>
  );

  pageGet(app, '/login', 'anyone', (c) => {
    const next = safeNext(c.req.query('next'), '');
    if (!deps.local) return deps.signIn ? deps.signIn.begin(c, next) : render(c, 503, T.signInTitle, <p>Sign-in is not configured.</p>);
    return render(c, 200, T.signInTitle, signInForm(c, next));
  });

  if (deps.local) {
    const local = deps.local;
    pagePost(app, '/login', 'anyone', async (c, form) => {
      const next = safeNext(c.req.query('next'), '');
      const body = Object.fromEntries(['role', 'subjectId', 'agencyId', 'provinceCode', 'name'].map((k) => [k, formText(form, k).trim()]).filter(([, v]) => v !== ''));
      const issued = await callApi<{ token: string }>(app, c, 'POST', '/_local/token', body);
      if (!issued.ok) return render(c, refusedStatus(issued.status), T.signInTitle, signInForm(c, next, formStateOf(form, issued)));
      const principal = (await deps.verifier.verify(issued.data.token))!;
      startSession(c, issued.data.token, secondsLeft(issued.data.token, deps.clock.now()));
      return c.redirect(next || homeOf(principal.role), 303);
    });

    /** Local only (API.md): signs the browser in with a token a test already holds. */
    app.get('/_local/login', async (c) => {
      const token = c.req.query('token') ?? '';
      const principal = await deps.verifier.verify(token);
      if (!principal) return render(c, 400, T.signInTitle, <p>The token is invalid or expired.</p>);
      startSession(c, token, secondsLeft(token, deps.clock.now()));
      return c.redirect(safeNext(c.req.query('next'), homeOf(principal.role)), 303);
    });
  }

  pagePost(app, '/logout', 'anyone', (c) => {
    endSession(c);
    // On AWS the hosted UI keeps a session of its own; left alone, the next sign-in would pass straight through it.
    return c.redirect(deps.signIn?.signOutUrl?.() ?? '/', 303);
  });

}
