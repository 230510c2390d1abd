// followup report: the built CLI in a temp folder on the bundled fixtures, the list of 2026-11-23
// planned and a few calls recorded with --answers, then the report of November in every format.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, plannedWorkspace, query, run } from './helpers.js';

const DATE = '2026-11-23';
const REPORT = ['report', '--month', '2026-11', '--date', '2026-11-30'];
let dir: string;
let db: string;

const report = (...args: string[]) => run([...REPORT, ...args], { cwd: dir });

/** The first item of the agent's list in a scenario. */
function itemOf(agent: string, scenario: string): string {
  const row = query<{ customerId: string }>(
    db,
    `SELECT customer_id AS customerId FROM plan_items WHERE plan_date = ? AND agent = ? AND scenario = ? AND status = 'pending'
      ORDER BY position LIMIT 1`,
    DATE,
    agent,
    scenario,
  )[0];
  if (!row) throw new Error(`no ${scenario} item for ${agent} on ${DATE}`);
  return row.customerId;
}

function recordCall(agent: string, customerId: string, body: unknown): void {
  const file = path.join(dir, `call-${customerId}.json`);
  fs.writeFileSync(file, JSON.stringify(body));
  const result = run(['call', '--date', DATE, '--agent', agent, '--customer', customerId, '--no-input', '--answers', file], { cwd: dir });
  if (result.code !== 0) throw new Error(`followup call for ${customerId} failed (${result.code}): ${result.stderr}`);
}

/** The CLI's stdout as bytes (an xlsx piped out), the environment as helpers.run sets it. */
function runBinary(args: string[]): { code: number; stdout: Buffer; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LANG: 'C' };
  for (const name of ['FOLLOWUP_DB', 'LC_ALL', 'LC_MESSAGES', 'FORCE_COLOR']) delete env[name];
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, input: '', timeout: 120_000 });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

const isRate = (v: unknown) => v === null || (typeof v === 'number' && v >= 0 && v <= 1);

let planned: number;

beforeAll(() => {
  dir = plannedWorkspace(DATE);
  db = path.join(dir, 'followup.db');
  planned = query<{ n: number }>(db, `SELECT count(*) AS n FROM plan_items WHERE plan_date LIKE '2026-11-%'`)[0].n;
  // Four attempts: three completed (satisfaction 5, 3, 4; NPS 10 and 6), one not answered.
  recordCall('小王', itemOf('小王', 'vip-care'), {
    outcome: 'completed',
    answers: { satisfaction: 5, nps: 10 },
    issues: [{ level1: 'product-quality', level2: 'defect', priority: 'P0', words: '下雨天设备进水后无法启动', feedbackType: 'complaint' }],
  });
  recordCall('小王', itemOf('小王', 'after-sale'), {
    outcome: 'completed',
    answers: { satisfaction: 3 },
    issues: [{ level1: 'logistics', level2: 'late-delivery', priority: 'P1', words: '快递晚了三天', feedbackType: 'suggestion' }],
  });
  recordCall('小李', itemOf('小李', 'first-experience'), { outcome: 'completed', answers: { satisfaction: 4, nps: 6 } });
  recordCall('小李', itemOf('小李', 'churn-warning'), { outcome: 'no-answer' });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('followup report --format json', () => {
  it('prints one object with every figure; rates are fractions or null', () => {
    const result = report('--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const r = JSON.parse(result.stdout);
    expect(r.month).toBe('2026-11');
    expect(planned).toBeGreaterThan(10);
    expect(r.calls).toEqual({ planned, attempted: 4, reached: 3, completed: 3 });
    expect(r.coverage).toBe(Math.round((3 / planned) * 10000) / 10000);
    expect(r.contactRate).toBe(0.75);
    // 5, 3, 4 → mean 4, two of three satisfied; NPS 10 and 6 → one promoter, one detractor → 0.
    expect(r.satisfaction).toEqual({ responses: 3, mean: 4, satisfiedShare: 0.6667, meetsMark: false });
    expect(r.nps).toEqual({ responses: 2, score: 0, promoters: 1, passives: 0, detractors: 1 });
    expect(r.issues).toMatchObject({
      total: 2,
      byPriority: { P0: 1, P1: 1, P2: 0 },
      repeatRate: 0,
      resolutionRate: 0,
    });
    expect(r.issues.byLevel1).toEqual({ 'product-function': 0, 'product-quality': 1, 'service-experience': 0, logistics: 1, 'after-sales': 0, 'price-fees': 0, other: 0 });
    // P0 due one working day after Monday the 23rd, P1 three: both past on the 30th and open.
    expect(r.issues.onTimeRate).toBe(0);
    expect(r.issues.overdue).toBe(2);
    for (const key of ['byAgent', 'bySegment', 'byScenario']) expect(typeof r[key]).toBe('object');
    expect(Object.keys(r.byAgent).sort()).toEqual(['小李', '小王']);
    expect(r.byAgent['小王'].calls).toMatchObject({ attempted: 2, reached: 2, completed: 2 });
    expect(r.byAgent['小李'].calls).toMatchObject({ attempted: 2, reached: 1, completed: 1 });
    expect(r.byScenario['vip-care'].nps).toMatchObject({ responses: 1, score: 100 });
    expect(r.bySegment.vip.calls.completed).toBeGreaterThanOrEqual(1);
    // The month before: nothing happened in October.
    expect(r.previous.month).toBe('2026-10');
    expect(r.previous.calls).toEqual({ planned: 0, attempted: 0, reached: 0, completed: 0 });
    expect(r.previous.coverage).toBeNull();
    expect(r.previous.satisfaction.mean).toBeNull();
    expect(r.trend).toHaveLength(6);
    expect(r.trend[5]).toEqual({ month: '2026-11', completed: 3, satisfactionMean: 4, satisfiedShare: 0.6667 });
    // Every rate anywhere in the object.
    const walk = (value: unknown, at: string) => {
      if (value === null || typeof value !== 'object') return;
      for (const [k, v] of Object.entries(value)) {
        if (/Rate$|^coverage$|Share$|^share$/.test(k)) expect(isRate(v), `${at}.${k} = ${String(v)}`).toBe(true);
        walk(v, `${at}.${k}`);
      }
    };
    walk(r, '');
  });

  it('is the default when stdout is not a terminal; the month defaults to the month of --date', () => {
    const byDefault = run(['report', '--date', '2026-11-30'], { cwd: dir });
    expect(byDefault.code).toBe(0);
    const r = JSON.parse(byDefault.stdout);
    expect(r.month).toBe('2026-11');
    expect(r.calls.completed).toBe(3);
  });

  it('an empty month works: counts 0, rates null', () => {
    const result = run(['report', '--month', '2026-01', '--date', '2026-11-30', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const r = JSON.parse(result.stdout);
    expect(r.calls).toEqual({ planned: 0, attempted: 0, reached: 0, completed: 0 });
    expect(r.coverage).toBeNull();
    expect(r.contactRate).toBeNull();
    expect(r.satisfaction).toEqual({ responses: 0, mean: null, satisfiedShare: null, meetsMark: null });
    expect(r.nps.score).toBeNull();
    expect(r.issues).toMatchObject({ total: 0, repeatRate: null, resolutionRate: null, onTimeRate: null, overdue: 0 });
    expect(r.byAgent).toEqual({});
    expect(r.previous.month).toBe('2025-12');
    expect(result.stdout).toContain('"coverage":null');
    // The text formats say so instead of failing.
    const text = run(['report', '--month', '2026-01', '--date', '2026-11-30', '--format', 'text'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No satisfaction answers this month.');
    expect(text.stdout).toContain('Nothing this month.');
  });
});

describe('followup report: the other formats', () => {
  it('text: the summary, the breakdowns and the definitions', () => {
    const result = report('--format', 'text');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^Follow-up report 2026-11 \(compared with 2026-10; as of 2026-11-30\)\n/);
    expect(out).toMatch(/Satisfied customers: 66\.7%, below the 85% mark\./);
    expect(out).toMatch(/Contact rate\s+75\.0%\s+–\s+–/);
    for (const title of ['Summary: 2026-11 against 2026-10', 'By agent', 'By segment', 'By scenario', 'Issues by agent', 'The ten most frequent problems', 'The last six months', 'How each figure is computed']) {
      expect(out).toContain(title);
    }
    expect(out).toContain('reached / attempted (接通率)');
  });

  it('md: Markdown headings and tables', () => {
    const result = report('--format', 'md');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out.startsWith('# Follow-up report 2026-11')).toBe(true);
    expect(out).toContain('## Summary: 2026-11 against 2026-10');
    expect(out).toContain('| Figure | 2026-11 | 2026-10 | Change |');
    expect(out).toContain('| --- | ---: | ---: | ---: |');
    expect(out).toMatch(/^\| Contact rate \| 75\.0% \| – \| – \|$/m);
    expect(out).toContain('## How each figure is computed');
  });

  it('csv: a BOM, then sections that parse back with the summary values', () => {
    const result = report('--format', 'csv');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('\uFEFF')).toBe(true);
    expect(result.stdout).toContain('\r\n');
    const rows = parse(result.stdout, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    const json = JSON.parse(report('--format', 'json').stdout);
    const title = rows.findIndex((r) => r[0] === 'Summary: 2026-11 against 2026-10');
    expect(title).toBeGreaterThan(0);
    expect(rows[title + 1]).toEqual(['Figure', '2026-11', '2026-10', 'Change']);
    const value = (label: string) => rows.slice(title + 2).find((r) => r[0] === label);
    expect(value('Planned')).toEqual(['Planned', String(planned), '0', String(planned)]);
    expect(value('Completed')).toEqual(['Completed', '3', '0', '3']);
    // Rates as fractions, like the JSON; no denominator is an empty cell.
    expect(Number(value('Coverage')![1])).toBe(json.coverage);
    expect(value('Contact rate')).toEqual(['Contact rate', '0.75', '', '']);
    expect(value('Satisfied (4–5)')![1]).toBe('0.6667');
    expect(value('Mean satisfaction (1–5)')![1]).toBe('4');
    // Every section: a title, its header, its rows.
    for (const section of ['Issues by category (level 1)', 'By agent', 'Issues by scenario', 'How each figure is computed']) {
      expect(rows.some((r) => r[0] === section), section).toBe(true);
    }
  });

  it('html: one self-contained file, five charts, the definitions, readable when printed', () => {
    const result = report('--out', 'november.html');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Wrote the html report for 2026-11 to november\.html/);
    const html = fs.readFileSync(path.join(dir, 'november.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    // No network: no URL at all, no external script, style sheet or image.
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/<svg/g)).toHaveLength(5);
    for (const id of ['chart-satisfied', 'chart-satisfaction', 'chart-agents', 'chart-issues', 'chart-trend']) expect(html).toMatch(new RegExp(`id="${id}"[^>]*>.*?<svg`, 's'));
    expect(html).toContain('@media print');
    expect(html).toContain('id="table-definitions"');
    expect(html).toContain('completed calls / planned items (回访覆盖率)');
    expect(html).toContain('id="table-byAgent-1"');
    expect(html).toContain('id="table-byAgent-2"');
  });

  it('xlsx: one sheet per table, numbers as numbers, rates formatted as percentages', async () => {
    const result = report('--format', 'xlsx', '--out', 'november.xlsx');
    expect(result.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(dir, 'november.xlsx'));
    const names = book.worksheets.map((s) => s.name);
    // Three sheets of things to do first, then the figures.
    expect(names).toHaveLength(18);
    expect(names.slice(0, 3).every((n) => /^(⚠ To do|✓ )/.test(n))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['Summary', 'Issues by category (level 1)', 'By agent', 'By segment', 'By scenario', 'The last six months', 'How each figure is computed']));
    const summary = book.getWorksheet('Summary')!;
    expect(summary.getRow(1).getCell(1).value).toBe('Summary: 2026-11 against 2026-10');
    expect(summary.getRow(2).values).toEqual([undefined, 'Figure', '2026-11', '2026-10', 'Change']);
    const rowOf = (label: string) => {
      let found: ExcelJS.Row | undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) found = row;
      });
      return found!;
    };
    expect(rowOf('Planned').getCell(2).value).toBe(planned);
    expect(rowOf('Completed').getCell(2).value).toBe(3);
    expect(rowOf('Contact rate').getCell(2).value).toBe(0.75);
    expect(rowOf('Contact rate').getCell(2).numFmt).toBe('0.0%');
    expect(rowOf('Contact rate').getCell(3).value).toBeNull();
    expect(typeof rowOf('Mean satisfaction (1–5)').getCell(2).value).toBe('number');
    // Changes keep their sign in the format; durations are minutes and seconds.
    expect(rowOf('Planned').getCell(4).numFmt).toBe('+0;-0;0');
    // Every sheet: the header frozen and filtered, on a fill; printed landscape, one page wide.
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(sheet.autoFilter).toBeDefined();
      expect(sheet.getRow(2).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
    }
    const agents = book.getWorksheet('By agent')!;
    expect(agents.getRow(3).getCell(1).value).toBe('小李');
    expect(agents.getRow(3).getCell(3).value).toBe(2); // attempted
  });

  it('xlsx to a pipe is allowed', async () => {
    const result = runBinary([...REPORT, '--format', 'xlsx']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(result.stdout as unknown as ArrayBuffer);
    expect(book.worksheets).toHaveLength(18);
  });

  it('with --out the format follows the extension, --format wins', () => {
    expect(report('--out', 'r.md').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'r.md'), 'utf8').startsWith('# Follow-up report')).toBe(true);
    expect(report('--out', 'r.json').code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).month).toBe('2026-11');
    expect(report('--out', 'r.csv').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').startsWith('\uFEFF')).toBe(true);
    expect(report('--format', 'md', '--out', 'forced.html').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'forced.html'), 'utf8').startsWith('# Follow-up report')).toBe(true);
  });

  it('--lang zh-CN: Chinese labels in every format', () => {
    const text = run(['--lang', 'zh-CN', ...REPORT, '--format', 'text'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('回访报告 2026-11（对比 2026-10；统计至 2026-11-30）');
    for (const label of ['回访覆盖率', '接通率', '满意率（4–5 分）', '问题重复率', '问题解决率', '按专员', '按客户分层', '按回访类型', '各项指标的计算方法']) {
      expect(text.stdout).toContain(label);
    }
    expect(text.stdout).not.toMatch(/Coverage|Contact rate|By agent/);
    const html = run(['--lang', 'zh-CN', ...REPORT, '--format', 'html'], { cwd: dir });
    expect(html.stdout).toContain('<html lang="zh-CN">');
    expect(html.stdout).toContain('问题分类');
    const csv = run(['--lang', 'zh-CN', ...REPORT, '--format', 'csv'], { cwd: dir });
    const rows = parse(csv.stdout, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    expect(rows.some((r) => r[0] === '计划回访' && r[1] === String(planned))).toBe(true);
  });
});

describe('followup report: mistakes', () => {
  const oneLine = (stderr: string) => expect(stderr.trim().split('\n')).toHaveLength(1);

  it('a bad month is a usage error (exit 2), one line', () => {
    for (const month of ['2026-13', '2026-1', 'november']) {
      const result = run(['report', '--month', month], { cwd: dir });
      expect(result.code).toBe(2);
      oneLine(result.stderr);
      expect(result.stderr.trim()).toBe(`Month "${month}" is not YYYY-MM, e.g. 2026-11.`);
      expect(result.stdout).toBe('');
    }
  });

  it('a bad format is a usage error (exit 2)', () => {
    const result = report('--format', 'pdf');
    expect(result.code).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr.trim()).toBe('Unknown format "pdf". Formats: text, md, csv, json, html, xlsx.');
  });

  it('--out into a missing folder, or a folder, is exit 1, one line, nothing written', () => {
    const missing = report('--out', 'no/such/folder/r.html');
    expect(missing.code).toBe(1);
    oneLine(missing.stderr);
    expect(missing.stderr.trim()).toBe('--out no/such/folder/r.html: the folder no/such/folder does not exist. Create it first, or give another path.');
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
    const folder = report('--out', 'fixtures');
    expect(folder.code).toBe(1);
    oneLine(folder.stderr);
    expect(folder.stderr).toMatch(/^fixtures is a folder/);
  });
});
