// The SQL of the monthly review (每月复盘): set-based aggregates over one month's plan items, calls
// and issues, grouped by agent, segment and scenario in the same statements.
//
// The month's calls are first copied into a narrow temp table with their satisfaction and NPS
// answers and the segments of the item they were made from (one index range of calls_by_time, one
// primary-key probe per answer), so every breakdown is one GROUP BY over a few hundred thousand
// narrow rows at most. julianday() is the one SQLite-specific function (durations): PostgreSQL
// will want extract(epoch from …).

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
  total: number;
  repeats: number;
  resolved: number;
}

/** Outcomes where a person answered: the customer was reached. */
const REACHED = `('completed', 'refused', 'callback', 'do-not-call')`;

export function buildMonthCalls(db: Db, range: MonthRange): void {
  db.exec('DROP TABLE IF EXISTS temp.report_calls');
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
}

export function dropMonthCalls(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.report_calls');
}

const keyOf = (dimension: Dimension, alias: string) =>
  dimension === 'all' ? 'NULL' : dimension === 'segment' ? 's.value' : `${alias}.${dimension}`;
const segmentJoin = (dimension: Dimension, column: string) => (dimension === 'segment' ? `, json_each(${column}) s` : '');

/** Call figures of the month in temp.report_calls, by a dimension. */
export function callFigures(db: Db, dimension: Dimension): CallFigures[] {
  const c = (when: string) => `count(*) FILTER (WHERE ${when})`;
  const done = `r.outcome = 'completed'`;
  return db
    .prepare(
      `SELECT ${keyOf(dimension, 'r')} AS key, count(*) AS attempted, ${c(`r.outcome IN ${REACHED}`)} AS reached, ${c(done)} AS completed,
              ${c(`${done} AND r.sat IS NOT NULL`)} AS satResponses, coalesce(sum(r.sat) FILTER (WHERE ${done}), 0) AS satSum,
              ${c(`${done} AND r.sat >= 4`)} AS satisfied,
              ${c(`${done} AND r.nps IS NOT NULL`)} AS npsResponses, ${c(`${done} AND r.nps >= 9`)} AS promoters,
              ${c(`${done} AND r.nps BETWEEN 7 AND 8`)} AS passives, ${c(`${done} AND r.nps <= 6`)} AS detractors,
              coalesce(sum(r.duration) FILTER (WHERE ${done}), 0) AS durationSum, ${c(`${done} AND r.duration IS NOT NULL`)} AS durations,
              ${[1, 2, 3, 4, 5].map((n) => `${c(`${done} AND r.sat = ${n}`)} AS sat${n}`).join(', ')}
         FROM temp.report_calls r${segmentJoin(dimension, 'r.segments')}
        GROUP BY 1 ORDER BY 1`,
    )
    .all() as CallFigures[];
}

/**
 * Items on the month's lists, by a dimension. An item carried to a later day of the month while
 * still pending is counted once: on the last day it was listed.
 */
export function plannedFigures(db: Db, range: MonthRange, dimension: Dimension): PlannedFigures[] {
  return db
    .prepare(
      `SELECT ${keyOf(dimension, 'p')} AS key, count(*) AS planned
         FROM plan_items p${segmentJoin(dimension, "coalesce(p.segments, '[]')")}
        WHERE p.plan_date >= @from AND p.plan_date < @until
          AND NOT (p.status = 'pending' AND EXISTS (SELECT 1 FROM plan_items q WHERE q.customer_id = p.customer_id
                                                      AND q.plan_date > p.plan_date AND q.plan_date < @until))
        GROUP BY 1 ORDER BY 1`,
    )
    .all(range) as PlannedFigures[];
}

/** The month's issues (raised in it), by the dimension of the call they were raised on. */
export function issueFigures(db: Db, range: MonthRange, dimension: Dimension): IssueFigures[] {
  const key = dimension === 'all' ? 'NULL' : dimension === 'segment' ? 's.value' : `k.${dimension}`;
  return db
    .prepare(
      `SELECT ${key} AS key, count(*) AS total,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM issues e WHERE e.customer_id = i.customer_id AND e.level1 = i.level1
                                             AND e.level2 IS i.level2 AND e.id < i.id)) AS repeats,
              count(*) FILTER (WHERE i.status <> 'open' AND i.resolved_at < @until) AS resolved
         FROM issues i LEFT JOIN calls k ON k.id = i.call_id LEFT JOIN plan_items p ON p.id = k.plan_item_id
              ${segmentJoin(dimension, "coalesce(p.segments, '[]')")}
        WHERE i.created_at >= @from AND i.created_at < @until
        GROUP BY 1 ORDER BY 1`,
    )
    .all(range) as IssueFigures[];
}

export interface CountRow {
  key: string;
  level1?: string;
  count: number;
}

/** The month's issues counted by a column: level1, priority, feedback_type, or level1 + level2. */
export function issueCounts(db: Db, range: MonthRange, by: 'level1' | 'priority' | 'feedback_type' | 'level2'): CountRow[] {
  const key = by === 'level2' ? `coalesce(level2, '')` : `coalesce(${by}, '')`;
  return db
    .prepare(
      `SELECT ${key} AS key, ${by === 'level2' ? 'level1,' : ''} count(*) AS count FROM issues
        WHERE created_at >= @from AND created_at < @until
        GROUP BY ${by === 'level2' ? 'level1, ' : ''}${key} ORDER BY count DESC, 1`,
    )
    .all(range) as CountRow[];
}

export interface DeadlineFigures {
  due: number;
  onTime: number;
  overdue: number;
}

/**
 * Promised deadlines: of the issues whose deadline fell in the month, how many were resolved by
 * it; and how many issues were still open past their deadline as of `asOf` (the end of the month,
 * or day D for the month in progress).
 */
export function deadlineFigures(db: Db, range: MonthRange, asOf: string): DeadlineFigures {
  return db
    .prepare(
      `SELECT count(*) FILTER (WHERE due_by >= @from AND due_by < @until) AS due,
              count(*) FILTER (WHERE due_by >= @from AND due_by < @until AND status <> 'open' AND substr(resolved_at, 1, 10) <= due_by) AS onTime,
              count(*) FILTER (WHERE status = 'open' AND due_by < @asOf AND created_at < @until) AS overdue
         FROM issues`,
    )
    .get({ ...range, asOf }) as DeadlineFigures;
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
