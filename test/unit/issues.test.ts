// The closed loop (闭环): an issue raised on a call is resolved, the next plan lists a confirmation
// call, and that call closes the issue — or reopens it when the customer says it is not fixed.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { UserError } from '../../src/core/errors.js';
import { callSession, confirmationResult, recordWholeCall } from '../../src/domain/call.js';
import { assign, issuesOn, overdueIssues, resolve } from '../../src/domain/issues.js';
import { planCallList, planContext, reasonsOf } from '../../src/domain/plan.js';
import { setLang } from '../../src/messages/index.js';
import type { Db } from '../../src/storage/db.js';
import { historyDatabase } from '../support/db.js';

let db: Db;
let config: Config;
const clock = () => new Date(2026, 10, 23, 10, 30, 0);
const plan = (date: string) => planCallList(db, config, { date, agents: ['小王'], now: clock });
const session = (date: string) => callSession(db, config, 'en', '小王', date, clock);
const statusOf = (id: number) => db.prepare(`SELECT status, reopened, closed_at AS closedAt FROM issues WHERE id = ?`).get(id);

beforeEach(() => {
  setLang('en');
  db = historyDatabase();
  db.prepare(`INSERT INTO customers (id, name, phone, tier, import_id) VALUES ('A', '张三', '+8613800138000', '普通会员', 1)`).run();
  db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, import_id) VALUES ('O1', 'A', '2026-06-01', 10000, 1), ('O2', 'A', '2026-11-10', 10000, 1)`).run();
  config = defaultConfig('en');
  // Monday 23 November: an after-sale call on which the customer raises a logistics problem (P1: 3 working days).
  plan('2026-11-23');
  recordWholeCall(session('2026-11-23'), {
    outcome: 'completed',
    answers: { satisfaction: 2 },
    issues: [{ level1: 'logistics', level2: 'late-delivery', priority: 'P1', words: '快递晚了三天' }],
  });
});

describe('the closed loop', () => {
  it('lists the issue as open, then overdue once its promised deadline has passed', () => {
    expect(issuesOn(db, { status: 'open', date: '2026-11-26' })).toMatchObject([{ id: 1, dueBy: '2026-11-26', overdue: false, ageDays: 3 }]);
    expect(overdueIssues(db, '2026-11-26')).toBe(0);
    expect(issuesOn(db, { status: 'overdue', date: '2026-11-27' })).toMatchObject([{ id: 1, overdue: true, daysOverdue: 1 }]);
    expect(plan('2026-11-27').overdueIssues).toBe(1);
  });

  it('assigns to a department, and a department filter finds it', () => {
    assign(db, 1, '物流部', '2026-11-24');
    expect(issuesOn(db, { status: 'all', department: '物流部', date: '2026-11-24' })).toHaveLength(1);
    expect(issuesOn(db, { status: 'all', department: 'Logistics', date: '2026-11-24' })).toHaveLength(0);
  });

  it('resolving plans a confirmation call; the customer confirming the fix closes the issue', () => {
    resolve(db, 1, '已补发', '2026-11-24T16:00:00', '2026-11-24');
    expect(() => resolve(db, 1, 'again', '2026-11-24T16:00:00', '2026-11-24')).toThrow(/Issue #1 is resolved, not open/);
    // The contact interval does not hold a confirmation back (it is exempt) and the earlier call does not count as one.
    const item = plan('2026-11-25').items.find((i) => i.customerId === 'A');
    expect(item).toMatchObject({ scenario: 'confirmation', dueBy: '2026-11-27' });
    expect(item?.reason).toMatch(/issue #1 \(logistics: "快递晚了三天"\) was resolved on 2026-11-24/);
    const recorded = recordWholeCall(session('2026-11-25'), { outcome: 'completed', answers: { satisfaction: 5, fixed: true } });
    expect(recorded.followUp.issue).toEqual({ id: 1, result: 'confirmed' });
    expect(statusOf(1)).toEqual({ status: 'closed', reopened: 0, closedAt: '2026-11-25T10:30:00' });
    expect(plan('2026-11-26').items.find((i) => i.customerId === 'A')).toBeUndefined();
  });

  it('a customer who says it is not fixed reopens it, past its deadline', () => {
    resolve(db, 1, '已补发', '2026-11-24T16:00:00', '2026-11-24');
    plan('2026-11-27');
    const recorded = recordWholeCall(session('2026-11-27'), { outcome: 'completed', answers: { satisfaction: 2, fixed: false, 'still-wrong': '还是没收到' } });
    expect(recorded.followUp.issue).toEqual({ id: 1, result: 'reopened' });
    expect(statusOf(1)).toMatchObject({ status: 'open', reopened: 1 });
    expect(issuesOn(db, { status: 'overdue', date: '2026-11-27' })).toHaveLength(1);
    // Open again: no confirmation reason until it is resolved again.
    expect(reasonsOf(planContext(db, config, '2026-11-30'), 'A').reasons.some((r) => r.scenario === 'confirmation')).toBe(false);
  });

  it('an unanswered confirmation call leaves the issue resolved and the confirmation due', () => {
    resolve(db, 1, '已补发', '2026-11-24T16:00:00', '2026-11-24');
    plan('2026-11-25');
    recordWholeCall(session('2026-11-25'), { outcome: 'no-answer' });
    expect(statusOf(1)).toMatchObject({ status: 'resolved' });
    expect(plan('2026-11-26').items.find((i) => i.customerId === 'A')?.scenario).toBe('confirmation');
  });

  it('reads the fix from "fixed", else from satisfaction', () => {
    expect(confirmationResult(new Map([['fixed', true], ['satisfaction', 1]]))).toBe('confirmed');
    expect(confirmationResult(new Map([['fixed', false], ['satisfaction', 5]]))).toBe('reopened');
    expect(confirmationResult(new Map<string, unknown>([['fixed', null], ['satisfaction', 4]]))).toBe('confirmed');
    expect(confirmationResult(new Map([['satisfaction', 3]]))).toBe('reopened');
  });

  it('refuses unknown issues and closed ones', () => {
    expect(() => resolve(db, 9, 'x', '2026-11-24T16:00:00', '2026-11-24')).toThrow(UserError);
    expect(() => assign(db, 9, 'x', '2026-11-24')).toThrow(/There is no issue #9/);
  });
});

describe('issues as they stood on a day', () => {
  it('shows an issue resolved after D as open on D, and none raised after D', () => {
    resolve(db, 1, '已补发', '2026-11-25T16:00:00', '2026-11-25');
    expect(issuesOn(db, { status: 'all', date: '2026-11-22' })).toEqual([]);
    expect(issuesOn(db, { status: 'open', date: '2026-11-24' })).toMatchObject([{ id: 1, status: 'open', resolvedAt: null, resolution: null }]);
    expect(issuesOn(db, { status: 'resolved', date: '2026-11-24' })).toEqual([]);
    expect(issuesOn(db, { status: 'resolved', date: '2026-11-25' })).toMatchObject([{ id: 1, status: 'resolved', resolution: '已补发' }]);
    // Resolved on 11-25, before its deadline (11-26): never overdue.
    expect(issuesOn(db, { status: 'overdue', date: '2026-11-27' })).toEqual([]);
  });
});
