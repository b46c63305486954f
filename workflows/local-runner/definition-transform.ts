/**
 * Rewrites a synthesized state-machine definition so that aws-local-stepfunctions
 * runs it under the virtual clock:
 * - every Wait becomes a Task the runner handles (the library's Waits use real
 *   timers and fire at once beyond ~24.8 days);
 * - Task timeouts and Retry back-offs are taken out of the library's hands
 *   (its default is a real 60 s timeout) and kept for the runner to enforce;
 * - a checkpoint Task is placed before every Task, so an execution can resume
 *   at that state with its raw input after a restart;
 * - a Distributed Map becomes a Task the runner handles: it reads the items
 *   (ItemReader), batches them (ItemBatcher) and runs the ItemProcessor on each
 *   batch, MaxConcurrency at once. The library knows only inline maps.
 */
export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next: string; [k: string]: unknown }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  Retry?: Retrier[];
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  [k: string]: unknown;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  /** Kept for the record; the runner waits the full back-off, see `backoffSeconds`. */
  JitterStrategy?: 'NONE' | 'FULL';
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [k: string]: unknown;
}

/** What the runner must enforce itself for a state. */
export interface StatePlan {
  kind: 'wait' | 'task' | 'callback' | 'map';
  original: AslState;
  retry: Retrier[];
}

export const CHECKPOINT_PREFIX = '__checkpoint__';
/** Below the 2^31 ms Node timer limit, so the library's own timer never overflows; the virtual clock decides timeouts. */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 2_000_000;
export const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
const EXECUTION_START_TIME = '"$$.Execution.StartTime"';
const VIRTUAL_START_TIME = '"$$.Execution.VirtualStartTime"';

export function isCallbackResource(resource: string | undefined): boolean {
  return !!resource && resource.endsWith('.waitForTaskToken');
}

export function transformDefinition(definition: AslDefinition): { definition: AslDefinition; plans: Map<string, StatePlan> } {
  const plans = new Map<string, StatePlan>();
  const states: Record<string, AslState> = {};
  const redirect = (name: string) => (plans.has(name) ? CHECKPOINT_PREFIX + name : name);

  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Branches || state.Iterator || state.ItemProcessor) assertNoTimers(name, state);
    if (needsPlan(state)) plans.set(name, { kind: planKind(state), original: state, retry: state.Retry ?? [] });
  }
  for (const [name, state] of Object.entries(definition.States)) {
    const copy: AslState = { ...state };
    if (copy.Next) copy.Next = redirect(copy.Next);
    if (copy.Default) copy.Default = redirect(copy.Default);
    if (copy.Choices) copy.Choices = copy.Choices.map((c) => ({ ...c, Next: redirect(c.Next) }));
    if (copy.Catch) copy.Catch = copy.Catch.map((c) => ({ ...c, Next: redirect(c.Next) }));
    const plan = plans.get(name);
    if (plan) {
      delete copy.Retry;
      delete copy.TimeoutSecondsPath;
      delete copy.HeartbeatSeconds;
      delete copy.HeartbeatSecondsPath;
      if (plan.kind === 'map') {
        for (const field of DISTRIBUTED_MAP_FIELDS) delete copy[field];
        copy.Type = 'Task';
        copy.Resource = 'arn:aws:lambda:local:000000000000:function:distributed-map';
      }
      if (plan.kind === 'wait') {
        delete copy.Seconds;
        delete copy.SecondsPath;
        delete copy.Timestamp;
        delete copy.TimestampPath;
        copy.Type = 'Task';
        copy.Resource = 'arn:aws:lambda:local:000000000000:function:virtual-wait';
      }
      copy.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
      states[CHECKPOINT_PREFIX + name] = { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:checkpoint', Next: name, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS };
    }
    states[name] = copy;
  }
  const { TimeoutSeconds: _executionTimeout, ...rest } = definition;
  // The library stamps Execution.StartTime with the real clock; the runner supplies the virtual one under its own name.
  const onVirtualTime = JSON.parse(JSON.stringify(states).replaceAll(EXECUTION_START_TIME, () => VIRTUAL_START_TIME)) as Record<string, AslState>;
  return { definition: { ...rest, StartAt: redirect(definition.StartAt), States: onVirtualTime }, plans };
}

function needsPlan(state: AslState | undefined): boolean {
  return !!state && (state.Type === 'Wait' || state.Type === 'Task' || isDistributedMap(state));
}

function planKind(state: AslState): StatePlan['kind'] {
  if (state.Type === 'Wait') return 'wait';
  if (isDistributedMap(state)) return 'map';
  return isCallbackResource(state.Resource) ? 'callback' : 'task';
}

export function isDistributedMap(state: AslState): boolean {
  return state.Type === 'Map' && (state.ItemProcessor?.ProcessorConfig as { Mode?: string } | undefined)?.Mode === 'DISTRIBUTED';
}

/** What a Distributed Map carries that the runner, not the library, carries out. */
const DISTRIBUTED_MAP_FIELDS = ['ItemReader', 'ItemBatcher', 'ItemProcessor', 'ItemSelector', 'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Label', 'ResultWriter'] as const;

/**
 * A Distributed Map's ItemProcessor as the library runs it, one batch at a
 * time: its tasks' timeouts left to the task itself, as top-level tasks are
 * (the library's default is a real 60 s).
 */
export function itemProcessorDefinition(state: AslState): AslDefinition {
  const { ProcessorConfig: _config, ...processor } = state.ItemProcessor!;
  const states = Object.fromEntries(
    Object.entries(processor.States).map(([name, s]) => [name, s.Type === 'Task' ? { ...s, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS } : s]),
  );
  return { ...processor, States: states } as AslDefinition;
}

function assertNoTimers(name: string, state: AslState) {
  const inner = [...(state.Branches ?? []), ...(state.Iterator ? [state.Iterator] : []), ...(state.ItemProcessor ? [state.ItemProcessor] : [])];
  for (const def of inner) {
    for (const [innerName, s] of Object.entries(def.States)) {
      if (s.Type === 'Wait' || isCallbackResource(s.Resource) || s.Branches || s.Iterator || s.ItemProcessor) {
        throw new Error(`State ${name}/${innerName}: waits and callbacks inside Parallel or Map cannot be resumed locally; keep them at the top level`);
      }
    }
  }
}

/**
 * How long the runner waits before retry number `attempts + 1`: the full back-off, whatever the
 * JitterStrategy. On AWS full jitter draws the wait between zero and this; locally the virtual clock
 * must move by a known amount, so tests can step to a retry without guessing, and the upper bound is
 * the wait that exercises the deadlines hardest.
 */
export function backoffSeconds(retrier: Retrier, attempts: number): number {
  return Math.min((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempts, retrier.MaxDelaySeconds ?? Infinity);
}

/** Reads a simple reference path ($.a.b[0]) as used by *Path fields. */
export function readPath(path: string, input: unknown): unknown {
  if (path === '$') return input;
  if (!path.startsWith('$.')) throw new Error(`Unsupported path ${path}`);
  let value: unknown = input;
  for (const part of path.slice(2).split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`Unsupported path ${path}`);
    value = (value as Record<string, unknown> | undefined)?.[m[1]!];
    for (const idx of m[2]!.match(/\d+/g) ?? []) value = (value as unknown[] | undefined)?.[Number(idx)];
  }
  return value;
}
