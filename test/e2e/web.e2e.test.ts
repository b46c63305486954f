import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type TokenRequest } from '../support/api-client.js';
import { checkAccessibility, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { samplePdf, samplePng } from '../support/evidence-samples.js';
import { personId } from '../support/identities.js';
import { npmStart, type RunningSystem } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/**
 * The browser interface in real Chromium against `npm start`: a listed party
 * objects with evidence (scripting off, then on), the agency reviewer claims,
 * asks for information and decides, the party sees the decision, and the
 * provincial reviewer gets the case the agency let run out. Every page is
 * screenshotted into artifacts/screenshots and audited with axe-core.
 */
describe('the web interface in Chromium', () => {
  const AGENCY = '310000-samr';
  const PROVINCE = '310000';
  const people = { a: personId(101), b: personId(102) };
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;
  let api: ApiClient;
  let browser: Browser;
  const entries: Record<'a' | 'b', string> = { a: '', b: '' };
  const cases: Record<'a' | 'b', string> = { a: '', b: '' };
  let evidenceDir: string;

  /**
   * One token per person until the clock moves (tokens live one virtual hour):
   * token use is rate-limited per IP, and a person signing in twice needs no second token.
   */
  const tokens = new Map<string, string>();
  const tokenFor = async (who: TokenRequest) => {
    const key = JSON.stringify(who);
    if (!tokens.has(key)) tokens.set(key, await api.token(who));
    return tokens.get(key)!;
  };
  const advanceTo = async (to: string) => {
    tokens.clear();
    return api.advanceTo(to);
  };

  /** A page signed in as someone, through the local sign-in link (API.md, Pages). */
  async function signedIn(who: TokenRequest, options: { javaScript: boolean; viewport?: { width: number; height: number } }): Promise<Page> {
    const page = await newPage(browser, options);
    page.setDefaultTimeout(15_000);
    const token = await tokenFor(who);
    await page.goto(`${sys.url}/_local/login?token=${encodeURIComponent(token)}`);
    return page;
  }

  /** Screenshot and accessibility audit of the page as it is now: no violation is accepted. */
  async function capture(page: Page, name: string) {
    await screenshot(page, name);
    const report = await checkAccessibility(page, name);
    expect(report.violations, `${name}: ${JSON.stringify(report.violations, null, 1)}`).toEqual([]);
  }

  const propose = async (subjectId: string, name: string) => {
    const token = await tokenFor({ role: 'agency-officer', agencyId: AGENCY });
    const res = await api.call('POST', '/v1/listings', {
      token,
      body: {
        subject: { id: subjectId, kind: 'person', name, email: `${subjectId}@example.cn`, mobile: '13812345678' },
        listType: 'serious-dishonesty',
        facts: '拖欠劳动者工资达六个月，经责令改正仍未支付。',
        legalBasis: '《劳动保障监察条例》第二十六条',
        measures: ['限制参与政府采购', '限制获得财政补贴'],
        decisionRef: '沪市监罚〔2026〕88号',
        decisionDate: '2026-08-03',
      },
    });
    expect(res.status).toBe(201);
    return res.body.entryId as string;
  };

  beforeAll(async () => {
    data = await tempDataDir();
    process.env.CLOCK_START = '2026-08-10T01:00:00Z';
    [sys, browser] = await Promise.all([npmStart(data.dir), launchBrowser()]);
    delete process.env.CLOCK_START;
    api = new ApiClient(sys.url);
    evidenceDir = data.dir;
    await writeFile(join(evidenceDir, '工资支付凭证.png'), samplePng([20, 120, 60]));
    await writeFile(join(evidenceDir, 'bank-statement.pdf'), samplePdf('bank statement'));
    entries.a = await propose(people.a, '李四');
    entries.b = await propose(people.b, '王五');
    // The representation window (to 2026-08-24) passes: both are listed.
    await advanceTo('2026-08-26T02:00:00Z');
  });
  afterAll(async () => {
    await browser?.close();
    sys?.kill();
    await data?.remove();
  });

  it('shows the public search with masked ids, in Chinese and in English', async () => {
    const page = await newPage(browser, { javaScript: false });
    await page.goto(`${sys.url}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.locator('.card').count()).toBe(2);
    const text = await page.locator('main').innerText();
    expect(text).toContain('李四');
    expect(text).not.toContain(people.a);
    expect(text).toContain(`${people.a.slice(0, 4)}**********${people.a.slice(-4)}`);
    await capture(page, 'public-search-zh');
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Search the published lists');
    await capture(page, 'public-search-en');
    await page.goto(`${sys.url}/login`);
    expect(await page.getByLabel('Role').count()).toBe(1);
    await capture(page, 'sign-in-en');
    await page.close();
  });

  it('lets a listed party object with evidence with scripting off', async () => {
    const page = await signedIn({ role: 'subject', subjectId: people.a, name: '李四' }, { javaScript: false });
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(await page.locator('main').innerText()).toContain('提出异议');
    await capture(page, 'subject-my-entries');
    await page.getByRole('link', { name: '严重失信主体名单' }).click();
    await capture(page, 'subject-entry');

    const form = page.locator('#file-objection');
    await page.locator('#file-objection-panel > summary').click();
    // Submitted empty: refused, nothing filed, the error beside the field.
    await form.getByRole('button', { name: '提交申请' }).click();
    expect(await page.locator('#file-objection-grounds-error').innerText()).not.toBe('');
    await expect.poll(async () => (await api.call('GET', `/v1/entries/${entries.a}`, { token: await tokenFor({ role: 'subject', subjectId: people.a, name: '李四' }) })).body.cases.length).toBe(0);
    await capture(page, 'subject-entry-form-error');

    await form.getByLabel('事实与理由').fill('工资已于2026年8月1日全额支付，附银行转账凭证。');
    await form.getByLabel(/证据材料/).setInputFiles([join(evidenceDir, '工资支付凭证.png'), join(evidenceDir, 'bank-statement.pdf')]);
    await form.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/cases\/cas_/);
    cases.a = new URL(page.url()).pathname.split('/')[2]!;
    const main = await page.locator('main').innerText();
    expect(main).toContain('已提交');
    expect(main).toContain('工资支付凭证.png');
    expect(main).toContain('bank-statement.pdf');
    expect(main).toMatch(/剩余 \d+ 个工作日/);
    await capture(page, 'subject-case-filed');
    await page.close();
  });

  it('uploads evidence with a progress bar when scripting is on', async () => {
    const page = await signedIn({ role: 'subject', subjectId: people.b, name: '王五' }, { javaScript: true });
    await page.goto(`${sys.url}/entries/${entries.b}`);
    await page.locator('#file-objection-panel > summary').click();
    const form = page.locator('#file-objection');
    await form.getByLabel('事实与理由').fill('本人从未在该公司任职，系同名同姓。');
    await form.getByLabel(/证据材料/).setInputFiles(join(evidenceDir, 'bank-statement.pdf'));
    const bar = form.locator('.uploads progress');
    await expect.poll(() => bar.count()).toBe(1);
    await expect.poll(() => form.locator('input[name=evidenceRef]').count(), { timeout: 10_000 }).toBe(1);
    expect(await bar.evaluate((p: { value: number; max: number }) => p.value === p.max && p.max > 0)).toBe(true);
    expect(await form.locator('.uploads').innerText()).toContain('已上传');
    await capture(page, 'subject-entry-upload-progress');
    await form.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL(/\/cases\/cas_/);
    cases.b = new URL(page.url()).pathname.split('/')[2]!;
    expect(await page.locator('main').innerText()).toContain('bank-statement.pdf');
    await page.close();
  });

  it('lets the agency reviewer claim the case, ask for information and decide, with scripting off', async () => {
    const reviewer = { role: 'agency-reviewer', agencyId: AGENCY, name: '审查员甲' } as const;
    const page = await signedIn(reviewer, { javaScript: false });
    expect(new URL(page.url()).pathname).toBe('/queue');
    const queue = await page.locator('main').innerText();
    expect(queue).toContain('李四');
    expect(queue).toContain('王五');
    expect(queue).toMatch(/剩余 \d+ 个工作日/);
    await capture(page, 'reviewer-queue');

    await page.goto(`${sys.url}/cases/${cases.a}`);
    const main = page.locator('main');
    expect(await main.innerText()).toContain('工资已于2026年8月1日全额支付');
    // The evidence is shown in the page: the image loads from the case's own evidence route.
    const image = main.locator('img').first();
    await expect.poll(() => image.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0)).toBe(true);
    await capture(page, 'reviewer-workbench');

    await page.locator('#claim').getByRole('button', { name: '认领本案' }).click();
    await page.waitForURL(/done=/);
    await page.locator('details', { has: page.locator('#request-info') }).locator('summary').click();
    await page.locator('#request-info').getByLabel(/需要补正的材料/).fill('银行转账回单原件扫描件\n劳动者签收确认书');
    await page.locator('#request-info').getByRole('button', { name: '发送补正要求' }).click();
    await page.waitForURL(/done=/);
    await capture(page, 'reviewer-workbench-info-requested');
    await page.close();

    // The party answers the request on the case page.
    const party = await signedIn({ role: 'subject', subjectId: people.a, name: '李四' }, { javaScript: false });
    await party.goto(`${sys.url}/cases/${cases.a}`);
    expect(await party.locator('main').innerText()).toContain('劳动者签收确认书');
    await capture(party, 'subject-case-info-request');
    await party.locator('#supplement').getByLabel('补正说明').fill('已附转账回单及签收确认书。');
    await party.locator('#supplement').getByLabel(/证据材料/).setInputFiles(join(evidenceDir, 'bank-statement.pdf'));
    await party.locator('#supplement').getByRole('button', { name: '提交补正材料' }).click();
    await party.waitForURL(/done=supplemented/);
    await party.close();

    const again = await signedIn(reviewer, { javaScript: false });
    await again.goto(`${sys.url}/cases/${cases.a}`);
    const decide = again.locator('#decide');
    // Reasons left out: refused beside the field, nothing decided.
    await decide.getByLabel('审查结论').selectOption('rejected');
    await decide.getByRole('button', { name: '提交决定' }).click();
    expect(await again.locator('#decide-reasons-error').innerText()).not.toBe('');
    await capture(again, 'reviewer-workbench-decision-error');
    await again.locator('#decide').getByLabel(/决定理由/).fill('转账回单显示的收款人与劳动者不符，异议不成立。');
    await again.locator('#decide').getByRole('button', { name: '提交决定' }).click();
    await again.waitForURL(/done=/);
    await again.close();
  });

  it('shows the party the decision with its reasons and the appeal with its closing date', async () => {
    const page = await signedIn({ role: 'subject', subjectId: people.a, name: '李四' }, { javaScript: true });
    await page.goto(`${sys.url}/cases/${cases.a}`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('不成立');
    expect(main).toContain('转账回单显示的收款人与劳动者不符');
    expect(main).toMatch(/可于2026年\d+月\d+日前向省级信用主管部门申请复核/);
    expect(await page.locator('#appeal-panel summary').innerText()).toMatch(/申请复核 \(截止 2026年\d+月\d+日\)/);
    await capture(page, 'subject-case-decided');
    await page.setViewportSize({ width: 375, height: 812 });
    await screenshot(page, 'subject-case-decided-phone');
    await page.close();
  });

  it('gives the provincial reviewer the case the agency let run out', async () => {
    // Case B was never decided: its 5 working days pass and it escalates to the province.
    await advanceTo('2026-09-10T02:00:00Z');
    const page = await signedIn({ role: 'provincial-reviewer', provinceCode: PROVINCE, name: '省级复核员' }, { javaScript: true });
    expect(new URL(page.url()).pathname).toBe('/queue');
    const queue = await page.locator('main').innerText();
    expect(queue).toContain('王五');
    expect(queue).toContain('已提交省级');
    expect(queue).not.toContain('李四');
    await capture(page, 'provincial-queue');
    await page.goto(`${sys.url}/cases/${cases.b}`);
    expect(await page.locator('main').innerText()).toContain('本人从未在该公司任职');
    await capture(page, 'provincial-workbench');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${sys.url}/queue`);
    await capture(page, 'provincial-queue-phone');
    await page.close();
  });

  it('draws the dashboard as charts for the agency reviewer and the auditor', async () => {
    for (const [who, name] of [[{ role: 'agency-reviewer', agencyId: AGENCY, name: '审查员甲' }, 'dashboard-agency'], [{ role: 'auditor', name: '审计员' }, 'dashboard-auditor']] as const) {
      const page = await signedIn(who, { javaScript: false });
      await page.goto(`${sys.url}/dashboard`);
      expect(await page.locator('svg[role="img"]').count()).toBe(4);
      // One case decided on time by the agency, one escalated: the figures the charts draw.
      expect(await page.locator('main').innerText()).toContain('上海市市场监督管理局');
      await capture(page, name);
      await page.setViewportSize({ width: 375, height: 812 });
      await capture(page, `${name}-phone`);
      await page.close();
    }
  });
});
