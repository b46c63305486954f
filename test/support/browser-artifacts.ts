import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the browser tests leave behind for people to look at: screenshots and the accessibility audit (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../artifacts/', import.meta.url));
export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, 'screenshots');
export const AXE_RESULTS_FILE = join(ARTIFACTS_DIR, 'axe-results.json');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  /** One CSS selector per offending node (a path into frames or shadow roots joined by " "). */
  targets: string[];
}

export interface AxeReport {
  page: string;
  url: string;
  violations: AxeViolation[];
  /** How many rules the page passed. */
  passes: number;
}

// Audits within one test file can finish together: each read-modify-write waits for the one before.
let writing: Promise<unknown> = Promise.resolve();

/** Adds one page's audit to artifacts/axe-results.json, one page per line of a JSON array. */
export function recordAxeReport(report: AxeReport): Promise<void> {
  const next = writing.then(async () => {
    const reports = [...(await readReports()), report];
    await mkdir(dirname(AXE_RESULTS_FILE), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    const temporary = `${AXE_RESULTS_FILE}.${process.pid}.tmp`;
    await writeFile(temporary, `[\n${reports.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    await rename(temporary, AXE_RESULTS_FILE);
  });
  writing = next.catch(() => undefined);
  return next;
}

/** Every audit recorded since the e2e run began. */
export async function readReports(): Promise<AxeReport[]> {
  try {
    return JSON.parse(await readFile(AXE_RESULTS_FILE, 'utf8')) as AxeReport[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Global setup of the e2e project: each run starts a fresh audit file, so it
 * lists the pages this run visited and nothing older. Screenshots are
 * overwritten by name.
 */
export default async function startAxeResults(): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await writeFile(AXE_RESULTS_FILE, '[]\n');
}
