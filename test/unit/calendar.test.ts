import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isIsoDate,
  weekday,
  workingCalendar,
} from '../../src/domain/calendar.js';
import { OFFICIAL_ARRANGEMENTS } from '../../src/domain/calendar-data.js';

describe('official arrangements', () => {
  it('2026-09-30 + 3 working days is the make-up Saturday 2026-10-10', () => {
    // 2026 notice: 国庆节 10/1 (Thu) – 10/7 (Wed) off; 9/20 (Sun) and 10/10 (Sat) worked.
    // After Wed 30 Sep: Thu 8 Oct is the 1st working day, Fri 9 Oct the 2nd, and the make-up
    // Saturday 10 Oct the 3rd. Ignoring holidays would give 2026-10-05; ignoring 调休, 2026-10-12.
    const cal = workingCalendar();
    expect(cal.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(cal.uncoveredYears.size).toBe(0);
  });

  it('counts a make-up Saturday or Sunday as a working day', () => {
    const cal = workingCalendar();
    expect(weekday('2026-10-10')).toBe(6);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(weekday('2026-09-20')).toBe(7);
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    // The Saturday before it is an ordinary weekend day.
    expect(cal.isWorkingDay('2026-09-19')).toBe(false);
    // From Friday 9 Oct the next working day is the make-up Saturday, not Monday.
    expect(cal.nextWorkingDay('2026-10-09')).toBe('2026-10-10');
  });

  it('Spring Festival 2026: 2/15–2/23 off, 2/14 and 2/28 worked', () => {
    const cal = workingCalendar();
    expect(cal.isWorkingDay('2026-02-13')).toBe(true); // Friday before
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    for (const day of ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-20', '2026-02-23']) {
      expect(cal.isWorkingDay(day), day).toBe(false);
    }
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-24');
    expect(cal.onOrAfter('2026-02-17')).toBe('2026-02-24');
    expect(cal.isWorkingDay('2026-02-28')).toBe(true); // make-up Saturday after
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6); // 2/14, 2/24–2/27, 2/28
  });

  it('Spring Festival 2025: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked', () => {
    const cal = workingCalendar();
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.addWorkingDays('2025-01-24', 2)).toBe('2025-01-27'); // Sun 26, Mon 27
    expect(cal.nextWorkingDay('2025-01-27')).toBe('2025-02-05');
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
  });

  it('New Year across years', () => {
    const cal = workingCalendar();
    // 2026 notice: 元旦 1/1 (Thu) – 1/3 (Sat) off, Sunday 1/4 worked.
    expect(cal.nextWorkingDay('2025-12-31')).toBe('2026-01-04');
    expect(cal.addWorkingDays('2025-12-30', 2)).toBe('2026-01-04');
    // 2025 notice: 元旦 1/1 (Wed) only.
    expect(cal.nextWorkingDay('2024-12-31')).toBe('2025-01-02');
    // 2019 notice reaches back: 2018-12-30 – 2019-01-01 off, Saturday 2018-12-29 worked.
    expect(cal.isWorkingDay('2018-12-29')).toBe(true);
    expect(cal.isWorkingDay('2018-12-31')).toBe(false);
    expect(cal.nextWorkingDay('2018-12-29')).toBe('2019-01-02');
    // 2023 notice: 2022-12-31 – 2023-01-02 off.
    expect(cal.nextWorkingDay('2022-12-30')).toBe('2023-01-03');
    expect(cal.uncoveredYears.size).toBe(0);
  });

  it('a plain weekend is off', () => {
    const cal = workingCalendar();
    expect(cal.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(cal.nextWorkingDay('2026-03-06')).toBe('2026-03-09');
    expect(cal.onOrAfter('2026-03-07')).toBe('2026-03-09');
    expect(cal.onOrAfter('2026-03-09')).toBe('2026-03-09');
    expect(cal.addWorkingDays('2026-03-05', 3)).toBe('2026-03-10');
  });

  it('matches the 2025 notice', () => {
    const cal = workingCalendar();
    const off = ['2025-01-01', '2025-01-28', '2025-02-04', '2025-04-04', '2025-05-01', '2025-05-05',
      '2025-06-02', '2025-10-01', '2025-10-06', '2025-10-08'];
    const on = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2025-10-09'];
    for (const day of off) expect(cal.isWorkingDay(day), day).toBe(false);
    for (const day of on) expect(cal.isWorkingDay(day), day).toBe(true);
  });

  it('2020: Spring Festival extended to 2/2, the make-up Saturday 2/1 cancelled', () => {
    const cal = workingCalendar();
    expect(cal.isWorkingDay('2020-01-19')).toBe(true);
    expect(cal.isWorkingDay('2020-01-31')).toBe(false);
    expect(cal.isWorkingDay('2020-02-01')).toBe(false);
    expect(cal.nextWorkingDay('2020-01-23')).toBe('2020-02-03');
  });

  it('gives the published number of working days per year', () => {
    const cal = workingCalendar();
    expect(cal.workingDaysBetween('2023-12-31', '2024-12-31')).toBe(251);
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
    expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });
});

describe('the data table', () => {
  const years = Object.keys(OFFICIAL_ARRANGEMENTS).map(Number);

  it('covers 2018 to 2026 without gaps', () => {
    const cal = workingCalendar();
    expect(cal.coveredYears).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(years.sort((a, b) => a - b)).toEqual(cal.coveredYears);
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
  });

  it('holds real dates of its year (or the December before), make-up days on weekends, no clashes', () => {
    for (const year of years) {
      const { holidays, workdays } = OFFICIAL_ARRANGEMENTS[year];
      for (const day of [...holidays, ...workdays]) {
        expect(isIsoDate(day), day).toBe(true);
        expect(day.startsWith(`${year}-`) || day.startsWith(`${year - 1}-12-`), `${year}: ${day}`).toBe(true);
      }
      for (const day of workdays) expect(weekday(day), `${year}: ${day}`).toBeGreaterThanOrEqual(6);
      expect(holidays.filter((day) => workdays.includes(day)), String(year)).toEqual([]);
      expect(new Set(holidays).size, String(year)).toBe(holidays.length);
    }
  });
});

describe('overrides', () => {
  it('a company holiday is off, even on an official make-up day', () => {
    const cal = workingCalendar({ holidays: ['2026-03-09', '2026-10-10'] });
    expect(cal.isWorkingDay('2026-03-09')).toBe(false);
    expect(cal.nextWorkingDay('2026-03-06')).toBe('2026-03-10');
    expect(cal.isWorkingDay('2026-10-10')).toBe(false);
    expect(cal.addWorkingDays('2026-09-30', 3)).toBe('2026-10-12');
  });

  it('a company working Saturday is on, even inside an official holiday', () => {
    const cal = workingCalendar({ workdays: ['2026-03-14', '2026-10-02'] });
    expect(cal.isWorkingDay('2026-03-14')).toBe(true);
    expect(cal.nextWorkingDay('2026-03-13')).toBe('2026-03-14');
    expect(cal.isWorkingDay('2026-03-15')).toBe(false);
    expect(cal.nextWorkingDay('2026-09-30')).toBe('2026-10-02');
    // The default calendar is not affected.
    expect(workingCalendar().isWorkingDay('2026-03-14')).toBe(false);
  });

  it('a whole year given in config counts as covered', () => {
    const cal = workingCalendar({ years: { '2027': { holidays: ['2027-01-01'], workdays: [] } } });
    expect(cal.covers(2027)).toBe(true);
    expect(cal.coveredYears.at(-1)).toBe(2027);
    expect(cal.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    expect(cal.uncoveredYears.size).toBe(0);
  });

  it('rejects a day that is both a company holiday and a company working day', () => {
    expect(() => workingCalendar({ holidays: ['2026-03-14'], workdays: ['2026-03-14'] })).toThrow(/both/);
    expect(() => workingCalendar({ holidays: ['2026-3-14'] })).toThrow(Error);
  });
});

describe('uncovered years', () => {
  it('records the years a computation reached beyond the table', () => {
    const cal = workingCalendar();
    expect(cal.covers(2030)).toBe(false);
    // 2030-12-30 is a Monday; Mon–Fri assumed, 1 Jan off: 12/31, 1/2, 1/3, Monday 1/6, then 1/7.
    expect(cal.addWorkingDays('2030-12-30', 5)).toBe('2031-01-07');
    expect([...cal.uncoveredYears].sort()).toEqual([2030, 2031]);
    expect(cal.covers(2031)).toBe(false);
  });

  it('does not record a year the computation did not reach', () => {
    const cal = workingCalendar();
    expect(cal.addWorkingDays('2026-12-30', 1)).toBe('2026-12-31');
    expect(cal.uncoveredYears.size).toBe(0);
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04'); // 元旦 (a Friday) is off even before the notice
    expect([...cal.uncoveredYears]).toEqual([2027]);
  });

  it('is kept per calendar', () => {
    const a = workingCalendar();
    const b = workingCalendar();
    a.isWorkingDay('2029-06-01');
    expect([...a.uncoveredYears]).toEqual([2029]);
    expect(b.uncoveredYears.size).toBe(0);
  });
});

describe('workingDaysBetween', () => {
  const cal = workingCalendar();
  it('counts working days after `from` up to and including `to`', () => {
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(cal.workingDaysBetween('2026-09-30', '2026-10-09')).toBe(2);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(cal.workingDaysBetween('2026-03-06', '2026-03-08')).toBe(0);
  });
  it('is 0 when `to` is not after `from`', () => {
    expect(cal.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    expect(cal.workingDaysBetween('2026-10-10', '2026-09-30')).toBe(0);
  });
  it('agrees with addWorkingDays', () => {
    for (const n of [1, 2, 5, 10, 40]) {
      expect(cal.workingDaysBetween('2026-01-30', cal.addWorkingDays('2026-01-30', n))).toBe(n);
    }
  });
});

describe('date arithmetic', () => {
  it('addDays crosses month, year and leap-year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2026-06-15', 0)).toBe('2026-06-15');
    expect(addDays('2026-01-01', -365)).toBe('2025-01-01');
  });

  it('daysBetween is `to` minus `from`', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
    expect(daysBetween('1969-12-31', '1970-01-02')).toBe(2);
  });

  it('weekday is 1 = Monday … 7 = Sunday', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('1969-12-28')).toBe(7);
    expect(weekday('2026-11-23')).toBe(1);
    expect(weekday('2026-10-01')).toBe(4);
  });

  it('isIsoDate accepts only real dates in YYYY-MM-DD form', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('2026/02/03')).toBe(false);
    expect(isIsoDate('2026-02-03T00:00')).toBe(false);
    expect(isIsoDate(' 2026-02-03')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(isIsoDate('0000-01-01')).toBe(false);
  });

  it('throws on malformed dates and counts (programming errors)', () => {
    const cal = workingCalendar();
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => cal.addWorkingDays('2026/01/01', 1)).toThrow(Error);
    expect(() => cal.addWorkingDays('2026-01-01', 0)).toThrow(/n >= 1/);
    expect(() => cal.addWorkingDays('2026-01-01', 1.5)).toThrow(/integer/);
    expect(() => addDays('2026-01-01', Number.NaN)).toThrow(/integer/);
    expect(() => daysBetween('2026-01-01', 'tomorrow')).toThrow(Error);
    expect(() => weekday('')).toThrow(Error);
  });
});

describe('a year the official table does not cover', () => {
  it('keeps the fixed national holidays as days off, and says which settings lines add the year', async () => {
    const { workingCalendar, calendarLinesFor } = await import('../../src/domain/calendar.js');
    const cal = workingCalendar();
    expect(cal.isWorkingDay('2027-01-01')).toBe(false); // a Friday, 元旦
    expect(cal.isWorkingDay('2027-05-03')).toBe(true); // the Monday after 劳动节 (a Saturday): not guessed
    expect(cal.isWorkingDay('2027-10-01')).toBe(false);
    expect(cal.isWorkingDay('2027-09-30')).toBe(true);
    expect(cal.uncoveredYears.has(2027)).toBe(true);
    // The team's own settings still win.
    expect(workingCalendar({ workdays: ['2027-10-01'] }).isWorkingDay('2027-10-01')).toBe(true);
    expect(calendarLinesFor([2027])).toBe('calendar:\n  holidays: [2027-01-01, 2027-05-01, 2027-10-01, 2027-10-02, 2027-10-03]\n  workdays: []');
  });
});
