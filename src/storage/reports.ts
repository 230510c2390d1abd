// The SQL of the monthly review (每月复盘): set-based aggregates over one month's plan items, calls
// and issues, grouped by agent, segment and scenario in the same statements.
//
// The month's calls, counted items and issues are first copied into narrow temp tables (calls with
// their satisfaction and NPS answers and the segments of the item they were made from: one index
// range of calls_by_time, one primary-key probe per answer), so every breakdown is one GROUP BY
// over a few hundred thousand narrow rows at most. julianday() is the one SQLite-specific function
// (durations): PostgreSQL will want extract(epoch from …).

import type { Db } from './db.js';

export interface MonthRange {
  /** YYYY-MM-01 */
  from: string;
  /** The first day of the next month. */
  until: string;
}

/** A breakdown: the whole month (key null), or by agent, segment or scenario. */
export type Dimension = 'all' | 'agent' | 'segment' | 'scenario';

export interface CallFigures {
  key: string | null;
  attempted: number;
  reached: number;
  completed: number;
  satResponses: number;
  satSum: number;
  satisfied: number;
  npsResponses: number;
  promoters: number;
  passives: number;
  detractors: number;
  durationSum: number;
  durations: number;
  /** Satisfaction answers by score, "1".."5" → count (the whole month only). */
  sat1: number;
  sat2: number;
  sat3: number;
  sat4: number;
  sat5: number;
}

export interface PlannedFigures {
  key: string | null;
  planned: number;
}

export interface IssueFigures {
  key: string | null;
  /** Issues raised in the month. */
  total: number;
  /** Of those, raised by a customer who had raised one of the same level 1 and level 2 before. */
  repeats: number;
  /** Of those, resolved (or closed) by the cut-off. */
  resolved: number;
  /** Issues whose promised deadline falls in the month and is decided: resolved, or already past. */
  due: number;
  /** Of those, resolved on or before the deadline. */
  onTime: number;
  /** Issues (raised in any month) still unresolved at the cut-off and past their deadline. */
  overdue: number;
}

/**
 * What "as of" means for the issues' figures: an issue is resolved when it was resolved on a day
 * before `resolvedBefore`, and overdue when its deadline is before `dueBefore` and it was not.
 * A finished month: both are the first day of the next month (the state when the month ended).
 * The month in progress, on day D: D + 1 and D, as `followup issues --date D` counts overdue.
 */
export interface IssueCutoff {
  dueBefore: string;
  resolvedBefore: string;
}

/** Outcomes where a person answered: the customer was reached. */
const REACHED = `('completed', 'refused', 'callback', 'do-not-call')`;

const RAISED = `(i.created_at >= @from AND i.created_at < @until)`;
const DUE_IN_MONTH = `(i.due_by >= @from AND i.due_by < @until)`;
const RESOLVED = `(i.status <> 'open' AND substr(i.resolved_at, 1, 10) < @resolvedBefore)`;
const OVERDUE = `(i.due_by < @dueBefore AND NOT ${RESOLVED})`;

/**
 * Copies the month into three narrow temp tables that every breakdown then groups:
 *   report_calls   the month's calls with an outcome, their satisfaction and NPS answers, duration
 *   report_items   the items counted as planned: an item carried to a later day of the month while
 *                  still pending is counted once, on the last day it was listed
 *   report_issues  the issues raised in the month, due in it, or overdue at the cut-off, with the
 *                  agent, scenario and item segments of the call they were raised on, and flags
 */
export function buildMonth(db: Db, range: MonthRange, cutoff: IssueCutoff): void {
  dropMonth(db);
  db.exec(`CREATE TABLE temp.report_calls (id INTEGER PRIMARY KEY, agent TEXT, scenario TEXT, outcome TEXT, segments TEXT,
    sat INTEGER, nps INTEGER, duration REAL)`);
  db.prepare(
    `INSERT INTO temp.report_calls
     SELECT k.id, k.agent, k.scenario, k.outcome, coalesce(p.segments, '[]'),
            CAST((SELECT a.value FROM call_answers a WHERE a.call_id = k.id AND a.question_id = 'satisfaction') AS INTEGER),
            CAST((SELECT a.value FROM call_answers a WHERE a.call_id = k.id AND a.question_id = 'nps') AS INTEGER),
            CASE WHEN k.ended_at IS NOT NULL THEN (julianday(k.ended_at) - julianday(k.started_at)) * 86400 END
       FROM calls k LEFT JOIN plan_items p ON p.id = k.plan_item_id
      WHERE k.started_at >= @from AND k.started_at < @until AND k.outcome IS NOT NULL`,
  ).run(range);
  db.exec(`CREATE TABLE temp.report_items (agent TEXT, scenario TEXT, segments TEXT)`);
  db.prepare(
    `INSERT INTO temp.report_items
     SELECT p.agent, p.scenario, coalesce(p.segments, '[]') FROM plan_items p
      WHERE p.plan_date >= @from AND p.plan_date < @until
        AND NOT (p.status = 'pending' AND EXISTS (SELECT 1 FROM plan_items q WHERE q.customer_id = p.customer_id
                                                    AND q.plan_date > p.plan_date AND q.plan_date < @until))`,
  ).run(range);
  db.exec(`CREATE TABLE temp.report_issues (agent TEXT, scenario TEXT, segments TEXT, level1 TEXT, level2 TEXT, priority TEXT,
    feedback_type TEXT, raised INTEGER, repeat INTEGER, resolved INTEGER, due INTEGER, on_time INTEGER, overdue INTEGER)`);
  db.prepare(
    `INSERT INTO temp.report_issues
     SELECT k.agent, k.scenario, coalesce(p.segments, '[]'), i.level1, i.level2, i.priority, i.feedback_type,
            ${RAISED},
            ${RAISED} AND EXISTS (SELECT 1 FROM issues e WHERE e.customer_id = i.customer_id AND e.level1 = i.level1
                                     AND e.level2 IS i.level2 AND e.id < i.id),
            ${RAISED} AND ${RESOLVED},
            ${DUE_IN_MONTH} AND (${RESOLVED} OR i.due_by < @dueBefore),
            ${DUE_IN_MONTH} AND ${RESOLVED} AND substr(i.resolved_at, 1, 10) <= i.due_by,
            ${OVERDUE}
       FROM issues i LEFT JOIN calls k ON k.id = i.call_id LEFT JOIN plan_items p ON p.id = k.plan_item_id
      WHERE ${RAISED} OR ${DUE_IN_MONTH} OR ${OVERDUE}`,
  ).run({ ...range, ...cutoff });
}

export function dropMonth(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.report_calls; DROP TABLE IF EXISTS temp.report_items; DROP TABLE IF EXISTS temp.report_issues');
}

const keyOf = (dimension: Dimension) => (dimension === 'all' ? 'NULL' : dimension === 'segment' ? 's.value' : `r.${dimension}`);
/** One row per segment of the item; an item planned without segments (or before they were kept) is one row with key NULL. */
const segmentJoin = (dimension: Dimension) =>
  dimension === 'segment' ? `, json_each(CASE WHEN json_array_length(r.segments) > 0 THEN r.segments ELSE '[null]' END) s` : '';

/** Call figures of the month (temp.report_calls), by a dimension. */
export function callFigures(db: Db, dimension: Dimension): CallFigures[] {
  const c = (when: string) => `count(*) FILTER (WHERE ${when})`;
  const done = `r.outcome = 'completed'`;
  return db
    .prepare(
      `SELECT ${keyOf(dimension)} AS key, count(*) AS attempted, ${c(`r.outcome IN ${REACHED}`)} AS reached, ${c(done)} AS completed,
              ${c(`${done} AND r.sat IS NOT NULL`)} AS satResponses, coalesce(sum(r.sat) FILTER (WHERE ${done}), 0) AS satSum,
              ${c(`${done} AND r.sat >= 4`)} AS satisfied,
              ${c(`${done} AND r.nps IS NOT NULL`)} AS npsResponses, ${c(`${done} AND r.nps >= 9`)} AS promoters,
              ${c(`${done} AND r.nps BETWEEN 7 AND 8`)} AS passives, ${c(`${done} AND r.nps <= 6`)} AS detractors,
              coalesce(sum(r.duration) FILTER (WHERE ${done}), 0) AS durationSum, ${c(`${done} AND r.duration IS NOT NULL`)} AS durations,
              ${[1, 2, 3, 4, 5].map((n) => `${c(`${done} AND r.sat = ${n}`)} AS sat${n}`).join(', ')}
         FROM temp.report_calls r${segmentJoin(dimension)}
        GROUP BY 1 ORDER BY 1`,
    )
    .all() as CallFigures[];
}

/** Items counted as planned (temp.report_items), by a dimension. */
export function plannedFigures(db: Db, dimension: Dimension): PlannedFigures[] {
  return db
    .prepare(`SELECT ${keyOf(dimension)} AS key, count(*) AS planned FROM temp.report_items r${segmentJoin(dimension)} GROUP BY 1 ORDER BY 1`)
    .all() as PlannedFigures[];
}

/**
 * The issues' figures (temp.report_issues) by the dimension of the call they were raised on (an
 * issue without a call has key NULL): raised in the month, repeats, resolved, and the promised
 * deadlines (due in the month, kept, and overdue at the cut-off, whenever the issue was raised).
 */
export function issueFigures(db: Db, dimension: Dimension): IssueFigures[] {
  return db
    .prepare(
      `SELECT ${keyOf(dimension)} AS key, sum(r.raised) AS total, sum(r.repeat) AS repeats, sum(r.resolved) AS resolved,
              sum(r.due) AS due, sum(r.on_time) AS onTime, sum(r.overdue) AS overdue
         FROM temp.report_issues r${segmentJoin(dimension)}
        GROUP BY 1 ORDER BY 1`,
    )
    .all() as IssueFigures[];
}

export interface IssueMixRow {
  /** The dimension's key (NULL for the whole month). */
  key: string | null;
  level1: string;
  priority: string;
  feedbackType: string | null;
  count: number;
}

/** The month's issues counted by level 1, priority and feedback type together, by a dimension. */
export function issueMix(db: Db, dimension: Dimension): IssueMixRow[] {
  return db
    .prepare(
      `SELECT ${keyOf(dimension)} AS key, r.level1, r.priority, r.feedback_type AS feedbackType, count(*) AS count
         FROM temp.report_issues r${segmentJoin(dimension)}
        WHERE r.raised
        GROUP BY 1, 2, 3, 4`,
    )
    .all() as IssueMixRow[];
}

export interface ProblemRow {
  level1: string;
  level2: string | null;
  count: number;
}

/** The month's issues by level 1 + level 2, the most frequent first. */
export function problemCounts(db: Db): ProblemRow[] {
  return db
    .prepare(
      `SELECT level1, level2, count(*) AS count FROM temp.report_issues WHERE raised
        GROUP BY level1, level2 ORDER BY count DESC, level1, coalesce(level2, '')`,
    )
    .all() as ProblemRow[];
}

export interface TrendRow {
  month: string;
  completed: number;
  satResponses: number;
  satSum: number;
  satisfied: number;
}

/** Completed calls and satisfaction per month over [from, until): the report's trend chart. */
export function monthlyTrend(db: Db, from: string, until: string): TrendRow[] {
  return db
    .prepare(
      `SELECT substr(k.started_at, 1, 7) AS month, count(*) AS completed,
              count(a.value) AS satResponses, coalesce(sum(CAST(a.value AS INTEGER)), 0) AS satSum,
              count(*) FILTER (WHERE CAST(a.value AS INTEGER) >= 4) AS satisfied
         FROM calls k LEFT JOIN call_answers a ON a.call_id = k.id AND a.question_id = 'satisfaction'
        WHERE k.started_at >= @from AND k.started_at < @until AND k.outcome = 'completed'
        GROUP BY 1 ORDER BY 1`,
    )
    .all({ from, until }) as TrendRow[];
}
