import { awsTaskDeps } from '../composition.js';
import { createTaskDispatcher } from './dispatch.js';
import { TASK_HANDLERS } from './handlers.js';

/** The tasks Lambda: Step Functions payload `{ task, ... }` → its handler. */
export const handler = createTaskDispatcher(TASK_HANDLERS, awsTaskDeps());
