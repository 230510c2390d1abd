// followup call without a terminal (--no-input --answers FILE), followup calls, and their errors:
// the built CLI in a temp folder on the bundled fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { count, plannedWorkspace, query, run } from './helpers.js';

let dir: string;
let db: string;
const DATE = '2026-11-23';

function answers(name: string, body: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}
const call = (...args: string[]) => run(['call', '--date', DATE, ...args], { cwd: dir });
const firstItemOf = (agent: string) =>
  query<{ id: number; customerId: string; scenario: string }>(
    db,
    `SELECT id, customer_id AS customerId, scenario FROM plan_items WHERE plan_date = ? AND agent = ? AND status = 'pending'
      ORDER BY urgent DESC, position, id LIMIT 1`,
    DATE,
    agent,
  )[0];

beforeAll(() => {
  dir = plannedWorkspace(DATE);
  db = path.join(dir, 'followup.db');
});

describe('followup call --no-input', () => {
  it('records the next call of the agent and prints what it recorded', () => {
    const next = firstItemOf('小王');
    const file = answers('ok.json', {
      outcome: 'completed',
      answers: { satisfaction: 4 },
      issues: [{ level1: 'product-quality', level2: 'defect', priority: 'P0', words: '下雨天设备进水后无法启动', mood: 'anxious', feedbackType: 'complaint' }],
      notes: '客户希望尽快上门',
    });
    const result = call('--agent', '小王', '--no-input', '--answers', file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const recorded = JSON.parse(result.stdout);
    expect(recorded).toMatchObject({
      date: DATE,
      agent: '小王',
      customerId: next.customerId,
      scenario: next.scenario,
      planItemId: next.id,
      outcome: 'completed',
      answers: { satisfaction: 4 },
      notes: '客户希望尽快上门',
      followUp: { item: 'done', result: null },
    });
    // P0: one working day after Monday 23 November.
    expect(recorded.issues).toMatchObject([{ level1: 'product-quality', priority: 'P0', dueBy: '2026-11-24', department: 'Quality' }]);
    expect(query(db, `SELECT outcome, source, agent, plan_date AS planDate FROM calls WHERE plan_item_id = ?`, next.id)).toEqual([
      { outcome: 'completed', source: 'file', agent: '小王', planDate: DATE },
    ]);
    expect(query(db, `SELECT question_id AS q, value FROM call_answers WHERE call_id = ?`, recorded.callId)).toEqual([{ q: 'satisfaction', value: '4' }]);
    expect(query(db, `SELECT words, due_by AS dueBy, status FROM issues WHERE call_id = ?`, recorded.callId)).toEqual([
      { words: '下雨天设备进水后无法启动', dueBy: '2026-11-24', status: 'open' },
    ]);
    expect(query(db, `SELECT status FROM plan_items WHERE id = ?`, next.id)).toEqual([{ status: 'done' }]);
  });

  it('a missing required answer or a bad value is one clear error and records nothing', () => {
    const before = count(db, 'calls');
    const pending = firstItemOf('小李');
    const missing = call('--agent', '小李', '--no-input', '--answers', answers('missing.json', { outcome: 'completed', answers: {} }));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/\(satisfaction\)" needs an answer: a score from 1 \(very dissatisfied\) to 5 \(very satisfied\)\./);
    const bad = call('--agent', '小李', '--no-input', '--answers', answers('bad.json', { outcome: 'completed', answers: { satisfaction: 7 } }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"7" is not an answer to "So far, how satisfied .*\(satisfaction\)"/);
    const issue = call(
      '--agent',
      '小李',
      '--no-input',
      '--answers',
      answers('issue.json', { outcome: 'completed', answers: { satisfaction: 2 }, issues: [{ level1: 'logistic', priority: 'P1', words: 'x' }] }),
    );
    expect(issue.stderr).toMatch(/Issue 1: level1 "logistic" is not a category/);
    expect(count(db, 'calls')).toBe(before);
    expect(count(db, 'issues')).toBe(1);
    // Not even the claim was taken.
    expect(query(db, `SELECT status, claimed_by AS who FROM plan_items WHERE id = ?`, pending.id)).toEqual([{ status: 'pending', who: null }]);
  });

  it('says what is wrong with the flags and the file, before touching anything', () => {
    const noAnswers = call('--agent', '小王', '--no-input');
    expect(noAnswers.code).toBe(2);
    expect(noAnswers.stderr).toMatch(/--no-input needs --answers FILE/);
    const agent = call('--agent', '小张', '--no-input', '--answers', answers('x.json', { outcome: 'busy' }));
    expect(agent.code).toBe(2);
    expect(agent.stderr.trim()).toBe('Unknown agent "小张". Agents in the config: 小王, 小李.');
    const missingFile = call('--agent', '小王', '--no-input', '--answers', 'nope.json');
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr.trim()).toBe('Cannot read the answers file nope.json (ENOENT). Check the path.');
    const notJson = call('--agent', '小王', '--no-input', '--answers', answers('broken.json', '{"outcome": '));
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^The answers file .*broken\.json is not valid JSON/);
    const noAgent = call('--no-input', '--answers', answers('y.json', { outcome: 'busy' }));
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toMatch(/Say who is calling with --agent NAME \(agents: 小王, 小李\)/);
  });

  it('names an unknown agent whatever the terminal, and a day without a list as such', () => {
    // No terminal and no --no-input: the unknown agent is still what is wrong.
    const screen = call('--agent', '小张');
    expect(screen.code).toBe(2);
    expect(screen.stderr.trim()).toBe('Unknown agent "小张". Agents in the config: 小王, 小李.');
    const noList = call('--agent', '小王', '--date', '2026-12-01', '--no-input', '--answers', answers('z.json', { outcome: 'busy' }));
    expect(noList.code).toBe(1);
    expect(noList.stderr.trim()).toBe('There is no call list for 小王 on 2026-12-01. Ask your team lead to run: followup plan --date 2026-12-01');
  });

  it('a named customer: recorded for them; one not on the list is refused with where to look', () => {
    const target = query<{ customerId: string }>(
      db,
      `SELECT customer_id AS customerId FROM plan_items WHERE plan_date = ? AND agent = '小李' AND status = 'pending' ORDER BY position DESC LIMIT 1`,
      DATE,
    )[0];
    const busy = answers('busy.json', { outcome: 'busy' });
    const result = call('--agent', '小李', '--no-input', '--answers', busy, '--customer', target.customerId);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ customerId: target.customerId, outcome: 'busy', followUp: { result: 'retry', retryOn: '2026-11-24' } });
    const again = call('--agent', '小李', '--no-input', '--answers', busy, '--customer', target.customerId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`Customer ${target.customerId} is already dealt with on the list for ${DATE}`));
    const off = call('--agent', '小李', '--no-input', '--answers', busy, '--customer', 'C9999');
    expect(off.stderr.trim()).toBe('Unknown customer "C9999". Check the id (followup customers lists them).');
  });
});

describe('followup calls', () => {
  it('--json: the calls of the day, outcome counts and what is left', () => {
    const result = run(['calls', '--date', DATE, '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const day = JSON.parse(result.stdout);
    expect(day.date).toBe(DATE);
    expect(day.calls).toHaveLength(2);
    expect(day.calls[0]).toMatchObject({ agent: '小王', outcome: 'completed', satisfaction: 4, issues: 1, source: 'file' });
    expect(day.calls[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(day.calls[0].startedAt).toMatch(/^2026-11-23T\d\d:\d\d:\d\d$/);
    expect(day.outcomes).toMatchObject({ completed: 1, busy: 1, 'no-answer': 0 });
    expect(day.planned).toBe(26);
    expect(day.remaining).toBe(24);
    expect(day.done).toBe(2);
    expect(day.byAgent).toEqual([
      { agent: '小李', remaining: 12, inProgress: 0, done: 1, closed: 0 },
      { agent: '小王', remaining: 12, inProgress: 0, done: 1, closed: 0 },
    ]);
    const one = JSON.parse(run(['calls', '--date', DATE, '--agent', '小王', '--json', '--full-phone'], { cwd: dir }).stdout);
    expect(one.calls).toHaveLength(1);
    expect(one.calls[0].phone).toMatch(/^\+86\d{11}$/);
  });

  it('the human view lists calls with masked phones and the list\'s progress', () => {
    const result = run(['calls', '--date', DATE], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Calls on 2026-11-23\n/);
    expect(result.stdout).toMatch(/Outcomes: completed 1 · busy 1/);
    expect(result.stdout).toMatch(/List: 26 planned · 24 left · 0 being called · 2 done · 0 closed/);
    expect(result.stdout).not.toMatch(/\+86/);
    const zh = run(['calls', '--date', DATE, '--lang', 'zh-CN'], { cwd: dir });
    expect(zh.stdout).toMatch(/2026-11-23 的回访/);
    expect(zh.stdout).toMatch(/结果统计：完成 1 · 占线 1/);
  });
});
