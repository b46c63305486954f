import * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';
import { DomainError } from '../../shared/platform/errors.js';
import type { TaskDeps } from '../deps.js';

/** A task the state machines call: parses its payload, does one step, returns what the workflow needs. */
export type TaskHandler = (payload: unknown, deps: TaskDeps) => Promise<unknown>;

/** The payload names an unknown task, or does not parse: a deployment error, never retried. */
export class UnknownTask extends Error {
  override readonly name = 'UnknownTask';
}

/** A refusal by the domain, named by its code so a state machine can catch it; never retried. */
export class TaskRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = `Refused.${code}`;
  }
}

/** An outcome a state machine handles by its name (e.g. a partner that did not acknowledge): passed through as it is. */
export class TaskSignal extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Anything else (a store or provider unreachable, a lost race): the state machine retries it with back-off. */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
}

const envelope = z.looseObject({ task: z.string() });

/**
 * Routes a state-machine payload `{ task, ... }` to its handler. The tasks
 * Lambda and the local runner both call this, so both run the same code,
 * and both see errors under the names the state machines retry or catch.
 */
export function createTaskDispatcher(handlers: Record<string, TaskHandler>, deps: TaskDeps) {
  return async (payload: unknown): Promise<unknown> => {
    const parsed = envelope.safeParse(payload);
    const handler = parsed.success ? handlers[parsed.data.task] : undefined;
    if (!handler) throw new UnknownTask(`No task handler for ${JSON.stringify(parsed.success ? parsed.data.task : payload)}`);
    try {
      return await handler(payload, deps);
    } catch (error) {
      if (error instanceof TaskSignal) throw error;
      if (error instanceof DomainError) throw new TaskRefused(error.code, error.message);
      if (error instanceof $ZodError) throw new UnknownTask(`Task ${parsed.data!.task} got a payload it cannot read: ${error.message}`);
      throw new TransientFailure(error instanceof Error ? `${error.name}: ${error.message}` : String(error), { cause: error });
    }
  };
}
