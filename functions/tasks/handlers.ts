import { BATCH_TASKS } from './batch-tasks.js';
import type { TaskHandler } from './dispatch.js';
import { LISTING_TASKS } from './listing-tasks.js';
import { PARTNER_TASKS } from './partner-tasks.js';
import { REVIEW_TASKS } from './review-tasks.js';

/** The task handlers the state machines call, by the name in their payload. */
export const TASK_HANDLERS: Record<string, TaskHandler> = { ...LISTING_TASKS, ...REVIEW_TASKS, ...PARTNER_TASKS, ...BATCH_TASKS };
