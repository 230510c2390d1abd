// The SQL of the call list: which customers each scenario brings up on day D (set-based, one
// query per scenario over an index range), and the plan_items table the list is kept in.

import type { Db } from './db.js';
import { SEGMENT_FACTS_SQL, type CustomerFacts, type SegmentParams } from './segments.js';

/** One reason to call one customer, as the SQL finds it; the domain layer decides the rest. */
export interface CandidateRow {
  customerId: string;
  scenario: string;
  /** The order, complaint or call behind it. */
  ref: string | null;
  /** The day the reason arose: order day, complaint opened/resolved day, callback day … */
  anchor: string;
  /** A figure worth showing in the reason (an amount in fen, a product, a time). */
  detail: string | null;
  amountFen: number | null;
  agent: string | null;
}

export interface WindowParams {
  /** after-sale: orders on [afterSaleFrom, afterSaleTo]. */
  afterSaleFrom: string;
  afterSaleTo: string;
  usageFrom: string;
  usageTo: string;
  usageMinFen: number;
  firstFrom: string;
  firstTo: string;
  /** Complaints resolved on or after this day are looked at for complaint-resolved. */
  resolvedSince: string;
  dNext: string;
}

/**
 * Candidates from order and complaint windows and from earlier calls. Each branch reads an index
 * range (orders by time, the small complaints table, calls by customer), never all customers.
 * With `customerId` (for explain) the windows are dropped: that customer's latest order,
 * complaint or callback comes back wherever it falls, so the caller can say "not yet" or "passed".
 */
export function windowCandidates(db: Db, p: WindowParams, scenarios: ReadonlySet<string>, customerId?: string): CandidateRow[] {
  const one = customerId !== undefined;
  const inWindow = (from: string, to: string, column = 'ordered_at') =>
    one ? `customer_id = @customerId AND ${column} < @dNext` : `${column} >= @${from} AND ${column} < @${to}`;
  const branches: string[] = [];
  if (scenarios.has('after-sale')) {
    // The latest order in the window is the one the call is about.
    branches.push(`
      SELECT customer_id AS customerId, 'after-sale' AS scenario, max(id) AS ref, max(substr(ordered_at, 1, 10)) AS anchor,
             NULL AS detail, max(amount_fen) AS amountFen, NULL AS agent
        FROM orders WHERE ${inWindow('afterSaleFrom', 'afterSaleTo')} GROUP BY customer_id`);
  }
  if (scenarios.has('usage-check')) {
    branches.push(`
      SELECT customer_id, 'usage-check', max(id), max(substr(ordered_at, 1, 10)), NULL, max(amount_fen), NULL
        FROM orders WHERE ${inWindow('usageFrom', 'usageTo')} AND amount_fen >= @usageMinFen GROUP BY customer_id`);
  }
  if (scenarios.has('first-experience')) {
    branches.push(`
      SELECT o.customer_id, 'first-experience', min(o.id), min(substr(o.ordered_at, 1, 10)), NULL, min(o.amount_fen), NULL
        FROM orders o
       WHERE ${one ? 'o.customer_id = @customerId AND o.ordered_at < @dNext' : 'o.ordered_at >= @firstFrom AND o.ordered_at < @firstTo'}
         AND NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.ordered_at < o.ordered_at)
       GROUP BY o.customer_id`);
  }
  if (scenarios.has('complaint-open')) {
    branches.push(`
      SELECT customer_id, 'complaint-open', id, substr(opened_at, 1, 10), category, NULL, NULL
        FROM complaints WHERE opened_at < @dNext AND (resolved_at IS NULL OR resolved_at >= @dNext) ${one ? 'AND customer_id = @customerId' : ''}`);
  }
  if (scenarios.has('complaint-resolved')) {
    branches.push(`
      SELECT customer_id, 'complaint-resolved', max(id), max(substr(resolved_at, 1, 10)), max(category), NULL, NULL
        FROM complaints WHERE ${inWindow('resolvedSince', 'dNext', 'resolved_at')} GROUP BY customer_id`);
  }
  if (scenarios.has('callback')) {
    // A callback the customer asked for, not yet followed by another call.
    branches.push(`
      SELECT k.customer_id, 'callback', CAST(k.id AS TEXT), substr(k.callback_at, 1, 10), substr(k.callback_at, 12, 5), NULL, k.agent
        FROM calls k
       WHERE k.outcome = 'callback' ${one ? 'AND k.customer_id = @customerId' : 'AND k.callback_at < @dNext'}
         AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.customer_id = k.customer_id AND later.started_at > k.started_at AND later.outcome IS NOT NULL)`);
  }
  if (branches.length === 0) return [];
  return db.prepare(branches.join('\n UNION ALL ')).all(one ? { ...p, customerId } : p) as CandidateRow[];
}

/** Unanswered attempts since the customer's last answered call, for retries. */
export interface RetryRow {
  customerId: string;
  scenario: string;
  agent: string;
  attempts: number;
  lastAttemptAt: string;
  planItemId: number | null;
}

export function unansweredCustomers(db: Db, dNext: string): RetryRow[] {
  return db
    .prepare(
      `SELECT k.customer_id AS customerId, k.scenario, k.agent, count(*) AS attempts, max(k.started_at) AS lastAttemptAt,
              max(k.plan_item_id) AS planItemId
         FROM calls k
        WHERE k.outcome IN ('no-answer', 'busy') AND k.started_at < @dNext
          AND NOT EXISTS (SELECT 1 FROM calls a WHERE a.customer_id = k.customer_id AND a.started_at > k.started_at
                          AND a.outcome NOT IN ('no-answer', 'busy'))
        GROUP BY k.customer_id`,
    )
    .all({ dNext }) as RetryRow[];
}

/**
 * The facts of the customers the segment scenarios (churn warning, VIP care, survey) may bring up,
 * plus those of `ids`: one pass over all customers, returning only the rows that matter.
 */
export function factsForPlanning(db: Db, params: SegmentParams, ids: string[], withSurvey: boolean): CustomerFacts[] {
  const segmentFilter = withSurvey ? 'ordersTotal > 0' : '(isChurn OR isVip)';
  return db
    .prepare(`SELECT * FROM (${SEGMENT_FACTS_SQL}) WHERE ${segmentFilter} OR id IN (SELECT value FROM json_each(@ids))`)
    .all({ ...params, vipTiers: JSON.stringify(params.vipTiers.map((t) => t.trim().toLowerCase())), ids: JSON.stringify(ids) }) as CustomerFacts[];
}

// --- plan_items --------------------------------------------------------------------------------

export interface PlanItemRow {
  id: number;
  planDate: string;
  customerId: string;
  scenario: string;
  urgent: number;
  dueBy: string;
  agent: string | null;
  position: number;
  reasons: string;
  ref: string | null;
  valueFen: number;
  status: 'pending' | 'claimed' | 'done' | 'closed';
  claimedBy: string | null;
  rolledFrom: string | null;
  name: string;
  phone: string | null;
}

const ITEM_COLUMNS = `p.id, p.plan_date AS planDate, p.customer_id AS customerId, p.scenario, p.urgent, p.due_by AS dueBy, p.agent,
  p.position, p.reasons, p.ref, p.value_fen AS valueFen, p.status, p.claimed_by AS claimedBy, p.rolled_from AS rolledFrom,
  c.name, c.phone`;
const ITEM_FROM = 'plan_items p JOIN customers c ON c.id = p.customer_id';

export function planItemsOn(db: Db, date: string): PlanItemRow[] {
  return db.prepare(`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE p.plan_date = ? ORDER BY p.agent, p.position, p.id`).all(date) as PlanItemRow[];
}

/** Items from earlier days that nobody took up: they carry over, never dropped. */
export function pendingBefore(db: Db, date: string): PlanItemRow[] {
  return db
    .prepare(`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE p.plan_date < ? AND p.status = 'pending' ORDER BY p.plan_date, p.position, p.id`)
    .all(date) as PlanItemRow[];
}

export interface NewPlanItem {
  planDate: string;
  customerId: string;
  scenario: string;
  urgent: boolean;
  dueBy: string;
  agent: string | null;
  position: number;
  reasons: string;
  ref: string | null;
  valueFen: number;
  rolledFrom: string | null;
}

/**
 * Replaces the pending items of `date` (and the overflow it sent to `nextDate` earlier) with
 * `items` and `overflow`; claimed and done items are never touched. Carried-over items from
 * earlier days are moved, not copied. One transaction: a re-plan is all or nothing.
 */
export function savePlan(
  db: Db,
  date: string,
  nextDate: string,
  carriedIds: number[],
  items: NewPlanItem[],
  overflow: NewPlanItem[],
  now: string,
): void {
  const removeCarried = db.prepare(`DELETE FROM plan_items WHERE id = ? AND status = 'pending'`);
  const upsert = db.prepare(
    `INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, ref, value_fen, rolled_from, created_at, updated_at)
     VALUES (@planDate, @customerId, @scenario, @urgent, @dueBy, @agent, @position, @reasons, @ref, @valueFen, @rolledFrom, @now, @now)
     ON CONFLICT (plan_date, customer_id) DO UPDATE SET
       scenario = excluded.scenario, urgent = excluded.urgent, due_by = excluded.due_by, agent = excluded.agent,
       position = excluded.position, reasons = excluded.reasons, ref = excluded.ref, value_fen = excluded.value_fen,
       rolled_from = excluded.rolled_from,
       updated_at = CASE WHEN plan_items.scenario IS excluded.scenario AND plan_items.agent IS excluded.agent
                          AND plan_items.position IS excluded.position AND plan_items.reasons IS excluded.reasons
                         THEN plan_items.updated_at ELSE excluded.updated_at END
     WHERE plan_items.status = 'pending'`,
  );
  db.transaction(() => {
    for (const id of carriedIds) removeCarried.run(id);
    const keep = new Set(items.map((i) => i.customerId));
    // Pending items of the day that are no longer due (the customer opted out, was called …) go.
    const stale = db.prepare(`SELECT id, customer_id AS customerId FROM plan_items WHERE plan_date = ? AND status = 'pending'`).all(date) as {
      id: number;
      customerId: string;
    }[];
    for (const row of stale) if (!keep.has(row.customerId)) removeCarried.run(row.id);
    db.prepare(`DELETE FROM plan_items WHERE plan_date = ? AND status = 'pending' AND rolled_from = ?`).run(nextDate, date);
    for (const item of [...items, ...overflow]) upsert.run({ ...item, urgent: item.urgent ? 1 : 0, now });
  }).immediate();
}
