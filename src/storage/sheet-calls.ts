// The SQL of `followup import calls`: finding the call-list item a row of the sheet is about, the
// call already recorded for it, and correcting a call that an earlier import of the sheet recorded.
// Recording a new call goes through the domain (recordWholeCall) like every other path.

import type { Db } from './db.js';

export interface ItemCall {
  id: number;
  source: 'screen' | 'file' | 'sheet';
  outcome: string;
  startedAt: string;
  endedAt: string | null;
  callbackAt: string | null;
  notes: string | null;
  /** The satisfaction answer (the copy kept on calls), or null. */
  satisfaction: number | null;
}

/**
 * The call that finished an item: the latest one made from it with an outcome. A sheet call comes
 * first whatever its time, as it is the one a re-import corrects.
 */
export function callOfItem(db: Db, itemId: number): ItemCall | undefined {
  return db
    .prepare(
      `SELECT k.id, k.source, k.outcome, k.started_at AS startedAt, k.ended_at AS endedAt, k.callback_at AS callbackAt, k.notes,
              k.satisfaction
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
