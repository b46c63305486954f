import type { Metric } from './log.js';

/** The namespace of the metrics the system itself emits (besides those AWS services publish). */
export const METRICS_NAMESPACE = 'DueProcess';

/**
 * A review deadline that passed undecided: the agency's (the case goes to the province) or the
 * province's (the case is overdue). Alarmed on: a breach is a failure of due process, not of the system.
 */
export const DEADLINE_BREACHES: Metric = { namespace: METRICS_NAMESPACE, name: 'DeadlineBreaches', unit: 'Count' };
