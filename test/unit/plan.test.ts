// The call list's rules on hand-built histories, on fixed dates.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { planCallList, reasonsOf, planContext, type CallList } from '../../src/domain/plan.js';
import { countSegments } from '../../src/domain/segments.js';
import { segmentRulesFrom } from '../../src/domain/plan.js';
import type { Db } from '../../src/storage/db.js';
import { historyDatabase } from '../support/db.js';

let db: Db;
let config: Config;
let orderSeq = 0;

function customer(id: string, extra: Partial<{ tier: string; phone: string | null; dnc: number }> = {}) {
  db.prepare(
    `INSERT INTO customers (id, name, phone, phone_raw, tier, do_not_call, import_id) VALUES (?, ?, ?, ?, ?, ?, 1)`,
  ).run(id, `客户${id}`, extra.phone === undefined ? '+8613800138000' : extra.phone, null, extra.tier ?? '普通会员', extra.dnc ?? 0);
}
function order(customerId: string, at: string, yuan = 100) {
  db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, import_id) VALUES (?, ?, ?, ?, 1)`).run(
    `O${++orderSeq}`,
    customerId,
    at,
    yuan * 100,
  );
}
function complaint(id: string, customerId: string, opened: string, resolved: string | null) {
  db.prepare(`INSERT INTO complaints (id, customer_id, opened_at, resolved_at, import_id) VALUES (?, ?, ?, ?, 1)`).run(id, customerId, opened, resolved);
}
function call(customerId: string, at: string, outcome: string, extra: Partial<{ agent: string; callbackAt: string }> = {}) {
  db.prepare(`INSERT INTO calls (customer_id, agent, scenario, started_at, outcome, callback_at) VALUES (?, ?, 'after-sale', ?, ?, ?)`).run(
    customerId,
    extra.agent ?? '小王',
    at,
    outcome,
    extra.callbackAt ?? null,
  );
}
const plan = (date: string, options: { agents?: string[]; force?: boolean } = {}): CallList =>
  planCallList(db, config, { date, ...options, now: () => new Date('2026-11-23T08:00:00Z') });
const scenarioOf = (list: CallList, id: string) => list.items.find((i) => i.customerId === id)?.scenario;
const reasons = (date: string, id: string) => reasonsOf(planContext(db, config, date), id).reasons;

beforeEach(() => {
  db = historyDatabase();
  config = defaultConfig('en');
  orderSeq = 0;
});

describe('after-sale window (7–15 days after the order)', () => {
  it('is due from day 7 to day 15 and not on day 6 or 16', () => {
    customer('A');
    order('A', '2026-06-01'); // a returning customer: no first-experience call
    order('A', '2026-11-10T10:00:00');
    const due = (date: string) => reasons(date, 'A').find((r) => r.scenario === 'after-sale');
    expect(due('2026-11-16')?.status).toBe('not-yet');
    expect(due('2026-11-16')?.from).toBe('2026-11-17');
    expect(due('2026-11-17')?.status).toBe('due');
    expect(due('2026-11-17')?.dueBy).toBe('2026-11-25');
    expect(due('2026-11-25')?.status).toBe('due');
    expect(due('2026-11-26')?.status).toBe('excluded');
    expect(due('2026-11-26')?.exclusion).toEqual({ code: 'window-passed', until: '2026-11-25' });
    expect(scenarioOf(plan('2026-11-17'), 'A')).toBe('after-sale');
  });
});

describe('complaints', () => {
  it('puts an open complaint first, as urgent, due within 24 hours', () => {
    customer('A');
    customer('B');
    order('A', '2026-11-10');
    complaint('T1', 'B', '2026-11-22T15:00:00', null);
    const list = plan('2026-11-23');
    expect(list.items[0]).toMatchObject({ customerId: 'B', scenario: 'complaint-open', urgent: true, dueBy: '2026-11-23' });
    expect(list.items[1]).toMatchObject({ customerId: 'A', scenario: 'after-sale', urgent: false });
  });

  it('calls back a resolved complaint by the 3rd working day, across the National Day holiday', () => {
    customer('A');
    complaint('T1', 'A', '2026-09-28', '2026-09-30T17:00:00');
    // 10/1–10/7 are off; 10/8 Thu, 10/9 Fri and the make-up Saturday 10/10 are working days.
    const resolved = reasons('2026-10-08', 'A').find((r) => r.scenario === 'complaint-resolved');
    expect(resolved).toMatchObject({ status: 'due', dueBy: '2026-10-10' });
    expect(reasons('2026-10-12', 'A').find((r) => r.scenario === 'complaint-resolved')?.exclusion).toEqual({
      code: 'window-passed',
      until: '2026-10-10',
    });
  });
});

describe('contact rules', () => {
  it('never plans a do-not-call customer, from the CRM or from a call', () => {
    customer('A', { dnc: 1 });
    customer('B');
    order('A', '2026-11-10');
    order('B', '2026-11-10');
    db.prepare(`INSERT INTO customer_flags (customer_id, do_not_call_at) VALUES ('B', '2026-11-01')`).run();
    expect(plan('2026-11-20').items).toEqual([]);
    expect(reasons('2026-11-20', 'A').find((r) => r.scenario === 'after-sale')?.exclusion).toEqual({ code: 'do-not-call' });
  });

  it('skips customers without a phone', () => {
    customer('A', { phone: null });
    order('A', '2026-11-10');
    expect(plan('2026-11-20').items).toEqual([]);
    expect(reasons('2026-11-20', 'A')[0].exclusion).toEqual({ code: 'no-phone' });
  });

  it('keeps one follow-up per customer per 30 days, except for exempt scenarios', () => {
    customer('A');
    customer('B');
    order('A', '2026-11-10');
    call('A', '2026-10-30T10:00:00', 'completed'); // 21 days before 11-20, before the order
    call('B', '2026-10-30T10:00:00', 'completed');
    complaint('T1', 'B', '2026-11-19', null);
    const list = plan('2026-11-20');
    expect(scenarioOf(list, 'A')).toBeUndefined();
    expect(reasons('2026-11-20', 'A').find((r) => r.scenario === 'after-sale')?.exclusion).toEqual({
      code: 'contacted',
      days: 21,
      lastCall: '2026-10-30',
      minDays: 30,
    });
    expect(scenarioOf(list, 'B')).toBe('complaint-open');
  });

  it('does not call about an order already followed up', () => {
    customer('A');
    order('A', '2026-11-10');
    call('A', '2026-11-18T10:00:00', 'completed');
    expect(reasons('2026-11-20', 'A').find((r) => r.scenario === 'after-sale')?.exclusion).toEqual({
      code: 'already-followed-up',
      on: '2026-11-18',
    });
  });

  it('retries unanswered calls up to the maximum attempts', () => {
    customer('A');
    call('A', '2026-11-19T10:00:00', 'no-answer');
    expect(scenarioOf(plan('2026-11-20'), 'A')).toBe('retry');
    call('A', '2026-11-20T10:00:00', 'busy');
    call('A', '2026-11-23T10:00:00', 'no-answer');
    expect(reasons('2026-11-24', 'A').find((r) => r.scenario === 'retry')?.exclusion).toEqual({
      code: 'attempts-exhausted',
      attempts: 3,
      max: 3,
    });
  });

  it('keeps a callback with the agent the customer spoke to', () => {
    customer('A');
    call('A', '2026-11-19T10:00:00', 'callback', { agent: '小李', callbackAt: '2026-11-23T15:00' });
    expect(scenarioOf(plan('2026-11-20'), 'A')).toBeUndefined();
    const list = plan('2026-11-23');
    expect(list.items.find((i) => i.customerId === 'A')).toMatchObject({ scenario: 'callback', agent: '小李' });
  });
});

describe('one item per customer, ranked', () => {
  it('lists a customer once, the most urgent reason first and the others as "also"', () => {
    customer('A');
    order('A', '2026-06-01');
    order('A', '2026-11-10');
    complaint('T1', 'A', '2026-11-19', null);
    const list = plan('2026-11-20');
    expect(list.items).toHaveLength(1);
    expect(list.items[0].scenario).toBe('complaint-open');
    expect(list.items[0].reasons.map((r) => r.scenario)).toEqual(['complaint-open', 'after-sale']);
    expect(list.items[0].reason).toContain('(also: after-sale: order O2 on 2026-11-10, 10 days ago)');
  });

  it('treats a churn-risk VIP as urgent', () => {
    customer('V', { tier: '钻石会员' });
    customer('C');
    order('V', '2026-07-01');
    order('C', '2026-07-01');
    const list = plan('2026-11-20');
    expect(list.items.map((i) => [i.customerId, i.scenario, i.urgent])).toEqual([
      ['V', 'churn-warning', true],
      ['C', 'churn-warning', false],
    ]);
  });
});

describe('capacity', () => {
  beforeEach(() => {
    config = { ...config, agents: [{ name: '小王', capacity: 2 }, { name: '小李', capacity: 1 }] };
    for (const id of ['A', 'B', 'C', 'D', 'E']) {
      customer(id);
      order(id, '2026-05-01');
      order(id, '2026-11-12'); // after-sale, due by 11-27
    }
  });

  it('gives each agent at most their capacity and rolls the rest to the next working day', () => {
    const list = plan('2026-11-20');
    expect(list.items).toHaveLength(3);
    expect(list.agents.map((a) => [a.name, a.assigned])).toEqual([
      ['小王', 2],
      ['小李', 1],
    ]);
    expect(list.rolledOverCount).toBe(2);
    expect(list.rolledTo).toBe('2026-11-23'); // Friday → Monday
    // Not dropped: once Friday's calls are done, they are the first on Monday's list.
    for (const item of list.items) call(item.customerId, '2026-11-20T11:00:00', 'completed');
    db.prepare(`UPDATE plan_items SET status = 'done' WHERE plan_date = '2026-11-20'`).run();
    const monday = plan('2026-11-23');
    expect(monday.items.slice(0, 2).map((i) => i.customerId).sort()).toEqual(list.rolledOver.map((i) => i.customerId).sort());
  });

  it('shares the list only among the agents who are in', () => {
    const list = plan('2026-11-20', { agents: ['小李'] });
    expect(list.items.map((i) => i.agent)).toEqual(['小李']);
  });
});

describe('reproducibility', () => {
  it('gives the same list for the same data and date, and re-planning does not duplicate', () => {
    for (const id of ['A', 'B', 'C']) {
      customer(id);
      order(id, '2026-11-12');
    }
    complaint('T1', 'C', '2026-11-19', null);
    const first = plan('2026-11-20');
    const again = plan('2026-11-20');
    const strip = (l: CallList) => l.items.map(({ customerId, scenario, agent, position, dueBy, reason }) => ({ customerId, scenario, agent, position, dueBy, reason }));
    expect(strip(again)).toEqual(strip(first));
    expect((db.prepare('SELECT count(*) AS n FROM plan_items').get() as { n: number }).n).toBe(3);
  });

  it('leaves the connection as it found it: no working tables, temp tables back on disk', () => {
    customer('A');
    order('A', '2026-11-12');
    expect(db.pragma('temp_store', { simple: true })).toBe(1);
    expect(plan('2026-11-20').items.map((i) => i.customerId)).toEqual(['A']);
    // The plan keeps its working tables in memory while it runs (storage/plans.ts startReasons).
    expect(db.pragma('temp_store', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'table'").pluck().all()).toEqual([]);
  });

  it('keeps claimed and done items as they are on a re-plan', () => {
    customer('A');
    customer('B');
    order('A', '2026-11-12');
    order('B', '2026-11-12');
    plan('2026-11-20');
    db.prepare(`UPDATE plan_items SET status = 'done' WHERE customer_id = 'A'`).run();
    db.prepare(`UPDATE customers SET do_not_call = 1 WHERE id = 'A'`).run();
    db.prepare(`UPDATE customers SET do_not_call = 1 WHERE id = 'B'`).run();
    const list = plan('2026-11-20');
    // A was done before opting out: it stays, done. B was pending: it goes.
    expect(list.items.map((i) => [i.customerId, i.status])).toEqual([['A', 'done']]);
  });
});

describe('working days', () => {
  it('makes no list on a day off unless forced', () => {
    customer('A');
    order('A', '2026-11-12');
    const sunday = plan('2026-11-22');
    expect(sunday).toMatchObject({ workingDay: false, planned: false, items: [] });
    expect(plan('2026-11-22', { force: true }).items).toHaveLength(1);
  });
});

describe('segments', () => {
  it('counts each customer in every segment that applies', () => {
    customer('NEW');
    order('NEW', '2026-11-10');
    customer('VIP', { tier: '金卡会员' });
    order('VIP', '2026-03-01');
    order('VIP', '2026-11-01');
    customer('CHURN');
    order('CHURN', '2026-08-01');
    customer('LOST');
    order('LOST', '2025-06-01');
    customer('POT');
    customer('COMP');
    order('COMP', '2026-10-01');
    complaint('T1', 'COMP', '2026-11-01', '2026-11-05');
    const counts = countSegments(db, segmentRulesFrom(config), '2026-11-20');
    expect(counts).toEqual({ customers: 6, new: 1, vip: 1, 'churn-risk': 1, complaint: 1, ordinary: 0, potential: 1, lost: 1 });
  });

  it('has churn risk from the 90th day without a purchase or contact', () => {
    customer('A');
    order('A', '2026-08-22');
    const rules = segmentRulesFrom(config);
    expect(countSegments(db, rules, '2026-11-19')['churn-risk']).toBe(0); // 89 days
    expect(countSegments(db, rules, '2026-11-20')['churn-risk']).toBe(1); // 90 days
  });
});

describe('orders that are no purchase (refunded, cancelled, closed, unpaid)', () => {
  function voidOrder(customerId: string, at: string, yuan: number, state: string) {
    db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, status, state, counts, import_id) VALUES (?, ?, ?, ?, ?, ?, 0, 1)`).run(
      `V${++orderSeq}`,
      customerId,
      at,
      yuan * 100,
      state,
      state,
    );
  }

  it('trigger no after-sale, usage-check or first-experience call, and count toward no spend or VIP', () => {
    customer('R');
    order('R', '2026-01-05', 100);
    voidOrder('R', '2026-11-12', 30000, 'refunded'); // would be after-sale and usage-check, and VIP by spend
    voidOrder('R', '2026-10-20', 5000, 'cancelled');
    customer('F');
    voidOrder('F', '2026-11-16', 500, 'closed'); // would be a first order 7 days ago
    order('F', '2026-11-18', 80); // the real first purchase: 5 days ago
    const r = reasons('2026-11-23', 'R');
    // The only purchase is January's: its window passed long ago; the refunded order is no reason.
    expect(r.find((x) => x.scenario === 'after-sale')).toMatchObject({ status: 'excluded', params: { order: 'O1' } });
    expect(r.find((x) => x.scenario === 'usage-check')).toBeUndefined();
    // Its last purchase is January's: a refunded order in November is no sign of life.
    expect(scenarioOf(plan('2026-11-23'), 'R')).toBe('churn-warning');
    const first = reasons('2026-11-23', 'F').find((x) => x.scenario === 'first-experience');
    expect(first?.params.order).not.toMatch(/^V/);
    expect(first?.params.day).toBe('2026-11-18');
    const counts = countSegments(db, segmentRulesFrom(config), '2026-11-23');
    expect(counts.vip).toBe(0);
  });
});

describe('an open complaint is called about once, not every day', () => {
  it('is due until a completed call, then not before repeatAfterDays unless resolved', () => {
    customer('K');
    complaint('GD1', 'K', '2026-11-20T10:00:00', null);
    const open = (date: string) => reasons(date, 'K').find((x) => x.scenario === 'complaint-open');
    expect(open('2026-11-23')?.status).toBe('due');
    call('K', '2026-11-23T10:00:00', 'no-answer');
    expect(open('2026-11-24')?.status).toBe('due'); // not reached: still urgent
    call('K', '2026-11-24T10:00:00', 'completed');
    expect(open('2026-11-25')).toMatchObject({ status: 'excluded', exclusion: { code: 'called-about', on: '2026-11-24', again: '2026-12-01' } });
    expect(scenarioOf(plan('2026-11-25'), 'K')).toBeUndefined();
    expect(open('2026-12-01')?.status).toBe('due'); // 7 days on and still open: call again
    config.scenarios['complaint-open'].repeatAfterDays = 14;
    expect(open('2026-12-01')?.status).toBe('excluded');
  });

  it('a ticket open longer than staleAfterDays is no daily urgent call', () => {
    customer('S');
    complaint('GD2', 'S', '2026-07-01', null);
    expect(reasons('2026-11-23', 'S').find((x) => x.scenario === 'complaint-open')).toMatchObject({
      status: 'excluded',
      exclusion: { code: 'stale', since: '2026-07-01', days: 145 },
    });
    expect(scenarioOf(plan('2026-11-23'), 'S')).not.toBe('complaint-open');
  });
});

describe('callbacks are appointments', () => {
  beforeEach(() => {
    config = { ...config, agents: [{ name: '小王', capacity: 2 }, { name: '小李', capacity: 2 }] };
    // A full day: six urgent open complaints for four places.
    for (let i = 1; i <= 6; i++) {
      customer(`U${i}`);
      complaint(`GD${i}`, `U${i}`, '2026-11-22T09:00:00', null);
    }
    customer('CB');
    order('CB', '2026-01-05', 50); // a small customer: the callback would rank last
    call('CB', '2026-11-20T10:00:00', 'callback', { agent: '小李', callbackAt: '2026-11-23T15:00' });
  });

  it('is on its day even when the day is full, with the agent who agreed it, ahead of the capacity', () => {
    const list = plan('2026-11-23');
    expect(list.items.find((i) => i.customerId === 'CB')).toMatchObject({ scenario: 'callback', agent: '小李' });
    expect(list.items).toHaveLength(4);
    expect(list.items.filter((i) => i.agent === '小李')).toHaveLength(2);
    // Positions are each agent's calling order: the urgent complaint before the callback.
    expect(list.items.filter((i) => i.agent === '小李').map((i) => [i.scenario, i.position])).toEqual([
      ['complaint-open', 1],
      ['callback', 2],
    ]);
    expect(list.rolledOverCount).toBe(3);
  });

  it('goes to another agent, flagged, when the one who agreed it is not working that day', () => {
    const list = plan('2026-11-23', { agents: ['小王'] });
    const item = list.items.find((i) => i.customerId === 'CB');
    expect(item).toMatchObject({ scenario: 'callback', agent: '小王' });
    expect(item?.reason).toContain('agreed with 小李, who is not working today');
  });
});
