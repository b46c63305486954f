import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { ROOMY_RATE_LIMITS } from '../test/support/rate-limits.js';
import { callApi, proposalFor } from './local-api.js';
import { inPool, residentId } from './queue-seed.js';

/** A Monday morning in Shanghai: each listing wait (10 working days) ends within the 30 days advanced. */
const CLOCK_START = new Date('2026-09-14T01:00:00Z');
const PROPOSE_CONCURRENCY = 16;

export interface ClockReport {
  workflows: number;
  advancedDays: number;
  proposeMs: number;
  waitingTimers: number;
  advanceMs: number;
  perWorkflowMs: number;
  timersLeft: number;
}

/**
 * Proposes `workflows` listings through the API, each starting a listing
 * workflow that waits out the representation window, then times one
 * POST /_local/clock/advance {days: 30} that runs every one of them to its listing.
 */
export async function measureClock(workflows: number): Promise<ClockReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-clock-'));
  let system: LocalSystem | undefined;
  try {
    // A thousand proposals from one officer in seconds: the limits are raised, as for the intake figures.
    system = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START, rateLimits: ROOMY_RATE_LIMITS });
    const officer = await system.deps.local!.issueToken({ role: 'agency-officer', agencyId: '310000-samr' });
    console.log(`  proposing ${workflows} listings (${PROPOSE_CONCURRENCY} at a time), each workflow waiting for its listing date`);
    let started = performance.now();
    const sys = system;
    await inPool(workflows, PROPOSE_CONCURRENCY, async (i) => {
      await callApi(sys.url, 'POST', '/v1/listings', { token: officer, idempotent: true, body: proposalFor(residentId(300_000 + i), i) });
    });
    await system.runner.whenIdle();
    const proposeMs = Math.round(performance.now() - started);
    const waitingTimers = system.runner.pendingTimers();
    console.log(`  ${waitingTimers} timers waiting; advancing the clock 30 days`);
    started = performance.now();
    await callApi(system.url, 'POST', '/_local/clock/advance', { body: { days: 30 } });
    const advanceMs = Math.round(performance.now() - started);
    return { workflows, advancedDays: 30, proposeMs, waitingTimers, advanceMs, perWorkflowMs: Math.round((advanceMs / workflows) * 100) / 100, timersLeft: system.runner.pendingTimers() };
  } finally {
    await system?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printClock(r: ClockReport): void {
  console.log(`\nVirtual clock: ${r.workflows} listing workflows waiting (${r.waitingTimers} timers, proposed in ${(r.proposeMs / 1000).toFixed(1)} s); POST /_local/clock/advance {days: ${r.advancedDays}} took ${r.advanceMs} ms, ${r.perWorkflowMs} ms per workflow; ${r.timersLeft} timers left waiting after it (listing expiries)`);
}
