import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { MAX_EVIDENCE_BYTES } from '../../shared/evidence/evidence-files.js';
import { render, tr } from './layout.js';
import { limitTokenUse, type TooMany } from '../api/rate-limit.js';
import type { Deps } from '../deps.js';
import type { AppEnv } from '../api/context.js';
import { assetRoutes } from './assets.js';
import { pageSession } from './session.js';
import { publicPages } from './pages/public.js';
import { subjectPages } from './pages/subject.js';
import { reviewerPages, workbenchPage } from './pages/reviewer.js';
import { dashboardPage } from './pages/dashboard.js';
import { SIGN_IN_CALLBACK_PATH } from './sign-in.js';
import { UI } from './ui-text.js';

/** Every path the browser interface answers; the JSON API stays under /v1 with bearer tokens only. */
export const PAGE_PATHS = ['/', '/login', '/logout', '/me', '/entries/*', '/cases/*', '/queue', '/dashboard', '/evidence/*', '/web/*', '/auth/*', '/_local/login'] as const;

/**
 * Forms that carry evidence files when the browser runs no script (with a
 * script, files go straight to storage and the form names them). Two full-size
 * files and the fields fit; on AWS, API Gateway's own 10 MB limit is lower.
 */
const FILE_FORM_ROUTES = ['/entries/:entryId/cases', '/cases/:caseId/supplement'];
const FILE_FORMS = new RegExp(`^(?:${FILE_FORM_ROUTES.map((r) => r.replace(/:\w+/g, '[^/]+')).join('|')})$`);
const MAX_FORM_BYTES = 2 * MAX_EVIDENCE_BYTES + 64 * 1024;
export const carriesFiles = (path: string) => FILE_FORMS.test(path);

const tooManyPage: TooMany = (c, seconds) => render(c, 429, UI.tooManyRequests, <p>{tr(c, { zh: `请在 ${seconds} 秒后重试。`, en: `Please try again in ${seconds} seconds.` })}</p>);

/** The web interface, server-rendered by the same app as the API (API.md, Pages). */
export function webRoutes(app: Hono<AppEnv>, deps: Deps) {
  assetRoutes(app);
  for (const path of PAGE_PATHS) {
    // Cookies are for pages only, and a page's form must come from this site (Origin checked, then the CSRF token).
    app.use(path, csrf(), pageSession(deps.verifier));
  }
  // Signing in with a token is token use, limited per address; the local sign-in form is limited by the token issuance it calls.
  const signInPaths = [...(deps.local ? ['/_local/login'] : []), ...(deps.signIn ? [SIGN_IN_CALLBACK_PATH] : [])];
  for (const path of signInPaths) app.use(path, limitTokenUse(deps, tooManyPage));
  const limitForm = bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => render(c, 413, { zh: '文件过大', en: 'Files too large' }, <p>{`${MAX_FORM_BYTES} bytes`}</p>) });
  for (const path of FILE_FORM_ROUTES) app.post(path, limitForm);
  publicPages(app, deps);
  subjectPages(app, deps);
  reviewerPages(app, deps);
  workbenchPage(app);
  dashboardPage(app, deps);
  deps.signIn?.routes(app);
}
