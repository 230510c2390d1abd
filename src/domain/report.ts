// The monthly review (每月复盘): what was planned and done, satisfaction, NPS and the issues raised,
// for the whole month and by agent, segment and scenario, beside the month before.
//
// Every rate is a fraction between 0 and 1 and is null when its denominator is 0 (no calls is not
// "0% satisfied"). The definitions (report.def.* in the catalog, the README's "Monthly report") are
// printed with the report, so a figure never needs guessing:
//
//   coverage          completed calls / planned items          (回访覆盖率)
//   contactRate       reached / attempted                       (接通率)
//   satisfiedShare    answers of 4 or 5 / satisfaction answers  (满意率; 85% or more meets the mark)
//   nps.score         % promoters (9–10) − % detractors (0–6)   (-100 … 100)
//   repeatRate        issues the same customer had raised before in the same category / issues
//   resolutionRate    the month's issues resolved by its end / the month's issues
//   onTimeRate        issues due in the month resolved by their deadline / issues due in the month
import { ISSUE_LEVEL1, PRIORITIES } from '../core/config.js';
import type { Db } from '../storage/db.js';
import {
  buildMonthCalls,
  callFigures,
  deadlineFigures,
  dropMonthCalls,
  issueCounts,
  issueFigures,
  monthlyTrend,
  plannedFigures,
  type CallFigures,
  type Dimension,
  type IssueFigures,
  type MonthRange,
} from '../storage/reports.js';
import { FEEDBACK_TYPES } from './call.js';
import { addDays } from './calendar.js';

/** The satisfied share that reads as good (DOMAIN.md: 85% or more satisfied). */
export const SATISFIED_MARK = 0.85;
export const TOP_PROBLEMS = 10;
export const TREND_MONTHS = 6;

export interface Figures {
  calls: { planned: number; attempted: number; reached: number; completed: number };
  coverage: number | null;
  contactRate: number | null;
  satisfaction: { responses: number; mean: number | null; satisfiedShare: number | null; meetsMark: boolean | null };
  nps: { responses: number; score: number | null; promoters: number; passives: number; detractors: number };
  issues: { total: number; repeatRate: number | null; resolutionRate: number | null };
  averageAttempts: number | null;
  averageDurationSeconds: number | null;
}

export interface ProblemCount {
  level1: string;
  level2: string | null;
  count: number;
  share: number | null;
}

export interface MonthReport extends Omit<Figures, 'issues'> {
  month: string;
  /** Open issues past their deadline are counted as of this day: the month's last day, or D in the month in progress. */
  asOf: string;
  satisfactionDistribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  issues: {
    total: number;
    byLevel1: Record<string, number>;
    byLevel2: ProblemCount[];
    byPriority: Record<string, number>;
    byFeedbackType: Record<string, number>;
    top: ProblemCount[];
    repeatRate: number | null;
    resolutionRate: number | null;
    due: number;
    onTimeRate: number | null;
    overdue: number;
  };
  byAgent: Record<string, Figures>;
  bySegment: Record<string, Figures>;
  byScenario: Record<string, Figures>;
}

export interface Report extends MonthReport {
  previous: MonthReport;
  trend: { month: string; completed: number; satisfactionMean: number | null; satisfiedShare: number | null }[];
}

const rate = (n: number, d: number, digits = 4): number | null => (d > 0 ? round(n / d, digits) : null);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function monthRange(month: string): MonthRange {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, until: `${next}-01` };
}

export function previousMonth(month: string, back = 1): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function figures(planned: number, c: CallFigures | undefined, i: IssueFigures | undefined): Figures {
  const calls = { planned, attempted: c?.attempted ?? 0, reached: c?.reached ?? 0, completed: c?.completed ?? 0 };
  const sat = c?.satResponses ?? 0;
  const nps = c?.npsResponses ?? 0;
  const satisfiedShare = rate(c?.satisfied ?? 0, sat);
  return {
    calls,
    coverage: rate(calls.completed, planned),
    contactRate: rate(calls.reached, calls.attempted),
    satisfaction: {
      responses: sat,
      mean: sat > 0 ? round((c?.satSum ?? 0) / sat, 2) : null,
      satisfiedShare,
      meetsMark: satisfiedShare === null ? null : satisfiedShare >= SATISFIED_MARK,
    },
    nps: {
      responses: nps,
      score: nps > 0 ? round((((c?.promoters ?? 0) - (c?.detractors ?? 0)) / nps) * 100, 1) : null,
      promoters: c?.promoters ?? 0,
      passives: c?.passives ?? 0,
      detractors: c?.detractors ?? 0,
    },
    issues: { total: i?.total ?? 0, repeatRate: rate(i?.repeats ?? 0, i?.total ?? 0), resolutionRate: rate(i?.resolved ?? 0, i?.total ?? 0) },
    averageAttempts: rate(calls.attempted, calls.completed, 2),
    averageDurationSeconds: c && c.durations > 0 ? Math.round(c.durationSum / c.durations) : null,
  };
}

function breakdown(db: Db, range: MonthRange, dimension: Exclude<Dimension, 'all'>): Record<string, Figures> {
  const planned = new Map(plannedFigures(db, range, dimension).map((r) => [r.key ?? '', r.planned]));
  const calls = new Map(callFigures(db, dimension).map((r) => [r.key ?? '', r]));
  const issues = new Map(issueFigures(db, range, dimension).map((r) => [r.key ?? '', r]));
  const keys = [...new Set([...planned.keys(), ...calls.keys(), ...issues.keys()])].sort();
  return Object.fromEntries(keys.map((k) => [k === '' ? '-' : k, figures(planned.get(k) ?? 0, calls.get(k), issues.get(k))]));
}

/** One month's figures (the report without its comparison and trend). */
export function monthFigures(db: Db, month: string, asOfDay: string): MonthReport {
  const range = monthRange(month);
  const lastDay = addDays(range.until, -1);
  const asOf = asOfDay < lastDay ? asOfDay : lastDay;
  buildMonthCalls(db, range);
  try {
    const planned = plannedFigures(db, range, 'all')[0]?.planned ?? 0;
    const all = callFigures(db, 'all')[0];
    const issueAll = issueFigures(db, range, 'all')[0];
    const { issues: issueCount, ...whole } = figures(planned, all, issueAll);
    const byLevel1 = Object.fromEntries(ISSUE_LEVEL1.map((id) => [id, 0])) as Record<string, number>;
    for (const r of issueCounts(db, range, 'level1')) byLevel1[r.key] = r.count;
    const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<string, number>;
    for (const r of issueCounts(db, range, 'priority')) byPriority[r.key] = r.count;
    const byFeedbackType = Object.fromEntries(FEEDBACK_TYPES.map((f) => [f, 0])) as Record<string, number>;
    for (const r of issueCounts(db, range, 'feedback_type')) if (r.key !== '') byFeedbackType[r.key] = r.count;
    const total = issueCount.total;
    const byLevel2 = issueCounts(db, range, 'level2').map((r) => ({
      level1: r.level1 ?? '',
      level2: r.key === '' ? null : r.key,
      count: r.count,
      share: rate(r.count, total),
    }));
    const deadlines = deadlineFigures(db, range, asOf);
    return {
      month,
      asOf,
      ...whole,
      satisfactionDistribution: { '1': all?.sat1 ?? 0, '2': all?.sat2 ?? 0, '3': all?.sat3 ?? 0, '4': all?.sat4 ?? 0, '5': all?.sat5 ?? 0 },
      issues: {
        total,
        byLevel1,
        byLevel2,
        byPriority,
        byFeedbackType,
        top: byLevel2.slice(0, TOP_PROBLEMS),
        repeatRate: issueCount.repeatRate,
        resolutionRate: issueCount.resolutionRate,
        due: deadlines.due,
        onTimeRate: rate(deadlines.onTime, deadlines.due),
        overdue: deadlines.overdue,
      },
      byAgent: breakdown(db, range, 'agent'),
      bySegment: breakdown(db, range, 'segment'),
      byScenario: breakdown(db, range, 'scenario'),
    };
  } finally {
    dropMonthCalls(db);
  }
}

/** The report of `month` as of day `date` (today by default in the command), with the month before and a six-month trend. */
export function monthReport(db: Db, month: string, date: string): Report {
  const report = monthFigures(db, month, date);
  const previous = monthFigures(db, previousMonth(month), date);
  const first = previousMonth(month, TREND_MONTHS - 1);
  const rows = new Map(monthlyTrend(db, monthRange(first).from, monthRange(month).until).map((r) => [r.month, r]));
  const trend = Array.from({ length: TREND_MONTHS }, (_, i) => previousMonth(month, TREND_MONTHS - 1 - i)).map((m) => {
    const r = rows.get(m);
    return {
      month: m,
      completed: r?.completed ?? 0,
      satisfactionMean: r && r.satResponses > 0 ? round(r.satSum / r.satResponses, 2) : null,
      satisfiedShare: r ? rate(r.satisfied, r.satResponses) : null,
    };
  });
  return { ...report, previous, trend };
}

export function isMonth(text: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000;
}
