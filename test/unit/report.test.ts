// The monthly review on a hand-made October and November 2026: every figure worked out by hand in
// the comments, then asserted exactly on the report object (what --format json prints).
import { beforeEach, describe, expect, it } from 'vitest';
import { isMonth, monthRange, monthReport, previousMonth, type Figures, type Report } from '../../src/domain/report.js';
import { toCsv, toHtml, toMarkdown, toText } from '../../src/report/formats.js';
import { reportTables } from '../../src/report/tables.js';
import { setLang } from '../../src/messages/index.js';
import type { Db } from '../../src/storage/db.js';
import { historyDatabase } from '../support/db.js';

let db: Db;

function customer(id: string) {
  db.prepare(`INSERT INTO customers (id, name, phone, tier, import_id) VALUES (?, ?, '+8613800138000', '普通会员', 1)`).run(id, `客户${id}`);
}
let orderSeq = 0;
function order(customerId: string, at: string) {
  db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, import_id) VALUES (?, ?, ?, 10000, 1)`).run(`O${++orderSeq}`, customerId, at);
}
let position = 0;
/** A plan item; segments undefined = NULL (an item planned before segments were kept). */
function item(date: string, customerId: string, scenario: string, agent: string, status: string, segments?: string[], rolledFrom: string | null = null): number {
  // The day's list was made (followup plan ran): its items are on a list agents could see.
  db.prepare(`INSERT OR IGNORE INTO plan_runs (plan_date, planned_at) VALUES (?, ?)`).run(date, `${date}T08:00:00`);
  return Number(
    db
      .prepare(
        `INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, status, rolled_from, segments, created_at, updated_at)
         VALUES (?, ?, ?, 0, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
      )
      .run(date, customerId, scenario, date, agent, ++position, status, rolledFrom, segments === undefined ? null : JSON.stringify(segments), `${date}T08:00:00`, `${date}T08:00:00`)
      .lastInsertRowid,
  );
}
/** Where the next calls come from: the call screen measures their duration, files and sheets do not. */
let callSource = 'screen';
/** A call from an item; the agent, customer and scenario are the item's. ended null = in progress. */
function call(itemId: number, startedAt: string, endedAt: string | null, outcome: string | null, answers: Record<string, number | null> = {}): number {
  const it = db.prepare(`SELECT customer_id AS customerId, agent, scenario, plan_date AS planDate FROM plan_items WHERE id = ?`).get(itemId) as {
    customerId: string;
    agent: string;
    scenario: string;
    planDate: string;
  };
  const id = Number(
    db
      .prepare(
        `INSERT INTO calls (plan_item_id, customer_id, agent, scenario, plan_date, started_at, ended_at, outcome, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(itemId, it.customerId, it.agent, it.scenario, it.planDate, startedAt, endedAt, outcome, callSource).lastInsertRowid,
  );
  let n = 0;
  for (const [question, value] of Object.entries(answers)) {
    db.prepare(`INSERT INTO call_answers (call_id, question_id, position, value, answered_at) VALUES (?, ?, ?, ?, ?)`).run(
      id,
      question,
      ++n,
      value === null ? null : JSON.stringify(value),
      startedAt,
    );
  }
  return id;
}
interface IssueSpec {
  call: number | null;
  customer: string;
  l1: string;
  l2: string | null;
  priority: 'P0' | 'P1' | 'P2';
  feedback: 'praise' | 'suggestion' | 'complaint' | null;
  created: string;
  due: string;
  status?: 'open' | 'resolved' | 'closed';
  resolved?: string;
}
function issue(s: IssueSpec): number {
  return Number(
    db
      .prepare(
        `INSERT INTO issues (call_id, customer_id, level1, level2, priority, words, feedback_type, due_by, status, resolved_at, closed_at, created_at)
         VALUES (?, ?, ?, ?, ?, '原话', ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.call, s.customer, s.l1, s.l2, s.priority, s.feedback, s.due, s.status ?? 'open', s.resolved ?? null, s.status === 'closed' ? s.resolved : null, s.created)
      .lastInsertRowid,
  );
}

beforeEach(() => {
  setLang('en');
  db = historyDatabase();
  orderSeq = 0;
  position = 0;
});

/**
 * October and November 2026. Agents 小王 and 小李; customers A…J.
 *
 * October (the month before):
 *   items  o1 10-10 A after-sale 小王 done [vip] · o2 10-12 B churn-warning 小李 done [churn-risk]
 *          o3 10-20 C survey 小李 pending [ordinary] (listed again only in November: counts in October)
 *   calls  oc1 o1 10-10 10:00–10:05 completed, satisfaction 4, nps 9 (300 s)
 *          oc2 o2 10-12 no-answer · oc3 o2 10-13 09:00–09:10 completed, satisfaction 2, nps 5 (600 s)
 *   issues oi1 oc1 A product-quality/defect P1 complaint, due 10-14, resolved 10-13 (closed)
 *          oi2 oc3 B logistics/late-delivery P2 suggestion, due 10-31, resolved 11-05 (late, after October)
 *          oi4 oc3 B after-sales/repair P1 complaint, due 11-02, still open
 *
 * November (the report's month), report made on 2026-11-30 (the month's last day, so "in progress"):
 *   items  n1 11-02 A after-sale 小王 done [vip,new]   n2 11-02 D complaint-open 小王 done [complaint]
 *          n3 11-03 E churn-warning 小李 pending [churn-risk] → carried to n4 11-04 (done): counts once
 *          n5 11-05 F usage-check 小李 done [ordinary]  n6 11-05 G survey 小王 done []
 *          n7 11-10 H first-experience 小李 closed [new]  n8 11-20 C survey 小王 claimed [ordinary]
 *          n9 11-12 B churn-warning 小李 done [churn-risk,vip]  n10 11-15 I vip-care 小王 closed [vip]
 *          n11 11-16 J after-sale 小王 done (segments NULL)
 *     planned = n1 n2 n4 n5 n6 n7 n8 n9 n10 n11 = 10
 *   calls (outcome · satisfaction · nps · seconds)
 *          c1  n1  小王 completed     5  10  240
 *          c2  n2  小王 no-answer
 *          c3  n2  小王 busy
 *          c4  n2  小王 completed     2   3  600
 *          c5  n4  小李 callback      (a satisfaction 1 saved before the customer asked to be called back: not counted)
 *          c6  n4  小李 completed  null   8  360   (declined the satisfaction question)
 *          c7  n5  小李 completed     4   9  300
 *          c8  n6  小王 refused
 *          c9  n7  小李 wrong-number
 *          c10 n9  小李 completed     4 null 480   (declined the nps question)
 *          c11 n10 小王 do-not-call
 *          c12 n8  小王 in progress (no outcome): not counted
 *          c13 n11 小王 completed     3   7  200
 *   issues (call · customer · category · priority · feedback · due · resolved)
 *          i1 c1  A product-quality/defect        P1 complaint  11-05 resolved 11-04 closed  repeat of oi1
 *          i2 c4  D logistics/late-delivery       P0 complaint  11-04 resolved 11-06 (late)
 *          i3 c4  D logistics/damaged             P1 complaint  11-06 open → overdue
 *          i4 c6  E service-experience/attitude   P2 suggestion 12-02 open (due next month)
 *          i5 c7  F product-quality/defect        P1 praise     11-10 resolved 11-10 (on time, same day)
 *          i6 c10 B logistics/late-delivery       P2 suggestion 11-26 open → overdue; repeat of oi2
 *          i7 c13 J product-quality/defect        P1 (none)     11-30 open: due today, not decided yet
 *          i8 c13 J price-fees/too-expensive      P2 complaint  11-20 resolved 11-20 closed (on time)
 *          i9 no call A other/other               P2 suggestion 12-05 open
 */
function twoMonths() {
  for (const id of 'ABCDEFGHIJ') customer(id);
  order('A', '2026-09-30');
  order('J', '2026-11-05T12:00:00');

  const o1 = item('2026-10-10', 'A', 'after-sale', '小王', 'done', ['vip']);
  const o2 = item('2026-10-12', 'B', 'churn-warning', '小李', 'done', ['churn-risk']);
  item('2026-10-20', 'C', 'survey', '小李', 'pending', ['ordinary']);
  const oc1 = call(o1, '2026-10-10T10:00:00', '2026-10-10T10:05:00', 'completed', { satisfaction: 4, nps: 9 });
  call(o2, '2026-10-12T09:00:00', '2026-10-12T09:00:40', 'no-answer');
  const oc3 = call(o2, '2026-10-13T09:00:00', '2026-10-13T09:10:00', 'completed', { satisfaction: 2, nps: 5 });
  issue({ call: oc1, customer: 'A', l1: 'product-quality', l2: 'defect', priority: 'P1', feedback: 'complaint', created: '2026-10-10T10:04:00', due: '2026-10-14', status: 'closed', resolved: '2026-10-13T15:00:00' });
  issue({ call: oc3, customer: 'B', l1: 'logistics', l2: 'late-delivery', priority: 'P2', feedback: 'suggestion', created: '2026-10-13T09:08:00', due: '2026-10-31', status: 'resolved', resolved: '2026-11-05T11:00:00' });
  issue({ call: oc3, customer: 'B', l1: 'after-sales', l2: 'repair', priority: 'P1', feedback: 'complaint', created: '2026-10-13T09:09:00', due: '2026-11-02' });

  const n1 = item('2026-11-02', 'A', 'after-sale', '小王', 'done', ['vip', 'new']);
  const n2 = item('2026-11-02', 'D', 'complaint-open', '小王', 'done', ['complaint']);
  item('2026-11-03', 'E', 'churn-warning', '小李', 'pending', ['churn-risk']);
  const n4 = item('2026-11-04', 'E', 'churn-warning', '小李', 'done', ['churn-risk'], '2026-11-03');
  const n5 = item('2026-11-05', 'F', 'usage-check', '小李', 'done', ['ordinary']);
  const n6 = item('2026-11-05', 'G', 'survey', '小王', 'done', []);
  const n7 = item('2026-11-10', 'H', 'first-experience', '小李', 'closed', ['new']);
  const n8 = item('2026-11-20', 'C', 'survey', '小王', 'claimed', ['ordinary']);
  const n9 = item('2026-11-12', 'B', 'churn-warning', '小李', 'done', ['churn-risk', 'vip']);
  const n10 = item('2026-11-15', 'I', 'vip-care', '小王', 'closed', ['vip']);
  const n11 = item('2026-11-16', 'J', 'after-sale', '小王', 'done');

  const c1 = call(n1, '2026-11-02T10:00:00', '2026-11-02T10:04:00', 'completed', { satisfaction: 5, nps: 10 });
  call(n2, '2026-11-02T11:00:00', '2026-11-02T11:00:30', 'no-answer');
  call(n2, '2026-11-02T15:00:00', '2026-11-02T15:02:00', 'busy');
  const c4 = call(n2, '2026-11-03T09:00:00', '2026-11-03T09:10:00', 'completed', { satisfaction: 2, nps: 3 });
  call(n4, '2026-11-04T10:00:00', '2026-11-04T10:01:00', 'callback', { satisfaction: 1 });
  const c6 = call(n4, '2026-11-04T16:00:00', '2026-11-04T16:06:00', 'completed', { satisfaction: null, nps: 8 });
  const c7 = call(n5, '2026-11-05T10:00:00', '2026-11-05T10:05:00', 'completed', { satisfaction: 4, nps: 9 });
  call(n6, '2026-11-05T14:00:00', '2026-11-05T14:01:00', 'refused');
  call(n7, '2026-11-10T10:00:00', '2026-11-10T10:00:20', 'wrong-number');
  const c10 = call(n9, '2026-11-12T10:00:00', '2026-11-12T10:08:00', 'completed', { satisfaction: 4, nps: null });
  call(n10, '2026-11-15T10:00:00', '2026-11-15T10:00:40', 'do-not-call');
  call(n8, '2026-11-20T10:00:00', null, null, { satisfaction: 5 });
  const c13 = call(n11, '2026-11-16T10:00:00', '2026-11-16T10:03:20', 'completed', { satisfaction: 3, nps: 7 });

  issue({ call: c1, customer: 'A', l1: 'product-quality', l2: 'defect', priority: 'P1', feedback: 'complaint', created: '2026-11-02T10:03:00', due: '2026-11-05', status: 'closed', resolved: '2026-11-04T15:00:00' });
  issue({ call: c4, customer: 'D', l1: 'logistics', l2: 'late-delivery', priority: 'P0', feedback: 'complaint', created: '2026-11-03T09:05:00', due: '2026-11-04', status: 'resolved', resolved: '2026-11-06T10:00:00' });
  issue({ call: c4, customer: 'D', l1: 'logistics', l2: 'damaged', priority: 'P1', feedback: 'complaint', created: '2026-11-03T09:06:00', due: '2026-11-06' });
  issue({ call: c6, customer: 'E', l1: 'service-experience', l2: 'attitude', priority: 'P2', feedback: 'suggestion', created: '2026-11-04T16:05:00', due: '2026-12-02' });
  issue({ call: c7, customer: 'F', l1: 'product-quality', l2: 'defect', priority: 'P1', feedback: 'praise', created: '2026-11-05T10:04:00', due: '2026-11-10', status: 'resolved', resolved: '2026-11-10T17:00:00' });
  issue({ call: c10, customer: 'B', l1: 'logistics', l2: 'late-delivery', priority: 'P2', feedback: 'suggestion', created: '2026-11-12T10:07:00', due: '2026-11-26' });
  issue({ call: c13, customer: 'J', l1: 'product-quality', l2: 'defect', priority: 'P1', feedback: null, created: '2026-11-16T10:02:00', due: '2026-11-30' });
  issue({ call: c13, customer: 'J', l1: 'price-fees', l2: 'too-expensive', priority: 'P2', feedback: 'complaint', created: '2026-11-16T10:03:00', due: '2026-11-20', status: 'closed', resolved: '2026-11-20T09:00:00' });
  issue({ call: null, customer: 'A', l1: 'other', l2: 'other', priority: 'P2', feedback: 'suggestion', created: '2026-11-20T12:00:00', due: '2026-12-05' });
}

/** The report as --format json prints it (undefined would vanish, null stays). */
const json = (r: unknown) => JSON.parse(JSON.stringify(r)) as Report;

const zeroLevel1 = { 'product-function': 0, 'product-quality': 0, 'service-experience': 0, logistics: 0, 'after-sales': 0, 'price-fees': 0, other: 0 };
const zeroPriority = { P0: 0, P1: 0, P2: 0 };
const zeroFeedback = { praise: 0, suggestion: 0, complaint: 0 };

describe('monthReport: November 2026 worked out by hand', () => {
  let r: Report;
  beforeEach(() => {
    twoMonths();
    r = json(monthReport(db, '2026-11', '2026-11-30'));
  });

  it('counts planned, attempted, reached and completed calls, coverage and contact rate', () => {
    expect(r.month).toBe('2026-11');
    expect(r.asOf).toBe('2026-11-30');
    // planned: 10 (n3 was carried to n4 while pending: once). attempted: 12 with an outcome (c12 is
    // in progress). reached: 6 completed + callback + refused + do-not-call = 9 (not no-answer, busy,
    // wrong-number). completed: c1 c4 c6 c7 c10 c13 = 6.
    expect(r.calls).toEqual({ planned: 10, attempted: 12, reached: 9, completed: 6 });
    expect(r.coverage).toBe(0.6); // 6 / 10
    expect(r.contactRate).toBe(0.75); // 9 / 12
    expect(r.averageAttempts).toBe(2); // 12 / 6
    // (240 + 600 + 360 + 300 + 480 + 200) / 6 = 363.33
    expect(r.averageDurationSeconds).toBe(363);
    expect(r.durationCalls).toBe(6);
  });

  it('satisfaction and NPS of completed calls only, declined answers left out', () => {
    // Completed calls' satisfaction: 5, 2, (declined), 4, 4, 3 → 5 answers, mean 18 / 5 = 3.6,
    // satisfied (4–5): 3 / 5 = 0.6, below the 85% mark. c5's 1 (callback) and c12's 5 (in progress) are not counted.
    expect(r.satisfaction).toEqual({ responses: 5, mean: 3.6, satisfiedShare: 0.6, meetsMark: false });
    expect(r.satisfactionDistribution).toEqual({ '1': 0, '2': 1, '3': 1, '4': 2, '5': 1 });
    // NPS: 10, 3, 8, 9, (declined), 7 → 5 answers; promoters 10, 9 = 2; passives 8, 7 = 2; detractors 3 = 1;
    // score (2 − 1) / 5 × 100 = 20.
    expect(r.nps).toEqual({ responses: 5, score: 20, promoters: 2, passives: 2, detractors: 1 });
  });

  it('issues by category, priority and feedback type, and the most frequent problems', () => {
    const i = r.issues;
    expect(i.total).toBe(9);
    expect(i.byLevel1).toEqual({ ...zeroLevel1, 'product-quality': 3, 'service-experience': 1, logistics: 3, 'price-fees': 1, other: 1 });
    expect(i.byPriority).toEqual({ P0: 1, P1: 4, P2: 4 });
    // i7 has no feedback type: in the total only.
    expect(i.byFeedbackType).toEqual({ praise: 1, suggestion: 3, complaint: 4 });
    // By count, then category: 3/9, 2/9, then the ones in order of their level 1.
    const expected = [
      { level1: 'product-quality', level2: 'defect', count: 3, share: 0.3333 },
      { level1: 'logistics', level2: 'late-delivery', count: 2, share: 0.2222 },
      { level1: 'logistics', level2: 'damaged', count: 1, share: 0.1111 },
      { level1: 'other', level2: 'other', count: 1, share: 0.1111 },
      { level1: 'price-fees', level2: 'too-expensive', count: 1, share: 0.1111 },
      { level1: 'service-experience', level2: 'attitude', count: 1, share: 0.1111 },
    ];
    expect(i.byLevel2).toEqual(expected);
    expect(i.top).toEqual(expected);
  });

  it('repeat, resolution and on-time rates and overdue issues, as of the report day', () => {
    const i = r.issues;
    // Repeats: i1 (A had product-quality/defect in October), i6 (B had logistics/late-delivery) → 2 / 9.
    expect(i.repeatRate).toBe(0.2222);
    // Resolved by the month's end: i1 i2 i5 i8 → 4 / 9.
    expect(i.resolutionRate).toBe(0.4444);
    // Due in November and decided on the 30th: i1 i2 i3 i5 i6 i8 and October's oi4 (due 11-02, open);
    // i7 is due on the 30th itself and still open: not late yet, left out → 7.
    // Kept: i1 (11-04 ≤ 11-05), i5 (same day), i8 (same day) → 3 / 7 = 0.428571.
    expect(i.due).toBe(7);
    expect(i.onTimeRate).toBe(0.4286);
    // Overdue on the 30th: i3 (11-06), i6 (11-26), oi4 (11-02). oi2 was resolved on 11-05; i7 is due today.
    expect(i.overdue).toBe(3);
  });

  it('once the month is over, every deadline of it is decided', () => {
    const after = json(monthReport(db, '2026-11', '2026-12-01'));
    expect(after.asOf).toBe('2026-11-30');
    // i7 (due 11-30, open) is now late: due 8, kept 3, overdue 4.
    expect(after.issues).toMatchObject({ due: 8, onTimeRate: 0.375, overdue: 4 });
    // Everything else is the same.
    expect(after.calls).toEqual(r.calls);
    expect(after.issues.resolutionRate).toBe(0.4444);
  });

  it('by agent: every figure of the agent, issues by the call they were raised on', () => {
    // 小王: items n1 n2 n6 n8 n10 n11 = 6; calls c1 c2 c3 c4 c8 c11 c13 = 7; reached c1 c4 c8 c11 c13 = 5;
    // completed c1 c4 c13 = 3. Satisfaction 5, 2, 3 → mean 3.33, 1 / 3 satisfied. NPS 10, 3, 7 → 1 − 1 → 0.
    // Durations 240, 600, 200 → 346.67. Issues i1 i2 i3 (c1, c4), i7 i8 (c13) = 5: repeat i1 (1 / 5),
    // resolved i1 i2 i8 (3 / 5); due and decided i1 i2 i3 i8 (i7 not yet), kept i1 i8 (2 / 4); overdue i3.
    expect(r.byAgent['小王']).toEqual({
      calls: { planned: 6, attempted: 7, reached: 5, completed: 3 },
      coverage: 0.5,
      contactRate: 0.7143,
      satisfaction: { responses: 3, mean: 3.33, satisfiedShare: 0.3333, meetsMark: false },
      nps: { responses: 3, score: 0, promoters: 1, passives: 1, detractors: 1 },
      issues: {
        total: 5,
        byLevel1: { ...zeroLevel1, 'product-quality': 2, logistics: 2, 'price-fees': 1 },
        byPriority: { P0: 1, P1: 3, P2: 1 },
        byFeedbackType: { praise: 0, suggestion: 0, complaint: 4 },
        repeatRate: 0.2,
        resolutionRate: 0.6,
        due: 4,
        onTimeRate: 0.5,
        overdue: 1,
      },
      averageAttempts: 2.33,
      averageDurationSeconds: 347,
      durationCalls: expect.any(Number),
    } satisfies Figures);
    // 小李: items n4 n5 n7 n9 = 4 (n3 carried, once); calls c5 c6 c7 c9 c10 = 5; reached c5 c6 c7 c10 = 4;
    // completed c6 c7 c10 = 3. Satisfaction (declined), 4, 4 → 2 answers, mean 4, all satisfied: meets the mark.
    // NPS 8, 9, (declined) → (1 − 0) / 2 = 50. Durations 360, 300, 480 → 380. Issues raised: i4 i5 i6 = 3;
    // repeat i6; resolved i5; due and decided i5, i6 and October's oi4 (raised on 小李's call oc3) → kept i5,
    // 1 / 3; overdue i6 and oi4.
    expect(r.byAgent['小李']).toEqual({
      calls: { planned: 4, attempted: 5, reached: 4, completed: 3 },
      coverage: 0.75,
      contactRate: 0.8,
      satisfaction: { responses: 2, mean: 4, satisfiedShare: 1, meetsMark: true },
      nps: { responses: 2, score: 50, promoters: 1, passives: 1, detractors: 0 },
      issues: {
        total: 3,
        byLevel1: { ...zeroLevel1, 'service-experience': 1, 'product-quality': 1, logistics: 1 },
        byPriority: { P0: 0, P1: 1, P2: 2 },
        byFeedbackType: { praise: 1, suggestion: 2, complaint: 0 },
        repeatRate: 0.3333,
        resolutionRate: 0.3333,
        due: 3,
        onTimeRate: 0.3333,
        overdue: 2,
      },
      averageAttempts: 1.67,
      averageDurationSeconds: 380,
      durationCalls: expect.any(Number),
    } satisfies Figures);
    // i9 was raised without a call: "-", with nothing to divide by for the calls.
    expect(r.byAgent['-']).toEqual({
      calls: { planned: 0, attempted: 0, reached: 0, completed: 0 },
      coverage: null,
      contactRate: null,
      satisfaction: { responses: 0, mean: null, satisfiedShare: null, meetsMark: null },
      nps: { responses: 0, score: null, promoters: 0, passives: 0, detractors: 0 },
      issues: {
        total: 1,
        byLevel1: { ...zeroLevel1, other: 1 },
        byPriority: { P0: 0, P1: 0, P2: 1 },
        byFeedbackType: { praise: 0, suggestion: 1, complaint: 0 },
        repeatRate: 0,
        resolutionRate: 0,
        due: 0,
        onTimeRate: null,
        overdue: 0,
      },
      averageAttempts: null,
      averageDurationSeconds: null,
      durationCalls: 0,
    } satisfies Figures);
    expect(Object.keys(r.byAgent).sort()).toEqual(['-', '小李', '小王']);
  });

  it('by segment: a customer in two segments counts in both; no segments is "-"', () => {
    expect(Object.keys(r.bySegment).sort()).toEqual(['-', 'churn-risk', 'complaint', 'new', 'ordinary', 'vip']);
    const planned = Object.fromEntries(Object.entries(r.bySegment).map(([k, f]) => [k, f.calls.planned]));
    // vip n1 n9 n10; new n1 n7; complaint n2; churn-risk n4 n9 (n3 carried); ordinary n5 n8; none n6 ([]) n11 (NULL).
    expect(planned).toEqual({ '-': 2, 'churn-risk': 2, complaint: 1, new: 2, ordinary: 2, vip: 3 });
    // vip: calls c1 (A), c10 (B), c11 (I, do-not-call) → 3 attempted, 3 reached, 2 completed; satisfaction 5, 4;
    // NPS 10, (declined) → 100; durations 240, 480 → 360. Issues i1 (c1), i6 (c10): both repeats, i1 resolved
    // on time, i6 overdue.
    expect(r.bySegment.vip).toEqual({
      calls: { planned: 3, attempted: 3, reached: 3, completed: 2 },
      coverage: 0.6667,
      contactRate: 1,
      satisfaction: { responses: 2, mean: 4.5, satisfiedShare: 1, meetsMark: true },
      nps: { responses: 1, score: 100, promoters: 1, passives: 0, detractors: 0 },
      issues: {
        total: 2,
        byLevel1: { ...zeroLevel1, 'product-quality': 1, logistics: 1 },
        byPriority: { P0: 0, P1: 1, P2: 1 },
        byFeedbackType: { praise: 0, suggestion: 1, complaint: 1 },
        repeatRate: 1,
        resolutionRate: 0.5,
        due: 2,
        onTimeRate: 0.5,
        overdue: 1,
      },
      averageAttempts: 1.5,
      averageDurationSeconds: 360,
      durationCalls: expect.any(Number),
    } satisfies Figures);
    // No segments: G ([]) refused, J (NULL) completed with satisfaction 3 and NPS 7; issues i7 i8 (c13) and
    // i9 (no call).
    expect(r.bySegment['-']).toMatchObject({
      calls: { planned: 2, attempted: 2, reached: 2, completed: 1 },
      coverage: 0.5,
      satisfaction: { responses: 1, mean: 3, satisfiedShare: 0, meetsMark: false },
      nps: { responses: 1, score: 0, passives: 1 },
      issues: { total: 3, due: 1, onTimeRate: 1, overdue: 0 },
    });
    // churn-risk: E's carried item counts once; calls c5 c6 (E), c10 (B).
    expect(r.bySegment['churn-risk'].calls).toEqual({ planned: 2, attempted: 3, reached: 3, completed: 2 });
  });

  it('by scenario', () => {
    expect(Object.keys(r.byScenario).sort()).toEqual(['-', 'after-sale', 'churn-warning', 'complaint-open', 'first-experience', 'survey', 'usage-check', 'vip-care']);
    // complaint-open: n2, three attempts (no answer, busy, completed with 2 and NPS 3).
    expect(r.byScenario['complaint-open']).toEqual({
      calls: { planned: 1, attempted: 3, reached: 1, completed: 1 },
      coverage: 1,
      contactRate: 0.3333,
      satisfaction: { responses: 1, mean: 2, satisfiedShare: 0, meetsMark: false },
      nps: { responses: 1, score: -100, promoters: 0, passives: 0, detractors: 1 },
      issues: {
        total: 2,
        byLevel1: { ...zeroLevel1, logistics: 2 },
        byPriority: { P0: 1, P1: 1, P2: 0 },
        byFeedbackType: { praise: 0, suggestion: 0, complaint: 2 },
        repeatRate: 0,
        resolutionRate: 0.5,
        due: 2,
        onTimeRate: 0,
        overdue: 1,
      },
      averageAttempts: 3,
      averageDurationSeconds: 600,
      durationCalls: expect.any(Number),
    } satisfies Figures);
    // survey: n6 (refused) and n8 (in progress): nothing completed → coverage 0, but no satisfaction, no
    // attempts per completed call, no duration (null, not 0).
    expect(r.byScenario.survey).toMatchObject({
      calls: { planned: 2, attempted: 1, reached: 1, completed: 0 },
      coverage: 0,
      contactRate: 1,
      satisfaction: { responses: 0, mean: null, satisfiedShare: null, meetsMark: null },
      nps: { responses: 0, score: null },
      averageAttempts: null,
      averageDurationSeconds: null,
      durationCalls: 0,
    });
    // churn-warning: October's oi4 (raised on oc3, a churn-warning call) is due and overdue in November.
    expect(r.byScenario['churn-warning'].issues).toMatchObject({ total: 2, due: 2, onTimeRate: 0, overdue: 2 });
    expect(r.byScenario['first-experience']).toMatchObject({ calls: { planned: 1, attempted: 1, reached: 0, completed: 0 }, contactRate: 0 });
    expect(r.byScenario['vip-care']).toMatchObject({ calls: { planned: 1, attempted: 1, reached: 1, completed: 0 }, contactRate: 1 });
  });

  it('the month before, as it stood when it ended', () => {
    const p = r.previous;
    expect(p.month).toBe('2026-10');
    expect(p.asOf).toBe('2026-10-31');
    // planned o1 o2 o3 = 3 (C's pending item is listed again only in November); oc1 oc2 oc3 → 3 attempted,
    // 2 reached and completed. Satisfaction 4, 2 → mean 3, half satisfied. NPS 9, 5 → 1 − 1 → 0.
    expect(p.calls).toEqual({ planned: 3, attempted: 3, reached: 2, completed: 2 });
    expect(p.coverage).toBe(0.6667);
    expect(p.contactRate).toBe(0.6667);
    expect(p.satisfaction).toEqual({ responses: 2, mean: 3, satisfiedShare: 0.5, meetsMark: false });
    expect(p.nps).toEqual({ responses: 2, score: 0, promoters: 1, passives: 0, detractors: 1 });
    expect(p.averageAttempts).toBe(1.5);
    expect(p.averageDurationSeconds).toBe(450);
    // Issues oi1 oi2 oi4: none a repeat (0, not null); resolved by 10-31 only oi1 (oi2 on 11-05): 1 / 3.
    // Due in October oi1 (kept), oi2 (late) → 1 / 2. Overdue when October ended: oi2 (resolved only on
    // 11-05, so it counts although it is resolved now); oi4 is due in November.
    expect(p.issues).toMatchObject({
      total: 3,
      byLevel1: { ...zeroLevel1, 'product-quality': 1, logistics: 1, 'after-sales': 1 },
      byPriority: { P0: 0, P1: 2, P2: 1 },
      byFeedbackType: { praise: 0, suggestion: 1, complaint: 2 },
      repeatRate: 0,
      resolutionRate: 0.3333,
      due: 2,
      onTimeRate: 0.5,
      overdue: 1,
    });
    expect(Object.keys(p.byAgent).sort()).toEqual(['小李', '小王']);
    expect(p.byAgent['小李'].calls).toEqual({ planned: 2, attempted: 2, reached: 1, completed: 1 });
    expect(p.bySegment.ordinary.calls).toEqual({ planned: 1, attempted: 0, reached: 0, completed: 0 });
    expect(p).not.toHaveProperty('previous');
  });

  it('the trend: the last six months, oldest first', () => {
    expect(r.trend).toEqual([
      { month: '2026-06', completed: 0, satisfactionMean: null, satisfiedShare: null },
      { month: '2026-07', completed: 0, satisfactionMean: null, satisfiedShare: null },
      { month: '2026-08', completed: 0, satisfactionMean: null, satisfiedShare: null },
      { month: '2026-09', completed: 0, satisfactionMean: null, satisfiedShare: null },
      { month: '2026-10', completed: 2, satisfactionMean: 3, satisfiedShare: 0.5 },
      { month: '2026-11', completed: 6, satisfactionMean: 3.6, satisfiedShare: 0.6 },
    ]);
  });

  it('every rate is a fraction between 0 and 1, or null', () => {
    const rates: [string, unknown][] = [];
    const walk = (value: unknown, at: string) => {
      if (value === null || typeof value !== 'object') return;
      for (const [k, v] of Object.entries(value)) {
        if (/Rate$|^coverage$|Share$|^share$/.test(k)) rates.push([`${at}.${k}`, v]);
        walk(v, `${at}.${k}`);
      }
    };
    walk(r, '');
    expect(rates.length).toBeGreaterThan(100);
    for (const [at, v] of rates) expect(v === null || (typeof v === 'number' && v >= 0 && v <= 1), `${at} = ${String(v)}`).toBe(true);
  });
});

describe('monthReport: months with nothing to divide by', () => {
  it('an empty month: every count 0 and every rate null, in the JSON too', () => {
    twoMonths();
    const r = monthReport(db, '2026-01', '2026-01-31');
    const text = JSON.stringify(r);
    const back = JSON.parse(text) as Report;
    expect(back.calls).toEqual({ planned: 0, attempted: 0, reached: 0, completed: 0 });
    expect(back.coverage).toBeNull();
    expect(back.contactRate).toBeNull();
    expect(back.satisfaction).toEqual({ responses: 0, mean: null, satisfiedShare: null, meetsMark: null });
    expect(back.nps).toEqual({ responses: 0, score: null, promoters: 0, passives: 0, detractors: 0 });
    expect(back.averageAttempts).toBeNull();
    expect(back.averageDurationSeconds).toBeNull();
    expect(back.issues).toEqual({
      total: 0,
      byLevel1: zeroLevel1,
      byPriority: zeroPriority,
      byFeedbackType: zeroFeedback,
      repeatRate: null,
      resolutionRate: null,
      due: 0,
      onTimeRate: null,
      overdue: 0,
      byLevel2: [],
      top: [],
    });
    expect(back.byAgent).toEqual({});
    expect(back.bySegment).toEqual({});
    expect(back.byScenario).toEqual({});
    expect(back.previous.month).toBe('2025-12');
    expect(back.previous.coverage).toBeNull();
    expect(back.trend.map((x) => x.month)).toEqual(['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01']);
    expect(back.trend.every((x) => x.completed === 0 && x.satisfactionMean === null && x.satisfiedShare === null)).toBe(true);
    // Written out as null, never left out and never 0.
    expect(text).toContain('"coverage":null,"contactRate":null');
    expect(text).toContain('"satisfaction":{"responses":0,"mean":null,"satisfiedShare":null,"meetsMark":null}');
    expect(text).toContain('"repeatRate":null,"resolutionRate":null,"due":0,"onTimeRate":null,"overdue":0');
  });

  it('an empty database renders in every text format', () => {
    const r = monthReport(db, '2026-01', '2026-01-31');
    expect(toText(r)).toContain('No satisfaction answers this month.');
    expect(toMarkdown(r)).toContain('| Coverage | – | – | – |');
    expect(toCsv(r).startsWith('\uFEFF')).toBe(true);
    expect(toHtml(r, 'en')).toContain('id="chart-trend"');
  });

  it('calls but no satisfaction answers: satisfaction and NPS are null, the calls are counted', () => {
    customer('A');
    customer('B');
    const a = item('2026-09-07', 'A', 'after-sale', '小王', 'done', ['new']);
    const b = item('2026-09-08', 'B', 'survey', '小王', 'done', ['ordinary']);
    call(a, '2026-09-07T10:00:00', '2026-09-07T10:02:00', 'completed'); // no answers saved at all
    call(b, '2026-09-08T10:00:00', '2026-09-08T10:03:00', 'completed', { satisfaction: null, nps: null }); // both declined
    const r = json(monthReport(db, '2026-09', '2026-09-30'));
    expect(r.calls).toEqual({ planned: 2, attempted: 2, reached: 2, completed: 2 });
    expect(r.coverage).toBe(1);
    expect(r.satisfaction).toEqual({ responses: 0, mean: null, satisfiedShare: null, meetsMark: null });
    expect(r.nps).toEqual({ responses: 0, score: null, promoters: 0, passives: 0, detractors: 0 });
    expect(r.averageDurationSeconds).toBe(150);
    expect(r.byAgent['小王'].satisfaction).toEqual({ responses: 0, mean: null, satisfiedShare: null, meetsMark: null });
    expect(r.trend[5]).toEqual({ month: '2026-09', completed: 2, satisfactionMean: null, satisfiedShare: null });
    expect(toText(r)).toContain('No satisfaction answers this month.');
  });

  it('average duration is over screen calls only; overflow parked on a day never planned is not planned', () => {
    customer('A');
    customer('B');
    customer('C');
    const a = item('2026-09-07', 'A', 'after-sale', '小王', 'done', []);
    const b = item('2026-09-07', 'B', 'after-sale', '小王', 'done', []);
    call(a, '2026-09-07T10:00:00', '2026-09-07T10:04:00', 'completed', { satisfaction: 5 });
    callSource = 'file'; // recorded from an answers file: its "duration" measures nothing
    call(b, '2026-09-07T10:00:00', '2026-09-07T10:00:01', 'completed', { satisfaction: 4 });
    callSource = 'screen';
    // Parked by the plan of 09-07 on 09-08, which was never planned: on no list an agent saw.
    db.prepare(
      `INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, status, rolled_from, segments, created_at, updated_at)
       VALUES ('2026-09-08', 'C', 'after-sale', 0, '2026-09-08', NULL, 1, '[]', 'pending', '2026-09-07', '[]', '2026-09-07T08:00:00', '2026-09-07T08:00:00')`,
    ).run();
    const r = monthReport(db, '2026-09', '2026-09-30');
    expect(r.averageDurationSeconds).toBe(240);
    expect(r.durationCalls).toBe(1);
    expect(r.calls.planned).toBe(2);
    expect(r.coverage).toBe(1);
    const text = toText(json(r));
    expect(text).toMatch(/Average call \(m:ss; measured calls: 1\) +4:00/);
  });

  it('calls on the month boundary belong to the month they started in', () => {
    customer('A');
    customer('B');
    const a = item('2026-10-31', 'A', 'after-sale', '小王', 'done', []);
    const b = item('2026-11-01', 'B', 'after-sale', '小王', 'done', []);
    call(a, '2026-10-31T23:59:59', '2026-11-01T00:01:00', 'completed', { satisfaction: 5 });
    call(b, '2026-11-01T00:00:00', '2026-11-01T00:02:00', 'completed', { satisfaction: 1 });
    const r = monthReport(db, '2026-11', '2026-11-30');
    expect(r.calls).toEqual({ planned: 1, attempted: 1, reached: 1, completed: 1 });
    expect(r.satisfaction.mean).toBe(1);
    expect(r.previous.calls).toEqual({ planned: 1, attempted: 1, reached: 1, completed: 1 });
    expect(r.previous.satisfaction.mean).toBe(5);
    expect(r.previous.averageDurationSeconds).toBe(61);
  });
});

describe('the action list', () => {
  it('lists the overdue issues, the callbacks nobody made and the figures under their mark', () => {
    twoMonths();
    customer('K');
    customer('L');
    const k = item('2026-11-10', 'K', 'after-sale', '小王', 'done', []);
    const l = item('2026-11-10', 'L', 'after-sale', '小李', 'done', []);
    // K agreed to a callback on the 12th and nobody called; L's callback was made.
    db.prepare(`UPDATE calls SET callback_at = ? WHERE id = ?`).run('2026-11-12T15:00', call(k, '2026-11-10T10:00:00', '2026-11-10T10:02:00', 'callback'));
    db.prepare(`UPDATE calls SET callback_at = ? WHERE id = ?`).run('2026-11-12T10:00', call(l, '2026-11-10T11:00:00', '2026-11-10T11:02:00', 'callback'));
    call(item('2026-11-12', 'L', 'callback', '小李', 'done', []), '2026-11-12T10:05:00', '2026-11-12T10:09:00', 'completed', { satisfaction: 5 });
    const r = monthReport(db, '2026-11', '2026-11-30');
    expect(r.actions.missedCallbacks).toEqual([{ customerId: 'K', name: '客户K', agent: '小王', callbackAt: '2026-11-12T15:00' }]);
    expect(r.actions.overdue).toHaveLength(r.issues.overdue);
    expect(r.actions.overdue.map((i) => i.daysLate)).toEqual([...r.actions.overdue.map((i) => i.daysLate)].sort((a, b) => b - a));
    expect(r.actions.belowTarget.map((b) => b.figure)).toContain('coverage');
    for (const b of r.actions.belowTarget) expect(b.value).toBeLessThan(b.target);
    // As of the 11th, K's callback is not due yet: nothing missed.
    expect(monthReport(db, '2026-11', '2026-11-11').actions.missedCallbacks).toEqual([]);
    const text = toText(r);
    expect(text.indexOf('⚠ To do')).toBeLessThan(text.indexOf('Summary:'));
    expect(text).toContain('⚠ To do: 1 callback agreed and not made');
  });
});

describe('the tables and formats', () => {
  it('the summary compares with the month before; rates change in percentage points', () => {
    twoMonths();
    const r = monthReport(db, '2026-11', '2026-11-30');
    const summary = reportTables(r).find((t) => t.id === 'summary')!;
    const row = (label: string) => summary.rows.find((x) => x[0] === label)!;
    expect(row('Planned')).toEqual(['Planned', { value: 10, kind: 'int' }, { value: 3, kind: 'int' }, { value: 7, kind: 'delta' }]);
    expect(row('Coverage')).toEqual(['Coverage', { value: 0.6, kind: 'rate' }, { value: 0.6667, kind: 'rate' }, { value: -0.0667, kind: 'pp' }]);
    expect(row('Overdue open issues')).toEqual(['Overdue open issues', { value: 3, kind: 'int' }, { value: 1, kind: 'int' }, { value: 2, kind: 'delta' }]);
    const text = toText(r);
    expect(text).toMatch(/Coverage\s+60\.0%\s+66\.7%\s+▼ -6\.7 pp/);
    expect(text).toMatch(/Satisfied customers: 60\.0%, below the 85% mark\. ⚠ 3 issues are past the deadline/);
    // Every table is there, the definitions last, one row per defined figure.
    expect(reportTables(r).map((t) => t.id)).toEqual([
      'actionsOverdue',
      'actionsCallbacks',
      'actionsTargets',
      'summary',
      'issuesByLevel1',
      'issuesByLevel2',
      'issuesByPriority',
      'issuesByFeedbackType',
      'topProblems',
      'satisfaction',
      'byAgent',
      'bySegment',
      'byScenario',
      'issuesByAgent',
      'issuesBySegment',
      'issuesByScenario',
      'trend',
      'definitions',
    ]);
    const definitions = reportTables(r).at(-1)!;
    for (const label of ['Coverage', 'Contact rate', 'Satisfied (4–5)', 'NPS', 'Repeat-problem rate', 'Resolution rate', 'On-time rate', 'Overdue open issues']) {
      expect(definitions.rows.some((x) => x[0] === label && typeof x[1] === 'string' && x[1].length > 10), label).toBe(true);
    }
  });

  it('CSV neutralises formula-looking text and HTML escapes it', () => {
    customer('A');
    const a = item('2026-11-02', 'A', 'after-sale', '=HYPERLINK("http://x")', 'done', []);
    call(a, '2026-11-02T10:00:00', '2026-11-02T10:02:00', 'completed', { satisfaction: 4 });
    const r = monthReport(db, '2026-11', '2026-11-30');
    const csv = toCsv(r);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const html = toHtml(r, 'en');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)');
    expect(html).not.toContain('"http://x"');
  });

  it('labels follow the language', () => {
    twoMonths();
    setLang('zh-CN');
    try {
      const r = monthReport(db, '2026-11', '2026-11-30');
      const text = toText(r);
      expect(text).toContain('回访覆盖率');
      expect(text).toContain('满意率（4–5 分）');
      expect(text).toContain('按客户分层');
      expect(text).toContain('物流配送');
      expect(text).not.toContain('Coverage');
    } finally {
      setLang('en');
    }
  });
});

describe('months', () => {
  it('ranges, the month before across a year, and what a month looks like', () => {
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', until: '2027-01-01' });
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', until: '2026-03-01' });
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11', 5)).toBe('2026-06');
    expect(isMonth('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026/11', 'november', '2026-11-01']) expect(isMonth(bad), bad).toBe(false);
  });
});

describe('month-over-month changes carry their sign', () => {
  it('for every kind of figure', async () => {
    const { formatCell, duration } = await import('../../src/report/tables.js');
    expect(formatCell(0.69, 'deltaMean')).toBe('▲ +0.69');
    expect(formatCell(-0.5, 'deltaMean')).toBe('▼ -0.50');
    expect(formatCell(-90, 'deltaSeconds')).toBe('▼ -1:30');
    expect(formatCell(75, 'deltaSeconds')).toBe('▲ +1:15');
    expect(formatCell(0.215, 'pp')).toBe('▲ +21.5 pp');
    expect(formatCell(3, 'delta')).toBe('▲ +3');
    expect(formatCell(-12.5, 'deltaScore')).toBe('▼ -12.5');
    expect(formatCell(0, 'deltaMean')).toBe('0.00');
    expect(duration(3725)).toBe('1:02:05');
  });
});
