// The SQL of `followup import calls`: finding the call-list item a row of the sheet is about, the
// call already recorded for it, and correcting a call that an earlier import of the sheet recorded.
// Recording a new call goes through the domain (recordWholeCall) like every other path.

import type { ClaimedItem } from './calls.js';
import type { Db } from './db.js';

const ITEM = `p.id, p.plan_date AS planDate, p.customer_id AS customerId, p.scenario, p.urgent, p.due_by AS dueBy, p.agent,
  p.position, p.reasons, p.ref, p.status, p.claimed_by AS claimedBy, p.claimed_at AS claimedAt,
  p.claim_owner AS claimOwner, p.result`;

/** The item of one customer on one day's list. */
export function itemOfDay(db: Db, date: string, customerId: string): ClaimedItem | undefined {
  return db.prepare(`SELECT ${ITEM} FROM plan_items p WHERE p.plan_date = ? AND p.customer_id = ?`).get(date, customerId) as ClaimedItem | undefined;
}

export interface ItemCall {
  id: number;
  source: 'screen' | 'file' | 'sheet';
  outcome: string;
  startedAt: string;
  endedAt: string | null;
  callbackAt: string | null;
  notes: string | null;
  /** The satisfaction answer as stored (JSON text), or null. */
  satisfaction: string | null;
}

/**
 * The call that finished an item: the latest one made from it with an outcome. A sheet call comes
 * first whatever its time, as it is the one a re-import corrects.
 */
export function callOfItem(db: Db, itemId: number): ItemCall | undefined {
  return db
    .prepare(
      `SELECT k.id, k.source, k.outcome, k.started_at AS startedAt, k.ended_at AS endedAt, k.callback_at AS callbackAt, k.notes,
              (SELECT a.value FROM call_answers a WHERE a.call_id = k.id AND a.question_id = 'satisfaction') AS satisfaction
         FROM calls k
        WHERE k.plan_item_id = ? AND k.outcome IS NOT NULL
        ORDER BY k.source = 'sheet' DESC, k.started_at DESC, k.id DESC LIMIT 1`,
    )
    .get(itemId) as ItemCall | undefined;
}

/**
 * A sheet call about to be corrected: no outcome and not the unreachable attempt for a moment, so
 * that counting the customer's unanswered attempts leaves it out. Call inside a transaction, then
 * endCall() with the corrected outcome.
 */
export function reopenSheetCall(db: Db, callId: number): void {
  db.prepare(`UPDATE calls SET outcome = NULL, unreachable = 0 WHERE id = ? AND source = 'sheet'`).run(callId);
}

/** Removes the answers of a sheet call whose corrected outcome is no longer completed. */
export function dropSheetAnswers(db: Db, callId: number): void {
  db.prepare(`DELETE FROM call_answers WHERE call_id = ? AND call_id IN (SELECT id FROM calls WHERE source = 'sheet')`).run(callId);
}
