import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../test/support/rate-limits.js';
import { countWrites } from './dynamo-writes.js';
import { callApi, uploadPdf } from './local-api.js';
import { percentile } from './queue-latency.js';
import { inPool, residentId, seedQueue, type SeedQueue } from './queue-seed.js';

/** A Monday morning in Shanghai; the seeded entries were listed in the weeks before. */
const CLOCK_START = new Date('2026-09-14T01:00:00Z');
const QUEUE: SeedQueue = { agencyId: '310000-samr', listType: 'serious-dishonesty' };
const SEED_CONCURRENCY = 8;
const PREPARE_CONCURRENCY = 16;
/** The goal: a filing costs at most twice what its DynamoDB writes cost on their own. */
export const INTAKE_GOAL_RATIO = 0.5;

export interface LoadFigures {
  concurrency: number;
  requests: number;
  ms: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface IntakeLevel {
  filings: LoadFigures;
  rawPut: LoadFigures & { itemBytes: number };
  /** DynamoDB writes per filing: the request's own, and those of the workflow tasks it starts. */
  writesPerCase: number;
  writeUnitsPerCase: number;
  /** cases/s ÷ (raw puts/s ÷ writes per case). */
  intakeVsRawPutRatio: number;
}

export interface IntakeReport {
  filingsPerLevel: number;
  rateLimits: string;
  levels: IntakeLevel[];
  intakeVsRawPutRatio: number;
  goalRatio: number;
  goalMet: boolean;
}

const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

/** Runs `count` requests with `concurrency` in flight; throughput and latency percentiles. */
async function load(count: number, concurrency: number, request: (i: number) => Promise<void>): Promise<LoadFigures> {
  const latencies: number[] = new Array(count);
  const started = performance.now();
  await inPool(count, concurrency, async (i) => {
    const t = performance.now();
    await request(i);
    latencies[i] = performance.now() - t;
  });
  const ms = performance.now() - started;
  return { concurrency, requests: count, ms: Math.round(ms), perSecond: Math.round(count / (ms / 1000)), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };
}

interface Filer {
  entryId: string;
  token: string;
  evidence: Awaited<ReturnType<typeof uploadPdf>>;
}

/** N listed entries, each with its subject's token and one uploaded evidence file: everything a filing needs, made before the clock starts. */
async function prepareFilers(system: LocalSystem, count: number, firstSubject: number): Promise<Filer[]> {
  const seeded = await seedQueue(system.deps, {
    queue: QUEUE,
    count,
    filedFrom: new Date(CLOCK_START.getTime() - 7 * 86_400_000),
    filedTo: new Date(CLOCK_START.getTime() - 86_400_000),
    concurrency: SEED_CONCURRENCY,
    firstSubject,
    listedOnly: true,
  });
  const filers: Filer[] = new Array(count);
  await inPool(count, PREPARE_CONCURRENCY, async (i) => {
    const token = await system.deps.local!.issueToken({ role: 'subject', subjectId: residentId(firstSubject + i) });
    filers[i] = { entryId: seeded[i]!.entryId, token, evidence: await uploadPdf(system.url, token, firstSubject + i) };
  });
  return filers;
}

async function measureLevel(system: LocalSystem, concurrency: number, filings: number, firstSubject: number, writes: ReturnType<typeof countWrites>): Promise<IntakeLevel> {
  console.log(`  concurrency ${concurrency}: seeding ${filings} listed entries, a token and an uploaded PDF for each subject`);
  const filers = await prepareFilers(system, filings, firstSubject);
  await system.runner.whenIdle();
  writes.take();
  console.log(`  concurrency ${concurrency}: filing ${filings} objections with evidence (POST /v1/cases)`);
  const filed = await load(filings, concurrency, async (i) => {
    const f = filers[i]!;
    await callApi(system.url, 'POST', '/v1/cases', { token: f.token, idempotent: true, body: { kind: 'objection', entryId: f.entryId, grounds: '该处罚决定已被撤销，附撤销决定书', evidence: [f.evidence] } });
  });
  await system.runner.whenIdle();
  const written = writes.take();
  const itemBytes = Math.round(written.bytes / Math.max(1, written.items));
  const writesPerCase = written.items / filings;
  const rawPuts = Math.round(filings * writesPerCase);
  console.log(`  concurrency ${concurrency}: ${filed.perSecond} cases/s; now ${rawPuts} raw conditional PutItems of ${itemBytes} bytes`);
  const padding = 'x'.repeat(Math.max(0, itemBytes - 40));
  const rawPut = await load(rawPuts, concurrency, async (i) => {
    await system.dynamo.send(new PutItemCommand({
      TableName: system.tables.entries,
      Item: { pk: { S: `BENCHPUT#${concurrency}#${i}` }, sk: { S: 'PUT' }, padding: { S: padding } },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  });
  writes.take();
  return {
    filings: filed,
    rawPut: { ...rawPut, itemBytes },
    writesPerCase: round(writesPerCase),
    writeUnitsPerCase: round(written.writeUnits / filings),
    intakeVsRawPutRatio: round(filed.perSecond / (rawPut.perSecond / writesPerCase)),
  };
}

/**
 * `POST /v1/cases` under load against a local system started for it, with
 * the rate limits raised a thousandfold (one address files thousands of
 * objections in seconds), beside raw conditional PutItems on the same
 * dynalite at the same concurrency: how close a filing gets to its writes.
 */
export async function measureIntake(filings: number, levels: number[]): Promise<IntakeReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-intake-'));
  let system: LocalSystem | undefined;
  try {
    system = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START, rateLimits: ROOMY_RATE_LIMITS });
    const writes = countWrites(system.dynamo);
    const measured: IntakeLevel[] = [];
    for (const [k, concurrency] of levels.entries()) measured.push(await measureLevel(system, concurrency, filings, 200_000 + k * filings, writes));
    const worst = Math.min(...measured.map((l) => l.intakeVsRawPutRatio));
    return { filingsPerLevel: filings, rateLimits: 'the production limits ×1000 (test/support/rate-limits.ts ROOMY_RATE_LIMITS)', levels: measured, intakeVsRawPutRatio: worst, goalRatio: INTAKE_GOAL_RATIO, goalMet: worst >= INTAKE_GOAL_RATIO };
  } finally {
    await system?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printIntake(r: IntakeReport): void {
  console.log(`\nIntake: POST /v1/cases, each a new objection naming one uploaded PDF, ${r.filingsPerLevel} per level; rate limits raised to ${r.rateLimits}, as one address and few subjects go far past the production limits`);
  console.table(Object.fromEntries(r.levels.flatMap((l) => [
    [`cases · c${l.filings.concurrency}`, { 'per s': l.filings.perSecond, 'p50 ms': l.filings.p50Ms, 'p99 ms': l.filings.p99Ms, 'writes each': l.writesPerCase, 'WCU each': l.writeUnitsPerCase, ratio: l.intakeVsRawPutRatio }],
    [`raw PutItem · c${l.rawPut.concurrency}`, { 'per s': l.rawPut.perSecond, 'p50 ms': l.rawPut.p50Ms, 'p99 ms': l.rawPut.p99Ms, 'writes each': 1, 'WCU each': Math.ceil(l.rawPut.itemBytes / 1024), ratio: '' }],
  ])));
  console.log(`intakeVsRawPutRatio = cases/s ÷ (raw puts/s ÷ writes per case): ${r.intakeVsRawPutRatio} (lowest level); goal ≥ ${r.goalRatio}: ${r.goalMet ? 'met' : 'NOT met'}`);
}
