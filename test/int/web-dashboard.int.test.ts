import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../support/rate-limits.js';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { personId } from '../support/identities.js';
import { tempDataDir } from '../support/temp-dir.js';

/*
 * The dashboard on the real local system, over HTTP on the virtual clock.
 * Representations (5 working days under cn-2026) at the Shanghai market
 * regulator (SAMR) and the Pudong one, across Mid-Autumn and National Day of
 * the official 2026 calendar: make-up Sunday 09-20, Mid-Autumn 09-25..27,
 * National Day 10-01..07, make-up Saturday 10-10. Dates counted by hand:
 *   proposed Fri 09-18; filed Mon 09-21 → deadline 22, 23, 24, 28, 29 = 09-29;
 *   a1: decided by SAMR Wed 09-23: on time, 2 working days (22, 23);
 *   a2: undecided, escalated at 24:00 on 09-29 (09-30 in Shanghai, a September escalation),
 *       decided by the province Fri 10-09: 22, 23, 24, 28, 29, 30, 10-08, 10-09 = 8 working days, late;
 *   b1: decided by Pudong Tue 09-22: on time, 1 working day;
 *   a3, b2: filed Thu 10-08 → 10-09, make-up Sat 10, 12, 13, 14 = Wed 10-14, the week of Monday 10-12; open.
 * Seen on Fri 10-09 at 11:00: the current week starts Monday 10-05.
 */

const START = '2026-09-18T10:00:00+08:00';
const SAMR = '310000-samr';
const PUDONG = '310000-pudong-samr';
const who = { a1: personId(61), a2: personId(62), a3: personId(63), b1: personId(64), b2: personId(65) };
type Who = keyof typeof who;
const at = (shanghai: string) => `${shanghai}+08:00`;
const MONTHS = ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];

describe('the review dashboard on the local system', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: LocalSystem;
  let api: ApiClient;
  const entries = {} as Record<Who, string>;
  const cases = {} as Record<Who, string>;

  const as = (request: TokenRequest) => api.token(request);
  const reviewer = (agencyId: string) => as({ role: 'agency-reviewer', agencyId, name: `审查员 ${agencyId}` });
  const stats = async (token: string) => api.call('GET', '/v1/stats/reviews', { token });
  const represent = async (w: Who) => {
    const res = await api.call('POST', '/v1/cases', { token: await as({ role: 'subject', subjectId: who[w] }), body: { kind: 'representation', entryId: entries[w], grounds: '罚款已于九月缴清' } });
    expect(res.status).toBe(201);
    cases[w] = res.body.caseId;
  };
  const decide = async (token: string, w: Who) => {
    const res = await api.call('POST', `/v1/cases/${cases[w]}/decision`, { token, body: { outcome: 'rejected', reasons: '申辩理由不成立' } });
    expect(res.status).toBe(200);
  };
  /** Signs a browser in with a token and answers the cookies it then sends. */
  const signIn = async (token: string) => {
    const res = await fetch(`${sys.url}/_local/login?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  };
  const page = async (cookie: string, path = '/dashboard') => {
    const res = await fetch(sys.url + path, { headers: { cookie } });
    return { status: res.status, html: await res.text() };
  };

  beforeAll(async () => {
    data = await tempDataDir('web-dashboard-');
    sys = await startLocalSystem({ dataDir: data.dir, port: 0, clockStart: new Date(START), rateLimits: ROOMY_RATE_LIMITS });
    api = new ApiClient(sys.url);
    const propose = async (w: Who, agencyId: string, listType: string) => {
      const res = await api.call('POST', '/v1/listings', {
        token: await as({ role: 'agency-officer', agencyId }),
        body: { subject: { id: who[w], kind: 'person', name: `当事人${w}`, email: `${w}@example.cn` }, listType, facts: '逾期未缴纳罚款', legalBasis: '《行政处罚法》第七十二条', measures: ['限制参加政府采购'], decisionRef: `沪市监处〔2026〕${w}号`, decisionDate: '2026-09-01' },
      });
      expect(res.status).toBe(201);
      entries[w] = res.body.entryId;
    };
    for (const w of ['a1', 'a2', 'a3'] as const) await propose(w, SAMR, 'serious-dishonesty');
    for (const w of ['b1', 'b2'] as const) await propose(w, PUDONG, 'penalty-general');

    await api.advanceTo(at('2026-09-21T10:00:00'));
    for (const w of ['a1', 'a2', 'b1'] as const) await represent(w);
    await api.advanceTo(at('2026-09-22T10:00:00'));
    await decide(await reviewer(PUDONG), 'b1');
    await api.advanceTo(at('2026-09-23T10:00:00'));
    await decide(await reviewer(SAMR), 'a1');
    // Past SAMR's deadline: the review timer escalates a2 to the province.
    await api.advanceTo(at('2026-09-30T00:00:01'));
    await api.advanceTo(at('2026-10-08T10:00:00'));
    for (const w of ['a3', 'b2'] as const) await represent(w);
    await api.advanceTo(at('2026-10-09T10:00:00'));
    await decide(await as({ role: 'provincial-reviewer', provinceCode: '310000' }), 'a2');
    await api.advanceTo(at('2026-10-09T11:00:00'));
    await sys.runner.whenIdle();
  });

  afterAll(async () => {
    await sys?.close();
    await data?.remove();
  });

  it('gives an agency reviewer the figures of their agency only, worked out by hand', async () => {
    const res = await stats(await reviewer(SAMR));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      // The virtual clock runs on from where it was moved to.
      asOf: expect.stringMatching(/^2026-10-09T03:00:0\d\.\d{3}Z$/),
      window: { from: '2025-11-01', to: '2026-10-09' },
      backlog: { total: 1, overdue: 0, paused: 0, weeks: [{ weekStart: '2026-10-05', open: 0 }, { weekStart: '2026-10-12', open: 1 }] },
      onTime: [{ agencyId: SAMR, onTime: 1, late: 1, rate: 0.5 }],
      timeToDecision: [{ agencyId: SAMR, decided: 2, medianWorkingDays: 5 }],
      escalations: MONTHS.map((month) => ({ month, escalated: month === '2026-09' ? 1 : 0 })),
    });
    // And Pudong's reviewer sees nothing of SAMR's.
    const pudong = (await stats(await reviewer(PUDONG))).body;
    expect(pudong.backlog).toMatchObject({ total: 1, weeks: [{ weekStart: '2026-10-05', open: 0 }, { weekStart: '2026-10-12', open: 1 }] });
    expect(pudong.onTime).toEqual([{ agencyId: PUDONG, onTime: 1, late: 0, rate: 1 }]);
    expect(pudong.timeToDecision).toEqual([{ agencyId: PUDONG, decided: 1, medianWorkingDays: 1 }]);
    expect(pudong.escalations.every((m: { escalated: number }) => m.escalated === 0)).toBe(true);
  });

  it('gives a provincial reviewer the agencies of the province, and an auditor every agency', async () => {
    const shanghai = (await stats(await as({ role: 'provincial-reviewer', provinceCode: '310000' }))).body;
    expect(shanghai.backlog.total).toBe(2);
    expect(shanghai.onTime).toEqual([
      { agencyId: '310000-court-1st-intermediate', onTime: 0, late: 0, rate: null },
      { agencyId: PUDONG, onTime: 1, late: 0, rate: 1 },
      { agencyId: SAMR, onTime: 1, late: 1, rate: 0.5 },
    ]);
    const zhejiang = (await stats(await as({ role: 'provincial-reviewer', provinceCode: '330000' }))).body;
    expect(zhejiang.backlog.total).toBe(0);
    expect(zhejiang.onTime.map((r: { agencyId: string }) => r.agencyId).sort()).toEqual(['330000-hangzhou-court', '330000-xihu-emergency', '330000-zjamr']);
    const all = (await stats(await as({ role: 'auditor' }))).body;
    expect(all.onTime).toHaveLength(6);
    expect(all.timeToDecision.filter((r: { decided: number }) => r.decided > 0)).toEqual([
      { agencyId: PUDONG, decided: 1, medianWorkingDays: 1 },
      { agencyId: SAMR, decided: 2, medianWorkingDays: 5 },
    ]);
  });

  it('refuses the statistics and the page to other roles with 403, and lists the route in the OpenAPI document', async () => {
    const subject = await as({ role: 'subject', subjectId: who.a1 });
    expect((await stats(subject)).status).toBe(403);
    expect((await api.call('GET', '/v1/stats/reviews')).status).toBe(401);
    expect((await page(await signIn(subject))).status).toBe(403);
    const doc = (await api.call('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/stats/reviews'].get['x-roles']).toEqual(['agency-reviewer', 'provincial-reviewer', 'auditor']);
  });

  it('draws the four charts as accessible SVG images with the figures, in Chinese and in English', async () => {
    const cookie = await signIn(await reviewer(SAMR));
    const zh = await page(cookie);
    expect(zh.status).toBe(200);
    expect(zh.html.match(/<svg role="img"/g)).toHaveLength(4);
    for (const id of ['backlog-chart', 'on-time-chart', 'median-chart', 'escalations-chart']) {
      expect(zh.html).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
      expect(zh.html).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
    }
    expect(zh.html.match(/<div class="visually-hidden"><table>/g)).toHaveLength(4);
    expect(zh.html).not.toMatch(/\sstyle=/);
    for (const figure of ['上海市市场监督管理局：50% (1/2)', '上海市市场监督管理局：5个工作日', '10月12日起一周：1件', '2026年9月：1件', '已逾期：0件']) expect(zh.html).toContain(figure);
    // Pudong's figures are not on SAMR's page.
    expect(zh.html).not.toContain('浦东');

    const en = await page(cookie, '/dashboard?lang=en');
    expect(en.html).toContain('<html lang="en">');
    for (const figure of ['Shanghai Administration for Market Regulation: 50% (1/2)', 'Shanghai Administration for Market Regulation: 5 days', 'week of 12 October: 1 case', 'Sept 2026: 1 case']) expect(en.html).toContain(figure);
  });
});
