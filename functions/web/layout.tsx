import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Principal } from '../../shared/auth/principal.js';
import { say, type Lang, type Text } from '../../shared/i18n/texts.js';
import type { AppEnv } from '../api/context.js';
import { CSRF_FIELD } from './session.js';
import { UI } from './ui-text.js';

/** Renders a text in the page's language. */
export const tr = (c: Context<AppEnv>, text: Text) => say(text, c.get('lang'));

/** The URL of this page in the other language. */
function otherLangUrl(c: Context<AppEnv>, other: Lang): string {
  const url = new URL(c.req.url);
  url.searchParams.set('lang', other);
  return `${url.pathname}${url.search}`;
}

function Nav({ c, principal }: { c: Context<AppEnv>; principal: Principal | undefined }) {
  const t = (x: Text) => tr(c, x);
  const links: Array<[string, Text]> = [['/', UI.search]];
  if (principal?.role === 'subject') links.push(['/me', UI.myEntries]);
  if (principal?.role === 'agency-reviewer' || principal?.role === 'provincial-reviewer') links.push(['/queue', UI.queue]);
  if (principal && ['agency-reviewer', 'provincial-reviewer', 'auditor'].includes(principal.role)) links.push(['/dashboard', UI.dashboard]);
  const here = c.req.path;
  const lang = c.get('lang');
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <nav aria-label={t(UI.mainNav)}>
      <ul class="nav">
        {links.map(([href, label]) => (
          <li>
            <a href={href} aria-current={here === href ? 'page' : undefined}>
              {t(label)}
            </a>
          </li>
        ))}
        <li class="nav-end">
          <a href={otherLangUrl(c, other)} lang={other} hreflang={other}>
            {t(UI.otherLang)}
          </a>
        </li>
        {principal ? (
          <li>
            <form method="post" action="/logout" class="inline">
              <CsrfField c={c} />
              <span class="who">
                {t(UI.signedInAs)}: {principal.name ?? principal.id}
              </span>{' '}
              <button type="submit" class="link">
                {t(UI.signOut)}
              </button>
            </form>
          </li>
        ) : (
          <li>
            <a href="/login">{t(UI.signIn)}</a>
          </li>
        )}
      </ul>
    </nav>
  );
}

export const CsrfField = ({ c }: { c: Context<AppEnv> }) => <input type="hidden" name={CSRF_FIELD} value={c.get('csrf')} />;

/** Every page: one h1 in `main`, a skip link, the navigation, the language switch, the CSRF token for scripts. */
export function Page({ c, title, children }: { c: Context<AppEnv>; title: Text | string; children: Child }) {
  const heading = typeof title === 'string' ? title : tr(c, title);
  return (
    <html lang={c.get('lang')}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={c.get('csrf')} />
        <title>{`${heading} · ${tr(c, UI.siteName)}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {tr(c, UI.skip)}
        </a>
        <header class="site">
          <p class="brand">
            <a href="/">{tr(c, UI.siteName)}</a>
          </p>
          <Nav c={c} principal={c.get('principal')} />
        </header>
        <main id="main" tabindex={-1}>
          <h1>{heading}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A whole page as the response, with its status. */
export function render(c: Context<AppEnv>, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503, title: Text | string, body: Child) {
  c.status(status);
  return c.html(html`<!doctype html>${<Page c={c} title={title}>{body}</Page>}`);
}
