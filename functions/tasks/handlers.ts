import { BATCH_TASKS } from './batch-tasks.js';
import type { TaskHandler } from './dispatch.js';
import { WORKFLOW_TASKS } from './workflow-tasks.js';

/**
 * Every task handler, by the name in its payload, as the local runner calls
 * them in one process. On AWS they run in two functions: the tasks function
 * (WORKFLOW_TASKS) and the batch function (BATCH_TASKS), which proposes
 * through the API's own request schemas.
 */
export const TASK_HANDLERS: Record<string, TaskHandler> = { ...WORKFLOW_TASKS, ...BATCH_TASKS };
