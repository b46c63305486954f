import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One queue item as the API returns it, as far as the checks need. */
export interface QueueItem {
  caseId: string;
  agencyId: string;
  status: string;
  level: string;
  deadlineAt: string;
}

export interface QueuePage {
  cases: QueueItem[];
  nextCursor?: string;
}

/** What DynamoDB did for one HTTP request, counted by a middleware on the server's client. */
export interface DynamoTally {
  commands: number;
  queries: number;
  scans: number;
  /** Items DynamoDB evaluated (ScannedCount of queries and scans; 1 per item got). */
  itemsRead: number;
}

export interface Timing {
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  minMs: number;
  runs: number;
}

export interface ProbeFigures extends Timing {
  /** Queue items in the response (or pages times items, for a walk). */
  items: number;
  dynamo: DynamoTally;
}

/** A request (or a short sequence of them) measured as one figure. */
export interface Probe {
  name: string;
  /** Returns the number of queue items it received. */
  run: () => Promise<number>;
}

/** A figure to `places` decimals, as the benches report them. */
export const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
const emptyTally = (): DynamoTally => ({ commands: 0, queries: 0, scans: 0, itemsRead: 0 });

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function timing(samples: number[]): Timing {
  return { medianMs: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)), p99Ms: round(percentile(samples, 99)), minMs: round(Math.min(...samples)), runs: samples.length };
}

/**
 * Counts what the server's DynamoDB client sends. The document client shares
 * the base client's middleware stack, so every store call passes through here.
 */
export function countDynamo(client: DynamoDBClient): { take(): DynamoTally } {
  let tally = emptyTally();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      tally.commands++;
      if (context.commandName === 'QueryCommand') tally.queries++;
      if (context.commandName === 'ScanCommand') tally.scans++;
      tally.itemsRead += output.ScannedCount ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'benchDynamoTally' },
  );
  return {
    take() {
      const taken = tally;
      tally = emptyTally();
      return taken;
    },
  };
}

/** GET a JSON document from the local API, refusing anything but 200. */
export async function getJson<T>(url: string, token?: string): Promise<T> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export function queuePath(limit: number, cursor?: string): string {
  return `/v1/queues/agency?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

/** Every page of a reviewer's agency queue, in order, with the cursor that led to each page. */
export async function walkQueue(baseUrl: string, token: string, limit: number): Promise<{ pages: Array<{ cursor?: string; page: QueuePage }>; ms: number }> {
  const pages: Array<{ cursor?: string; page: QueuePage }> = [];
  const started = performance.now();
  let cursor: string | undefined;
  do {
    const page = await getJson<QueuePage>(baseUrl + queuePath(limit, cursor), token);
    pages.push({ cursor, page });
    cursor = page.nextCursor;
    // A bound well above any honest walk, so a cursor that loops cannot run on.
    if (pages.length > 100_000) throw new Error('The queue walk did not end after 100,000 pages');
  } while (cursor);
  return { pages, ms: performance.now() - started };
}

/**
 * Runs every probe `warmUp` times, then `runs` rounds of all of them, one
 * request at a time. Each round starts at a different probe, so none always
 * runs first or right after another.
 */
export async function measureProbes(probes: Probe[], dynamo: { take(): DynamoTally }, runs: number, warmUp: number): Promise<Record<string, ProbeFigures>> {
  for (let i = 0; i < warmUp; i++) for (const probe of probes) await probe.run();
  const samples = probes.map(() => [] as number[]);
  const last = probes.map(() => ({ items: 0, dynamo: emptyTally() }));
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < probes.length; k++) {
      const index = (round + k) % probes.length;
      dynamo.take();
      const started = performance.now();
      const items = await probes[index]!.run();
      samples[index]!.push(performance.now() - started);
      last[index] = { items, dynamo: dynamo.take() };
    }
  }
  return Object.fromEntries(probes.map((p, i) => [p.name, { ...timing(samples[i]!), ...last[i]! }]));
}
