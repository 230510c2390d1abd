// The SQL of segmentation: one set-based pass over customers, orders, complaints and calls that
// gives each customer the facts the segment rules read, and the segment flags themselves.
//
// Dates are ISO-8601 text ('2026-11-03' or '2026-11-03T14:05:00'), so "on or after day X" is
// `col >= 'X'` and "on or before day X" is `col < 'X+1'`, for dates and date-times alike.

import type { Db } from './db.js';

/** Day boundaries and thresholds, all precomputed by the caller (domain/segments.ts). */
export interface SegmentParams {
  /** The day after D: everything strictly before it happened by D. */
  dNext: string;
  /** 365 days before D: the 12-month window starts here. */
  d12m: string;
  /** First order on or after this day: new. */
  dNew: string;
  /** Last interaction before this day (i.e. on or before D − inactiveDays): inactive. */
  dInactiveNext: string;
  /** The recent-frequency window starts here; the window before it starts at dWindowBefore. */
  dWindow: string;
  dWindowBefore: string;
  /** Last interaction before this day: lost. */
  dLostNext: string;
  /** A complaint resolved on or after this day is recent. */
  dComplaint: string;
  vipTiers: string[];
  vipSpend12mFen: number;
  vipOrders12m: number;
  churnFrequencyDrop: number;
}

export interface CustomerFacts {
  id: string;
  name: string;
  phone: string | null;
  tier: string | null;
  doNotCall: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  ordersTotal: number;
  spend12mFen: number;
  orders12m: number;
  ordersRecent: number;
  ordersBefore: number;
  openComplaints: number;
  lastResolvedAt: string | null;
  lastInteractionAt: string | null;
  lastCallAt: string | null;
  isNew: number;
  isVip: number;
  isVipByTier: number;
  isChurnInactive: number;
  isChurnDrop: number;
  isChurn: number;
  isLost: number;
  isComplaint: number;
  isPotential: number;
  isOrdinary: number;
}

/**
 * The facts of every customer (or of one), as of D. Each aggregate is a correlated subquery that
 * reads that customer's few entries of a covering index (orders by customer, time, amount), and the
 * costlier ones are skipped by CASE when they cannot matter (no order in the last 12 months: no
 * 12-month spend to add up). On 1M customers this is several times faster than aggregating the
 * whole orders table and joining it back.
 */
function factsSql(oneCustomer: boolean): string {
  const where = oneCustomer ? 'WHERE cu.id = @customerId' : '';
  const orders = (condition: string) => `FROM orders o WHERE o.customer_id = b.id AND ${condition} AND o.ordered_at < @dNext`;
  return `
WITH base AS MATERIALIZED (
  SELECT cu.id, cu.name, cu.phone, cu.tier,
         max(cu.do_not_call, fl.do_not_call_at IS NOT NULL) AS doNotCall,
         (SELECT min(o.ordered_at) FROM orders o WHERE o.customer_id = cu.id AND o.ordered_at < @dNext) AS firstOrderAt,
         (SELECT max(o.ordered_at) FROM orders o WHERE o.customer_id = cu.id AND o.ordered_at < @dNext) AS lastOrderAt,
         (SELECT max(m.opened_at) FROM complaints m WHERE m.customer_id = cu.id AND m.opened_at < @dNext) AS lastComplaintAt,
         (SELECT max(k.started_at) FROM calls k WHERE k.customer_id = cu.id AND k.outcome = 'completed' AND k.started_at < @dNext) AS lastCallAt
    FROM customers cu
    LEFT JOIN customer_flags fl ON fl.customer_id = cu.id
   ${where}
),
facts AS (
  SELECT b.*,
         CASE WHEN lastOrderAt IS NULL THEN 0 ELSE (SELECT count(*) ${orders('1')}) END AS ordersTotal,
         CASE WHEN lastOrderAt >= @d12m THEN (SELECT sum(o.amount_fen) ${orders('o.ordered_at >= @d12m')}) ELSE 0 END AS spend12mFen,
         CASE WHEN lastOrderAt >= @d12m THEN (SELECT count(*) ${orders('o.ordered_at >= @d12m')}) ELSE 0 END AS orders12m,
         CASE WHEN lastOrderAt >= @dWindowBefore THEN (SELECT count(*) ${orders('o.ordered_at >= @dWindow')}) ELSE 0 END AS ordersRecent,
         CASE WHEN lastOrderAt >= @dWindowBefore
              THEN (SELECT count(*) ${orders('o.ordered_at >= @dWindowBefore AND o.ordered_at < @dWindow')}) ELSE 0 END AS ordersBefore,
         CASE WHEN lastComplaintAt IS NULL THEN 0 ELSE (SELECT count(*) FROM complaints m WHERE m.customer_id = b.id
              AND m.opened_at < @dNext AND (m.resolved_at IS NULL OR m.resolved_at >= @dNext)) END AS openComplaints,
         CASE WHEN lastComplaintAt IS NULL THEN NULL ELSE (SELECT max(m.resolved_at) FROM complaints m WHERE m.customer_id = b.id
              AND m.opened_at < @dNext AND m.resolved_at < @dNext) END AS lastResolvedAt,
         nullif(max(coalesce(lastOrderAt, ''), coalesce(lastComplaintAt, ''), coalesce(lastCallAt, '')), '') AS lastInteractionAt
    FROM base b
),
flags AS (
  SELECT *,
         coalesce(firstOrderAt >= @dNew, 0) AS isNew,
         coalesce(lower(trim(tier)) IN (SELECT value FROM json_each(@vipTiers)), 0) AS isVipByTier,
         (spend12mFen >= @vipSpend12mFen AND orders12m >= @vipOrders12m) AS isVipBySpend,
         (openComplaints > 0 OR coalesce(lastResolvedAt >= @dComplaint, 0)) AS isComplaint
    FROM facts
),
churn AS (
  SELECT *,
         (isVipByTier OR isVipBySpend) AS isVip,
         (ordersTotal > 0 AND lastInteractionAt < @dLostNext) AS isLost,
         (ordersTotal > 0 AND lastInteractionAt < @dInactiveNext AND lastInteractionAt >= @dLostNext) AS isChurnInactive,
         (ordersTotal > 0 AND NOT isNew AND ordersBefore > 0 AND ordersRecent <= @churnFrequencyDrop * ordersBefore
              AND lastInteractionAt >= @dLostNext) AS isChurnDrop
    FROM flags
)
SELECT id, name, phone, tier, doNotCall, firstOrderAt, lastOrderAt, ordersTotal, spend12mFen, orders12m,
       ordersRecent, ordersBefore, openComplaints, lastResolvedAt, lastInteractionAt, lastCallAt,
       isNew, isVip, isVipByTier, isChurnInactive, isChurnDrop,
       (isChurnInactive OR isChurnDrop) AS isChurn, isLost, isComplaint,
       (ordersTotal = 0) AS isPotential,
       (ordersTotal > 0 AND NOT (isNew OR isVip OR isChurnInactive OR isChurnDrop OR isLost OR isComplaint)) AS isOrdinary
  FROM churn`;
}

function bind(params: SegmentParams): Record<string, unknown> {
  return { ...params, vipTiers: JSON.stringify(params.vipTiers.map((t) => t.trim().toLowerCase())) };
}

export function customerFacts(db: Db, params: SegmentParams, customerId: string): CustomerFacts | undefined {
  return db.prepare(factsSql(true)).get({ ...bind(params), customerId }) as CustomerFacts | undefined;
}

/** Every customer's facts, streamed (one row at a time), in id order. */
export function allCustomerFacts(db: Db, params: SegmentParams): IterableIterator<CustomerFacts> {
  return db.prepare(factsSql(false) + ' ORDER BY id').iterate(bind(params)) as IterableIterator<CustomerFacts>;
}

export interface SegmentCountsRow {
  customers: number;
  new: number;
  vip: number;
  churnRisk: number;
  complaint: number;
  ordinary: number;
  potential: number;
  lost: number;
}

export function segmentCounts(db: Db, params: SegmentParams): SegmentCountsRow {
  return db
    .prepare(
      `SELECT count(*) AS customers, coalesce(sum(isNew), 0) AS new, coalesce(sum(isVip), 0) AS vip,
              coalesce(sum(isChurn), 0) AS churnRisk, coalesce(sum(isComplaint), 0) AS complaint,
              coalesce(sum(isOrdinary), 0) AS ordinary, coalesce(sum(isPotential), 0) AS potential,
              coalesce(sum(isLost), 0) AS lost
         FROM (${factsSql(false)})`,
    )
    .get(bind(params)) as SegmentCountsRow;
}

/** The facts of the customers in one segment, in id order, `limit` at most. */
export function customersInSegment(db: Db, params: SegmentParams, flag: keyof CustomerFacts | null, limit: number): CustomerFacts[] {
  const where = flag ? `WHERE ${flag}` : '';
  return db.prepare(`SELECT * FROM (${factsSql(false)}) ${where} ORDER BY id LIMIT @limit`).all({ ...bind(params), limit }) as CustomerFacts[];
}

/** The facts query over all customers, for callers that filter it further (the planner). */
export const SEGMENT_FACTS_SQL = factsSql(false);
