import './promise-with-resolvers.js';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { TaskDoesNotExist, type MachineKey, type WorkflowEngine } from '../../shared/workflows/engine.js';
import { asError } from '../../shared/platform/errors.js';
import { log } from '../../shared/platform/log.js';
import { inPool } from '../../shared/platform/pool.js';
import { backoffSeconds, CHECKPOINT_PREFIX, itemProcessorDefinition, readPath, TOKEN_PLACEHOLDER, transformDefinition, type AslDefinition, type AslState, type Retrier, type StatePlan } from './definition-transform.js';
import type { ExecutionRecord, ExecutionStore, Parked } from './execution-store.js';
import type { VirtualClock } from './virtual-clock.js';

/** How long closing waits for task handler calls under way. */
const CLOSE_WAIT_MS = 10_000;

/** Calls a task handler in-process: the same code the task Lambda runs. */
export type TaskInvoker = (functionRef: string, payload: unknown) => Promise<unknown>;

interface Timer {
  dueMs: number;
  fire: () => void;
  cancelled: boolean;
  /** Ends the wait without firing, when the runner closes. */
  abandon?: (error: Error) => void;
}

interface WaitingCallback {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

class StepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Raised into every parked execution when the runner shuts down; not a failure of the execution. */
class RunnerClosed extends Error {
  override readonly name = 'RunnerClosed';
}

export interface LocalRunnerOptions {
  definitions: Record<MachineKey, AslDefinition>;
  invokeTask: TaskInvoker;
  clock: VirtualClock;
  store: ExecutionStore;
  /** How often real time is checked for timers that fell due without an advance. */
  tickMs?: number;
  /** Reads the object a Distributed Map's ItemReader names (S3 GetObject on AWS). */
  readObject?: (object: { bucket: string; key: string }) => Promise<string>;
}

/**
 * Runs the synthesized state machines with aws-local-stepfunctions, with every
 * Wait, task timeout and retry back-off driven by the virtual clock, callback
 * tokens minted per task entry, and every execution resumable after a restart.
 */
export class LocalWorkflowRunner implements WorkflowEngine {
  private readonly machines = new Map<MachineKey, { definition: AslDefinition; plans: Map<string, StatePlan> }>();
  private readonly compiled = new Map<string, StateMachine>();
  private readonly timers: Timer[] = [];
  private readonly callbacks = new Map<string, WaitingCallback>();
  private readonly aborts = new Set<() => void>();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private clockLock: Promise<unknown> = Promise.resolve();
  private ticker?: NodeJS.Timeout;
  private closed = false;
  private readonly starting = new Map<string, Promise<{ executionArn: string }>>();
  /** Task handler calls under way. */
  private readonly calls = new Set<Promise<unknown>>();

  constructor(private readonly options: LocalRunnerOptions) {
    for (const [key, definition] of Object.entries(options.definitions)) {
      const machine = transformDefinition(definition);
      this.machines.set(key as MachineKey, machine);
      // Validated once whole; a resumed run starts mid-machine, where the validator would call the states before it unreachable.
      this.compiled.set(`${key}@${machine.definition.StartAt}`, new StateMachine(machine.definition as never, { validationOptions: { checkArn: false, checkPaths: true } }));
    }
  }

  /** Resumes every execution that was running when the process last stopped. */
  async start(): Promise<{ resumed: number }> {
    await this.options.store.init();
    const running = (await this.options.store.all()).filter((r) => r.status === 'RUNNING');
    for (const record of running) this.launch(record, record.checkpoint?.stateName, record.checkpoint?.rawInput ?? record.input);
    this.ticker = setInterval(() => this.fireDue(), this.options.tickMs ?? 1000);
    this.ticker.unref();
    await this.whenIdle();
    return { resumed: running.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    // A waiting state ends with the runner: its task settles, and with it the library's own timer for the task,
    // which would otherwise hold the process open for as long as the task timeout (weeks).
    for (const t of this.timers.splice(0)) {
      t.cancelled = true;
      t.abandon?.(new RunnerClosed());
    }
    const waiting = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const cb of waiting) cb.reject(new RunnerClosed());
    for (const abort of this.aborts) abort();
    // An aborted execution does not stop a handler already running: let those calls finish (bounded) before the stores close under them.
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (this.calls.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.calls]), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref())]);
    }
  }

  async startExecution(machine: MachineKey, name: string, input: unknown) {
    if (!this.machines.has(machine)) throw new Error(`Unknown state machine ${machine}`);
    const executionArn = `arn:aws:states:local:000000000000:execution:${machine}:${name}`;
    let starting = this.starting.get(executionArn);
    if (!starting) {
      starting = this.createExecution(machine, name, executionArn, input).finally(() => this.starting.delete(executionArn));
      this.starting.set(executionArn, starting);
    }
    return starting;
  }

  private async createExecution(machine: MachineKey, name: string, executionArn: string, input: unknown) {
    const existing = await this.options.store.get(executionArn);
    if (existing) return { executionArn };
    const record: ExecutionRecord = { executionArn, machine, name, input, status: 'RUNNING', startedAt: this.options.clock.now().toISOString() };
    await this.options.store.save(record);
    // Started while the runner closes (by a task call it waits for): kept, and run at the next start.
    if (!this.closed) this.launch(record, undefined, input);
    return { executionArn };
  }

  async sendTaskSuccess(taskToken: string, output: unknown) {
    this.takeCallback(taskToken).resolve(output ?? {});
  }

  async sendTaskFailure(taskToken: string, error: string, cause?: string) {
    this.takeCallback(taskToken).reject(new StepError(error, cause ?? ''));
  }

  async describeExecution(executionArn: string) {
    return this.options.store.get(executionArn);
  }

  /** Moves the virtual clock, running everything that falls due on the way, in order. */
  advance(to: Date): Promise<Date> {
    const run = this.clockLock.then(async () => {
      await this.whenIdle();
      for (;;) {
        const next = this.nextTimer();
        if (!next || next.dueMs > to.getTime()) break;
        await this.options.clock.moveTo(new Date(next.dueMs));
        this.fireDue();
        await this.whenIdle();
      }
      await this.options.clock.moveTo(to);
      this.fireDue();
      await this.whenIdle();
      return this.options.clock.now();
    });
    this.clockLock = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every execution is finished or waiting on the clock or a callback. */
  whenIdle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private launch(record: ExecutionRecord, startAt: string | undefined, rawInput: unknown) {
    const machine = this.machines.get(record.machine as MachineKey);
    if (!machine) throw new Error(`Execution ${record.executionArn} names unknown machine ${record.machine}`);
    const from = startAt ?? machine.definition.StartAt;
    const key = `${record.machine}@${from}`;
    let sm = this.compiled.get(key);
    if (!sm) {
      sm = new StateMachine({ ...machine.definition, StartAt: from } as never, { validationOptions: { noValidate: true } });
      this.compiled.set(key, sm);
    }
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, plan] of machine.plans) {
      const resumesThere = { parksNext: plan.kind === 'wait' || plan.kind === 'callback', first: machine.definition.StartAt === CHECKPOINT_PREFIX + stateName };
      handlers[CHECKPOINT_PREFIX + stateName] = (input) => this.checkpoint(record, stateName, input, resumesThere);
      handlers[stateName] = (input) => this.runPlannedState(record, stateName, plan, input);
    }
    this.busy++;
    const execution = sm.run(rawInput as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, StartTime: record.startedAt, VirtualStartTime: record.startedAt },
        StateMachine: { Id: record.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''), Name: record.machine },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    this.aborts.add(execution.abort);
    const counted = this.countTransitions(record, execution.eventLogs, startAt);
    execution.result
      .then(
        async (output) => {
          record.status = 'SUCCEEDED';
          record.output = output;
        },
        async (error: Error & { cause?: unknown }) => {
          const inner = asError(error.cause ?? error);
          if (this.closed || inner instanceof RunnerClosed) return 'closed';
          record.status = 'FAILED';
          record.error = { error: inner.name, cause: inner.message };
        },
      )
      .then(async (outcome) => {
        if (outcome === 'closed') return;
        // The event log closes with the execution; bounded, so a log that never closes cannot hold the record back.
        await Promise.race([counted, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        record.stoppedAt = this.options.clock.now().toISOString();
        record.parked = undefined;
        await this.options.store.save(record);
      })
      .catch((error: unknown) => log.error('execution record not saved', { executionArn: record.executionArn, error: asError(error) }))
      .finally(() => {
        this.aborts.delete(execution.abort);
        this.settle();
      });
  }

  /**
   * Counts states entered as Step Functions bills them: the runner's own
   * checkpoint states are not counted, nor the state a resumed run re-enters
   * (it was counted before the restart). Retries are counted where they happen.
   */
  private async countTransitions(record: ExecutionRecord, logs: AsyncGenerator<{ type: string; state?: { name: string } }>, resumedAt: string | undefined) {
    let reentry = resumedAt;
    for await (const event of logs) {
      if (event.type !== 'StateEntered' || !event.state || event.state.name.startsWith(CHECKPOINT_PREFIX)) continue;
      if (event.state.name === reentry) {
        reentry = undefined;
        continue;
      }
      record.transitions = (record.transitions ?? 0) + 1;
    }
  }

  /**
   * The transition count is read from the library's event log, which is
   * delivered asynchronously: one turn of the event loop lets it include the
   * states entered so far before the record is saved, so a resumed run does
   * not count them again.
   */
  private letCountCatchUp(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Records where a restart resumes. It is written at once unless a restart
   * would resume there anyway: a wait or callback saves it with its park,
   * which follows at once, and a fresh execution's first state is where the
   * record as created already starts, with the same input.
   */
  private async checkpoint(record: ExecutionRecord, stateName: string, rawInput: unknown, state: { parksNext: boolean; first: boolean }) {
    const startsThere = state.first && !record.checkpoint && !record.parked;
    record.checkpoint = { stateName, rawInput };
    record.parked = undefined;
    if (state.parksNext || startsThere) return rawInput;
    await this.letCountCatchUp();
    await this.options.store.save(record);
    return rawInput;
  }

  private async runPlannedState(record: ExecutionRecord, stateName: string, plan: StatePlan, input: unknown): Promise<unknown> {
    const state = plan.original;
    if (plan.kind === 'map') return this.runDistributedMap(record, stateName, state, input);
    if (plan.kind === 'wait') {
      const parked = this.resumable(record, stateName, 'wait') ?? { stateName, kind: 'wait', dueAt: this.waitDue(state, input) };
      await this.park(record, parked);
      await this.sleepUntil(parked.dueAt!);
      return input;
    }
    return this.withRetries(record, stateName, plan.retry, async () => {
      if (plan.kind === 'task') return this.invokeResource(state.Resource ?? '', input);
      return this.runCallback(record, stateName, plan, input);
    });
  }

  private async runCallback(record: ExecutionRecord, stateName: string, plan: StatePlan, input: unknown): Promise<unknown> {
    const resumed = this.resumable(record, stateName, 'callback');
    const parked: Parked = resumed ?? { stateName, kind: 'callback', token: `local-${randomUUID()}`, dueAt: this.taskTimeoutDue(plan, record, input), registered: false };
    await this.park(record, parked);
    const outcome = new Promise<unknown>((resolve, reject) => this.callbacks.set(parked.token!, { resolve, reject }));
    outcome.catch(() => undefined);
    let timer: Timer | undefined;
    if (parked.dueAt) {
      timer = this.addTimer(Date.parse(parked.dueAt), () => this.callbacks.get(parked.token!)?.reject(new StepError('States.Timeout', `Callback ${stateName} timed out at ${parked.dueAt}`)));
    }
    try {
      if (!parked.registered) {
        const withToken = JSON.parse(JSON.stringify(input).replaceAll(TOKEN_PLACEHOLDER, parked.token!)) as { FunctionName?: string; Payload?: unknown };
        await this.invoke(withToken.FunctionName ?? plan.original.Resource ?? '', withToken.Payload ?? withToken);
        parked.registered = true;
        await this.options.store.save(record);
      }
      return await this.parkedWait(outcome);
    } finally {
      if (timer) timer.cancelled = true;
      this.callbacks.delete(parked.token!);
    }
  }

  private async withRetries(record: ExecutionRecord, stateName: string, retriers: Retrier[], attempt: () => Promise<unknown>): Promise<unknown> {
    const resumed = this.resumable(record, stateName, 'retry');
    const attempts = resumed?.attempts ?? retriers.map(() => 0);
    if (resumed?.dueAt) await this.sleepUntil(resumed.dueAt);
    for (;;) {
      try {
        return await attempt();
      } catch (thrown) {
        const error = asError(thrown);
        if (error instanceof RunnerClosed) throw error;
        const i = retriers.findIndex((r) => r.ErrorEquals.some((name) => name === error.name || name === 'States.ALL' || (name === 'States.TaskFailed' && error.name !== 'States.Timeout')));
        const retrier = retriers[i];
        if (!retrier || attempts[i]! >= (retrier.MaxAttempts ?? 3)) throw error;
        const seconds = backoffSeconds(retrier, attempts[i]!);
        attempts[i]!++;
        // Each retry is billed as a transition.
        record.transitions = (record.transitions ?? 0) + 1;
        const dueAt = new Date(this.options.clock.now().getTime() + seconds * 1000).toISOString();
        await this.park(record, { stateName, kind: 'retry', attempts, dueAt });
        await this.sleepUntil(dueAt);
      }
    }
  }

  /**
   * A Distributed Map: reads its items, batches them, and runs the
   * ItemProcessor on every batch (MaxConcurrency at once) through the library,
   * with the processor's own Retry. More failed batches than tolerated fail
   * the state as on AWS. After a restart the map runs again from its
   * checkpoint, so the processor must be idempotent, as AWS also requires.
   */
  private async runDistributedMap(record: ExecutionRecord, stateName: string, state: AslState, input: unknown): Promise<unknown[]> {
    const items = await this.readItems(stateName, state, input);
    const batcher = state.ItemBatcher as { MaxItemsPerBatch?: number; BatchInput?: Record<string, unknown> } | undefined;
    if (state.ItemSelector) throw new StepError('States.Runtime', `${stateName}: ItemSelector is not supported locally`);
    const size = batcher?.MaxItemsPerBatch ?? 1;
    const batchInput = batcher?.BatchInput ? resolveTemplate(batcher.BatchInput, input) : undefined;
    const inputs: unknown[] = [];
    for (let i = 0; i < items.length; i += size) inputs.push(batcher ? { ...(batchInput ? { BatchInput: batchInput } : {}), Items: items.slice(i, i + size) } : items[i]);
    let processor = this.compiled.get(`${record.machine}@${stateName}#processor`);
    if (!processor) {
      processor = new StateMachine(itemProcessorDefinition(state) as never, { validationOptions: { checkArn: false, checkPaths: true } });
      this.compiled.set(`${record.machine}@${stateName}#processor`, processor);
    }
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, inner] of Object.entries(state.ItemProcessor!.States)) {
      if (inner.Type === 'Task') handlers[name] = (payload) => this.invokeResource(inner.Resource ?? '', payload);
    }
    const tolerated = Math.max(Number(state.ToleratedFailureCount ?? 0), Math.floor((Number(state.ToleratedFailurePercentage ?? 0) / 100) * inputs.length));
    const outputs: unknown[] = new Array(inputs.length);
    const failures: Error[] = [];
    await inPool(inputs.length, Number(state.MaxConcurrency ?? 0) || 40, async (i) => {
      if (failures.length > tolerated) return;
      const child = processor.run(inputs[i] as never, { overrides: { taskResourceLocalHandlers: handlers as never } });
      this.aborts.add(child.abort);
      try {
        outputs[i] = await child.result;
      } catch (error) {
        const inner = asError((error as { cause?: unknown }).cause ?? error);
        if (this.closed || inner instanceof RunnerClosed) throw new RunnerClosed();
        failures.push(inner);
      } finally {
        this.aborts.delete(child.abort);
      }
    });
    if (failures.length > tolerated) {
      throw new StepError('States.ExceededToleratedFailureThreshold', `${failures.length} of ${inputs.length} item batches of ${stateName} failed; the first: ${failures[0]!.name}: ${failures[0]!.message}`);
    }
    return outputs;
  }

  private async readItems(stateName: string, state: AslState, input: unknown): Promise<unknown[]> {
    const reader = state.ItemReader as { Resource?: string; ReaderConfig?: { InputType?: string; MaxItems?: number }; Parameters?: Record<string, unknown> } | undefined;
    if (!reader) {
      const items = readPath(String(state.ItemsPath ?? '$'), input);
      if (!Array.isArray(items)) throw new StepError('States.Runtime', `${stateName}: the items are not an array`);
      return items;
    }
    const inputType = reader.ReaderConfig?.InputType;
    if (reader.Resource !== 'arn:aws:states:::s3:getObject' || (inputType !== 'JSONL' && inputType !== 'JSON')) throw new StepError('States.Runtime', `${stateName}: only JSON and JSONL objects can be read locally`);
    if (!this.options.readObject) throw new StepError('States.Runtime', `${stateName}: no object reader was configured`);
    const { Bucket: bucket, Key: key } = resolveTemplate(reader.Parameters ?? {}, input) as { Bucket: string; Key: string };
    let text: string;
    try {
      text = await this.options.readObject({ bucket, key });
    } catch (error) {
      throw new StepError('States.ItemReaderFailed', `${stateName}: ${asError(error).message}`);
    }
    const items = inputType === 'JSON' ? (JSON.parse(text) as unknown[]) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
    return reader.ReaderConfig?.MaxItems ? items.slice(0, reader.ReaderConfig.MaxItems) : items;
  }

  /** Calls a task handler, kept track of until it settles, so closing waits for the calls under way. */
  private invoke(functionRef: string, payload: unknown): Promise<unknown> {
    // Nothing new starts once the runner closes: the stores are about to close beneath it.
    if (this.closed) return Promise.reject(new RunnerClosed());
    const call = this.options.invokeTask(functionRef, payload);
    this.calls.add(call);
    const settled = () => this.calls.delete(call);
    call.then(settled, settled);
    return call;
  }

  /** A Task's resource called in-process: the Lambda invoke integration, or the function itself. */
  private async invokeResource(resource: string, input: unknown): Promise<unknown> {
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
      return { Payload: await this.invoke(FunctionName, Payload), StatusCode: 200, ExecutedVersion: '$LATEST' };
    }
    return this.invoke(resource, input);
  }

  private resumable(record: ExecutionRecord, stateName: string, kind: Parked['kind']): Parked | undefined {
    const parked = record.parked;
    return parked && parked.stateName === stateName && parked.kind === kind ? parked : undefined;
  }

  private async park(record: ExecutionRecord, parked: Parked) {
    await this.letCountCatchUp();
    record.parked = parked;
    await this.options.store.save(record);
  }

  private waitDue(state: StatePlan['original'], input: unknown): string {
    const now = this.options.clock.now().getTime();
    if (state.Seconds !== undefined) return new Date(now + state.Seconds * 1000).toISOString();
    if (state.Timestamp) return new Date(state.Timestamp).toISOString();
    if (state.SecondsPath) return new Date(now + Number(readPath(state.SecondsPath, input)) * 1000).toISOString();
    if (state.TimestampPath) {
      const at = Date.parse(String(readPath(state.TimestampPath, input)));
      if (Number.isNaN(at)) throw new StepError('States.Runtime', `${state.TimestampPath} is not a timestamp`);
      return new Date(at).toISOString();
    }
    throw new StepError('States.Runtime', 'Wait state without a duration');
  }

  private taskTimeoutDue(plan: StatePlan, record: ExecutionRecord, input: unknown): string | undefined {
    const { TimeoutSeconds, TimeoutSecondsPath } = plan.original;
    let seconds = TimeoutSeconds;
    if (TimeoutSecondsPath) seconds = Number(readPath(TimeoutSecondsPath, record.checkpoint?.rawInput ?? input));
    if (seconds === undefined) return undefined;
    if (!Number.isFinite(seconds) || seconds < 1) throw new StepError('States.Runtime', `Invalid task timeout ${String(seconds)}`);
    return new Date(this.options.clock.now().getTime() + seconds * 1000).toISOString();
  }

  private sleepUntil(dueAt: string): Promise<void> {
    const dueMs = Date.parse(dueAt);
    if (dueMs <= this.options.clock.now().getTime()) return Promise.resolve();
    return this.parkedWait(new Promise<void>((resolve, reject) => (this.addTimer(dueMs, resolve).abandon = reject)));
  }

  /**
   * Marks the execution as waiting while the promise is pending, for whenIdle.
   * Whoever resolves it (a timer or a callback) raises busy again first.
   */
  private parkedWait<T>(promise: Promise<T>): Promise<T> {
    this.settle();
    return promise;
  }

  private addTimer(dueMs: number, onDue: () => void): Timer {
    const timer: Timer = { dueMs, cancelled: false, fire: onDue };
    const at = this.timers.findIndex((t) => t.dueMs > dueMs);
    this.timers.splice(at < 0 ? this.timers.length : at, 0, timer);
    return timer;
  }

  private nextTimer(): Timer | undefined {
    while (this.timers[0]?.cancelled) this.timers.shift();
    return this.timers[0];
  }

  private fireDue() {
    const now = this.options.clock.now().getTime();
    for (let t = this.nextTimer(); t && t.dueMs <= now; t = this.nextTimer()) {
      this.timers.shift();
      this.wake();
      t.fire();
    }
  }

  private takeCallback(token: string): WaitingCallback {
    const waiting = this.callbacks.get(token);
    if (!waiting) throw new TaskDoesNotExist(`No task is waiting for token ${token}`);
    this.callbacks.delete(token);
    this.wake();
    return waiting;
  }

  private wake() {
    this.busy++;
  }

  private settle() {
    this.busy = Math.max(0, this.busy - 1);
    if (this.busy === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** A payload template's `name.$` fields read from the input (simple paths only); the rest as written. */
function resolveTemplate(template: Record<string, unknown>, input: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => (k.endsWith('.$') ? [k.slice(0, -2), readPath(String(v), input)] : [k, v])));
}
