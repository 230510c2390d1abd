// The call screen as an agent uses it: `followup call` in a real pseudo-terminal, keys typed one
// prompt at a time, and what the database holds afterwards (answers saved as given, resumable).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, plannedWorkspace, query, ROOT, run, Terminal } from './helpers.js';

const DATE = '2026-11-23';
const AGENT = '小王';
const CALL = ['call', '--agent', AGENT, '--date', DATE];

interface ScriptQuestion {
  id: string;
  type: string;
  text: string;
  required?: boolean;
  when?: string;
  choices?: { id: string; text: string }[];
}
interface ScriptFile {
  opening: string;
  questions: ScriptQuestion[];
}
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

function scriptOf(scenario: string): ScriptFile {
  return parse(fs.readFileSync(path.join(ROOT, 'scripts/en', `${scenario}.yaml`), 'utf8')) as ScriptFile;
}

/** What the agent types for a question, and the value the database must then hold. */
function answerFor(q: ScriptQuestion): { typed: string; stored: unknown } {
  switch (q.type) {
    case 'rating':
      return { typed: '4', stored: 4 };
    case 'nps':
      return { typed: '9', stored: 9 };
    case 'yes-no':
      return { typed: 'y', stored: true };
    case 'single':
      return { typed: '1', stored: q.choices![0].id };
    case 'multiple':
      return { typed: '1', stored: [q.choices![0].id] };
    case 'date':
      return { typed: '2026-11-20', stored: '2026-11-20' };
    default:
      return { typed: `words for ${q.id}`, stored: `words for ${q.id}` };
  }
}

/** A question of the script on screen: "(n/N) text", its choices if any, then the hint prompt "[...] > ". */
const QUESTION = /\((\d+)\/(\d+)\) ([^\n]*)\n(?: {2}\d+ {2}[^\n]*\n)*\[[^\n]*\] > /;
const ISSUE_ASK = 'Did the customer raise a problem to record? [y/N] ';

/**
 * Answers the questions as they come until the issue question; `stopAfter` answers at most that
 * many. Returns the questions asked (id → stored value) and the positions in the order shown.
 */
async function answerQuestions(term: Terminal, script: ScriptFile, stopAfter = Infinity) {
  const asked = new Map<string, unknown>();
  const positions: number[] = [];
  for (;;) {
    const found = await term.waitFor(new RegExp(`${QUESTION.source}|${escape(ISSUE_ASK)}`));
    if (found[0] === ISSUE_ASK) return { asked, positions, pending: undefined };
    const position = Number(found[1]);
    expect(Number(found[2])).toBe(script.questions.length);
    const question = script.questions[position - 1];
    // The screen shows the script's own question (variables filled in).
    expect(found[3].startsWith(question.text.split('{')[0].trim())).toBe(true);
    if (asked.size >= stopAfter) return { asked, positions, pending: question };
    positions.push(position);
    const { typed, stored } = answerFor(question);
    asked.set(question.id, stored);
    term.type(typed);
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const OUTCOME_PROMPT = /q {2}Stop for now[^\n]*\n> /;

/** The spaced form the card prints for a +86 mobile number. */
function spacedMobile(e164: string): string {
  const n = e164.replace(/^\+86/, '');
  return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
}

function answersOf(db: string, callId: number): Map<string, unknown> {
  const rows = query<{ question_id: string; value: string | null }>(db, 'SELECT question_id, value FROM call_answers WHERE call_id = ? ORDER BY position', callId);
  return new Map(rows.map((r) => [r.question_id, r.value === null ? null : JSON.parse(r.value)]));
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
      await term.waitFor(OUTCOME_PROMPT);
      expect(term.raw).toContain('\\x1b]0;pwned\\x07\\x1b[2J王\\r五');
      expect(term.raw).not.toContain('\x1b]0;pwned');
      expect(term.raw).not.toContain('\x1b[2J');
      term.type('q');
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

    const term = new Terminal(CALL, { cwd: dir });
    try {
      // The card: the customer with the full number to dial, and the opening with their name in it.
      await term.waitFor(`${customer.name}  (${item.customer_id})`);
      await term.waitFor(OUTCOME_PROMPT);
      const card = term.text;
      expect(card).toContain(`☎ ${spacedMobile(customer.phone)}`);
      expect(card).not.toMatch(/\d{3}\*{4}\d{4}/);
      expect(card).toContain(`Opening (say):\n  ${script.opening.split('{customer}')[0]}${customer.name}`);
      expect(card).not.toMatch(/\{[a-zA-Z]+\}/); // every variable filled in

      term.type('1'); // reached
      const { asked, positions } = await answerQuestions(term, script);
      // Satisfaction first, in script order, and every unconditional question asked.
      expect(positions[0]).toBe(1);
      expect(script.questions[0].id).toBe('satisfaction');
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const q of script.questions.filter((q) => !q.when)) expect(asked.has(q.id)).toBe(true);

      // One issue: logistics / late delivery, P1, the customer's words, a date, a mood.
      term.type('y');
      await term.waitFor(/Category \(level 1\):\n(?: {2}\d+ {2}[^\n]*\n)+> /);
      term.type('4');
      await term.waitFor(/Category \(level 2\):\n(?: {2}\d+ {2}[^\n]*\n)+number, or Enter to skip > /);
      term.type('1');
      await term.waitFor(/Priority:\n(?: {2}\d+ {2}[^\n]*\n)+> /);
      term.type('2');
      await term.waitFor("The customer's own words and the situation");
      term.type('the parcel came five days late and the box was wet');
      await term.waitFor('When did it happen? (date; Enter if unknown): ');
      term.type('2026-11-20');
      await term.waitFor('What solution does the customer expect? (Enter to skip): ');
      term.type('');
      await term.waitFor(/The customer's mood:\n(?: {2}\d+ {2}[^\n]*\n)+number, or Enter to skip > /);
      term.type('2');
      await term.waitFor(/Feedback type:\n(?: {2}\d+ {2}[^\n]*\n)+number, or Enter to skip > /);
      term.type('');
      const department = (await term.waitFor(/Responsible department \(Enter for ([^)]+)\): /))[1];
      term.type('');
      await term.waitFor('Promise an answer within how many working days? (Enter for 3): ');
      term.type('');
      const saved = await term.waitFor(/Saved\. Tell the customer: (.+) will contact you by (\d{4}-\d{2}-\d{2}) \(within 3 working day\(s\)\)\./);
      expect(saved[1]).toBe(department);
      // Three working days after Monday 23 November.
      expect(saved[2]).toBe('2026-11-26');
      await term.waitFor('Another problem? [y/N] ');
      term.type('n');

      await term.waitFor('Closing (say):');
      await term.waitFor('Note for the record (Enter to skip): ');
      term.type('customer asked for a call before noon');
      await term.waitFor(`✓ ${customer.name}: completed · satisfaction 4 · 1 issue(s)`);
      await term.waitFor('Left today: 12 · done: 1');
      await term.waitFor('Enter for the next customer, q to stop: ');
      term.type('q');
      expect((await term.exited).exitCode).toBe(0);

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
        mood: 'dissatisfied',
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
      await first.waitFor(OUTCOME_PROMPT);
      first.type('1');
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
      await second.waitFor('(2 answer(s), 0 issue(s) saved)');
      await second.waitFor('Resume it? [Y/n] ');
      second.type(''); // Enter: yes
      await second.waitFor('Resuming the call: the answers already given are kept.');
      const resumed = await answerQuestions(second, script);
      // The first question asked is the one the killed screen was waiting on, not satisfaction again.
      expect(resumed.positions[0]).toBe(script.questions.indexOf(before.pending!) + 1);
      expect(resumed.positions[0]).toBeGreaterThan(2);
      expect(resumed.asked.has('satisfaction')).toBe(false);
      for (const id of before.asked.keys()) expect(resumed.asked.has(id)).toBe(false);
      second.type('n'); // no issue
      await second.waitFor('Note for the record (Enter to skip): ');
      second.type('');
      await second.waitFor(`✓ ${customer.name}: completed · satisfaction 4`);
      await second.waitFor('Enter for the next customer, q to stop: ');
      second.type('q');
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
      await term.waitFor(OUTCOME_PROMPT);
      term.type('1');
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
      await term.waitFor(OUTCOME_PROMPT);
      // "Reached" and the satisfaction score in one go, then an Enter too many.
      term.write('1\r4\r\r');
      const shown = await term.waitFor(QUESTION);
      expect(Number(shown[1])).toBe(1);
      // Shown as the answer of that question, right after its prompt.
      const answer = await term.waitFor('4\n');
      expect(answer.index).toBe(shown.index + shown[0].length);
      // The second question waits for its own answer: the extra Enter did not decline it.
      const second = await term.waitFor(QUESTION);
      expect(Number(second[1])).toBe(2);
      const { typed, stored } = answerFor(script.questions[1]);
      term.type(typed);
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
      await first.waitFor(OUTCOME_PROMPT);
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
      await second.waitFor(`${customer.name}  (${item.customer_id})`);
      await second.waitFor(OUTCOME_PROMPT);
      second.type('q');
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
      await term.waitFor(OUTCOME_PROMPT);
      term.type('2'); // no answer
      await term.waitFor('Note for the record (Enter to skip): ');
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
