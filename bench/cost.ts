import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_CREDENTIALS } from '../infra/local/stores.js';
import { startLocalSystem, type LocalSystem } from '../infra/local/system.js';
import type { TaskHandler } from '../functions/tasks/dispatch.js';
import { TASK_HANDLERS } from '../functions/tasks/handlers.js';
import { ExecutionStore } from '../workflows/local-runner/execution-store.js';
import { ROOMY_RATE_LIMITS } from '../test/support/rate-limits.js';
import { countWrites } from './dynamo-writes.js';
import { callApi, proposalFor, uploadPdf } from './local-api.js';
import { percentile, round } from './queue-latency.js';
import { residentId } from './queue-seed.js';

/**
 * On-demand prices as written here on 2026-11-21 from the AWS pricing pages
 * for us-east-1 (not fetched at run time; check them before relying on the totals).
 * Step Functions Standard: aws.amazon.com/step-functions/pricing; Lambda:
 * aws.amazon.com/lambda/pricing (arm64); DynamoDB on-demand: aws.amazon.com/dynamodb/pricing/on-demand.
 */
export const PRICES = {
  region: 'us-east-1',
  writtenOn: '2026-11-21',
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaMemoryGb: 128 / 1024,
  dynamoPerWriteUnit: 0.625 / 1_000_000,
} as const;

/** A Tuesday morning in Shanghai, as in bench/partner-receipt.ts. */
const CLOCK_START = new Date('2026-09-01T02:00:00Z');
const AGENCY = '310000-samr';

export interface CaseCost {
  transitions: number;
  /** API requests (each an invocation of the API Lambda) and task invocations by the workflows. */
  lambdaInvocations: number;
  apiRequests: number;
  taskInvocations: number;
  dynamoWrites: number;
  dynamoWriteUnits: number;
  usdPer1000: number;
}

export interface CostReport {
  prices: typeof PRICES;
  /** Median in-process duration of the measured invocations (API requests from the client's side, tasks around the handler), priced as Lambda duration. */
  medianInvocationMs: number;
  cases: Record<string, CaseCost>;
  notes: string[];
}

interface Counters {
  api: number;
  tasks: number;
  durations: number[];
}

/** The task handlers, each counted and timed as an invocation of the tasks Lambda. */
function countedHandlers(counters: Counters): Record<string, TaskHandler> {
  return Object.fromEntries(Object.entries(TASK_HANDLERS).map(([name, handler]) => [name, async (payload: unknown, deps: Parameters<TaskHandler>[1]) => {
    counters.tasks++;
    const started = performance.now();
    try {
      return await handler(payload, deps);
    } finally {
      counters.durations.push(performance.now() - started);
    }
  }]));
}


/**
 * Runs four typical cases on one local system and measures each phase:
 * listings (proposal, listing, expiry), an objection decided in time, one
 * escalated to the province and decided there, and a repair. Transitions
 * come from the runner's execution records, invocations from counted API
 * requests and task handlers, writes from the DynamoDB client.
 */
export async function measureCost(): Promise<CostReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-cost-'));
  const counters: Counters = { api: 0, tasks: 0, durations: [] };
  let system: LocalSystem | undefined;
  let sizer: DynamoDBClient | undefined;
  try {
    system = await startLocalSystem({ dataDir, port: 0, clockStart: CLOCK_START, rateLimits: ROOMY_RATE_LIMITS, taskHandlers: countedHandlers(counters) });
    const sys = system;
    sizer = new DynamoDBClient({ endpoint: sys.services.dynamodb, region: 'local', credentials: LOCAL_CREDENTIALS });
    const writes = countWrites(sys.dynamo, { sizeUpdates: sizer });
    const executions = new ExecutionStore(sys.services.executions!);
    const transitions = async () => (await executions.all()).reduce((n, r) => n + (r.transitions ?? 0), 0);
    const api = async <T>(method: string, path: string, options: Parameters<typeof callApi>[3] = {}) => {
      counters.api++;
      const started = performance.now();
      try {
        return await callApi<T>(sys.url, method, path, options);
      } finally {
        counters.durations.push(performance.now() - started);
      }
    };
    const token = (request: Parameters<NonNullable<typeof sys.deps.local>['issueToken']>[0]) => sys.deps.local!.issueToken(request);
    const advance = async (body: unknown) => {
      await callApi(sys.url, 'POST', '/_local/clock/advance', { body });
      await sys.runner.whenIdle();
    };
    let mark = { transitions: 0, api: 0, tasks: 0 };
    const phase = async (): Promise<Omit<CaseCost, 'usdPer1000'>> => {
      await sys.runner.whenIdle();
      const now = { transitions: await transitions(), api: counters.api, tasks: counters.tasks };
      const w = writes.take();
      const d = { transitions: now.transitions - mark.transitions, apiRequests: now.api - mark.api, taskInvocations: now.tasks - mark.tasks };
      mark = now;
      return { ...d, lambdaInvocations: d.apiRequests + d.taskInvocations, dynamoWrites: w.items, dynamoWriteUnits: w.writeUnits };
    };
    const scale = (c: Omit<CaseCost, 'usdPer1000'>, by: number) => ({ transitions: c.transitions / by, apiRequests: c.apiRequests / by, taskInvocations: c.taskInvocations / by, lambdaInvocations: c.lambdaInvocations / by, dynamoWrites: c.dynamoWrites / by, dynamoWriteUnits: c.dynamoWriteUnits / by });
    const sum = (a: Omit<CaseCost, 'usdPer1000'>, b: Omit<CaseCost, 'usdPer1000'>) => ({ transitions: a.transitions + b.transitions, apiRequests: a.apiRequests + b.apiRequests, taskInvocations: a.taskInvocations + b.taskInvocations, lambdaInvocations: a.lambdaInvocations + b.lambdaInvocations, dynamoWrites: a.dynamoWrites + b.dynamoWrites, dynamoWriteUnits: a.dynamoWriteUnits + b.dynamoWriteUnits });

    await phase();
    writes.take();
    // Four entries proposed and listed; each case below uses one.
    const officer = await token({ role: 'agency-officer', agencyId: AGENCY });
    const subjects = [0, 1, 2, 3].map((i) => residentId(400_000 + i));
    const entries: string[] = [];
    for (const [i, id] of subjects.entries()) entries.push((await api<{ entryId: string }>('POST', '/v1/listings', { token: officer, idempotent: true, body: proposalFor(id, i) })).entryId);
    await advance({ to: '2026-09-16T09:00:00+08:00' });
    const listing = scale(await phase(), 4);

    const reviewer = await token({ role: 'agency-reviewer', agencyId: AGENCY });
    const fileObjection = async (i: number) => {
      const subject = await token({ role: 'subject', subjectId: subjects[i]! });
      const evidence = await uploadPdf(sys.url, subject, 500_000 + i);
      counters.api++; // POST /v1/evidence (the PUT goes to S3)
      return (await api<{ caseId: string }>('POST', '/v1/cases', { token: subject, idempotent: true, body: { kind: 'objection', entryId: entries[i]!, grounds: '该处罚决定已被撤销，附撤销决定书', evidence: [evidence] } })).caseId;
    };
    const inTime = await fileObjection(1);
    await api('POST', `/v1/cases/${inTime}/decision`, { token: reviewer, body: { outcome: 'rejected', reasons: '证据不足' } });
    const objection = await phase();

    const escalating = await fileObjection(2);
    await advance({ days: 14 });
    await api('POST', `/v1/cases/${escalating}/decision`, { token: await token({ role: 'provincial-reviewer', provinceCode: '310000' }), body: { outcome: 'rejected', reasons: '证据不足' } });
    const escalated = await phase();

    // A repair may be asked for once the listing has run its minimum term.
    await advance({ to: '2027-09-03T10:00:00+08:00' });
    await phase();
    const repairCase = (await api<{ caseId: string }>('POST', '/v1/cases', { token: await token({ role: 'subject', subjectId: subjects[3]! }), idempotent: true, body: { kind: 'repair', entryId: entries[3]!, grounds: '罚款已缴纳', commitment: true } })).caseId;
    await api('POST', `/v1/cases/${repairCase}/decision`, { token: await token({ role: 'agency-reviewer', agencyId: AGENCY }), body: { outcome: 'upheld', reasons: '已履行' } });
    const repair = await phase();

    // The other three run to their expiry.
    await advance({ days: 1825 });
    const expiry = scale(await phase(), 3);

    const medianInvocationMs = round(percentile(counters.durations, 50));
    const priced = (c: Omit<CaseCost, 'usdPer1000'>): CaseCost => {
      const usd = c.transitions * PRICES.stepFunctionsPerTransition
        + c.lambdaInvocations * (PRICES.lambdaPerRequest + PRICES.lambdaMemoryGb * (medianInvocationMs / 1000) * PRICES.lambdaArmPerGbSecond)
        + c.dynamoWriteUnits * PRICES.dynamoPerWriteUnit;
      return { ...Object.fromEntries(Object.entries(c).map(([k, v]) => [k, round(v)])) as Omit<CaseCost, 'usdPer1000'>, usdPer1000: round(usd * 1000, 4) };
    };
    return {
      prices: PRICES,
      medianInvocationMs,
      cases: {
        'listing with expiry': priced(sum(listing, expiry)),
        'objection decided in time': priced(objection),
        'objection escalated, decided by the province': priced(escalated),
        'repair approved': priced(repair),
      },
      notes: [
        'Lambda invocations: API requests the case makes (the sign-in and the evidence PUT to S3 excluded) plus task invocations by the workflows; duration priced at the median of all measured in-process durations, which a deployed Lambda will not match exactly.',
        'Write units: ceil(item size / 1 KB) per item written; an UpdateItem sized by the item after it. Reads, S3, SES, SMS and Cognito are not included.',
        'The listing figure is the proposal and listing (averaged over 4 entries) plus the expiry (averaged over 3).',
      ],
    };
  } finally {
    await system?.close();
    sizer?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printCost(r: CostReport): void {
  console.log(`\nCost per typical case, measured on the local system; on-demand prices for ${r.prices.region} as written in bench/cost.ts on ${r.prices.writtenOn}: Step Functions Standard $0.025 per 1,000 transitions, Lambda $0.20 per 1M requests + 128 MB arm64 GB-s at a median ${r.medianInvocationMs} ms, DynamoDB $0.625 per 1M write units`);
  console.table(Object.fromEntries(Object.entries(r.cases).map(([name, c]) => [name, { transitions: c.transitions, 'Lambda calls': c.lambdaInvocations, 'DynamoDB writes': c.dynamoWrites, 'write units': c.dynamoWriteUnits, 'USD per 1,000': c.usdPer1000 }])));
  for (const note of r.notes) console.log(`  ${note}`);
}
