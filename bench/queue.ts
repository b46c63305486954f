import { cpus, tmpdir } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { countDynamo, type DynamoTally, getJson, measureProbes, type Probe, type ProbeFigures, type QueueItem, type QueuePage, queuePath, round, timing, type Timing, walkQueue } from './queue-latency.js';
import { seedQueue, SEED_CASE, type SeedQueue } from './queue-seed.js';

/** A Monday morning in Shanghai (09:00 +08:00) with no holiday within the seeded week, so the working-day deadlines are the same on every run. */
const CLOCK_START = new Date('2026-09-14T01:00:00Z');
const FILING_SPAN_MS = 7 * 24 * 3_600_000;
/** Two agencies of the default catalogue in one province: the big queue and the baseline beside it. */
const BIG: SeedQueue = { agencyId: '310000-samr', listType: 'serious-dishonesty' };
const BASELINE: SeedQueue = { agencyId: '310000-pudong-samr', listType: 'penalty-general' };
const PAGE = 50;
const SMALL_PAGE = 10;
const WALK_PAGES = 5;
const WARM_UP = 5;
const FULL_WALK_RUNS = 3;
/** The machine has 2 cores; more commands in flight only queue up in dynalite. */
const SEED_CONCURRENCY = 8;
/** Reading a page may cost a few look-ups besides the page itself, never a read of the queue. */
const MAX_READS_PER_PAGE = 4 * PAGE;

export interface QueueBenchOptions {
  cases: number;
  baselineCases: number;
  runs: number;
}

export interface QueueBenchReport {
  cases: number;
  baselineCases: number;
  seedCase: typeof SEED_CASE;
  clockStart: string;
  machine: { node: string; cpus: number };
  bootMs: number;
  seed: { ms: number; casesPerSecond: number; concurrency: number; baselineMs: number };
  runs: number;
  warmUp: number;
  probes: Record<string, ProbeFigures>;
  /** Big queue over baseline queue, medians. */
  ratios: { firstPage: number; firstPageSameSize: number; middlePage: number };
  fullWalk: Timing & { limit: number; pages: number; cases: number; msPerPage: number; distinctDeadlines: number };
}


function optionsFromCommandLine(): QueueBenchOptions {
  const { values } = parseArgs({ options: { cases: { type: 'string' }, baseline: { type: 'string' }, runs: { type: 'string' } } });
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`${name} must be a whole number from 1 to 100000, not ${raw}`);
    return n;
  };
  return {
    cases: positive('--cases / QUEUE_CASES', values.cases ?? process.env.QUEUE_CASES, 10_000),
    baselineCases: positive('--baseline / QUEUE_BASELINE_CASES', values.baseline ?? process.env.QUEUE_BASELINE_CASES, 10),
    runs: positive('--runs / QUEUE_RUNS', values.runs ?? process.env.QUEUE_RUNS, 50),
  };
}

async function tokenFor(system: LocalSystem, agencyId: string): Promise<string> {
  const res = await fetch(`${system.url}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'agency-reviewer', agencyId }) });
  if (res.status !== 201) throw new Error(`POST /_local/token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

function check(condition: boolean, failure: string): void {
  if (!condition) throw new Error(`Check failed: ${failure}`);
}

const sortKey = (c: QueueItem) => `${c.deadlineAt}#${c.caseId}`;

/** The queue read is the queue seeded: every case once, each open in the agency's queue, soonest deadline first. */
function checkWalk(label: string, items: QueueItem[], seeded: Set<string>, agencyId: string): void {
  check(items.length === seeded.size, `${label}: walking every page returned ${items.length} cases, ${seeded.size} were seeded`);
  check(new Set(items.map((c) => c.caseId)).size === items.length, `${label}: a case appeared on two pages`);
  check(items.every((c) => seeded.has(c.caseId)), `${label}: a case that was not seeded appeared`);
  check(items.every((c) => c.agencyId === agencyId && c.level === 'agency' && c.status === 'open'), `${label}: a case of another queue, level or status appeared`);
  check(items.every((c, i) => i === 0 || sortKey(items[i - 1]!) <= sortKey(c)), `${label}: the cases are not in deadline order`);
}

function queueProbes(system: LocalSystem, bigToken: string, baseToken: string, cursors: Array<string | undefined>): Probe[] {
  const page = (token: string, limit: number, cursor?: string) => async () => (await getJson<QueuePage>(system.url + queuePath(limit, cursor), token)).cases.length;
  const middle = cursors[Math.floor(cursors.length / 2)];
  const lastPage = cursors[cursors.length - 1];
  return [
    { name: 'GET /health (floor)', run: async () => (await getJson<unknown>(`${system.url}/health`), 0) },
    { name: `big · first page (limit ${PAGE})`, run: page(bigToken, PAGE) },
    { name: `baseline · first page (limit ${PAGE})`, run: page(baseToken, PAGE) },
    { name: `big · first page (limit ${SMALL_PAGE})`, run: page(bigToken, SMALL_PAGE) },
    { name: `baseline · first page (limit ${SMALL_PAGE})`, run: page(baseToken, SMALL_PAGE) },
    { name: `big · middle page by cursor (limit ${PAGE})`, run: page(bigToken, PAGE, middle) },
    { name: `big · last full page by cursor (limit ${PAGE})`, run: page(bigToken, PAGE, lastPage) },
    {
      name: `big · first ${WALK_PAGES} pages by cursor (limit ${PAGE})`,
      run: async () => {
        let items = 0;
        let cursor: string | undefined;
        for (let i = 0; i < WALK_PAGES; i++) {
          const p = await getJson<QueuePage>(system.url + queuePath(PAGE, cursor), bigToken);
          items += p.cases.length;
          if (!(cursor = p.nextCursor)) break;
        }
        return items;
      },
    },
  ];
}

function progressPrinter(label: string, total: number) {
  const started = performance.now();
  return (done: number) => {
    if (done % 1000 !== 0 && done !== total) return;
    const seconds = (performance.now() - started) / 1000;
    console.log(`  ${label}: ${done}/${total} cases seeded, ${seconds.toFixed(1)} s, ${Math.round(done / seconds)} cases/s`);
  };
}

async function seedBoth(system: LocalSystem, options: QueueBenchOptions) {
  const filedFrom = new Date(CLOCK_START.getTime() - FILING_SPAN_MS);
  const filedTo = new Date(CLOCK_START.getTime() - 60_000);
  console.log(`Seeding ${options.cases} open ${SEED_CASE.kind} cases in ${BIG.agencyId}'s queue and ${options.baselineCases} in ${BASELINE.agencyId}'s, ${SEED_CONCURRENCY} at a time`);
  let started = performance.now();
  const big = await seedQueue(system.deps, { queue: BIG, count: options.cases, filedFrom, filedTo, concurrency: SEED_CONCURRENCY, firstSubject: 0, onProgress: progressPrinter('big', options.cases) });
  const bigMs = performance.now() - started;
  started = performance.now();
  const base = await seedQueue(system.deps, { queue: BASELINE, count: options.baselineCases, filedFrom, filedTo, concurrency: SEED_CONCURRENCY, firstSubject: options.cases });
  const seed = { ms: Math.round(bigMs), casesPerSecond: Math.round(options.cases / (bigMs / 1000)), concurrency: SEED_CONCURRENCY, baselineMs: Math.round(performance.now() - started) };
  return { big: new Set(big.map((c) => c.caseId)), base: new Set(base.map((c) => c.caseId)), seed };
}

/** Walks the whole big queue a few times: the first walk is checked, all are timed. */
async function fullWalks(system: LocalSystem, token: string, seeded: Set<string>) {
  const first = await walkQueue(system.url, token, PAGE);
  const items = first.pages.flatMap((p) => p.page.cases);
  const firstPage = first.pages[0]!.page.cases;
  check(firstPage.length === Math.min(PAGE, seeded.size), `the first page holds ${firstPage.length} cases, not ${Math.min(PAGE, seeded.size)}`);
  check(firstPage.every((c, i) => i === 0 || firstPage[i - 1]!.deadlineAt <= c.deadlineAt), 'the first page is not sorted by deadline');
  checkWalk('big queue', items, seeded, BIG.agencyId);
  const samples = [first.ms];
  for (let i = 1; i < FULL_WALK_RUNS; i++) samples.push((await walkQueue(system.url, token, PAGE)).ms);
  const t = timing(samples);
  return {
    // DynamoDB ends a page that fills its limit with a cursor even when nothing follows, so the walk may end on an empty page; the probes take pages with cases.
    cursors: first.pages.filter((p) => p.page.cases.length > 0).map((p) => p.cursor),
    figures: { ...t, limit: PAGE, pages: first.pages.length, cases: items.length, msPerPage: round(t.medianMs / first.pages.length), distinctDeadlines: new Set(items.map((c) => c.deadlineAt)).size },
  };
}

function checkReads(probes: Record<string, ProbeFigures>): void {
  for (const [name, p] of Object.entries(probes)) check(p.dynamo.scans === 0, `${name} scanned a table`);
  const first = probes[`big · first page (limit ${PAGE})`]!;
  check(first.dynamo.itemsRead <= MAX_READS_PER_PAGE, `the big queue's first page read ${first.dynamo.itemsRead} items from DynamoDB`);
}

/**
 * Seeds a queue of `cases` open cases and a baseline queue of a few in a fresh
 * local system, then times the agency queue over HTTP on 127.0.0.1, big
 * against baseline, checking that what is timed is the queue that was seeded.
 */
export async function measureQueue(options: QueueBenchOptions): Promise<QueueBenchReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-queue-'));
  let system: LocalSystem | undefined;
  try {
    system = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START });
    const dynamo = countDynamo(system.dynamo);
    const seeded = await seedBoth(system, options);
    const [bigToken, baseToken] = [await tokenFor(system, BIG.agencyId), await tokenFor(system, BASELINE.agencyId)];
    console.log(`Walking the whole big queue ${FULL_WALK_RUNS} times (limit ${PAGE}) and checking it`);
    const walks = await fullWalks(system, bigToken, seeded.big);
    checkWalk('baseline queue', (await walkQueue(system.url, baseToken, PAGE)).pages.flatMap((p) => p.page.cases), seeded.base, BASELINE.agencyId);
    console.log(`Timing ${options.runs} rounds of every request after ${WARM_UP} warm-up rounds`);
    const probes = await measureProbes(queueProbes(system, bigToken, baseToken, walks.cursors), dynamo, options.runs, WARM_UP);
    checkReads(probes);
    const median = (name: string) => probes[name]!.medianMs;
    return {
      cases: options.cases,
      baselineCases: options.baselineCases,
      seedCase: SEED_CASE,
      clockStart: CLOCK_START.toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      bootMs: system.bootMs,
      seed: seeded.seed,
      runs: options.runs,
      warmUp: WARM_UP,
      probes,
      ratios: {
        firstPage: round(median(`big · first page (limit ${PAGE})`) / median(`baseline · first page (limit ${PAGE})`)),
        firstPageSameSize: round(median(`big · first page (limit ${SMALL_PAGE})`) / median(`baseline · first page (limit ${SMALL_PAGE})`)),
        middlePage: round(median(`big · middle page by cursor (limit ${PAGE})`) / median(`baseline · first page (limit ${PAGE})`)),
      },
      fullWalk: walks.figures,
    };
  } finally {
    await system?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const reads = (d: DynamoTally) => `${d.commands} call${d.commands === 1 ? '' : 's'}, ${d.itemsRead} items${d.scans ? `, ${d.scans} SCANS` : ''}`;

/** Prints the figures: a table of every request, then the ratios and the full walk. */
export function printQueue(r: QueueBenchReport): void {
  console.log(`\nQueue response time: ${r.cases} open cases against ${r.baselineCases}, ${r.runs} runs each over HTTP on 127.0.0.1 (${r.machine.cpus} CPUs, Node ${r.machine.node}; client and server in one process)`);
  console.log(`Seeded ${r.cases} cases in ${(r.seed.ms / 1000).toFixed(1)} s (${r.seed.casesPerSecond} cases/s, ${r.seed.concurrency} at a time); system booted in ${r.bootMs} ms`);
  console.table(Object.fromEntries(Object.entries(r.probes).map(([name, p]) => [name, { 'median ms': p.medianMs, 'p95 ms': p.p95Ms, 'min ms': p.minMs, items: p.items, 'DynamoDB per request': reads(p.dynamo) }])));
  const big = r.probes[`big · first page (limit ${PAGE})`]!;
  const base = r.probes[`baseline · first page (limit ${PAGE})`]!;
  console.log(`First page of the queue (limit ${PAGE}): ${big.medianMs} ms median, ${big.p95Ms} ms p95 with ${r.cases} cases; ${base.medianMs} ms median, ${base.p95Ms} ms p95 with ${r.baselineCases}: ratio ${r.ratios.firstPage}`);
  console.log(`Same page size (limit ${SMALL_PAGE}, ${SMALL_PAGE} items each): ratio ${r.ratios.firstPageSameSize}; a page from the middle of the big queue against the baseline's first: ratio ${r.ratios.middlePage}`);
  console.log(`Full walk of the big queue: ${r.fullWalk.cases} cases in ${r.fullWalk.pages} pages, ${r.fullWalk.medianMs} ms median of ${r.fullWalk.runs} (${r.fullWalk.msPerPage} ms a page; ${r.fullWalk.distinctDeadlines} distinct deadlines)`);
}

/** `npm run bench:queue`: measures, prints, and records the figures in bench/results-queue.json. */
export async function runQueueBench(options: QueueBenchOptions = optionsFromCommandLine()): Promise<QueueBenchReport> {
  const queue = await measureQueue(options);
  printQueue(queue);
  await writeFile(new URL('./results-queue.json', import.meta.url), `${JSON.stringify({ queue, measuredAt: new Date().toISOString() }, null, 2)}\n`);
  console.log('Wrote bench/results-queue.json');
  return queue;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runQueueBench();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
