// Small read-only look-ups for `followup explain`: where one customer is on the saved lists.
import type { Db } from './db.js';

export interface ListEntry {
  id: number;
  planDate: string;
  scenario: string;
  urgent: number;
  dueBy: string;
  agent: string | null;
  position: number;
  status: 'pending' | 'claimed' | 'done' | 'closed';
  rolledFrom: string | null;
  ref: string | null;
}

const COLUMNS = `id, plan_date AS planDate, scenario, urgent, due_by AS dueBy, agent, position, status, rolled_from AS rolledFrom, ref`;

/** The customer's item on the list of `date`, if any. */
export function listEntryOn(db: Db, date: string, customerId: string): ListEntry | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM plan_items WHERE plan_date = ? AND customer_id = ?`).get(date, customerId) as ListEntry | undefined;
}

/** The customer's first item on a list after `date` (where an item rolled over to), if any. */
export function nextListEntryAfter(db: Db, date: string, customerId: string): ListEntry | undefined {
  return db
    .prepare(`SELECT ${COLUMNS} FROM plan_items WHERE customer_id = ? AND plan_date > ? ORDER BY plan_date LIMIT 1`)
    .get(customerId, date) as ListEntry | undefined;
}

/** How many items the list of `date` has: 0 means no list was made for that day. */
export function listSize(db: Db, date: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM plan_items WHERE plan_date = ?`).get(date) as { n: number }).n;
}
