// The realistic back-office generator: deterministic, written as Excel and back offices write
// (GBK + CRLF, UTF-8 + BOM, xlsx with text ids), and its manifest tells the truth about the files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildBackoffice,
  excelScientific,
  HEADERS,
  parseBackofficeArgs,
  renderBackoffice,
  writeBackoffice,
  type BackofficeManifest,
  type ExportKind,
} from '../../src/tools/backoffice.js';
import { run } from '../e2e/helpers.js';

const DAY_MS = 86_400_000;

let dir: string;
let manifest: BackofficeManifest;
let elapsed: number;

/** The CSV's records (header first); record k is on line k + 1, as no field holds a newline. */
function records(file: string): string[][] {
  const bytes = fs.readFileSync(path.join(dir, file));
  const text = file.includes('.gbk.') ? iconv.decode(bytes, 'gbk') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  return parse(text, { relax_column_count: true }) as string[][];
}
const line = (rows: string[][], n: number): string[] => rows[n - 1];

async function sheet(file: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path.join(dir, file));
  return workbook.worksheets[0];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-backoffice-'));
  const started = performance.now();
  manifest = await writeBackoffice({ out: dir });
  elapsed = (performance.now() - started) / 1000;
});

describe('determinism', () => {
  it('the same seed gives the same bytes in every file, another seed other bytes', async () => {
    const a = await renderBackoffice(buildBackoffice({ customers: 300, seed: 11 }));
    const b = await renderBackoffice(buildBackoffice({ customers: 300, seed: 11 }));
    const c = await renderBackoffice(buildBackoffice({ customers: 300, seed: 12 }));
    expect(Object.keys(a.files)).toHaveLength(9);
    for (const [name, bytes] of Object.entries(a.files)) {
      expect(bytes.equals(b.files[name]), name).toBe(true);
      expect(bytes.equals(c.files[name]), name).toBe(false);
    }
    expect(JSON.stringify(a.manifest)).toBe(JSON.stringify(b.manifest));
  });

  it('the files on disk and manifest.json are what the function returned', () => {
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackofficeManifest;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifest)));
    for (const [name, truth] of Object.entries(manifest.files)) expect(fs.statSync(path.join(dir, name)).size).toBe(truth.bytes);
  });
});

describe('sizes (3000 customers over 18 months, defaults)', () => {
  it('has the rows a few thousand members make, and is fast', () => {
    const c = manifest.counts;
    expect(manifest.date).toBe('2026-11-23');
    expect(manifest.historyStart).toBe('2025-05-24');
    expect(c.customers.rows).toBe(3000);
    expect(c.orders.rows / 3000).toBeGreaterThan(2.5);
    expect(c.orders.rows / 3000).toBeLessThan(3.5);
    expect(c.orders.notCounting / c.orders.rows).toBeGreaterThan(0.05);
    expect(c.orders.notCounting / c.orders.rows).toBeLessThan(0.1);
    expect(c.tickets.rows).toBeGreaterThan(200);
    for (const kind of ['resolved', 'closedWithoutTime', 'open', 'stale', 'fresh'] as const) expect(c.tickets[kind], kind).toBeGreaterThanOrEqual(5);
    expect(c.customers.doNotCall).toBeGreaterThan(50);
    expect(c.customers.doNotCallBlank).toBeGreaterThan(10);
    expect(c.customers.phoneScientific).toBeGreaterThan(10);
    expect(c.customers.phoneMissing).toBeGreaterThan(10);
    expect(c.customers.phoneGarbled).toBeGreaterThan(5);
    expect(c.orders.idScientific).toBeGreaterThan(5);
    expect(c.orders.customerIdLostZerosCsv).toBeGreaterThan(20);
    expect(c.tickets.customerIdLostZerosCsv).toBeGreaterThan(0);
    expect(manifest.doNotCallWithDueWork.length).toBeGreaterThan(0);
    expect(manifest.onlyNotCountingBuyers.length).toBeGreaterThan(0);
    expect(manifest.serialDates.map((s) => s.kind)).toEqual(expect.arrayContaining(['customers', 'orders', 'tickets']));
    // < 3 s on an idle machine; allow for a loaded one.
    expect(elapsed).toBeLessThan(10);
  });
});

describe('CSV files as Excel saves them', () => {
  it('GBK decodes with iconv-lite (no replacement characters), has CRLF line ends and the same records as the BOM file', () => {
    for (const kind of ['customers', 'orders', 'tickets'] as ExportKind[]) {
      const gbk = fs.readFileSync(path.join(dir, `${kind}.gbk.csv`));
      expect(gbk.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      const text = iconv.decode(gbk, 'gbk');
      expect(text).not.toContain('\uFFFD');
      expect(text.startsWith(HEADERS[kind].join(','))).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.split('\n').length - 1).toBe(text.split('\r\n').length - 1);
      const bom = fs.readFileSync(path.join(dir, `${kind}.bom.csv`));
      expect(bom.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
      // Nothing lost in GBK (an unencodable character would have become "?"); GBK has no ¥:
      // the GBK file writes the full-width ￥ as Chinese Windows does.
      expect(text).toBe(bom.toString('utf8').slice(1).replace(/¥/g, '￥'));
      expect(records(`${kind}.gbk.csv`)).toEqual(records(`${kind}.bom.csv`).map((r) => r.map((v) => v.replace(/¥/g, '￥'))));
      // One record per line: line numbers in the manifest are lines of the file.
      expect(records(`${kind}.bom.csv`).length).toBe(text.split('\r\n').length - 1);
    }
  });

  it('has the totals row, the footer and the blank rows at the stated lines, after the data', () => {
    const expectations: Record<ExportKind, string> = { customers: '合计', orders: '合计', tickets: '总计' };
    for (const kind of ['customers', 'orders', 'tickets'] as ExportKind[]) {
      for (const format of ['gbk', 'bom'] as const) {
        const truth = manifest.files[`${kind}.${format}.csv`];
        const rows = records(`${kind}.${format}.csv`);
        expect(truth.dataRows).toBe(manifest.counts[kind].rows);
        expect(truth.lastDataLine).toBe(truth.dataRows + 1);
        expect(line(rows, truth.totalsLine!)[0]).toBe(expectations[kind]);
        expect(line(rows, truth.footerLine)[0]).toMatch(/^共 \d+ 条/);
        expect(line(rows, truth.footerLine)[0]).toContain(String(truth.dataRows));
        expect(truth.blankLines.length).toBeGreaterThan(0);
        for (const n of truth.blankLines) expect(line(rows, n).every((v) => v === '')).toBe(true);
        expect(rows.length).toBe(Math.max(...truth.blankLines));
        expect(line(rows, truth.lastDataLine)[0]).not.toBe('');
      }
    }
  });

  it('the totals row of the orders adds up the amounts of every row', () => {
    const rows = records('orders.bom.csv');
    const truth = manifest.files['orders.bom.csv'];
    let fen = 0;
    for (let n = 2; n <= truth.lastDataLine; n++) {
      const [yuan, cents] = line(rows, n)[5].replace(/[¥,元]/g, '').split('.');
      fen += Number(yuan) * 100 + Number(cents);
    }
    const total = line(rows, truth.totalsLine!)[5].replace(/[¥,]/g, '');
    expect(Math.round(Number(total) * 100)).toBe(fen);
  });

  it('mangled order ids are in scientific notation at their lines, and at least two rows collapsed into one value', () => {
    const rows = records('orders.gbk.csv');
    for (const s of manifest.scientificOrderIds) {
      expect(line(rows, s.line)[0]).toBe(s.written);
      expect(s.written).toMatch(/^2\.\d{1,5}E\+17$/);
      expect(excelScientific(s.trueId)).toBe(s.written);
      expect(s.trueId).toMatch(/^\d{18}$/);
    }
    expect(manifest.scientificOrderIds.some((s) => s.collidesWithLines.length > 0)).toBe(true);
    const rejects = manifest.files['orders.gbk.csv'].rejects;
    expect(rejects.filter((r) => r.reason === 'id-scientific')).toHaveLength(manifest.scientificOrderIds.length);
    expect(manifest.files['orders.xlsx'].rejects.every((r) => r.reason === 'id-scientific')).toBe(true);
  });

  it('member ids that lost their leading zeros appear so in the CSVs, and no customer has that id', () => {
    const ids = new Set(records('customers.bom.csv').slice(1, 3001).map((r) => r[0]));
    expect(ids.size).toBe(3000);
    expect([...ids].every((id) => /^\d{6}$/.test(id))).toBe(true);
    const rows = { orders: records('orders.bom.csv'), tickets: records('tickets.gbk.csv') };
    for (const l of manifest.lostZeros) {
      const row = line(rows[l.kind], l.line);
      expect(row[0]).toBe(l.recordId);
      expect(row[1]).toBe(l.written);
      expect(l.trueId.replace(/^0+/, '')).toBe(l.written);
      expect(ids.has(l.trueId)).toBe(true);
      expect(ids.has(l.written)).toBe(false);
    }
    const rejects = manifest.files['tickets.bom.csv'].rejects;
    expect(rejects.length).toBe(manifest.counts.tickets.customerIdLostZerosCsv);
    expect(rejects[0].didYouMean).toMatch(/^0+\d+$/);
  });

  it('phones: scientific, missing and garbled ones are where the manifest says; do-not-call is 是, 否 or blank', () => {
    const rows = records('customers.gbk.csv');
    for (const p of manifest.phones) {
      const row = line(rows, p.line);
      expect(row[0]).toBe(p.customerId);
      expect(row[2]).toBe(p.written);
      if (p.reason === 'scientific') {
        expect(p.written).toMatch(/^1\.\d{1,5}E\+10$/);
        expect(excelScientific(p.truePhone!)).toBe(p.written);
      }
      if (p.reason === 'missing') expect(p.written).toBe('');
      if (p.reason === 'garbled') expect(p.written).not.toMatch(/^1\d{10}$/);
    }
    const dnd = new Set(manifest.doNotCall);
    const blank = new Set(manifest.doNotCallBlank);
    for (const row of rows.slice(1, 3001)) {
      expect(row[6]).toBe(dnd.has(row[0]) ? '是' : blank.has(row[0]) ? '' : '否');
    }
  });

  it('orders that are no purchase carry their status and are in the manifest; every other status counts', () => {
    const rows = records('orders.bom.csv');
    const notCounting = new Map(manifest.notCountingOrders.map((o) => [o.line, o]));
    for (let n = 2; n <= manifest.files['orders.bom.csv'].lastDataLine; n++) {
      const status = line(rows, n)[6];
      if (notCounting.has(n)) expect(['已退款', '退款成功', '交易关闭', '已取消', '待付款']).toContain(status);
      else expect(['已完成', '交易成功', '已签收', '已发货', '待收货']).toContain(status);
    }
    for (const o of manifest.notCountingOrders) expect(line(rows, o.line)[1].replace(/^0+/, '')).toBe(o.customerId.replace(/^0+/, ''));
    for (const id of manifest.onlyNotCountingBuyers) expect(manifest.spendFen[id][0]).toBe(0);
  });

  it('tickets: closed without a resolution time, open, stale and fresh are what the rows say', () => {
    const rows = records('tickets.bom.csv');
    const reference = Date.parse(`${manifest.date}T00:00:00Z`);
    const ageDays = (iso: string): number => Math.floor((reference - Date.parse(iso.slice(0, 10) + 'T00:00:00Z')) / DAY_MS);
    for (const t of manifest.tickets) {
      const row = line(rows, t.line);
      expect(row[0]).toBe(t.id);
      expect(row[5]).toBe(t.status);
      expect(row[1].replace(/^0+/, '')).toBe(t.customerId.replace(/^0+/, ''));
      if (t.kind === 'resolved') expect(row[7]).not.toBe('');
      else expect(row[7]).toBe('');
      if (t.kind === 'closedWithoutTime') {
        expect(['已结案', '已关闭']).toContain(t.status);
        expect(t.bestDateFrom).toBe('更新时间');
        expect(row[8].replace(' ', 'T')).toBe(t.bestDate);
      }
      if (t.kind === 'stale') {
        expect(t.status).toBe('处理中');
        expect(ageDays(t.openedAt)).toBeGreaterThan(90);
      }
      if (t.kind === 'open') expect(ageDays(t.openedAt)).toBeLessThanOrEqual(90);
      if (t.kind === 'fresh') expect(ageDays(t.openedAt)).toBe(1);
      expect(ageDays(t.openedAt)).toBeGreaterThanOrEqual(1);
    }
  });

  it('Excel serial dates are numbers in the CSV at the stated cells', () => {
    const cache: Record<string, string[][]> = {};
    for (const s of manifest.serialDates) {
      const rows = (cache[s.kind] ??= records(`${s.kind}.bom.csv`));
      const col = HEADERS[s.kind].indexOf(s.column);
      expect(line(rows, s.line)[col]).toBe(s.written);
      const serial = Number(s.written);
      const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
      expect(day).toBe(s.date.slice(0, 10));
    }
  });
});

describe('workbooks', () => {
  it('keep leading-zero ids as text, including those the CSVs lost, and hold totals and footer rows', async () => {
    const customers = await sheet('customers.xlsx');
    expect(customers.name).toBe('会员列表');
    expect(customers.getCell('A2').value).toBe('000001');
    expect(customers.getCell('A2').numFmt).toBe('@');
    expect(customers.getRow(1).values).toEqual([undefined, ...HEADERS.customers]);
    const truth = manifest.files['customers.xlsx'];
    expect(customers.getCell(`A${truth.totalsLine}`).value).toBe('合计');
    expect(String(customers.getCell(`A${truth.footerLine}`).value)).toMatch(/^共 3000 条/);
    expect(customers.rowCount).toBe(truth.footerLine);

    const orders = await sheet('orders.xlsx');
    const lost = manifest.lostZeros.filter((l) => l.kind === 'orders');
    expect(lost.length).toBeGreaterThan(0);
    for (const l of lost) expect(orders.getCell(`B${l.line}`).value).toBe(l.trueId);
    for (const s of manifest.scientificOrderIds) expect(orders.getCell(`A${s.line}`).value).toBe(s.written);
    const serial = manifest.serialDates.find((s) => s.kind === 'orders')!;
    expect(orders.getCell(`C${serial.line}`).value).toBe(Number(serial.written));

    const tickets = await sheet('tickets.xlsx');
    for (const t of manifest.tickets.slice(0, 50)) {
      expect(tickets.getCell(`A${t.line}`).value).toBe(t.id);
      expect(tickets.getCell(`B${t.line}`).value).toBe(t.customerId);
    }
  });
});

describe('command line', () => {
  it('parses its flags and rejects bad ones', () => {
    expect(parseBackofficeArgs(['--realistic', '--out', 'x', '--customers', '1,000', '--seed', '9', '--date', '2026-12-01'])).toEqual({
      out: 'x',
      customers: 1000,
      seed: 9,
      date: '2026-12-01',
    });
    expect(parseBackofficeArgs(['--help'])).toBe('help');
    expect(() => parseBackofficeArgs(['--customers', '10'])).toThrow(/--out is required/);
    expect(() => parseBackofficeArgs(['--out', 'x', '--date', '2026-02-30'])).toThrow(/--date/);
    expect(() => parseBackofficeArgs(['--out', 'x', '--bogus', '1'])).toThrow(/unknown argument/);
  });
});

describe('the current import', () => {
  it('reads the BOM CSVs without crashing', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-backoffice-import-'));
    const db = path.join(work, 't.db');
    for (const [kind, file] of [['customers', 'customers.bom.csv'], ['orders', 'orders.bom.csv'], ['complaints', 'tickets.bom.csv']]) {
      const result = run(['--db', db, 'import', kind, path.join(dir, file), '--json'], { cwd: work });
      expect([0, 1], `${kind}: ${result.stderr}`).toContain(result.code);
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      if (result.code === 0) expect(JSON.parse(result.stdout).kind).toBe(kind);
    }
  });
});
