import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../test/support/rate-limits.js';
import { callApi, proposalFor } from './local-api.js';
import { inPool, residentId } from './queue-seed.js';
import { round } from './queue-latency.js';

/** A Monday morning in Shanghai. */
const CLOCK_START = new Date('2026-09-14T01:00:00Z');
/** One line in this many is a bad one (a field missing, or not JSON): they are reported and hold nothing back. */
const BAD_EVERY = 1000;
/** The baseline: the same proposals one request each, as a client without batches sends them. */
const BASELINE_CONCURRENCY = 16;
const POLL_MS = 1000;

export interface ProgressSample {
  seconds: number;
  processed: number;
  progress: number;
}

export interface BulkReport {
  proposals: number;
  badLines: number;
  uploadBytes: number;
  /** The POST's answer (202): the upload split, stored and its workflow started. */
  acceptMs: number;
  /** From the POST until the batch is completed: every good line an entry with its lifecycle started. */
  completeMs: number;
  entriesPerSecond: number;
  /** Until every lifecycle the batch started has sent its notices and waits for its listing date. */
  settledMs: number;
  refusedLines: number[];
  progress: ProgressSample[];
  baseline: { proposals: number; concurrency: number; ms: number; entriesPerSecond: number };
  /** Batch entries/s ÷ one-request-per-proposal entries/s, both until every entry and its lifecycle exist. */
  batchVsSingleRatio: number;
}


/** `lines` lines of NDJSON, one in every BAD_EVERY of them bad: the rest are proposals. */
function upload(lines: number, firstSubject: number): { body: string; bad: number[]; proposals: number } {
  const out: string[] = [];
  const bad: number[] = [];
  for (let i = 0; i < lines; i++) {
    if ((i + 1) % BAD_EVERY === 0) {
      bad.push(i + 1);
      out.push(bad.length % 2 ? '{"subject": ' : JSON.stringify({ ...proposalFor(residentId(firstSubject + i), i), facts: undefined }));
    } else out.push(JSON.stringify(proposalFor(residentId(firstSubject + i), i)));
  }
  return { body: `${out.join('\n')}\n`, bad, proposals: lines - bad.length };
}

/**
 * `POST /v1/listings:batch` of `lines` lines (one in a thousand bad, the rest
 * proposals) on a fresh local system: accepted, then proposed by the
 * ListingBatch machine's Distributed Map, its progress read by GET on the
 * batch every second. Beside it, in the same run, a baseline of the same kind
 * of proposals sent one `POST /v1/listings` each.
 */
export async function measureBulk(lines: number, baselineProposals: number): Promise<BulkReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-bulk-'));
  let system: LocalSystem | undefined;
  try {
    // One officer sending thousands of proposals in minutes: the limits are raised, as for the other figures.
    system = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START, rateLimits: ROOMY_RATE_LIMITS });
    const sys = system;
    const officer = await sys.deps.local!.issueToken({ role: 'agency-officer', agencyId: '310000-samr' });

    console.log(`  baseline: ${baselineProposals} proposals, one POST /v1/listings each, ${BASELINE_CONCURRENCY} at a time`);
    let started = performance.now();
    await inPool(baselineProposals, BASELINE_CONCURRENCY, async (i) => {
      await callApi(sys.url, 'POST', '/v1/listings', { token: officer, idempotent: true, body: proposalFor(residentId(500_000 + i), i) });
    });
    const baselineMs = performance.now() - started;
    await sys.runner.whenIdle();

    const { body, bad, proposals } = upload(lines, 600_000);
    console.log(`  batch: ${lines} lines, ${proposals} proposals and ${bad.length} bad lines, ${(Buffer.byteLength(body) / 1024 / 1024).toFixed(2)} MB of NDJSON`);
    started = performance.now();
    const res = await fetch(`${sys.url}/v1/listings:batch`, { method: 'POST', headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `bench-${lines}` }, body });
    const accepted = (await res.json()) as { batchId: string };
    if (res.status !== 202) throw new Error(`POST /v1/listings:batch answered ${res.status}: ${JSON.stringify(accepted)}`);
    const acceptMs = performance.now() - started;
    const progress: ProgressSample[] = [];
    type Batch = { status: string; processed: number; progress: number; proposed: number; refused: number; errors: Array<{ line: number }>; page: { nextFromLine?: number } };
    let batch: Batch;
    for (;;) {
      batch = await callApi(sys.url, 'GET', `/v1/listing-batches/${accepted.batchId}`, { token: officer });
      const seconds = round((performance.now() - started) / 1000, 1);
      progress.push({ seconds, processed: batch.processed, progress: batch.progress });
      console.log(`    ${seconds.toFixed(1)} s: ${batch.processed} of ${lines} lines (${Math.round(batch.progress * 100)} %), ${batch.status}`);
      if (batch.status !== 'processing') break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (batch.status !== 'completed' || batch.proposed !== proposals || batch.refused !== bad.length) throw new Error(`The batch ended ${batch.status} with ${batch.proposed} of ${proposals} proposed and ${batch.refused} of ${bad.length} refused`);
    const completeMs = performance.now() - started;
    // The refused lines, a page of 1,000 lines at a time.
    const refusedLines = batch.errors.map((e) => e.line);
    for (let from = batch.page.nextFromLine; from; ) {
      const page = await callApi<Batch>(sys.url, 'GET', `/v1/listing-batches/${accepted.batchId}?fromLine=${from}`, { token: officer });
      refusedLines.push(...page.errors.map((e) => e.line));
      from = page.page.nextFromLine;
    }
    await sys.runner.whenIdle();
    const settledMs = performance.now() - started;
    const entriesPerSecond = round(proposals / (completeMs / 1000), 1);
    const baselinePerSecond = round(baselineProposals / (baselineMs / 1000), 1);
    return {
      proposals,
      badLines: bad.length,
      uploadBytes: Buffer.byteLength(body),
      acceptMs: Math.round(acceptMs),
      completeMs: Math.round(completeMs),
      entriesPerSecond,
      settledMs: Math.round(settledMs),
      refusedLines,
      progress,
      baseline: { proposals: baselineProposals, concurrency: BASELINE_CONCURRENCY, ms: Math.round(baselineMs), entriesPerSecond: baselinePerSecond },
      batchVsSingleRatio: round(entriesPerSecond / baselinePerSecond),
    };
  } finally {
    await system?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printBulk(r: BulkReport): void {
  console.log(`\nBulk: POST /v1/listings:batch, ${r.proposals} proposals and ${r.badLines} bad lines (${(r.uploadBytes / 1024 / 1024).toFixed(2)} MB)`);
  console.table({
    'batch (accepted → completed)': { entries: r.proposals, ms: r.completeMs, 'entries/s': r.entriesPerSecond },
    [`one POST /v1/listings each, c${r.baseline.concurrency}`]: { entries: r.baseline.proposals, ms: r.baseline.ms, 'entries/s': r.baseline.entriesPerSecond },
  });
  console.log(`Accepted in ${r.acceptMs} ms; completed in ${r.completeMs} ms; every lifecycle it started had sent its notice and was waiting after ${r.settledMs} ms.`);
  console.log(`Bad lines reported by number: ${r.refusedLines.join(', ')}. Batch vs one request each: ${r.batchVsSingleRatio}×.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await measureBulk(Number(process.env.BENCH_BULK_LINES ?? 10_000), Number(process.env.BENCH_BULK_BASELINE ?? 500));
  printBulk(report);
}
