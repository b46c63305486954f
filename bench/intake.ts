import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../test/support/rate-limits.js';
import { TABLES } from '../shared/stores/tables.js';
import { countWrites } from './dynamo-writes.js';
import { callApi, uploadPdf } from './local-api.js';
import { percentile, round } from './queue-latency.js';
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
  /**
   * The filings' own write requests sent again, one for one, each under a
   * fresh key: what the store takes for exactly those items (their nested
   * attributes, the indexes they feed, update expressions), which plain puts
   * of the same average size leave out. Fresh keys make every write an insert,
   * never the overwrite or update some of them were, so this is if anything
   * less than the filings' writes cost.
   */
  ownWrites: LoadFigures;
  /** DynamoDB writes per filing: the request's own, and those of the workflow tasks it starts. */
  writesPerCase: number;
  writeUnitsPerCase: number;
  /** cases/s ÷ (raw puts/s ÷ writes per case). */
  intakeVsRawPutRatio: number;
  /** cases/s ÷ (own writes replayed/s ÷ writes per case): the share of a filing's cost that is its writes. */
  intakeVsOwnWritesRatio: number;
}

export interface IntakeReport {
  filingsPerLevel: number;
  rateLimits: string;
  levels: IntakeLevel[];
  intakeVsRawPutRatio: number;
  /** The lowest level's, as for the raw puts. */
  intakeVsOwnWritesRatio: number;
  goalRatio: number;
  goalMet: boolean;
}


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

type WriteCommand = 'PutItemCommand' | 'UpdateItemCommand' | 'DeleteItemCommand' | 'BatchWriteItemCommand';
interface SentWrite {
  command: WriteCommand;
  input: Record<string, unknown>;
}
const WRITE_COMMANDS = new Set<string>(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** Keeps the write requests a client sends that succeed, as marshalled, from `start` to `take`; by reference, so keeping costs the filings nothing to speak of. */
function keepWrites(client: DynamoDBClient) {
  let kept: SentWrite[] | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (kept && WRITE_COMMANDS.has(context.commandName ?? '')) kept.push({ command: context.commandName as WriteCommand, input: args.input as Record<string, unknown> });
      return result;
    },
    { step: 'build', name: 'benchWriteKeeper' },
  );
  return {
    start: () => void (kept = []),
    take(): SentWrite[] {
      const taken = kept ?? [];
      kept = undefined;
      return taken;
    },
  };
}

/** The same write under a fresh key: the partition key of its table prefixed, everything else (index keys included) as sent. */
function freshlyKeyed(write: SentWrite, prefix: string, partitionKeyOf: Map<string, string>): SentWrite {
  const rekey = (table: string, item: Record<string, AttributeValue>) => {
    const name = partitionKeyOf.get(table)!;
    return { ...item, [name]: { S: prefix + item[name]!.S! } };
  };
  const input = write.input as { TableName?: string; Item?: Record<string, AttributeValue>; Key?: Record<string, AttributeValue>; RequestItems?: Record<string, Array<{ PutRequest?: { Item: Record<string, AttributeValue> }; DeleteRequest?: { Key: Record<string, AttributeValue> } }>> };
  if (input.RequestItems) {
    const RequestItems = Object.fromEntries(Object.entries(input.RequestItems).map(([table, requests]) => [table, requests.map((r) => (r.PutRequest ? { PutRequest: { Item: rekey(table, r.PutRequest.Item) } } : { DeleteRequest: { Key: rekey(table, r.DeleteRequest!.Key) } }))]));
    return { command: write.command, input: { ...input, RequestItems } };
  }
  if (input.Item) return { command: write.command, input: { ...input, Item: rekey(input.TableName!, input.Item) } };
  return { command: write.command, input: { ...input, Key: rekey(input.TableName!, input.Key!) } };
}

function send(client: DynamoDBClient, write: SentWrite) {
  const input = write.input as never;
  switch (write.command) {
    case 'PutItemCommand':
      return client.send(new PutItemCommand(input));
    case 'UpdateItemCommand':
      return client.send(new UpdateItemCommand(input));
    case 'DeleteItemCommand':
      return client.send(new DeleteItemCommand(input));
    case 'BatchWriteItemCommand':
      return client.send(new BatchWriteItemCommand(input));
    default: {
      const _exhaustive: never = write.command;
      throw new Error(`Not a write: ${String(_exhaustive)}`);
    }
  }
}

async function measureLevel(system: LocalSystem, concurrency: number, filings: number, firstSubject: number, writes: ReturnType<typeof countWrites>, sent: ReturnType<typeof keepWrites>): Promise<IntakeLevel> {
  console.log(`  concurrency ${concurrency}: seeding ${filings} listed entries, a token and an uploaded PDF for each subject`);
  const filers = await prepareFilers(system, filings, firstSubject);
  await system.runner.whenIdle();
  writes.take();
  sent.start();
  console.log(`  concurrency ${concurrency}: filing ${filings} objections with evidence (POST /v1/cases)`);
  const filed = await load(filings, concurrency, async (i) => {
    const f = filers[i]!;
    await callApi(system.url, 'POST', '/v1/cases', { token: f.token, idempotent: true, body: { kind: 'objection', entryId: f.entryId, grounds: '该处罚决定已被撤销，附撤销决定书', evidence: [f.evidence] } });
  });
  await system.runner.whenIdle();
  const written = writes.take();
  const ownWrites = sent.take();
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
  console.log(`  concurrency ${concurrency}: the filings' own ${ownWrites.length} write requests again, each under a fresh key`);
  const partitionKeyOf = new Map(Object.entries(system.tables).map(([key, table]) => [table, TABLES[key as keyof typeof TABLES].partitionKey.name]));
  const again = ownWrites.map((w, i) => freshlyKeyed(w, `W${concurrency}.${i}#`, partitionKeyOf));
  const replayed = await load(again.length, concurrency, async (i) => {
    await send(system.dynamo, again[i]!);
  });
  // Per item written, as the filings' writes are counted (a BatchWriteItem counts each of its items).
  const ownPerSecond = Math.round(replayed.perSecond * (written.items / Math.max(1, again.length)));
  writes.take();
  return {
    filings: filed,
    rawPut: { ...rawPut, itemBytes },
    ownWrites: { ...replayed, requests: written.items, perSecond: ownPerSecond },
    writesPerCase: round(writesPerCase),
    writeUnitsPerCase: round(written.writeUnits / filings),
    intakeVsRawPutRatio: round(filed.perSecond / (rawPut.perSecond / writesPerCase)),
    intakeVsOwnWritesRatio: round(filed.perSecond / (ownPerSecond / writesPerCase)),
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
    const sent = keepWrites(system.dynamo);
    const measured: IntakeLevel[] = [];
    for (const [k, concurrency] of levels.entries()) measured.push(await measureLevel(system, concurrency, filings, 200_000 + k * filings, writes, sent));
    const worst = Math.min(...measured.map((l) => l.intakeVsRawPutRatio));
    const worstOwn = Math.min(...measured.map((l) => l.intakeVsOwnWritesRatio));
    return { filingsPerLevel: filings, rateLimits: 'the production limits ×1000 (test/support/rate-limits.ts ROOMY_RATE_LIMITS)', levels: measured, intakeVsRawPutRatio: worst, intakeVsOwnWritesRatio: worstOwn, goalRatio: INTAKE_GOAL_RATIO, goalMet: worst >= INTAKE_GOAL_RATIO };
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
    [`own writes again · c${l.ownWrites.concurrency}`, { 'per s': l.ownWrites.perSecond, 'p50 ms': l.ownWrites.p50Ms, 'p99 ms': l.ownWrites.p99Ms, 'writes each': 1, 'WCU each': '', ratio: l.intakeVsOwnWritesRatio }],
  ])));
  console.log(`intakeVsRawPutRatio = cases/s ÷ (raw puts/s ÷ writes per case): ${r.intakeVsRawPutRatio} (lowest level); goal ≥ ${r.goalRatio}: ${r.goalMet ? 'met' : 'NOT met'}`);
  console.log(`Against the filings' own writes sent again (their items and conditions, fresh keys): ${r.intakeVsOwnWritesRatio} (lowest level), the share of a filing's cost that is its writes`);
}
