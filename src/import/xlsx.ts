// Reading an .xlsx workbook as an export: the first sheet (or the one named), streamed row by row
// with exceljs's WorkbookReader, into the same mapping, validation and rejects as a CSV. Cells are
// turned into the text a CSV of the sheet would hold: a text cell as it is (000123 keeps its zeros),
// a number as its exact digits (13800138000, never 1.38E+10), a date as ISO text, a formula as its
// result.

import crypto from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { UserError } from '../core/errors.js';
import { RecordSink, type ReaderConfig, type ReaderEvents, type ReaderResult } from './reader.js';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** An .xlsx workbook, by its name or its first bytes (a zip); an old binary .xls is refused with the fix. */
export function isWorkbook(file: string, label: string): boolean {
  let head = Buffer.alloc(4);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = head.subarray(0, fs.readSync(fd, head, 0, 4, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return /\.xls[xm]$/i.test(file);
  }
  if (head.equals(OLE_MAGIC)) throw new UserError('error.oldXls', { file: label });
  return head.equals(ZIP_MAGIC) || /\.xls[xm]$/i.test(file);
}

/** One cell as the text a CSV export would hold. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof (value as { text: unknown }).text === 'string') return (value as { text: string }).text;
    if ('error' in value) return String((value as { error: unknown }).error);
  }
  return String(value);
}

/** 13800138000 → "13800138000"; 1234.5 → "1234.5": the digits, never an exponent for whole numbers. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** Excel's dates have no zone: exceljs gives them as UTC; the clock time is kept as written. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? day : `${day} ${time}`;
}

export async function readWorkbook(file: string, sheetName: string | undefined, config: ReaderConfig, events: ReaderEvents): Promise<ReaderResult> {
  const sha256 = await fileHash(file);
  const records = new RecordSink(config, events, { encoding: 'xlsx', delimiter: 'xlsx' });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const seen: string[] = [];
  let sheetRead: string | undefined;
  let rows = 0;
  let width = 0;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      seen.push(name);
      if (sheetRead !== undefined || (sheetName !== undefined && name.trim() !== sheetName.trim())) {
        // The sheets after the one read are drained, not parsed into records.
        for await (const _ of worksheet) void _;
        continue;
      }
      sheetRead = name;
      for await (const row of worksheet) {
        const values = (row as ExcelJS.Row).values as ExcelJS.CellValue[];
        const record: string[] = [];
        for (let c = 1; c < values.length; c++) record.push(cellText(values[c]));
        // A sheet row ends at its last filled cell: pad it to the header's width, as a CSV row is.
        if (width === 0 && record.some((c) => c.trim() !== '')) width = record.length;
        while (record.length < width) record.push('');
        rows++;
        records.add(record, (row as ExcelJS.Row).number, false, rows);
      }
    }
  } catch (error) {
    records.close();
    if (error instanceof UserError) throw error;
    throw new UserError('error.workbookUnreadable', { file: config.fileLabel, reason: (error as Error).message });
  }
  if (sheetRead === undefined) {
    records.close();
    if (sheetName !== undefined) throw new UserError('error.sheetNotFound', { file: config.fileLabel, sheet: sheetName, sheets: seen.map((s) => `"${s}"`).join(', ') });
    throw new UserError('error.emptyFile', { file: config.fileLabel });
  }
  try {
    return { ...records.finish(rows), sha256, encoding: 'xlsx', delimiter: 'xlsx', sheet: sheetRead };
  } finally {
    records.close();
  }
}

async function fileHash(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
