// The Excel round trip: the call list written by `plan --out`, filled in by the agents (in Excel,
// perhaps re-saved as GBK or Unicode text), read back with `import calls`.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, run, workspace } from './helpers.js';

const DATE = '2026-11-23';

/** A folder with two agents, the bundled exports imported and Monday's list written to `list`. */
function plannedFolder(list: string, lang = 'en'): { dir: string; db: string; items: { id: number; customerId: string; agent: string }[] } {
  const dir = workspace();
  const steps = [
    ['init', '--agents', '小王:10,小李:10'],
    ['import', 'customers', 'fixtures/customers.csv'],
    ['import', 'orders', 'fixtures/orders.gbk.csv'],
    ['import', 'complaints', 'fixtures/complaints.csv'],
  ];
  for (const args of steps) {
    const result = run(args, { cwd: dir });
    if (result.code !== 0) throw new Error(`followup ${args.join(' ')}: ${result.stderr}`);
  }
  const planned = run(['--lang', lang, 'plan', '--date', DATE, '--json', '--out', list], { cwd: dir });
  expect(planned.code).toBe(0);
  return { dir, db: path.join(dir, 'followup.db'), items: JSON.parse(planned.stdout).items };
}

/** The list's rows (header first), read as Excel would open it. */
function readList(file: string): string[][] {
  return parse(fs.readFileSync(file, 'utf8'), { bom: true, relax_column_count: true }) as string[][];
}

/** Fills cells by header: { rowIndex: { header: value } } (rowIndex 0 is the first data row). */
function fill(rows: string[][], cells: Record<number, Record<string, string>>): string[][] {
  const header = rows[0];
  const out = rows.map((r) => [...r]);
  for (const [index, values] of Object.entries(cells)) {
    for (const [name, value] of Object.entries(values)) {
      const column = header.indexOf(name);
      if (column < 0) throw new Error(`no column ${name} in ${header.join(',')}`);
      out[Number(index) + 1][column] = value;
    }
  }
  return out;
}

const sheetCalls = (db: string) =>
  query<{ id: number; plan_item_id: number; customer_id: string; agent: string; outcome: string; callback_at: string | null; notes: string | null; source: string }>(
    db,
    `SELECT id, plan_item_id, customer_id, agent, outcome, callback_at, notes, source FROM calls ORDER BY id`,
  );
const everything = (db: string) =>
  JSON.stringify(['calls', 'call_answers', 'plan_items', 'customer_flags'].map((table) => query(db, `SELECT * FROM ${table} ORDER BY 1, 2`)));

describe('followup import calls: an English list filled in as UTF-8', () => {
  let dir: string;
  let db: string;
  let items: { id: number; customerId: string; agent: string }[];
  const cli = (...args: string[]) => run(args, { cwd: dir });

  beforeAll(() => {
    ({ dir, db, items } = plannedFolder('list.csv'));
    const rows = readList(path.join(dir, 'list.csv'));
    expect(rows[0].slice(-4)).toEqual(['outcome', 'satisfaction (1-5)', 'callback at (YYYY-MM-DD HH:MM)', 'notes']);
    expect(rows.slice(1).every((r) => r.slice(-4).every((cell) => cell === ''))).toBe(true);
    const filled = fill(rows, {
      0: { outcome: 'completed', 'satisfaction (1-5)': '4', notes: '满意，物流很快' },
      1: { outcome: 'no-answer' },
      2: { outcome: 'Call back later', 'callback at (YYYY-MM-DD HH:MM)': '2026-11-25 15:00', notes: '开会中' },
      3: { outcome: 'completed' }, // no satisfaction: rejected
      4: { outcome: 'maybe' }, // not an outcome: rejected
      5: { outcome: '未接听' }, // the Chinese label
      6: { outcome: 'ＢＵＳＹ ' }, // full-width, as a Chinese IME types it
      7: { outcome: 'refused', 'satisfaction (1-5)': '2' }, // a score on a call that was not completed: rejected
    });
    fs.writeFileSync(path.join(dir, 'filled.csv'), '\ufeff' + stringify(filled, { record_delimiter: '\r\n' }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is listed in the help of import', () => {
    const help = cli('import', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('customers, orders, complaints or calls');
    expect(help.stdout).toContain('followup import calls');
  });

  it('records the filled-in rows as calls, skips the empty ones and reports the rest with their lines', () => {
    const result = cli('import', 'calls', 'filled.csv');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('filled.csv: 20 rows, 5 inserted, 0 updated, 0 unchanged, 12 skipped (no outcome yet), 3 rejected');
    expect(result.stderr).toContain(`3 rejected rows written to ${path.join(dir, 'filled.rejects.csv')}`);

    const calls = sheetCalls(db);
    expect(calls).toHaveLength(5);
    expect(calls.every((k) => k.source === 'sheet')).toBe(true);
    const byItem = new Map(calls.map((k) => [k.plan_item_id, k]));
    expect(byItem.get(items[0].id)).toMatchObject({ customer_id: items[0].customerId, agent: items[0].agent, outcome: 'completed', notes: '满意，物流很快' });
    expect(byItem.get(items[1].id)).toMatchObject({ outcome: 'no-answer', notes: null });
    expect(byItem.get(items[2].id)).toMatchObject({ outcome: 'callback', callback_at: '2026-11-25T15:00', notes: '开会中' });
    expect(byItem.get(items[5].id)).toMatchObject({ outcome: 'no-answer' });
    expect(byItem.get(items[6].id)).toMatchObject({ outcome: 'busy' });

    expect(query(db, `SELECT a.question_id, a.value FROM call_answers a JOIN calls k ON k.id = a.call_id`)).toEqual([{ question_id: 'satisfaction', value: '4' }]);

    const status = (i: number) => query(db, 'SELECT status, result, claimed_by FROM plan_items WHERE id = ?', items[i].id)[0];
    expect(status(0)).toMatchObject({ status: 'done', result: null });
    expect(status(1)).toMatchObject({ status: 'done', result: 'retry' });
    expect(status(2)).toMatchObject({ status: 'done', result: 'callback' });
    // Rejected rows leave their customer on the list, not even claimed.
    for (const i of [3, 4, 7]) expect(status(i)).toEqual({ status: 'pending', result: null, claimed_by: null });
    expect(status(8)).toEqual({ status: 'pending', result: null, claimed_by: null });
  });

  it('writes the rejects report for Excel: line, column, value, reason, then the row as it was', () => {
    const file = path.join(dir, 'filled.rejects.csv');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeffline,field,value,reason,item id,date,agent')).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['5', 'satisfaction (1-5)', '', 'a completed call needs the satisfaction score: a whole number from 1 (very dissatisfied) to 5 (very satisfied)'],
      [
        '6',
        'outcome',
        'maybe',
        'unknown outcome "maybe": write one of completed, no answer, busy, wrong number, refused, call back later, do not call, or its id (completed, no-answer, busy, wrong-number, refused, callback, do-not-call)',
      ],
      ['9', 'satisfaction (1-5)', '2', 'a satisfaction score is recorded only for a completed call, and the outcome is "refused": clear the score or change the outcome'],
    ]);
    // The original row follows, item id first.
    expect(rows[1][4]).toBe(String(items[3].id));
    expect(rows[1].slice(4)).toEqual(readList(path.join(dir, 'filled.csv'))[4]);
  });

  it('changes nothing when the same file is imported again, and prints one JSON object with --json', () => {
    const before = everything(db);
    const result = cli('import', 'calls', 'filled.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['kind', 'file', 'rows', 'inserted', 'updated', 'unchanged', 'skipped', 'rejected', 'rejectsFile']),
    );
    expect(summary).toMatchObject({
      kind: 'calls',
      file: 'filled.csv',
      rows: 20,
      inserted: 0,
      updated: 0,
      unchanged: 5,
      skipped: 12,
      rejected: 3,
      rejectsFile: path.join(dir, 'filled.rejects.csv'),
      encoding: 'utf8',
      delimiter: 'comma',
      dryRun: false,
    });
    expect(everything(db)).toBe(before);
  });

  it('validates without writing in a dry run', () => {
    const rows = fill(readList(path.join(dir, 'filled.csv')), { 3: { 'satisfaction (1-5)': '3' } });
    fs.writeFileSync(path.join(dir, 'fixed.csv'), stringify(rows));
    const before = everything(db);
    const result = cli('import', 'calls', 'fixed.csv', '--dry-run', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 1, unchanged: 5, rejected: 2, dryRun: true });
    expect(everything(db)).toBe(before);
  });

  it('corrects the calls an earlier import recorded when the sheet changes, and follows a changed outcome', () => {
    const rows = fill(readList(path.join(dir, 'filled.csv')), {
      0: { 'satisfaction (1-5)': '5', notes: '非常满意' },
      1: { outcome: 'refused' },
    });
    fs.writeFileSync(path.join(dir, 'corrected.csv'), stringify(rows));
    const callIds = sheetCalls(db).map((k) => k.id);
    const result = cli('import', 'calls', 'corrected.csv', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 0, updated: 2, unchanged: 3, rejected: 3 });
    const calls = sheetCalls(db);
    expect(calls.map((k) => k.id)).toEqual(callIds); // corrected in place, not recorded twice
    const first = calls.find((k) => k.plan_item_id === items[0].id)!;
    expect(first).toMatchObject({ outcome: 'completed', notes: '非常满意' });
    expect(query(db, `SELECT value FROM call_answers WHERE call_id = ? AND question_id = 'satisfaction'`, first.id)).toEqual([{ value: '5' }]);
    expect(calls.find((k) => k.plan_item_id === items[1].id)).toMatchObject({ outcome: 'refused' });
    expect(query(db, 'SELECT status, result FROM plan_items WHERE id = ?', items[1].id)).toEqual([{ status: 'closed', result: 'refused' }]);
  });

  it('keeps a call made on another path, and rejects a row that contradicts it', () => {
    // Item 9 (row 10 of the file) is called from an answers file first.
    const item = items[9];
    fs.writeFileSync(path.join(dir, 'call.json'), JSON.stringify({ outcome: 'busy' }));
    const called = cli('call', '--agent', item.agent, '--date', DATE, '--no-input', '--answers', 'call.json', '--customer', item.customerId);
    expect(called.code).toBe(0);
    const rows = fill(readList(path.join(dir, 'corrected.csv')), { 9: { outcome: 'completed', 'satisfaction (1-5)': '3' }, 10: { outcome: 'busy' } });
    fs.writeFileSync(path.join(dir, 'late.csv'), stringify(rows));
    const item10 = items[10];
    fs.writeFileSync(path.join(dir, 'call.json'), JSON.stringify({ outcome: 'busy' }));
    expect(cli('call', '--agent', item10.agent, '--date', DATE, '--no-input', '--answers', 'call.json', '--customer', item10.customerId).code).toBe(0);

    const result = cli('import', 'calls', 'late.csv', '--json', '--rejects', 'late-bad.csv');
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 0, unchanged: 6, rejected: 4 });
    const rejects = parse(fs.readFileSync(path.join(dir, 'late-bad.csv'), 'utf8'), { bom: true }) as string[][];
    const row11 = rejects.find((r) => r[0] === '11')!;
    expect(row11[3]).toMatch(new RegExp(`^customer ${item.customerId} was already called from an answers file \\(followup call --answers\\) on ${DATE} \\d\\d:\\d\\d, with outcome "busy"; this row says "completed"`));
    expect(query(db, `SELECT count(*) AS n FROM calls WHERE plan_item_id IN (?, ?)`, item.id, item10.id)).toEqual([{ n: 2 }]);
  });
});

describe('followup import calls: a Chinese list re-saved by Excel on Chinese Windows', () => {
  let dir: string;
  let db: string;
  let items: { id: number; customerId: string; agent: string }[];
  let filled: string[][];
  const cli = (...args: string[]) => run(['--lang', 'zh-CN', ...args], { cwd: dir });

  beforeAll(() => {
    ({ dir, db, items } = plannedFolder('回访清单.csv', 'zh-CN'));
    const rows = readList(path.join(dir, '回访清单.csv'));
    expect(rows[0].slice(-4)).toEqual(['回访结果', '满意度（1-5）', '回拨时间（YYYY-MM-DD HH:MM）', '备注']);
    filled = fill(rows, {
      0: { 回访结果: '完成', '满意度（1-5）': '５', 备注: '客户很满意' },
      1: { 回访结果: '约定回拨', '回拨时间（YYYY-MM-DD HH:MM）': '2026/11/24 10:00' },
      2: { 回访结果: '拒绝回访' },
      3: { 回访结果: 'no-answer' },
      4: { 回访结果: '未接听', '满意度（1-5）': '2' }, // rejected
      5: { 回访结果: '约定回拨' }, // no time: rejected
      6: { 回访结果: '完成', '满意度（1-5）': '6' }, // rejected
    });
    // Excel's "CSV" on Chinese Windows: GBK, no BOM.
    fs.writeFileSync(path.join(dir, '回访清单-已填.csv'), iconv.encode(stringify(filled, { record_delimiter: '\r\n' }), 'gbk'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads GBK with Chinese headers and labels, and reports in Chinese', () => {
    const result = cli('import', 'calls', '回访清单-已填.csv', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'calls',
      encoding: 'gb18030',
      rows: 20,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      skipped: 13,
      rejected: 3,
      rejectsFile: path.join(dir, '回访清单-已填.rejects.csv'),
    });
    const calls = sheetCalls(db);
    expect(calls.map((k) => [k.plan_item_id, k.outcome, k.callback_at, k.notes])).toEqual([
      [items[0].id, 'completed', null, '客户很满意'],
      [items[1].id, 'callback', '2026-11-24T10:00', null],
      [items[2].id, 'refused', null, null],
      [items[3].id, 'no-answer', null, null],
    ]);
    expect(query(db, `SELECT value FROM call_answers WHERE call_id = ?`, calls[0].id)).toEqual([{ value: '5' }]);
    expect(query(db, 'SELECT status, result FROM plan_items WHERE id = ?', items[2].id)).toEqual([{ status: 'closed', result: 'refused' }]);

    const rejects = parse(fs.readFileSync(path.join(dir, '回访清单-已填.rejects.csv'), 'utf8'), { bom: true }) as string[][];
    expect(rejects[0].slice(0, 6)).toEqual(['行号', '字段', '值', '原因', '条目编号', '日期']);
    expect(rejects.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['6', '满意度（1-5）', '2', '只有回访完成时才记录满意度，而本行的回访结果是“未接听”：请清空满意度，或修改回访结果'],
      ['7', '回拨时间（YYYY-MM-DD HH:MM）', '', '回访结果“约定回拨”需要填写客户约定的时间，写在“回拨时间（YYYY-MM-DD HH:MM）”列（如 2026-11-25 15:00）'],
      ['8', '满意度（1-5）', '6', '不是满意度评分：“6”（应为 1 到 5 的整数，1 为非常不满意，5 为非常满意）'],
    ]);
  });

  it('finds the same rows in Unicode text (UTF-16, tabs) without the item id column: all unchanged', () => {
    const withoutId = filled.map((r) => r.slice(1));
    const text = withoutId.map((r) => r.join('\t')).join('\r\n') + '\r\n';
    fs.writeFileSync(path.join(dir, 'unicode.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const before = everything(db);
    const result = cli('import', 'calls', 'unicode.txt', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ encoding: 'utf16le', delimiter: 'tab', inserted: 0, unchanged: 4, skipped: 13, rejected: 3 });
    expect(everything(db)).toBe(before);
  });

  it('refuses a file that is not a call list, naming the columns it needs', () => {
    const result = cli('import', 'calls', 'fixtures/customers.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('customers.csv 不是已填写的回访清单：缺少 “条目编号”（或“日期”和“客户编号”）、“回访结果” 列');
  });
});

describe('the call list as a workbook: plan --out list.xlsx, filled in Excel, import calls list.xlsx', () => {
  it('writes a sheet of all calls and one per agent: ids and phones as text, a drop-down of outcomes, scores 1-5, a frozen filtered header', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const { dir, items } = plannedFolder('list.xlsx', 'zh-CN');
    const file = path.join(dir, 'list.xlsx');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toEqual([`全部 ${DATE}`, '小王', '小李']);
    const all = book.worksheets[0];
    expect(all.rowCount).toBe(items.length + 1);
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeDefined();
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    expect(book.worksheets[1].rowCount - 1 + book.worksheets[2].rowCount - 1).toBe(items.length);
    const header = (all.getRow(1).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(header).toContain('回访结果');
    const phone = all.getCell(2, col('电话'));
    expect(typeof phone.value).toBe('string');
    expect(String(phone.value)).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(all.getColumn(col('电话')).numFmt).toBe('@');
    expect(all.getColumn(col('客户编号')).numFmt).toBe('@');
    const outcome = all.getCell(2, col('回访结果')).dataValidation;
    expect(outcome.type).toBe('list');
    expect(outcome.formulae[0]).toContain('未接听');
    const score = all.getCell(2, col('满意度（1-5）')).dataValidation;
    expect(score).toMatchObject({ type: 'whole', operator: 'between', formulae: [1, 5] });
  });

  it('reads the filled-in workbook back: each call once whichever sheet it was filled on; two sheets that disagree are refused', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const { dir, db, items } = plannedFolder('list.xlsx', 'zh-CN');
    const file = path.join(dir, 'list.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const [all, wang] = book.worksheets;
    const header = (all.getRow(1).values as string[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rowOf = (sheet: typeof all, itemId: number) => {
      for (let r = 2; r <= sheet.rowCount; r++) if (Number(sheet.getCell(r, col('条目编号')).value) === itemId) return r;
      throw new Error(`no row for item ${itemId} on ${sheet.name}`);
    };
    const wangItems = items.filter((i) => i.agent === '小王');
    const liItems = items.filter((i) => i.agent === '小李');
    // 小王 fills in his own sheet; the team lead fills one of 小李's on the sheet of all calls;
    // one of 小王's is filled in alike on both sheets, another differently.
    wang.getCell(rowOf(wang, wangItems[0].id), col('回访结果')).value = '未接听';
    wang.getCell(rowOf(wang, wangItems[1].id), col('回访结果')).value = '完成';
    wang.getCell(rowOf(wang, wangItems[1].id), col('满意度（1-5）')).value = 4;
    all.getCell(rowOf(all, wangItems[1].id), col('回访结果')).value = '完成';
    all.getCell(rowOf(all, wangItems[1].id), col('满意度（1-5）')).value = 4;
    all.getCell(rowOf(all, liItems[0].id), col('回访结果')).value = '占线';
    all.getCell(rowOf(all, wangItems[2].id), col('回访结果')).value = '占线';
    wang.getCell(rowOf(wang, wangItems[2].id), col('回访结果')).value = '未接听';
    await book.xlsx.writeFile(file);

    const result = run(['--lang', 'zh-CN', 'import', 'calls', 'list.xlsx', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ kind: 'calls', inserted: 4, rejected: 1, encoding: 'xlsx' });
    const calls = sheetCalls(db);
    expect(calls.map((c) => [c.plan_item_id, c.outcome]).sort()).toEqual(
      [
        [wangItems[0].id, 'no-answer'],
        [wangItems[1].id, 'completed'],
        [liItems[0].id, 'busy'],
        // The sheet of all calls is read first: its row is the call, the other sheet's is refused.
        [wangItems[2].id, 'busy'],
      ].sort(),
    );
    expect(calls.every((c) => c.source === 'sheet')).toBe(true);
    // The second, different row of the same call is in the rejects file with its reason.
    const rejects = fs.readFileSync(path.resolve(dir, summary.rejectsFile), 'utf8');
    expect(rejects).toContain('未接听');
    // Read again: nothing changes.
    const again = JSON.parse(run(['import', 'calls', 'list.xlsx', '--json'], { cwd: dir }).stdout);
    expect(again).toMatchObject({ inserted: 0, unchanged: 4, rejected: 1 });
  });
});
