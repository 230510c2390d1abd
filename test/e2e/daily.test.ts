// The morning as a team lead lives it: init, import the three exports, plan, hand out the list.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, run, workspace } from './helpers.js';

let dir: string;
const cli = (...args: string[]) => run(args, { cwd: dir });

beforeAll(() => {
  dir = workspace();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('init → import → plan', () => {
  it('makes the dated call list from the bundled exports, as CSV for Excel and as JSON', () => {
    expect(cli('init', '--agents', '小王:10,小李:10').code).toBe(0);
    expect(fs.statSync(path.join(dir, 'followup.db')).mode & 0o777).toBe(0o600);
    for (const [kind, file] of [
      ['customers', 'fixtures/customers.csv'],
      ['orders', 'fixtures/orders.gbk.csv'],
      ['complaints', 'fixtures/complaints.csv'],
    ]) {
      const imported = cli('import', kind, file, '--json');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout).rejected).toBe(0);
    }

    const json = cli('plan', '--date', '2026-11-23', '--json', '--out', 'list.csv');
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(list.date).toBe('2026-11-23');
    // Two agents with 10 calls each: 20 on the list, the rest rolled to Tuesday.
    expect(list.items).toHaveLength(20);
    expect(list.rolledTo).toBe('2026-11-24');
    expect(list.items.filter((i: { agent: string }) => i.agent === '小王')).toHaveLength(10);
    // Urgent first: the open complaints and the high-value churn risks.
    const urgent = list.items.filter((i: { urgent: boolean }) => i.urgent).map((i: { customerId: string }) => i.customerId);
    expect(urgent.sort()).toEqual(['C1002', 'C1009', 'C1017', 'C1018', 'C1020', 'C1033']);
    expect(list.items.slice(0, 6).every((i: { urgent: boolean }) => i.urgent)).toBe(true);
    for (const item of list.items) {
      expect(item.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(['C1039', 'C1040']).not.toContain(item.customerId); // do-not-call
    }

    const csv = fs.readFileSync(path.join(dir, 'list.csv'), 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(21);
    expect(lines.slice(1).every((line) => !/1[3-9]\d{9}/.test(line))).toBe(true); // no full mobile number
    expect(query(path.join(dir, 'followup.db'), "SELECT count(*) AS n FROM plan_items WHERE plan_date = '2026-11-23'")).toEqual([{ n: 20 }]);

    // The next morning: yesterday's untouched calls come first, nothing is lost or doubled.
    const tuesday = JSON.parse(cli('plan', '--date', '2026-11-24', '--json').stdout);
    const monday = new Set(list.items.map((i: { customerId: string }) => i.customerId));
    expect(tuesday.items.length).toBeGreaterThan(0);
    expect(new Set(tuesday.items.map((i: { customerId: string }) => i.customerId)).size).toBe(tuesday.items.length);
    expect(tuesday.items.slice(0, 6).every((i: { customerId: string }) => monday.has(i.customerId))).toBe(true);
  });
});
