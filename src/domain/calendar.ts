// The Chinese working-day calendar. "Call back within 3 working days" and every due date of the
// planner are computed on it: public holidays are off, make-up working weekends (调休) are on, and
// the team's own company holidays and working Saturdays (from config) win over both.
//
// All dates are 'YYYY-MM-DD' strings. Internally a date is a day number (days since 1970-01-01),
// so there is no Date object, no time zone and no daylight-saving pitfall anywhere.
//
// The official arrangements come from the table in calendar-data.ts. A year the table does not
// cover is not guessed: Mon–Fri count as working days there, and the year is recorded in
// `uncoveredYears` so that the command can warn the user after computing.
//
// Malformed dates and counts are programming bugs (config and CSV values are validated before they
// get here) and throw a plain Error.

import { OFFICIAL_ARRANGEMENTS, type HolidayArrangement } from './calendar-data.js';

export type { HolidayArrangement } from './calendar-data.js';

/** The team's own calendar, from config. Every entry wins over the official table. */
export interface CalendarOverrides {
  /** Extra days off: company holidays, a team outing. */
  holidays?: readonly string[];
  /** Extra working days: a company working Saturday. */
  workdays?: readonly string[];
  /**
   * Whole-year arrangements keyed by year ('2027'), in the shape of the official table: lets a
   * team add a year the State Council has published after this release, or correct one. A year
   * given here counts as covered and replaces the built-in entry for that year.
   */
  years?: Readonly<Record<string, HolidayArrangement>>;
}

export interface WorkingCalendar {
  isWorkingDay(date: string): boolean;
  /** The n-th working day strictly after `date` (n >= 1). addWorkingDays('2026-09-30', 3) is the 3rd working day after 30 Sep. */
  addWorkingDays(date: string, n: number): string;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  /** `date` itself when it is a working day, else the next one. */
  onOrAfter(date: string): string;
  /** Working days strictly after `from` up to and including `to` (0 when to <= from). */
  workingDaysBetween(from: string, to: string): number;
  /** Is this year in the official table (or fully given by overrides.years)? */
  covers(year: number): boolean;
  /** Years a computation reached that the table does not cover (there, Mon–Fri are assumed to be working days). Read it after computing to warn the user. */
  readonly uncoveredYears: ReadonlySet<number>;
  /** The covered years in ascending order: the official table's, e.g. [2018, …, 2026], plus any overrides.years. */
  readonly coveredYears: readonly number[];
}

// ---------------------------------------------------------------------------------------------
// Day numbers

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/**
 * The years a date the user gives (--date, --month) may fall in: a campaign runs now, and the
 * segment windows reach a few years either side, well inside what the day arithmetic handles.
 */
export const SUPPORTED_YEARS = { from: 2000, to: 2099 } as const;

/** Is YYYY-MM-DD or YYYY-MM inside SUPPORTED_YEARS? */
export function inSupportedYears(dateOrMonth: string): boolean {
  const year = Number(dateOrMonth.slice(0, 4));
  return year >= SUPPORTED_YEARS.from && year <= SUPPORTED_YEARS.to;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of dayNumber (civil_from_days): [year, month, day]. */
export function civil(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const MIN_DAY = dayNumber(MIN_YEAR, 1, 1);
const MAX_DAY = dayNumber(MAX_YEAR, 12, 31);

/** The day number of a 'YYYY-MM-DD' date, or undefined when the text is not a real date. */
function tryParse(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = ISO_DATE_RE.exec(text);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < MIN_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return dayNumber(y, m, d);
}

function parse(date: string): number {
  const day = tryParse(date);
  if (day === undefined) throw new Error(`calendar: not a date in YYYY-MM-DD form: ${JSON.stringify(date)}`);
  return day;
}

function format(day: number): string {
  if (day < MIN_DAY || day > MAX_DAY) throw new Error(`calendar: date out of range (day ${day})`);
  const [y, m, d] = civil(day);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** 1 = Monday … 7 = Sunday. Day 0 (1970-01-01) was a Thursday. */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function checkInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new Error(`calendar: ${what} must be an integer, got ${n}`);
}

/** A real calendar date written as 'YYYY-MM-DD' (no time, no other separators). */
export function isIsoDate(text: string): boolean {
  return tryParse(text) !== undefined;
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  checkInteger(n, 'a number of days');
  return format(parse(date) + n);
}

/** `to` minus `from` in calendar days: daysBetween('2026-02-28', '2026-03-01') is 1. */
export function daysBetween(from: string, to: string): number {
  return parse(to) - parse(from);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  return weekdayOf(parse(date));
}

// ---------------------------------------------------------------------------------------------
// The calendar

interface YearInfo {
  year: number;
  /** Day number of 1 January. */
  first: number;
  /** Day number of 1 January of the next year. */
  end: number;
  /** 1 = working day, indexed by day - first. */
  working: Uint8Array;
  covered: boolean;
}

/** Day number → working (true) or off (false), for every date some entry names. */
function dayStatus(arrangements: Map<number, HolidayArrangement>, overrides: CalendarOverrides): Map<number, boolean> {
  const status = new Map<number, boolean>();
  const mark = (dates: readonly string[] | undefined, working: boolean, source: string, conflicts: Map<number, boolean>) => {
    for (const date of dates ?? []) {
      const day = parse(date);
      if (conflicts.get(day) === !working) {
        throw new Error(`calendar: ${date} is both a holiday and a working day in ${source}`);
      }
      conflicts.set(day, working);
      status.set(day, working);
    }
  };
  const official = new Map<number, boolean>();
  for (const [year, arrangement] of arrangements) {
    mark(arrangement.holidays, false, `the arrangement for ${year}`, official);
    mark(arrangement.workdays, true, `the arrangement for ${year}`, official);
  }
  // The team's own days win over the official ones, so they are checked only against each other.
  const own = new Map<number, boolean>();
  mark(overrides.holidays, false, 'the calendar overrides', own);
  mark(overrides.workdays, true, 'the calendar overrides', own);
  return status;
}

/** The national holidays on fixed dates (元旦, 劳动节, 国庆): days off even in a year not yet published. */
export const FIXED_HOLIDAYS: readonly [number, number][] = [
  [1, 1],
  [5, 1],
  [10, 1],
  [10, 2],
  [10, 3],
];

/** The settings lines that give `years` their days off and make-up working days (the fixed ones filled in). */
export function calendarLinesFor(years: readonly number[]): string {
  const days = years.flatMap((y) => FIXED_HOLIDAYS.map(([m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`));
  return `calendar:\n  holidays: [${days.join(', ')}]\n  workdays: []`;
}

class Calendar implements WorkingCalendar {
  readonly uncoveredYears = new Set<number>();
  readonly coveredYears: readonly number[];
  private readonly covered: ReadonlySet<number>;
  private readonly status: Map<number, boolean>;
  private readonly years = new Map<number, YearInfo>();
  /** The year looked at last: almost every lookup falls in it. Starts as an empty sentinel. */
  private last: YearInfo;

  constructor(overrides: CalendarOverrides) {
    const arrangements = new Map<number, HolidayArrangement>();
    for (const [year, arrangement] of Object.entries(OFFICIAL_ARRANGEMENTS)) arrangements.set(Number(year), arrangement);
    for (const [key, arrangement] of Object.entries(overrides.years ?? {})) {
      const year = Number(key);
      if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
        throw new Error(`calendar: overrides.years has a key that is not a year: ${JSON.stringify(key)}`);
      }
      arrangements.set(year, arrangement);
    }
    this.covered = new Set(arrangements.keys());
    this.coveredYears = Object.freeze([...arrangements.keys()].sort((a, b) => a - b));
    this.status = dayStatus(arrangements, overrides);
    this.last = { year: 0, first: 0, end: 0, working: new Uint8Array(0), covered: true };
  }

  private yearInfo(year: number): YearInfo {
    let info = this.years.get(year);
    if (info) return info;
    if (year < MIN_YEAR || year > MAX_YEAR) throw new Error(`calendar: year out of range: ${year}`);
    const first = dayNumber(year, 1, 1);
    const end = dayNumber(year + 1, 1, 1);
    const working = new Uint8Array(end - first);
    const covered = this.covered.has(year);
    // A year the official table lacks still has its fixed national holidays: 1 Jan, 1 May, 1–3 Oct.
    const fixed = covered ? new Set<number>() : new Set(FIXED_HOLIDAYS.map(([m, d]) => dayNumber(year, m, d)));
    for (let day = first; day < end; day++) {
      working[day - first] = (this.status.get(day) ?? (!fixed.has(day) && weekdayOf(day) <= 5)) ? 1 : 0;
    }
    info = { year, first, end, working, covered };
    this.years.set(year, info);
    return info;
  }

  private working(day: number): boolean {
    let info = this.last;
    if (day < info.first || day >= info.end) {
      info = this.yearInfo(civil(day)[0]);
      this.last = info;
    }
    if (!info.covered) this.uncoveredYears.add(info.year);
    return info.working[day - info.first] === 1;
  }

  isWorkingDay(date: string): boolean {
    return this.working(parse(date));
  }

  addWorkingDays(date: string, n: number): string {
    checkInteger(n, 'a number of working days');
    if (n < 1) throw new Error(`calendar: addWorkingDays needs n >= 1, got ${n}`);
    let day = parse(date);
    for (let found = 0; found < n; ) {
      day++;
      if (this.working(day)) found++;
    }
    return format(day);
  }

  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  onOrAfter(date: string): string {
    let day = parse(date);
    while (!this.working(day)) day++;
    return format(day);
  }

  workingDaysBetween(from: string, to: string): number {
    const start = parse(from);
    const stop = parse(to);
    let count = 0;
    for (let day = start + 1; day <= stop; day++) if (this.working(day)) count++;
    return count;
  }

  covers(year: number): boolean {
    return this.covered.has(year);
  }
}

/**
 * A working calendar: the official table with the team's overrides on top. Each instance keeps
 * its own `uncoveredYears`, so make one per command run (building one costs well under 1 ms).
 */
export function workingCalendar(overrides: CalendarOverrides = {}): WorkingCalendar {
  return new Calendar(overrides);
}
