import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { publishTemp } from '../../src/core/files.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_ROWS, readExport } from '../../src/import/reader.js';
import { STORED_COLUMNS, type StoredValue } from '../../src/domain/rows.js';
import { setLang } from '../../src/messages/index.js';

let dir: string;
beforeEach(() => {
  setLang('en');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-reader-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('readExport: orders of customers the database does not know', () => {
  it('rejects them with their line and keeps every other row, in order, with its own values', async () => {
    // Two batches and a bit; every third order's customer is unknown, so known rows follow
    // rejected ones inside each batch and have to move down over them.
    const rows = BATCH_ROWS * 2 + 300;
    const lines = ['订单号,客户ID,下单时间,订单金额'];
    for (let i = 0; i < rows; i++) lines.push(`O${i},${i % 3 === 1 ? 'U' : 'K'}${i},2026-11-03,${i}`);
    const rejectsTarget = path.join(dir, 'orders.rejects.csv');
    const batches: { values: StoredValue[]; rows: number }[] = [];

    const result = await readExport(
      Readable.from([Buffer.from(lines.join('\n'))]),
      { kind: 'orders', fileLabel: 'orders.csv', overrides: [], rejectsTarget },
      {
        start: () => {},
        batch: (values, n) => batches.push({ values: [...values], rows: n }),
        progress: () => {},
        knownCustomers: (ids) => new Set(ids.filter((id) => id.startsWith('K'))),
      },
    );

    const width = STORED_COLUMNS.orders.length;
    const kept = batches.flatMap(({ values, rows: n }) => {
      expect(values).toHaveLength(n * width);
      return Array.from({ length: n }, (_, r) => values.slice(r * width, (r + 1) * width));
    });
    const expected = Array.from({ length: rows }, (_, i) => i).filter((i) => i % 3 !== 1);
    expect(kept.map((row) => [row[0], row[1], row[3]])).toEqual(expected.map((i) => [`O${i}`, `K${i}`, i * 100]));

    const unknown = Array.from({ length: rows }, (_, i) => i).filter((i) => i % 3 === 1);
    expect(result).toMatchObject({ rows, rejected: unknown.length, rejectsFile: rejectsTarget });
    // The reader leaves the report beside its target; the import puts it in place once saved.
    expect(fs.existsSync(rejectsTarget)).toBe(false);
    expect(publishTemp(rejectsTarget)).toBe(true);
    // Every reject is in the file (they are written several hundred at a time), in line order:
    // the header is line 1, so order i is on line i + 2.
    const written = fs.readFileSync(rejectsTarget, 'utf8').replace(/^\ufeff/, '').trim().split('\n').slice(1);
    expect(written).toHaveLength(unknown.length);
    expect(written.map((l) => l.split(',').slice(0, 3).join(','))).toEqual(unknown.map((i) => `${i + 2},客户ID,U${i}`));
    expect(written[0]).toContain('customer U1 is not in the database');
  });
});
