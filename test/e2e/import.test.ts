import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { count, query, run, snapshot, start, workspace } from './helpers.js';
import { generate } from '../../src/tools/generate.js';

let dir: string;
let db: string;
const cli = (...args: string[]) => run(args, { cwd: dir });

beforeEach(() => {
  dir = workspace();
  db = path.join(dir, 'followup.db');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function importAll() {
  expect(cli('import', 'customers', 'fixtures/customers.csv').code).toBe(0);
  expect(cli('import', 'orders', 'fixtures/orders.gbk.csv').code).toBe(0);
  expect(cli('import', 'complaints', 'fixtures/complaints.csv').code).toBe(0);
}

describe('followup import', () => {
  it('imports the UTF-8-with-BOM customers fixture with Chinese headers and mixed formats', () => {
    const result = cli('import', 'customers', 'fixtures/customers.csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toMatch(/^customers\.csv: 40 rows, 40 inserted, 0 updated, 0 unchanged, 0 rejected, 0 skipped, 2 with warnings, 0 duplicate ids, [\d.]+ s, [\d,]+ rows\/s$/);
    // The column no field claims is named; the two customers without a phone are kept, and listed.
    expect(lines[1]).toBe('Columns not understood (kept with each record, but not used): "备注". If one matters, map it: --map "HEADER=field".');
    expect(lines[2]).toContain('2 rows kept with a warning');
    expect(query(db, "SELECT id, phone FROM customers WHERE id IN ('C1030', 'C1036') ORDER BY id")).toEqual([
      { id: 'C1030', phone: null },
      { id: 'C1036', phone: null },
    ]);
    expect(count(db, 'customers')).toBe(40);
    const [chen] = query(db, 'SELECT * FROM customers WHERE id = ?', 'C1001');
    expect(chen).toMatchObject({
      name: '陈建国',
      phone: '+8613801126547',
      phone_raw: '13801126547',
      city: '北京',
      signup_date: '2025-05-08',
      tier: '钻石会员',
      do_not_call: 0,
      preferred_time: '工作日晚上',
      extra: JSON.stringify({ 备注: '老客户，多次复购' }),
    });
    // "+86 158-5710-3392" and "2025年7月12日" normalised
    expect(query(db, 'SELECT phone, signup_date FROM customers WHERE id = ?', 'C1003')).toEqual([
      { phone: '+8615857103392', signup_date: '2025-07-12' },
    ]);
    // do-not-call customers flagged
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM customers WHERE do_not_call = 1')[0].n).toBe(2);
  });

  it('imports a GBK file as Excel on Chinese Windows writes it, with Chinese headers and amounts in fen', () => {
    cli('import', 'customers', 'fixtures/customers.csv');
    const result = cli('import', 'orders', 'fixtures/orders.gbk.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ kind: 'orders', file: 'orders.gbk.csv', encoding: 'gb18030', rows: 120, inserted: 120, rejected: 0 });
    const products = query<{ product: string }>(db, 'SELECT DISTINCT product FROM orders');
    expect(products.length).toBeGreaterThan(3);
    for (const { product } of products) expect(product).toMatch(/[\u4e00-\u9fff]/); // decoded Chinese, not mojibake
    const amounts = query<{ amount_fen: number }>(db, 'SELECT amount_fen FROM orders');
    for (const { amount_fen } of amounts) expect(Number.isInteger(amount_fen)).toBe(true);
    const dates = query<{ ordered_at: string }>(db, 'SELECT ordered_at FROM orders');
    for (const { ordered_at } of dates) expect(ordered_at).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/);
  });

  it('prints exactly one JSON object with --json', () => {
    const result = cli('import', 'customers', 'fixtures/customers.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['kind', 'file', 'rows', 'inserted', 'updated', 'unchanged', 'rejected', 'rejectsFile']),
    );
    expect(summary).toMatchObject({
      kind: 'customers',
      file: 'customers.csv',
      rows: 40,
      inserted: 40,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      skipped: 0,
      warnings: 2,
      unmappedColumns: ['备注'],
      rejectsFile: path.join(dir, 'customers.rejects.csv'),
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('changes nothing when the same files are imported twice', () => {
    importAll();
    const records = () => JSON.stringify(['customers', 'orders', 'complaints'].map((table) => query(db, `SELECT * FROM ${table} ORDER BY id`)));
    const before = records();
    const again = JSON.parse(cli('import', 'orders', 'fixtures/orders.gbk.csv', '--json').stdout);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 120, rejected: 0 });
    const customersAgain = JSON.parse(cli('import', 'customers', 'fixtures/customers.csv', '--json').stdout);
    expect(customersAgain).toMatchObject({ inserted: 0, updated: 0, unchanged: 40 });
    // Every record is as it was, down to which import last wrote it; only the import log grew.
    expect(records()).toBe(before);
    expect(query(db, 'SELECT DISTINCT import_id FROM orders')).toEqual([{ import_id: 2 }]);
    expect(count(db, 'imports')).toBe(5);
  });

  it('updates records from a newer export, keeps columns the export lacks, and resolves duplicate ids (last row wins)', () => {
    cli('import', 'customers', 'fixtures/customers.csv');
    const result = cli('import', 'customers', 'fixtures/customers-update.csv', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 6, inserted: 1, updated: 2, unchanged: 2, duplicates: 1, rejected: 0 });
    expect(count(db, 'customers')).toBe(41);
    // C1041 appears twice; the later row has the e-mail and the preferred time.
    expect(query(db, 'SELECT email, preferred_time FROM customers WHERE id = ?', 'C1041')).toEqual([
      { email: 'suwanqing@163.com', preferred_time: '工作日晚上' },
    ]);
    // The update file has no 备注 column: C1001's remark survives.
    expect(query(db, 'SELECT extra FROM customers WHERE id = ?', 'C1001')).toEqual([{ extra: JSON.stringify({ 备注: '老客户，多次复购' }) }]);
  });

  it('reads UTF-16LE tab-separated "Unicode text" with other header names', () => {
    const result = cli('import', 'customers', 'fixtures/customers.tsv', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ encoding: 'utf16le', delimiter: 'tab', rows: 5, inserted: 5, rejected: 0 });
  });

  it('writes rejected rows with line, field, value, reason and the original row, and imports the rest', () => {
    const result = cli('import', 'customers', 'fixtures/bad/customers-bad.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    // A missing id and a broken row cost the record; a bad phone or date only costs that value.
    expect(summary).toMatchObject({ rows: 10, inserted: 8, rejected: 2, warnings: 3 });
    expect(summary.rejectsFile).toBe(path.join(dir, 'customers-bad.rejects.csv'));
    const rejects = fs.readFileSync(summary.rejectsFile, 'utf8');
    expect(rejects.startsWith('\ufeffline,field,value,reason,客户编号,客户姓名,手机号')).toBe(true);
    const lines = rejects.trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('3,客户编号,,客户编号 is required,,胡静,13912340002,,上海,2026-01-06,普通会员,否,,客户编号为空');
    expect(lines[1]).toMatch(/^4,手机号,12345,"kept without this value: not a phone number: ""12345""/);
    expect(lines[2]).toMatch(/^6,注册时间,2026-02-30,"kept without this value: no such date: ""2026-02-30""",C9005,/);
    expect(lines[3]).toMatch(/^8,注册时间,下周一,"kept without this value: not a date: ""下周一""/);
    expect(lines[4]).toBe('9,,,"expected 10 columns, found 5",C9008,孟雪,13912340008,,南京');
    expect(fs.statSync(summary.rejectsFile).mode & 0o777).toBe(0o600);
    expect(query(db, 'SELECT id FROM customers ORDER BY id').map((r) => r.id)).toEqual(['C9001', 'C9003', 'C9004', 'C9005', 'C9006', 'C9007', 'C9009', 'C9010']);
    expect(query(db, "SELECT phone, phone_raw FROM customers WHERE id = 'C9003'")).toEqual([{ phone: null, phone_raw: '12345' }]);
  });

  it('rejects orders for unknown customers and negative amounts, naming the fix', () => {
    cli('import', 'customers', 'fixtures/customers.csv');
    const result = cli('import', 'orders', 'fixtures/bad/orders-unknown-customer.csv', '--rejects', 'bad-orders.csv', '--json');
    expect(result.code).toBe(0);
    // The negative amount keeps its order at ¥0 with a warning; the unknown customers cost theirs.
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 5, inserted: 3, rejected: 2, warnings: 1, rejectsFile: path.join(dir, 'bad-orders.csv') });
    expect(query(db, "SELECT amount_fen FROM orders WHERE id = 'O202611953'")).toEqual([{ amount_fen: 0 }]);
    const lines = fs.readFileSync(path.join(dir, 'bad-orders.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 3).join(','))).toEqual(
      expect.arrayContaining(["4,订单金额,'-50", '3,客户ID,C8888', '5,客户ID,C8889']),
    );
    expect(lines.find((l) => l.startsWith('3,'))).toContain('customer C8888 is not in the database; import the customers file first');
  });

  it('refuses a file with a missing required column in one line, writing nothing', () => {
    cli('import', 'customers', 'fixtures/customers.csv');
    const before = snapshot(db);
    const result = cli('import', 'orders', 'fixtures/bad/orders-missing-column.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('orders-missing-column.csv has no column for customer id. Columns found: "订单号", "下单时间", "订单金额", "商品名称".');
    expect(result.stderr).toContain('Accepted names: 客户编号/客户ID');
    expect(result.stderr).toContain('--map "YOUR HEADER=customerId"');
    expect(snapshot(db)).toBe(before);
  });

  it('says it in Chinese with --lang zh-CN or a Chinese locale', () => {
    const flag = run(['--lang', 'zh-CN', 'import', 'orders', 'nowhere.csv'], { cwd: dir });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe('找不到文件：nowhere.csv。请检查路径，或用 - 从标准输入读取。\n');
    const locale = run(['import', 'orders', 'nowhere.csv'], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });
    expect(locale.stderr).toBe(flag.stderr);
  });

  it('reads standard input with -', () => {
    const input = fs.readFileSync(path.join(dir, 'fixtures/customers.csv'));
    const result = run(['import', 'customers', '-', '--json'], { cwd: dir, input });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: 'stdin', rows: 40, inserted: 40 });
    expect(count(db, 'customers')).toBe(40);
  });

  it('validates without writing on --dry-run', () => {
    const result = cli('import', 'customers', 'fixtures/customers.csv', '--dry-run', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, rows: 40, inserted: 40 });
    expect(fs.existsSync(db)).toBe(false);
    cli('import', 'customers', 'fixtures/customers.csv');
    const before = snapshot(db);
    expect(JSON.parse(cli('import', 'customers', 'fixtures/customers-update.csv', '--dry-run', '--json').stdout)).toMatchObject({ inserted: 1, updated: 2 });
    expect(snapshot(db)).toBe(before);
  });

  it('maps unusual headers with --map', () => {
    fs.writeFileSync(path.join(dir, 'odd.csv'), '会员卡,称呼,电话\nM1,王五,13800138000\n');
    const refused = cli('import', 'customers', 'odd.csv');
    expect(refused.code).toBe(1);
    const result = cli('import', 'customers', 'odd.csv', '--map', '会员卡=id', '--map', '称呼=name', '--json');
    expect(result.code).toBe(0);
    expect(query(db, 'SELECT id, name, phone FROM customers')).toEqual([{ id: 'M1', name: '王五', phone: '+8613800138000' }]);
  });

  it('reports user errors in one line with the right exit code', () => {
    const cases: [string[], number, string][] = [
      [['import', 'customers', 'missing.csv'], 1, 'File not found: missing.csv. Check the path, or use - to read from standard input.\n'],
      [['import', 'customers', 'fixtures'], 1, 'fixtures is a folder, not a file. Give the path of the CSV export.\n'],
      [['import', 'people', 'fixtures/customers.csv'], 2, 'Unknown import kind "people". Use one of: customers, orders, complaints, calls.\n'],
      [['import', 'customers', 'fixtures/customers.csv', '--encoding', 'latin9'], 2, 'Unknown encoding "latin9". Use one of: utf8, utf16le, gbk, gb18030.\n'],
      [['import', 'customers'], 2, "Missing argument file. See 'followup import --help'.\n"],
      [['import', 'customers', 'fixtures/customers.csv', '--frobnicate'], 2, "Unknown option --frobnicate. See 'followup import --help'.\n"],
      [['frobnicate'], 2, "Unknown command frobnicate. See 'followup --help' for the commands.\n"],
      [['--lang', 'fr', 'import', 'customers', 'x.csv'], 2, 'Unknown language "fr". Use zh-CN or en.\n'],
    ];
    for (const [args, code, stderr] of cases) {
      const result = cli(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code, stderr });
    }
    expect(fs.existsSync(db)).toBe(false);
  });

  it('refuses a malformed CSV in one line with the line to look at, and leaves no database behind', () => {
    fs.writeFileSync(path.join(dir, 'broken.csv'), 'id,name,phone\nA1,"张三,13800138000\nA2,李四,13800138001\n');
    const result = cli('import', 'customers', 'broken.csv');
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'broken.csv: a quoted field that starts on line 2 is never closed. Check that line for a stray " character.\n',
    });
    expect(fs.existsSync(db)).toBe(false);
    // With a database already there, it is left exactly as it was.
    cli('import', 'customers', 'fixtures/customers.csv');
    const before = snapshot(db);
    expect(cli('import', 'customers', 'broken.csv').code).toBe(1);
    expect(snapshot(db)).toBe(before);
  });

  it('creates the database readable by its owner only, and refuses one from a newer followup', () => {
    cli('import', 'customers', 'fixtures/customers.csv');
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    const handle = new Database(db);
    handle.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')").run();
    handle.close();
    const result = cli('import', 'customers', 'fixtures/customers.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^The database .*followup\.db was written by a newer version of followup \(schema 999, this version knows up to \d+\)\. Update followup\.\n$/);
  });

  it('counts duplicate ids across batches and within one, in a big file read by the worker thread', () => {
    // 30,000 rows (over 2 MB, so the worker thread reads it): ids repeat 20,000 rows later (another
    // batch) and right after themselves (the same batch); the last row of each id wins.
    const lines = ['客户编号,客户姓名,手机号,城市,备注'];
    const note = '备注'.repeat(40);
    for (let i = 0; i < 30_000; i++) lines.push(`D${i},客户${i},138${String(i).padStart(8, '0')},上海,${note}`);
    for (let i = 0; i < 10; i++) lines.splice(20_000 + i * 3, 0, `D${i},改名${i},13900000000,北京,${note}`);
    const at = lines.findIndex((l) => l.startsWith('D25000,'));
    lines.splice(at + 1, 0, 'D25000,又改名,13900000001,广州,x');
    fs.writeFileSync(path.join(dir, 'big.csv'), lines.join('\n'));
    expect(fs.statSync(path.join(dir, 'big.csv')).size).toBeGreaterThan(2 * 1024 * 1024);
    const result = JSON.parse(cli('import', 'customers', 'big.csv', '--json').stdout);
    expect(result).toMatchObject({ rows: 30_011, inserted: 30_000, updated: 0, unchanged: 0, duplicates: 11, rejected: 0 });
    expect(query(db, "SELECT id, name, city FROM customers WHERE id IN ('D0', 'D9', 'D10', 'D25000') ORDER BY id")).toEqual([
      { id: 'D0', name: '改名0', city: '北京' },
      { id: 'D10', name: '客户10', city: '上海' },
      { id: 'D25000', name: '又改名', city: '广州' },
      { id: 'D9', name: '改名9', city: '北京' },
    ]);
    // Again: nothing changes, and the repeats are still counted as repeats.
    const again = JSON.parse(cli('import', 'customers', 'big.csv', '--json').stdout);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 30_000, duplicates: 11 });
  });

  it('leaves the database exactly as it was when the import is killed part-way', async () => {
    const data = path.join(dir, 'big');
    await generate({ customers: 40_000, out: data, seed: 7 });
    cli('import', 'customers', 'fixtures/customers.csv');
    const before = snapshot(db);
    let interrupted = 0;
    // Kill at increasing moments: while reading, while staging, while merging.
    for (const delay of [150, 400, 800, 1200, 1800]) {
      const child = start(['import', 'customers', path.join(data, 'customers.csv')], { cwd: dir });
      const closed = new Promise((resolve) => child.once('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      const exited = child.exitCode !== null;
      child.kill('SIGKILL');
      await closed;
      const after = snapshot(db);
      if (!exited && child.signalCode === 'SIGKILL' && after === before) interrupted++;
      if (after !== before) {
        // It finished before the kill: then the whole file is in, not a part of it.
        expect(count(db, 'imports')).toBe(2);
        break;
      }
    }
    expect(interrupted).toBeGreaterThan(0);
    const integrity = query<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    expect(integrity).toEqual([{ integrity_check: 'ok' }]);
  });
});
