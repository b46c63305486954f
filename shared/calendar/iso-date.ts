/**
 * Calendar dates as 'YYYY-MM-DD' strings, with arithmetic done on the UTC midnight
 * of the date: a calendar date has no time zone, so no local-time getter is ever used
 * (the server's TZ must not move a deadline by a day).
 */

/** A calendar date, 'YYYY-MM-DD', meant as a date in Asia/Shanghai. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai has been UTC+8 all year since 1991 (no DST). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A date-time must carry its offset: without one, `Date` would read it in the server's local time. */
const ISO_DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function parse(d: IsoDate): Ymd {
  const m = ISO_DATE.exec(d);
  if (m) {
    const ymd = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (ymd.month >= 1 && ymd.month <= 12 && ymd.day >= 1 && ymd.day <= daysInMonth(ymd.year, ymd.month)) return ymd;
  }
  throw new RangeError(`not a calendar date 'YYYY-MM-DD': '${d}'`);
}

function format({ year, month, day }: Ymd): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** Throws a RangeError unless `d` is a real 'YYYY-MM-DD' date; returns it for chaining. */
export function assertIsoDate(d: IsoDate): IsoDate {
  parse(d);
  return d;
}

/** Days since 1970-01-01 of the date's UTC midnight; the basis of all date arithmetic here. */
export function toDayNumber(d: IsoDate): number {
  const { year, month, day } = parse(d);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** The date of a day number (see {@link toDayNumber}). */
export function fromDayNumber(dayNumber: number): IsoDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return format({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

/** The Gregorian year of a date. */
export function yearOf(d: IsoDate): number {
  return parse(d).year;
}

/** Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(d: IsoDate): number {
  return (((toDayNumber(d) + 4) % 7) + 7) % 7;
}

/** `d` moved by `n` calendar days (n may be negative). */
export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'days');
  return fromDayNumber(toDayNumber(d) + n);
}

/**
 * `d` moved by `n` months, clamped to the month's end when the target month is shorter
 * (2026-01-31 + 1 month = 2026-02-28): Civil Code Art. 202, a period in months ends on
 * the corresponding day of the last month, or on its last day when there is none.
 */
export function addMonths(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'months');
  const { year, month, day } = parse(d);
  const index = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return format({ year: targetYear, month: targetMonth, day: Math.min(day, daysInMonth(targetYear, targetMonth)) });
}

/** `d` moved by `n` years; 02-29 becomes 02-28 in a common year (Civil Code Art. 202). */
export function addYears(d: IsoDate, n: number): IsoDate {
  requireInteger(n, 'years');
  return addMonths(d, n * 12);
}

/** -1, 0 or 1 as `a` is before, the same as, or after `b`. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const diff = toDayNumber(a) - toDayNumber(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** The last Beijing day of a period that ends at an instant (an expiry at 00:00 on D+1 covers D). */
export function lastDayOf(endsAt: string): IsoDate {
  return shanghaiDateOf(new Date(Date.parse(endsAt) - 1));
}

/**
 * The Asia/Shanghai calendar date of an instant. A string must be an ISO date-time with
 * an explicit offset ('Z' or '+08:00'…): one without would be read in the server's time zone.
 */
export function shanghaiDateOf(isoDateTime: string | Date): IsoDate {
  if (typeof isoDateTime === 'string' && !ISO_DATE_TIME_WITH_OFFSET.test(isoDateTime)) {
    throw new RangeError(`not an ISO date-time with an offset: '${isoDateTime}'`);
  }
  const ms = typeof isoDateTime === 'string' ? Date.parse(isoDateTime) : isoDateTime.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: '${String(isoDateTime)}'`);
  return fromDayNumber(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/**
 * The instant at which day `d` ends: 24:00 Asia/Shanghai (Civil Code Art. 203: the last
 * day of a period ends at 24:00), written as 00:00 of the next day, '+08:00'.
 */
export function endOfDayAt(d: IsoDate): string {
  return `${addCalendarDays(d, 1)}T00:00:00.000+08:00`;
}
