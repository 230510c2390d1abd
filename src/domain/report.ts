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
//                     (in the month in progress, only deadlines already decided: resolved, or past)
//   overdue           issues unresolved and past their deadline when the month ended (in the month
//                     in progress: on day D, as `followup issues --date D` counts them)
//
// Issues are broken down by the agent, scenario and item segments of the call they were raised on.
import { ISSUE_LEVEL1, PRIORITIES } from '../core/config.js';
import type { Db } from '../storage/db.js';
import {
  buildMonth,
  callFigures,
  dropMonth,
  issueFigures,
  issueMix,
  missedCallbacks,
  monthlyTrend,
  plannedFigures,
  problemCounts,
  type CallFigures,
  type Dimension,
  type IssueCutoff,
  type IssueFigures,
  type IssueMixRow,
  type MonthRange,
} from '../storage/reports.js';
import { FEEDBACK_TYPES } from './call.js';
import { addDays } from './calendar.js';
import { issuesOn } from './issues.js';

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
  issues: {
    total: number;
    /** Level-1 id → count (every category, 0 when none). */
    byLevel1: Record<string, number>;
    byPriority: Record<string, number>;
    /** Issues without a feedback type are in the total only. */
    byFeedbackType: Record<string, number>;
    repeatRate: number | null;
    resolutionRate: number | null;
    /** Promised deadlines in the month that are decided (resolved, or past). */
    due: number;
    onTimeRate: number | null;
    overdue: number;
  };
  averageAttempts: number | null;
  averageDurationSeconds: number | null;
  /** The calls the average duration is over: completed calls on the call screen (the only ones measured). */
  durationCalls: number;
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
  issues: Figures['issues'] & {
    byLevel2: ProblemCount[];
    top: ProblemCount[];
  };
  byAgent: Record<string, Figures>;
  bySegment: Record<string, Figures>;
  byScenario: Record<string, Figures>;
}

export interface Report extends MonthReport {
  previous: MonthReport;
  trend: { month: string; completed: number; satisfactionMean: number | null; satisfiedShare: number | null }[];
  /** What needs doing, at the top of the report. */
  actions: Actions;
}

/** The marks a month's figures are read against: satisfaction from DOMAIN.md, the others the team's own defaults. */
export const TARGETS = { satisfiedShare: SATISFIED_MARK, coverage: 0.9, onTimeRate: 0.9 } as const;
export type TargetFigure = keyof typeof TARGETS;

export interface Actions {
  /** Issues past the deadline promised to the customer and still open, most days late first. */
  overdue: { id: number; customerId: string; name: string; department: string | null; dueBy: string; daysLate: number }[];
  /** Callbacks agreed for a time that has passed, with no call since. */
  missedCallbacks: { customerId: string; name: string; agent: string; callbackAt: string }[];
  /** Figures under their mark. */
  belowTarget: { figure: TargetFigure; value: number; target: number }[];
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

/** Issues counted by level 1, priority and feedback type: every id listed (0 when none), then any other value seen. */
function issueCounts(rows: IssueMixRow[] | undefined): Pick<Figures['issues'], 'byLevel1' | 'byPriority' | 'byFeedbackType'> {
  const zeros = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 0])) as Record<string, number>;
  const out = { byLevel1: zeros(ISSUE_LEVEL1), byPriority: zeros(PRIORITIES), byFeedbackType: zeros(FEEDBACK_TYPES) };
  for (const r of rows ?? []) {
    out.byLevel1[r.level1] = (out.byLevel1[r.level1] ?? 0) + r.count;
    out.byPriority[r.priority] = (out.byPriority[r.priority] ?? 0) + r.count;
    if (r.feedbackType !== null) out.byFeedbackType[r.feedbackType] = (out.byFeedbackType[r.feedbackType] ?? 0) + r.count;
  }
  return out;
}

function figures(planned: number, c: CallFigures | undefined, i: IssueFigures | undefined, mix: IssueMixRow[] | undefined): Figures {
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
    issues: {
      total: i?.total ?? 0,
      ...issueCounts(mix),
      repeatRate: rate(i?.repeats ?? 0, i?.total ?? 0),
      resolutionRate: rate(i?.resolved ?? 0, i?.total ?? 0),
      due: i?.due ?? 0,
      onTimeRate: rate(i?.onTime ?? 0, i?.due ?? 0),
      overdue: i?.overdue ?? 0,
    },
    averageAttempts: rate(calls.attempted, calls.completed, 2),
    averageDurationSeconds: c && c.durations > 0 ? Math.round(c.durationSum / c.durations) : null,
    durationCalls: c?.durations ?? 0,
  };
}

/** Rows grouped by their dimension key ('' for NULL). */
function byKey<T extends { key: string | null }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = r.key ?? '';
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

function breakdown(db: Db, dimension: Exclude<Dimension, 'all'>): Record<string, Figures> {
  const planned = new Map(plannedFigures(db, dimension).map((r) => [r.key ?? '', r.planned]));
  const calls = new Map(callFigures(db, dimension).map((r) => [r.key ?? '', r]));
  const issues = new Map(issueFigures(db, dimension).map((r) => [r.key ?? '', r]));
  const mix = byKey(issueMix(db, dimension));
  const keys = [...new Set([...planned.keys(), ...calls.keys(), ...issues.keys()])].sort();
  return Object.fromEntries(keys.map((k) => [k === '' ? '-' : k, figures(planned.get(k) ?? 0, calls.get(k), issues.get(k), mix.get(k))]));
}

/** As of when the issues' figures are counted (see IssueCutoff): the month's end, or day D in it. */
export function issueCutoff(range: MonthRange, day: string): IssueCutoff {
  return day < range.until ? { dueBefore: day, resolvedBefore: addDays(day, 1) } : { dueBefore: range.until, resolvedBefore: range.until };
}

/** One month's figures (the report without its comparison and trend). */
export function monthFigures(db: Db, month: string, asOfDay: string): MonthReport {
  const range = monthRange(month);
  const lastDay = addDays(range.until, -1);
  const asOf = asOfDay < lastDay ? asOfDay : lastDay;
  buildMonth(db, range, issueCutoff(range, asOfDay));
  try {
    const planned = plannedFigures(db, 'all')[0]?.planned ?? 0;
    const all = callFigures(db, 'all')[0];
    const whole = figures(planned, all, issueFigures(db, 'all')[0], issueMix(db, 'all'));
    const total = whole.issues.total;
    const byLevel2 = problemCounts(db).map((r) => ({ ...r, share: rate(r.count, total) }));
    return {
      month,
      asOf,
      ...whole,
      satisfactionDistribution: { '1': all?.sat1 ?? 0, '2': all?.sat2 ?? 0, '3': all?.sat3 ?? 0, '4': all?.sat4 ?? 0, '5': all?.sat5 ?? 0 },
      issues: { ...whole.issues, byLevel2, top: byLevel2.slice(0, TOP_PROBLEMS) },
      byAgent: breakdown(db, 'agent'),
      bySegment: breakdown(db, 'segment'),
      byScenario: breakdown(db, 'scenario'),
    };
  } finally {
    dropMonth(db);
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
  return { ...report, previous, trend, actions: actionsOf(db, report, month, date) };
}

function actionsOf(db: Db, report: MonthReport, month: string, date: string): Actions {
  const range = monthRange(month);
  // In the month in progress, as of day D (a callback due today is not missed yet); else at its end.
  const before = date < range.until ? date : range.until;
  const overdue = issuesOn(db, { status: 'overdue', date: before })
    .map((i) => ({ id: i.id, customerId: i.customerId, name: i.name, department: i.department, dueBy: i.dueBy ?? '', daysLate: i.daysOverdue ?? 0 }))
    .sort((a, b) => b.daysLate - a.daysLate || a.id - b.id);
  const values: Record<TargetFigure, number | null> = {
    satisfiedShare: report.satisfaction.satisfiedShare,
    coverage: report.coverage,
    onTimeRate: report.issues.onTimeRate,
  };
  const belowTarget = (Object.keys(TARGETS) as TargetFigure[])
    .filter((figure) => values[figure] !== null && values[figure]! < TARGETS[figure])
    .map((figure) => ({ figure, value: values[figure]!, target: TARGETS[figure] }));
  return { overdue, missedCallbacks: missedCallbacks(db, range.from, before), belowTarget };
}

export function isMonth(text: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000;
}
