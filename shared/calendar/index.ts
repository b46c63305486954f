/** The working-day calendar of mainland China and the period rules built on it (POLICY.md). */
export {
  addCalendarDays,
  addMonths,
  addYears,
  assertIsoDate,
  compareDates,
  endOfDayAt,
  lastDayOf,
  shanghaiDateOf,
  type IsoDate,
} from './iso-date.js';
export { OFFICIAL_YEARS, type OfficialYear } from './official-years.js';
export { PROVISIONAL_YEAR_RANGE, provisionalHolidays, type ProvisionalHoliday } from './provisional.js';
export { WorkingDayCalendar } from './working-days.js';
export { computePeriodEnd, type Period, type PeriodEnd, type PeriodUnit } from './period.js';
