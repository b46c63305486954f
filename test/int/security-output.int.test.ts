import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { PageClient } from '../support/page-client.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * Hostile text in the places people type it (names, facts, grounds, questions,
 * reasons) renders inert on every page that shows it, and the pages carry the
 * headers and cookies that keep a script from running or a form from being forged.
 */
const SAMR = '310000-samr';
const A = personId(90);
const PAYLOADS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', '" onmouseover="alert(1)', "'><svg onload=alert(1)>", 'javascript:alert(1)'];
const hostile = (label: string) => `${label} ${PAYLOADS.join(' ')}`;

/** No payload survives as markup: no script element, no event-handler attribute, no javascript: link of ours. */
function expectInert(html: string, where: string) {
  expect(html, where).not.toMatch(/<script>alert/i);
  expect(html, where).not.toMatch(/<img src=x/i);
  expect(html, where).not.toMatch(/<svg onload/i);
  // An event-handler attribute inside a real tag (escaped text has no tag around it).
  expect(html, where).not.toMatch(/<[a-z][^<>]*\son[a-z]+\s*=/i);
  expect(html, where).not.toMatch(/href="javascript:/i);
}

describe('hostile input renders inert; pages carry their protective headers', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  let entryId: string;
  let caseId: string;

  beforeAll(async () => {
    data = await tempDataDir('security-output-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date('2026-08-17T10:00:00+08:00') });
    api = new ApiClient(sys.url);
    const officer = await api.token({ role: 'agency-officer', agencyId: SAMR });
    const proposed = await api.call('POST', '/v1/listings', {
      token: officer,
      body: { subject: { id: A, kind: 'person', name: hostile('周甲'), email: 'a@example.cn' }, listType: 'serious-dishonesty', facts: hostile('事实'), legalBasis: hostile('依据'), measures: [hostile('措施')], decisionRef: '沪市监处〔2026〕501号', decisionDate: '2026-08-10' },
    });
    expect(proposed.status).toBe(201);
    entryId = proposed.body.entryId;
    await api.advanceTo('2026-09-01T09:00:00+08:00');
    const subject = await api.token({ role: 'subject', subjectId: A });
    const filed = await api.call('POST', '/v1/cases', { token: subject, body: { kind: 'objection', entryId, grounds: hostile('理由') } });
    expect(filed.status).toBe(201);
    caseId = filed.body.caseId;
    const reviewer = await api.token({ role: 'agency-reviewer', agencyId: SAMR, name: 'r1' });
    expect((await api.call('POST', `/v1/cases/${caseId}/request-info`, { token: reviewer, body: { questions: [hostile('问题')] } })).status).toBe(200);
  });
  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('shows names, facts, grounds and questions as text on every page', async () => {
    const party = await PageClient.signedIn(sys.url, await api.token({ role: 'subject', subjectId: A }));
    const reviewer = await PageClient.signedIn(sys.url, await api.token({ role: 'agency-reviewer', agencyId: SAMR, name: 'r1' }));
    const pages: Array<[PageClient | undefined, string]> = [
      [undefined, '/'],
      [party, '/me'],
      [party, `/entries/${entryId}`],
      [party, `/cases/${caseId}`],
      [reviewer, '/queue'],
      [reviewer, `/cases/${caseId}`],
      [reviewer, `/entries/${entryId}`],
    ];
    for (const [client, path] of pages) {
      const { status, html } = client ? await client.page(path) : { status: (await fetch(sys.url + path)).status, html: await (await fetch(sys.url + path)).text() };
      expect(status, path).toBe(200);
      expectInert(html, path);
      // The text is there, escaped, not dropped (the party's own list shows list names, not theirs).
      if (path !== '/me') expect(html, path).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    }
  });

  it('answers JSON as JSON, never as a page a browser would run', async () => {
    const token = await api.token({ role: 'subject', subjectId: A });
    const res = await fetch(`${sys.url}/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<script>alert'); // data, untouched, in a type no browser renders
  });

  it('serves pages under a strict CSP, and sessions in HttpOnly SameSite=Strict cookies', async () => {
    const res = await fetch(`${sys.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const token = await api.token({ role: 'subject', subjectId: A });
    const login = await fetch(`${sys.url}/_local/login?token=${token}`, { redirect: 'manual' });
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('dp_session='))!;
    const csrf = cookies.find((c) => c.startsWith('dp_csrf='))!;
    for (const cookie of [session, csrf]) {
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    }
  });

  it('refuses a form posted from another site, even with a session', async () => {
    const party = await PageClient.signedIn(sys.url, await api.token({ role: 'subject', subjectId: A }));
    const page = await party.page(`/cases/${caseId}`);
    const csrf = page.html.match(/name="_csrf" value="([^"]+)"/)![1]!;
    // A forged cross-site form: the browser sends its own Origin; the token alone is not enough.
    const forged = await fetch(`${sys.url}/cases/${caseId}/withdraw`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: `dp_csrf=${party.csrf}` }, body: new URLSearchParams({ _csrf: csrf }) });
    expect(forged.status).toBe(403);
    const token = await api.token({ role: 'subject', subjectId: A });
    expect((await api.call('GET', `/v1/cases/${caseId}`, { token })).body.status).toBe('awaiting-info');
  });

  it('lists a queue without the record: no grounds or evidence, the subject id masked (the full record is read, and recorded, on the case)', async () => {
    const reviewer = await api.token({ role: 'agency-reviewer', agencyId: SAMR, name: 'r1' });
    const [item] = (await api.call('GET', '/v1/queues/agency', { token: reviewer })).body.cases;
    expect(item.caseId).toBe(caseId);
    expect(item).not.toHaveProperty('grounds');
    expect(item).not.toHaveProperty('evidence');
    expect(item).not.toHaveProperty('timeline');
    expect(item.entry.subjectId).toBe(`${A.slice(0, 4)}**********${A.slice(-4)}`);
    expect(JSON.stringify(item)).not.toContain(A);
  });
});

