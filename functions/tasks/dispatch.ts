import * as z from 'zod';
import type { Deps } from '../deps.js';

/** A task the state machines call: parses its payload, does one step, returns what the workflow needs. */
export type TaskHandler = (payload: unknown, deps: Deps) => Promise<unknown>;

/** The payload names an unknown task: a deployment error, never retried. */
export class UnknownTask extends Error {
  override readonly name = 'UnknownTask';
}

const envelope = z.object({ task: z.string() }).loose();

/**
 * Routes a state-machine payload `{ task, ... }` to its handler. The tasks
 * Lambda and the local runner both call this, so both run the same code.
 */
export function createTaskDispatcher(handlers: Record<string, TaskHandler>, deps: Deps) {
  return async (payload: unknown): Promise<unknown> => {
    const { task } = envelope.parse(payload);
    const handler = handlers[task];
    if (!handler) throw new UnknownTask(`No task handler named ${task}`);
    return handler(payload, deps);
  };
}
