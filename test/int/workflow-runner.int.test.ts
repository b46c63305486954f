import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
const DAY_MS = 86_400 * SECOND_MS;
const TASKS_FUNCTION = 'arn:local:lambda:BlacklistDueProcess/TasksFunction';

interface TaskCall {
  functionRef: string;
  task: string;
  payload: Record<string, unknown>;
  /** Virtual time of the call. */
  at: Date;
}

type Handler = (payload: Record<string, unknown>, attempt: number) => unknown;

/** The task Lambda stand-in: routes on `task` like the dispatcher, and records every call. */
class RecordingTasks {
  readonly calls: TaskCall[] = [];
  clock?: VirtualClock;

  constructor(private readonly handlers: Record<string, Handler>) {}

  readonly invoke: TaskInvoker = async (functionRef, payload) => {
    const body = payload as Record<string, unknown>;
    const task = String(body.task);
    this.calls.push({ functionRef, task, payload: body, at: this.clock!.now() });
    const handler = this.handlers[task];
    if (!handler) throw named('UnknownTask', `No task handler named ${task}`);
    return handler(body, this.of(task).length);
  };

  of(task: string): TaskCall[] {
    return this.calls.filter((c) => c.task === task);
  }

  tokens(): string[] {
    return this.of('awaitDecision').map((c) => String(c.payload.taskToken));
  }
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
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
  const clock = await VirtualClock.open(join(dir, 'clock.json'));
  tasks.clock = clock;
  const store = new ExecutionStore(join(dir, 'executions'));
  const runner = new LocalWorkflowRunner({ definitions, invokeTask: tasks.invoke, clock, store });
  opened.push(runner);
  const started = await runner.start();
  return { runner, clock, started };
}

async function describeOrThrow(runner: LocalWorkflowRunner, executionArn: string): Promise<ExecutionRecord> {
  const record = await runner.describeExecution(executionArn);
  if (!record) throw new Error(`No execution ${executionArn}`);
  return record;
}

const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);

function caseReviewTasks(agencySeconds: number, overrides: Record<string, Handler> = {}) {
  return new RecordingTasks({
    openReview: () => ({ secondsLeft: agencySeconds }),
    awaitDecision: () => ({ registered: true }),
    escalateCase: () => ({ secondsLeft: 10 * 86_400 }),
    markOverdue: () => ({ secondsLeft: 86_400 }),
    ...overrides,
  });
}

async function startCase(runner: LocalWorkflowRunner, name = 'case-1') {
  const { executionArn } = await runner.startExecution('caseReview', name, { caseId: name, entryId: 'entry-1' });
  await runner.whenIdle();
  return executionArn;
}

describe('caseReview callbacks', () => {
  it('completes the agency decision with sendTaskSuccess and ends SUCCEEDED with the decision in the output', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    const [registration] = tasks.of('awaitDecision');
    expect(registration).toMatchObject({ functionRef: TASKS_FUNCTION, payload: { task: 'awaitDecision', caseId: 'case-1', level: 'agency' } });
    const token = String(registration!.payload.taskToken);
    expect(token).not.toBe(TOKEN_PLACEHOLDER);
    expect(token.length).toBeGreaterThan(0);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitAgencyDecision', kind: 'callback', token, registered: true } });

    await runner.sendTaskSuccess(token, { outcome: 'upheld', reasons: 'namesake' });
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toMatchObject({ caseId: 'case-1', review: { secondsLeft: 3600 }, decision: { outcome: 'upheld', reasons: 'namesake' } });
    expect(record.stoppedAt).toBeDefined();
    expect(tasks.of('escalateCase')).toHaveLength(0);
  });

  it('refuses an unknown token, the placeholder, and a token already used, with TaskDoesNotExist', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);
    const [token] = tasks.tokens();

    await expect(runner.sendTaskSuccess('local-never-issued', {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskSuccess(TOKEN_PLACEHOLDER, {})).rejects.toBeInstanceOf(TaskDoesNotExist);

    await runner.sendTaskSuccess(token!, { outcome: 'rejected' });
    // Run it twice: the second completion is refused and changes nothing.
    await expect(runner.sendTaskSuccess(token!, { outcome: 'upheld' })).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskFailure(token!, 'Whatever')).rejects.toBeInstanceOf(TaskDoesNotExist);
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toMatchObject({ decision: { outcome: 'rejected' } });
  });

  it('fails the execution with the error a sendTaskFailure names', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const executionArn = await startCase(runner);

    await runner.sendTaskFailure(tasks.tokens()[0]!, 'CaseWithdrawn', 'the agency withdrew the listing');
    await runner.whenIdle();

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'FAILED', error: { error: 'CaseWithdrawn', cause: 'the agency withdrew the listing' } });
  });

  it('mints a distinct token for each callback entry: agency, province, and the province again after an overdue mark', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    await runner.advance(at(t0, 3600 * SECOND_MS + MINUTE_MS));
    expect(tasks.of('escalateCase')).toHaveLength(1);
    // The provincial deadline is 10 days from the escalation.
    await runner.advance(at(t0, 11 * DAY_MS));
    expect(tasks.of('markOverdue')).toHaveLength(1);

    const registrations = tasks.of('awaitDecision');
    expect(registrations.map((c) => c.payload.level)).toEqual(['agency', 'province', 'province']);
    const tokens = tasks.tokens();
    expect(new Set([...tokens, TOKEN_PLACEHOLDER]).size).toBe(4);

    // Only the newest token is live.
    await expect(runner.sendTaskSuccess(tokens[0]!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(runner.sendTaskSuccess(tokens[1]!, {})).rejects.toBeInstanceOf(TaskDoesNotExist);
    await runner.sendTaskSuccess(tokens[2]!, { outcome: 'upheld', level: 'province' });
    await runner.whenIdle();

    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toMatchObject({ decision: { outcome: 'upheld', level: 'province' }, breach: { Error: 'States.Timeout' } });
  });
});

describe('caseReview deadlines on the virtual clock', () => {
  it('escalates only when the clock passes the agency deadline, exactly once, before advance() returns', async () => {
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
    expect(tasks.of('escalateCase')).toHaveLength(0);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitAgencyDecision' });

    await runner.advance(new Date(dueMs));
    expect(tasks.of('escalateCase')).toHaveLength(1);
    expect(tasks.of('escalateCase')[0]!.at.getTime()).toBeGreaterThanOrEqual(dueMs);
    expect((await describeOrThrow(runner, executionArn)).parked).toMatchObject({ stateName: 'AwaitProvincialDecision', kind: 'callback' });

    await runner.advance(at(t0, 2 * 3600 * SECOND_MS));
    expect(tasks.of('escalateCase')).toHaveLength(1);
  });

  it('holds a 40-day deadline (beyond the 24.8-day Node timer limit) until the clock reaches it, without real waiting', async () => {
    const started = performance.now();
    const tasks = caseReviewTasks(40 * 86_400, { escalateCase: () => ({ secondsLeft: 60 * 86_400 }) });
    const { runner, clock } = await openRunner(tasks);
    const t0 = clock.now();
    const executionArn = await startCase(runner);

    await runner.advance(at(t0, 25 * DAY_MS));
    await runner.advance(at(t0, 40 * DAY_MS - MINUTE_MS));
    expect(tasks.of('escalateCase')).toHaveLength(0);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitAgencyDecision' } });

    await runner.advance(at(t0, 40 * DAY_MS + MINUTE_MS));
    expect(tasks.of('escalateCase')).toHaveLength(1);
    // The provincial wait (60 days, also beyond the timer limit) was entered and holds too.
    await runner.advance(at(t0, 99 * DAY_MS));
    expect(tasks.of('markOverdue')).toHaveLength(0);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitProvincialDecision' } });
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('listingLifecycle waits on the virtual clock', () => {
  function listingTasks(t0: Date, listed = true) {
    return new RecordingTasks({
      sendPreListingNotice: () => ({ sent: true }),
      listEntry: () => ({ listed, expiresAt: at(t0, 400 * DAY_MS).toISOString() }),
      delistAtExpiry: () => ({ delisted: true }),
    });
  }

  it('lists when the representation window closes (30 days) and delists at expiry (400 days), each exactly once', async () => {
    const started = performance.now();
    const probe = await VirtualClock.open(join(dir, 'clock.json'));
    const t0 = probe.now();
    const tasks = listingTasks(t0);
    const { runner } = await openRunner(tasks);
    const { executionArn } = await runner.startExecution('listingLifecycle', 'entry-1', { entryId: 'entry-1', representationDeadlineAt: at(t0, 30 * DAY_MS).toISOString() });
    await runner.whenIdle();
    expect(tasks.of('sendPreListingNotice')).toHaveLength(1);

    await runner.advance(at(t0, 30 * DAY_MS - MINUTE_MS));
    expect(tasks.of('listEntry')).toHaveLength(0);
    await runner.advance(at(t0, 30 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);
    expect(tasks.of('listEntry')[0]!.at.getTime()).toBeGreaterThanOrEqual(at(t0, 30 * DAY_MS).getTime());

    await runner.advance(at(t0, 400 * DAY_MS - MINUTE_MS));
    expect(tasks.of('delistAtExpiry')).toHaveLength(0);
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitExpiry', kind: 'wait', dueAt: at(t0, 400 * DAY_MS).toISOString() } });

    await runner.advance(at(t0, 400 * DAY_MS));
    await runner.advance(at(t0, 800 * DAY_MS));
    expect(tasks.of('listEntry')).toHaveLength(1);
    expect(tasks.of('delistAtExpiry')).toHaveLength(1);
    const record = await describeOrThrow(runner, executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.output).toMatchObject({ listing: { listed: true }, delisting: { delisted: true } });
    expect(runner.pendingTimers()).toBe(0);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('ends at NotListed without an expiry wait when the entry was not listed', async () => {
    const probe = await VirtualClock.open(join(dir, 'clock.json'));
    const t0 = probe.now();
    const tasks = listingTasks(t0, false);
    const { runner } = await openRunner(tasks);
    const { executionArn } = await runner.startExecution('listingLifecycle', 'entry-2', { entryId: 'entry-2', representationDeadlineAt: at(t0, 30 * DAY_MS).toISOString() });

    await runner.advance(at(t0, 31 * DAY_MS));

    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { listing: { listed: false } } });
    expect(tasks.of('delistAtExpiry')).toHaveLength(0);
  });
});

describe('task retries on the virtual clock', () => {
  it('retries a TransientFailure with back-off (2 s, then 4 s) only as the clock advances, then continues', async () => {
    const tasks = caseReviewTasks(3600, {
      openReview: (_payload, attempt) => {
        if (attempt <= 2) throw named('TransientFailure', `store unavailable (attempt ${attempt})`);
        return { secondsLeft: 3600 };
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
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitAgencyDecision' } });
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
    expect(await describeOrThrow(runner, executionArn)).toMatchObject({ status: 'FAILED', error: { error: 'TransientFailure' } });
  });

  it('does not retry a non-transient error: the execution fails with its name', async () => {
    const tasks = caseReviewTasks(3600, {
      openReview: () => {
        throw named('DomainError', 'case-1 was not found');
      },
    });
    const { runner, clock } = await openRunner(tasks);
    const executionArn = await startCase(runner);
    await runner.advance(at(clock.now(), DAY_MS));

    expect(tasks.of('openReview')).toHaveLength(1);
    const record = await describeOrThrow(runner, executionArn);
    expect(record).toMatchObject({ status: 'FAILED', error: { error: 'DomainError', cause: 'case-1 was not found' } });
    expect(record.parked).toBeUndefined();
    expect(tasks.of('awaitDecision')).toHaveLength(0);
  });
});

describe('restart', () => {
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

    await second.runner.sendTaskSuccess(token!, { outcome: 'upheld' });
    await second.runner.whenIdle();

    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'SUCCEEDED', output: { decision: { outcome: 'upheld' } } });
    expect(secondTasks.calls).toHaveLength(0);
  });

  it('keeps the callback deadline across a restart: escalates once, at the original due time', async () => {
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

    await second.runner.advance(new Date(Date.parse(dueAt) - MINUTE_MS));
    expect(secondTasks.of('escalateCase')).toHaveLength(0);
    await second.runner.advance(new Date(dueAt));
    expect(secondTasks.of('escalateCase')).toHaveLength(1);
    expect(secondTasks.of('awaitDecision').map((c) => c.payload.level)).toEqual(['province']);
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitProvincialDecision' } });
  });

  it('fires a Wait pending across a restart once, at its original due time', async () => {
    const probe = await VirtualClock.open(join(dir, 'clock.json'));
    const t0 = probe.now();
    const handlers = {
      sendPreListingNotice: () => ({ sent: true }),
      listEntry: () => ({ listed: true, expiresAt: at(t0, 400 * DAY_MS).toISOString() }),
      delistAtExpiry: () => ({ delisted: true }),
    };
    const firstTasks = new RecordingTasks(handlers);
    const first = await openRunner(firstTasks);
    const { executionArn } = await first.runner.startExecution('listingLifecycle', 'entry-1', { entryId: 'entry-1', representationDeadlineAt: at(t0, 30 * DAY_MS).toISOString() });
    await first.runner.advance(at(t0, 100 * DAY_MS));
    expect(firstTasks.of('listEntry')).toHaveLength(1);
    await first.runner.close();

    const secondTasks = new RecordingTasks(handlers);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    await second.runner.advance(at(t0, 400 * DAY_MS - MINUTE_MS));
    expect(secondTasks.calls).toHaveLength(0);

    await second.runner.advance(at(t0, 400 * DAY_MS));
    await second.runner.advance(at(t0, 500 * DAY_MS));
    expect(secondTasks.calls.map((c) => c.task)).toEqual(['delistAtExpiry']);
    expect(secondTasks.calls[0]!.at.getTime()).toBeGreaterThanOrEqual(at(t0, 400 * DAY_MS).getTime());
    expect((await describeOrThrow(second.runner, executionArn)).status).toBe('SUCCEEDED');
  });

  it('resumes a retry back-off after a restart with its attempts and due time', async () => {
    const failTwice: Handler = (_payload, attempt) => {
      if (attempt <= 2) throw named('TransientFailure', 'store unavailable');
      return { secondsLeft: 3600 };
    };
    const firstTasks = caseReviewTasks(3600, { openReview: failTwice });
    const first = await openRunner(firstTasks);
    const t0 = first.clock.now();
    const executionArn = await startCase(first.runner);
    await first.runner.advance(at(t0, 2500));
    expect(firstTasks.of('openReview')).toHaveLength(2);
    await first.runner.close();

    // The second process has seen two failures already; its third call succeeds.
    const secondTasks = caseReviewTasks(3600, { openReview: (payload, attempt) => failTwice(payload, attempt + 2) });
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 1 });
    expect(secondTasks.of('openReview')).toHaveLength(0);
    await second.runner.advance(at(t0, 5500));
    expect(secondTasks.of('openReview')).toHaveLength(0);
    await second.runner.advance(at(t0, 6500));
    expect(secondTasks.of('openReview')).toHaveLength(1);
    expect(await describeOrThrow(second.runner, executionArn)).toMatchObject({ status: 'RUNNING', parked: { stateName: 'AwaitAgencyDecision' } });
  });
});

describe('startExecution', () => {
  it('returns the same executionArn for the same name and runs once', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);

    const a = await runner.startExecution('caseReview', 'case-1', { caseId: 'case-1', entryId: 'entry-1' });
    const b = await runner.startExecution('caseReview', 'case-1', { caseId: 'case-1', entryId: 'entry-1' });
    await runner.whenIdle();

    expect(b.executionArn).toBe(a.executionArn);
    expect(tasks.of('openReview')).toHaveLength(1);
    expect(tasks.of('awaitDecision')).toHaveLength(1);
  });

  it('runs once when the same name is started twice at the same moment', async () => {
    const tasks = caseReviewTasks(3600);
    const { runner } = await openRunner(tasks);
    const input = { caseId: 'case-1', entryId: 'entry-1' };

    const [a, b] = await Promise.all([runner.startExecution('caseReview', 'case-1', input), runner.startExecution('caseReview', 'case-1', input)]);
    await runner.whenIdle();

    expect(b.executionArn).toBe(a.executionArn);
    expect(tasks.of('openReview')).toHaveLength(1);
  });

  it('does not start a second run of a finished execution after a restart', async () => {
    const firstTasks = caseReviewTasks(3600);
    const first = await openRunner(firstTasks);
    const executionArn = await startCase(first.runner);
    await first.runner.sendTaskSuccess(firstTasks.tokens()[0]!, { outcome: 'upheld' });
    await first.runner.whenIdle();
    await first.runner.close();

    const secondTasks = caseReviewTasks(3600);
    const second = await openRunner(secondTasks);
    expect(second.started).toEqual({ resumed: 0 });
    expect((await second.runner.startExecution('caseReview', 'case-1', { caseId: 'case-1', entryId: 'entry-1' })).executionArn).toBe(executionArn);
    await second.runner.whenIdle();
    expect(secondTasks.calls).toHaveLength(0);
  });
});
