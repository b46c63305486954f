import { addCalendarDays, type IsoDate } from './iso-date.js';

/**
 * The Chinese lunisolar calendar for lunar years 1900–2100, and the Qingming solar term,
 * enough to place the lunar statutory holidays of a year the State Council has not yet
 * published (POLICY.md "Working days": the lunar ones computed).
 *
 * One number per lunar year, from 1900:
 *   bits 0–12  month i of the year in order, leap month included, has 30 days (else 29);
 *   bits 13–16 the leap month (闰N月 follows month N), 0 when the year has none.
 * Generated once from the astronomical new-moon computation of the lunar-javascript
 * package (6tail), a different lineage from the Hong Kong Observatory-derived table in
 * chinese-days, which the unit test compares against. The two disagree on a few month
 * boundaries in 1933, 1996 and 2060; only 1996 moves a holiday: the new moon of
 * 1996-09-12 fell after midnight Beijing time, so 八月初一 was 09-13 and Mid-Autumn 09-27,
 * as here (chinese-days has 09-26).
 */
const LUNAR_YEAR_INFO: readonly number[] = [
  0x116d2, 0x00752, 0x00ea5, 0x0b64a, 0x0064b, 0x00a9b, 0x09556, 0x0056a, // 1900
  0x00b59, 0x05752, 0x00752, 0x0db25, 0x00b25, 0x00a4b, 0x0b4ab, 0x002ad, // 1908
  0x0056b, 0x04b69, 0x00da9, 0x0fd92, 0x00e92, 0x00d25, 0x0ba4d, 0x00a56, // 1916
  0x002b6, 0x095b5, 0x006d4, 0x00ea9, 0x05e92, 0x00e92, 0x0cd26, 0x0052b, // 1924
  0x00a57, 0x0b2b6, 0x00b5a, 0x006d4, 0x06ec9, 0x00749, 0x0f693, 0x00a93, // 1932
  0x0052b, 0x0ca5b, 0x00aad, 0x0056a, 0x09b55, 0x00ba4, 0x00b49, 0x05a93, // 1940
  0x00a95, 0x0f52d, 0x00536, 0x00aad, 0x0b5aa, 0x005b2, 0x00da5, 0x07d4a, // 1948
  0x00d4a, 0x10a95, 0x00a97, 0x00556, 0x0cab5, 0x00ad5, 0x006d2, 0x08ea5, // 1956
  0x00ea5, 0x0064a, 0x06c97, 0x00a9b, 0x0f55a, 0x0056a, 0x00b69, 0x0b752, // 1964
  0x00b52, 0x00b25, 0x0964b, 0x00a4b, 0x114ab, 0x002ad, 0x0056d, 0x0cb69, // 1972
  0x00da9, 0x00d92, 0x09d25, 0x00d25, 0x15a4d, 0x00a56, 0x002b6, 0x0c5b5, // 1980
  0x006d5, 0x00ea9, 0x0be92, 0x00e92, 0x00d26, 0x06a56, 0x00a57, 0x114d6, // 1988
  0x0035a, 0x006d5, 0x0b6c9, 0x00749, 0x00693, 0x0952b, 0x0052b, 0x00a5b, // 1996
  0x0555a, 0x0056a, 0x0fb55, 0x00ba4, 0x00b49, 0x0ba93, 0x00a95, 0x0052d, // 2004
  0x08aad, 0x00ab5, 0x135aa, 0x005d2, 0x00da5, 0x0dd4a, 0x00d4a, 0x00c95, // 2012
  0x0952e, 0x00556, 0x00ab5, 0x055b2, 0x006d2, 0x0cea5, 0x00725, 0x0064b, // 2020
  0x0ac97, 0x00cab, 0x0055a, 0x06ad6, 0x00b69, 0x17752, 0x00b52, 0x00b25, // 2028
  0x0da4b, 0x00a4b, 0x004ab, 0x0a55b, 0x005ad, 0x00b6a, 0x05b52, 0x00d92, // 2036
  0x0fd25, 0x00d25, 0x00a55, 0x0b4ad, 0x004b6, 0x005b5, 0x06daa, 0x00ec9, // 2044
  0x11e92, 0x00e92, 0x00d26, 0x0ca56, 0x00a57, 0x004d6, 0x086d5, 0x00755, // 2052
  0x00749, 0x06e93, 0x00693, 0x0f52b, 0x0052b, 0x00a5b, 0x0b55a, 0x0056a, // 2060
  0x00b65, 0x0974a, 0x00b4a, 0x11a95, 0x00a95, 0x0052d, 0x0caad, 0x00ab5, // 2068
  0x005aa, 0x08ba5, 0x00da5, 0x00d4a, 0x07c95, 0x00c96, 0x0f94e, 0x00556, // 2076
  0x00ab5, 0x0b5b2, 0x006d2, 0x00ea5, 0x08e4a, 0x0068b, 0x10c97, 0x004ab, // 2084
  0x0055b, 0x0cad6, 0x00b6a, 0x00752, 0x09725, 0x00b45, 0x00a8b, 0x0549b, // 2092
  0x004ab, // 2100
];

export const FIRST_LUNAR_YEAR = 1900;
export const LAST_LUNAR_YEAR = FIRST_LUNAR_YEAR + LUNAR_YEAR_INFO.length - 1;
/** Lunar 1900-01-01 (正月初一) fell on 1900-01-31. */
const LUNAR_EPOCH: IsoDate = '1900-01-31';

let newYearOffsets: number[] | undefined;

/** Days from the epoch to each lunar New Year, summed once on first use. */
function newYearOffset(lunarYear: number): number {
  if (!newYearOffsets) {
    newYearOffsets = [0];
    for (const info of LUNAR_YEAR_INFO) newYearOffsets.push(newYearOffsets[newYearOffsets.length - 1]! + yearLength(info));
  }
  return newYearOffsets[lunarYear - FIRST_LUNAR_YEAR]!;
}

function monthCount(info: number): number {
  return leapMonthOf(info) === 0 ? 12 : 13;
}

function leapMonthOf(info: number): number {
  return (info >> 13) & 0xf;
}

function monthLength(info: number, index: number): number {
  return (info >> index) & 1 ? 30 : 29;
}

function yearLength(info: number): number {
  let days = 0;
  for (let i = 0; i < monthCount(info); i += 1) days += monthLength(info, i);
  return days;
}

/**
 * The Gregorian date of a lunar date. `leap` selects the leap month 闰`month`月.
 * Throws a RangeError outside 1900–2100 or for a day the month does not have.
 */
export function lunarToGregorian(lunarYear: number, month: number, day: number, leap = false): IsoDate {
  const info = LUNAR_YEAR_INFO[lunarYear - FIRST_LUNAR_YEAR];
  if (info === undefined || !Number.isInteger(lunarYear)) {
    throw new RangeError(`lunar year ${lunarYear} is outside ${FIRST_LUNAR_YEAR}–${LAST_LUNAR_YEAR}`);
  }
  const leapMonth = leapMonthOf(info);
  if (!Number.isInteger(month) || month < 1 || month > 12 || (leap && month !== leapMonth)) {
    throw new RangeError(`lunar year ${lunarYear} has no ${leap ? 'leap ' : ''}month ${month}`);
  }
  // The leap month sits right after its namesake, so every later month moves down one place.
  const index = month - 1 + (leap || (leapMonth !== 0 && month > leapMonth) ? 1 : 0);
  if (!Number.isInteger(day) || day < 1 || day > monthLength(info, index)) {
    throw new RangeError(`lunar ${lunarYear}-${month} has no day ${day}`);
  }
  let offset = newYearOffset(lunarYear);
  for (let i = 0; i < index; i += 1) offset += monthLength(info, i);
  return addCalendarDays(LUNAR_EPOCH, offset + day - 1);
}

/** The lunar New Year's Eve (除夕) in Gregorian year `year`: the day before 正月初一. */
export function lunarNewYearsEve(year: number): IsoDate {
  return addCalendarDays(lunarToGregorian(year, 1, 1), -1);
}

/**
 * The day of the Qingming solar term (sun at 15° ecliptic longitude), Beijing time,
 * by the standard century formula [Y·D + C] − [Y/4] with D = 0.2422 and C = 5.59
 * (1900–1999) or 4.81 (2000–2099). 2100 is not a leap year, so the formula fails there;
 * the term falls at 2100-04-05 00:44 Beijing time. Checked against an astronomical
 * computation for every year 1900–2100.
 */
export function qingmingDate(year: number): IsoDate {
  if (!Number.isInteger(year) || year < FIRST_LUNAR_YEAR || year > LAST_LUNAR_YEAR) {
    throw new RangeError(`Qingming is computed for ${FIRST_LUNAR_YEAR}–${LAST_LUNAR_YEAR}, not ${year}`);
  }
  if (year === 2100) return '2100-04-05';
  const y = year % 100;
  const c = year >= 2000 ? 4.81 : 5.59;
  const day = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}
