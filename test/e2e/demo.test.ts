// followup demo: a folder with a database of the fixtures, a working week of lists and calls, issues
// raised and fixed, the month's report, and the commands to try next — the same on every run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, run, workspace, type RunResult } from './helpers.js';

const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const FILES = ['followup.db', 'followup.config.yaml', 'report-2026-11.html', 'report-2026-11.txt'];

let base: string;
/** The text run, into <base>/d. */
let text: RunResult;
let dir: string;
let db: string;
const cli = (...args: string[]) => run(args, { cwd: base });
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const json = (result: RunResult) => {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout);
};

beforeAll(() => {
  base = workspace();
  dir = path.join(base, 'd');
  db = path.join(dir, 'followup.db');
  text = cli('demo', '--dir', 'd');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('followup demo', () => {
  it('makes the folder: a database only its owner can read, the settings, the report in HTML and text', () => {
    expect(text.code, text.stderr).toBe(0);
    for (const file of FILES) expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    expect(mode(db)).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'followup.config.yaml'), 'utf8')).toMatch(/^lang: en$/m);
    const html = fs.readFileSync(path.join(dir, 'report-2026-11.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<html lang="en">');
    expect(fs.readFileSync(path.join(dir, 'report-2026-11.txt'), 'utf8')).toContain('2026-11');
    // Progress on stderr, one line per step.
    expect(text.stderr).toContain(`Demo folder: ${dir}`);
    expect(text.stderr).toContain('Imported 40 customers from fixtures/customers.csv');
    expect(text.stderr).toContain('Friday 2026-11-27:');
  });

  it('records a working week: lists on every day, calls of every outcome, issues raised, fixed, confirmed and reopened', () => {
    const dates = query<{ d: string }>(db, `SELECT DISTINCT plan_date AS d FROM plan_items ORDER BY 1`).map((r) => r.d);
    expect(dates).toEqual(DAYS);
    const outcomes = query<{ outcome: string; n: number }>(db, `SELECT outcome, count(*) AS n FROM calls GROUP BY outcome`);
    expect(Object.fromEntries(outcomes.map((r) => [r.outcome, r.n]))).toEqual({
      completed: expect.any(Number),
      'no-answer': expect.any(Number),
      busy: expect.any(Number),
      callback: expect.any(Number),
      refused: expect.any(Number),
      'wrong-number': expect.any(Number),
      'do-not-call': expect.any(Number),
    });
    const completed = outcomes.find((r) => r.outcome === 'completed')!.n;
    expect(completed / outcomes.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(0.6);
    // Every call was made on the list's own day, and each one ended (nothing in progress or held).
    expect(query(db, `SELECT id FROM calls WHERE ended_at IS NULL OR substr(started_at, 1, 10) <> plan_date`)).toEqual([]);
    expect(query(db, `SELECT id FROM plan_items WHERE status = 'claimed'`)).toEqual([]);
    // Satisfaction mostly 4–5, some 1–3; some NPS answers.
    const scores = query<{ v: string }>(db, `SELECT value AS v FROM call_answers WHERE question_id = 'satisfaction'`).map((r) => Number(r.v));
    expect(scores.length).toBe(completed);
    expect(scores.filter((s) => s >= 4).length).toBeGreaterThan(scores.length / 2);
    expect(scores.some((s) => s <= 2)).toBe(true);
    expect(query(db, `SELECT 1 FROM call_answers WHERE question_id = 'nps'`).length).toBeGreaterThan(0);
    // Retries and callbacks came back on later lists, confirmations after the fixes.
    const scenarios = query<{ scenario: string }>(db, `SELECT DISTINCT scenario FROM plan_items WHERE plan_date > '2026-11-23'`).map((r) => r.scenario);
    expect(scenarios).toEqual(expect.arrayContaining(['retry', 'callback', 'confirmation']));
    // Monday's completed calls covered the open complaints: none is called about again that week.
    expect(query(db, `SELECT 1 FROM plan_items WHERE plan_date > '2026-11-23' AND scenario = 'complaint-open'`)).toEqual([]);
    expect(query(db, `SELECT 1 FROM plan_items WHERE plan_date = '2026-11-23' AND scenario = 'complaint-open'`)).toHaveLength(4);
    expect(query(db, `SELECT 1 FROM plan_items WHERE result = 'unreachable'`).length).toBe(1);
    const issues = query<{ status: string; reopened: number; level1: string; feedback_type: string; mood: string; words: string }>(db, `SELECT * FROM issues`);
    expect(new Set(issues.map((i) => i.status))).toEqual(new Set(['open', 'resolved', 'closed']));
    expect(issues.filter((i) => i.reopened > 0)).toHaveLength(1);
    expect(new Set(issues.map((i) => i.level1)).size).toBeGreaterThan(3);
    expect(new Set(issues.map((i) => i.feedback_type)).size).toBeGreaterThan(1);
    expect(new Set(issues.map((i) => i.mood)).size).toBeGreaterThan(1);
    // Some of Friday's list is left for the newcomer.
    expect(query(db, `SELECT 1 FROM plan_items WHERE plan_date = '2026-11-27' AND status = 'pending'`).length).toBeGreaterThan(0);
    expect(query(db, `SELECT 1 FROM calls WHERE plan_date = '2026-11-27'`).length).toBeGreaterThan(0);
  });

  it('prints a summary and the commands to try next against the database', () => {
    const out = text.stdout;
    expect(out).toMatch(new RegExp(`^Demo ready in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    expect(out).toContain('Imported 40 customers, 120 orders and 12 complaints');
    expect(out).toMatch(/Recorded \d+ calls: \d+ completed, \d+ no answer, \d+ busy, 1 wrong number, 1 refused, \d+ call back later, 1 do not call\./);
    expect(out).toContain('Try next:');
    for (const command of [
      `--db ${db} calls --date 2026-11-27`,
      `--db ${db} explain C1033 --date 2026-11-23`,
      `--db ${db} issues --status all --date 2026-11-27`,
      `--db ${db} report --month 2026-11 --date 2026-11-27`,
      `--db ${db} call --agent 小王 --date 2026-11-27`,
      `--db ${db} plan --date 2026-11-30`,
      path.join(dir, 'report-2026-11.html'),
      `cd ${dir}`,
    ]) {
      expect(out).toContain(command);
    }
  });

  it('suggests commands that work as printed', () => {
    const line = text.stdout.split('\n').find((l) => l.includes(' calls --date 2026-11-27'))!;
    const args = line.trim().replace(/^(npx )?followup /, '').split(' ');
    const day = json(cli(...args, '--json'));
    expect(day.date).toBe('2026-11-27');
    expect(day.calls.length).toBeGreaterThan(0);
    expect(day.remaining).toBeGreaterThan(0);

    const explain = text.stdout.split('\n').find((l) => l.includes(' explain C1033'))!;
    const why = json(cli(...explain.trim().replace(/^(npx )?followup /, '').split(' '), '--json'));
    expect(why.list.entry).toMatchObject({ planDate: '2026-11-23', scenario: 'complaint-open' });

    // In the folder, without --db: its database and settings are used.
    const inFolder = run(['issues', '--status', 'all', '--date', '2026-11-27', '--json'], { cwd: dir });
    expect(json(inFolder).issues.length).toBeGreaterThan(0);
  });

  it('refuses a folder that already holds a database, and changes nothing', () => {
    const before = FILES.map((f) => hash(path.join(dir, f)));
    const again = cli('demo', '--dir', 'd');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'd already holds followup.db: the demo never overwrites. Choose another folder, e.g. --dir d-2, or leave out --dir for a new temporary one.\n',
    );
    expect(FILES.map((f) => hash(path.join(dir, f)))).toEqual(before);
    // The customers export has two customers without a phone: kept, and listed with the reason.
    expect(fs.readdirSync(dir).sort()).toEqual([...FILES, 'customers.rejects.csv'].sort());
  });

  it('refuses a file as the folder, and --db (exit 2)', () => {
    fs.writeFileSync(path.join(base, 'a-file'), 'x');
    const file = cli('demo', '--dir', 'a-file');
    expect(file.code).toBe(1);
    expect(file.stderr).toBe('a-file is a file, not a folder. Choose a folder with --dir, e.g. --dir a-file-2.\n');
    const withDb = cli('--db', 'x.db', 'demo', '--dir', 'x');
    expect(withDb.code).toBe(2);
    expect(withDb.stderr).toBe('demo makes its own database, followup.db in the demo folder: choose the folder with --dir, not --db.\n');
    expect(fs.existsSync(path.join(base, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(base, 'x.db'))).toBe(false);
  });

  it('--json prints one object, the same on every run (in another folder, a new temporary one by default)', () => {
    const first = json(cli('demo', '--dir', 'j1', '--json'));
    expect(Object.keys(first)).toEqual(['dir', 'db', 'config', 'reports', 'lang', 'month', 'days', 'imported', 'calls', 'issues', 'confirmations', 'left', 'nextWorkingDay']);
    expect(first).toMatchObject({
      dir: path.join(base, 'j1'),
      db: path.join(base, 'j1', 'followup.db'),
      config: path.join(base, 'j1', 'followup.config.yaml'),
      reports: { html: path.join(base, 'j1', 'report-2026-11.html'), text: path.join(base, 'j1', 'report-2026-11.txt') },
      lang: 'en',
      month: '2026-11',
      imported: { customers: 40, orders: 120, complaints: 12 },
      confirmations: { confirmed: expect.any(Number), reopened: 1 },
      nextWorkingDay: '2026-11-30',
    });
    expect(first.days.map((d: { date: string }) => d.date)).toEqual(DAYS);
    expect(first.days[4].left).toBeGreaterThan(0);
    expect(first.calls.total).toBe(Object.values(first.calls.byOutcome as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(first.calls.total).toBe(query<{ n: number }>(db, `SELECT count(*) AS n FROM calls`)[0].n);

    const second = json(run(['demo', '--json'], { cwd: base, env: { TMPDIR: base } }));
    expect(second.dir.startsWith(path.join(fs.realpathSync(base), 'followup-demo-'))).toBe(true);
    expect(fs.existsSync(second.db)).toBe(true);
    const { dir: _d1, db: _b1, config: _c1, reports: _r1, ...counts1 } = first;
    const { dir: _d2, db: _b2, config: _c2, reports: _r2, ...counts2 } = second;
    expect(counts2).toEqual(counts1);
    // The same calls at the same times, the same answers and issues.
    const calls = (file: string) => query(file, `SELECT customer_id, agent, scenario, plan_date, started_at, ended_at, outcome, callback_at, notes FROM calls ORDER BY id`);
    expect(calls(second.db)).toEqual(calls(first.db));
    expect(calls(db)).toEqual(calls(first.db));
    const answers = (file: string) => query(file, `SELECT call_id, question_id, value FROM call_answers ORDER BY call_id, position`);
    expect(answers(second.db)).toEqual(answers(first.db));
    const issues = (file: string) => query(file, `SELECT customer_id, level1, level2, priority, words, status, due_by, resolution FROM issues ORDER BY id`);
    expect(issues(second.db)).toEqual(issues(first.db));
  });

  it('speaks Chinese with --lang zh-CN, down to the customers\' words and the report', () => {
    const zh = cli('--lang', 'zh-CN', 'demo', '--dir', '演示');
    expect(zh.code, zh.stderr).toBe(0);
    const folder = path.join(base, '演示');
    expect(zh.stdout).toContain(`演示已就绪：${folder}`);
    expect(zh.stdout).toContain('接下来可以试试：');
    // Outside the folder the settings file is not read: the commands carry the language.
    expect(zh.stdout).toContain(`--db ${path.join(folder, 'followup.db')} --lang zh-CN calls --date 2026-11-27`);
    expect(zh.stderr).toContain('已从 fixtures/customers.csv 导入客户 40 条');
    expect(fs.readFileSync(path.join(folder, 'followup.config.yaml'), 'utf8')).toMatch(/^lang: zh-CN$/m);
    expect(fs.readFileSync(path.join(folder, 'report-2026-11.html'), 'utf8')).toContain('<html lang="zh-CN">');
    const words = query<{ words: string }>(path.join(folder, 'followup.db'), `SELECT words FROM issues`).map((r) => r.words);
    expect(words.every((w) => /[\u4e00-\u9fff]/.test(w))).toBe(true);
  });
});
