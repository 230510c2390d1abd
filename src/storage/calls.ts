// The SQL of working a call list: claiming the next customer, saving each answer as it is given,
// issues, how an attempt ended, and what the lists show of it (calls, remaining, the agent's card).
//
// Several agents' processes share one database file. A claim is one UPDATE inside an IMMEDIATE
// transaction (the write lock is taken before the candidate is read), so two processes can never
// claim the same item; a claim is kept alive by its process (claimed_at is refreshed while it
// works) and one whose process died is taken over once it is older than the configured timeout.

import type { Db } from './db.js';
import type { PlanItemRow } from './plans.js';

/** A list item as a call reads it: the item's own columns and who holds it. */
export interface ClaimedItem
  extends Pick<PlanItemRow, 'id' | 'planDate' | 'customerId' | 'scenario' | 'urgent' | 'dueBy' | 'agent' | 'position' | 'reasons' | 'ref'> {
  status: string;
  claimedBy: string | null;
  claimedAt: string | null;
  claimOwner: string | null;
  result: string | null;
}

const ITEM = `p.id, p.plan_date AS planDate, p.customer_id AS customerId, p.scenario, p.urgent, p.due_by AS dueBy, p.agent,
  p.position, p.reasons, p.ref, p.status, p.claimed_by AS claimedBy, p.claimed_at AS claimedAt,
  p.claim_owner AS claimOwner, p.result`;

/** A claim that its holder still keeps alive (claimed on or after `staleBefore`). */
const LIVE_CLAIM = `status = 'claimed' AND claimed_at >= @staleBefore`;

export interface ClaimParams {
  date: string;
  agent: string;
  /** ISO time: claims older than this are dead and can be taken over. */
  staleBefore: string;
  /** ISO time of the claim. */
  now: string;
  /** host:pid of the claiming process. */
  owner: string;
}

/**
 * Claims the agent's next item of the day (urgent first, then in list order): a pending one, or
 * one whose claim died. Skips customers someone else is calling right now (an item of another day
 * for the same customer), and closes items whose customer was already called since they were
 * planned. Undefined when nothing is left.
 */
export function claimNext(db: Db, p: ClaimParams): ClaimedItem | undefined {
  return db.transaction(() => {
    for (;;) {
      const item = db
        .prepare(
          `SELECT ${ITEM} FROM plan_items p
            WHERE p.plan_date = @date AND p.agent = @agent
              AND (p.status = 'pending' OR (p.status = 'claimed' AND p.claimed_at < @staleBefore))
              AND NOT EXISTS (SELECT 1 FROM plan_items q WHERE q.customer_id = p.customer_id AND q.id <> p.id
                                 AND q.${LIVE_CLAIM})
            ORDER BY p.urgent DESC, p.position, p.id LIMIT 1`,
        )
        .get(p) as ClaimedItem | undefined;
      if (!item) return undefined;
      if (calledSince(db, item.customerId, item.planDate)) {
        db.prepare(`UPDATE plan_items SET status = 'done', result = 'already-called', updated_at = @now WHERE id = @id`).run({ id: item.id, now: p.now });
        continue;
      }
      take(db, item.id, p);
      return { ...item, status: 'claimed', claimedBy: p.agent, claimedAt: p.now, claimOwner: p.owner };
    }
  }).immediate();
}

export type ClaimRefusal =
  | { code: 'not-on-list' }
  | { code: 'other-agent'; agent: string | null }
  | { code: 'busy'; agent: string }
  | { code: 'finished'; status: string; result: string | null };

/** Claims the item of one customer on the day's list, or says why it cannot. */
export function claimCustomer(db: Db, p: ClaimParams & { customerId: string }): { item: ClaimedItem } | { refused: ClaimRefusal } {
  return db.transaction(() => {
    const item = itemOfDay(db, p.date, p.customerId);
    if (!item) return { refused: { code: 'not-on-list' } as ClaimRefusal };
    if (item.agent !== p.agent) return { refused: { code: 'other-agent', agent: item.agent } as ClaimRefusal };
    if (item.status === 'done' || item.status === 'closed') return { refused: { code: 'finished', status: item.status, result: item.result } as ClaimRefusal };
    const holder = db
      .prepare(`SELECT claimed_by AS agent FROM plan_items WHERE customer_id = @customerId AND ${LIVE_CLAIM} AND claimed_by <> @agent LIMIT 1`)
      .get(p) as { agent: string } | undefined;
    if (holder) return { refused: { code: 'busy', agent: holder.agent } as ClaimRefusal };
    take(db, item.id, p);
    return { item: { ...item, status: 'claimed', claimedBy: p.agent, claimedAt: p.now, claimOwner: p.owner } };
  }).immediate();
}

function take(db: Db, id: number, p: ClaimParams): void {
  db.prepare(
    `UPDATE plan_items SET status = 'claimed', claimed_by = @agent, claimed_at = @now, claim_owner = @owner, updated_at = @now WHERE id = @id`,
  ).run({ id, agent: p.agent, now: p.now, owner: p.owner });
}

/** Has the customer had a call with an outcome since `day`? */
function calledSince(db: Db, customerId: string, day: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM calls WHERE customer_id = ? AND started_at >= ? AND outcome IS NOT NULL LIMIT 1`).get(customerId, day) !== undefined
  );
}

/** Keeps a claim alive (and makes this process its owner): the process holding it is still working. */
export function keepClaim(db: Db, itemId: number, agent: string, now: string, owner: string): void {
  db.prepare(`UPDATE plan_items SET claimed_at = @now, claim_owner = @owner WHERE id = @itemId AND status = 'claimed' AND claimed_by = @agent`).run({
    itemId,
    agent,
    now,
    owner,
  });
}

/** The process stops (Ctrl-C): its claims stay the agent's, but nobody is working them any more. */
export function disownClaims(db: Db, owner: string): void {
  db.prepare(`UPDATE plan_items SET claim_owner = NULL WHERE status = 'claimed' AND claim_owner = ?`).run(owner);
}

/** The agent's claimed items of the day that no call in progress belongs to: candidates for a dead claim. */
export function ownIdleClaims(db: Db, date: string, agent: string): { id: number; claimOwner: string | null; claimedAt: string | null }[] {
  return db
    .prepare(
      `SELECT p.id, p.claim_owner AS claimOwner, p.claimed_at AS claimedAt FROM plan_items p
        WHERE p.plan_date = ? AND p.agent = ? AND p.status = 'claimed' AND p.claimed_by = p.agent
          AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.plan_item_id = p.id AND k.outcome IS NULL AND k.ended_at IS NULL)`,
    )
    .all(date, agent) as { id: number; claimOwner: string | null; claimedAt: string | null }[];
}

/** Puts a claimed item back on the list: its claim is dead, or its holder (`agent`, when given) lets it go. */
export function unclaim(db: Db, id: number, now: string, agent?: string): void {
  db.prepare(
    `UPDATE plan_items SET status = 'pending', claimed_by = NULL, claimed_at = NULL, claim_owner = NULL, updated_at = @now
      WHERE id = @id AND status = 'claimed' ${agent === undefined ? '' : 'AND claimed_by = @agent'}`,
  ).run({ id, now, agent: agent ?? null });
}

/** Is this item still claimed by this agent (nobody took it over after the claim died)? */
export function holdsClaim(db: Db, itemId: number, agent: string): boolean {
  return db.prepare(`SELECT 1 FROM plan_items WHERE id = ? AND status = 'claimed' AND claimed_by = ?`).get(itemId, agent) !== undefined;
}

/**
 * Frees everything the agent holds: claimed items go back to pending, a call in progress is ended
 * without an outcome (its answers stay). One transaction.
 */
export function releaseClaims(db: Db, agent: string, now: string, endedAt: string): { items: number; calls: number } {
  return db.transaction(() => {
    const calls = db.prepare(`UPDATE calls SET ended_at = @endedAt WHERE agent = @agent AND outcome IS NULL AND ended_at IS NULL`).run({ agent, endedAt }).changes;
    const items = db
      .prepare(`UPDATE plan_items SET status = 'pending', claimed_by = NULL, claimed_at = NULL, claim_owner = NULL, updated_at = @now
          WHERE status = 'claimed' AND claimed_by = @agent`)
      .run({ agent, now }).changes;
    return { items, calls };
  }).immediate();
}

// --- the call itself ------------------------------------------------------------------------------

export interface OpenCall {
  id: number;
  planItemId: number | null;
  customerId: string;
  agent: string;
  scenario: string;
  planDate: string | null;
  startedAt: string;
}

const CALL = `id, plan_item_id AS planItemId, customer_id AS customerId, agent, scenario, plan_date AS planDate, started_at AS startedAt`;

/** The agent's call in progress (reached, not yet finished), if any: what `followup call` offers to resume. */
export function openCallOf(db: Db, agent: string): OpenCall | undefined {
  return db.prepare(`SELECT ${CALL} FROM calls WHERE agent = ? AND outcome IS NULL AND ended_at IS NULL ORDER BY id DESC LIMIT 1`).get(agent) as
    | OpenCall
    | undefined;
}

/** The item of one customer on one day's list. */
export function itemOfDay(db: Db, date: string, customerId: string): ClaimedItem | undefined {
  return db.prepare(`SELECT ${ITEM} FROM plan_items p WHERE p.plan_date = ? AND p.customer_id = ?`).get(date, customerId) as ClaimedItem | undefined;
}

/**
 * The item of a day for a customer id that lost its leading zeros in Excel (123 for 000123): found
 * only when exactly one customer on that day's list is that number.
 */
export function itemOfDayUnpadded(db: Db, date: string, digits: string): ClaimedItem | undefined {
  const rows = db
    .prepare(`SELECT ${ITEM} FROM plan_items p WHERE p.plan_date = ? AND p.customer_id GLOB '0*' AND ltrim(p.customer_id, '0') = ? LIMIT 2`)
    .all(date, digits.replace(/^0+/, '')) as ClaimedItem[];
  return rows.length === 1 ? rows[0] : undefined;
}

export function itemById(db: Db, id: number): ClaimedItem | undefined {
  return db.prepare(`SELECT ${ITEM} FROM plan_items p WHERE p.id = ?`).get(id) as ClaimedItem | undefined;
}

export interface NewCall extends Omit<OpenCall, 'id'> {
  source: 'screen' | 'file' | 'sheet';
}

/** A call in progress: the customer was reached and the script begins. */
export function startCall(db: Db, call: NewCall): number {
  return Number(
    db
      .prepare(
        `INSERT INTO calls (plan_item_id, customer_id, agent, scenario, plan_date, started_at, source, segments)
         VALUES (@planItemId, @customerId, @agent, @scenario, @planDate, @startedAt, @source,
                 (SELECT segments FROM plan_items WHERE id = @planItemId))`,
      )
      .run(call).lastInsertRowid,
  );
}

/** Saves one answer (JSON, or null when the customer declined) the moment it is given. */
export function saveAnswer(db: Db, callId: number, questionId: string, position: number, value: unknown, at: string): void {
  db.prepare(
    `INSERT INTO call_answers (call_id, question_id, position, value, answered_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (call_id, question_id) DO UPDATE SET value = excluded.value, position = excluded.position, answered_at = excluded.answered_at`,
  ).run(callId, questionId, position, value === null || value === undefined ? null : JSON.stringify(value), at);
}

/** Takes back an answer (the agent went back to its question): it is given again, or not at all. */
export function deleteAnswer(db: Db, callId: number, questionId: string): void {
  db.prepare(`DELETE FROM call_answers WHERE call_id = ? AND question_id = ?`).run(callId, questionId);
}

/** The answers saved for a call, in the script's order: question id → value (null = declined). */
export function answersOf(db: Db, callId: number): Map<string, unknown> {
  const rows = db.prepare(`SELECT question_id AS id, value FROM call_answers WHERE call_id = ? ORDER BY position`).all(callId) as {
    id: string;
    value: string | null;
  }[];
  return new Map(rows.map((r) => [r.id, r.value === null ? null : (JSON.parse(r.value) as unknown)]));
}

export interface IssueRow {
  callId: number | null;
  customerId: string;
  level1: string;
  level2: string | null;
  priority: string;
  words: string;
  happenedOn: string | null;
  expected: string | null;
  mood: string | null;
  feedbackType: string | null;
  department: string | null;
  dueWorkingDays: number | null;
  dueBy: string | null;
  createdAt: string;
}

export function saveIssue(db: Db, issue: IssueRow): number {
  return Number(
    db
      .prepare(
        `INSERT INTO issues (call_id, customer_id, level1, level2, priority, words, happened_on, expected, mood, feedback_type, department,
                             due_working_days, due_by, created_at)
         VALUES (@callId, @customerId, @level1, @level2, @priority, @words, @happenedOn, @expected, @mood, @feedbackType, @department,
                 @dueWorkingDays, @dueBy, @createdAt)`,
      )
      .run(issue).lastInsertRowid,
  );
}

export function issuesOfCall(db: Db, callId: number): (IssueRow & { id: number })[] {
  return db
    .prepare(
      `SELECT id, call_id AS callId, customer_id AS customerId, level1, level2, priority, words, happened_on AS happenedOn, expected, mood,
              feedback_type AS feedbackType, department, due_working_days AS dueWorkingDays, due_by AS dueBy, created_at AS createdAt
         FROM issues WHERE call_id = ? ORDER BY id`,
    )
    .all(callId) as (IssueRow & { id: number })[];
}

/** Unanswered attempts (no answer, busy) since the customer last answered or was closed as unreachable. */
export function unansweredAttempts(db: Db, customerId: string): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM calls k
          WHERE k.customer_id = @customerId AND k.outcome IN ('no-answer', 'busy')
            AND NOT EXISTS (SELECT 1 FROM calls a WHERE a.customer_id = k.customer_id AND a.started_at >= k.started_at AND a.id <> k.id
                              AND (a.outcome NOT IN ('no-answer', 'busy') OR a.unreachable = 1))`,
      )
      .get({ customerId }) as { n: number }
  ).n;
}

export interface CallEnd {
  callId: number;
  outcome: string;
  endedAt: string;
  callbackAt: string | null;
  notes: string | null;
  unreachable: boolean;
}

export interface ItemEnd {
  id: number;
  status: 'done' | 'closed';
  result: string | null;
  now: string;
}

export interface FlagChange {
  customerId: string;
  doNotCallAt?: string;
  wrongPhone?: string | null;
  wrongNumberAt?: string;
}

/** Ends a call with its outcome, and applies what follows from it. Call inside a transaction. */
export function endCall(db: Db, end: CallEnd, item: ItemEnd | null, flags: FlagChange | null): void {
  db.prepare(
    `UPDATE calls SET outcome = @outcome, ended_at = @endedAt, callback_at = @callbackAt, notes = @notes, unreachable = @unreachable WHERE id = @callId`,
  ).run({ ...end, unreachable: end.unreachable ? 1 : 0 });
  if (item) {
    db.prepare(`UPDATE plan_items SET status = @status, result = @result, claim_owner = NULL, updated_at = @now WHERE id = @id`).run(item);
  }
  if (flags) {
    db.prepare(`INSERT INTO customer_flags (customer_id) VALUES (?) ON CONFLICT (customer_id) DO NOTHING`).run(flags.customerId);
    if (flags.doNotCallAt) db.prepare(`UPDATE customer_flags SET do_not_call_at = ? WHERE customer_id = ?`).run(flags.doNotCallAt, flags.customerId);
    if (flags.wrongNumberAt) {
      db.prepare(`UPDATE customer_flags SET wrong_number_at = ?, wrong_phone = ? WHERE customer_id = ?`).run(
        flags.wrongNumberAt,
        flags.wrongPhone ?? null,
        flags.customerId,
      );
    }
  }
}

/** Ends a call without an outcome (given up); its answers and issues stay. */
export function abandonCall(db: Db, callId: number, endedAt: string): void {
  db.prepare(`UPDATE calls SET ended_at = ? WHERE id = ? AND outcome IS NULL`).run(endedAt, callId);
}

// --- what the agent sees ------------------------------------------------------------------------------

export interface CardCustomer {
  id: string;
  name: string;
  phone: string | null;
  phoneRaw: string | null;
  city: string | null;
  tier: string | null;
  preferredTime: string | null;
  wrongPhone: string | null;
}

export function cardCustomer(db: Db, customerId: string): CardCustomer | undefined {
  return db
    .prepare(
      `SELECT c.id, c.name, c.phone, c.phone_raw AS phoneRaw, c.city, c.tier, c.preferred_time AS preferredTime, f.wrong_phone AS wrongPhone
         FROM customers c LEFT JOIN customer_flags f ON f.customer_id = c.id WHERE c.id = ?`,
    )
    .get(customerId) as CardCustomer | undefined;
}

export function recentOrders(db: Db, customerId: string, before: string, limit: number) {
  return db
    .prepare(
      `SELECT id, ordered_at AS orderedAt, amount_fen AS amountFen, product FROM orders
        WHERE customer_id = ? AND ordered_at < ? ORDER BY ordered_at DESC, id DESC LIMIT ?`,
    )
    .all(customerId, before, limit) as { id: string; orderedAt: string; amountFen: number; product: string | null }[];
}

export function openComplaints(db: Db, customerId: string, before: string) {
  return db
    .prepare(
      `SELECT id, opened_at AS openedAt, category, description FROM complaints
        WHERE customer_id = @customerId AND opened_at < @before AND (resolved_at IS NULL OR resolved_at >= @before) ORDER BY opened_at`,
    )
    .all({ customerId, before }) as { id: string; openedAt: string; category: string | null; description: string | null }[];
}

export function previousCalls(db: Db, customerId: string, exceptCall: number | null, limit: number) {
  return db
    .prepare(
      `SELECT k.started_at AS startedAt, k.agent, k.scenario, k.outcome, k.satisfaction
         FROM calls k WHERE k.customer_id = ? AND k.outcome IS NOT NULL AND k.id IS NOT ?
        ORDER BY k.started_at DESC, k.id DESC LIMIT ?`,
    )
    .all(customerId, exceptCall, limit) as { startedAt: string; agent: string; scenario: string; outcome: string; satisfaction: number | null }[];
}

export function openIssuesOf(db: Db, customerId: string) {
  return db
    .prepare(
      `SELECT id, level1, level2, priority, words, due_by AS dueBy, department, status, resolution FROM issues
        WHERE customer_id = ? AND status IN ('open', 'resolved') ORDER BY id`,
    )
    .all(customerId) as {
    id: number;
    level1: string;
    level2: string | null;
    priority: string;
    words: string;
    dueBy: string | null;
    department: string | null;
    status: string;
    resolution: string | null;
  }[];
}

// --- the day's progress -----------------------------------------------------------------------------

export interface CallOfDay {
  id: number;
  customerId: string;
  name: string;
  phone: string | null;
  agent: string;
  scenario: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  callbackAt: string | null;
  source: string;
  satisfaction: number | null;
  nps: number | null;
  durationSeconds: number | null;
  issues: number;
}

/** Calls started on `date` (optionally one agent's), in the order they were made. */
export function callsOn(db: Db, date: string, dNext: string, agent?: string): CallOfDay[] {
  return db
    .prepare(
      `SELECT k.id, k.customer_id AS customerId, c.name, c.phone, k.agent, k.scenario, k.outcome, k.started_at AS startedAt,
              k.ended_at AS endedAt, k.callback_at AS callbackAt, k.source, k.satisfaction, k.nps, k.duration_seconds AS durationSeconds,
              (SELECT count(*) FROM issues i WHERE i.call_id = k.id) AS issues
         FROM calls k JOIN customers c ON c.id = k.customer_id
        WHERE k.started_at >= @date AND k.started_at < @dNext ${agent === undefined ? '' : 'AND k.agent = @agent'}
        ORDER BY k.started_at, k.id`,
    )
    .all({ date, dNext, agent: agent ?? null }) as CallOfDay[];
}

export interface ListProgress {
  agent: string | null;
  pending: number;
  claimed: number;
  done: number;
  closed: number;
}

/** Items of the day's list by agent and status. */
export function listProgress(db: Db, date: string, agent?: string): ListProgress[] {
  return db
    .prepare(
      `SELECT agent, count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'claimed') AS claimed,
              count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'closed') AS closed
         FROM plan_items WHERE plan_date = @date ${agent === undefined ? '' : 'AND agent = @agent'}
        GROUP BY agent ORDER BY agent`,
    )
    .all({ date, agent: agent ?? null }) as ListProgress[];
}

/** Is there a list for the day at all? */
export function hasList(db: Db, date: string): boolean {
  return db.prepare(`SELECT 1 FROM plan_items WHERE plan_date = ? LIMIT 1`).get(date) !== undefined;
}

export function customerExists(db: Db, customerId: string): boolean {
  return db.prepare(`SELECT 1 FROM customers WHERE id = ?`).get(customerId) !== undefined;
}

/** How many calls ended with each outcome, over all days. */
export function callsByOutcome(db: Db): { outcome: string; n: number }[] {
  return db.prepare(`SELECT outcome, count(*) AS n FROM calls WHERE outcome IS NOT NULL GROUP BY outcome`).all() as { outcome: string; n: number }[];
}
