// The closed loop (闭环): every issue raised on a call goes to a department, is resolved, and is
// confirmed with the customer on a confirmation call that the next plan lists (or reopened when
// the customer says it is not fixed). Deadlines are the ones promised on the call; an open issue
// past its deadline is overdue and shows in `issues`, in the plan's summary and in the report.
import { UserError } from '../core/errors.js';
import type { Db } from '../storage/db.js';
import { assignIssue, countOverdue, issueById, listIssues, resolveIssue, staleComplaints, type IssueFilter, type IssueListRow, type StaleComplaintRow } from '../storage/issues.js';
import { addDays, daysBetween } from './calendar.js';

export const ISSUE_STATUSES = ['open', 'overdue', 'resolved', 'closed', 'all'] as const;
export type IssueStatusFilter = (typeof ISSUE_STATUSES)[number];

export interface IssueView extends Omit<IssueListRow, 'overdue'> {
  overdue: boolean;
  /** Days since the issue was raised, on day D. */
  ageDays: number;
  /** Working days past the promised deadline, for an overdue issue (calendar days). */
  daysOverdue: number | null;
}

function view(row: IssueListRow, date: string): IssueView {
  const created = row.createdAt.slice(0, 10);
  return {
    ...row,
    overdue: row.overdue === 1,
    ageDays: Math.max(0, daysBetween(created, date)),
    daysOverdue: row.overdue === 1 && row.dueBy ? daysBetween(row.dueBy, date) : null,
  };
}

/** Tickets open in the CRM for more than `staleAfterDays` on `date`, with their age in days. */
export function staleComplaintsOn(db: Db, date: string, staleAfterDays: number): (StaleComplaintRow & { days: number })[] {
  return staleComplaints(db, date, addDays(date, -staleAfterDays)).map((row) => ({ ...row, days: daysBetween(row.openedAt.slice(0, 10), date) }));
}

export function issuesOn(db: Db, filter: IssueFilter): IssueView[] {
  return listIssues(db, filter).map((row) => view(row, filter.date));
}

export function overdueIssues(db: Db, date: string): number {
  return countOverdue(db, date);
}

function existing(db: Db, id: number, date: string): IssueListRow {
  const issue = issueById(db, id, date);
  if (!issue) throw new UserError('issues.unknown', { id });
  return issue;
}

/** Hands an issue to a department (any time before it is closed). */
export function assign(db: Db, id: number, department: string, date: string): IssueView {
  return db.transaction(() => {
    const issue = existing(db, id, date);
    if (issue.status === 'closed') throw new UserError('issues.closedAlready', { id });
    assignIssue(db, id, department);
    return view(existing(db, id, date), date);
  }).immediate();
}

/**
 * The department fixed it: the issue is resolved and its customer is due a confirmation call,
 * which the next `followup plan` lists (scenario confirmation).
 */
export function resolve(db: Db, id: number, note: string, at: string, date: string): IssueView {
  return db.transaction(() => {
    const issue = existing(db, id, date);
    if (issue.status !== 'open') throw new UserError('issues.notOpen', { id, status: issue.status });
    resolveIssue(db, id, note, at);
    return view(existing(db, id, date), date);
  }).immediate();
}
