import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';
import { describe, it, expect } from 'vitest';
import {
  OFFICIAL_YEARS,
  WorkingDayCalendar,
  addCalendarDays,
  addMonths,
  addYears,
  compareDates,
  computePeriodEnd,
  endOfDayAt,
  provisionalHolidays,
  shanghaiDateOf,
  type IsoDate,
  type OfficialYear,
} from '../../shared/calendar/index.js';
import { lunarToGregorian, qingmingDate } from '../../shared/calendar/lunar.js';

/*
 * chinese-days is the independent source (POLICY.md "Working days"). Its helpers read
 * dates with local-time getters, so it is handed local noon of the date: right in any TZ.
 */
const cd = chineseDays;
function localNoon(d: IsoDate): Date {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, day, 12);
}

function daysOf(year: number): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) days.push(d);
  return days;
}

const cal = new WorkingDayCalendar();
const wd = (value: number) => ({ unit: 'workingDays' as const, value });
const cdays = (value: number) => ({ unit: 'calendarDays' as const, value });

describe('official calendar data', () => {
  it('ships 2024, 2025 and 2026, each citing its State Council notice', () => {
    expect(OFFICIAL_YEARS.map((y) => y.year)).toEqual([2024, 2025, 2026]);
    expect(OFFICIAL_YEARS.map((y) => y.source)).toEqual([
      expect.stringContaining('国办发明电〔2023〕7号'),
      expect.stringContaining('国办发明电〔2024〕12号'),
      expect.stringContaining('国办发明电〔2025〕7号'),
    ]);
  });

  it.each(OFFICIAL_YEARS.map((y) => [y.year]))('%i: every day is a working day exactly when chinese-days says so', (year) => {
    const days = daysOf(year);
    expect(days).toHaveLength(year % 4 === 0 ? 366 : 365);
    const ours = days.map((d) => `${d} ${cal.isWorkingDay(d) ? 'work' : 'off'}`);
    const theirs = days.map((d) => `${d} ${cd.isWorkday(localNoon(d)) ? 'work' : 'off'}`);
    expect(ours).toEqual(theirs);
    expect(days.filter((d) => cal.isProvisional(d))).toEqual([]);
  });

  it('has the 2026 key facts: Spring Festival 02-15..02-23, Mid-Autumn 09-25, National Day 10-01..10-07 and their make-up days', () => {
    const off = (from: IsoDate, to: IsoDate) =>
      daysOf(2026).filter((d) => d >= from && d <= to).every((d) => !cal.isWorkingDay(d));
    expect(off('2026-02-15', '2026-02-23')).toBe(true);
    expect(off('2026-10-01', '2026-10-07')).toBe(true);
    expect(cal.isWorkingDay('2026-09-25')).toBe(false);
    expect(['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10'].map((d) => cal.isWorkingDay(d))).toEqual([true, true, true, true]);
    expect(['2026-02-13', '2026-02-24', '2026-10-08', '2026-10-09'].map((d) => cal.isWorkingDay(d))).toEqual([true, true, true, true]);
  });

  it('is plain data: no file of shared/calendar imports chinese-days', () => {
    const dir = fileURLToPath(new URL('../../shared/calendar/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('official-years.ts');
    const importsIt = /(from|import|require)\s*\(?\s*['"]chinese-days/;
    expect(files.filter((f) => importsIt.test(readFileSync(dir + f, 'utf8')))).toEqual([]);
  });

  it('refuses data that cannot be a notice: a year twice, a make-up weekday, a stray date, a day both off and worked', () => {
    const y2026 = OFFICIAL_YEARS.find((y) => y.year === 2026)!;
    const bad = (patch: Partial<OfficialYear>): OfficialYear[] => [{ ...y2026, ...patch }];
    expect(() => new WorkingDayCalendar([y2026, y2026])).toThrow(/given twice/);
    expect(() => new WorkingDayCalendar(bad({ makeUpWorkdays: ['2026-02-13'] }))).toThrow(/not a weekend day/);
    expect(() => new WorkingDayCalendar(bad({ holidays: ['2027-01-01'] }))).toThrow(/not in 2026/);
    expect(() => new WorkingDayCalendar(bad({ makeUpWorkdays: ['2026-02-15'] }))).toThrow(/both a holiday and a make-up/);
    expect(() => new WorkingDayCalendar(bad({ holidays: ['2026-02-30'] }))).toThrow(RangeError);
  });
});

describe('POLICY.md worked examples', () => {
  it('notice served Fri 2026-09-18 + 10 working days ends 2026-10-09 at 24:00 (make-up Sun 09-20 counts; 09-25 and National Day do not)', () => {
    expect(computePeriodEnd(cal, '2026-09-18', wd(10))).toEqual({
      endDate: '2026-10-09',
      endsAt: '2026-10-10T00:00:00.000+08:00',
      provisional: false,
    });
    expect(cal.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
  });

  it('case filed Thu 2026-02-12 + 5 working days ends 2026-02-26 at 24:00 (make-up Sat 02-14 counts)', () => {
    expect(computePeriodEnd(cal, '2026-02-12', wd(5))).toEqual({
      endDate: '2026-02-26',
      endsAt: '2026-02-27T00:00:00.000+08:00',
      provisional: false,
    });
    expect(['2026-02-12', '2026-02-12', '2026-02-12'].map((d, i) => cal.addWorkingDays(d, i + 1))).toEqual(['2026-02-13', '2026-02-14', '2026-02-24']);
  });
});

describe('holiday weeks and make-up days', () => {
  it.each([
    ['Spring Festival 2025', '2025-01-24', '2025-02-10', 7, ['2025-01-26', '2025-01-27', '2025-02-05', '2025-02-06', '2025-02-07', '2025-02-08', '2025-02-10']],
    ['Spring Festival 2026', '2026-02-13', '2026-03-01', 6, ['2026-02-14', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28']],
    ['National Day 2025', '2025-09-26', '2025-10-12', 6, ['2025-09-28', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10', '2025-10-11']],
    ['National Day 2026', '2026-09-18', '2026-10-11', 11, ['2026-09-20', '2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']],
  ] as const)('%s: working days in (%s, %s] are exactly the listed ones', (_name, from, to, count, working) => {
    const between: IsoDate[] = [];
    for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (cal.isWorkingDay(d)) between.push(d);
    expect(between).toEqual(working);
    expect(cal.workingDaysBetween(from, to)).toBe(count);
    expect(cal.workingDaysBetween(to, from)).toBe(-count);
    expect(cal.addWorkingDays(from, count)).toBe(working[count - 1]);
  });

  it('workingDaysBetween is 0 for the same day and counts (from, to]: from excluded, to included', () => {
    expect(cal.workingDaysBetween('2026-09-21', '2026-09-21')).toBe(0);
    expect(cal.workingDaysBetween('2026-09-21', '2026-09-22')).toBe(1);
    expect(cal.workingDaysBetween('2026-09-25', '2026-09-27')).toBe(0);
  });

  it('addWorkingDays: 0 gives the day itself, a start on a holiday counts from the next working day, and it inverts workingDaysBetween', () => {
    expect(cal.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(cal.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
    expect(() => cal.addWorkingDays('2026-10-03', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-10-03', 1.5)).toThrow(RangeError);
    for (const from of ['2025-01-20', '2025-09-25', '2026-02-10', '2026-09-17', '2026-12-28']) {
      for (const n of [1, 3, 7, 15]) expect(cal.workingDaysBetween(from, cal.addWorkingDays(from, n))).toBe(n);
    }
  });
});

describe('date helpers', () => {
  it('addMonths clamps to the month end and addYears turns 02-29 into 02-28', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
  });

  it('addCalendarDays and compareDates cross months, years and leap days', () => {
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(compareDates('2026-09-30', '2026-10-01')).toBe(-1);
    expect(compareDates('2026-10-01', '2026-10-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(() => addCalendarDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-1-5', 1)).toThrow(RangeError);
  });

  it('shanghaiDateOf reads the instant at UTC+8 and refuses a date-time without an offset', () => {
    expect(shanghaiDateOf('2026-01-01T15:59:59.999Z')).toBe('2026-01-01');
    expect(shanghaiDateOf('2026-01-01T16:00:00Z')).toBe('2026-01-02');
    expect(shanghaiDateOf('2026-12-31T23:30:00-08:00')).toBe('2027-01-01');
    expect(shanghaiDateOf(new Date('2026-06-30T16:00:00.000Z'))).toBe('2026-07-01');
    expect(() => shanghaiDateOf('2026-01-01T12:00:00')).toThrow(RangeError);
    expect(() => shanghaiDateOf('2026-01-01')).toThrow(RangeError);
  });

  it('endOfDayAt is 24:00 Shanghai, written as 00:00+08:00 of the next day, which is that instant', () => {
    expect(endOfDayAt('2026-12-31')).toBe('2027-01-01T00:00:00.000+08:00');
    expect(endOfDayAt('2028-02-28')).toBe('2028-02-29T00:00:00.000+08:00');
    expect(new Date(endOfDayAt('2026-10-09')).toISOString()).toBe('2026-10-09T16:00:00.000Z');
  });

  it('gives the same answers whatever the server time zone', () => {
    const saved = process.env.TZ;
    const run = () => [
      addCalendarDays('2026-03-07', 2),
      addMonths('2026-10-31', 1),
      shanghaiDateOf('2026-03-08T20:00:00Z'),
      cal.isWorkingDay('2026-03-09'),
      computePeriodEnd(cal, '2026-09-18', wd(10)).endsAt,
    ];
    try {
      process.env.TZ = 'America/New_York';
      const newYork = run();
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(300);
      process.env.TZ = 'Pacific/Kiritimati';
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(-840);
      expect(run()).toEqual(newYork);
      expect(newYork).toEqual(['2026-03-09', '2026-11-30', '2026-03-09', true, '2026-10-10T00:00:00.000+08:00']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('computePeriodEnd', () => {
  it('a calendar-days period ending on a holiday or weekend moves to the next working day', () => {
    // 09-16 + 10 = Sat 09-26, inside Mid-Autumn 09-25..27.
    expect(computePeriodEnd(cal, '2026-09-16', cdays(10)).endDate).toBe('2026-09-28');
    // 09-22 + 15 = 10-07, the last day of National Day.
    expect(computePeriodEnd(cal, '2026-09-22', cdays(15))).toEqual({ endDate: '2026-10-08', endsAt: '2026-10-09T00:00:00.000+08:00', provisional: false });
    // 03-04 + 10 = an ordinary Saturday.
    expect(computePeriodEnd(cal, '2026-03-04', cdays(10)).endDate).toBe('2026-03-16');
    // 09-30 + 10 = Sat 10-10, a make-up working day: it stays.
    expect(computePeriodEnd(cal, '2026-09-30', cdays(10)).endDate).toBe('2026-10-10');
    expect(computePeriodEnd(cal, '2026-09-01', cdays(10)).endDate).toBe('2026-09-11');
  });

  it('months and years count to the corresponding day (clamped) and then move off a non-working day', () => {
    // Clamped to Sat 02-28, which in 2026 is a make-up working day.
    expect(computePeriodEnd(cal, '2026-01-31', { unit: 'months', value: 1 }).endDate).toBe('2026-02-28');
    // 2026-01-31 is a Saturday.
    expect(computePeriodEnd(cal, '2025-12-31', { unit: 'months', value: 1 }).endDate).toBe('2026-02-02');
    // 2026-02-15 is the first day of the Spring Festival holiday.
    expect(computePeriodEnd(cal, '2025-02-15', { unit: 'years', value: 1 }).endDate).toBe('2026-02-24');
    expect(computePeriodEnd(cal, '2025-03-10', { unit: 'years', value: 1 }).endDate).toBe('2026-03-10');
  });

  it('a working-days period triggered on a holiday counts from the next working day; 0 ends on the first working day from the trigger', () => {
    expect(computePeriodEnd(cal, '2026-10-03', wd(1)).endDate).toBe('2026-10-08');
    expect(computePeriodEnd(cal, '2026-10-03', wd(0)).endDate).toBe('2026-10-08');
    expect(computePeriodEnd(cal, '2026-10-09', wd(0)).endDate).toBe('2026-10-09');
    expect(() => computePeriodEnd(cal, '2026-10-09', wd(-1))).toThrow(RangeError);
    expect(() => computePeriodEnd(cal, '2026-13-01', wd(1))).toThrow(RangeError);
  });
});

describe('provisional calendar (years without a notice)', () => {
  it('marks years without official data as provisional', () => {
    expect(cal.isProvisional('2028-03-01')).toBe(true);
    expect(cal.isProvisional('2027-01-01')).toBe(true);
    expect(cal.isProvisional('2026-12-31')).toBe(false);
    expect(new WorkingDayCalendar([]).isProvisional('2026-06-01')).toBe(true);
  });

  it('places the 2027 and 2028 holidays on the right Gregorian dates', () => {
    const dates = (year: number) => provisionalHolidays(year).map((h) => `${h.date} ${h.name.split(' ')[0]}`);
    expect(dates(2027)).toEqual([
      '2027-01-01 New', '2027-02-05 Spring', '2027-02-06 Spring', '2027-02-07 Spring', '2027-02-08 Spring',
      '2027-04-05 Qingming', '2027-05-01 Labour', '2027-05-02 Labour', '2027-06-09 Dragon', '2027-09-15 Mid-Autumn',
      '2027-10-01 National', '2027-10-02 National', '2027-10-03 National',
    ]);
    expect(dates(2028)).toEqual([
      '2028-01-01 New', '2028-01-25 Spring', '2028-01-26 Spring', '2028-01-27 Spring', '2028-01-28 Spring',
      '2028-04-04 Qingming', '2028-05-01 Labour', '2028-05-02 Labour', '2028-05-28 Dragon', '2028-10-03 Mid-Autumn',
      '2028-10-01 National', '2028-10-02 National', '2028-10-03 National',
    ]);
  });

  it('agrees with chinese-days on every lunar New Year, Dragon Boat, Mid-Autumn and Qingming, 1901–2100', () => {
    const mismatches: string[] = [];
    for (let year = 1901; year <= 2100; year += 1) {
      for (const [month, day] of [[1, 1], [5, 5], [8, 15]] as const) {
        const ours = lunarToGregorian(year, month, day);
        const theirs = cd.getSolarDateFromLunar(localNoon(`${year}-0${month}-${String(day).padStart(2, '0')}`)).date;
        if (ours !== theirs) mismatches.push(`${year} lunar ${month}/${day}: ${ours} vs ${theirs}`);
      }
      const theirQingming = cd.getSolarTermDate(year, 4, 'pure_brightness');
      if (qingmingDate(year) !== theirQingming) mismatches.push(`${year} Qingming: ${qingmingDate(year)} vs ${theirQingming}`);
    }
    // Known, and checked astronomically: the new moon of 1996-09-12 fell after midnight Beijing
    // time; the Qingming moment of 2100 is 04-05 00:44 Beijing, where the century formula breaks.
    expect(mismatches).toEqual(['1996 lunar 8/15: 1996-09-27 vs 1996-09-26', '2100 Qingming: 2100-04-05 vs 2100-04-04']);
  });

  it('in a provisional year only the statutory days and weekends are off: no make-up days, no bridging', () => {
    const holidays = new Set(provisionalHolidays(2027).map((h) => h.date));
    const wrong = daysOf(2027).filter((d) => {
      const weekend = [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
      return cal.isWorkingDay(d) !== (!weekend && !holidays.has(d));
    });
    expect(wrong).toEqual([]);
    expect(holidays.size).toBe(13);
    // 除夕 Fri 02-05 off; Tue 02-09 after 初三 (Mon 02-08) is worked; Mon 10-04 after National Day is worked.
    expect(['2027-02-05', '2027-02-08', '2027-02-09', '2027-10-04'].map((d) => cal.isWorkingDay(d))).toEqual([false, false, true, true]);
  });

  it('refuses to guess outside the years the lunar table covers', () => {
    expect(() => cal.isWorkingDay('2101-03-01')).toThrow(/no provisional calendar for 2101/);
    expect(() => cal.addWorkingDays('2100-12-30', 5)).toThrow(RangeError);
  });

  it('computePeriodEnd says provisional when the period reaches into a year without official data', () => {
    // 2027-01-01 (Fri) is a provisional New Year's Day.
    expect(computePeriodEnd(cal, '2026-12-24', wd(10))).toEqual({ endDate: '2027-01-08', endsAt: '2027-01-09T00:00:00.000+08:00', provisional: true });
    expect(computePeriodEnd(cal, '2026-12-01', wd(10))).toEqual({ endDate: '2026-12-15', endsAt: '2026-12-16T00:00:00.000+08:00', provisional: false });
    expect(computePeriodEnd(cal, '2026-12-20', cdays(15))).toMatchObject({ endDate: '2027-01-04', provisional: true });
    // Ends Thu 2026-12-31 without looking into 2027.
    expect(computePeriodEnd(cal, '2026-12-16', cdays(15))).toMatchObject({ endDate: '2026-12-31', provisional: false });
    // 12-26 + 6 = Fri 2027-01-01, a provisional holiday, so the end moves to Mon 01-04.
    expect(computePeriodEnd(cal, '2026-12-26', cdays(6))).toMatchObject({ endDate: '2027-01-04', provisional: true });
    // 2028-04-04 is the computed Qingming (Tuesday).
    expect(computePeriodEnd(cal, '2028-03-04', { unit: 'months', value: 1 })).toMatchObject({ endDate: '2028-04-05', provisional: true });
  });

  it('once the year is published the same computation is no longer provisional', () => {
    const y2027: OfficialYear = { year: 2027, source: 'test notice', holidays: ['2027-01-01'], makeUpWorkdays: [] };
    const published = new WorkingDayCalendar([...OFFICIAL_YEARS, y2027]);
    expect(computePeriodEnd(published, '2026-12-24', wd(10))).toMatchObject({ endDate: '2027-01-08', provisional: false });
    // With a make-up Saturday the period would end a day sooner: the calendar reads the data, not a rule.
    const withMakeUp = new WorkingDayCalendar([...OFFICIAL_YEARS, { ...y2027, makeUpWorkdays: ['2027-01-02'] }]);
    expect(computePeriodEnd(withMakeUp, '2026-12-24', wd(10))).toMatchObject({ endDate: '2027-01-07', provisional: false });
  });
});
