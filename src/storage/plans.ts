// The SQL of the call list: which customers each scenario brings up on day D (set-based, one
// query per scenario over an index range), and the plan_items table the list is kept in.

import type { Db } from './db.js';
import {
  bind,
  buildFactsTables,
  buildOrderFacts,
  dropFactsTables,
  FACTS_OF_IDS_SQL,
  NAMED_RULE_FACTS_SQL,
  ONE_CUSTOMER_FACTS_SQL,
  PLANNING_FACTS_SQL,
  usedParams,
  type CustomerFacts,
  type SegmentParams,
} from './segments.js';
import { attachCandidates, attachOrderFacts, CANDIDATES_TABLE, releaseOrderFacts, startOrderFacts, type PendingOrderFacts } from './facts-worker.js';

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
  /** Day D. */
  date: string;
  dNext: string;
  /** Order windows: [from, to] days after the order, and the order days that fall in them on D. */
  afterSaleFrom: number;
  afterSaleTo: number;
  afterSaleSince: string;
  afterSaleUntil: string;
  usageFrom: number;
  usageTo: number;
  usageSince: string;
  usageUntil: string;
  usageMinFen: number;
  firstFrom: number;
  firstTo: number;
  firstSince: string;
  firstUntil: string;
  /** Open complaints are due this many days after they were opened (dueHours / 24, rounded up). */
  openDueDays: number;
  openDueHours: number;
  /** A completed call with the customer on or after this day (and the ticket's opening) covers an open complaint. */
  openRepeatSince: string;
  openRepeatDays: number;
  /** Tickets opened before this day and still open are stale: no daily urgent call. */
  openStaleBefore: string;
  /** Complaints resolved on or after this day are looked at for complaint-resolved. */
  resolvedSince: string;
}

// Date arithmetic on ISO text. The only SQLite-specific functions of the planner, kept here so a
// PostgreSQL backend has one place to translate them (to date + n and date - date).
const plusDays = (expr: string, days: string) => `date(${expr}, '+' || ${days} || ' days')`;
const daysSince = (expr: string) => `CAST(julianday(@date) - julianday(${expr}) AS INTEGER)`;
const dayOf = (column: string) => `substr(${column}, 1, 10)`;

/**
 * Adds the reasons that come from order and complaint windows and from earlier calls to
 * temp.plan_reasons, set-based: each window reads an index range of orders by time (or, for one
 * customer, that customer's rows), and its from / due days, status and message parameters are
 * computed in the same statement. Complaint-resolved needs working days and is done by the caller
 * (resolvedComplaints). Where a customer has several orders in a window, the other columns come
 * from the row of the max()/min() (SQLite's documented bare-column rule; PostgreSQL will want
 * DISTINCT ON), so order id, day and amount always match.
 */
export function addWindowReasons(db: Db, p: WindowParams, scenarios: ReadonlySet<string>, customerId?: string): void {
  const one = customerId !== undefined;
  // In a plan: orders placed on [D - to, D - from]; the bounds are computed by the caller.
  // Only purchases (counts = 1): a refunded, cancelled, closed or unpaid order is no reason to call.
  const window = (name: string) =>
    one
      ? 'customer_id = @customerId AND ordered_at < @dNext AND counts = 1'
      : `ordered_at >= @${name}Since AND ordered_at < @${name}Until AND counts = 1`;
  const insert = `INSERT INTO temp.plan_reasons (customer_id, scenario, ref, anchor, urgent, due_by, from_day, agent, status, exclusion, params)`;
  // date() is the costly part of these rows. For one customer, the window's days are computed once
  // per order: the inner select yields them to the outer one (OFFSET 0 keeps it from being
  // flattened into it). In a plan, the orders' days are the few days of the window, so each day's
  // due and from days and age are computed once, in a table of those days the orders are joined to
  // (measured: after-sale 0.44 s -> 0.3 s on the 1M bench).
  const orderReason = (scenario: string, from: string, to: string, candidates: string, name: string) => `
    ${
      one
        ? ''
        : `WITH RECURSIVE window_days (day) AS (
             SELECT @${name}Since UNION ALL SELECT ${plusDays('day', '1')} FROM window_days WHERE ${plusDays('day', '1')} < @${name}Until),
           days AS (SELECT day, ${plusDays('day', to)} AS dueBy, ${plusDays('day', from)} AS fromDay, ${daysSince('day')} AS age FROM window_days)`
    }
    ${insert}
    SELECT customerId, '${scenario}', ref, anchor, 0, dueBy, fromDay, NULL,
           CASE WHEN fromDay > @date THEN 'not-yet' WHEN dueBy < @date THEN 'excluded' ELSE 'due' END,
           CASE WHEN fromDay <= @date AND dueBy < @date THEN json_object('code', 'window-passed', 'until', dueBy) END,
           json_object('order', ref, 'day', anchor, 'days', age, 'amountFen', amountFen)
      FROM ${
        one
          ? `(SELECT *, ${plusDays('anchor', to)} AS dueBy, ${plusDays('anchor', from)} AS fromDay, ${daysSince('anchor')} AS age
                FROM (${candidates}) LIMIT -1 OFFSET 0)`
          : `(${candidates}) c JOIN days d ON d.day = c.anchor`
      }`;
  // The order's id is not in the time index: the window is grouped on the index alone (its
  // entries carry the rowid) and only each customer's chosen order is read from the table, not
  // every order in the window (86k reads instead of 112k on the 1M bench, 0.5 s -> 0.3 s).
  const withOrderId = (grouped: string) =>
    `SELECT g.customerId, x.id AS ref, g.anchor, g.amountFen FROM (${grouped}) g JOIN orders x ON x.rowid = g.rid`;
  const statements: string[] = [];
  if (scenarios.has('after-sale')) {
    // The latest order in the window is the one the call is about.
    statements.push(
      orderReason(
        'after-sale',
        '@afterSaleFrom',
        '@afterSaleTo',
        withOrderId(`SELECT customer_id AS customerId, rowid AS rid, ${dayOf('max(ordered_at)')} AS anchor, amount_fen AS amountFen
           FROM orders WHERE ${window('afterSale')} GROUP BY customer_id`),
        'afterSale',
      ),
    );
  }
  if (scenarios.has('usage-check')) {
    statements.push(
      orderReason(
        'usage-check',
        '@usageFrom',
        '@usageTo',
        withOrderId(`SELECT customer_id AS customerId, rowid AS rid, ${dayOf('max(ordered_at)')} AS anchor, amount_fen AS amountFen
           FROM orders WHERE ${window('usage')} AND amount_fen >= @usageMinFen GROUP BY customer_id`),
        'usage',
      ),
    );
  }
  if (scenarios.has('first-experience')) {
    statements.push(
      orderReason(
        'first-experience',
        '@firstFrom',
        '@firstTo',
        // The customer's first order: for one customer, the order nothing precedes; in a plan, the
        // earliest in the window of a customer with no order before it: one probe per customer,
        // not per order (measured: 0.45 s -> 0.26 s on the 1M bench).
        withOrderId(`SELECT o.customer_id AS customerId, o.rowid AS rid, ${dayOf('min(o.ordered_at)')} AS anchor, o.amount_fen AS amountFen
           FROM orders o
          WHERE ${window('first').replace(/ordered_at/g, 'o.ordered_at').replace('customer_id', 'o.customer_id').replace('counts', 'o.counts')}
            ${one ? 'AND NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.ordered_at < o.ordered_at AND e.counts = 1)' : ''}
          GROUP BY o.customer_id
          ${one ? '' : 'HAVING NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.ordered_at < @firstSince AND e.counts = 1)'}`),
        'first',
      ),
    );
  }
  if (scenarios.has('complaint-open')) {
    statements.push(`
      ${insert}
      SELECT customer_id, 'complaint-open', id, ${dayOf('opened_at')}, 1, ${plusDays(dayOf('opened_at'), '@openDueDays')}, NULL, NULL,
             CASE WHEN opened_at < @openStaleBefore OR lastCall IS NOT NULL THEN 'excluded' ELSE 'due' END,
             CASE WHEN opened_at < @openStaleBefore
                    THEN json_object('code', 'stale', 'since', ${dayOf('opened_at')}, 'days', ${daysSince(dayOf('opened_at'))})
                  WHEN lastCall IS NOT NULL
                    THEN json_object('code', 'called-about', 'on', ${dayOf('lastCall')}, 'again', ${plusDays(dayOf('lastCall'), '@openRepeatDays')}) END,
             json_object('complaint', id, 'day', ${dayOf('opened_at')}, 'category', coalesce(category, ''), 'hours', @openDueHours)
        FROM (
          -- An open complaint gets its urgent call once: a completed call with the customer since it
          -- was opened, less than repeatAfterDays ago, covers it (the card shows open complaints).
          SELECT m.*, (SELECT max(k.started_at) FROM calls k
                        WHERE k.customer_id = m.customer_id AND k.outcome = 'completed'
                          AND k.started_at >= m.opened_at AND k.started_at >= @openRepeatSince AND k.started_at < @dNext) AS lastCall
            FROM complaints m
           WHERE m.opened_at < @dNext AND (m.resolved_at IS NULL OR m.resolved_at >= @dNext) ${one ? 'AND m.customer_id = @customerId' : ''})`);
  }
  if (scenarios.has('callback')) {
    // A callback the customer asked for, not yet followed by another call: the agent keeps it.
    statements.push(`
      ${insert}
      SELECT k.customer_id, 'callback', CAST(k.id AS TEXT), ${dayOf('k.callback_at')}, 0, max(${dayOf('k.callback_at')}, @date),
             ${dayOf('k.callback_at')}, k.agent, CASE WHEN ${dayOf('k.callback_at')} <= @date THEN 'due' ELSE 'not-yet' END, NULL,
             json_object('day', ${dayOf('k.callback_at')}, 'time', coalesce(substr(k.callback_at, 12, 5), ''))
        FROM calls k
       WHERE k.outcome = 'callback' ${one ? 'AND k.customer_id = @customerId' : 'AND k.callback_at < @dNext'}
         AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.customer_id = k.customer_id AND later.started_at > k.started_at
                         AND later.outcome IS NOT NULL)`);
  }
  const params = one ? { ...p, customerId } : p;
  for (const sql of statements) db.prepare(sql).run(params);
}

/** The latest resolved complaint per customer since `resolvedSince` (or, for one customer, ever). */
export function resolvedComplaints(db: Db, p: WindowParams, customerId?: string): CandidateRow[] {
  const where = customerId === undefined ? 'resolved_at >= @resolvedSince AND resolved_at < @dNext' : 'customer_id = @customerId AND resolved_at < @dNext';
  return db
    .prepare(
      `SELECT customer_id AS customerId, 'complaint-resolved' AS scenario, id AS ref, ${dayOf('max(resolved_at)')} AS anchor,
              category AS detail, NULL AS amountFen, NULL AS agent
         FROM complaints WHERE ${where} GROUP BY customer_id`,
    )
    .all(customerId === undefined ? p : { ...p, customerId }) as CandidateRow[];
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

export function unansweredCustomers(db: Db, dNext: string, customerId?: string): RetryRow[] {
  return db
    .prepare(
      `SELECT k.customer_id AS customerId, k.scenario, k.agent, count(*) AS attempts, max(k.started_at) AS lastAttemptAt,
              max(k.plan_item_id) AS planItemId
         FROM calls k
        WHERE k.outcome IN ('no-answer', 'busy') AND k.started_at < @dNext ${customerId === undefined ? '' : 'AND k.customer_id = @customerId'}
          AND NOT EXISTS (SELECT 1 FROM calls a WHERE a.customer_id = k.customer_id AND a.started_at > k.started_at
                          AND a.outcome NOT IN ('no-answer', 'busy'))
        GROUP BY k.customer_id`,
    )
    .all(customerId === undefined ? { dNext } : { dNext, customerId }) as RetryRow[];
}

// --- reasons: the working tables of one planning run ---------------------------------------------
//
// temp.plan_reasons holds every reason to call found for day D (window reasons classified by the
// domain layer, segment reasons added here set-based); temp.plan_facts the facts of the customers
// they concern. The contact rules are one SQL expression over the two (exclusionSql), shared by
// the planner and by explain, so "why is X not on the list" and the list itself cannot disagree.
//
// Once the facts are known, each reason also keeps what the ranking reads: the customer's value,
// the scenario's rank and whether it is due after the contact rules. Counting
// the due customers and reading the best of them then scan one table (hundreds of thousands of rows
// on a million customers) instead of joining it to the facts every time.

/** One reason to call, as stored in temp.plan_reasons. */
interface ReasonFields {
  customerId: string;
  scenario: string;
  ref: string | null;
  /** The day the reason arose (order, complaint, callback), or null. */
  anchor: string | null;
  urgent: number;
  dueBy: string;
  fromDay: string | null;
  /** The agent it belongs to (a callback), or null. */
  agent: string | null;
  /** JSON: the reason's message parameters. */
  params: string;
  exclusion: string | null;
}

export interface ReasonRow extends ReasonFields {
  /** due | not-yet | excluded (window-passed, attempts-exhausted: decided before the contact rules). */
  status: string;
}

const REASONS_TABLE = `(customer_id TEXT NOT NULL, scenario TEXT NOT NULL, ref TEXT, anchor TEXT, urgent INTEGER NOT NULL,
      due_by TEXT NOT NULL, from_day TEXT, agent TEXT, status TEXT NOT NULL, exclusion TEXT, params TEXT,
      value_fen INTEGER, scen_rank INTEGER, due INTEGER NOT NULL DEFAULT 0, p_last TEXT, p_every INTEGER)`;
const REASON_COLUMNS = 'customer_id, scenario, ref, anchor, urgent, due_by, from_day, agent, status, exclusion, params';

export function startReasons(db: Db): void {
  // The run's working tables (a million reasons and their index, the facts of the customers they
  // name) are kept in memory: measured on 1M customers, 5.8 s → 5.3 s for the plan, for ~80 MB
  // more peak RSS (340 MB, under the 500 MB the plan may use; an import, which must stay under
  // 300 MB, keeps its temp tables in a file). Changing temp_store drops the connection's temp tables,
  // which is what a new run wants anyway.
  db.pragma('temp_store = MEMORY');
  db.exec(`DROP TABLE IF EXISTS temp.plan_reasons; DROP TABLE IF EXISTS temp.plan_facts; DROP TABLE IF EXISTS temp.plan_reasons_found;
    CREATE TABLE temp.plan_reasons ${REASONS_TABLE};`);
}

export function endReasons(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.plan_reasons; DROP TABLE IF EXISTS temp.plan_facts; DROP TABLE IF EXISTS temp.plan_reasons_found;');
  const pending = pendingFacts.get(db);
  pendingFacts.delete(db);
  foundReasonsEnd.delete(db);
  listedFacts.delete(db);
  if (pending) releaseOrderFacts(db, pending);
  dropFactsTables(db);
  // Back to the connection's default (see openDatabase): later work on it may be big.
  db.pragma('temp_store = FILE');
}

/**
 * The last rowid of temp.plan_reasons before the segment reasons: the window, complaint and call
 * reasons are the rows up to it, and only they can close (closingWinners reads just them instead
 * of a million survey and care reasons).
 */
const foundReasonsEnd = new WeakMap<Db, number>();

/** The orders aggregate a worker is computing for this connection's plan (facts-worker.ts). */
const pendingFacts = new WeakMap<Db, PendingOrderFacts & { split: number }>();

/**
 * Starts computing the customers' order facts on another thread while the caller finds the window
 * and call reasons; addSegmentReasons() takes them up. For a plan of all customers only.
 */
export function prefetchFacts(db: Db, params: SegmentParams, scenarios: SegmentScenarioParams): void {
  const enabled = enabledSegmentReasons(scenarios);
  // The worker takes the candidates among the first WORKER_SHARE of the customers (by rowid); the
  // planning thread, which has other work first, the rest (see insertSegmentReasons).
  const maxRowid = (db.prepare('SELECT max(rowid) AS n FROM customers').get() as { n: number | null }).n ?? 0;
  const split = Math.floor(maxRowid * WORKER_SHARE) + 1;
  const candidates =
    enabled.length > 0 ? { sql: candidatesSql(enabled), values: { survey: scenarios.survey ? 1 : 0, rowFrom: ROWID_MIN, rowTo: split } } : null;
  const pending = startOrderFacts(db, params, candidates);
  if (pending) pendingFacts.set(db, { ...pending, split });
}

/**
 * The worker's share of the candidates: it has only the orders aggregate before them, the planning
 * thread the window reasons, the facts of the customers they name and the list facts of the
 * closing ones. Measured on 1M customers (2 cores), once the planning thread computed its share
 * before waiting for the worker's: both finish their shares within ~0.2 s of each other at 0.7
 * (traced run to run; whole-plan times vary too much to tell 0.6 from 0.8).
 */
const WORKER_SHARE = 0.7;
const ROWID_MIN = -Number.MAX_SAFE_INTEGER;
const ROWID_END = Number.MAX_SAFE_INTEGER;

/** The facts of the customers the enabled segment reasons concern, over all customers. */
function candidatesSql(enabled: string[]): string {
  return `SELECT ${PLANNING_COLUMNS} FROM (${PLANNING_FACTS_SQL}) WHERE ${enabled.map((id) => SEGMENT_REASONS[id].who).join(' OR ')}`;
}

function enabledSegmentReasons(scenarios: SegmentScenarioParams): string[] {
  return [scenarios.churnWarning ? 'churn-warning' : null, scenarios.vipCare ? 'vip-care' : null, scenarios.survey ? 'survey' : null].filter(
    (x): x is string => x !== null,
  );
}

export function addReasons(db: Db, rows: ReasonRow[]): void {
  const head = `INSERT INTO temp.plan_reasons (customer_id, scenario, ref, anchor, urgent, due_by, from_day, agent, status, exclusion, params) VALUES `;
  const one = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const values = (r: ReasonRow) => [r.customerId, r.scenario, r.ref, r.anchor, r.urgent, r.dueBy, r.fromDay, r.agent, r.status, r.exclusion, r.params];
  const many = db.prepare(head + new Array(100).fill(one).join(', '));
  const single = db.prepare(head + one);
  db.transaction(() => {
    let i = 0;
    for (; i + 100 <= rows.length; i += 100) many.run(rows.slice(i, i + 100).flatMap(values));
    for (; i < rows.length; i++) single.run(values(rows[i]));
  })();
}

export interface SegmentScenarioParams {
  churnWarning: boolean;
  vipCare: boolean;
  survey: boolean;
  /** The day churn warnings are due: urgent (high-value) and the rest. */
  churnUrgentDueBy: string;
  churnDueBy: string;
  /** VIP care is due when the last completed call is before this day (or there is none). */
  vipCareBefore: string;
  vipCareDueBy: string;
  vipCareEvery: number;
  surveyBefore: string;
  surveyDueBy: string;
  surveyEvery: number;
}

/**
 * Adds the segment reasons (churn warning, VIP care, survey) set-based, and gives every reason
 * its ranking keys (see rankingExpressions). temp.plan_facts keeps what the contact rules read of
 * the customers the reasons found so far name (windows, earlier calls) and of the carried-over
 * ones (their value comes from the orders aggregate); the segment reasons come straight from one
 * pass over all customers' facts,
 * which are not kept: the full facts of the customers the list shows are computed again for just
 * them (planFactsOf). For explain (one customer) plan_facts holds that customer's every fact and
 * the segment reasons come from it.
 */
export function addSegmentReasons(
  db: Db,
  params: SegmentParams,
  scenarios: SegmentScenarioParams,
  ranking: RankingParams,
  customerId?: string,
  carried: string[] = [],
  closing?: ClosingParams,
): void {
  const bound = { ...bind(db, params), customerId: customerId ?? null, carried: JSON.stringify(carried), survey: scenarios.survey ? 1 : 0 };
  const one = customerId !== undefined;
  // The aggregate tables stay until endReasons(): planFactsOf() reads them.
  if (one) {
    db.prepare(`CREATE TABLE temp.plan_facts AS SELECT * FROM (${ONE_CUSTOMER_FACTS_SQL})`).run(used(ONE_CUSTOMER_FACTS_SQL, bound));
  } else {
    const pending = pendingFacts.get(db);
    // The complaints, calls and flags table first, then what the contact rules read of the
    // customers named so far: neither needs the orders aggregate the worker may still be on
    // (measured: this thread used to wait ~0.6 s for it before doing this).
    buildFactsTables(db, params, pending !== undefined);
    db.prepare(`CREATE TABLE temp.plan_facts AS ${NAMED_RULE_FACTS_SQL}`).run(used(NAMED_RULE_FACTS_SQL, bound));
    if (pending && !attachOrderFacts(db, pending)) buildOrderFacts(db, params);
  }
  db.exec('CREATE UNIQUE INDEX temp.plan_facts_by_id ON plan_facts (id)');
  // The reasons found so far (windows, earlier calls) get their ranking keys from the facts (their
  // value, for all customers, from the orders aggregate). Copied into a fresh table with them, in
  // the same order: cheaper than updating every row in place.
  db.exec(`ALTER TABLE temp.plan_reasons RENAME TO plan_reasons_found; CREATE TABLE temp.plan_reasons ${REASONS_TABLE};`);
  const copy = `INSERT INTO temp.plan_reasons (${REASON_COLUMNS}, value_fen, scen_rank, due)
    SELECT ${REASON_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, ${rankingColumns(ranking, 'f', one ? 'f.spend12mFen' : 'coalesce(o.spend12mFen, 0)')}
      FROM temp.plan_reasons_found r LEFT JOIN temp.plan_facts f ON f.id = r.customer_id
      ${one ? '' : 'LEFT JOIN temp.facts_orders o ON o.id = r.customer_id'} ORDER BY r.rowid`;
  db.prepare(copy).run(used(copy, { contactedSince: ranking.contactedSince }));
  db.exec('DROP TABLE temp.plan_reasons_found');
  foundReasonsEnd.set(db, (db.prepare('SELECT max(rowid) AS n FROM temp.plan_reasons').get() as { n: number | null }).n ?? 0);
  if (closing && !one) prefetchClosingFacts(db, params, closing);

  const enabled = enabledSegmentReasons(scenarios);
  if (enabled.length > 0) insertSegmentReasons(db, enabled, scenarios, ranking, bound, one);
  // Indexed once all reasons are in: one sort instead of keeping the index up through every insert.
  db.exec('CREATE INDEX temp.plan_reasons_by_customer ON plan_reasons (customer_id, due)');
}

/** When a plan's reasons would not come back by themselves: see closingWinners. */
export interface ClosingParams {
  /** The next working day. */
  next: string;
  /** The scenarios whose reasons come back by themselves. */
  persisting: readonly string[];
}

/** Facts computed ahead for withCustomers(), by customer id (see prefetchClosingFacts). */
const listedFacts = new WeakMap<Db, Map<string, CustomerFacts>>();

/**
 * Works out, before the segment reasons, the list facts (name, phone, segments) of every customer
 * with a reason that closes before `next`: the candidates closingWinners() keeps for the next
 * working day, thousands on a big database. Done here, it is part of the work the planning thread
 * shares with the worker; done after the ranking, it was ~0.3 s of the plan's serial tail.
 */
function prefetchClosingFacts(db: Db, params: SegmentParams, closing: ClosingParams): void {
  const ids = db
    .prepare(
      `SELECT DISTINCT customer_id FROM temp.plan_reasons r
        WHERE r.due AND r.due_by < @next AND r.scenario NOT IN (SELECT value FROM json_each(@persisting))`,
    )
    .pluck()
    .all({ next: closing.next, persisting: JSON.stringify(closing.persisting) }) as string[];
  listedFacts.set(db, planFactsOf(db, params, ids, LISTED_COLUMNS));
}

function insertSegmentReasons(
  db: Db,
  enabled: string[],
  scenarios: SegmentScenarioParams,
  ranking: RankingParams,
  bound: Record<string, unknown>,
  one: boolean,
): void {
  // OFFSET 0 keeps the facts a subquery that yields each customer's row once (a co-routine):
  // flattened into the INSERT, SQLite would compute the flags again for each scenario and each
  // column that reads them (measured 2.9 s against 2.2 s on 1M customers).
  //
  // All customers in one statement, or, when a worker computes the candidates among the first
  // customers (prefetchFacts), the others here first, then the worker's from its table. The query
  // is the same either way; a customer's reasons are never split.
  const pending = one ? undefined : pendingFacts.get(db);
  const computed = (from: number, to: number) => ({ source: `(${candidatesSql(enabled)} LIMIT -1 OFFSET 0)`, rowFrom: from, rowTo: to });
  const insert = (part: { source: string; rowFrom?: number; rowTo?: number }) =>
    insertSegmentReasonsFrom(db, enabled, scenarios, ranking, { ...bound, rowFrom: part.rowFrom, rowTo: part.rowTo }, part.source);
  if (one) insert({ source: 'temp.plan_facts' });
  else if (!pending) insert(computed(ROWID_MIN, ROWID_END));
  else {
    // This thread's share first, while the worker finishes its own: waiting for the worker before
    // starting here (as the first version did) cost 0.5 s of the plan on the 1M bench.
    insert(computed(pending.split, ROWID_END));
    insert(attachCandidates(db, pending) ? { source: CANDIDATES_TABLE } : computed(ROWID_MIN, pending.split));
  }
}

function insertSegmentReasonsFrom(
  db: Db,
  enabled: string[],
  scenarios: SegmentScenarioParams,
  ranking: RankingParams,
  bound: Record<string, unknown>,
  source: string,
): void {
  const sql = segmentReasonsSql(enabled, source, ranking);
  db.prepare(sql).run(
    used(sql, {
      ...bound,
      contactedSince: ranking.contactedSince,
      churnUrgentDueBy: scenarios.churnUrgentDueBy,
      churnDueBy: scenarios.churnDueBy,
      vipCareDueBy: scenarios.vipCareDueBy,
      vipCareBefore: scenarios.vipCareBefore,
      vipCareEvery: scenarios.vipCareEvery,
      surveyDueBy: scenarios.surveyDueBy,
      surveyBefore: scenarios.surveyBefore,
      surveyEvery: scenarios.surveyEvery,
    }),
  );
}

const used = usedParams;

/**
 * The segment reasons, over a customer's facts: who has one, and its columns. VIP care and the
 * survey are due when the last completed call is older than their period.
 */
const SEGMENT_REASONS: Record<string, { who: string; anchor: string; urgent: string; dueBy: string; status: string; last: string; every: string }> = {
  'churn-warning': {
    who: 'isChurn',
    anchor: 'substr(lastInteractionAt, 1, 10)',
    urgent: 'isVip',
    dueBy: 'CASE WHEN isVip THEN @churnUrgentDueBy ELSE @churnDueBy END',
    status: "'due'",
    // Its message parameters are its anchor and value (see PARAMS_SQL).
    last: 'NULL',
    every: 'NULL',
  },
  'vip-care': {
    who: 'isVip',
    anchor: 'NULL',
    urgent: '0',
    dueBy: '@vipCareDueBy',
    status: "CASE WHEN lastCallAt IS NULL OR lastCallAt < @vipCareBefore THEN 'due' ELSE 'not-yet' END",
    last: 'substr(lastCallAt, 1, 10)',
    every: '@vipCareEvery',
  },
  survey: {
    who: 'ordersTotal > 0',
    anchor: 'NULL',
    urgent: '0',
    dueBy: '@surveyDueBy',
    status: "CASE WHEN lastCallAt IS NULL OR lastCallAt < @surveyBefore THEN 'due' ELSE 'not-yet' END",
    last: 'substr(lastCallAt, 1, 10)',
    every: '@surveyEvery',
  },
};

/**
 * A reason's message parameters (JSON). The segment reasons, hundreds of thousands of rows of which
 * the list shows a few, keep the figures and build the JSON when read.
 */
const PARAMS_SQL = `coalesce(r.params, CASE r.scenario
  WHEN 'churn-warning' THEN json_object('last', r.anchor, 'spendFen', r.value_fen)
  ELSE json_object('last', r.p_last, 'every', r.p_every) END)`;

/**
 * One INSERT of the `enabled` segment reasons of every customer in `source` (facts rows): each
 * customer's row is read once and paired with the scenarios that apply to them; the reason `r`
 * carries its customer's facts, so its ranking keys are computed in the same statement.
 */
function segmentReasonsSql(enabled: string[], source: string, ranking: RankingParams): string {
  const pick = (column: keyof (typeof SEGMENT_REASONS)[string]) =>
    `CASE s.scenario ${enabled.map((id) => `WHEN '${id}' THEN ${SEGMENT_REASONS[id][column]}`).join(' ')} END`;
  const scenarios = enabled.map((id) => `SELECT '${id}' AS scenario`).join(' UNION ALL ');
  return `
    INSERT INTO temp.plan_reasons (customer_id, scenario, ref, anchor, urgent, due_by, from_day, agent, status, exclusion, params,
                                   value_fen, scen_rank, due, p_last, p_every)
    SELECT customer_id, scenario, ref, anchor, urgent, due_by, from_day, agent, status, exclusion, NULL, ${rankingColumns(ranking, 'r')},
           p_last, p_every
      FROM (SELECT f.*, f.id AS customer_id, s.scenario, NULL AS ref, ${pick('anchor')} AS anchor, ${pick('urgent')} AS urgent,
                   ${pick('dueBy')} AS due_by, NULL AS from_day, NULL AS agent, ${pick('status')} AS status, NULL AS exclusion,
                   ${pick('last')} AS p_last, ${pick('every')} AS p_every
              FROM ${source} f CROSS JOIN (${scenarios}) s
             WHERE (${enabled.map((id) => SEGMENT_REASONS[id].who).join(' OR ')})
               AND (${enabled.map((id) => `(s.scenario = '${id}' AND ${SEGMENT_REASONS[id].who})`).join(' OR ')})) r`;
}

/** The facts of the segment reasons' candidates (see candidatesSql). */
const PLANNING_COLUMNS = `id, phone, doNotCall, wrongNumber, spend12mFen, ordersTotal, lastCallAt, lastContactAt, lastAttemptAt,
  lastInteractionAt, isVip, isChurn`;

/** The contact rules and the scenario order: what a reason's ranking keys are computed from. */
export interface RankingParams extends ContactRuleParams {
  scenarioRank: readonly string[];
}

/**
 * value_fen, scen_rank, due of reason `r` of the customer whose facts are `f`, as SQL expressions in
 * that order: due is "due and not excluded by the contact rules" (the rules' verdict itself is
 * worked out again only where it is shown, by explain).
 */
function rankingExpressions(ranking: RankingParams, f: string, value = `${f}.spend12mFen`): string[] {
  return [value, rankSql(ranking.scenarioRank), `(r.status = 'due' AND (${exclusionSql(ranking.exempt, f)}) IS NULL)`];
}

function rankingColumns(ranking: RankingParams, f: string, value?: string): string {
  return rankingExpressions(ranking, f, value).join(', ');
}

export interface ContactRuleParams {
  /** A completed call on or after this day is within the minimum interval. */
  contactedSince: string;
  exempt: string[];
}

/**
 * The contact rules, in the order they are checked: a call already made about the reason, then
 * do-not-call (absolute), no phone, and the minimum interval between follow-ups.
 */
/** The exclusion of reason `r` of customer `f` by the contact rules, or NULL: one SQL expression. */
function exclusionSql(exempt: readonly string[], f = 'f'): string {
  const exemptList = exempt.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
  return `CASE
           WHEN r.status = 'excluded' THEN r.exclusion
           WHEN r.anchor IS NOT NULL AND r.scenario NOT IN ('callback', 'complaint-open', 'churn-warning', 'confirmation') AND ${f}.lastAttemptAt >= r.anchor
             THEN 'already-followed-up'
           WHEN ${f}.doNotCall THEN 'do-not-call'
           WHEN ${f}.phone IS NULL THEN 'no-phone'
           WHEN ${f}.wrongNumber THEN 'wrong-number'
           WHEN r.scenario NOT IN (${exemptList}) AND ${f}.lastContactAt >= @contactedSince THEN 'contacted'
         END`;
}

function ruledReasonsSql(exempt: readonly string[]): string {
  return `
  SELECT r.customer_id AS customerId, r.scenario, r.ref, r.anchor, r.urgent, r.due_by AS dueBy, r.from_day AS fromDay, r.agent,
         ${PARAMS_SQL} AS params, f.spend12mFen AS valueFen, f.lastCallAt, f.lastContactAt, f.lastAttemptAt, ${exclusionSql(exempt)} AS exclusion,
         r.status AS preStatus
    FROM temp.plan_reasons r JOIN temp.plan_facts f ON f.id = r.customer_id`;
}

/** A reason after the contact rules: `exclusion` says why it is off the list, if it is. */
export interface RuledReasonRow extends ReasonFields {
  valueFen: number;
  lastCallAt: string | null;
  lastContactAt: string | null;
  lastAttemptAt: string | null;
  /** The status before the contact rules. */
  preStatus: string;
}

/** Every reason with its exclusion, for one customer (explain). */
export function ruledReasons(db: Db, rules: ContactRuleParams): RuledReasonRow[] {
  return db.prepare(`${ruledReasonsSql(rules.exempt)} ORDER BY r.rowid`).all({ contactedSince: rules.contactedSince }) as RuledReasonRow[];
}

export interface WinnerRow extends RuledReasonRow {
  rid: number;
  name: string;
  phone: string | null;
  segmentsJson: string;
}

/** The scenario order as a SQL expression over reason `r`. */
function rankSql(scenarioRank: readonly string[]): string {
  return `CASE r.scenario ${scenarioRank.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${scenarioRank.length} END`;
}

/** The due reasons that survive the contact rules: one table, its ranking keys kept on each row. */
const DUE_SQL = `SELECT r.rowid AS rid, r.customer_id AS customerId, r.scenario, r.ref, r.anchor, r.urgent, r.due_by AS dueBy,
                        r.from_day AS fromDay, r.agent, ${PARAMS_SQL} AS params, r.value_fen AS valueFen, NULL AS lastCallAt, NULL AS lastContactAt,
                        NULL AS lastAttemptAt, NULL AS exclusion, 'due' AS preStatus, r.scen_rank AS scenarioRank
                   FROM temp.plan_reasons r
                  WHERE r.due`;

/** A due reason as the ranking reads it; the customer's name, phone and segments are added by withCustomers. */
type DueRow = Omit<WinnerRow, 'name' | 'phone' | 'segmentsJson'>;

/**
 * The list's order: urgent first; then, among equally urgent, what is due from today until the
 * next working day (a window closing, a 24-hour promise) before what is overdue or can wait; then
 * by due date, customer value, scenario and id. The segment reasons (churn warning, VIP care,
 * survey) have a deadline that moves with the day: they never close. Bound as @listDay (the day
 * planned) and @listNext.
 */
const LIST_ORDER = `urgent DESC, (dueBy >= @listDay AND dueBy < @listNext AND scenario NOT IN ('churn-warning', 'vip-care', 'survey')) DESC,
  dueBy, valueFen DESC, scenarioRank, customerId`;

/** The day a list is made for and its next working day: what the list's order reads. */
export interface ListWindow {
  listDay: string;
  listNext: string;
}

/**
 * The first `limit` due reasons in the list's order: urgent first, then by due date, then by
 * customer value, then by scenario rank and id. A customer's first reason in this order is also
 * their most urgent one (their value is the same on every row), so reading it and skipping the
 * customers already seen gives the ranked list without ranking every customer: SQLite keeps only
 * the best `limit` rows while it reads (a bounded sort), instead of sorting hundreds of thousands.
 */
export function dueReasonsInOrder(db: Db, params: SegmentParams, limit: number, order: ListWindow): WinnerRow[] {
  const rows = db.prepare(`${DUE_SQL} ORDER BY ${LIST_ORDER} LIMIT @limit`).all({ limit, ...order }) as DueRow[];
  return withCustomers(db, params, rows);
}

/**
 * The customers with a callback due today (an appointment they agreed on a call), each with the
 * callback as their reason and the agent who agreed it. Appointments are kept whatever the day's capacity.
 */
export function dueAppointments(db: Db, params: SegmentParams, order: ListWindow): { winner: WinnerRow; agreedWith: string | null }[] {
  const agents = new Map(
    (db.prepare(`SELECT customer_id AS customerId, agent FROM temp.plan_reasons WHERE due AND scenario = 'callback' ORDER BY due_by`).all() as {
      customerId: string;
      agent: string | null;
    }[]).map((r) => [r.customerId, r.agent]),
  );
  if (agents.size === 0) return [];
  const rows = db
    .prepare(`SELECT * FROM (${DUE_SQL} AND r.customer_id IN (SELECT value FROM json_each(@ids))) ORDER BY ${LIST_ORDER}`)
    .all({ ids: JSON.stringify([...agents.keys()]), ...order }) as DueRow[];
  // The appointment is the item's reason (its time was agreed with the customer); the customer's
  // other due reasons ride along on it as "also".
  const seen = new Set<string>();
  const winners = rows.filter((row) => row.scenario === 'callback' && !seen.has(row.customerId) && seen.add(row.customerId));
  return withCustomers(db, params, winners).map((winner) => ({ winner, agreedWith: agents.get(winner.customerId) ?? null }));
}

/**
 * The customers with a due reason of each scenario (a customer with several reasons counts under
 * each): what the lead has to work through, for the backlog.
 */
export function dueCustomersByScenario(db: Db): Record<string, number> {
  const rows = db.prepare(`SELECT scenario, count(DISTINCT customer_id) AS n FROM temp.plan_reasons WHERE due GROUP BY scenario`).all() as {
    scenario: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.scenario, r.n]));
}

/** How many customers, other than `except`, have at least one due reason (each is one call on some day's list). */
export function countDueCustomers(db: Db, except: string[]): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT 1 FROM temp.plan_reasons r
           WHERE r.due AND r.customer_id NOT IN (SELECT value FROM json_each(@except))
           GROUP BY r.customer_id)`,
      )
      .get({ except: JSON.stringify(except) }) as { n: number }
  ).n;
}

/**
 * Customers whose most urgent due reason would not come back by itself on `next` (a window that
 * closes before it) and who are not among `placed`: they are kept on the next working day's list
 * so nothing is dropped.
 */
export function closingWinners(
  db: Db,
  params: SegmentParams,
  next: string,
  persisting: string[],
  placed: string[],
  order: ListWindow,
): { winners: WinnerRow[]; dueReasons: Map<string, DueReasonRow[]> } {
  const dueReasons = new Map<string, DueRow[]>();
  const candidates = db
    .prepare(
      `SELECT * FROM (${DUE_SQL} AND r.rowid <= @foundEnd)
        WHERE scenario NOT IN (SELECT value FROM json_each(@persisting)) AND dueBy < @next
          AND customerId NOT IN (SELECT value FROM json_each(@placed))
        ORDER BY ${LIST_ORDER}`,
    )
    .all({
      ...order,
      next,
      persisting: JSON.stringify(persisting),
      placed: JSON.stringify(placed),
      // Segment reasons persist: only the reasons found before them can close.
      foundEnd: foundReasonsEnd.get(db) ?? Number.MAX_SAFE_INTEGER,
    }) as DueRow[];
  if (candidates.length === 0) return { winners: [], dueReasons };
  // Only where that reason is the customer's most urgent: otherwise the customer comes back anyway.
  // Their due reasons in list order are also what dueReasonsOf() would read for the kept ones: they
  // are handed back, so the "also" reasons of ~10k kept customers are not read a second time.
  const ids = [...new Set(candidates.map((c) => c.customerId))];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = db
      .prepare(`SELECT * FROM (${DUE_SQL} AND r.customer_id IN (SELECT value FROM json_each(@ids))) ORDER BY ${LIST_ORDER}`)
      .all({ ids: JSON.stringify(ids.slice(i, i + 5000)), ...order }) as DueRow[];
    for (const row of rows) {
      const list = dueReasons.get(row.customerId);
      if (list) list.push(row);
      else dueReasons.set(row.customerId, [row]);
    }
  }
  const winners = candidates.filter((c) => dueReasons.get(c.customerId)?.[0].rid === c.rid);
  return { winners: withCustomers(db, params, winners), dueReasons };
}

/** Adds each row's customer name, phone and segments (as a JSON array with nulls, as the list reads them). */
function withCustomers(db: Db, params: SegmentParams, rows: DueRow[]): WinnerRow[] {
  const ready = listedFacts.get(db);
  const ids = [...new Set(rows.map((r) => r.customerId))];
  const facts = planFactsOf(db, params, ready ? ids.filter((id) => !ready.has(id)) : ids, LISTED_COLUMNS);
  return rows.map((row) => {
    const f = facts.get(row.customerId) ?? ready?.get(row.customerId);
    const segments = SEGMENT_FLAGS.map(([id, flag]) => (f && f[flag as keyof CustomerFacts] ? id : null));
    return { ...row, name: f?.name ?? '', phone: f?.phone ?? null, segmentsJson: JSON.stringify(segments) };
  });
}

/** The segment flags of CustomerFacts, in SEGMENT_IDS order (kept here to build SQL from). */
const SEGMENT_FLAGS: [string, string][] = [
  ['new', 'isNew'],
  ['vip', 'isVip'],
  ['churn-risk', 'isChurn'],
  ['complaint', 'isComplaint'],
  ['ordinary', 'isOrdinary'],
  ['potential', 'isPotential'],
  ['lost', 'isLost'],
];
/** The facts a list item shows: name, phone and the segment flags. */
const LISTED_COLUMNS = `id, name, phone, ${SEGMENT_FLAGS.map(([, flag]) => flag).join(', ')}`;

/** A due reason as the "also" part of an item's reason reads it. */
export interface DueReasonRow {
  customerId: string;
  scenario: string;
  ref: string | null;
  params: string;
}

/** All due reasons of these customers, most urgent first: the "also" part of each item's reason. */
export function dueReasonsOf(db: Db, ids: string[]): DueReasonRow[] {
  return db
    .prepare(
      `SELECT customer_id AS customerId, scenario, ref, ${PARAMS_SQL} AS params FROM temp.plan_reasons r
        WHERE due AND customer_id IN (SELECT value FROM json_each(@ids)) ORDER BY customer_id, urgent DESC, due_by, scen_rank`,
    )
    .all({ ids: JSON.stringify(ids) }) as DueReasonRow[];
}

/** One customer's facts when explain collected their reasons (temp.plan_facts has every column then). */
export function planFacts(db: Db, customerId: string): CustomerFacts | undefined {
  return db.prepare('SELECT * FROM temp.plan_facts WHERE id = ?').get(customerId) as CustomerFacts | undefined;
}

/**
 * The full facts, segment flags included, of the customers `ids` while a plan is made: computed
 * from the run's aggregate tables for just them.
 */
export function planFactsOf(db: Db, params: SegmentParams, ids: string[], columns = '*'): Map<string, CustomerFacts> {
  const facts = new Map<string, CustomerFacts>();
  if (ids.length === 0) return facts;
  // (It once also required each id to be in temp.plan_reasons or temp.plan_facts: with a million
  // reasons that test cost ~0.1 s a call, and every id given here comes from them or is on the list.)
  const statement = db.prepare(`SELECT ${columns} FROM (${FACTS_OF_IDS_SQL})`);
  const bound = bind(db, params);
  for (let i = 0; i < ids.length; i += 5000) {
    const values = used(FACTS_OF_IDS_SQL, { ...bound, ids: JSON.stringify(ids.slice(i, i + 5000)) });
    for (const row of statement.all(values) as CustomerFacts[]) facts.set(row.id, row);
  }
  return facts;
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

/**
 * Items of earlier days that nobody has dealt with, and items rolled into `date` because an earlier
 * day was full: still pending, and no completed call with the
 * customer on or after the day they were planned for. They carry over, never dropped; the earliest
 * one per customer speaks for all (an item may have been carried over several times). The earlier
 * day's item is left as it is: its agent may still be working that list.
 */
export function pendingBefore(db: Db, date: string): PlanItemRow[] {
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM}
        WHERE p.status = 'pending' AND (p.plan_date < @date OR (p.plan_date = @date AND p.rolled_from IS NOT NULL))
          AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.customer_id = p.customer_id AND k.outcome IS NOT NULL
                          AND k.started_at >= p.plan_date)
          AND p.plan_date = (SELECT min(q.plan_date) FROM plan_items q
                              WHERE q.customer_id = p.customer_id AND q.status = 'pending'
                                AND (q.plan_date < @date OR (q.plan_date = @date AND q.rolled_from IS NOT NULL)))
        ORDER BY p.plan_date, p.position, p.id`,
    )
    .all({ date }) as PlanItemRow[];
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
  /** The customer's segment ids when planned. */
  segments?: string[];
}

/**
 * Replaces the pending items of `date` (and the overflow it sent to `nextDate` earlier) with
 * `items` and `overflow`; claimed and done items are never touched. One transaction: a re-plan is
 * all or nothing.
 */
export function savePlan(
  db: Db,
  date: string,
  nextDate: string,
  items: NewPlanItem[],
  overflow: NewPlanItem[],
  now: string,
): void {
  const removeStale = db.prepare(`DELETE FROM plan_items WHERE id = ? AND status = 'pending'`);
  const upsert = db.prepare(
    `INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, ref, value_fen, rolled_from, segments,
                             created_at, updated_at)
     VALUES (@planDate, @customerId, @scenario, @urgent, @dueBy, @agent, @position, @reasons, @ref, @valueFen, @rolledFrom, @segments, @now, @now)
     ON CONFLICT (plan_date, customer_id) DO UPDATE SET
       scenario = excluded.scenario, urgent = excluded.urgent, due_by = excluded.due_by, agent = excluded.agent,
       position = excluded.position, reasons = excluded.reasons, ref = excluded.ref, value_fen = excluded.value_fen,
       rolled_from = excluded.rolled_from, segments = excluded.segments,
       updated_at = CASE WHEN plan_items.scenario IS excluded.scenario AND plan_items.agent IS excluded.agent
                          AND plan_items.position IS excluded.position AND plan_items.reasons IS excluded.reasons
                         THEN plan_items.updated_at ELSE excluded.updated_at END
     WHERE plan_items.status = 'pending'`,
  );
  db.transaction(() => {
    const keep = new Set(items.map((i) => i.customerId));
    // Pending items of the day that are no longer due (the customer opted out, was called …) go.
    const stale = db.prepare(`SELECT id, customer_id AS customerId FROM plan_items WHERE plan_date = ? AND status = 'pending'`).all(date) as {
      id: number;
      customerId: string;
    }[];
    for (const row of stale) if (!keep.has(row.customerId)) removeStale.run(row.id);
    db.prepare(`DELETE FROM plan_items WHERE plan_date = ? AND status = 'pending' AND rolled_from = ?`).run(nextDate, date);
    for (const item of [...items, ...overflow]) upsert.run({ ...item, urgent: item.urgent ? 1 : 0, segments: JSON.stringify(item.segments ?? []), now });
    // The day's list was made: what is on it is on a list agents can see (overflow parked on a day
    // that is never planned is not).
    db.prepare(`INSERT INTO plan_runs (plan_date, planned_at) VALUES (?, ?) ON CONFLICT (plan_date) DO UPDATE SET planned_at = excluded.planned_at`).run(date, now);
  }).immediate();
}
