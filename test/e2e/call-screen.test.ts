// The call screen as an agent uses it: `followup call` in a real pseudo-terminal, keys typed one
// prompt at a time, and what the database holds afterwards (answers saved as given, resumable).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, plannedWorkspace, query, run, Terminal } from './helpers.js';
import { answerFor, answerQuestions, answersOf, ISSUE_ASK, KEY, keystrokes, OUTCOME_LIST, QUESTION, scriptOf, spacedMobile } from './screen.js';

const DATE = '2026-11-23';
const AGENT = '小王';
const CALL = ['call', '--agent', AGENT, '--date', DATE];

interface Item {
  id: number;
  customer_id: string;
  scenario: string;
}

let template: string;
const dirs: string[] = [];

beforeAll(() => {
  template = plannedWorkspace(DATE);
  dirs.push(template);
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the planned workspace for one test. */
function fresh(): { dir: string; db: string } {
  const dir = copyWorkspace(template);
  dirs.push(dir);
  return { dir, db: path.join(dir, 'followup.db') };
}

/** The first item of the agent's list: what the screen must show first. */
function firstItem(db: string): Item {
  return query<Item>(db, `SELECT id, customer_id, scenario FROM plan_items WHERE plan_date = ? AND agent = ? ORDER BY urgent DESC, position, id LIMIT 1`, DATE, AGENT)[0];
}

describe('followup call: the screen in a terminal', () => {
  it('shows control characters in a customer\'s name as escapes: the window is not retitled, the screen not cleared', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const hostile = '\x1b]0;pwned\x07\x1b[2J王\r五';
    const write = new Database(db);
    write.prepare('UPDATE customers SET name = ? WHERE id = ?').run(hostile, item.customer_id);
    write.close();
    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      expect(term.raw).toContain('\\x1b]0;pwned\\x07\\x1b[2J王\\r五');
      expect(term.raw).not.toContain('\x1b]0;pwned');
      expect(term.raw).not.toContain('\x1b[2J');
      term.write('8\r'); // stop for now
      expect((await term.exited).exitCode).toBe(0);
    } finally {
      term.kill();
    }
  });

  it('goes through a whole call: card, outcome, every question, an issue, a note; all saved', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario);
    const customer = query<{ name: string; phone: string }>(db, 'SELECT name, phone FROM customers WHERE id = ?', item.customer_id)[0];
    expect(customer.phone).toMatch(/^\+861\d{10}$/);

    let expectedMood = '';
    const term = new Terminal(CALL, { cwd: dir });
    try {
      // The card: the customer with the full number to dial, and the opening with their name in it.
      await term.waitFor(`${customer.name} (${item.customer_id})`);
      await term.waitFor(OUTCOME_LIST);
      const card = term.text;
      expect(card).toContain(`☎ ${spacedMobile(customer.phone)}`);
      expect(card).not.toMatch(/\d{3}\*{4}\d{4}/);
      expect(card).toContain(`Opening (say):\n  ${script.opening.split('{customer}')[0]}${customer.name}`);
      expect(card).not.toMatch(/\{[a-zA-Z]+\}/); // every variable filled in

      // Every key pressed from the outcome to the next customer, to count them.
      let pressed = '';
      const press = (keys: string) => {
        pressed += keys;
        term.write(keys);
      };
      press('1\r'); // reached
      const { asked, positions } = await answerQuestions(term, script);
      for (const q of script.questions) if (asked.has(q.id)) pressed += answerFor(q).keys;
      // Satisfaction first, in script order, and every unconditional question asked.
      expect(positions[0]).toBe(1);
      expect(script.questions[0].id).toBe('satisfaction');
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const q of script.questions.filter((q) => !q.when)) expect(asked.has(q.id)).toBe(true);

      // One issue: the category found by typing part of its name, P1, the customer's words
      // offered from the script's answer and replaced, a date corrected after an inline error.
      press('1\r'); // yes
      await term.waitFor('✔ Did the customer raise a problem to record? Yes');
      await term.waitFor('? Category: type words, an id or pinyin initials to narrow the list:');
      press('late');
      await term.waitFor(/❯ logistics › late delivery\n\n↑↓/);
      press('\r');
      await term.waitFor('✔ Category: type words, an id or pinyin initials to narrow the list: logistics › late delivery');
      await term.waitFor(/\? Priority:\n(?:[❯ ] \d\. [^\n]*\n)+/);
      press('2\r'); // P1
      await term.waitFor('✔ Priority:');
      // The words the customer gave to the script's last text question are there to edit.
      const lastWords = [...asked.entries()].filter(([id]) => script.questions.find((q) => q.id === id)?.type === 'text').pop()?.[1];
      await term.waitFor("? The customer's own words");
      if (lastWords !== undefined) await term.waitFor(String(lastWords));
      press(KEY.killLine + 'the parcel came five days late and the box was wet\r');
      await term.waitFor("✔ The customer's own words");
      await term.waitFor('? When did it happen? (date; Enter if unknown):');
      // A typo: the message says what is wrong under the line, and the text stays to correct.
      press('11-2O\r');
      await term.waitFor('> Please type a date on or before 2026-11-23, e.g. 11-20, "yesterday" or 2026-11-20, or Enter if unknown.');
      press(KEY.backspace + '0\r');
      await term.waitFor('✔ When did it happen? (date; Enter if unknown): 11-20');
      await term.waitFor('? What solution does the customer expect? (Enter to skip):');
      press('\r');
      const moodQuestion = script.questions.find((q) => q.id === 'mood' && asked.has('mood'));
      expectedMood = moodQuestion ? moodQuestion.choices![0].id : 'dissatisfied';
      if (moodQuestion) {
        // The script asked the mood already: not asked again.
        await term.waitFor(`The customer's mood is already noted for this call: ${moodQuestion.choices![0].text}.`);
      } else {
        await term.waitFor(/\? The customer's mood:\n(?:[❯ ] \d\. [^\n]*\n)+/);
        press('2\r'); // dissatisfied
      }
      await term.waitFor(/\? Feedback type:\n(?:[❯ ] \d\. [^\n]*\n)+/);
      press('\r'); // skip: the default, Enter
      const department = (await term.waitFor(/\? Responsible department \(Enter keeps the one shown\): \(([^)]+)\)/))[1];
      press('\r');
      await term.waitFor('? Promise an answer within how many working days? (Enter keeps the number shown): (3)');
      press('\r');
      const saved = await term.waitFor(/Saved\. Tell the customer: (.+) will contact you by (\d{4}-\d{2}-\d{2}) \(within 3 working days\)\./);
      expect(saved[1]).toBe(department);
      // Three working days after Monday 23 November.
      expect(saved[2]).toBe('2026-11-26');
      await term.waitFor('? Another problem?');
      press('\r'); // No is the default
      await term.waitFor('Closing (say):');
      await term.waitFor('? Note for the record (Enter to skip):');
      press('customer asked for a call before noon\r');
      await term.waitFor(`✓ ${customer.name}: completed · satisfaction 4 · 1 issue`);
      await term.waitFor('Left today: 12 · done: 1');
      await term.waitFor(/\? Next\?\n❯ 1\. Next customer\n {2}2\. Stop for now/);
      press('2\r');
      expect((await term.exited).exitCode).toBe(0);
      // For the record (the closing note compares it with the line-by-line screen).
      console.log(`keys pressed for the call with one issue: ${keystrokes(pressed)} (${script.questions.length} questions in the script)`);

      const calls = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE plan_item_id = ?', item.id);
      expect(calls).toHaveLength(1);
      const call = calls[0];
      expect(call).toMatchObject({ outcome: 'completed', source: 'screen', agent: AGENT, customer_id: item.customer_id, notes: 'customer asked for a call before noon' });
      expect(call.ended_at).not.toBeNull();
      expect(String(call.started_at).slice(0, 10)).toBe(DATE);
      expect(answersOf(db, call.id as number)).toEqual(asked);
      expect(asked.get('satisfaction')).toBe(4);

      const issues = query<Record<string, unknown>>(db, 'SELECT * FROM issues WHERE call_id = ?', call.id);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        customer_id: item.customer_id,
        level1: 'logistics',
        level2: 'late-delivery',
        priority: 'P1',
        words: 'the parcel came five days late and the box was wet',
        happened_on: '2026-11-20',
        expected: null,
        mood: expectedMood,
        feedback_type: null,
        department,
        due_working_days: 3,
        due_by: '2026-11-26',
      });
      expect(query(db, 'SELECT status, result FROM plan_items WHERE id = ?', item.id)).toEqual([{ status: 'done', result: null }]);
      // Only that customer was touched: q stopped before the next one was claimed.
      expect(query(db, "SELECT count(*) AS n FROM plan_items WHERE status = 'claimed'")).toEqual([{ n: 0 }]);
    } finally {
      term.kill();
    }
  });

  it('after the process is killed mid-call, the next `followup call` resumes at the next question', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario);
    const customer = query<{ name: string }>(db, 'SELECT name FROM customers WHERE id = ?', item.customer_id)[0];

    const first = new Terminal(CALL, { cwd: dir });
    let before: Awaited<ReturnType<typeof answerQuestions>>;
    try {
      await first.waitFor(OUTCOME_LIST);
      first.write('1\r');
      // Satisfaction and one more; the third question is on screen (so the second is saved) when it dies.
      before = await answerQuestions(first, script, 2);
      expect(before.pending).toBeDefined();
    } finally {
      first.kill('SIGKILL');
    }
    expect((await first.exited).signal).toBe(9);

    const open = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE plan_item_id = ?', item.id);
    expect(open).toHaveLength(1);
    expect(open[0].outcome).toBeNull();
    expect(open[0].ended_at).toBeNull();
    const callId = open[0].id as number;
    expect(answersOf(db, callId)).toEqual(before.asked);
    expect(before.asked.size).toBe(2);
    expect(before.asked.get('satisfaction')).toBe(4);

    const second = new Terminal(CALL, { cwd: dir });
    try {
      await second.waitFor(`You have an unfinished call with ${customer.name} from `);
      await second.waitFor('(2 answers, 0 issues saved)');
      await second.waitFor(/\? Resume it\?\n❯ 1\. Yes/);
      second.write('\r'); // Enter: yes
      await second.waitFor('Resuming the call: the answers already given are kept.');
      const resumed = await answerQuestions(second, script);
      // The first question asked is the one the killed screen was waiting on, not satisfaction again.
      expect(resumed.positions[0]).toBe(script.questions.indexOf(before.pending!) + 1);
      expect(resumed.positions[0]).toBeGreaterThan(2);
      expect(resumed.asked.has('satisfaction')).toBe(false);
      for (const id of before.asked.keys()) expect(resumed.asked.has(id)).toBe(false);
      second.write('\r'); // no issue (the default)
      await second.waitFor('? Note for the record (Enter to skip):');
      second.write('\r');
      await second.waitFor(`✓ ${customer.name}: completed · satisfaction 4`);
      await second.waitFor('? Next?');
      second.write('2\r');
      expect((await second.exited).exitCode).toBe(0);

      const calls = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE plan_item_id = ?', item.id);
      expect(calls).toHaveLength(1); // the same call carried on, not a second one
      expect(calls[0]).toMatchObject({ id: callId, outcome: 'completed', source: 'screen', agent: AGENT });
      expect(answersOf(db, callId)).toEqual(new Map([...before.asked, ...resumed.asked]));
      expect(query(db, 'SELECT status FROM plan_items WHERE id = ?', item.id)).toEqual([{ status: 'done' }]);
      expect(query(db, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 1 }]);
    } finally {
      second.kill();
    }
  });

  it('Ctrl-C mid-call stops with exit code 130 and keeps what was entered', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario);

    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      term.write('1\r');
      const { asked } = await answerQuestions(term, script, 1);
      expect([...asked.keys()]).toEqual(['satisfaction']);
      term.write('\x03');
      await term.waitFor('Stopped. Everything entered so far is saved; run followup call again to carry on.');
      expect((await term.exited).exitCode).toBe(130);
      expect(term.text).not.toContain('a bug in followup');
    } finally {
      term.kill();
    }
    const calls = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE plan_item_id = ?', item.id);
    expect(calls).toHaveLength(1);
    expect(calls[0].outcome).toBeNull();
    expect(answersOf(db, calls[0].id as number)).toEqual(new Map([['satisfaction', 4]]));
    // The customer stays the agent's (to resume), but no process is working it any more.
    expect(query(db, 'SELECT status, claimed_by, claim_owner FROM plan_items WHERE id = ?', item.id)).toEqual([
      { status: 'claimed', claimed_by: AGENT, claim_owner: null },
    ]);
  });

  it('keeps answers typed ahead, before their question was shown (but not a stray Enter)', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario);
    expect(script.questions[0].id).toBe('satisfaction');
    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      // "Reached" and the satisfaction score in one go, then an Enter too many.
      term.write('1\r4\r\r');
      await term.waitFor('✔ (1/');
      await term.waitFor(/satisfied\n/);
      expect(term.text).toMatch(/✔ \(1\/\d+\) [^\n]*\? satisfied\n/);
      // The second question waits for its own answer: the extra Enter did not decline it.
      const second = await term.waitFor(QUESTION);
      expect(Number(second[1])).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(term.unread).not.toContain('✔');
      const { keys, stored } = answerFor(script.questions[1]);
      term.write(keys);
      await term.waitFor('✔ (2/');
      expect(Number((await term.waitFor(QUESTION))[1])).toBeGreaterThan(2);
      const call = query<{ id: number }>(db, 'SELECT id FROM calls WHERE plan_item_id = ?', item.id)[0];
      expect(answersOf(db, call.id)).toEqual(
        new Map([
          ['satisfaction', 4],
          [script.questions[1].id, stored],
        ]),
      );
    } finally {
      term.kill();
    }
  });

  it('Ctrl-C before dialling puts the customer back on the list: the next run starts with them', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const customer = query<{ name: string }>(db, 'SELECT name FROM customers WHERE id = ?', item.customer_id)[0];
    const first = new Terminal(CALL, { cwd: dir });
    try {
      await first.waitFor(OUTCOME_LIST);
      expect(query(db, 'SELECT status FROM plan_items WHERE id = ?', item.id)).toEqual([{ status: 'claimed' }]);
      first.write('\x03');
      await first.waitFor('Stopped.');
      expect((await first.exited).exitCode).toBe(130);
    } finally {
      first.kill();
    }
    expect(query(db, 'SELECT status, claimed_by FROM plan_items WHERE id = ?', item.id)).toEqual([{ status: 'pending', claimed_by: null }]);
    expect(query(db, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 0 }]);

    const second = new Terminal(CALL, { cwd: dir });
    try {
      await second.waitFor('Customer 1 of 13');
      await second.waitFor(`${customer.name} (${item.customer_id})`);
      await second.waitFor(OUTCOME_LIST);
      second.write('8\r');
      await second.waitFor(`${customer.name} is back on the list.`);
      expect((await second.exited).exitCode).toBe(0);
    } finally {
      second.kill();
    }
    expect(query(db, "SELECT count(*) AS n FROM plan_items WHERE status <> 'pending'")).toEqual([{ n: 0 }]);
  });

  it('Ctrl-C at the note of an unanswered attempt saves the attempt as entered', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      term.write('2\r'); // no answer
      await term.waitFor('? Note for the record (Enter to skip):');
      term.write('\x03');
      await term.waitFor('Stopped.');
      expect((await term.exited).exitCode).toBe(130);
    } finally {
      term.kill();
    }
    const calls = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE plan_item_id = ?', item.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ outcome: 'no-answer', agent: AGENT, source: 'screen', notes: null });
    expect(query(db, 'SELECT status, result FROM plan_items WHERE id = ?', item.id)).toEqual([{ status: 'done', result: 'retry' }]);
  });

  it('Esc goes back: a corrected answer replaces the first, in the issue too; nothing is saved twice', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario);
    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      term.write('1\r');
      await term.waitFor('? (1/');
      term.write('4\r');
      await term.waitFor('✔ (1/');
      await term.waitFor('? (2/');
      // Esc on the second question: the first is asked again, the answer given offered.
      term.write(KEY.esc);
      await term.waitFor('? (1/');
      await term.waitFor(/❯ 4\. satisfied/);
      const call = query<{ id: number }>(db, 'SELECT id FROM calls WHERE plan_item_id = ?', item.id)[0];
      expect(answersOf(db, call.id).has('satisfaction')).toBe(false);
      term.write('2\r');
      await term.waitFor('✔ (1/');
      const { asked } = await answerQuestions(term, script);
      // Esc on "did the customer raise a problem?" goes back to the last question.
      const lastPosition = Math.max(...[...asked.keys()].map((id) => script.questions.findIndex((q) => q.id === id) + 1));
      term.write(KEY.esc);
      await term.waitFor(`? (${lastPosition}/`);
      const last = script.questions[lastPosition - 1];
      term.write(answerFor(last).keys);
      await term.waitFor(`✔ (${lastPosition}/`);
      await term.waitFor(ISSUE_ASK);
      term.write('1\r');
      // In the issue: Esc at the priority goes back to the category.
      await term.waitFor('? Category:');
      term.write('courier');
      await term.waitFor(/❯ logistics › courier service\n\n↑↓/);
      term.write('\r');
      await term.waitFor('? Priority:');
      term.write(KEY.esc);
      await term.waitFor('? Category:');
      term.write('late');
      await term.waitFor(/❯ logistics › late delivery\n\n↑↓/);
      term.write('\r');
      await term.waitFor('? Priority:');
      term.write('3\r'); // P2
      await term.waitFor("? The customer's own words");
      term.write(KEY.killLine + 'late again\r');
      await term.waitFor('? When did it happen?');
      term.write('yesterday\r');
      await term.waitFor('✔ When did it happen? (date; Enter if unknown): yesterday');
      await term.waitFor('? What solution does the customer expect?');
      term.write('\r');
      if (!asked.has('mood')) {
        await term.waitFor("? The customer's mood:");
        term.write('1\r');
      }
      await term.waitFor('? Feedback type:');
      term.write('4\r');
      await term.waitFor('? Responsible department');
      term.write('\r');
      await term.waitFor('? Promise an answer within');
      term.write('\r');
      await term.waitFor('Saved. Tell the customer:');
      await term.waitFor('? Another problem?');
      term.write('\r');
      await term.waitFor('? Note for the record');
      term.write('\r');
      await term.waitFor('? Next?');
      term.write('2\r');
      expect((await term.exited).exitCode).toBe(0);
      const saved = answersOf(db, call.id);
      expect(saved.get('satisfaction')).toBe(2);
      expect(query(db, 'SELECT count(*) AS n, count(DISTINCT question_id) AS d FROM call_answers WHERE call_id = ?', call.id)).toEqual([{ n: saved.size, d: saved.size }]);
      expect(saved.size).toBe(asked.size + 1);
      expect(query(db, 'SELECT level1, level2, priority, words, happened_on FROM issues WHERE call_id = ?', call.id)).toEqual([
        { level1: 'logistics', level2: 'late-delivery', priority: 'P2', words: 'late again', happened_on: '2026-11-22' },
      ]);
    } finally {
      term.kill();
    }
  });

  it('in Chinese, the category is found by pinyin initials, by Chinese words and by id, in one step', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const script = scriptOf(item.scenario, 'zh-CN');
    const term = new Terminal([...CALL, '--lang', 'zh-CN'], { cwd: dir });
    try {
      await term.waitFor(/\? 请拨打电话。结果如何？\n(?:[❯ ] \d\. [^\n]*\n)+/);
      term.write('1\r');
      const { asked } = await answerQuestions(term, script, Infinity, '? 客户是否提出了需要记录的问题？');
      term.write('1\r');
      await term.waitFor('? 问题分类：输入文字、编号或拼音首字母缩小范围：');
      // psyc: 配送延迟 (pei song yan chi).
      term.write('psyc');
      await term.waitFor(/❯ 物流配送类 › 配送延迟\n\n↑↓/);
      term.write(KEY.backspace.repeat(4) + '破损');
      await term.waitFor(/❯ 物流配送类 › 运输破损\n\n↑↓/);
      term.write(KEY.backspace.repeat(2) + 'courier');
      await term.waitFor(/❯ 物流配送类 › 快递员服务\n\n↑↓/);
      term.write('\r');
      await term.waitFor('✔ 问题分类：输入文字、编号或拼音首字母缩小范围： 物流配送类 › 快递员服务');
      await term.waitFor('? 优先级：');
      term.write('\r');
      await term.waitFor('? 客户原话');
      term.write(KEY.killLine + '快递员态度很差\r');
      await term.waitFor('? 问题发生的时间？');
      term.write('昨天\r');
      await term.waitFor('✔ 问题发生的时间？（日期；不清楚请直接回车）： 昨天');
      await term.waitFor('? 客户期望的解决方式？');
      term.write('\r');
      if (!asked.has('mood')) {
        await term.waitFor('? 客户情绪：');
        term.write('1\r');
      }
      await term.waitFor('? 反馈类型：');
      term.write('4\r');
      await term.waitFor('? 责任部门');
      term.write('\r');
      await term.waitFor('? 承诺几个工作日内答复？');
      term.write('\r');
      await term.waitFor('? 还有其他问题吗？');
      term.write('\r');
      await term.waitFor('? 备注');
      term.write('\r');
      await term.waitFor(/✓ [^\n]+：完成/);
      await term.waitFor('? 接下来？');
      term.write('2\r');
      expect((await term.exited).exitCode).toBe(0);
    } finally {
      term.kill();
    }
    expect(query(db, 'SELECT level1, level2, words, happened_on FROM issues')).toEqual([
      { level1: 'logistics', level2: 'courier', words: '快递员态度很差', happened_on: '2026-11-22' },
    ]);
  });

  it('a callback is one answer, as people say it, checked at once; the example is in the future', async () => {
    const { dir, db } = fresh();
    const item = firstItem(db);
    const term = new Terminal(CALL, { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      term.write('6\r');
      // Monday 23 November: the example is the next working day.
      await term.waitFor('? When shall we call back? Date and time, e.g. 11-24 15:00 (Esc goes back):');
      term.write('11-20 15:00\r');
      await term.waitFor(/> That time has passed \(it is now 2026-11-23 \d\d:\d\d\): give a later time\./);
      term.write(KEY.killLine + 'someday\r');
      await term.waitFor('> Not a date and time: write e.g. 11-24 15:00, "tomorrow 15:00" or "12-03 10:30".');
      term.write(KEY.killLine + 'tomorrow 15:00\r');
      await term.waitFor('Callback agreed for 2026-11-24 15:00, with you.');
      await term.waitFor('? Note for the record');
      term.write('\r');
      await term.waitFor('callback on 2026-11-24 15:00');
      await term.waitFor('? Next?');
      term.write('2\r');
      expect((await term.exited).exitCode).toBe(0);
    } finally {
      term.kill();
    }
    expect(query(db, 'SELECT outcome, callback_at FROM calls WHERE plan_item_id = ?', item.id)).toEqual([{ outcome: 'callback', callback_at: '2026-11-24T15:00' }]);
  });

  it('without a terminal, refuses and points to --no-input', () => {
    const { dir, db } = fresh();
    const result = run(CALL, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--no-input');
    expect(result.stderr).not.toContain('a bug in followup');
    // Nothing was claimed.
    expect(query(db, "SELECT count(*) AS n FROM plan_items WHERE status <> 'pending'")).toEqual([{ n: 0 }]);
  });
});
