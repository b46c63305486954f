import { addCalendarDays, addMonths, addYears, assertIsoDate, endOfDayAt, yearOf, type IsoDate } from './iso-date.js';
import type { WorkingDayCalendar } from './working-days.js';

export type PeriodUnit = 'calendarDays' | 'workingDays' | 'months' | 'years';

/** A period as policies state it: "10 working days", "15 calendar days", "3 months". */
export interface Period {
  readonly unit: PeriodUnit;
  readonly value: number;
}

export interface PeriodEnd {
  /** The last day of the period (Asia/Shanghai). */
  readonly endDate: IsoDate;
  /** The instant the period closes: 24:00 Asia/Shanghai on `endDate`. */
  readonly endsAt: string;
  /** True when a day the computation looked at lies in a year without official data. */
  readonly provisional: boolean;
}

/**
 * When a period that starts with `triggerDate` (service, filing, decision) ends, by
 * POLICY.md "Counting a period", after the Civil Code Arts. 201–203 and the Civil
 * Procedure Law's rules on periods:
 * - the trigger day is not counted; counting starts the next day (Art. 201);
 * - a period in working days ends on its last working day;
 * - a period in calendar days, months or years ends on the corresponding day (the month's
 *   last day when there is none, Art. 202), or, when that day is not a working day, on the
 *   next working day (Art. 203);
 * - it closes at 24:00 Asia/Shanghai on its last day (Art. 203).
 * A value of 0 ends on the trigger day, or the next working day when that is not one.
 * `provisional` is true when any day examined (each day counted, the nominal last day and
 * each day it was moved over) falls in a year without official data: such a deadline is
 * recomputed once the year is published.
 */
export function computePeriodEnd(cal: WorkingDayCalendar, triggerDate: IsoDate, period: Period): PeriodEnd {
  assertIsoDate(triggerDate);
  if (!Number.isSafeInteger(period.value) || period.value < 0) {
    throw new RangeError(`a period's value must be a whole number >= 0, got ${period.value}`);
  }
  const nominal = nominalEnd(cal, triggerDate, period);
  const endDate = firstWorkingDayFrom(cal, nominal);
  // Working-day counting examines every day after the trigger; the others only the nominal end onwards.
  const firstExamined = period.unit === 'workingDays' && period.value > 0 ? addCalendarDays(triggerDate, 1) : nominal;
  return { endDate, endsAt: endOfDayAt(endDate), provisional: anyProvisional(cal, firstExamined, endDate) };
}

function nominalEnd(cal: WorkingDayCalendar, trigger: IsoDate, { unit, value }: Period): IsoDate {
  switch (unit) {
    case 'workingDays':
      return cal.addWorkingDays(trigger, value);
    case 'calendarDays':
      return addCalendarDays(trigger, value);
    case 'months':
      return addMonths(trigger, value);
    case 'years':
      return addYears(trigger, value);
    default: {
      const _exhaustive: never = unit;
      throw new RangeError(`unknown period unit ${String(_exhaustive)}`);
    }
  }
}

function firstWorkingDayFrom(cal: WorkingDayCalendar, d: IsoDate): IsoDate {
  let day = d;
  while (!cal.isWorkingDay(day)) day = addCalendarDays(day, 1);
  return day;
}

/** Provisional-ness is per year, so checking the first day and each 1 January up to `last` covers every day. */
function anyProvisional(cal: WorkingDayCalendar, first: IsoDate, last: IsoDate): boolean {
  if (cal.isProvisional(first)) return true;
  for (let year = yearOf(first) + 1; year <= yearOf(last); year += 1) {
    if (cal.isProvisional(`${String(year).padStart(4, '0')}-01-01`)) return true;
  }
  return false;
}
