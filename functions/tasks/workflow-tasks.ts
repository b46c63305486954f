import type { TaskHandler } from './dispatch.js';
import { LISTING_TASKS } from './listing-tasks.js';
import { PARTNER_TASKS } from './partner-tasks.js';
import { REVIEW_TASKS } from './review-tasks.js';

/**
 * What the tasks function runs: the steps of the listing, review and partner
 * delivery machines, and the outbox sweep. Their payloads are read with
 * zod/mini, so this function loads no other zod.
 */
export const WORKFLOW_TASKS: Record<string, TaskHandler> = { ...LISTING_TASKS, ...REVIEW_TASKS, ...PARTNER_TASKS };
