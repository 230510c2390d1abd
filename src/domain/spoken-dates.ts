// Dates and times as an agent types what the customer says: 明天, 后天, 周三, 下周一, 11-26,
// 11/26, 12月3日, tomorrow, next monday, 3天后; and a time after it: 15:00, 下午3点, 3点半, 3pm.
//
// A date without a year is the nearest one in the direction the question looks: a callback is in
// the future (01-05 said in December is next year's), the day a problem happened is in the past;
// a day less than a month on the wrong side is taken as said, for the question to point out.
// Full dates (2026-11-26, 2026/11/26, 2026年11月26日) are read as the import reads them.
import { addDays, addWeeks, format, getISODay, isValid, parseISO, startOfISOWeek } from 'date-fns';
import { halfWidth, isProblem, parseDate } from './values.js';

export type Direction = 'future' | 'past';

const ISO = 'yyyy-MM-dd';
const day = (iso: string) => parseISO(iso);
const iso = (date: Date) => format(date, ISO);

const WEEKDAYS: Record<string, number> = {
  一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7,
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
};

const RELATIVE: Record<string, number> = {
  今天: 0, 今日: 0, today: 0, 明天: 1, 明日: 1, tomorrow: 1, 后天: 2, 後天: 2, 大后天: 3,
  昨天: -1, 昨日: -1, yesterday: -1, 前天: -2, 大前天: -3,
};

/** Days within which a month and day on the wrong side of today is taken as said (a slip, not next year's). */
const SLIP_DAYS = 31;

/**
 * The day a month and day fall on, looking in `direction` from `today` (today itself counts): 01-05
 * said for a callback on 12-28 is next year's. But a day this year at most a month on the wrong side
 * is taken as said: 11-20 typed for a callback on 11-23 is a slip to point out, not a call a year away.
 */
function nearestMonthDay(month: number, dayOfMonth: number, today: string, direction: Direction): string | undefined {
  const year = Number(today.slice(0, 4));
  const valid = (y: number) => {
    const candidate = `${y}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
    const date = day(candidate);
    return isValid(date) && iso(date) === candidate ? candidate : undefined; // 2-30, 4-31
  };
  const thisYear = valid(year);
  if (thisYear !== undefined && Math.abs(day(thisYear).getTime() - day(today).getTime()) <= SLIP_DAYS * 86_400_000) return thisYear;
  for (const y of direction === 'future' ? [year, year + 1] : [year, year - 1]) {
    const candidate = valid(y);
    if (candidate !== undefined && (direction === 'future' ? candidate >= today : candidate <= today)) return candidate;
  }
  return undefined;
}

/** A weekday: in this week, next week or last week (下周一, 本周五, next monday), or the nearest one (周三). */
function weekday(target: number, week: 'this' | 'next' | 'last' | 'nearest', today: string, direction: Direction): string {
  const now = day(today);
  if (week === 'nearest') {
    const diff = target - getISODay(now);
    if (direction === 'future') return iso(addDays(now, diff >= 0 ? diff : diff + 7));
    return iso(addDays(now, diff <= 0 ? diff : diff - 7));
  }
  const monday = addWeeks(startOfISOWeek(now), week === 'next' ? 1 : week === 'last' ? -1 : 0);
  return iso(addDays(monday, target - 1));
}

/** A date as people say it, relative to `today` (YYYY-MM-DD); undefined when it is not one. */
export function spokenDate(typed: string, today: string, direction: Direction): string | undefined {
  const text = halfWidth(typed).toLowerCase().replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  if (Object.hasOwn(RELATIVE, text)) return iso(addDays(day(today), RELATIVE[text]));
  let m = /^(\d{1,3}) ?(?:天|日)(后|以后|之后|前|以前|之前)$/.exec(text) ?? /^in (\d{1,3}) days?$/.exec(text);
  if (m) return iso(addDays(day(today), Number(m[1]) * (m[2] && /前/.test(m[2]) ? -1 : 1)));
  m = /^(\d{1,3}) days? ago$/.exec(text);
  if (m) return iso(addDays(day(today), -Number(m[1])));
  // 下周一, 下星期三, 下个礼拜五, 本周五, 这周日, 上周二, 周三, 星期天
  m = /^(下|下个|本|这|这个|上|上个)?(?:周|星期|礼拜)([一二三四五六日天1-7])$/.exec(text);
  if (m) {
    const week = m[1] === undefined ? 'nearest' : m[1].startsWith('下') ? 'next' : m[1].startsWith('上') ? 'last' : 'this';
    return weekday(WEEKDAYS[m[2]], week, today, direction);
  }
  m = /^(?:(next|this|last) )?([a-z]+)$/.exec(text);
  if (m && Object.hasOwn(WEEKDAYS, m[2]) && !/^\d$/.test(m[2])) {
    const week = m[1] === 'next' ? 'next' : m[1] === 'last' ? 'last' : m[1] === 'this' ? 'this' : 'nearest';
    return weekday(WEEKDAYS[m[2]], week, today, direction);
  }
  // 11-26, 11/26, 11.26, 11月26日, 11月26号
  m = /^(\d{1,2}) ?(?:[-/.]|月) ?(\d{1,2}) ?(?:日|号)?$/.exec(text);
  if (m) return nearestMonthDay(Number(m[1]), Number(m[2]), today, direction);
  // 26号, 26日: this month's, or the next (or last) month's when that day is on the wrong side of today
  m = /^(\d{1,2}) ?(?:日|号)$/.exec(text);
  if (m) {
    const month = Number(today.slice(5, 7));
    const step = direction === 'future' ? 1 : -1;
    for (const shift of [0, step]) {
      const first = day(`${today.slice(0, 7)}-01`);
      const inMonth = new Date(first.getFullYear(), month - 1 + shift, Number(m[1]));
      if (inMonth.getDate() !== Number(m[1])) continue;
      const candidate = iso(inMonth);
      if (direction === 'future' ? candidate >= today : candidate <= today) return candidate;
    }
    return undefined;
  }
  // The full forms, with a year: 2026-11-26, 2026/11/26, 2026年11月26日, 20261126
  if (/^\d{4}/.test(text)) {
    const parsed = parseDate(text);
    if (!isProblem(parsed) && parsed.value.length === 10) return parsed.value;
  }
  return undefined;
}

/**
 * A time of day at the end of what was typed: 15:00, 15：00, 15点, 3点半, 下午3点, 晚上8点15分,
 * 3pm, 3:30 pm. Gives the time (HH:MM) and what came before it, or undefined when there is none.
 */
export function spokenTime(typed: string): { time: string; rest: string } | undefined {
  const text = halfWidth(typed).toLowerCase().trim();
  const m =
    /^(.*?)\s*(上午|早上|中午|下午|晚上|傍晚)?\s*(\d{1,2})(?::(\d{2})|点(?:(半)|(\d{1,2})分?)?|时)\s*(am|pm)?$/.exec(text) ??
    /^(.*?)\s*()(\d{1,2})()()()\s*(am|pm)$/.exec(text);
  if (!m) return undefined;
  const [, rest, part, hourText, minuteText, half, minuteZh, ampm] = m;
  let hour = Number(hourText);
  const minute = half ? 30 : Number(minuteText ?? minuteZh ?? 0);
  if ((part && /下午|晚上|傍晚/.test(part)) || ampm === 'pm') {
    if (hour < 12) hour += 12;
  } else if (part === '中午' && hour < 6) {
    hour += 12;
  } else if (ampm === 'am' && hour === 12) {
    hour = 0;
  }
  if (hour > 23 || minute > 59) return undefined;
  return { time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, rest: rest.trim() };
}

/**
 * A date and a time in one answer (明天 15:00, 12-03 15:00, 下周一上午10点, tomorrow 3pm):
 * YYYY-MM-DDTHH:MM, or undefined. Without a time, `defaultTime`; without a date, today.
 */
export function spokenDateTime(typed: string, today: string, defaultTime = '09:00'): string | undefined {
  const text = halfWidth(typed).trim();
  if (text === '') return undefined;
  const timed = spokenTime(text);
  const datePart = timed ? timed.rest : text;
  const date = datePart === '' ? today : (spokenDate(datePart, today, 'future') ?? fullDateTime(text));
  if (date === undefined) return undefined;
  if (date.length > 10) return date;
  return `${date}T${timed?.time ?? defaultTime}`;
}

/** 2026-12-03 15:00 and 2026-12-03T15:00 written whole. */
function fullDateTime(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
  return `${m[1]}T${m[2].padStart(2, '0')}:${m[3]}`;
}
