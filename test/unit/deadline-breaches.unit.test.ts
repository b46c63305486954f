import { describe, expect, it } from 'vitest';
import { deadlineBreaches } from '../../functions/tasks/review-tasks.js';
import type { CaseState } from '../../shared/domain/entry.js';

/** Only `overdue` of the case before the clock ran decides whether an overdue mark is a new breach. */
const caseBefore = (overdue: boolean) => ({ overdue }) as CaseState;

describe('deadlineBreaches', () => {
  it('counts an escalation as the agency deadline passing undecided', () => {
    expect(deadlineBreaches(caseBefore(false), [{ type: 'CaseResumed' }, { type: 'CaseEscalated' }])).toEqual(['agency']);
  });

  it('counts the first overdue mark as the provincial deadline passing undecided', () => {
    expect(deadlineBreaches(caseBefore(false), [{ type: 'CaseMarkedOverdue' }])).toEqual(['province']);
  });

  it('does not count the daily overdue reminders after the first: the same breach', () => {
    expect(deadlineBreaches(caseBefore(true), [{ type: 'CaseMarkedOverdue' }])).toEqual([]);
    expect(deadlineBreaches(caseBefore(false), [{ type: 'CaseMarkedOverdue' }, { type: 'CaseMarkedOverdue' }])).toEqual(['province']);
  });

  it('counts nothing for reminders, or when nothing was committed (a timer run twice)', () => {
    expect(deadlineBreaches(caseBefore(false), [{ type: 'CaseReminded' }])).toEqual([]);
    expect(deadlineBreaches(caseBefore(false), [])).toEqual([]);
  });
});
