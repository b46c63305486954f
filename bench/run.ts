import { writeFile } from 'node:fs/promises';
import { measureBulk, printBulk } from './bulk.js';
import { measureClock, printClock } from './clock.js';
import { measureCost, printCost } from './cost.js';
import { measureIntake, printIntake } from './intake.js';
import { measureLambdaBundles, printLambdaBundles } from './lambda-bundles.js';
import { measureQueue, printQueue } from './queue.js';
import { runPartnerReceiptBench } from './partner-receipt.js';

/** Per concurrency level; a filing takes tens of ms of CPU on this machine, so more would not fit the run in about five minutes. */
const INTAKE_FILINGS = Number(process.env.BENCH_INTAKE_FILINGS ?? 500);
const INTAKE_CONCURRENCY = [16, 64];
const CLOCK_WORKFLOWS = Number(process.env.BENCH_CLOCK_WORKFLOWS ?? 1000);
const QUEUE_CASES = 10_000;
const BULK_LINES = Number(process.env.BENCH_BULK_LINES ?? 10_000);
/** The same proposals one request each, for the batch's baseline. */
const BULK_BASELINE = Number(process.env.BENCH_BULK_BASELINE ?? 500);
const QUEUE_GOAL_P99_MS = 50;
/** Enough rounds that the p99 is not simply the slowest request. */
const QUEUE_RUNS = 200;

/** `npm run bench`: measures, prints, and records the figures in bench/results.json. */
const step = (name: string) => console.log(`\n== ${name} (${new Date().toISOString()})`);
step('lambda bundles and cold init');
const lambda = await measureLambdaBundles();
printLambdaBundles(lambda);
step(`intake at concurrency ${INTAKE_CONCURRENCY.join(' and ')}`);
const intake = await measureIntake(INTAKE_FILINGS, INTAKE_CONCURRENCY);
printIntake(intake);
step(`virtual clock with ${CLOCK_WORKFLOWS} waiting workflows`);
const clock = await measureClock(CLOCK_WORKFLOWS);
printClock(clock);
step('cost per typical case');
const cost = await measureCost();
printCost(cost);
step(`queue with ${QUEUE_CASES} open cases`);
const queueReport = await measureQueue({ cases: QUEUE_CASES, baselineCases: 10, runs: QUEUE_RUNS });
printQueue(queueReport);
const firstPage = queueReport.probes['big · first page (limit 50)']!;
const queue = { ...queueReport, firstPage: { p50Ms: firstPage.medianMs, p99Ms: firstPage.p99Ms, goalP99Ms: QUEUE_GOAL_P99_MS, goalMet: firstPage.p99Ms < QUEUE_GOAL_P99_MS } };
console.log(`Queue first page at ${QUEUE_CASES} open cases: p50 ${firstPage.medianMs} ms, p99 ${firstPage.p99Ms} ms over ${firstPage.runs} runs; goal p99 < ${QUEUE_GOAL_P99_MS} ms: ${queue.firstPage.goalMet ? 'met' : 'NOT met'}`);
step(`listing batch of ${BULK_LINES} lines`);
const bulk = await measureBulk(BULK_LINES, BULK_BASELINE);
printBulk(bulk);
step('partner receipt');
const partners = await runPartnerReceiptBench();

const results = { lambda, intake, clock, cost, queue, bulk, partners, measuredAt: new Date().toISOString() };
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

console.log('\n== Summary');
console.table({
  ...Object.fromEntries(Object.entries(lambda.functions).map(([name, f]) => [`lambda ${name} (minified KB · cold init ms, median of ${f.coldStart.runs})`, { figure: `${f.minifiedKb} · ${f.coldStart.medianReadyMs}`, goal: `≤ ${lambda.goalKb} KB: ${f.withinGoal ? 'met' : 'NOT met'}` }])),
  'intake c16 (cases/s · p50 · p99 ms)': { figure: `${intake.levels[0]!.filings.perSecond} · ${intake.levels[0]!.filings.p50Ms} · ${intake.levels[0]!.filings.p99Ms}`, goal: '' },
  'intake c64 (cases/s · p50 · p99 ms)': { figure: `${intake.levels[1]!.filings.perSecond} · ${intake.levels[1]!.filings.p50Ms} · ${intake.levels[1]!.filings.p99Ms}`, goal: '' },
  'raw PutItem c16 / c64 (puts/s)': { figure: `${intake.levels[0]!.rawPut.perSecond} / ${intake.levels[1]!.rawPut.perSecond}`, goal: '' },
  intakeVsRawPutRatio: { figure: String(intake.intakeVsRawPutRatio), goal: `≥ ${intake.goalRatio}: ${intake.goalMet ? 'met' : 'NOT met'}` },
  [`clock +30 days, ${clock.workflows} workflows`]: { figure: `${clock.advanceMs} ms (${clock.perWorkflowMs} ms each)`, goal: '' },
  [`queue first page, ${QUEUE_CASES} cases (p50 · p99 ms)`]: { figure: `${firstPage.medianMs} · ${firstPage.p99Ms}`, goal: `p99 < ${QUEUE_GOAL_P99_MS}: ${queue.firstPage.goalMet ? 'met' : 'NOT met'}` },
  [`bulk: ${bulk.proposals} proposals in one batch (entries/s · vs one request each)`]: { figure: `${bulk.entriesPerSecond} · ${bulk.batchVsSingleRatio}×`, goal: `${bulk.refusedLines.length} bad lines reported by number` },
  ...Object.fromEntries(Object.entries(cost.cases).map(([name, c]) => [`cost: ${name}`, { figure: `${c.transitions} transitions, ${c.lambdaInvocations} Lambda calls, ${c.dynamoWriteUnits} WCU`, goal: `$${c.usdPer1000} per 1,000` }])),
});
console.log('Wrote bench/results.json');
