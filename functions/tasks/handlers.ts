import type { TaskHandler } from './dispatch.js';

/**
 * The task handlers by name. The listing lifecycle and case review handlers
 * are added with the workflows that need them.
 */
export const TASK_HANDLERS: Record<string, TaskHandler> = {};
