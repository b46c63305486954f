import { access } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_CODE } from '../../shared/domain/identifiers.js';
import { readReports } from '../support/browser-artifacts.js';
import { checkAccessibility, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { npmStart, type RunningSystem } from '../support/local-process.js';
import { tempDataDir } from '../support/temp-dir.js';

/** The browser harness itself: real Chromium against `npm start`, with scripting off and on. */
describe('browser harness: Chromium against the running system', () => {
  // Well-formed, so the page looks it up, and issued to nobody: the "no such certificate" page.
  const unknownCode = 'RC-AAAA-BBBB-CCCC';
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let sys: RunningSystem;
  let browser: Browser;

  beforeAll(async () => {
    data = await tempDataDir();
    // Chromium and the system start together; a Chromium that cannot launch fails every test here.
    [sys, browser] = await Promise.all([npmStart(data.dir), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    sys?.kill();
    await data?.remove();
  });

  it.each([false, true])('javaScript %s: opens a page, screenshots it and audits it under the CSP', async (javaScript) => {
    expect(CERTIFICATE_CODE.test(unknownCode)).toBe(true);
    const page = await newPage(browser, { javaScript });
    try {
      // The page runs an inline script only when scripting is on.
      await page.setContent('<p id="ran">no</p><script>document.getElementById("ran").textContent = "yes"</script>');
      expect(await page.textContent('#ran')).toBe(javaScript ? 'yes' : 'no');

      const response = await page.goto(`${sys.url}/verify/${unknownCode}`);
      expect(response?.status()).toBe(404);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.locator('h1').textContent()).toContain('No such repair certificate');

      const name = `harness-verify-unknown-js-${javaScript ? 'on' : 'off'}`;
      const png = await screenshot(page, name);
      await expect(access(png)).resolves.toBeUndefined();

      const label = `verify unknown certificate (js ${javaScript ? 'on' : 'off'})`;
      const report = await checkAccessibility(page, label);
      expect(report).toEqual({ page: label, url: `${sys.url}/verify/${unknownCode}`, violations: expect.any(Array), passes: expect.any(Number) });
      expect(report.passes).toBeGreaterThan(0);
      expect((await readReports()).filter((r) => r.page === label)).toEqual([report]);

      // A known fault, added over the DevTools protocol: the audit names it and where it is (axe already injected).
      await page.evaluate('document.querySelector("main").insertAdjacentHTML("beforeend", \'<img id="no-alt" src="data:,">\')');
      const faulty = await checkAccessibility(page, `${label}, with an image without alt`);
      expect(faulty.violations).toContainEqual({ id: 'image-alt', impact: 'critical', help: expect.stringContaining('alternative text'), helpUrl: expect.stringContaining('dequeuniversity.com'), targets: ['#no-alt'] });
      // The audit leaves the page's scheduling as it found it.
      expect(await page.evaluate('[setTimeout, clearTimeout, queueMicrotask].every((f) => String(f).includes("[native code]"))')).toBe(true);
    } finally {
      await page.close();
    }
  });
});
