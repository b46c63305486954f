import { WorkingDayCalendar } from '../../shared/calendar/index.js';
import { evolve, type DecideContext, type EntryEvent, type EntryState } from '../../shared/domain/entry.js';
import { DEFAULT_CATALOGUE } from '../../shared/policy/catalogue.js';
import { PolicyBook } from '../../shared/policy/policy-book.js';

/** The default catalogue and the official calendar, as domain tests decide against them. */
export const policies = new PolicyBook(DEFAULT_CATALOGUE);
export const calendar = new WorkingDayCalendar();

/** A decision context at a wall-clock time in Shanghai, e.g. '2026-09-23T10:00'. */
export const at = (shanghai: string): DecideContext => ({ policies, calendar, now: new Date(`${shanghai}+08:00`) });

/** Given: the state folded from the entry's events. */
export const given = (...events: EntryEvent[]): EntryState => {
  const state = events.reduce<EntryState | undefined>(evolve, undefined);
  if (!state) throw new Error('given() needs at least one event');
  return state;
};

/** A case of the state, by id (the domain's own look-up). */
export { requireCase as caseOf } from '../../shared/domain/entry.js';
