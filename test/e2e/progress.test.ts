// An import's progress as a person sees it on a terminal: the file's name (not its path), a bar,
// rows a second and the time left, never wider than the terminal; then the saving, still moving.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/core/width.js';
import { plainText, query, Terminal, workspace } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('import progress on a terminal', () => {
  it('fits a narrow terminal and shows name, rows/s, time left and the saving', async () => {
    const dir = workspace();
    dirs.push(dir);
    const folder = path.join(dir, '一个很长的文件夹名字', 'exports');
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, '客户导出.csv');
    const header = fs.readFileSync(path.join(dir, 'fixtures/customers.csv'), 'utf8').split(/\r?\n/)[0];
    const rows: string[] = [header];
    for (let i = 0; i < 200_000; i++) rows.push(`C${String(i).padStart(7, '0')},客户${i},138${String(i).padStart(8, '0')},c${i}@163.com,北京,2025/5/8,普通会员,否,工作日晚上,备注${i}`);
    fs.writeFileSync(file, rows.join('\n') + '\n');
    expect(fs.statSync(file).size).toBeGreaterThan(8 * 1024 * 1024);

    const term = new Terminal(['import', 'customers', file], { cwd: dir, cols: 60 });
    const exit = await term.exited;
    expect(exit.exitCode).toBe(0);
    // Every state the line was drawn in, as the terminal showed it (each redraw starts at column 1).
    const frames = term.raw
      .split(/\r|\x1b\[1G|\x1b8/)
      .map((frame) => plainText(frame).split('\n')[0].trim())
      .filter((frame) => frame.startsWith('客户导出.csv  '));
    expect(frames.length).toBeGreaterThan(3);
    for (const frame of frames) expect(displayWidth(frame)).toBeLessThanOrEqual(59);
    expect(term.text).not.toContain('一个很长的文件夹名字');
    expect(frames.some((f) => /\d+%/.test(f) && /[\d,]+ rows\/s/.test(f))).toBe(true);
    expect(frames.some((f) => / left$/.test(f))).toBe(true);
    expect(frames.some((f) => f.includes('saving 200,000 rows'))).toBe(true);
    // Then the line is cleared and the summary printed.
    expect(term.text).toMatch(/客户导出\.csv: 200,000 rows, 200,000 inserted/);
    expect(query(path.join(dir, 'followup.db'), 'SELECT count(*) AS n FROM customers')).toEqual([{ n: 200_000 }]);
  });
});
