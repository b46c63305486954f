import { addCalendarDays, assertIsoDate, compareDates, dayOfWeek, yearOf, type IsoDate } from './iso-date.js';
import { OFFICIAL_YEARS, type OfficialYear } from './official-years.js';
import { provisionalHolidays } from './provisional.js';

export type { IsoDate } from './iso-date.js';
export { addCalendarDays, addMonths, addYears, compareDates, endOfDayAt, shanghaiDateOf } from './iso-date.js';

interface YearDays {
  readonly daysOff: ReadonlySet<IsoDate>;
  readonly makeUpWorkdays: ReadonlySet<IsoDate>;
}

function isWeekend(d: IsoDate): boolean {
  const weekday = dayOfWeek(d);
  return weekday === 0 || weekday === 6;
}

/** Rejects data that cannot be a State Council notice, so a typo fails at start, not in a deadline. */
function indexOfficialYear(y: OfficialYear): YearDays {
  const inYear = (d: IsoDate) => yearOf(assertIsoDate(d)) === y.year;
  const stray = [...y.holidays, ...y.makeUpWorkdays].find((d) => !inYear(d));
  if (stray) throw new RangeError(`official year ${y.year}: ${stray} is not in ${y.year}`);
  const daysOff = new Set(y.holidays);
  const both = y.makeUpWorkdays.find((d) => daysOff.has(d));
  if (both) throw new RangeError(`official year ${y.year}: ${both} is both a holiday and a make-up working day`);
  // A make-up working day (调休上班) is by definition a Saturday or Sunday that is worked.
  const weekday = y.makeUpWorkdays.find((d) => !isWeekend(d));
  if (weekday) throw new RangeError(`official year ${y.year}: make-up working day ${weekday} is not a weekend day`);
  return { daysOff, makeUpWorkdays: new Set(y.makeUpWorkdays) };
}

/**
 * Which days are working days in mainland China (dates in Asia/Shanghai): the State
 * Council's published calendar where there is one, a provisional one elsewhere
 * (POLICY.md "Working days"); never a bare Monday-to-Friday guess.
 */
export class WorkingDayCalendar {
  private readonly official = new Map<number, YearDays>();
  private readonly provisional = new Map<number, YearDays>();

  /** @param officialYears the published years; a year given twice is refused. */
  constructor(officialYears: readonly OfficialYear[] = OFFICIAL_YEARS) {
    for (const y of officialYears) {
      if (this.official.has(y.year)) throw new RangeError(`official year ${y.year} given twice`);
      this.official.set(y.year, indexOfficialYear(y));
    }
  }

  /** The years with official data, ascending. */
  get officialYears(): readonly number[] {
    return [...this.official.keys()].sort((a, b) => a - b);
  }

  /**
   * Whether `d` is a working day: a make-up working day is one, a holiday day is not,
   * otherwise Monday to Friday are. In a provisional year the statutory holidays are off
   * and there are no make-up days. Throws a RangeError for a year the provisional
   * calendar cannot compute (outside 1900–2100) rather than guess.
   */
  isWorkingDay(d: IsoDate): boolean {
    const days = this.yearDays(yearOf(d));
    if (days.makeUpWorkdays.has(d)) return true;
    return !days.daysOff.has(d) && !isWeekend(d);
  }

  /** True when `d`'s year has no official data, so its working days are provisional. */
  isProvisional(d: IsoDate): boolean {
    return !this.official.has(yearOf(d));
  }

  /**
   * The `n`-th working day after `from` (`from` itself is not counted: Civil Code Art. 201).
   * `n` = 0 gives `from`. Throws a RangeError for a negative or fractional `n`.
   */
  addWorkingDays(from: IsoDate, n: number): IsoDate {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`working days must be a whole number >= 0, got ${n}`);
    let d = assertIsoDate(from);
    for (let counted = 0; counted < n; ) {
      d = addCalendarDays(d, 1);
      if (this.isWorkingDay(d)) counted += 1;
    }
    return d;
  }

  /**
   * The number of working days in (`from`, `to`]: `from` excluded, `to` included, so
   * `addWorkingDays(from, k)` is the first day with `workingDaysBetween(from, day) = k`.
   * When `to` is before `from` the result is minus the count of working days in
   * (`to`, `from`]; it is 0 when they are equal.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const order = compareDates(from, to);
    if (order > 0) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let d = addCalendarDays(from, 1); compareDates(d, to) <= 0; d = addCalendarDays(d, 1)) {
      if (this.isWorkingDay(d)) count += 1;
    }
    return count;
  }

  private yearDays(year: number): YearDays {
    const official = this.official.get(year);
    if (official) return official;
    let days = this.provisional.get(year);
    if (!days) {
      days = { daysOff: new Set(provisionalHolidays(year).map((h) => h.date)), makeUpWorkdays: new Set() };
      this.provisional.set(year, days);
    }
    return days;
  }
}
