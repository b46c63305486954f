import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { recordAxeReport, SCREENSHOTS_DIR, type AxeReport, type AxeViolation } from './browser-artifacts.js';
import { CHROMIUM_PATH } from './ensure-chromium.js';

export type { AxeReport, AxeViolation } from './browser-artifacts.js';

/**
 * Headless Chromium that makes no connection of its own: this machine's closed
 * network refuses Chromium's background traffic (QUIC, component updates,
 * sync), which would otherwise stall or fail the launch.
 */
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The WCAG 2.1 A and AA rules, and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Launches Debian's Chromium (/usr/bin/chromium), headless. Close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface PageOptions {
  /** false: the page as a browser with scripting off sees it (no script runs, <noscript> applies). */
  javaScript: boolean;
  /** Default 1280×720. */
  viewport?: { width: number; height: number };
  /** Default zh-CN, the people the pages are for. */
  locale?: string;
}

/**
 * A page in a fresh context of its own (no cookies or storage shared with other
 * pages), in Shanghai time; closing the page closes its context.
 */
export function newPage(browser: Browser, options: PageOptions): Promise<Page> {
  return browser.newPage({
    javaScriptEnabled: options.javaScript,
    viewport: options.viewport ?? { width: 1280, height: 720 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/**
 * Runs axe-core (WCAG 2.1 A/AA and best practices) on the page as it is now,
 * returns its violations and adds them to artifacts/axe-results.json under `label`.
 *
 * axe is evaluated over the DevTools protocol, which the page's CSP
 * (`script-src 'self'`) does not govern and which works with JavaScript off.
 */
export async function checkAccessibility(page: Page, label: string): Promise<AxeReport> {
  if (!(await page.evaluate('typeof axe === "object" && typeof axe.run === "function"'))) await page.evaluate(axeSource);
  const result = await page.evaluate(runAxe, AXE_TAGS);
  const report: AxeReport = { page: label, url: page.url(), ...result };
  await recordAxeReport(report);
  return report;
}

/**
 * Runs in the page. With scripting off, Chromium runs no timer and no callback
 * it would queue for the page (queueMicrotask, MessageChannel), only the
 * engine's own promise jobs; and axe hands each rule's result on with
 * setTimeout(…, 0). For the audit, zero-delay timers and queueMicrotask
 * become promise jobs and longer timers (axe's give-up guards) are dropped, as
 * they would never fire anyway. No script of the page's runs to notice.
 */
async function runAxe(tags: string[]): Promise<{ violations: AxeViolation[]; passes: number }> {
  type Node = { target: Array<string | string[]> };
  type Rule = { id: string; impact?: string | null; help: string; helpUrl: string; nodes: Node[] };
  // The page's window, not Node's globalThis (the project's types have no DOM).
  type PageWindow = {
    axe: { run(context: unknown, options: unknown): Promise<{ violations: Rule[]; passes: Rule[] }> };
    document: unknown;
    matchMedia(query: string): { matches: boolean };
    setTimeout(callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): unknown;
    clearTimeout(id: unknown): void;
    queueMicrotask(callback: () => void): void;
  };
  const w = globalThis as unknown as PageWindow;
  const scheduling = { setTimeout: w.setTimeout, clearTimeout: w.clearTimeout, queueMicrotask: w.queueMicrotask };
  if (w.matchMedia('(scripting: none)').matches) {
    // No function bound to a name in here: tsx (esbuild keepNames) would wrap it in a __name the page lacks.
    w.setTimeout = (callback, delay, ...args) => {
      if (!delay || delay <= 1) void Promise.resolve().then(() => callback(...args));
      return 0;
    };
    w.clearTimeout = () => undefined;
    w.queueMicrotask = (callback) => void Promise.resolve().then(callback);
  }
  try {
    // Frames hold evidence files (a PDF), not pages of ours; asking into them waits on timers a page without scripting never runs.
    const results = await w.axe.run(w.document, { runOnly: { type: 'tag', values: tags }, iframes: false });
    return {
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' ') : t)).join(' ')),
      })),
      passes: results.passes.length,
    };
  } finally {
    Object.assign(w, scheduling);
  }
}

/** Saves a full-page PNG as artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)}: letters, digits, '.', '-' and '_' only`);
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
