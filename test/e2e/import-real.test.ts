// Exports as a Chinese back office and Excel really write them: totals rows, columns nobody
// mapped, do-not-call flags under other names, Excel's damage, statuses, workbooks.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { query, run, snapshot, workspace } from './helpers.js';

let dir: string;
let db: string;
const cli = (...args: string[]) => run(args, { cwd: dir });
const write = (name: string, lines: string[], encoding: 'utf8-bom' | 'gbk' = 'utf8-bom') => {
  const text = lines.join('\r\n') + '\r\n';
  fs.writeFileSync(path.join(dir, name), encoding === 'gbk' ? iconv.encode(text, 'gbk') : '\ufeff' + text);
};

beforeEach(() => {
  dir = workspace();
  db = path.join(dir, 'followup.db');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const MEMBERS = [
  '会员ID,会员姓名,手机号码,注册时间,会员等级,是否免打扰,联系时段,所属门店,最后登录时间',
  '000123,王丽,13800138000,2025/3/1,金卡会员,否,工作日晚上,南京西路店,2026-11-20',
  '000124,陈建国,1.38001E+10,2025/3/2,普通会员,是,,南京西路店,2026-11-20',
  '000125,张伟,,2025/3/3,普通会员,,,徐汇店,',
  '000126,李娜,13900139000,2025/3/4,普通会员,否,周末,徐汇店,',
  '合计,4 人,,,,,,,',
  '共 4 条,,,,,,,,',
  ',,,,,,,,',
];

describe('import of real back-office exports', () => {
  it('skips totals and footer rows, names the columns it did not map, keeps a customer with an unusable phone', () => {
    write('会员.csv', MEMBERS, 'gbk');
    const result = cli('import', 'customers', '会员.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ rows: 4, inserted: 4, rejected: 0, skipped: 3, warnings: 2, unmappedColumns: ['所属门店', '最后登录时间'] });
    expect(query(db, 'SELECT id FROM customers ORDER BY id').map((r) => r.id)).toEqual(['000123', '000124', '000125', '000126']);
    // The phone in scientific notation lost its digits: kept as written, not callable.
    expect(query(db, "SELECT phone, phone_raw, do_not_call FROM customers WHERE id = '000124'")).toEqual([{ phone: null, phone_raw: '1.38001E+10', do_not_call: 1 }]);
    const rejects = fs.readFileSync(summary.rejectsFile, 'utf8');
    expect(rejects).toContain('scientific notation');
    expect(rejects).toContain('Format the column as Text');
    expect(query(db, 'SELECT skipped, warnings FROM imports')).toEqual([{ skipped: 3, warnings: 2 }]);

    const text = cli('import', 'customers', '会员.csv');
    expect(text.stderr).toContain('3 skipped');
    expect(text.stderr).toContain('"所属门店", "最后登录时间"');
    expect(text.stderr).toContain('line 6, "合计"');
  });

  it('stops, changing nothing, when a do-not-call column holds a value it cannot read', () => {
    write('会员.csv', MEMBERS);
    cli('import', 'customers', '会员.csv');
    const before = snapshot(db);
    write('dnd.csv', ['用户ID,姓名,手机,拒访', '000127,周杰,13700137000,待定', '000128,吴敏,13700137001,是']);
    const result = cli('import', 'customers', 'dnd.csv');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('The do-not-call column "拒访" of dnd.csv has a value that is not yes/no: "待定" (line 2)');
    expect(snapshot(db)).toBe(before);
  });

  it.each(['免打扰', '是否免打扰', '勿扰', '拒绝回访', '禁止外呼', 'DND'])('reads %j as the do-not-call flag', (header) => {
    write('c.csv', [`客户编号,姓名,手机,${header}`, 'C1,王丽,13800138000,是', 'C2,陈建国,13800138001,否']);
    const result = cli('import', 'customers', 'c.csv', '--json');
    expect(JSON.parse(result.stdout).unmappedColumns).toEqual([]);
    expect(query(db, 'SELECT id, do_not_call FROM customers ORDER BY id')).toEqual([
      { id: 'C1', do_not_call: 1 },
      { id: 'C2', do_not_call: 0 },
    ]);
  });

  it('rejects orders whose ids Excel mangled, every row of a collapsed id, and suggests the zeros Excel dropped', () => {
    write('会员.csv', MEMBERS);
    cli('import', 'customers', '会员.csv');
    write('订单.csv', [
      '订单编号,会员ID,下单时间,实付金额,订单状态',
      '2.02611E+17,000123,2026/11/10 10:00,"¥1,299.00",交易成功',
      '2.02611E+17,000126,2026/11/11 10:00,99.00,交易成功',
      '202611230000012000,000123,2026/11/12 10:00,10.00,交易成功',
      '202611230000012000,000126,2026/11/12 11:00,20.00,交易成功',
      '202611230000099000,000126,2026/11/12 12:00,30.00,交易成功',
      'O-1,123,2026/11/13 10:00,50.00,交易成功',
      'O-2,999,2026/11/13 10:00,50.00,交易成功',
      '合计,,,"¥1,508.00",',
    ]);
    const result = cli('import', 'orders', '订单.csv', '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ rows: 7, inserted: 1, rejected: 6, skipped: 1 });
    expect(query(db, 'SELECT id FROM orders')).toEqual([{ id: '202611230000099000' }]);
    const lines = fs.readFileSync(summary.rejectsFile, 'utf8').trim().split(/\r?\n/).slice(1);
    expect(lines.filter((l) => l.includes('scientific notation'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('rounded by Excel to 15 digits'))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('7,'))).toContain('did you mean 000123? Excel drops leading zeros');
    expect(lines.find((l) => l.startsWith('8,'))).toContain('customer 999 is not in the database');
  });

  it('stores statuses: refunded, cancelled, closed and unpaid orders are no purchase; tickets closed without a time are resolved', () => {
    write('会员.csv', MEMBERS);
    cli('import', 'customers', '会员.csv');
    write('订单.csv', [
      '订单编号,会员ID,下单时间,实付金额,交易状态',
      'A1,000123,2026/11/10,100,已完成',
      'A2,000123,2026/11/10,100,退款成功',
      'A3,000123,2026/11/10,100,交易关闭',
      'A4,000123,2026/11/10,100,已取消',
      'A5,000123,2026/11/10,100,待付款',
      'A6,000123,2026/11/10,100,神秘状态',
    ]);
    const orders = JSON.parse(cli('import', 'orders', '订单.csv', '--json').stdout);
    expect(orders).toMatchObject({ inserted: 6, nonPurchase: 4, unknownStatuses: ['神秘状态'] });
    expect(query(db, 'SELECT id, state, counts FROM orders ORDER BY id')).toEqual([
      { id: 'A1', state: 'completed', counts: 1 },
      { id: 'A2', state: 'refunded', counts: 0 },
      { id: 'A3', state: 'closed', counts: 0 },
      { id: 'A4', state: 'cancelled', counts: 0 },
      { id: 'A5', state: 'unpaid', counts: 0 },
      { id: 'A6', state: 'other', counts: 1 },
    ]);
    write('工单.csv', [
      '工单编号,会员ID,创建时间,处理完成时间,工单状态,更新时间',
      'T1,000123,2026/11/01,,已结案,2026/11/03 15:00',
      'T2,000123,2026/11/02,,已关闭,',
      'T3,000126,2026/11/20,,处理中,2026/11/21',
    ]);
    const tickets = JSON.parse(cli('import', 'complaints', '工单.csv', '--json').stdout);
    expect(tickets).toMatchObject({ inserted: 3, resolvedFrom: { updatedAt: 1, openedAt: 1 } });
    expect(query(db, 'SELECT id, state, resolved_at, resolved_from FROM complaints ORDER BY id')).toEqual([
      { id: 'T1', state: 'closed', resolved_at: '2026-11-03T15:00:00', resolved_from: 'updatedAt' },
      { id: 'T2', state: 'closed', resolved_at: '2026-11-02', resolved_from: 'openedAt' },
      { id: 'T3', state: 'open', resolved_at: null, resolved_from: null },
    ]);
  });

  it('refuses orders or tickets while no customers are stored, changing nothing', () => {
    write('订单.csv', ['订单编号,会员ID,下单时间,实付金额', 'A1,000123,2026/11/10,100']);
    const result = cli('import', 'orders', '订单.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('No customers are stored yet: import customers first (followup import customers FILE), then the orders file.\n');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('reads an .xlsx workbook: the first sheet or --sheet, text ids keep their zeros, numbers their digits', async () => {
    const workbook = new ExcelJS.Workbook();
    const cover = workbook.addWorksheet('说明');
    cover.addRow(['本表由 CRM 导出']);
    const sheet = workbook.addWorksheet('会员');
    sheet.addRow(['会员ID', '会员姓名', '手机号码', '注册时间', '是否免打扰', '所属门店']);
    sheet.addRow(['000123', '王丽', 13800138000, new Date(Date.UTC(2025, 2, 1)), '否', '南京西路店']);
    sheet.addRow(['000124', '陈建国', '13900139000', new Date(Date.UTC(2025, 2, 2, 14, 30)), '是']);
    sheet.addRow(['合计', '2 人']);
    await workbook.xlsx.writeFile(path.join(dir, '会员.xlsx'));

    const first = cli('import', 'customers', '会员.xlsx');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('会员.xlsx has no column for id');

    const wrong = cli('import', 'customers', '会员.xlsx', '--sheet', '客户');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('会员.xlsx has no sheet "客户". Its sheets: "说明", "会员".\n');

    const result = cli('import', 'customers', '会员.xlsx', '--sheet', '会员', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ encoding: 'xlsx', sheet: '会员', rows: 2, inserted: 2, skipped: 1, unmappedColumns: ['所属门店'] });
    expect(query(db, 'SELECT id, phone, signup_date, do_not_call FROM customers ORDER BY id')).toEqual([
      { id: '000123', phone: '+8613800138000', signup_date: '2025-03-01', do_not_call: 0 },
      { id: '000124', phone: '+8613900139000', signup_date: '2025-03-02', do_not_call: 1 },
    ]);
  });
});
