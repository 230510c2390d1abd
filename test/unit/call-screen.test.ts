// The call screen's rules, driven with scripted answers: a confirmation answered "not fixed"
// reopens the issue and adds the customer's new words to it (no second issue); the card flags an
// overdue issue and fits a narrow terminal without cutting a date or an id; the mood is asked once.
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { scriptedPrompter } from '../../src/core/prompt.js';
import { displayWidth } from '../../src/core/width.js';
import { runScreen } from '../../src/commands/call-screen.js';
import { callSession, recordWholeCall } from '../../src/domain/call.js';
import { resolve } from '../../src/domain/issues.js';
import { planCallList } from '../../src/domain/plan.js';
import { setLang } from '../../src/messages/index.js';
import type { Db } from '../../src/storage/db.js';
import { historyDatabase } from '../support/db.js';

let db: Db;
let config: Config;
const clock = () => new Date(2026, 10, 23, 10, 30, 0);
const plan = (date: string) => planCallList(db, config, { date, agents: ['小王'], now: clock });
const session = (date: string) => callSession(db, config, 'en', '小王', date, clock);

async function screen(date: string, lines: string[], columns = 100): Promise<string[]> {
  const transcript: string[] = [];
  await runScreen(session(date), scriptedPrompter(lines, transcript, columns), () => {}).catch((error) => {
    if ((error as Error).name !== 'Interrupted') throw error;
  });
  return transcript;
}

beforeEach(() => {
  setLang('en');
  db = historyDatabase();
  db.prepare(`INSERT INTO customers (id, name, phone, tier, import_id) VALUES ('A', '张三', '+8613800138000', '普通会员', 1)`).run();
  db.prepare(`INSERT INTO orders (id, customer_id, ordered_at, amount_fen, import_id) VALUES ('O1', 'A', '2026-06-01', 10000, 1), ('O2', 'A', '2026-11-10', 123456789, 1)`).run();
  config = defaultConfig('en');
  plan('2026-11-23');
  // A logistics problem raised on Monday: P1, an answer promised within 3 working days (Thursday 26).
  recordWholeCall(session('2026-11-23'), {
    outcome: 'completed',
    answers: { satisfaction: 2 },
    issues: [{ level1: 'logistics', level2: 'late-delivery', priority: 'P1', words: '快递晚了三天' }],
  });
});

describe('the call screen', () => {
  it('a confirmation answered "not fixed" reopens the issue with the new words, says so, and asks only for other problems', async () => {
    resolve(db, 1, '已补发', '2026-11-24T16:00:00', '2026-11-24');
    expect(plan('2026-11-27').items.find((i) => i.customerId === 'A')?.scenario).toBe('confirmation');
    // Reached; satisfaction 2; not fixed; what is still wrong; not feeling better; no other problem; no note.
    const transcript = await screen('2026-11-27', ['1', '2', '2', 'the parcel still has not come', '2', '2', '']);
    expect(transcript).toContain('Issue 1 is not fixed: it is open again, and what the customer said now is added to it.');
    expect(transcript).toContain('Besides issue 1, did the customer raise another problem to record?');
    expect(transcript).toContain('Issue 1 reopened: its department sees it on their list again.');
    expect(transcript).not.toContain('Did the customer raise a problem to record?');
    const issues = db.prepare('SELECT id, status, reopened, words FROM issues').all() as { id: number; status: string; reopened: number; words: string }[];
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ id: 1, status: 'open', reopened: 1 });
    expect(issues[0].words).toContain('快递晚了三天');
    expect(issues[0].words).toContain('the parcel still has not come');
  });

  it('flags an overdue issue on the card and fits a narrow screen without cutting a date, an amount or an id', async () => {
    // An open complaint puts A on Friday's list; issue 1 was due on Thursday.
    db.prepare(`INSERT INTO complaints (id, customer_id, opened_at, status, category, import_id) VALUES ('GD2026112600000001', 'A', '2026-11-26', '处理中', '物流配送', 1)`).run();
    expect(plan('2026-11-27').items.find((i) => i.customerId === 'A')).toBeDefined();
    const transcript = await screen('2026-11-27', ['8'], 44);
    const card = transcript.slice(0, transcript.indexOf('Dial the number. How did it go?'));
    expect(card.join(' ').replace(/\s+/g, ' ')).toMatch(/#1 P1 logistics\/late delivery "快递晚了三天" ⚠ OVERDUE since 2026-11-26 \(1 working day late\)/);
    for (const line of card) expect(displayWidth(line)).toBeLessThanOrEqual(43);
    const text = card.join('\n');
    for (const whole of ['2026-11-10', 'O2', '¥1,234,567.89', 'GD2026112600000001', '2026-11-26']) expect(text).toContain(whole);
    // Every date on the card is whole on its line.
    for (const line of card) expect(line).not.toMatch(/(^|\s)\d{4}-\d{0,2}$|^-?\d{2}\b(?!:)/);
  });

  it('asks the mood once in a call: a second issue keeps it', async () => {
    db.prepare(`INSERT INTO complaints (id, customer_id, opened_at, status, category, import_id) VALUES ('K1', 'A', '2026-11-23T15:00:00', '处理中', '物流配送', 1)`).run();
    const item = plan('2026-11-24').items.find((i) => i.customerId === 'A');
    expect(item?.scenario).toBe('complaint-open');
    // complaint-open asks the mood itself (its last question): the issues do not ask it again.
    const transcript = await screen('2026-11-24', [
      '1', // reached
      '2', // satisfaction
      'it came late and wet', // the problem in detail
      '1', // still happening
      '3', // expected: refund
      '2', // mood: dissatisfied
      '1', // a problem to record: yes
      'late', // category search
      '2', // P1
      '', // the words offered: kept
      '', // when: unknown
      '', // expected
      '4', // feedback type: skip
      '', // department
      '', // due
      '1', // another problem: yes
      'damaged', // category
      '3', // P2
      'the box was crushed',
      '',
      '',
      '4',
      '',
      '',
      '2', // no more
      '', // note
    ]);
    expect(transcript.filter((line) => line === "The customer's mood:")).toHaveLength(0);
    expect(transcript.filter((line) => line.startsWith("The customer's mood is already noted for this call: dissatisfied."))).toHaveLength(2);
    const issues = db.prepare('SELECT level2, words, mood FROM issues WHERE id > 1 ORDER BY id').all();
    expect(issues).toEqual([
      { level2: 'late-delivery', words: 'it came late and wet', mood: 'dissatisfied' },
      { level2: 'damaged', words: 'the box was crushed', mood: 'dissatisfied' },
    ]);
  });
});
