import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  CHECKPOINT_PREFIX,
  LIBRARY_TASK_TIMEOUT_SECONDS,
  isCallbackResource,
  itemProcessorDefinition,
  readPath,
  transformDefinition,
  type AslDefinition,
  type AslState,
} from '../../workflows/local-runner/definition-transform.js';

const FN = 'arn:local:lambda:Stack/TasksFunction';
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const TRANSIENT = [{ ErrorEquals: ['TransientFailure'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 }];
const cp = (name: string) => CHECKPOINT_PREFIX + name;

/** The shapes the synthesized machines use: a retried task, Waits on a path and in seconds, a Choice, a callback with a timeout path and a Catch. */
function fixture(): AslDefinition {
  return {
    StartAt: 'Notify',
    TimeoutSeconds: 86_400,
    States: {
      Notify: { Type: 'Task', Resource: FN, Parameters: { task: 'notify', 'entryId.$': '$.entryId' }, ResultPath: '$.notice', Retry: TRANSIENT, Next: 'AwaitWindow' },
      AwaitWindow: { Type: 'Wait', TimestampPath: '$.deadlineAt', Next: 'Listed?' },
      'Listed?': { Type: 'Choice', Choices: [{ Variable: '$.listed', BooleanEquals: true, Next: 'AwaitDecision' }], Default: 'Done' },
      AwaitDecision: {
        Type: 'Task',
        Resource: CALLBACK,
        Parameters: { FunctionName: FN, Payload: { task: 'awaitDecision', 'taskToken.$': '$$.Task.Token' } },
        TimeoutSecondsPath: '$.secondsLeft',
        HeartbeatSeconds: 3600,
        ResultPath: '$.decision',
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.breach', Next: 'Escalate' }],
        Next: 'Pause',
      },
      Escalate: { Type: 'Task', Resource: FN, Retry: TRANSIENT, Next: 'Pause' },
      Pause: { Type: 'Wait', Seconds: 10, Next: 'Summary' },
      Summary: { Type: 'Pass', Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
}

const PLANNED = ['Notify', 'AwaitWindow', 'AwaitDecision', 'Escalate', 'Pause'];
const UNPLANNED = ['Listed?', 'Summary', 'Done'];

function state(definition: AslDefinition, name: string): AslState {
  const s = definition.States[name];
  if (!s) throw new Error(`No state ${name}`);
  return s;
}

describe('transformDefinition', () => {
  it('turns every Wait into a Task the runner handles, keeping the original for the plan', () => {
    const { definition, plans } = transformDefinition(fixture());

    for (const name of ['AwaitWindow', 'Pause']) {
      const s = state(definition, name);
      expect(s.Type).toBe('Task');
      expect(s.Resource).toMatch(/virtual-wait$/);
      expect(s).not.toHaveProperty('Seconds');
      expect(s).not.toHaveProperty('SecondsPath');
      expect(s).not.toHaveProperty('Timestamp');
      expect(s).not.toHaveProperty('TimestampPath');
      expect(plans.get(name)?.kind).toBe('wait');
    }
    expect(plans.get('AwaitWindow')?.original).toMatchObject({ Type: 'Wait', TimestampPath: '$.deadlineAt' });
    expect(plans.get('Pause')?.original).toMatchObject({ Type: 'Wait', Seconds: 10 });
    expect(Object.values(definition.States).filter((s) => s.Type === 'Wait')).toEqual([]);
  });

  it('places a checkpoint before every Task and Wait, and none before other states', () => {
    const { definition, plans } = transformDefinition(fixture());

    expect([...plans.keys()].sort()).toEqual([...PLANNED].sort());
    for (const name of PLANNED) {
      expect(state(definition, cp(name))).toEqual({ Type: 'Task', Resource: expect.stringMatching(/checkpoint$/), Next: name, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS });
    }
    for (const name of UNPLANNED) expect(definition.States).not.toHaveProperty(cp(name));
    expect(Object.keys(definition.States)).toHaveLength(PLANNED.length * 2 + UNPLANNED.length);
  });

  it('redirects StartAt, Next, Choices, Default and Catch to the checkpoint of a planned state only', () => {
    const { definition } = transformDefinition(fixture());

    expect(definition.StartAt).toBe(cp('Notify'));
    expect(state(definition, 'Notify').Next).toBe(cp('AwaitWindow'));
    expect(state(definition, 'AwaitWindow').Next).toBe('Listed?');
    const choice = state(definition, 'Listed?');
    expect(choice.Choices).toEqual([{ Variable: '$.listed', BooleanEquals: true, Next: cp('AwaitDecision') }]);
    expect(choice.Default).toBe('Done');
    const callback = state(definition, 'AwaitDecision');
    expect(callback.Next).toBe(cp('Pause'));
    expect(callback.Catch).toEqual([{ ErrorEquals: ['States.Timeout'], ResultPath: '$.breach', Next: cp('Escalate') }]);
    expect(state(definition, 'Escalate').Next).toBe(cp('Pause'));
    expect(state(definition, 'Pause').Next).toBe('Summary');
    expect(state(definition, 'Summary').Next).toBe('Done');
  });

  it('takes Retry, TimeoutSecondsPath and heartbeats out of the library, keeping them in the plan', () => {
    const { definition, plans } = transformDefinition(fixture());

    for (const name of PLANNED) {
      const s = state(definition, name);
      expect(s).not.toHaveProperty('Retry');
      expect(s).not.toHaveProperty('TimeoutSecondsPath');
      expect(s).not.toHaveProperty('HeartbeatSeconds');
      // Below the 2^31 ms Node timer limit, so the library's own timer never overflows into an instant timeout.
      expect(s.TimeoutSeconds).toBe(LIBRARY_TASK_TIMEOUT_SECONDS);
    }
    expect(LIBRARY_TASK_TIMEOUT_SECONDS * 1000).toBeLessThan(2 ** 31);
    expect(plans.get('Notify')).toMatchObject({ kind: 'task', retry: TRANSIENT });
    expect(plans.get('AwaitDecision')).toMatchObject({ kind: 'callback', retry: [], original: { TimeoutSecondsPath: '$.secondsLeft', HeartbeatSeconds: 3600 } });
    expect(state(definition, 'AwaitDecision')).toMatchObject({ Resource: CALLBACK, Parameters: fixture().States.AwaitDecision!.Parameters, ResultPath: '$.decision' });
    expect(definition).not.toHaveProperty('TimeoutSeconds');
  });

  it('leaves its input untouched', () => {
    const input = fixture();
    transformDefinition(input);
    expect(input).toEqual(fixture());
  });

  it('produces a definition that aws-local-stepfunctions accepts', () => {
    const { definition } = transformDefinition(fixture());
    expect(() => new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: true } })).not.toThrow();
  });

  it('rejects a Wait inside a Parallel branch', () => {
    const definition: AslDefinition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } },
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 5, End: true } } },
          ],
        },
      },
    };
    expect(() => transformDefinition(definition)).toThrow(/Both\/Hold.*Parallel or Map/);
  });

  it('rejects a callback inside a Map Iterator and a Wait inside a Map ItemProcessor', () => {
    const iterator: AslDefinition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', End: true, Iterator: { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: CALLBACK, End: true } } } } },
    };
    const processor: AslDefinition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'Hold', States: { Hold: { Type: 'Wait', TimestampPath: '$.at', End: true } } } } },
    };
    expect(() => transformDefinition(iterator)).toThrow(/Each\/Ask/);
    expect(() => transformDefinition(processor)).toThrow(/Each\/Hold/);
  });

  it('accepts a Parallel of plain tasks and leaves its branches as they are', () => {
    const branch: AslDefinition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, Retry: TRANSIENT, End: true } } };
    const { definition, plans } = transformDefinition({ StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [branch], Next: 'Done' }, Done: { Type: 'Succeed' } } });

    expect(definition.StartAt).toBe('Both');
    expect(state(definition, 'Both').Branches).toEqual([branch]);
    expect(plans.size).toBe(0);
  });
});

describe('isCallbackResource', () => {
  it('recognises only .waitForTaskToken integrations', () => {
    expect(isCallbackResource(CALLBACK)).toBe(true);
    expect(isCallbackResource('arn:aws:states:::sqs:sendMessage.waitForTaskToken')).toBe(true);
    expect(isCallbackResource('arn:aws:states:::lambda:invoke')).toBe(false);
    expect(isCallbackResource(FN)).toBe(false);
    expect(isCallbackResource(undefined)).toBe(false);
  });
});

describe('readPath', () => {
  const input = { review: { secondsLeft: 3600 }, listing: { expiresAt: '2027-01-01T00:00:00.000Z' }, rows: [{ at: 'a' }, { at: 'b' }], grid: [[1, 2], [3, 4]] };

  it('reads the root, nested fields and array indices', () => {
    expect(readPath('$', input)).toBe(input);
    expect(readPath('$.review.secondsLeft', input)).toBe(3600);
    expect(readPath('$.listing.expiresAt', input)).toBe('2027-01-01T00:00:00.000Z');
    expect(readPath('$.rows[1].at', input)).toBe('b');
    expect(readPath('$.grid[1][0]', input)).toBe(3);
  });

  it('gives undefined for a field that is not there, at any depth', () => {
    expect(readPath('$.review.missing', input)).toBeUndefined();
    expect(readPath('$.nothing.deeper.still', input)).toBeUndefined();
    expect(readPath('$.rows[5].at', input)).toBeUndefined();
    expect(readPath('$.a', undefined)).toBeUndefined();
  });

  it('refuses paths it does not support rather than guessing', () => {
    expect(() => readPath('review.secondsLeft', input)).toThrow(/Unsupported path/);
    expect(() => readPath("$['review']", input)).toThrow(/Unsupported path/);
    expect(() => readPath('$.rows[*].at', input)).toThrow(/Unsupported path/);
    expect(() => readPath('$..at', input)).toThrow(/Unsupported path/);
  });
});

describe('retries with jitter', () => {
  const JITTERED = { ErrorEquals: ['TransientFailure'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' as const };

  it('takes a jittered Retry out of the library (which would draw a real random wait) and keeps it in the plan', () => {
    const source: AslDefinition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, Retry: [JITTERED], End: true } } };
    const { definition, plans } = transformDefinition(source);
    expect(state(definition, 'Work')).not.toHaveProperty('Retry');
    expect(JSON.stringify(definition)).not.toContain('JitterStrategy');
    expect(plans.get('Work')!.retry).toEqual([JITTERED]);
  });

  it('waits the full back-off locally, jitter or not: 2, 4, 8 … seconds, capped by MaxDelaySeconds', () => {
    expect([0, 1, 2, 3].map((n) => backoffSeconds(JITTERED, n))).toEqual([2, 4, 8, 16]);
    const { JitterStrategy: _none, ...plain } = JITTERED;
    expect([0, 1, 2, 3].map((n) => backoffSeconds(plain, n))).toEqual([2, 4, 8, 16]);
    expect(backoffSeconds({ ...JITTERED, MaxDelaySeconds: 5 }, 3)).toBe(5);
    expect(backoffSeconds({ ErrorEquals: ['X'] }, 2)).toBe(4);
  });
});

describe('a Distributed Map', () => {
  const map: AslState = {
    Type: 'Map',
    ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'b', 'Key.$': '$.objectKey' } },
    ItemBatcher: { MaxItemsPerBatch: 100, BatchInput: { 'batchId.$': '$.batchId' } },
    MaxConcurrency: 8,
    Label: 'Lines',
    ResultPath: null,
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'Chunk', States: { Chunk: { Type: 'Task', Resource: FN, Retry: TRANSIENT, End: true } } },
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Failed' }],
    Next: 'Done',
  };
  const definition: AslDefinition = { StartAt: 'Lines', States: { Lines: map, Done: { Type: 'Succeed' }, Failed: { Type: 'Fail' } } };

  it('becomes a task the runner carries out, behind a checkpoint, keeping its Catch and result path', () => {
    const { definition: out, plans } = transformDefinition(definition);
    expect(plans.get('Lines')?.kind).toBe('map');
    expect(out.StartAt).toBe(cp('Lines'));
    const state = out.States.Lines!;
    expect(state.Type).toBe('Task');
    for (const field of ['ItemReader', 'ItemBatcher', 'ItemProcessor', 'MaxConcurrency', 'Label']) expect(state, field).not.toHaveProperty(field);
    expect([state.Catch, state.ResultPath, state.Next]).toEqual([map.Catch, null, 'Done']);
    // The library validates the whole machine, and accepts it.
    expect(() => new StateMachine(out as never, { validationOptions: { checkArn: false, checkPaths: true } })).not.toThrow();
  });

  it('runs its processor as its own machine, the task timeouts left to the task', () => {
    const processor = itemProcessorDefinition(map);
    expect(processor).not.toHaveProperty('ProcessorConfig');
    expect(processor.States.Chunk).toMatchObject({ Type: 'Task', Retry: TRANSIENT, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS });
    expect(() => new StateMachine(processor as never, { validationOptions: { checkArn: false, checkPaths: true } })).not.toThrow();
  });

  it('an inline Map is left to the library', () => {
    const inline: AslDefinition = { StartAt: 'Each', States: { Each: { Type: 'Map', ItemsPath: '$.xs', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const { plans } = transformDefinition(inline);
    expect(plans.has('Each')).toBe(false);
  });
});
