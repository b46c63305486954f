import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { company } from '../support/domain.js';
import { personId } from '../support/identities.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * What anyone may read without signing in, the public search (JSON and page)
 * and a repair certificate (JSON and page), shows a listed party's identity
 * number or credit code only masked, and never their mobile or email. Entries
 * are proposed on Tuesday 2026-09-01 and listed at 24:00 on 09-15.
 */

const START = '2026-09-01T10:00:00+08:00';
const SAMR = '310000-samr';
const PERSON = { id: personId(96), kind: 'person', name: '钱公示', email: 'qian.public@example.cn', mobile: '13712345096' };
const COMPANY = { ...company, name: '上海公示贸易有限公司', email: 'legal.public@example.cn', mobile: '15912345096' };
const at = (shanghai: string) => `${shanghai}+08:00`;
const masked = (id: string) => `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;

/** Fails naming the first full identifier, mobile or email of either party found in `text`. */
function expectNothingPersonal(text: string, where: string) {
  for (const party of [PERSON, COMPANY]) {
    for (const secret of [party.id, party.mobile, party.email, party.email.split('@')[0]!]) expect(text, `${where} shows ${secret}`).not.toContain(secret);
  }
}

describe('public views show no full identifier and no contact details', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const entries = {} as Record<'person' | 'company', string>;

  const as = (request: TokenRequest) => api.token(request);
  const publicJson = async (query: string) => {
    const res = await fetch(`${sys.url}/v1/public/entries${query}`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    data = await tempDataDir('public-privacy-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const officer = await as({ role: 'agency-officer', agencyId: SAMR });
    for (const [key, subject, ref] of [['person', PERSON, '396'], ['company', COMPANY, '397']] as const) {
      const res = await api.call('POST', '/v1/listings', {
        token: officer,
        // A year has passed since the decision, so a repair may be applied for once listed.
        body: { subject, listType: 'serious-dishonesty', facts: '拒不缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2025〕${ref}号`, decisionDate: '2025-06-01' },
      });
      expect(res.status).toBe(201);
      entries[key] = res.body.entryId;
    }
    await api.advanceTo(at('2026-09-16T10:00:00'));
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('the public search, by name, by full identifier and unfiltered, and its page', async () => {
    const byId = JSON.parse(await publicJson(`?q=${PERSON.id}`));
    // The entry is found and shown, masked: the check below is not passing on an empty answer.
    expect(byId.entries).toEqual([expect.objectContaining({ entryId: entries.person, subject: { id: masked(PERSON.id), kind: 'person', name: PERSON.name } })]);
    expect(byId.entries[0]).not.toHaveProperty('subject.email');
    const byCode = JSON.parse(await publicJson(`?q=${COMPANY.id}`));
    expect(byCode.entries).toEqual([expect.objectContaining({ entryId: entries.company, subject: { id: masked(COMPANY.id), kind: 'organization', name: COMPANY.name } })]);
    for (const query of [`?q=${PERSON.id}`, `?q=${COMPANY.id}`, `?q=${encodeURIComponent('公示')}`, '']) expectNothingPersonal(await publicJson(query), `GET /v1/public/entries${query}`);

    for (const q of [PERSON.id, '公示', '']) {
      const query = q ? `?q=${encodeURIComponent(q)}` : '';
      const page = await fetch(`${sys.url}/${query}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html, `/${query}`).toContain(masked(PERSON.id));
      // The page gives the searcher back what they typed, in the search box and the language link, and nowhere else.
      expectNothingPersonal(html.replaceAll(`value="${q}"`, '').replaceAll(`/${query}&amp;lang=`, ''), `/${query}`);
    }
  });

  it('a repair certificate, as JSON and as its page', async () => {
    const filed = await api.call('POST', '/v1/cases', { token: await as({ role: 'subject', subjectId: PERSON.id }), body: { kind: 'repair', entryId: entries.person, grounds: '罚款已全额缴纳', commitment: true } });
    expect(filed.status).toBe(201);
    const approved = await api.call('POST', `/v1/cases/${filed.body.caseId}/decision`, { token: await as({ role: 'agency-reviewer', agencyId: SAMR }), body: { outcome: 'upheld', reasons: '罚款已缴纳，作出信用承诺' } });
    expect(approved.status).toBe(200);
    const code = approved.body.decision.certificate as string;

    const json = await fetch(`${sys.url}/v1/certificates/${code}`);
    expect(json.status).toBe(200);
    const body = await json.text();
    expect(JSON.parse(body)).toMatchObject({ code, valid: true, subject: { id: masked(PERSON.id), name: PERSON.name } });
    expectNothingPersonal(body, `GET /v1/certificates/${code}`);

    const page = await fetch(`${sys.url}/verify/${code}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(masked(PERSON.id));
    expectNothingPersonal(html, `/verify/${code}`);
  });
});
