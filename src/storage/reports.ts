// The SQL of the monthly review (每月复盘): set-based aggregates over one month's plan items, calls
// and issues, grouped by agent, segment and scenario in the same statements.
//
// The month's calls and counted items are first grouped into small temp tables by agent, scenario
// and the segments of the item (one index range of calls_by_time; satisfaction and NPS are read
// from their copies on calls), and the month's issues copied with their flags, so that every
// breakdown is a GROUP BY over a few hundred rows. Duration is read from its copy on calls too.
// Measured on a month of 100,000 calls (npm run bench): under 1 s with the month before.

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
  // The month's calls, already grouped by agent, scenario and the item's segments: a few hundred
  // rows however many calls, which every breakdown then sums (sum() of the counts below).
  const c = (when: string) => `count(*) FILTER (WHERE ${when})`;
  const done = `k.outcome = 'completed'`;
  db.prepare(
    `CREATE TABLE temp.report_calls AS
     SELECT k.agent, k.scenario, coalesce(k.segments, (SELECT q.segments FROM plan_items q WHERE q.id = k.plan_item_id), '[]') AS segments,
            count(*) AS attempted, ${c(`k.outcome IN ${REACHED}`)} AS reached, ${c(done)} AS completed,
            ${c(`${done} AND k.satisfaction IS NOT NULL`)} AS satResponses, coalesce(sum(k.satisfaction) FILTER (WHERE ${done}), 0) AS satSum,
            ${c(`${done} AND k.satisfaction >= 4`)} AS satisfied,
            ${c(`${done} AND k.nps IS NOT NULL`)} AS npsResponses, ${c(`${done} AND k.nps >= 9`)} AS promoters,
            ${c(`${done} AND k.nps BETWEEN 7 AND 8`)} AS passives, ${c(`${done} AND k.nps <= 6`)} AS detractors,
            -- Only the call screen measures a call (card to end); --answers files and sheets have no duration.
            coalesce(sum(k.duration_seconds) FILTER (WHERE ${done} AND k.source = 'screen'), 0) AS durationSum,
            ${c(`${done} AND k.source = 'screen' AND k.duration_seconds IS NOT NULL`)} AS durations,
            ${[1, 2, 3, 4, 5].map((n) => `${c(`${done} AND k.satisfaction = ${n}`)} AS sat${n}`).join(', ')}
       FROM calls k
      WHERE k.started_at >= @from AND k.started_at < @until AND k.outcome IS NOT NULL
      GROUP BY 1, 2, 3`,
  ).run(range);
  db.prepare(
    `CREATE TABLE temp.report_items AS
     SELECT p.agent, p.scenario, coalesce(p.segments, '[]') AS segments, count(*) AS planned FROM plan_items p
      WHERE p.plan_date >= @from AND p.plan_date < @until
        -- Only lists an agent could see: overflow parked on a day that was never planned is not planned.
        AND p.plan_date IN (SELECT plan_date FROM plan_runs)
        AND NOT (p.status = 'pending' AND EXISTS (SELECT 1 FROM plan_items q WHERE q.customer_id = p.customer_id
                                                    AND q.plan_date > p.plan_date AND q.plan_date < @until))
      GROUP BY 1, 2, 3`,
  ).run(range);
  db.exec(`CREATE TABLE temp.report_issues (agent TEXT, scenario TEXT, segments TEXT, level1 TEXT, level2 TEXT, priority TEXT,
    feedback_type TEXT, raised INTEGER, repeat INTEGER, resolved INTEGER, due INTEGER, on_time INTEGER, overdue INTEGER)`);
  db.prepare(
    `INSERT INTO temp.report_issues
     SELECT k.agent, k.scenario, coalesce(k.segments, (SELECT q.segments FROM plan_items q WHERE q.id = k.plan_item_id), '[]'), i.level1, i.level2, i.priority, i.feedback_type,
            ${RAISED},
            ${RAISED} AND EXISTS (SELECT 1 FROM issues e WHERE e.customer_id = i.customer_id AND e.level1 = i.level1
                                     AND e.level2 IS i.level2 AND e.id < i.id),
            ${RAISED} AND ${RESOLVED},
            ${DUE_IN_MONTH} AND (${RESOLVED} OR i.due_by < @dueBefore),
            ${DUE_IN_MONTH} AND ${RESOLVED} AND substr(i.resolved_at, 1, 10) <= i.due_by,
            ${OVERDUE}
       FROM issues i LEFT JOIN calls k ON k.id = i.call_id
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
  const sums = ['attempted', 'reached', 'completed', 'satResponses', 'satSum', 'satisfied', 'npsResponses', 'promoters', 'passives', 'detractors',
    'durationSum', 'durations', 'sat1', 'sat2', 'sat3', 'sat4', 'sat5'];
  return db
    .prepare(
      `SELECT ${keyOf(dimension)} AS key, ${sums.map((k) => `sum(r.${k}) AS ${k}`).join(', ')}
         FROM temp.report_calls r${segmentJoin(dimension)}
        GROUP BY 1 ORDER BY 1`,
    )
    .all() as CallFigures[];
}

/** Items counted as planned (temp.report_items), by a dimension. */
export function plannedFigures(db: Db, dimension: Dimension): PlannedFigures[] {
  return db
    .prepare(`SELECT ${keyOf(dimension)} AS key, sum(r.planned) AS planned FROM temp.report_items r${segmentJoin(dimension)} GROUP BY 1 ORDER BY 1`)
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
              count(k.satisfaction) AS satResponses, coalesce(sum(k.satisfaction), 0) AS satSum,
              count(*) FILTER (WHERE k.satisfaction >= 4) AS satisfied
         FROM calls k
        WHERE k.started_at >= @from AND k.started_at < @until AND k.outcome = 'completed'
        GROUP BY 1 ORDER BY 1`,
    )
    .all({ from, until }) as TrendRow[];
}

export interface MissedCallbackRow {
  customerId: string;
  name: string;
  agent: string;
  callbackAt: string;
}

/**
 * Callbacks the customer agreed to, for a time in [from, before), after which nobody called them:
 * no later call of the customer at all, whatever its outcome.
 */
export function missedCallbacks(db: Db, from: string, before: string): MissedCallbackRow[] {
  return db
    .prepare(
      `SELECT c.customer_id AS customerId, cu.name AS name, c.agent AS agent, c.callback_at AS callbackAt
         FROM calls c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.outcome = 'callback' AND c.callback_at >= ? AND c.callback_at < ?
          AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.customer_id = c.customer_id AND later.id <> c.id AND later.started_at >= substr(c.callback_at, 1, 10))
        ORDER BY c.callback_at, c.customer_id`,
    )
    .all(from, before) as MissedCallbackRow[];
}
