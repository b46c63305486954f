import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { awsTaskDeps } from '../composition.js';
import { createTaskDispatcher } from './dispatch.js';
import { WORKFLOW_TASKS } from './workflow-tasks.js';

// zod/mini carries no messages; English ones, as the rest of zod sets when it loads.
config(en());

/** The tasks Lambda: Step Functions payload `{ task, ... }` → its handler. */
export const handler = createTaskDispatcher(WORKFLOW_TASKS, awsTaskDeps());
