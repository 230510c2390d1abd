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
  /** The last completed call: VIP care and the survey count from it. */
  lastCallAt: string | null;
  /** The last call that counts for the contact interval: completed, refused, or closed as unreachable. */
  lastContactAt: string | null;
  /** The last attempt of any outcome: a reason that arose before it has been followed up. */
  lastAttemptAt: string | null;
  /** The number on file reached the wrong person on a call and has not been changed since. */
  wrongNumber: number;
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

// Per-customer aggregates as of D ("… < @dNext": everything that happened by the end of day D).
export const ORDER_FACTS = `
  SELECT customer_id AS id, min(ordered_at) AS firstOrderAt, max(ordered_at) AS lastOrderAt, count(*) AS ordersTotal,
         coalesce(sum(amount_fen) FILTER (WHERE ordered_at >= @d12m), 0) AS spend12mFen,
         count(*) FILTER (WHERE ordered_at >= @d12m) AS orders12m,
         count(*) FILTER (WHERE ordered_at >= @dWindow) AS ordersRecent,
         count(*) FILTER (WHERE ordered_at >= @dWindowBefore AND ordered_at < @dWindow) AS ordersBefore
    FROM orders WHERE ordered_at < @dNext AND counts = 1`; // refunded, cancelled, closed, unpaid: no purchase
const COMPLAINT_FACTS = `
  SELECT customer_id AS id, count(*) FILTER (WHERE resolved_at IS NULL OR resolved_at >= @dNext) AS openComplaints,
         max(resolved_at) FILTER (WHERE resolved_at < @dNext) AS lastResolvedAt, max(opened_at) AS lastComplaintAt
    FROM complaints WHERE opened_at < @dNext`;
const CALL_FACTS = `
  SELECT customer_id AS id,
         max(started_at) FILTER (WHERE outcome = 'completed') AS lastCallAt,
         max(started_at) FILTER (WHERE outcome IN ('completed', 'refused') OR unreachable = 1) AS lastContactAt,
         max(started_at) AS lastAttemptAt
    FROM calls WHERE outcome IS NOT NULL AND started_at < @dNext`;

/**
 * The segment flags, computed in SQL from a `base` query that gives each customer's raw facts:
 * id, name, phone, tier, doNotCall, firstOrderAt, lastOrderAt, ordersTotal, spend12mFen, orders12m,
 * ordersRecent, ordersBefore, openComplaints, lastResolvedAt, lastComplaintAt, lastCallAt.
 */
function flagsSql(base: string): string {
  return `
WITH base AS (${base}),
facts AS (
  SELECT *, nullif(max(coalesce(lastOrderAt, ''), coalesce(lastComplaintAt, ''), coalesce(lastCallAt, '')), '') AS lastInteractionAt
    FROM base
),
flags AS (
  SELECT *,
         coalesce(firstOrderAt >= @dNew, 0) AS isNew,
         coalesce(lower(trim(tier)) IN (SELECT tier FROM temp.vip_tiers), 0) AS isVipByTier,
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
       ordersRecent, ordersBefore, openComplaints, lastResolvedAt, lastInteractionAt, lastCallAt, lastContactAt, lastAttemptAt,
       wrongNumber, isNew, isVip, isVipByTier, isChurnInactive, isChurnDrop,
       (isChurnInactive OR isChurnDrop) AS isChurn, isLost, isComplaint,
       (ordersTotal = 0) AS isPotential,
       (ordersTotal > 0 AND NOT (isNew OR isVip OR isChurnInactive OR isChurnDrop OR isLost OR isComplaint)) AS isOrdinary
  FROM churn`;
}

/**
 * Each customer's raw facts, from the per-customer aggregates: orders `o`, complaints `m`, calls `k`
 * and the flags calls set `fl` (for all customers the last three are one table, see buildFactsTables).
 */
function baseColumns(m: string, k: string, fl: string): string {
  return `
  SELECT cu.id, cu.name, cu.phone, cu.tier, ${doNotCallSql(fl)} AS doNotCall,
         o.firstOrderAt, o.lastOrderAt, coalesce(o.ordersTotal, 0) AS ordersTotal, coalesce(o.spend12mFen, 0) AS spend12mFen,
         coalesce(o.orders12m, 0) AS orders12m, coalesce(o.ordersRecent, 0) AS ordersRecent, coalesce(o.ordersBefore, 0) AS ordersBefore,
         coalesce(${m}.openComplaints, 0) AS openComplaints, ${m}.lastResolvedAt, ${m}.lastComplaintAt, ${k}.lastCallAt,
         ${k}.lastContactAt, ${k}.lastAttemptAt, ${wrongNumberSql(fl)} AS wrongNumber
    FROM customers cu`;
}

/** Do not call: the export's flag, or the customer said so on a call (flags `fl`). */
const doNotCallSql = (fl: string) => `max(cu.do_not_call, ${fl}.do_not_call_at IS NOT NULL)`;
/** The number on file is the one a call found wrong. */
const wrongNumberSql = (fl: string) => `coalesce(${fl}.wrong_phone = cu.phone, 0)`;

/**
 * One customer's raw facts: correlated subqueries that read just that customer's entries of the
 * covering indexes. For explain.
 */
const ONE_CUSTOMER_BASE = `${baseColumns('m', 'k', 'fl')}
    LEFT JOIN customer_flags fl ON fl.customer_id = cu.id
    LEFT JOIN (${ORDER_FACTS} AND customer_id = @customerId GROUP BY customer_id) o ON o.id = cu.id
    LEFT JOIN (${COMPLAINT_FACTS} AND customer_id = @customerId GROUP BY customer_id) m ON m.id = cu.id
    LEFT JOIN (${CALL_FACTS} AND customer_id = @customerId GROUP BY customer_id) k ON k.id = cu.id
   WHERE cu.id = @customerId`;

/**
 * Every customer's raw facts, from per-customer aggregate tables built by buildFactsTables(): one
 * streaming pass over each index (orders by customer is already in customer order), then one key
 * lookup per customer. On 1M customers / 3M orders this is several times faster than correlated
 * subqueries per customer or joining unindexed aggregate subqueries. Complaints, calls and flags
 * concern few customers: they share one table `x`, so a customer costs two lookups, not four
 * (measured: 0.9 s → 0.6 s for the joins over 1M customers).
 */
const ALL_CUSTOMERS_BASE = `${baseColumns('x', 'x', 'x')}
    LEFT JOIN temp.facts_orders o ON o.id = cu.id
    LEFT JOIN temp.facts_other x ON x.id = cu.id`;

function factsSql(oneCustomer: boolean): string {
  return flagsSql(oneCustomer ? ONE_CUSTOMER_BASE : ALL_CUSTOMERS_BASE);
}

/**
 * Builds the per-customer aggregate tables that the all-customers facts read (a few tens of bytes
 * per customer). FILTER aggregates are markedly cheaper than CASE inside sum().
 */
/** The named parameters of `sql` from `values`: SQLite is told only those it reads. */
export function usedParams(sql: string, values: Record<string, unknown>): Record<string, unknown> {
  const names = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]));
  return Object.fromEntries(Object.entries(values).filter(([name]) => names.has(name)));
}

/** The columns of the per-customer orders table (ORDER_FACTS). */
export const ORDER_FACTS_COLUMNS = `id TEXT PRIMARY KEY, firstOrderAt, lastOrderAt, ordersTotal, spend12mFen, orders12m, ordersRecent, ordersBefore`;

/**
 * `ordersReady`: temp.facts_orders is already there (the planner's worker made it, see
 * facts-worker.ts), only the other two are built.
 */
export function buildFactsTables(db: Db, params: SegmentParams, ordersReady = false): void {
  dropFactsTables(db, ordersReady);
  db.exec(`CREATE TABLE temp.facts_other (id TEXT PRIMARY KEY, openComplaints, lastResolvedAt, lastComplaintAt,
             lastCallAt, lastContactAt, lastAttemptAt, do_not_call_at, wrong_phone) WITHOUT ROWID`);
  if (!ordersReady) buildOrderFacts(db, params);
  // Each source gives a customer at most one row, with NULL in the others' columns: max() merges them.
  db.prepare(
    `INSERT INTO temp.facts_other
     SELECT id, max(openComplaints), max(lastResolvedAt), max(lastComplaintAt), max(lastCallAt), max(lastContactAt),
            max(lastAttemptAt), max(do_not_call_at), max(wrong_phone)
       FROM (SELECT id, openComplaints, lastResolvedAt, lastComplaintAt, NULL AS lastCallAt, NULL AS lastContactAt,
                    NULL AS lastAttemptAt, NULL AS do_not_call_at, NULL AS wrong_phone
               FROM (${COMPLAINT_FACTS} GROUP BY customer_id)
             UNION ALL
             SELECT id, NULL, NULL, NULL, lastCallAt, lastContactAt, lastAttemptAt, NULL, NULL FROM (${CALL_FACTS} GROUP BY customer_id)
             UNION ALL
             SELECT customer_id, NULL, NULL, NULL, NULL, NULL, NULL, do_not_call_at, wrong_phone FROM customer_flags
              WHERE do_not_call_at IS NOT NULL OR wrong_phone IS NOT NULL)
      GROUP BY id ORDER BY id`,
  ).run({ dNext: params.dNext });
}

/** temp.facts_orders alone. */
export function buildOrderFacts(db: Db, params: SegmentParams): void {
  const p = { dNext: params.dNext, d12m: params.d12m, dWindow: params.dWindow, dWindowBefore: params.dWindowBefore };
  db.exec(`CREATE TABLE temp.facts_orders (${ORDER_FACTS_COLUMNS}) WITHOUT ROWID`);
  db.prepare(`INSERT INTO temp.facts_orders ${ORDER_FACTS} GROUP BY customer_id ORDER BY customer_id`).run(p);
}

export function dropFactsTables(db: Db, keepOrders = false): void {
  if (!keepOrders) db.exec('DROP TABLE IF EXISTS temp.facts_orders;');
  db.exec('DROP TABLE IF EXISTS temp.facts_other;');
}

/**
 * The parameters of the facts query. The VIP tiers go into a small temp table rather than a
 * json_each() parameter: SQLite then checks a customer's tier with one index probe.
 */
export function bind(db: Db, params: SegmentParams): Record<string, unknown> {
  db.exec('CREATE TABLE IF NOT EXISTS temp.vip_tiers (tier TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.vip_tiers;');
  const insert = db.prepare('INSERT OR IGNORE INTO temp.vip_tiers (tier) VALUES (?)');
  for (const tier of params.vipTiers) insert.run(tier.trim().toLowerCase());
  const { vipTiers: _tiers, ...rest } = params;
  return rest;
}

export function customerFacts(db: Db, params: SegmentParams, customerId: string): CustomerFacts | undefined {
  const bound = bind(db, params);
  return db.prepare(factsSql(true)).get({ ...bound, customerId }) as CustomerFacts | undefined;
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
  buildFactsTables(db, params);
  const bound = bind(db, params);
  try {
    return db
    .prepare(
      `SELECT count(*) AS customers, coalesce(sum(isNew), 0) AS new, coalesce(sum(isVip), 0) AS vip,
              coalesce(sum(isChurn), 0) AS churnRisk, coalesce(sum(isComplaint), 0) AS complaint,
              coalesce(sum(isOrdinary), 0) AS ordinary, coalesce(sum(isPotential), 0) AS potential,
              coalesce(sum(isLost), 0) AS lost
         FROM (${factsSql(false)})`,
    )
    .get(bound) as SegmentCountsRow;
  } finally {
    dropFactsTables(db);
  }
}

/** The facts of the customers in one segment, in id order, `limit` at most. */
export function customersInSegment(db: Db, params: SegmentParams, flag: keyof CustomerFacts | null, limit: number): CustomerFacts[] {
  const where = flag ? `WHERE ${flag}` : '';
  buildFactsTables(db, params);
  const bound = bind(db, params);
  try {
    return db.prepare(`SELECT * FROM (${factsSql(false)}) ${where} ORDER BY id LIMIT @limit`).all({ ...bound, limit }) as CustomerFacts[];
  } finally {
    dropFactsTables(db);
  }
}

/**
 * The same, for the planner's segment reasons: only customers who can be churn risk or VIP (a
 * cheap test on the aggregates, a superset of the exact flags: a churn risk has interacted in the
 * last year and ordered, and not in the last `inactiveDays` or less often lately), or have orders
 * when the survey is on. Skips computing the flags for the rest of a million customers. Of the
 * customers whose rowid is in [@rowFrom, @rowTo): the planner shares them out between two threads.
 */
export const PLANNING_FACTS_SQL = flagsSql(`${ALL_CUSTOMERS_BASE}
   WHERE ((o.lastOrderAt < @dInactiveNext AND (o.lastOrderAt >= @dLostNext OR x.lastComplaintAt >= @dLostNext OR x.lastCallAt >= @dLostNext))
      OR (o.ordersBefore > 0 AND o.ordersRecent <= @churnFrequencyDrop * o.ordersBefore)
      OR (o.spend12mFen >= @vipSpend12mFen AND o.orders12m >= @vipOrders12m) OR (@survey AND o.ordersTotal > 0)
      OR lower(trim(cu.tier)) IN (SELECT tier FROM temp.vip_tiers))
     AND cu.rowid >= @rowFrom AND cu.rowid < @rowTo`);
/**
 * What the contact rules read of the customers temp.plan_reasons names so far and of those in the
 * JSON array @carried: nothing from the orders, so the planner reads it while a worker is still on
 * the orders aggregate (their value, spend12mFen, is looked up in that aggregate afterwards).
 */
export const NAMED_RULE_FACTS_SQL = `
  SELECT cu.id, cu.phone, ${doNotCallSql('x')} AS doNotCall, ${wrongNumberSql('x')} AS wrongNumber, x.lastContactAt, x.lastAttemptAt
    FROM customers cu LEFT JOIN temp.facts_other x ON x.id = cu.id
   WHERE cu.id IN (SELECT customer_id FROM temp.plan_reasons UNION SELECT value FROM json_each(@carried))`;
/**
 * Every fact of the customers named in the JSON array @ids, from the aggregate tables of
 * buildFactsTables() (still there while a plan is made): the planner computes the full segment
 * flags only for the few customers it shows, not for every customer a reason concerns.
 */
export const FACTS_OF_IDS_SQL = flagsSql(`${ALL_CUSTOMERS_BASE}
   WHERE cu.id IN (SELECT value FROM json_each(@ids))`);
/** The same for one customer, bound as @customerId. */
export const ONE_CUSTOMER_FACTS_SQL = factsSql(true);
