import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TaskDoesNotExist, type MachineKey } from '../../shared/workflows/engine.js';
import type { AslDefinition } from '../../workflows/local-runner/definition-transform.js';
import { TOKEN_PLACEHOLDER } from '../../workflows/local-runner/definition-transform.js';
import { ExecutionStore, type ExecutionRecord } from '../../workflows/local-runner/execution-store.js';
import { LocalWorkflowRunner, type TaskInvoker } from '../../workflows/local-runner/runner.js';
import { VirtualClock } from '../../workflows/local-runner/virtual-clock.js';
import { synthesizeDefinitions } from '../../workflows/synthesized-definitions.js';

/*
 * The local runner executing the deployed (synthesized) state machines, with
 * the test's own task handlers. Every deadline is reached by advancing the
 * virtual clock; nothing waits on real time.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_S = 86_400;
const DAY_MS = DAY_S * SECOND_MS;
const TASKS_FUNCTION = 'arn:local:lambda:BlacklistDueProcess/TasksFunction';
/**
 * Where every test's virtual clock starts: months away from real time, so a
 * date taken from the real clock (as the library stamps Execution.StartTime)
 * cannot pass for a virtual one.
 */
const CLOCK_START = new Date('2027-03-01T00:00:00Z');

interface TaskCall {
  functionRef: string;
  task: string;
  payload: Record<string, unknown>;
  /** Virtual time of the call. */
  at: Date;
}

/** A task handler; `attempt` counts the calls of this task in this process, from 1; `now` is the virtual time of the call. */
type Handler = (payload: Record<string, unknown>, attempt: number, now: Date) => unknown;

/** The task Lambda stand-in: routes on `task` like the dispatcher, and records every call. */
class RecordingTasks {
  readonly calls: TaskCall[] = [];
  clock?: VirtualClock;

  constructor(private readonly handlers: Record<string, Handler>) {}

  readonly invoke: TaskInvoker = async (functionRef, payload) => {
    const body = payload as Record<string, unknown>;
    const task = String(body.task);
    const now = this.clock!.now();
    this.calls.push({ functionRef, task, payload: body, at: now });
    const handler = this.handlers[task];
    if (!handler) throw named('UnknownTask', `No task handler named ${task}`);
    return handler(body, this.of(task).length, now);
  };

  of(task: string): TaskCall[] {
    return this.calls.filter((c) => c.task === task);
  }

  /** The task tokens handed to a callback's registration task, in order. */
  tokens(task = 'awaitDecision'): string[] {
    return this.of(task).map((c) => String(c.payload.taskToken));
  }
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Answers the n-th call with the n-th result; the last one again after that.
 * A result that is itself a handler is called, for answers that depend on the time of the call.
 */
function inTurn(...results: unknown[]): Handler {
  return (payload, attempt, now) => {
    const result = results[Math.min(attempt, results.length) - 1];
    return typeof result === 'function' ? (result as Handler)(payload, attempt, now) : result;
  };
}

let definitions: Record<MachineKey, AslDefinition>;
let dir: string;
const opened: LocalWorkflowRunner[] = [];

beforeAll(() => {
  definitions = synthesizeDefinitions();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workflow-runner-'));
});

afterEach(async () => {
  for (const runner of opened.splice(0)) await runner.close();
  await rm(dir, { recursive: true, force: true });
});

/** A runner on this test's store directory and clock file; a second call is a restart. */
async function openRunner(tasks: RecordingTasks) {
  const clock = await VirtualClock.open(join(dir, 'clock.json'), CLOCK_START);
  tasks.clock = clock;
  const store = new ExecutionStore(join(dir, 'executions'));
  const runner = new LocalWorkflowRunner({ definitions, invokeTask: tasks.invoke, clock, store });
  opened.push(runner);
  const started = await runner.start();
  return { runner, clock, started };
}

/** The virtual time before any runner is opened, so handlers can answer dates relative to it. */
async function virtualNow(): Promise<Date> {
  return (await VirtualClock.open(join(dir, 'clock.json'), CLOCK_START)).now();
}

async function describeOrThrow(runner: LocalWorkflowRunner, executionArn: string): Promise<ExecutionRecord> {
  const record = await runner.describeExecution(executionArn);
  if (!record) throw new Error(`No execution ${executionArn}`);
  return record;
}

const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);

// ---------------------------------------------------------------- caseReview

const CASE_INPUT = { caseId: 'case-1', entryId: 'entry-1' };

/**
 * What OpenReview answers unless told otherwise: open at the agency, waiting for a decision for `secondsLeft`.
 * Like the real tasks, every answer carries the clock key the next wait hands to its registration.
 */
const openAnswer = (secondsLeft: number) => ({ open: true, step: 'await-decision', level: 'agency', action: 'wait', secondsLeft, clockKey: 'in-review|agency|0' });
/** What ReviewTimer answers in turn while the case is undecided: escalated to the province (10 days), then overdue (reminded daily). */
const ESCALATED = { open: true, step: 'await-decision', level: 'province', action: 'escalated', secondsLeft: 10 * DAY_S, clockKey: 'escalated|province|0' };
const OVERDUE = { open: true, step: 'await-decision', level: 'province', action: 'overdue', secondsLeft: DAY_S, clockKey: 'escalated|province|1' };
/** What ReviewTimer answers for a decided case. */
const CLOSED = { open: false, step: 'closed', clockKey: 'decided' };

/**
 * The review's tasks over one fake case. The machine discards what a wake-up
 * sends, so, as with the real API, a decision is recorded on the case before
 * the review is woken (`decideAndWake`); ReviewTimer then finds it decided.
 */
function caseReviewTasks(agencySeconds: number, overrides: Record<string, Handler> = {}) {
  const theCase = { decided: false };
  let deadlinesPassed = 0;
  const tasks = new RecordingTasks({
    openReview: () => openAnswer(agencySeconds),
    awaitDecision: () => ({}),
    awaitSupplement: () => ({}),
    reviewTimer: () => (theCase.decided ? CLOSED : [ESCALATED, OVERDUE][Math.min(deadlinesPassed++, 1)]),
    closeReview: () => ({ status: 'decided' }),
    ...overrides,
  });
  return Object.assign(tasks, {
    /** The API's part in a decision: record it on the case, then complete the parked wait with its token. */
    decideAndWake: (runner: LocalWorkflowRunner, token: string) => {
      theCase.decided = true;
      return runner.sendTaskSuccess(token, { outcome: 'upheld', reasons: 'namesake' });
    },
  });
}

async function startCase(runner: LocalWorkflowRunner, name = 'case-1') {
  const { executionArn } = await runner.startExecution('caseReview', name, { caseId: name, entryId: 'entry-1' });
  await runner.whenIdle();
  return executionArn;
}

describe('caseReview callbacks', () => {
  it('completes AwaitDecision with sendTaskSuccess, then looks again with ReviewTimer at once, closes the review and ends SUCCEEDED', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    expect(tasks.of('openReview').map((c) => c.payload)).toEqual([{ task: 'openReview', ...CASE_INPUT }]);
    const [registration] = tasks.of('awaitDecision');
    const token = String(registration!.payload.taskToken);
    // The registration gets the clock key OpenReview answered, to compare with the case's own.
    expect(registration).toMatchObject({ functionRef: TASKS_FUNCTION, payload: { task: 'awaitDecision', ...CASE_INPUT, clockKey: openAnswer(3600).clockKey, taskToken: token } });
    expect(Object.keys(registration!.payload).sort()).toEqual(['caseId', 'clockKey', 'entryId', 'task', 'taskToken']);
    expect(token).not.toBe(TOKEN_PLACEHOLDER);
    expect(token.length).toBeGreaterThan(0);
    const parked = (await describeOrThrow(runner, executionArn)).parked!;
    expect(parked).toMatchObject({ stateName: 'AwaitDecision', kind: 'callback', token, registered: true });
    expect(tasks.of('reviewTimer')).toHaveLength(0);
    expect(tasks.of('closeReview')).toHaveLength(0);

    await tasks.decideAndWake(runner, token);
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'awaitDecision', 'reviewTimer', 'closeReview']);
    // Woken, not timed out: ReviewTimer ran before the deadline without the clock being advanced, and the deadline's timer went with the callback.
    expect(tasks.of('reviewTimer')[0]!.at.getTime()).toBeLessThan(Date.parse(parked.dueAt!));
    expect(tasks.of('reviewTimer').map((c) => c.payload)).toEqual([{ task: 'reviewTimer', ...CASE_INPUT }]);
    expect(tasks.of('closeReview').map((c) => c.payload)).toEqual([{ task: 'closeReview', ...CASE_INPUT }]);
    // AwaitDecision discards what the API sent: the decision lives with the case, not in the execution.
    expect(record.output).toEqual({ ...CASE_INPUT, review: CLOSED, closed: { status: 'decided' } });
    expect(record.stoppedAt).toBeDefined();
    expect(record.parked).toBeUndefined();
    // OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(record.transitions).toBe(7);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('refuses an unknown token, the placeholder, and a token already used, with TaskDoesNotExist', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);
    const [token] = tasks.tokens();

    await expect(runner.sendTaskSuccess('local-never-issued', {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskSuccess(TOKEN_PLACEHOLDER, {})).rejects.toBeInstanceOf(TaskDoesNotExist);

    await tasks.decideAndWake(runner, token!);
    // Run it twice: the second completion is refused and changes nothing.
    await expect(runner.sendTaskSuccess(token!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskFailure(token!, 'Whatever')).rejects.toBeInstanceOf(TaskDoesNotExist);
    await runner.whenIdle();

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { closed: { status: 'decided' } }, transitions: 7 });
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(tasks.of('closeReview')).toHaveLength(1);
  });

  it('fails the execution with the error a sendTaskFailure names, without closing the review', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    await runner.sendTaskFailure(tasks.tokens()[0]!, 'CaseWithdrawn', 'the agency withdrew the listing');
    await runner.whenIdle();

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'FAILED', error: { error: 'CaseWithdrawn', cause: 'the agency withdrew the listing' } });
    expect(tasks.of('closeReview')).toHaveLength(0);
    expect(tasks.of('reviewTimer')).toHaveLength(0);
    // The failure took the deadline's timer with it.
    expect(runner.pendingTimers()).toBe(0);
  });

  it('mints a distinct token for each AwaitDecision entry: agency, after escalation, and after an overdue mark', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    await runner.advance(at(t0, 3600 * SECOND_MS + MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(tasks.of('awaitDecision')).toHaveLength(2);
    // The provincial deadline is 10 days from the escalation.
    await runner.advance(at(t0, 11 * DAY_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(2);
    expect(tasks.of('reviewTimer').map((c) => c.payload)).toEqual([
      { task: 'reviewTimer', ...CASE_INPUT },
      { task: 'reviewTimer', ...CASE_INPUT },
    ]);

    const registrations = tasks.of('awaitDecision');
    expect(registrations).toHaveLength(3);
    for (const r of registrations) expect(r.payload).toMatchObject({ task: 'awaitDecision', ...CASE_INPUT });
    // Each registration carries the clock key of the answer it waits on.
    expect(registrations.map((r) => r.payload.clockKey)).toEqual([openAnswer(3600).clockKey, ESCALATED.clockKey, OVERDUE.clockKey]);
    const tokens = tasks.tokens();
    expect(new Set([...tokens, TOKEN_PLACEHOLDER]).size).toBe(4);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', kind: 'callback', token: tokens[2] } });

    // Only the newest token is live.
    await expect(runner.sendTaskSuccess(tokens[0]!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskSuccess(tokens[1]!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await tasks.decideAndWake(runner, tokens[2]!);
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(tasks.of('reviewTimer')).toHaveLength(3);
    expect(tasks.of('awaitDecision')).toHaveLength(3);
    // The catches discard the timeout errors and the wake-up's output; ReviewTimer's last answer is what the review closed on.
    expect(record.output).toEqual({ ...CASE_INPUT, review: CLOSED, closed: { status: 'decided' } });
    expect(tasks.of('closeReview')).toHaveLength(1);
    // OpenReview, Next step?, then AwaitDecision, ReviewTimer, Next step? three times, CloseReview, Closed.
    expect(record.transitions).toBe(13);
  });

  it('closes without waiting when OpenReview finds the case already decided', async () => {
    const tasks = caseReviewTasks(3600, { openReview: () => CLOSED });
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { review: CLOSED, closed: { status: 'decided' } } });
    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'closeReview']);
    // OpenReview, Next step?, CloseReview, Closed.
    expect((await describeOrThrow(runner, executionArn)).transitions).toBe(4);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('closes when ReviewTimer finds the case decided (a lost wake-up), without another AwaitDecision', async () => {
    const tasks = caseReviewTasks(3600, { reviewTimer: () => CLOSED });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);
    const { dueAt } = (await describeOrThrow(runner, executionArn)).parked!;

    await runner.advance(at(t0, 2 * 3600 * SECOND_MS));

    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'awaitDecision', 'reviewTimer', 'closeReview']);
    // Nobody woke it: the deadline did.
    expect(tasks.of('reviewTimer')[0]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(dueAt!));
    // OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { review: CLOSED, closed: { status: 'decided' } }, transitions: 7 });
    expect(runner.pendingTimers()).toBe(0);
  });

  it('parks in AwaitSupplement with a fresh token and the deadline ReviewTimer gives when it answers await-info, and looks again with ReviewTimer when the supplement wakes it', async () => {
    // The API requests material and wakes the review; the clock stands still for five days; the supplement arrives; the API decides.
    const paused = { open: true, step: 'await-info', level: 'agency', action: 'wait', secondsLeft: 5 * DAY_S, clockKey: 'info-requested|agency|0' };
    const resumed = { ...openAnswer(3 * DAY_S), clockKey: 'in-review|agency|1' };
    const tasks = caseReviewTasks(3600, { reviewTimer: inTurn(paused, resumed, CLOSED) });
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);
    const [asked] = tasks.tokens();
    const firstDue = (await describeOrThrow(runner, executionArn)).parked!.dueAt!;

    await runner.sendTaskSuccess(asked!, {});
    await runner.whenIdle();

    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'awaitDecision', 'reviewTimer', 'awaitSupplement']);
    const [registration] = tasks.of('awaitSupplement');
    const token = String(registration!.payload.taskToken);
    expect(registration).toMatchObject({ functionRef: TASKS_FUNCTION, payload: { task: 'awaitSupplement', ...CASE_INPUT, clockKey: paused.clockKey, taskToken: token } });
    expect(Object.keys(registration!.payload).sort()).toEqual(['caseId', 'clockKey', 'entryId', 'task', 'taskToken']);
    expect(new Set([asked, token, TOKEN_PLACEHOLDER]).size).toBe(3);
    await expect(runner.sendTaskSuccess(asked!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    const parked = (await describeOrThrow(runner, executionArn)).parked!;
    expect(parked).toMatchObject({ stateName: 'AwaitSupplement', kind: 'callback', token, registered: true });
    // Its own deadline: the five days ReviewTimer answered (counted from entering the wait, just after), not the hour OpenReview gave AwaitDecision.
    const dueMs = Date.parse(parked.dueAt!);
    const answeredAt = tasks.of('reviewTimer')[0]!.at.getTime();
    expect(dueMs - answeredAt).toBeGreaterThanOrEqual(5 * DAY_MS);
    expect(dueMs - answeredAt).toBeLessThan(5 * DAY_MS + 5 * SECOND_MS);

    // AwaitDecision's deadline went with its callback; AwaitSupplement's holds until its own due time.
    await runner.advance(new Date(Date.parse(firstDue) + MINUTE_MS));
    await runner.advance(new Date(dueMs - MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitSupplement', token, dueAt: parked.dueAt } });

    await runner.sendTaskSuccess(token, { supplied: true });
    await runner.whenIdle();

    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'awaitDecision', 'reviewTimer', 'awaitSupplement', 'reviewTimer', 'awaitDecision']);
    expect(tasks.of('reviewTimer')[1]!.at.getTime()).toBeLessThan(dueMs);
    const [, again] = tasks.of('awaitDecision');
    expect(again!.payload).toMatchObject({ clockKey: resumed.clockKey });
    expect(new Set([asked, token, again!.payload.taskToken, TOKEN_PLACEHOLDER]).size).toBe(4);
    await expect(runner.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', token: again!.payload.taskToken } });
    // Passing the supplement's old due time runs nothing.
    await runner.advance(new Date(dueMs + MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(2);

    await runner.sendTaskSuccess(String(again!.payload.taskToken), {});
    await runner.whenIdle();
    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    // What the supplement's wake-up sent is discarded like a decision's.
    expect(record.output).toEqual({ ...CASE_INPUT, review: CLOSED, closed: { status: 'decided' } });
    // OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, AwaitSupplement, ReviewTimer, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(record.transitions).toBe(13);
    expect(runner.pendingTimers()).toBe(0);
  });
});

describe('caseReview deadlines on the virtual clock', () => {
  it('runs ReviewTimer only when the clock passes the deadline, exactly once, before advance() returns', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    const parked = (await describeOrThrow(runner, executionArn)).parked!;
    const dueMs = Date.parse(parked.dueAt!);
    // Due secondsLeft after the callback was entered (a few real milliseconds after t0).
    expect(dueMs - t0.getTime()).toBeGreaterThanOrEqual(3600 * SECOND_MS);
    expect(dueMs - t0.getTime()).toBeLessThan(3600 * SECOND_MS + 5 * SECOND_MS);

    await runner.advance(new Date(dueMs - MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(0);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitDecision', dueAt: parked.dueAt });

    await runner.advance(new Date(dueMs));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(tasks.of('reviewTimer')[0]!.at.getTime()).toBeGreaterThanOrEqual(dueMs);
    // Back in AwaitDecision with a new token, the clock key and the provincial deadline from ReviewTimer's answer.
    const again = (await describeOrThrow(runner, executionArn)).parked!;
    expect(again).toMatchObject({ stateName: 'AwaitDecision', kind: 'callback', token: tasks.tokens()[1] });
    expect(tasks.of('awaitDecision')[1]!.payload).toMatchObject({ clockKey: ESCALATED.clockKey, taskToken: tasks.tokens()[1] });
    expect(Date.parse(again.dueAt!) - dueMs).toBeGreaterThanOrEqual(10 * DAY_MS);
    expect(Date.parse(again.dueAt!) - dueMs).toBeLessThan(10 * DAY_MS + 5 * SECOND_MS);

    await runner.advance(at(t0, 2 * 3600 * SECOND_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(tasks.of('awaitDecision')).toHaveLength(2);
  });

  it('waits again for the time ReviewTimer reports when the deadline moved', async () => {
    const moved = { ...openAnswer(2 * DAY_S), clockKey: 'in-review|agency|1' };
    const tasks = caseReviewTasks(3600, { reviewTimer: inTurn(moved, ESCALATED) });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    await runner.advance(at(t0, 3600 * SECOND_MS + MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    await runner.advance(at(t0, 2 * DAY_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', token: tasks.tokens()[1] } });

    await runner.advance(at(t0, 2 * DAY_MS + 3600 * SECOND_MS + MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(2);
    expect(tasks.of('awaitDecision')).toHaveLength(3);
  });

  it('holds a 40-day deadline (beyond the 24.8-day Node timer limit) until the clock reaches it, without real waiting', async () => {
    const started = performance.now();
    const tasks = caseReviewTasks(40 * DAY_S, { reviewTimer: () => ({ ...ESCALATED, secondsLeft: 60 * DAY_S }) });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    await runner.advance(at(t0, 25 * DAY_MS));
    await runner.advance(at(t0, 40 * DAY_MS - MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(0);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', token: tasks.tokens()[0] } });

    await runner.advance(at(t0, 40 * DAY_MS + MINUTE_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    // The provincial wait (60 days, also beyond the timer limit) was entered and holds too.
    await runner.advance(at(t0, 99 * DAY_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', token: tasks.tokens()[1] } });
    await runner.advance(at(t0, 101 * DAY_MS));
    expect(tasks.of('reviewTimer')).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

// ---------------------------------------------------------- listingLifecycle

/** Whole seconds from the call until `until`, at least 1: how the real tasks answer secondsLeft, AwaitExpiry's timeout. */
const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/**
 * What ListEntry answers for a listed entry: when it expires, when the execution looks again
 * (the expiry, or the execution's horizon when the expiry lies beyond it), and in how many seconds from the call.
 */
const listedUntil =
  (expiresAt: Date, waitUntil = expiresAt): Handler =>
  (_payload, _attempt, now) => ({ outcome: 'listed', expiresAt: expiresAt.toISOString(), waitUntil: waitUntil.toISOString(), secondsLeft: secondsUntil(waitUntil, now) });

/** What DelistAtExpiry answers when the period was extended (or lies beyond the horizon): look again at `waitUntil`. */
const waitingUntil =
  (waitUntil: Date): Handler =>
  (_payload, _attempt, now) => ({ outcome: 'waiting', waitUntil: waitUntil.toISOString(), secondsLeft: secondsUntil(waitUntil, now) });

/**
 * Handlers for a listing proposed at t0, due for listing after 30 days and expiring after 300, unless told otherwise.
 * Every date stays within a year of the start: AWS ends a Standard execution after one year, and the runner does not.
 */
function listingTasks(t0: Date, overrides: Record<string, Handler> = {}) {
  return new RecordingTasks({
    sendPreListingNotice: () => ({ served: ['email', 'sms'] }),
    listEntry: listedUntil(at(t0, 300 * DAY_MS)),
    awaitRepresentation: () => ({}),
    awaitExpiry: () => ({}),
    delistAtExpiry: () => ({ outcome: 'delisted' }),
    continueListing: () => ({ executionArn: 'arn:aws:states:local:000000000000:execution:listingLifecycle:entry-1-c1' }),
    ...overrides,
  });
}

async function startListing(runner: LocalWorkflowRunner, t0: Date, name = 'entry-1') {
  const input = { entryId: name, listingDueAt: at(t0, 30 * DAY_MS).toISOString() };
  const { executionArn } = await runner.startExecution('listingLifecycle', name, input);
  await runner.whenIdle();
  return { executionArn, input };
}

/**
 * Checks that the listing is parked in AwaitExpiry on the token its newest awaitExpiry registration got,
 * registered with the waitUntil the listing answered, and times out secondsLeft after the state was entered:
 * at waitUntil or within a second after it (secondsLeft is rounded up to whole seconds, and the clock moves
 * on a few real milliseconds between the answer and the entry). Returns that due time and the token.
 */
async function parkedInAwaitExpiry(runner: LocalWorkflowRunner, executionArn: string, tasks: RecordingTasks, waitUntil: Date) {
  const registration = tasks.of('awaitExpiry').at(-1);
  const token = String(registration?.payload.taskToken);
  expect(registration?.payload).toEqual({ task: 'awaitExpiry', entryId: 'entry-1', waitUntil: waitUntil.toISOString(), taskToken: token });
  const record = await describeOrThrow(runner, executionArn);
  expect(record).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitExpiry', kind: 'callback', token, registered: true } });
  const dueAt = new Date(record.parked!.dueAt!);
  expect(dueAt.getTime() - waitUntil.getTime()).toBeGreaterThanOrEqual(0);
  expect(dueAt.getTime() - waitUntil.getTime()).toBeLessThan(2 * SECOND_MS);
  return { dueAt, token };
}

describe('listingLifecycle waits on the virtual clock', () => {
  it('lists when the window closes (30 days) and delists when the AwaitExpiry timeout passes (300 days), each exactly once, in 9 transitions', async () => {
    const started = performance.now();
    const t0 = await virtualNow();
    const tasks = listingTasks(t0);
    const { runner } = await openRunner(tasks);
    const { executionArn, input } = await startListing(runner, t0);
    const { startedAt } = await describeOrThrow(runner, executionArn);
    expect(tasks.of('sendPreListingNotice').map((c) => c.payload)).toEqual([{ task: 'sendPreListingNotice', entryId: 'entry-1' }]);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitListingDate', kind: 'wait', dueAt: input.listingDueAt } });

    await runner.advance(at(t0, 30 * DAY_MS - MINUTE_MS));
    expect(tasks.of('listEntry')).toHaveLength(0);
    await runner.advance(at(t0, 30 * DAY_MS));
    expect(tasks.of('listEntry').map((c) => c.payload)).toEqual([{ task: 'listEntry', entryId: 'entry-1', executionStartedAt: startedAt }]);
    expect(tasks.of('listEntry')[0]!.at.getTime()).toBeGreaterThanOrEqual(at(t0, 30 * DAY_MS).getTime());

    // Listed: parked on a callback, its token handed to the awaitExpiry registration with the waitUntil ListEntry answered.
    expect(tasks.of('awaitExpiry').map((c) => c.functionRef)).toEqual([TASKS_FUNCTION]);
    const { dueAt, token } = await parkedInAwaitExpiry(runner, executionArn, tasks, at(t0, 300 * DAY_MS));
    expect(token).not.toBe(TOKEN_PLACEHOLDER);
    await runner.advance(new Date(dueAt.getTime() - MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(0);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitExpiry', token, dueAt: dueAt.toISOString() });

    await runner.advance(dueAt);
    expect(tasks.of('delistAtExpiry').map((c) => c.payload)).toEqual([{ task: 'delistAtExpiry', entryId: 'entry-1', executionStartedAt: startedAt }]);
    expect(tasks.of('delistAtExpiry')[0]!.at.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(tasks.of('delistAtExpiry')[0]!.at.getTime()).toBeLessThan(dueAt.getTime() + SECOND_MS);
    // The timeout ended the callback: its token is void.
    await expect(runner.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await runner.advance(at(t0, 360 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);
    expect(tasks.of('awaitExpiry')).toHaveLength(1);
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    expect(tasks.of('continueListing')).toHaveLength(0);
    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    // SendPreListingNotice's result and the caught States.Timeout are discarded; DelistAtExpiry's answer replaces ListEntry's.
    expect(record.output).toEqual({ ...input, listing: { outcome: 'delisted' } });
    // Phase?, SendPreListingNotice, AwaitListingDate, ListEntry, Listing outcome?, AwaitExpiry, DelistAtExpiry, Expired?, Removed.
    expect(record.transitions).toBe(9);
    expect(runner.pendingTimers()).toBe(0);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('tells the tasks when the execution started in virtual time, the same at every step however far the clock moved', async () => {
    const t0 = await virtualNow();
    // The clock runs months away from real time, so a real-time start could not pass for the virtual one.
    expect(Math.abs(t0.getTime() - Date.now())).toBeGreaterThan(30 * DAY_MS);
    const tasks = listingTasks(t0);
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);
    await runner.advance(at(t0, 301 * DAY_MS));

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(Date.parse(record.startedAt)).toBeGreaterThanOrEqual(t0.getTime());
    expect(Date.parse(record.startedAt)).toBeLessThan(t0.getTime() + 5 * SECOND_MS);
    const aged = [...tasks.of('listEntry'), ...tasks.of('delistAtExpiry')];
    expect(aged.map((c) => c.task)).toEqual(['listEntry', 'delistAtExpiry']);
    for (const call of aged) expect(call.payload.executionStartedAt, call.task).toBe(record.startedAt);
    // Only the tasks that answer a wait are told the execution's age.
    expect(tasks.of('sendPreListingNotice')[0]!.payload).not.toHaveProperty('executionStartedAt');
    expect(tasks.of('awaitExpiry')[0]!.payload).not.toHaveProperty('executionStartedAt');
  });

  it('waits until the time ListEntry gives (waitUntil, in secondsLeft), not the expiry', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { listEntry: listedUntil(at(t0, 700 * DAY_MS), at(t0, 330 * DAY_MS)) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 31 * DAY_MS));
    const { dueAt } = await parkedInAwaitExpiry(runner, executionArn, tasks, at(t0, 330 * DAY_MS));
    await runner.advance(new Date(dueAt.getTime() - MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(0);
    await runner.advance(dueAt);
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    expect(tasks.of('delistAtExpiry')[0]!.at.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
  });

  it('goes back to AwaitExpiry when DelistAtExpiry answers waiting, and delists at the time it gives', async () => {
    const t0 = await virtualNow();
    const waitUntil = at(t0, 350 * DAY_MS);
    const tasks = listingTasks(t0, { delistAtExpiry: inTurn(waitingUntil(waitUntil), { outcome: 'delisted' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 300 * DAY_MS + MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    const [first] = tasks.tokens('awaitExpiry');
    const { dueAt, token } = await parkedInAwaitExpiry(runner, executionArn, tasks, waitUntil);
    // Entered afresh: registered again with a new token; the first is void.
    expect(tasks.of('awaitExpiry')).toHaveLength(2);
    expect(new Set([first, token, TOKEN_PLACEHOLDER]).size).toBe(3);
    await expect(runner.sendTaskSuccess(first!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);

    await runner.advance(new Date(dueAt.getTime() - MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    await runner.advance(dueAt);
    await runner.advance(at(t0, 360 * DAY_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(2);
    expect(tasks.of('delistAtExpiry')[1]!.at.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(tasks.of('listEntry')).toHaveLength(1);
    expect(tasks.of('continueListing')).toHaveLength(0);

    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } } });
    // The 9 of a plain run, and AwaitExpiry, DelistAtExpiry, Expired? once more.
    expect(record.transitions).toBe(12);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('ends at Removed when DelistAtExpiry finds the entry already off the list', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { delistAtExpiry: () => ({ outcome: 'ended' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 301 * DAY_MS));

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'ended' } }, transitions: 9 });
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    expect(tasks.of('continueListing')).toHaveLength(0);
  });

  it('ends at NotListed without an expiry wait when the entry was not listed, in 6 transitions', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { listEntry: () => ({ outcome: 'not-listed' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 31 * DAY_MS));

    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'not-listed' } } });
    // Phase?, SendPreListingNotice, AwaitListingDate, ListEntry, Listing outcome?, NotListed.
    expect(record.transitions).toBe(6);
    expect(tasks.calls.map((c) => c.task)).toEqual(['sendPreListingNotice', 'listEntry']);
    expect(runner.pendingTimers()).toBe(0);
  });
});

describe('listingLifecycle woken in AwaitExpiry', () => {
  it('runs DelistAtExpiry at once when a decision wakes AwaitExpiry with its token, and waits again with a new token until the corrected expiry', async () => {
    const t0 = await virtualNow();
    const corrected = at(t0, 200 * DAY_MS);
    const tasks = listingTasks(t0, { delistAtExpiry: inTurn(waitingUntil(corrected), { outcome: 'delisted' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn, input } = await startListing(runner, t0);
    await runner.advance(at(t0, 100 * DAY_MS));
    const first = await parkedInAwaitExpiry(runner, executionArn, tasks, at(t0, 300 * DAY_MS));

    // The decision moved the expiry earlier and completes the parked wait with its token.
    await runner.sendTaskSuccess(first.token, { expiresAt: corrected.toISOString() });
    await runner.whenIdle();

    expect(tasks.calls.map((c) => c.task)).toEqual(['sendPreListingNotice', 'listEntry', 'awaitExpiry', 'delistAtExpiry', 'awaitExpiry']);
    // Woken, not timed out: DelistAtExpiry ran without the clock being advanced.
    expect(tasks.of('delistAtExpiry')[0]!.at.getTime()).toBeLessThan(at(t0, 100 * DAY_MS + MINUTE_MS).getTime());
    const second = await parkedInAwaitExpiry(runner, executionArn, tasks, corrected);
    expect(new Set([first.token, second.token, TOKEN_PLACEHOLDER]).size).toBe(3);
    await expect(runner.sendTaskSuccess(first.token, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    // The first timeout went with its callback; only the corrected one is pending.
    expect(runner.pendingTimers()).toBe(1);

    await runner.advance(new Date(second.dueAt.getTime() - MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    await runner.advance(second.dueAt);
    expect(tasks.of('delistAtExpiry')).toHaveLength(2);
    expect(tasks.of('delistAtExpiry')[1]!.at.getTime()).toBeGreaterThanOrEqual(second.dueAt.getTime());
    // Passing the first due time runs nothing more.
    await runner.advance(at(t0, 301 * DAY_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(2);
    const record = await describeOrThrow(runner, executionArn);
    // AwaitExpiry discards what the wake-up sent: the listing is DelistAtExpiry's answer.
    expect(record).toMatchObject({ status: 'SUCCEEDED' });
    expect(record.output).toEqual({ ...input, listing: { outcome: 'delisted' } });
    // The 9 of a plain run, and AwaitExpiry, DelistAtExpiry, Expired? once more.
    expect(record.transitions).toBe(12);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('goes on at once when the registration itself wakes AwaitExpiry (the entry left the list before the token was stored)', async () => {
    const t0 = await virtualNow();
    let wakeUp: (token: string) => Promise<void> = async () => undefined;
    const tasks = listingTasks(t0, {
      awaitExpiry: async (payload) => {
        await wakeUp(String(payload.taskToken));
        return {};
      },
      delistAtExpiry: () => ({ outcome: 'ended' }),
    });
    const { runner } = await openRunner(tasks);
    wakeUp = (token) => runner.sendTaskSuccess(token, {});
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 30 * DAY_MS));

    expect(tasks.calls.map((c) => c.task)).toEqual(['sendPreListingNotice', 'listEntry', 'awaitExpiry', 'delistAtExpiry']);
    expect(tasks.of('delistAtExpiry')[0]!.at.getTime()).toBeLessThan(at(t0, 30 * DAY_MS + MINUTE_MS).getTime());
    // The 9 of a plain run: the wake-up takes the place of the timeout.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'ended' } }, transitions: 9 });
    expect(runner.pendingTimers()).toBe(0);
  });
});

describe('listingLifecycle beyond one execution', () => {
  it('enters a continuation ({ entryId, phase: listed }) at DelistAtExpiry, with no notice and no listing', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0);
    const { runner } = await openRunner(tasks);
    const input = { entryId: 'entry-1', phase: 'listed' };
    const { executionArn } = await runner.startExecution('listingLifecycle', 'entry-1-c1', input);
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(tasks.calls.map((c) => c.payload)).toEqual([{ task: 'delistAtExpiry', entryId: 'entry-1', executionStartedAt: record.startedAt }]);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { ...input, listing: { outcome: 'delisted' } } });
    // Phase?, DelistAtExpiry, Expired?, Removed.
    expect(record.transitions).toBe(4);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('waits in a continuation when DelistAtExpiry answers waiting, then delists', async () => {
    const t0 = await virtualNow();
    const waitUntil = at(t0, 100 * DAY_MS);
    const tasks = listingTasks(t0, { delistAtExpiry: inTurn(waitingUntil(waitUntil), { outcome: 'delisted' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await runner.startExecution('listingLifecycle', 'entry-1-c1', { entryId: 'entry-1', phase: 'listed' });
    await runner.whenIdle();
    const { dueAt } = await parkedInAwaitExpiry(runner, executionArn, tasks, waitUntil);

    await runner.advance(dueAt);
    const record = await describeOrThrow(runner, executionArn);
    expect(tasks.calls.map((c) => c.task)).toEqual(['delistAtExpiry', 'awaitExpiry', 'delistAtExpiry']);
    for (const call of tasks.of('delistAtExpiry')) expect(call.payload.executionStartedAt).toBe(record.startedAt);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } } });
    // Phase?, DelistAtExpiry, Expired?, AwaitExpiry, DelistAtExpiry, Expired?, Removed.
    expect(record.transitions).toBe(7);
  });

  it('starts from the notice when the input has another phase', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { listEntry: () => ({ outcome: 'not-listed' }) });
    const { runner } = await openRunner(tasks);
    const input = { entryId: 'entry-1', listingDueAt: at(t0, 30 * DAY_MS).toISOString(), phase: 'proposed' };
    const { executionArn } = await runner.startExecution('listingLifecycle', 'entry-1', input);
    await runner.advance(at(t0, 31 * DAY_MS));

    expect(tasks.calls.map((c) => c.task)).toEqual(['sendPreListingNotice', 'listEntry']);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', transitions: 6 });
  });

  it('continues as a new execution when DelistAtExpiry answers continue: ContinueAsNew, then ContinuedAsNew; the new one picks up at DelistAtExpiry', async () => {
    const t0 = await virtualNow();
    const horizon = at(t0, 330 * DAY_MS);
    const expiresAt = at(t0, 600 * DAY_MS);
    let startContinuation: (payload: Record<string, unknown>) => Promise<{ executionArn: string }> = async () => ({ executionArn: '' });
    const tasks = listingTasks(t0, {
      listEntry: listedUntil(expiresAt, horizon),
      // The first execution reaches its horizon; the continuation waits for the expiry, then delists.
      delistAtExpiry: inTurn({ outcome: 'continue' }, waitingUntil(expiresAt), { outcome: 'delisted' }),
      // As the tasks function does: a fresh execution named after this one, entering at DelistAtExpiry.
      continueListing: (payload) => startContinuation(payload),
    });
    const { runner } = await openRunner(tasks);
    startContinuation = (payload) => runner.startExecution('listingLifecycle', `${String(payload.entryId)}-c1`, { entryId: payload.entryId, phase: 'listed' });
    const { executionArn, input } = await startListing(runner, t0);
    await runner.advance(at(t0, 30 * DAY_MS));
    const { dueAt: atHorizon } = await parkedInAwaitExpiry(runner, executionArn, tasks, horizon);

    await runner.advance(atHorizon);
    expect(tasks.of('continueListing').map((c) => c.payload)).toEqual([{ task: 'continueListing', entryId: 'entry-1', executionName: 'entry-1' }]);
    expect(tasks.of('continueListing')[0]!.at.getTime()).toBeGreaterThanOrEqual(horizon.getTime());
    const first = await describeOrThrow(runner, executionArn);
    expect(first.status).toBe('SUCCEEDED');
    // ContinueAsNew's result is discarded: the output is where DelistAtExpiry left it.
    expect(first.output).toEqual({ ...input, listing: { outcome: 'continue' } });
    // The 9 of a plain run with ContinueAsNew, ContinuedAsNew in place of Removed.
    expect(first.transitions).toBe(10);

    const continuationArn = executionArn.replace(/entry-1$/, 'entry-1-c1');
    const continuation = await describeOrThrow(runner, continuationArn);
    expect(continuation).toMatchObject({ status: 'RUNNING', input: { entryId: 'entry-1', phase: 'listed' } });
    const { dueAt: atExpiry } = await parkedInAwaitExpiry(runner, continuationArn, tasks, expiresAt);
    expect(new Set(tasks.tokens('awaitExpiry')).size).toBe(2);
    expect(Date.parse(continuation.startedAt)).toBeGreaterThanOrEqual(horizon.getTime());
    // Each execution tells its own start: the horizon counts from the continuation's.
    const delists = tasks.of('delistAtExpiry');
    expect(delists.map((c) => c.payload.executionStartedAt)).toEqual([first.startedAt, continuation.startedAt]);
    expect(tasks.of('sendPreListingNotice')).toHaveLength(1);
    expect(tasks.of('listEntry')).toHaveLength(1);

    await runner.advance(atExpiry);
    expect(tasks.of('delistAtExpiry')).toHaveLength(3);
    expect(tasks.of('continueListing')).toHaveLength(1);
    // Phase?, DelistAtExpiry, Expired?, AwaitExpiry, DelistAtExpiry, Expired?, Removed.
    expect(await describeOrThrow(runner, continuationArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } }, transitions: 7 });
    expect(runner.pendingTimers()).toBe(0);
  });
});

describe('listingLifecycle held by a representation', () => {
  const awaiting = (t0: Date) => ({ outcome: 'awaiting-representation', caseId: 'case-1', deadlineAt: at(t0, 45 * DAY_MS).toISOString(), recheckSeconds: DAY_S });

  it('parks in AwaitRepresentationOutcome and lists when the review wakes it', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { listEntry: inTurn(awaiting(t0), listedUntil(at(t0, 300 * DAY_MS))) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 30 * DAY_MS));
    const [registration] = tasks.of('awaitRepresentation');
    const token = String(registration?.payload.taskToken);
    expect(registration).toMatchObject({ functionRef: TASKS_FUNCTION, payload: { task: 'awaitRepresentation', entryId: 'entry-1', taskToken: token } });
    expect(Object.keys(registration!.payload).sort()).toEqual(['entryId', 'task', 'taskToken']);
    expect(token).not.toBe(TOKEN_PLACEHOLDER);
    const parked = (await describeOrThrow(runner, executionArn)).parked!;
    expect(parked).toMatchObject({ stateName: 'AwaitRepresentationOutcome', kind: 'callback', token, registered: true });
    // The recheck is due recheckSeconds after the callback was entered.
    expect(Date.parse(parked.dueAt!) - at(t0, 30 * DAY_MS).getTime()).toBeGreaterThanOrEqual(DAY_MS);
    expect(Date.parse(parked.dueAt!) - at(t0, 30 * DAY_MS).getTime()).toBeLessThan(DAY_MS + 5 * SECOND_MS);

    await runner.advance(at(t0, 30 * DAY_MS + 12 * 3600 * SECOND_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);
    await runner.sendTaskSuccess(token, {});
    await runner.whenIdle();

    expect(tasks.of('listEntry')).toHaveLength(2);
    const expiry = await parkedInAwaitExpiry(runner, executionArn, tasks, at(t0, 300 * DAY_MS));
    expect(new Set([token, expiry.token, TOKEN_PLACEHOLDER]).size).toBe(3);
    // The recheck timer went with the callback: passing its due time runs nothing.
    await runner.advance(at(t0, 32 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(2);
    await runner.advance(expiry.dueAt);
    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } } });
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    // The 9 of a plain run, and AwaitRepresentationOutcome, ListEntry, Listing outcome? once more.
    expect(record.transitions).toBe(12);
  });

  it('runs ListEntry again when the recheck falls due, exactly once, and parks again with a new token while the representation is open', async () => {
    const t0 = await virtualNow();
    const tasks = listingTasks(t0, { listEntry: inTurn(awaiting(t0), awaiting(t0), { outcome: 'not-listed' }) });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 30 * DAY_MS));
    const firstDue = (await describeOrThrow(runner, executionArn)).parked!.dueAt!;
    await runner.advance(new Date(Date.parse(firstDue) - MINUTE_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);

    await runner.advance(new Date(firstDue));
    expect(tasks.of('listEntry')).toHaveLength(2);
    expect(tasks.of('listEntry')[1]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(firstDue));
    const tokens = tasks.tokens('awaitRepresentation');
    expect(tokens).toHaveLength(2);
    expect(new Set([...tokens, TOKEN_PLACEHOLDER]).size).toBe(3);
    await expect(runner.sendTaskSuccess(tokens[0]!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitRepresentationOutcome', token: tokens[1] } });

    await runner.advance(at(t0, 33 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(3);
    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'not-listed' } } });
    expect(record.output).not.toHaveProperty('Error');
    expect(tasks.of('delistAtExpiry')).toHaveLength(0);
    // Phase?, SendPreListingNotice, AwaitListingDate, then ListEntry, Listing outcome? three times, AwaitRepresentationOutcome twice, NotListed.
    expect(record.transitions).toBe(12);
    expect(runner.pendingTimers()).toBe(0);
  });

  it('goes on at once when the registration itself wakes the callback (the representation closed before the token was stored)', async () => {
    const t0 = await virtualNow();
    let wakeUp: (token: string) => Promise<void> = async () => undefined;
    const tasks = listingTasks(t0, {
      listEntry: inTurn(awaiting(t0), { outcome: 'not-listed' }),
      awaitRepresentation: async (payload) => {
        await wakeUp(String(payload.taskToken));
        return {};
      },
    });
    const { runner } = await openRunner(tasks);
    wakeUp = (token) => runner.sendTaskSuccess(token, {});
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 30 * DAY_MS));

    expect(tasks.calls.map((c) => c.task)).toEqual(['sendPreListingNotice', 'listEntry', 'awaitRepresentation', 'listEntry']);
    // The 6 of a run not listed, and AwaitRepresentationOutcome, ListEntry, Listing outcome? once more.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'not-listed' } }, transitions: 9 });
    expect(runner.pendingTimers()).toBe(0);
  });
});

// ------------------------------------------------------------------ retries

describe('task retries on the virtual clock', () => {
  it('retries a TransientFailure with back-off (2 s, then 4 s) only as the clock advances, then continues', async () => {
    const tasks = caseReviewTasks(3600, {
      openReview: (_payload, attempt) => {
        if (attempt <= 2) throw named('TransientFailure', `store unavailable (attempt ${attempt})`);
        return openAnswer(3600);
      },
    });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    expect(tasks.of('openReview')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'OpenReview', kind: 'retry', attempts: [1] } });

    await runner.advance(at(t0, 1500));
    expect(tasks.of('openReview')).toHaveLength(1);
    await runner.advance(at(t0, 2500));
    expect(tasks.of('openReview')).toHaveLength(2);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'OpenReview', kind: 'retry', attempts: [2] });
    await runner.advance(at(t0, 5500));
    expect(tasks.of('openReview')).toHaveLength(2);
    await runner.advance(at(t0, 6500));
    expect(tasks.of('openReview')).toHaveLength(3);

    const [first, second, third] = tasks.of('openReview').map((c) => c.at.getTime());
    expect(second! - first!).toBeGreaterThanOrEqual(2000);
    expect(second! - first!).toBeLessThan(2500);
    expect(third! - second!).toBeGreaterThanOrEqual(4000);
    expect(third! - second!).toBeLessThan(4500);

    expect(tasks.of('awaitDecision')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', kind: 'callback' } });

    await tasks.decideAndWake(runner, tasks.tokens()[0]!);
    await runner.whenIdle();
    // The 7 of an uninterrupted review, and one for each retry.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', transitions: 9 });
  });

  it('fails with TransientFailure once the retrier is exhausted (1 + 6 attempts)', async () => {
    const tasks = caseReviewTasks(3600, {
      openReview: () => {
        throw named('TransientFailure', 'store unavailable');
      },
    });
    const { runner, clock } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    await runner.advance(at(clock.now(), DAY_MS));

    expect(tasks.of('openReview')).toHaveLength(7);
    // OpenReview and its six retries.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'FAILED', error: { error: 'TransientFailure', cause: 'store unavailable' }, transitions: 7 });
    expect(tasks.of('awaitDecision')).toHaveLength(0);
  });

  it('does not retry a non-transient error: the execution fails with its name', async () => {
    const tasks = caseReviewTasks(3600, {
      openReview: () => {
        throw named('Refused.NOT_FOUND', 'case-1 was not found');
      },
    });
    const { runner, clock } = await openRunner(tasks);
    const executionArn = await startCase(runner);
    await runner.advance(at(clock.now(), DAY_MS));

    expect(tasks.of('openReview')).toHaveLength(1);
    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'FAILED', error: { error: 'Refused.NOT_FOUND', cause: 'case-1 was not found' } });
    expect(record.parked).toBeUndefined();
    expect(tasks.of('awaitDecision')).toHaveLength(0);
  });

  it('retries a transient failure of a callback registration with a fresh token; the first token is void', async () => {
    const tasks = caseReviewTasks(3600, {
      awaitDecision: (_payload, attempt) => {
        if (attempt === 1) throw named('TransientFailure', 'token not stored');
        return {};
      },
    });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    expect(tasks.of('awaitDecision')).toHaveLength(1);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', kind: 'retry', attempts: [1] } });
    await runner.advance(at(t0, 1500));
    expect(tasks.of('awaitDecision')).toHaveLength(1);
    await runner.advance(at(t0, 2500));
    const [failed, stored] = tasks.tokens();
    expect(tasks.of('awaitDecision')).toHaveLength(2);
    expect(tasks.of('awaitDecision')[1]!.at.getTime() - tasks.of('awaitDecision')[0]!.at.getTime()).toBeGreaterThanOrEqual(2000);
    expect(new Set([failed, stored, TOKEN_PLACEHOLDER]).size).toBe(3);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', kind: 'callback', token: stored, registered: true } });

    await expect(runner.sendTaskSuccess(failed!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await tasks.decideAndWake(runner, stored!);
    await runner.whenIdle();
    expect(tasks.calls.map((c) => c.task)).toEqual(['openReview', 'awaitDecision', 'awaitDecision', 'reviewTimer', 'closeReview']);
    // The 7 of an uninterrupted review, and the retry.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { closed: { status: 'decided' } }, transitions: 8 });
  });

  it('retries a transient ListEntry failure on the listing machine, then goes on to AwaitExpiry', async () => {
    const t0 = await virtualNow();
    const listed = listedUntil(at(t0, 300 * DAY_MS));
    const tasks = listingTasks(t0, {
      listEntry: (payload, attempt, now) => {
        if (attempt === 1) throw named('TransientFailure', 'store unavailable');
        return listed(payload, attempt, now);
      },
    });
    const { runner } = await openRunner(tasks);
    const { executionArn } = await startListing(runner, t0);

    await runner.advance(at(t0, 30 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'ListEntry', kind: 'retry', attempts: [1] });
    await runner.advance(at(t0, 30 * DAY_MS + 1500));
    expect(tasks.of('listEntry')).toHaveLength(1);
    await runner.advance(at(t0, 30 * DAY_MS + 2500));
    expect(tasks.of('listEntry')).toHaveLength(2);
    const { dueAt } = await parkedInAwaitExpiry(runner, executionArn, tasks, at(t0, 300 * DAY_MS));

    await runner.advance(dueAt);
    // The 9 of a plain run, and the retry.
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } }, transitions: 10 });
  });
});

// ------------------------------------------------------------------ restart

describe('restart', () => {
  it('writes a new review three times on its way to AwaitDecision: started, parked with its checkpoint, registered', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const store = ExecutionStore.prototype;
    const original = store.save;
    const saved: ExecutionRecord[] = [];
    const spy = vi.spyOn(store, 'save').mockImplementation(function (this: ExecutionStore, record: ExecutionRecord) {
      saved.push(structuredClone(record));
      return original.call(this, record);
    });
    try {
      await startCase(runner);
    } finally {
      spy.mockRestore();
    }
    expect(saved.map((r) => ({ checkpoint: r.checkpoint?.stateName, parked: r.parked && { stateName: r.parked.stateName, registered: r.parked.registered } }))).toEqual([
      { checkpoint: undefined, parked: undefined },
      { checkpoint: 'AwaitDecision', parked: { stateName: 'AwaitDecision', registered: false } },
      { checkpoint: 'AwaitDecision', parked: { stateName: 'AwaitDecision', registered: true } },
    ]);
  });

  it('runs OpenReview again after a restart that stopped it, from the input the review was started with', async () => {
    const never = new Promise<never>(() => undefined);
    const firstTasks = caseReviewTasks(3600, { openReview: () => never });
    const first = await openRunner(firstTasks);
    const { executionArn } = await first.runner.startExecution('caseReview', 'case-1', CASE_INPUT);
    await expect.poll(() => firstTasks.of('openReview').length).toBe(1);
    await first.runner.close();

    const secondTasks = caseReviewTasks(3600);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect(secondTasks.of('openReview').map((c) => c.payload)).toEqual([{ task: 'openReview', ...CASE_INPUT }]);
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitDecision', registered: true });
  });

  it('resumes a callback after a restart: same token completes it, registration is not re-run', async () => {
    const firstTasks = caseReviewTasks(3600);
    const first = await openRunner(firstTasks);
    const executionArn = await startCase(first.runner);
    const [token] = firstTasks.tokens();
    await first.runner.close();
    await expect(first.runner.sendTaskSuccess(token!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    expect((await describeOrThrow(first.runner, executionArn)).status).toBe('RUNNING');

    const secondTasks = caseReviewTasks(3600);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect(secondTasks.calls).toHaveLength(0);
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitDecision', token, registered: true });

    await secondTasks.decideAndWake(second.runner, token!);
    await second.runner.whenIdle();

    expect(secondTasks.calls.map((c) => c.task)).toEqual(['reviewTimer', 'closeReview']);
    // As uninterrupted: the callback re-entered after the restart was counted before it.
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { closed: { status: 'decided' } }, transitions: 7 });
  });

  it('keeps the callback deadline across a restart: ReviewTimer runs once, at the original due time', async () => {
    const firstTasks = caseReviewTasks(3600);
    const first = await openRunner(firstTasks);
    const t0 = first.clock.now();
    const executionArn = await startCase(first.runner);
    await first.runner.advance(at(t0, 30 * MINUTE_MS));
    const dueAt = (await describeOrThrow(first.runner, executionArn)).parked!.dueAt!;
    await first.runner.close();

    const secondTasks = caseReviewTasks(3600);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    // The clock file kept the 30 minutes already advanced.
    expect(second.clock.now().getTime()).toBeGreaterThanOrEqual(at(t0, 30 * MINUTE_MS).getTime());
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitDecision', dueAt });

    await second.runner.advance(new Date(Date.parse(dueAt) - MINUTE_MS));
    expect(secondTasks.calls).toHaveLength(0);
    await second.runner.advance(new Date(dueAt));
    expect(secondTasks.of('reviewTimer')).toHaveLength(1);
    expect(secondTasks.of('reviewTimer')[0]!.at.getTime()).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect(secondTasks.of('reviewTimer')[0]!.at.getTime()).toBeLessThan(Date.parse(dueAt) + SECOND_MS);
    // The escalated review waits again, registered afresh with a new token.
    expect(secondTasks.of('awaitDecision')).toHaveLength(1);
    expect(secondTasks.tokens()[0]).not.toBe(firstTasks.tokens()[0]);
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', token: secondTasks.tokens()[0] } });

    await secondTasks.decideAndWake(second.runner, secondTasks.tokens()[0]!);
    await second.runner.whenIdle();
    expect(secondTasks.calls.map((c) => c.task)).toEqual(['reviewTimer', 'awaitDecision', 'reviewTimer', 'closeReview']);
    // As uninterrupted: OpenReview, Next step?, AwaitDecision, ReviewTimer, Next step?, AwaitDecision, ReviewTimer, Next step?, CloseReview, Closed.
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', transitions: 10 });
  });

  it('fires a Wait pending across a restart once, at its original due time', async () => {
    const t0 = await virtualNow();
    const firstTasks = listingTasks(t0);
    const first = await openRunner(firstTasks);
    const { executionArn, input } = await startListing(first.runner, t0);
    await first.runner.advance(at(t0, 10 * DAY_MS));
    expect(firstTasks.of('listEntry')).toHaveLength(0);
    await first.runner.close();

    const secondTasks = listingTasks(t0);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitListingDate', kind: 'wait', dueAt: input.listingDueAt });
    await second.runner.advance(at(t0, 30 * DAY_MS - MINUTE_MS));
    expect(secondTasks.calls).toHaveLength(0);

    await second.runner.advance(at(t0, 30 * DAY_MS));
    await second.runner.advance(at(t0, 31 * DAY_MS));
    expect(secondTasks.calls.map((c) => c.task)).toEqual(['listEntry', 'awaitExpiry']);
    expect(secondTasks.calls[0]!.at.getTime()).toBeGreaterThanOrEqual(at(t0, 30 * DAY_MS).getTime());
    expect(secondTasks.calls[0]!.at.getTime()).toBeLessThan(at(t0, 30 * DAY_MS + SECOND_MS).getTime());
    const record = await describeOrThrow(second.runner, executionArn);
    // The resumed run is told the execution's original start, not the restart's (10 days later).
    expect(Date.parse(record.startedAt)).toBeLessThan(t0.getTime() + 5 * SECOND_MS);
    expect(secondTasks.calls[0]!.payload.executionStartedAt).toBe(record.startedAt);
    await parkedInAwaitExpiry(second.runner, executionArn, secondTasks, at(t0, 300 * DAY_MS));
    // Phase?, SendPreListingNotice, AwaitListingDate, ListEntry, Listing outcome?, AwaitExpiry: the Wait re-entered after the restart was counted before it.
    expect(record.transitions).toBe(6);
  });

  it('keeps the AwaitExpiry timeout across a restart: DelistAtExpiry runs once, at the original due time, without registering again', async () => {
    const t0 = await virtualNow();
    const firstTasks = listingTasks(t0);
    const first = await openRunner(firstTasks);
    const { executionArn } = await startListing(first.runner, t0);
    await first.runner.advance(at(t0, 100 * DAY_MS));
    expect(firstTasks.of('listEntry')).toHaveLength(1);
    const { dueAt, token } = await parkedInAwaitExpiry(first.runner, executionArn, firstTasks, at(t0, 300 * DAY_MS));
    await first.runner.close();

    const secondTasks = listingTasks(t0);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitExpiry', kind: 'callback', token, registered: true, dueAt: dueAt.toISOString() });
    await second.runner.advance(new Date(dueAt.getTime() - MINUTE_MS));
    expect(secondTasks.calls).toHaveLength(0);

    await second.runner.advance(dueAt);
    await second.runner.advance(at(t0, 360 * DAY_MS));
    expect(secondTasks.calls.map((c) => c.task)).toEqual(['delistAtExpiry']);
    expect(secondTasks.calls[0]!.at.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(secondTasks.calls[0]!.at.getTime()).toBeLessThan(dueAt.getTime() + SECOND_MS);
    await expect(second.runner.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    const record = await describeOrThrow(second.runner, executionArn);
    // The resumed run is told the execution's original start, not the restart's.
    expect(secondTasks.calls[0]!.payload.executionStartedAt).toBe(record.startedAt);
    expect(firstTasks.of('listEntry')[0]!.payload.executionStartedAt).toBe(record.startedAt);
    // As uninterrupted: the callback re-entered after the restart was counted before it.
    expect(record).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } }, transitions: 9 });
    expect(second.runner.pendingTimers()).toBe(0);
  });

  it('counts a listing resumed in AwaitListingDate as if uninterrupted', async () => {
    const t0 = await virtualNow();
    const first = await openRunner(listingTasks(t0));
    const { executionArn } = await startListing(first.runner, t0);
    expect((await describeOrThrow(first.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitListingDate', kind: 'wait' });
    await first.runner.close();

    const secondTasks = listingTasks(t0);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    await second.runner.advance(at(t0, 301 * DAY_MS));

    expect(secondTasks.calls.map((c) => c.task)).toEqual(['listEntry', 'awaitExpiry', 'delistAtExpiry']);
    // The 9 of an uninterrupted run.
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } }, transitions: 9 });
  });

  it('counts a listing resumed in AwaitRepresentationOutcome as if uninterrupted', async () => {
    const t0 = await virtualNow();
    const awaiting = { outcome: 'awaiting-representation', caseId: 'case-1', deadlineAt: at(t0, 45 * DAY_MS).toISOString(), recheckSeconds: DAY_S };
    const firstTasks = listingTasks(t0, { listEntry: () => awaiting });
    const first = await openRunner(firstTasks);
    const { executionArn } = await startListing(first.runner, t0);
    await first.runner.advance(at(t0, 30 * DAY_MS));
    const [token] = firstTasks.tokens('awaitRepresentation');
    expect((await describeOrThrow(first.runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitRepresentationOutcome', token, registered: true });
    await first.runner.close();

    const secondTasks = listingTasks(t0);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    await second.runner.sendTaskSuccess(token!, {});
    await second.runner.advance(at(t0, 301 * DAY_MS));

    expect(secondTasks.calls.map((c) => c.task)).toEqual(['listEntry', 'awaitExpiry', 'delistAtExpiry']);
    // The 12 of an uninterrupted run held by a representation.
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { outcome: 'delisted' } }, transitions: 12 });
  });

  it('resumes a retry back-off after a restart with its attempts and due time', async () => {
    const failTwice: Handler = (_payload, attempt) => {
      if (attempt <= 2) throw named('TransientFailure', 'store unavailable');
      return openAnswer(3600);
    };
    const firstTasks = caseReviewTasks(3600, { openReview: failTwice });
    const first = await openRunner(firstTasks);
    const t0 = first.clock.now();
    const executionArn = await startCase(first.runner);
    await first.runner.advance(at(t0, 2500));
    expect(firstTasks.of('openReview')).toHaveLength(2);
    await first.runner.close();

    // The second process has seen two failures already; its third call succeeds.
    const secondTasks = caseReviewTasks(3600, { openReview: (payload, attempt, now) => failTwice(payload, attempt + 2, now) });
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect(secondTasks.of('openReview')).toHaveLength(0);
    expect((await describeOrThrow(second.runner, executionArn)).parked).toMatchObject({ stateName: 'OpenReview', kind: 'retry', attempts: [2] });
    await second.runner.advance(at(t0, 5500));
    expect(secondTasks.of('openReview')).toHaveLength(0);
    await second.runner.advance(at(t0, 6500));
    expect(secondTasks.of('openReview')).toHaveLength(1);
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitDecision', kind: 'callback' } });

    await secondTasks.decideAndWake(second.runner, secondTasks.tokens()[0]!);
    await second.runner.whenIdle();
    // As uninterrupted with two retries: 7 + 2.
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', transitions: 9 });
  });
});

describe('startExecution', () => {
  it('returns the same executionArn for the same name and runs once', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);

    const a = await runner.startExecution('caseReview', 'case-1', CASE_INPUT);
    const b = await runner.startExecution('caseReview', 'case-1', CASE_INPUT);
    await runner.whenIdle();

    expect(b.executionArn).toBe(a.executionArn);
    expect(tasks.of('openReview')).toHaveLength(1);
    expect(tasks.of('awaitDecision')).toHaveLength(1);
  });

  it('runs once when the same name is started twice at the same moment', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);

    const [a, b] = await Promise.all([runner.startExecution('caseReview', 'case-1', CASE_INPUT), runner.startExecution('caseReview', 'case-1', CASE_INPUT)]);
    await runner.whenIdle();

    expect(b.executionArn).toBe(a.executionArn);
    expect(tasks.of('openReview')).toHaveLength(1);
    expect(tasks.of('awaitDecision')).toHaveLength(1);
  });

  it('does not start a second run of a finished execution after a restart', async () => {
    const firstTasks = caseReviewTasks(3600);
    const first = await openRunner(firstTasks);
    const executionArn = await startCase(first.runner);
    await firstTasks.decideAndWake(first.runner, firstTasks.tokens()[0]!);
    await first.runner.whenIdle();
    expect((await describeOrThrow(first.runner, executionArn)).status).toBe('SUCCEEDED');
    await first.runner.close();

    const secondTasks = caseReviewTasks(3600);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 0 });
    expect((await second.runner.startExecution('caseReview', 'case-1', CASE_INPUT)).executionArn).toBe(executionArn);
    await second.runner.whenIdle();
    expect(secondTasks.calls).toHaveLength(0);
    expect((await describeOrThrow(second.runner, executionArn)).status).toBe('SUCCEEDED');
  });
});
