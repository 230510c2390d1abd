import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BOM, csvCell, neutralise, toCsv, writeCsvFile } from '../../src/core/csv.js';
import { UserError } from '../../src/core/errors.js';
import { outputTarget } from '../../src/core/files.js';

describe('neutralise', () => {
  it('puts an apostrophe before text Excel would run as a formula', () => {
    expect(neutralise('=HYPERLINK("http://x","点我")')).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(neutralise('+8613800138000')).toBe(`'+8613800138000`);
    expect(neutralise('-2+3')).toBe(`'-2+3`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralise('\t=1')).toBe(`'\t=1`);
    // A lone CR is also a control character: shown as \\r, so it cannot overwrite a terminal's line.
    expect(neutralise('\r=1')).toBe(`'\\r=1`);
    expect(neutralise('王\x1b]0;t\x07')).toBe('王\\x1b]0;t\\x07');
  });

  it('leaves ordinary text alone, including = further in', () => {
    expect(neutralise('陈建国')).toBe('陈建国');
    expect(neutralise('a=b')).toBe('a=b');
    expect(neutralise('138****8000')).toBe('138****8000');
    expect(neutralise('')).toBe('');
  });
});

describe('csvCell', () => {
  it('quotes cells with a comma, a quote, a line break or edge spaces, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('a\r\nb')).toBe('"a\nb"'); // a line break in a cell is Excel's LF
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('neutralises before quoting, so a quoted formula is neutralised too', () => {
    expect(csvCell('=1+1,2')).toBe(`"'=1+1,2"`);
    expect(csvCell('\t=cmd')).toBe(`'\t=cmd`);
    expect(csvCell('\r=cmd')).toBe(`'\\r=cmd`);
  });

  it('writes numbers as they are, and null/undefined as empty', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
});

describe('toCsv', () => {
  it('starts with a UTF-8 BOM and ends every line with CRLF', () => {
    const text = toCsv(['编号', 'name'], [
      [1, '陈建国'],
      [2, 'a,b'],
    ]);
    expect(text).toBe('\uFEFF编号,name\r\n1,陈建国\r\n2,"a,b"\r\n');
    expect(text.startsWith(BOM)).toBe(true);
  });

  it('with no rows is the BOM and the header line', () => {
    expect(toCsv(['a', 'b'], [])).toBe('\uFEFFa,b\r\n');
  });
});

describe('writeCsvFile', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-csv-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the bytes of toCsv as UTF-8, readable by its owner only, replacing an older file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, 'old', { mode: 0o644 });
    writeCsvFile(outputTarget(file, { cwd: dir, flag: '--out' }), ['姓名'], [['王丽']]);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe('\uFEFF姓名\r\n王丽\r\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['list.csv']); // no temp file left behind
  });

  it('refuses a folder and a missing folder with a UserError', () => {
    const dir = tempDir();
    expect(() => outputTarget(dir, { cwd: dir, flag: '--out' })).toThrow(UserError);
    expect(() => outputTarget(path.join(dir, 'nope', 'list.csv'), { cwd: dir, flag: '--out' })).toThrow(/--out nope\/list\.csv: the folder nope does not exist/);
  });
});
