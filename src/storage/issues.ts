// The SQL of the closed loop (闭环): issues raised on calls, assigned to a department, resolved,
// then confirmed with the customer on a confirmation call — or reopened.
//
//   open ──resolve──▶ resolved ──confirmation call: fixed──▶ closed
//     ▲                  │
//     └──── confirmation call: not fixed (reopened + 1) ◀──┘
//
// An open issue whose promised deadline (due_by) has passed is overdue.

import type { Db } from './db.js';

export interface IssueListRow {
  id: number;
  callId: number | null;
  customerId: string;
  name: string;
  phone: string | null;
  level1: string;
  level2: string | null;
  priority: string;
  words: string;
  happenedOn: string | null;
  expected: string | null;
  mood: string | null;
  feedbackType: string | null;
  department: string | null;
  dueBy: string | null;
  status: 'open' | 'resolved' | 'closed';
  reopened: number;
  resolvedAt: string | null;
  resolution: string | null;
  closedAt: string | null;
  createdAt: string;
  overdue: number;
}

export interface IssueFilter {
  /** open, overdue (open and past its deadline), resolved (awaiting confirmation), closed, or all. */
  status: 'open' | 'overdue' | 'resolved' | 'closed' | 'all';
  department?: string;
  /** Day D: an open issue due before it is overdue. */
  date: string;
}

const COLUMNS = `i.id, i.call_id AS callId, i.customer_id AS customerId, c.name, c.phone, i.level1, i.level2, i.priority, i.words,
  i.happened_on AS happenedOn, i.expected, i.mood, i.feedback_type AS feedbackType, i.department, i.due_by AS dueBy, i.status,
  i.reopened, i.resolved_at AS resolvedAt, i.resolution, i.closed_at AS closedAt, i.created_at AS createdAt,
  (i.status = 'open' AND i.due_by < @date) AS overdue`;

// An issue as it stood at the end of day @date: raised by then; closed or resolved only if that
// had happened by then (one resolved the day after is open on the day); a reopened one is open.
const END_OF_DAY = `date(@date, '+1 day')`;
const STATUS_ON = `CASE WHEN i.closed_at IS NOT NULL AND i.closed_at < ${END_OF_DAY} THEN 'closed'
                        WHEN i.status <> 'open' AND i.resolved_at IS NOT NULL AND i.resolved_at < ${END_OF_DAY} THEN 'resolved'
                        ELSE 'open' END`;
const COLUMNS_ON = `i.id, i.call_id AS callId, i.customer_id AS customerId, c.name, c.phone, i.level1, i.level2, i.priority, i.words,
  i.happened_on AS happenedOn, i.expected, i.mood, i.feedback_type AS feedbackType, i.department, i.due_by AS dueBy,
  ${STATUS_ON} AS status, i.reopened,
  CASE WHEN i.resolved_at < ${END_OF_DAY} THEN i.resolved_at END AS resolvedAt,
  CASE WHEN i.resolved_at < ${END_OF_DAY} THEN i.resolution END AS resolution,
  CASE WHEN i.closed_at < ${END_OF_DAY} THEN i.closed_at END AS closedAt, i.created_at AS createdAt,
  (${STATUS_ON} = 'open' AND i.due_by < @date) AS overdue`;

export interface StaleComplaintRow {
  id: string;
  customerId: string;
  name: string;
  phone: string | null;
  openedAt: string;
  category: string | null;
  description: string | null;
  status: string | null;
}

/**
 * CRM tickets still open on `date` that were opened before `openedBefore`: too old for a daily
 * urgent call (scenarios.complaint-open.staleAfterDays), so they are listed with the issues instead.
 */
export function staleComplaints(db: Db, date: string, openedBefore: string): StaleComplaintRow[] {
  return db
    .prepare(
      `SELECT m.id, m.customer_id AS customerId, c.name, c.phone, m.opened_at AS openedAt, m.category, m.description, m.status
         FROM complaints m JOIN customers c ON c.id = m.customer_id
        WHERE m.opened_at < @openedBefore AND (m.resolved_at IS NULL OR m.resolved_at >= date(@date, '+1 day'))
        ORDER BY m.opened_at, m.id`,
    )
    .all({ date, openedBefore }) as StaleComplaintRow[];
}

/** The issues as they stood on `f.date` (see STATUS_ON), of one status (or all) and department. */
export function listIssues(db: Db, f: IssueFilter): IssueListRow[] {
  const where = [
    f.status === 'overdue' ? `status = 'open' AND overdue` : f.status === 'all' ? '1' : `status = @status`,
    f.department === undefined ? '1' : 'department = @department',
  ];
  return db
    .prepare(
      `SELECT * FROM (SELECT ${COLUMNS_ON} FROM issues i JOIN customers c ON c.id = i.customer_id WHERE i.created_at < ${END_OF_DAY})
        WHERE ${where.join(' AND ')} ORDER BY overdue DESC, priority, dueBy, id`,
    )
    .all({ date: f.date, status: f.status, department: f.department ?? null }) as IssueListRow[];
}

export function issueById(db: Db, id: number, date: string): IssueListRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM issues i JOIN customers c ON c.id = i.customer_id WHERE i.id = @id`).get({ id, date }) as
    | IssueListRow
    | undefined;
}

export function countOverdue(db: Db, date: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM issues WHERE status = 'open' AND due_by < ?`).get(date) as { n: number }).n;
}

export function assignIssue(db: Db, id: number, department: string): void {
  db.prepare(`UPDATE issues SET department = ? WHERE id = ?`).run(department, id);
}

export function resolveIssue(db: Db, id: number, note: string, at: string): void {
  db.prepare(`UPDATE issues SET status = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND status = 'open'`).run(at, note, id);
}

/** The confirmation call: the customer says it is fixed. */
export function closeIssue(db: Db, id: number, at: string): void {
  db.prepare(`UPDATE issues SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'resolved'`).run(at, id);
}

/** The confirmation call: it is not fixed. Back to open, with the same deadline (now likely overdue). */
/** A resolved issue the customer says is not fixed: open again, with what they say now added to its words. */
export function reopenIssue(db: Db, id: number, moreWords: string | null = null): void {
  db.prepare(
    `UPDATE issues SET status = 'open', reopened = reopened + 1,
            words = CASE WHEN @more IS NULL THEN words ELSE words || char(10) || @more END
      WHERE id = @id AND status = 'resolved'`,
  ).run({ id, more: moreWords });
}

export interface ResolvedIssueRow {
  customerId: string;
  id: number;
  anchor: string;
  level1: string;
  level2: string | null;
  words: string;
}

/** Issues resolved and awaiting their confirmation call (for the planner), all or one customer's. */
export function resolvedIssues(db: Db, dNext: string, customerId?: string): ResolvedIssueRow[] {
  return db
    .prepare(
      `SELECT customer_id AS customerId, id, substr(resolved_at, 1, 10) AS anchor, level1, level2, words
         FROM issues WHERE status = 'resolved' AND resolved_at < @dNext ${customerId === undefined ? '' : 'AND customer_id = @customerId'}
        ORDER BY id`,
    )
    .all({ dNext, customerId: customerId ?? null }) as ResolvedIssueRow[];
}

export interface IssueTotals {
  raised: number;
  open: number;
  /** Open and past their deadline on `date`. */
  overdue: number;
  resolved: number;
  closed: number;
  /** Reopenings, counted over all issues. */
  reopened: number;
}

/** Every issue raised so far, by where it stands on `date`. */
export function issueTotals(db: Db, date: string): IssueTotals {
  return db
    .prepare(
      `SELECT count(*) AS raised, count(*) FILTER (WHERE status = 'open') AS open,
              count(*) FILTER (WHERE status = 'open' AND due_by < @date) AS overdue,
              count(*) FILTER (WHERE status = 'resolved') AS resolved, count(*) FILTER (WHERE status = 'closed') AS closed,
              coalesce(sum(reopened), 0) AS reopened
         FROM issues`,
    )
    .get({ date }) as IssueTotals;
}
