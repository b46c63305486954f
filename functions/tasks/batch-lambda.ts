import { awsTaskDeps } from '../composition.js';
import { BATCH_TASKS } from './batch-tasks.js';
import { createTaskDispatcher } from './dispatch.js';

/**
 * The batch Lambda: the ListingBatch machine's chunks of lines and its last
 * step. A function of its own because each line is checked with the API's
 * request schemas (all of zod), which the tasks function does not load.
 */
export const handler = createTaskDispatcher(BATCH_TASKS, awsTaskDeps());
