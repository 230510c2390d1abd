// segments, customers, explain and plan on the fixtures, with today = 2026-11-23 (a Monday).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { count, run, workspace } from './helpers.js';
import { SCENARIO_IDS } from '../../src/core/config.js';

const DATE = '2026-11-23';
const MASKED = /^\d{3}\*{4}\d{4}$/;

/** One folder with the three fixtures imported; each test works on its own copy of it. */
let seeded: string;
let dir: string;
let db: string;
const cli = (...args: string[]) => run(args, { cwd: dir });
const zh = (...args: string[]) => run(args, { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });

beforeAll(() => {
  seeded = workspace();
  for (const [kind, file] of [
    ['customers', 'fixtures/customers.csv'],
    ['orders', 'fixtures/orders.gbk.csv'],
    ['complaints', 'fixtures/complaints.csv'],
  ]) {
    const result = run(['import', kind, file], { cwd: seeded });
    expect(result.code, result.stderr).toBe(0);
  }
});
afterAll(() => fs.rmSync(seeded, { recursive: true, force: true }));
beforeEach(() => {
  dir = workspace();
  for (const name of fs.readdirSync(seeded).filter((f) => f.startsWith('followup.db'))) {
    fs.copyFileSync(path.join(seeded, name), path.join(dir, name));
  }
  db = path.join(dir, 'followup.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const json = (result: { code: number; stdout: string; stderr: string }) => {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout);
};

describe('followup segments', () => {
  it('counts each segment on the day, with the total (--json)', () => {
    expect(json(cli('segments', '--date', DATE, '--json'))).toEqual({
      date: DATE,
      customers: 40,
      segments: { new: 6, vip: 8, 'churn-risk': 7, complaint: 8, ordinary: 11, potential: 4, lost: 1 },
    });
  });

  it('prints an aligned table with localised names', () => {
    const result = cli('segments', '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  churn risk             7\n');
    expect(result.stdout).toContain('  All customers         40\n');
    expect(zh('segments', '--date', DATE).stdout).toContain('  流失风险客户       7\n');
  });

  it('rejects a date that does not exist with exit 2 and one line', () => {
    const result = cli('segments', '--date', '2026-02-30');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Cannot read --date "2026-02-30". Write a real date as YYYY-MM-DD (or 2026/11/23), e.g. --date 2026-11-23.\n');
    expect(cli('segments', '--date', '2026/2/30').code).toBe(2);
  });

  it('reads --date as Excel and people write it: 2026/11/23, 2026.11.23, 2026年11月23日', () => {
    const iso = cli('segments', '--date', DATE, '--json').stdout;
    for (const written of ['2026/11/23', '2026.11.23', '2026年11月23日', '２０２６-１１-２３']) {
      const result = cli('segments', '--date', written, '--json');
      expect(result.code, written).toBe(0);
      expect(result.stdout).toBe(iso);
    }
  });

  it('follows an edited config at once, though the settings read last time are kept between runs', () => {
    const config = path.join(dir, 'followup.config.yaml');
    fs.writeFileSync(config, 'segments:\n  newWithinDays: 1\n');
    const before = json(cli('segments', '--date', DATE, '--json')).segments.new;
    expect(json(cli('segments', '--date', DATE, '--json')).segments.new).toBe(before);
    // The same size and the same second: only the bytes differ.
    fs.writeFileSync(config, 'segments:\n  newWithinDays: 9\n');
    const after = json(cli('segments', '--date', DATE, '--json')).segments.new;
    expect(after).toBeGreaterThan(before);
    fs.writeFileSync(config, 'segments:\n  newWithinDays: x\n');
    const broken = cli('segments', '--date', DATE);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('followup.config.yaml');
  });

  it('says to run init or import first when there is no database', () => {
    const result = cli('--db', 'missing.db', 'segments', '--date', DATE);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('There is no database at missing.db yet. Run `followup init` or `followup import customers FILE` first.\n');
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });
});

describe('followup customers', () => {
  it('lists the VIP segment with masked phones (--json)', () => {
    const out = json(cli('customers', '--segment', 'vip', '--date', DATE, '--json'));
    expect(out.date).toBe(DATE);
    expect(out.segment).toBe('vip');
    expect(out.customers.map((c: { id: string }) => c.id)).toEqual(['C1001', 'C1002', 'C1003', 'C1004', 'C1005', 'C1006', 'C1017', 'C1018']);
    for (const c of out.customers) {
      expect(c.phone).toMatch(MASKED);
      expect(c.segments).toContain('vip');
      expect(Object.keys(c).sort()).toEqual(['id', 'lastOrderAt', 'name', 'phone', 'segments', 'spend12mYuan', 'tier']);
    }
    expect(out.customers[0]).toEqual({
      id: 'C1001',
      name: '陈建国',
      phone: '138****6547',
      tier: '钻石会员',
      segments: ['vip'],
      spend12mYuan: 8284,
      lastOrderAt: '2026-11-01',
    });
    expect(result_noFullDigits(cli('customers', '--segment', 'vip', '--date', DATE).stdout)).toBe(true);
  });

  it('shows whole numbers only with --full-phone', () => {
    const out = json(cli('customers', '--segment', 'vip', '--date', DATE, '--json', '--full-phone'));
    expect(out.customers[0].phone).toBe('+8613801126547');
  });

  it('limits the list and says how many there are', () => {
    const result = cli('customers', '--date', DATE, '--limit', '3');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Customers on 2026-11-23, all customers: 3 of 40');
    expect(result.stderr).toBe('Showing 3 of 40. Use --limit 40 to see them all.\n');
  });

  it('rejects an unknown segment naming the valid ones (exit 2)', () => {
    const result = cli('customers', '--segment', 'gold');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Unknown segment "gold". Use one of: new, vip, churn-risk, complaint, ordinary, potential, lost.\n');
  });

  it('rejects a --limit that is not a positive whole number (exit 2)', () => {
    expect(cli('customers', '--limit', '0').code).toBe(2);
    expect(cli('customers', '--limit', 'ten').code).toBe(2);
  });
});

/** No 11-digit mobile number appears whole. */
function result_noFullDigits(text: string): boolean {
  return !/1\d{10}/.test(text.replace(/\s/g, ''));
}

describe('followup explain', () => {
  it('says a do-not-call customer is excluded for that reason (C1039)', () => {
    const result = cli('explain', 'C1039', '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Do-not-call: yes. The customer asked not to be called, so they are never put on a call list.\n');
    expect(result.stdout).toMatch(/\n {2}after-sale +excluded +do-not-call: the customer asked not to be called — after-sale: order O202611008 on 2026-11-10, 13 days ago\n/);
    expect(result.stdout).toContain('  Not on the list: do-not-call always wins.');
    const out = json(cli('explain', 'C1039', '--date', DATE, '--json'));
    expect(out.customer).toEqual({ id: 'C1039', name: '魏红霞', phone: expect.stringMatching(MASKED), tier: '普通会员', doNotCall: true });
    expect(out.scenarios.find((f: { scenario: string }) => f.scenario === 'after-sale')).toMatchObject({
      state: 'excluded',
      exclusion: { code: 'do-not-call' },
    });
  });

  it('explains that C1036 is not a churn risk: 89 days, the threshold is 90', () => {
    const result = cli('explain', 'C1036', '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nNot in\n(?: {2}.*\n)* {2}churn risk +last purchase or contact on 2026-08-26, 89 days ago \(churn risk after 90 days\)\n/);
    expect(result.stdout).toMatch(/\n {2}churn warning +n\/a +not a churn risk \(see above\)\n/);
    const out = json(cli('explain', 'C1036', '--date', DATE, '--json'));
    expect(out.segments).toEqual([{ segment: 'ordinary', why: '2 orders, the last on 2026-08-26; no other segment applies' }]);
    expect(out.notIn).toContainEqual({
      segment: 'churn-risk',
      code: 'churn-active',
      why: 'last purchase or contact on 2026-08-26, 89 days ago (churn risk after 90 days)',
    });
    expect(out.scenarios.map((f: { scenario: string }) => f.scenario)).toEqual([...SCENARIO_IDS]);
  });

  it('in Chinese too', () => {
    const result = zh('explain', 'C1039', '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('拒绝回访：是。');
    expect(result.stdout).toMatch(/售后回访 +已排除 +拒绝回访：客户要求不再致电/);
  });

  it('tells where the customer is on a saved list', () => {
    expect(cli('plan', '--date', DATE).code).toBe(0);
    const out = json(cli('explain', 'C1020', '--date', DATE, '--json'));
    expect(out.list.entry).toMatchObject({ planDate: DATE, scenario: 'complaint-open', status: 'pending', position: expect.any(Number) });
    expect(out.scenarios.filter((f: { onList: boolean }) => f.onList).map((f: { scenario: string }) => f.scenario)).toEqual(['complaint-open']);
    expect(out.summary).toMatch(/^On the list: .+'s list, position \d+, for complaint \(open\) \(status: to call\)\.$/);
  });

  it('an unknown customer is one line and exit 1 (C9999)', () => {
    const result = cli('explain', 'C9999', '--date', DATE);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Customer C9999 is not in the database. Check the id (followup customers lists them).\n');
  });
});

const ITEM_KEYS = ['customerId', 'name', 'phone', 'scenario', 'urgent', 'dueBy', 'agent', 'position', 'status', 'reason', 'segments'];

describe('followup plan', () => {
  it('puts the urgent calls first, open complaints among them, and no do-not-call customer (--json)', () => {
    const out = json(cli('plan', '--date', DATE, '--json'));
    expect(out.date).toBe(DATE);
    expect(out.workingDay).toBe(true);
    const items = out.items as Record<string, unknown>[];
    expect(items).toHaveLength(26);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(ITEM_KEYS));
      expect(SCENARIO_IDS).toContain(item.scenario);
      expect(item.phone).toMatch(MASKED);
      expect(item.status).toBe('pending');
    }
    const ids = items.map((i) => i.customerId);
    expect(ids).not.toContain('C1039');
    expect(ids).not.toContain('C1040');
    // Urgent first: every urgent item comes before every other one.
    const firstNormal = items.findIndex((i) => !i.urgent);
    expect(firstNormal).toBe(6);
    expect(items.slice(firstNormal).every((i) => !i.urgent)).toBe(true);
    // The complaint opened Sunday (due today) before the one opened Thursday, now overdue.
    expect(items[0]).toMatchObject({ customerId: 'C1002', scenario: 'complaint-open', urgent: true });
    const open = items.filter((i) => i.scenario === 'complaint-open');
    expect(open.map((i) => i.customerId).sort()).toEqual(['C1002', 'C1009', 'C1020', 'C1033']);
    expect(open.every((i) => i.urgent && items.indexOf(i) < firstNormal)).toBe(true);
    expect(items.slice(0, firstNormal).map((i) => i.customerId).sort()).toEqual(['C1002', 'C1009', 'C1017', 'C1018', 'C1020', 'C1033']);
    expect(out.counts.byUrgency).toEqual({ urgent: 6, normal: 20 });
    expect(out.counts.byScenario['complaint-open']).toBe(4);
    expect(out.counts.byAgent).toEqual({ 小王: { assigned: 13, capacity: 40 }, 小李: { assigned: 13, capacity: 40 } });
    expect(out.rolledOver).toEqual([]);
    expect(out.rolledTo).toBeNull();
    expect(out.uncoveredYears).toEqual([]);
  });

  it('gives the same list in the same order when run twice', () => {
    const first = json(cli('plan', '--date', DATE, '--json'));
    const second = json(cli('plan', '--date', DATE, '--json'));
    expect(second.items).toEqual(first.items);
    expect(count(db, 'plan_items')).toBe(26);
  });

  it('writes the list as CSV for Excel: BOM, CRLF, the header, one row per item, masked phones, mode 0600', () => {
    const result = cli('plan', '--date', DATE, '--out', 'list.csv');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('Wrote list.csv: 26 calls, one row each.\n');
    const file = path.join(dir, 'list.csv');
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(
      'item id,date,agent,position,customer id,name,phone,scenario id,scenario,urgent,due by,reason,outcome,satisfaction (1-5),callback at (YYYY-MM-DD HH:MM),notes',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(26);
    for (const row of rows) {
      expect(row.phone).toMatch(MASKED);
      expect(row.date).toBe(DATE);
      expect(SCENARIO_IDS).toContain(row['scenario id']);
      expect([row.outcome, row['satisfaction (1-5)'], row.notes]).toEqual(['', '', '']);
    }
    expect(rows[0]).toMatchObject({ 'customer id': 'C1002', urgent: 'yes', 'scenario id': 'complaint-open', scenario: 'complaint (open)' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes Chinese headers in Chinese', () => {
    expect(zh('plan', '--date', DATE, '--out', 'list.csv').code).toBe(0);
    const header = fs.readFileSync(path.join(dir, 'list.csv'), 'utf8').split('\r\n')[0];
    expect(header).toBe('\uFEFF条目编号,日期,回访专员,序号,客户编号,姓名,电话,场景编号,场景,紧急,截止日期,回访原因,回访结果,满意度（1-5）,回拨时间（YYYY-MM-DD HH:MM）,备注');
  });

  it('prints the summary and each agent\'s list', () => {
    const result = cli('plan', '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Call list for 2026-11-23: 26 calls (6 urgent, 20 normal)');
    expect(result.stdout).toContain('\n  complaint (open)    4\n');
    expect(result.stdout).toContain('\n  小王  13 / 40\n');
    expect(result.stdout).toContain("Nothing rolled over: every call fits today's capacity.");
    expect(result.stdout).toContain('\n小王: 13 calls\n');
    expect(result.stdout).toMatch(/\n {3}1 {2}C1033 +蒋涛 +\d{3}\*{4}\d{4} +complaint \(open\) +urgent +2026-11-20 \(overdue 3 d\) +open complaint GD20261119002/);
    expect(result_noFullDigits(result.stdout)).toBe(true);
  });

  it('makes no list on a Sunday and says which day is next', () => {
    const result = cli('plan', '--date', '2026-11-22');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      '2026-11-22 (Sunday) is not a working day, so no list was made. The next working day is 2026-11-23; use --force to make a list anyway.\n',
    );
    expect(count(db, 'plan_items')).toBe(0);
    expect(json(cli('plan', '--date', '2026-11-22', '--json'))).toEqual({ date: '2026-11-22', workingDay: false, items: [] });
  });

  it('rejects an agent that is not configured (exit 2), before planning', () => {
    const result = cli('plan', '--date', DATE, '--agents', 'nobody');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Unknown agents in --agents: nobody. Configured agents: 小王, 小李 (see agents in followup.config.yaml).\n');
    expect(count(db, 'plan_items')).toBe(0);
  });

  it('shares the list among the agents given', () => {
    const out = json(cli('plan', '--date', DATE, '--agents', '小李', '--json'));
    expect(new Set(out.items.map((i: { agent: string }) => i.agent))).toEqual(new Set(['小李']));
    expect(out.counts.byAgent).toEqual({ 小李: { assigned: 26, capacity: 40 } });
  });
});

describe('help', () => {
  // Every command the program lists, so a new command cannot ship without help and an example.
  const listed = run(['--help'], { cwd: process.cwd() })
    .stdout.split('Commands:')[1]
    .split('\n')
    .map((line) => /^ {2}([a-z-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
  it('lists every command in the program help', () => {
    expect(listed).toEqual(expect.arrayContaining(['import', 'init', 'segments', 'customers', 'explain', 'plan', 'scripts']));
  });
  for (const command of listed) {
    it(`followup ${command} --help has an example, in English and Chinese`, () => {
      const en = cli(command, '--help');
      expect(en.code).toBe(0);
      expect(en.stdout).toContain(`$ followup ${command}`);
      expect(en.stdout).toContain('Examples:');
      const chinese = zh(command, '--help');
      expect(chinese.code).toBe(0);
      expect(chinese.stdout).toContain(`$ followup ${command}`);
      expect(chinese.stdout).toContain('示例：');
      expect(chinese.stdout).toContain('选项：');
    });
  }
});

describe('a mistyped command or option', () => {
  it('suggests the command, the subcommand or the option meant, in one line, exit 2', () => {
    const cases: [string[], string][] = [
      [['pln'], 'Unknown command pln: did you mean followup plan?'],
      [['issues', 'lst'], 'Unknown command lst: did you mean followup issues list?'],
      [['scripts', 'shw', 'after-sale'], 'Unknown command shw: did you mean followup scripts show?'],
      [['plan', '--dat', '2026-11-23'], "Unknown option --dat: did you mean --date? See 'followup plan --help'."],
      [['xyzzy'], "Unknown command xyzzy. See 'followup --help' for the commands."],
      [['issues', 'list', 'extra'], "Too many arguments. See 'followup issues --help'."],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    expect(cli('--lang', 'zh-CN', 'reprot').stderr).toContain('未知命令 reprot：您是想用 followup report 吗？');
  });
});
