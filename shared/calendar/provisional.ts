import { addCalendarDays, type IsoDate } from './iso-date.js';
import { FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR, lunarNewYearsEve, lunarToGregorian, qingmingDate } from './lunar.js';

/** A statutory holiday day of a year the State Council has not published yet. */
export interface ProvisionalHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

/** The years the provisional calendar can compute (the span of the lunar table). */
export const PROVISIONAL_YEAR_RANGE = { first: FIRST_LUNAR_YEAR, last: LAST_LUNAR_YEAR } as const;

/**
 * The statutory holidays of `year` under the 全国年节及纪念日放假办法 as amended by State
 * Council Decree No. 795 (in force 2025-01-01), Art. 2: New Year's Day 1 day; Spring
 * Festival 4 days (除夕 and 正月初一 to 初三); Qingming 1 day; Labour Day 2 days (05-01,
 * 05-02); Dragon Boat 1 day (五月初五); Mid-Autumn 1 day (八月十五); National Day 3 days
 * (10-01 to 10-03).
 *
 * Only the statutory days: no make-up working days and no bridging, since how a year's
 * days are moved is decided only by that year's notice (POLICY.md "Working days").
 * A day named twice (Mid-Autumn on 10-01, say) is listed twice; it is one day off.
 * Throws a RangeError for a year outside {@link PROVISIONAL_YEAR_RANGE}.
 */
export function provisionalHolidays(year: number): readonly ProvisionalHoliday[] {
  if (!Number.isInteger(year) || year < FIRST_LUNAR_YEAR || year > LAST_LUNAR_YEAR) {
    throw new RangeError(`no provisional calendar for ${year}: lunar dates are known for ${FIRST_LUNAR_YEAR}–${LAST_LUNAR_YEAR}`);
  }
  const y = String(year).padStart(4, '0');
  // 正月初一 of lunar year `year` always falls in Gregorian `year` (between 01-21 and 02-20), and so do its eve, 五月初五 and 八月十五.
  const newYear = lunarToGregorian(year, 1, 1);
  return [
    { date: `${y}-01-01`, name: "New Year's Day 元旦" },
    { date: lunarNewYearsEve(year), name: 'Spring Festival 春节 (除夕)' },
    { date: newYear, name: 'Spring Festival 春节 (正月初一)' },
    { date: addCalendarDays(newYear, 1), name: 'Spring Festival 春节 (正月初二)' },
    { date: addCalendarDays(newYear, 2), name: 'Spring Festival 春节 (正月初三)' },
    { date: qingmingDate(year), name: 'Qingming 清明节' },
    { date: `${y}-05-01`, name: 'Labour Day 劳动节' },
    { date: `${y}-05-02`, name: 'Labour Day 劳动节' },
    { date: lunarToGregorian(year, 5, 5), name: 'Dragon Boat Festival 端午节' },
    { date: lunarToGregorian(year, 8, 15), name: 'Mid-Autumn Festival 中秋节' },
    { date: `${y}-10-01`, name: 'National Day 国庆节' },
    { date: `${y}-10-02`, name: 'National Day 国庆节' },
    { date: `${y}-10-03`, name: 'National Day 国庆节' },
  ];
}
