// Working the list: answers and issues checked as the screen checks them, and what every outcome
// of an attempt leads to on the following days' lists. Hand-built histories on fixed dates.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { UserError } from '../../src/core/errors.js';
import {
  callSession,
  checkAnswer,
  checkAnswers,
  checkIssue,
  nextItem,
  parseCallbackAt,
  recordWholeCall,
  type CallSession,
} from '../../src/domain/call.js';
import { calendarFrom, planCallList, planContext, reasonsOf } from '../../src/domain/plan.js';
import { loadScript, type Question } from '../../src/domain/scripts.js';
import { setLang } from '../../src/messages/index.js';
import type { Db } from '../../src/storage/db.js';
import { historyDatabase } from '../support/db.js';

let db: Db;
let config: Config;
// 10:30 local time, whatever the machine's time zone: calls are stamped with the local time of day.
const clock = () => new Date(2026, 10, 23, 10, 30, 0);

function customer(id: string, extra: Partial<{ tier: string; phone: string }> = {}) {
  db.prepare(`INSERT INTO customers (id, name, phone, tier, import_id) VALUES (?, ?, ?, ?, 1)`).run(
    id,
    `客户${id}`,
    extra.phone ?? '+8613800138000',
    extra.tier ?? '普通会员',
  );
}
let orderSeq = 0;
function order(customerId: string, at: string, yuan = 100) {
  db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, import_id) VALUES (?, ?, ?, ?, 1)`).run(`O${++orderSeq}`, customerId, at, yuan * 100);
}
const plan = (date: string, agents = ['小王']) => planCallList(db, config, { date, agents, now: clock });
const session = (date: string, agent = '小王'): CallSession => callSession(db, config, 'en', agent, date, clock);
const itemOf = (date: string, id: string) =>
  db.prepare(`SELECT status, result, agent, scenario FROM plan_items WHERE plan_date = ? AND customer_id = ?`).get(date, id) as
    | { status: string; result: string | null; agent: string; scenario: string }
    | undefined;
const reasonsFor = (date: string, id: string) => reasonsOf(planContext(db, config, date), id).reasons;
const onList = (date: string, id: string, agents?: string[]) => plan(date, agents).items.find((i) => i.customerId === id);

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

beforeEach(() => {
  setLang('en');
  db = historyDatabase();
  config = defaultConfig('en');
  orderSeq = 0;
  // A: a returning customer whose order of 2026-11-10 is due an after-sale call until 2026-11-25.
  customer('A');
  order('A', '2026-06-01');
  order('A', '2026-11-10T10:00:00');
});

describe('answers', () => {
  const q = (over: Partial<Question>): Question => ({ id: 'q', type: 'text', text: 'Q?', required: false, ...over });

  it('checks each type and takes choices by number or id', () => {
    expect(checkAnswer(q({ type: 'rating' }), '4')).toBe(4);
    expect(checkAnswer(q({ type: 'rating' }), 5)).toBe(5);
    expect(() => checkAnswer(q({ type: 'rating' }), '6')).toThrow(/"6" is not an answer to "Q\? \(q\)": a score from 1/);
    expect(checkAnswer(q({ type: 'nps' }), '0')).toBe(0);
    expect(() => checkAnswer(q({ type: 'nps' }), 11)).toThrow(UserError);
    expect(checkAnswer(q({ type: 'yes-no' }), '是')).toBe(true);
    expect(checkAnswer(q({ type: 'yes-no' }), 'n')).toBe(false);
    const choices = [
      { id: 'fast', text: 'Fast' },
      { id: 'cheap', text: 'Cheap' },
    ];
    expect(checkAnswer(q({ type: 'single', choices }), '2')).toBe('cheap');
    expect(checkAnswer(q({ type: 'single', choices }), 'fast')).toBe('fast');
    expect(() => checkAnswer(q({ type: 'single', choices }), '3')).toThrow(/"Q\? \(q\)": .*1=Fast, 2=Cheap/);
    // The labels shown are answers too: 退款, 不满 …
    const zh = [
      { id: 'refund', text: '退款' },
      { id: 'replace', text: '换货' },
    ];
    expect(checkAnswer(q({ type: 'single', choices: zh }), '退款')).toBe('refund');
    expect(checkAnswer(q({ type: 'single', choices: zh }), '２')).toBe('replace');
    expect(checkAnswer(q({ type: 'multiple', choices: zh }), '换货、退款')).toEqual(['replace', 'refund']);
    expect(checkAnswer(q({ type: 'single', choices }), ' cheap ')).toBe('cheap');
    expect(checkAnswer(q({ type: 'multiple', choices }), '1, 2')).toEqual(['fast', 'cheap']);
    expect(checkAnswer(q({ type: 'multiple', choices }), ['cheap'])).toEqual(['cheap']);
    expect(checkAnswer(q({ type: 'date' }), '2026/11/3')).toBe('2026-11-03');
    expect(checkAnswer(q({ type: 'text' }), '  broke in the rain ')).toBe('broke in the rain');
  });

  it('lets the customer decline anything but the required answer', () => {
    expect(checkAnswer(q({ type: 'rating' }), '')).toBeNull();
    expect(checkAnswer(q({ type: 'text' }), null)).toBeNull();
    expect(userError(() => checkAnswer(q({ id: 'satisfaction', type: 'rating', required: true }), '')).message).toBe(
      '"Q? (satisfaction)" needs an answer: a score from 1 (very dissatisfied) to 5 (very satisfied).',
    );
  });

  it('checks a whole set against the script: ids, conditions, the required answer', () => {
    const script = loadScript('complaint-resolved', 'en');
    expect(checkAnswers(script, { satisfaction: 2, resolved: 'n', 'still-wrong': 'still leaks' }).map((a) => [a.question.id, a.value])).toEqual([
      ['satisfaction', 2],
      ['resolved', false],
      ['still-wrong', 'still leaks'],
    ]);
    expect(userError(() => checkAnswers(script, { resolved: true })).message).toMatch(/\(satisfaction\)" needs an answer/);
    expect(userError(() => checkAnswers(script, { satisfaction: 5, bogus: 1 })).message).toMatch(/has no question "bogus"\. Its questions: satisfaction, resolved/);
    // still-wrong is only asked when the problem is not resolved or satisfaction <= 3.
    expect(userError(() => checkAnswers(script, { satisfaction: 5, resolved: true, 'still-wrong': 'x' })).message).toBe(
      '"still-wrong" is only asked when resolved = no or satisfaction <= 3, which the other answers do not meet: leave it out.',
    );
  });
});

describe('issues', () => {
  const calendar = () => calendarFrom(config);

  it('fills the department and the promised deadline on the working calendar', () => {
    const issue = checkIssue(config, calendar(), '2026-09-30', { level1: 'logistics', priority: 'P1', words: '快递晚了三天' });
    // 3 working days after 30 Sep 2026: 8, 9 and 10 October (a make-up Saturday), over the National Day holiday.
    expect(issue).toMatchObject({ department: 'Logistics', dueWorkingDays: 3, dueBy: '2026-10-10', level2: null, mood: null });
    expect(checkIssue(config, calendar(), '2026-11-23', { level1: 'product-quality', priority: 'p0', words: 'x', dueWorkingDays: 0 }).dueBy).toBe('2026-11-23');
  });

  it('refuses what the taxonomy and the settings do not know, naming the issue', () => {
    const bad = (input: Record<string, unknown>) => userError(() => checkIssue(config, calendar(), '2026-11-23', input, 1)).message;
    expect(bad({ level1: 'shipping', priority: 'P1', words: 'x' })).toMatch(/^Issue 2: level1 "shipping" is not a category\. Level-1 categories: product-function, /);
    expect(bad({ level1: 'logistics', level2: 'malfunction', priority: 'P1', words: 'x' })).toMatch(/level2 "malfunction" is not a category under logistics/);
    expect(bad({ level1: 'logistics', priority: 'P3', words: 'x' })).toMatch(/priority "P3" must be P0, P1 or P2/);
    expect(bad({ level1: 'logistics', priority: 'P1' })).toMatch(/needs "words"/);
    expect(bad({ level1: 'logistics', priority: 'P1', words: 'x', mood: 'angry' })).toMatch(/mood "angry" must be one of calm, dissatisfied, anxious/);
    expect(bad({ level1: 'logistics', priority: 'P1', words: 'x', happenedOn: '2026-12-01' })).toMatch(/on or before 2026-11-23/);
    expect(bad({ level1: 'logistics', priority: 'P1', words: 'x', colour: 'red' })).toMatch(/unknown key "colour"/);
  });

  it('accepts a team\'s own level-2 names from the settings', () => {
    config.issues.categories.logistics = ['快递丢件'];
    expect(checkIssue(config, calendar(), '2026-11-23', { level1: 'logistics', level2: '快递丢件', priority: 'P2', words: 'x' }).level2).toBe('快递丢件');
  });
});

describe('callback time', () => {
  it('takes a date and time on or after the call', () => {
    expect(parseCallbackAt('2026-11-25 15:00', '2026-11-23')).toBe('2026-11-25T15:00');
    expect(parseCallbackAt('2026-11-25T09:30', '2026-11-23')).toBe('2026-11-25T09:30');
    expect(() => parseCallbackAt('2026-11-20 15:00', '2026-11-23')).toThrow(/before the call/);
    expect(() => parseCallbackAt('soon', '2026-11-23')).toThrow(/not a date and time/);
  });
});

describe('outcomes and what follows', () => {
  it('completed: the item is done, answers and issues recorded; without satisfaction nothing is written', () => {
    plan('2026-11-23');
    const s = session('2026-11-23');
    expect(userError(() => recordWholeCall(s, { outcome: 'completed', answers: { recommend: 'x' } })).message).toMatch(/has no question "recommend"/);
    expect(userError(() => recordWholeCall(s, { outcome: 'completed', answers: {} })).message).toMatch(/\(satisfaction\)" needs an answer/);
    expect(itemOf('2026-11-23', 'A')?.status).toBe('pending');
    expect(db.prepare('SELECT count(*) AS n FROM calls').get()).toEqual({ n: 0 });

    const recorded = recordWholeCall(s, {
      outcome: 'completed',
      answers: { satisfaction: 4, 'delivery-ok': true },
      issues: [{ level1: 'logistics', priority: 'P1', words: '快递晚了三天' }],
    });
    expect(recorded).toMatchObject({ customerId: 'A', scenario: 'after-sale', outcome: 'completed', answers: { satisfaction: 4, 'delivery-ok': true } });
    expect(recorded.issues[0]).toMatchObject({ dueBy: '2026-11-26', department: 'Logistics' });
    expect(itemOf('2026-11-23', 'A')).toMatchObject({ status: 'done', result: null });
    // The after-sale reason is followed up: A is not on the next day's list.
    expect(onList('2026-11-24', 'A')).toBeUndefined();
    expect(reasonsFor('2026-11-24', 'A').find((r) => r.scenario === 'after-sale')?.exclusion).toEqual({ code: 'already-followed-up', on: '2026-11-23' });
  });

  it('no answer / busy: retried on the next working day until the maximum attempts, then closed as unreachable', () => {
    plan('2026-11-23');
    const first = recordWholeCall(session('2026-11-23'), { outcome: 'no-answer' });
    expect(first.followUp).toMatchObject({ item: 'done', result: 'retry', attempts: 1, retryOn: '2026-11-24' });
    expect(onList('2026-11-24', 'A', ['小李', '小王'])).toMatchObject({ scenario: 'retry', agent: '小王' });
    expect(recordWholeCall(session('2026-11-24'), { outcome: 'busy' }).followUp).toMatchObject({ result: 'retry', attempts: 2, retryOn: '2026-11-25' });
    expect(onList('2026-11-25', 'A')?.scenario).toBe('retry');
    const third = recordWholeCall(session('2026-11-25'), { outcome: 'no-answer' });
    expect(third.followUp).toMatchObject({ item: 'closed', result: 'unreachable', attempts: 3, unreachable: true });
    expect(itemOf('2026-11-25', 'A')).toMatchObject({ status: 'closed', result: 'unreachable' });
    expect(onList('2026-11-26', 'A')).toBeUndefined();
  });

  it('a retry skips days off: a no-answer on Friday is retried on Monday', () => {
    plan('2026-11-20');
    expect(recordWholeCall(session('2026-11-20'), { outcome: 'no-answer' }).followUp.retryOn).toBe('2026-11-23');
  });

  it('callback: listed on the day the customer chose, for the same agent', () => {
    plan('2026-11-23');
    recordWholeCall(session('2026-11-23'), { outcome: 'callback', callbackAt: '2026-11-25T15:00' });
    expect(itemOf('2026-11-23', 'A')).toMatchObject({ status: 'done', result: 'callback' });
    expect(onList('2026-11-24', 'A', ['小李', '小王'])).toBeUndefined();
    expect(onList('2026-11-25', 'A', ['小李', '小王'])).toMatchObject({ scenario: 'callback', agent: '小王' });
  });

  it('wrong number: flagged until the CRM has another number', () => {
    customer('V', { tier: 'VIP', phone: '+8613900139000' });
    plan('2026-11-23');
    expect(itemOf('2026-11-23', 'V')).toBeDefined();
    recordWholeCall(session('2026-11-23'), { outcome: 'wrong-number' }, 'V');
    expect(itemOf('2026-11-23', 'V')).toMatchObject({ status: 'closed', result: 'wrong-number' });
    expect(db.prepare(`SELECT wrong_phone AS phone FROM customer_flags WHERE customer_id = 'V'`).get()).toEqual({ phone: '+8613900139000' });
    expect(onList('2026-11-24', 'V')).toBeUndefined();
    expect(reasonsFor('2026-11-24', 'V').find((r) => r.scenario === 'vip-care')?.exclusion).toEqual({ code: 'wrong-number' });
    // A re-import with the corrected number clears it (a wrong number is no contact).
    db.prepare(`UPDATE customers SET phone = '+8613700137000' WHERE id = 'V'`).run();
    expect(onList('2026-11-24', 'V')?.scenario).toBe('vip-care');
  });

  it('refused: recorded, no retry, and counts as contact for the interval', () => {
    customer('V', { tier: 'VIP' });
    plan('2026-11-23');
    recordWholeCall(session('2026-11-23'), { outcome: 'refused' }, 'V');
    expect(itemOf('2026-11-23', 'V')).toMatchObject({ status: 'closed', result: 'refused' });
    expect(onList('2026-11-24', 'V')).toBeUndefined();
    expect(reasonsFor('2026-11-24', 'V').find((r) => r.scenario === 'vip-care')?.exclusion).toMatchObject({ code: 'contacted', lastCall: '2026-11-23' });
    expect(reasonsFor('2026-11-24', 'V').some((r) => r.scenario === 'retry')).toBe(false);
  });

  it('do-not-call: marked, and never planned again', () => {
    customer('V', { tier: 'VIP' });
    plan('2026-11-23');
    recordWholeCall(session('2026-11-23'), { outcome: 'do-not-call' }, 'V');
    expect(db.prepare(`SELECT do_not_call_at AS at FROM customer_flags WHERE customer_id = 'V'`).get()).toEqual({ at: '2026-11-23T10:30:00' });
    for (const day of ['2026-11-24', '2026-12-24', '2027-03-01']) expect(onList(day, 'V')).toBeUndefined();
    expect(reasonsFor('2026-12-24', 'V').find((r) => r.scenario === 'vip-care')?.exclusion).toEqual({ code: 'do-not-call' });
  });

  it('refuses answers on a call that was not completed, and a callback without its time', () => {
    plan('2026-11-23');
    const s = session('2026-11-23');
    expect(userError(() => recordWholeCall(s, { outcome: 'busy', answers: { satisfaction: 3 } })).message).toMatch(/only for a completed call/);
    expect(userError(() => recordWholeCall(s, { outcome: 'callback' })).message).toMatch(/Callback time "" is not a date and time/);
    expect(userError(() => recordWholeCall(s, { outcome: 'hung-up' })).message).toMatch(/Unknown outcome "hung-up"\. Outcomes: completed, no-answer/);
    expect(itemOf('2026-11-23', 'A')?.status).toBe('pending');
  });
});

describe('claims', () => {
  beforeEach(() => {
    customer('B');
    order('B', '2026-06-02');
    order('B', '2026-11-11');
  });

  it('gives each customer to one claimant, and takes over a claim whose holder died', () => {
    plan('2026-11-23');
    const first = nextItem(session('2026-11-23'));
    const second = nextItem(session('2026-11-23'));
    expect(first && second && first.customerId !== second.customerId).toBe(true);
    expect(nextItem(session('2026-11-23'))).toBeUndefined();
    // A claim older than the timeout (30 minutes) belongs to a process that is gone.
    db.prepare(`UPDATE plan_items SET claimed_at = '2026-11-22T01:00:00.000Z' WHERE customer_id = ?`).run(first?.customerId);
    expect(nextItem(session('2026-11-23'))?.customerId).toBe(first?.customerId);
  });

  it('only from the agent\'s own list; the named customer of another agent is refused with the way out', () => {
    plan('2026-11-23', ['小王', '小李']);
    const theirs = db.prepare(`SELECT customer_id AS id, agent FROM plan_items WHERE agent = '小李'`).get() as { id: string; agent: string };
    expect(userError(() => recordWholeCall(session('2026-11-23'), { outcome: 'busy' }, theirs.id)).message).toBe(
      `Customer ${theirs.id} is on 小李's list for 2026-11-23: use --agent 小李.`,
    );
    expect(userError(() => recordWholeCall(session('2026-11-23'), { outcome: 'busy' }, 'NOPE')).message).toMatch(/Unknown customer "NOPE"/);
  });
});
