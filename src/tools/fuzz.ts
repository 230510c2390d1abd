// Hostile files and arguments thrown at the built CLI, with what must hold every time.
//
//   npm run fuzz -- [--files 1000] [--args 500] [--configs 200] [--seed 12] [--jobs 4] [--keep DIR]
//
// Each case runs `followup` as a user would (a child process, no terminal, NO_COLOR unset so that
// colour could leak) in its own folder holding a copy of one demo database. The invariants:
//   - the exit code is 0, 1 or 2: never 70 ("a bug"), 134 (out of memory) or a signal;
//   - nothing on stdout or stderr is a raw control character (ESC, BEL, CR, NUL, C1, bidi marks);
//   - a failure (1 or 2) is one line on stderr and leaves the database byte for byte as it was;
//   - every run ends within the time limit, its memory bounded by --max-old-space-size=512.
// Everything is a function of the seed; a failing case is kept (--keep) with its command line.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { renderConfig } from '../core/config.js';
import { isMainModule, Rng } from './generate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/followup');
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

export interface FuzzCase {
  id: number;
  kind: 'file' | 'args' | 'config';
  args: string[];
  /** Files to write in the case's folder before running: name → bytes. */
  files: Record<string, Buffer>;
  stdin?: Buffer;
}

export interface FuzzOutcome {
  case: FuzzCase;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  dbChanged: boolean;
  problems: string[];
}

export interface FuzzSummary {
  cases: number;
  files: number;
  argSets: number;
  configs: number;
  exitCodes: Record<string, number>;
  bad: number;
  outcomes: FuzzOutcome[];
  seconds: number;
}

// --- hostile text -------------------------------------------------------------------------------

const CONTROLS = ['\x1b]0;pwned\x07', '\x1b[2J', '\x1b[31m', '\r', '\x00', '\x07', '\x08', '\x9b2J', '\u202e', '\x1b]8;;http://x\x07', '\x7f', '\t', '\v', '\f'];
const FORMULAS = ['=1+1', '+8613800138000', '-50', '@SUM(A1)', '=HYPERLINK("http://x","y")', '\t=cmd', '\r=1'];
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '**bold**|x|', '[a](javascript:alert(1))', '&amp;'];
const EXCEL = ['1.38001E+10', '2.02611E+17', '8.6139E+12', '合计', '总计', '共 12 条', '#N/A', '#VALUE!', '45678', '2026/11/30', '2026年11月30日', '0', '-0', '1e309', 'NaN', 'Infinity'];
const PLAIN = ['张三', '王丽', 'C1001', 'C1002', '13800138000', '2025-01-01', '9999-12-31', '0001-01-01', '2026-02-30', '钻石会员', '是', '否', '已完成', '处理中', '退款', '199.00', '¥1,299', '', ' ', '""', '"', "'", '__proto__', 'constructor', 'toString'];
const HEADERS: Record<string, string[]> = {
  customers: ['客户编号', '客户姓名', '手机号', '邮箱', '城市', '注册时间', '会员等级', '拒绝回访', '备注'],
  orders: ['订单号', '客户ID', '下单时间', '订单金额', '订单状态', '商品'],
  complaints: ['工单号', '客户ID', '创建时间', '问题类型', '处理状态', '解决时间', '描述'],
  calls: ['编号', '日期', '坐席', '序号', '客户编号', '客户姓名', '电话', '场景', '结果', '满意度', '回拨时间', '备注'],
};

function hostileText(rng: Rng): string {
  const parts: string[] = [];
  for (let i = rng.between(1, 3); i > 0; i--) {
    const roll = rng.int(10);
    parts.push(
      roll < 3 ? rng.pick(CONTROLS) : roll < 5 ? rng.pick(FORMULAS) : roll < 6 ? rng.pick(MARKUP) : roll < 8 ? rng.pick(EXCEL) : rng.pick(PLAIN),
    );
  }
  return parts.join(rng.chance(0.5) ? '' : ' ');
}

function csvCell(rng: Rng, text: string): string {
  // Sometimes quoted properly, sometimes not, sometimes with a stray quote.
  const roll = rng.int(10);
  if (roll < 5) return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  if (roll < 8) return `"${text.replace(/"/g, '""')}"`;
  return roll < 9 ? text : `"${text}`;
}

/** A CSV export that a CRM, Excel or an attacker could have written. */
function hostileFile(rng: Rng, kind: string): Buffer {
  const header = [...HEADERS[kind]];
  if (rng.chance(0.3)) header.push(hostileText(rng));
  if (rng.chance(0.1)) header.push('__proto__');
  if (rng.chance(0.1)) header.splice(rng.int(header.length), 1);
  if (rng.chance(0.05)) header.push(header[0]);
  const rows: string[][] = [header];
  const n = rng.chance(0.1) ? 0 : rng.between(1, rng.chance(0.1) ? 400 : 30);
  for (let r = 0; r < n; r++) {
    const width = rng.chance(0.9) ? header.length : rng.between(1, header.length + 3);
    rows.push(Array.from({ length: width }, () => (rng.chance(0.5) ? rng.pick(PLAIN) : hostileText(rng))));
  }
  if (rng.chance(0.05)) rows.push(['x'.repeat(rng.chance(0.5) ? 3 * 1024 * 1024 : 100_000)]);
  const delimiter = rng.chance(0.85) ? ',' : rng.pick(['\t', ';', '|']);
  const newline = rng.pick(['\n', '\r\n', '\r']);
  const text = rows.map((row) => row.map((cell) => csvCell(rng, cell)).join(delimiter)).join(newline) + (rng.chance(0.8) ? newline : '');
  const encoding = rng.int(10);
  if (encoding < 4) return Buffer.from(text, 'utf8');
  if (encoding < 6) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (encoding < 8) return iconv.encode(text, 'gbk');
  if (encoding < 9) return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
  // Damaged: random bytes spliced in.
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < 20 && bytes.length > 0; i++) bytes[rng.int(bytes.length)] = rng.int(256);
  return bytes;
}

// --- hostile configs ------------------------------------------------------------------------------

const CONFIG_VALUES = ['100000000', '-1', '0', '1.5', '1e309', '.nan', '"x"', '[]', '{}', '~', 'true', '9999-12-31', '0001-01-01', '25:61', '"\\e]0;t\\a"', '&a [1]', '*a', '*nosuch', '!!binary aGk='];

/** A config as a team lead (or an attacker) could leave it: the defaults with values, keys and nesting gone wrong. */
function hostileConfig(rng: Rng, template: string): Buffer {
  const roll = rng.int(10);
  let text: string;
  if (roll < 5) {
    const lines = template.split('\n');
    for (let i = rng.between(1, 4); i > 0; i--) {
      const at = rng.int(lines.length);
      const match = /^(\s*(?:- )?[\w-]+:)\s*([^#]*)/.exec(lines[at]);
      if (!match || match[2].trim() === '') continue;
      lines[at] = `${match[1]} ${rng.chance(0.7) ? rng.pick(CONFIG_VALUES) : hostileText(rng).replace(/[\r\n]/g, '')}`;
    }
    if (rng.chance(0.2)) lines.push(`${hostileText(rng).replace(/[\r\n:#]/g, '') || 'x'}: 1`);
    if (rng.chance(0.1)) lines.splice(rng.int(lines.length), 0, lines[rng.int(lines.length)]);
    text = lines.join(rng.chance(0.8) ? '\n' : '\r\n');
  } else if (roll < 8) {
    const depth = rng.pick([10, 40, 1000, 20000]);
    const form = rng.int(5);
    text =
      form === 0 ? `a: ${'['.repeat(depth)}${']'.repeat(depth)}`
      : form === 1 ? `a: ${'{b: '.repeat(depth)}1${'}'.repeat(depth)}`
      : form === 2 ? `${'- '.repeat(depth)}x`
      : form === 3 ? Array.from({ length: Math.min(depth, 400) }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')
      : Array.from({ length: depth * 3 }, (_, i) => `k${i}: ${i}`).join('\n');
  } else if (roll < 9) {
    text = 'a: &a [x, x, x, x, x, x, x, x, x]\n' + Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${Array(9).fill(i === 0 ? '*a' : `*b${i - 1}`).join(', ')}]`).join('\n');
  } else {
    const bytes = iconv.encode(template, rng.chance(0.5) ? 'gbk' : 'utf16le');
    for (let i = 0; i < 30; i++) bytes[rng.int(bytes.length)] = rng.int(256);
    return bytes;
  }
  return Buffer.from(text, 'utf8');
}

// --- hostile argument sets ----------------------------------------------------------------------

const COMMANDS = ['segments', 'customers', 'explain', 'plan', 'calls', 'issues', 'report', 'scripts', 'doctor', 'import', 'call', 'init', 'nosuch'];
const FLAGS = ['--date', '--month', '--out', '--format', '--segment', '--limit', '--status', '--department', '--agent', '--agents', '--json', '--full-phone', '--force', '--rejects', '--map', '--encoding', '--delimiter', '--sheet', '--dry-run', '--lang', '--db', '--config', '--no-input', '--customer', '--unknown-flag', '-x', '--'];
const VALUES = [
  '9999-12-31', '0000-00-00', '2026-02-30', '2026-11-23', '2100-01-01', '1999-12-31', '2026/11/30', '9999-12', '2026-13', '-1', '0', '99999999999999999999',
  '1e309', 'NaN', '', ' ', '-', '/dev/null', '/dev/zero', '/dev/stdout', '/', '.', '..', 'followup.db', 'followup.config.yaml', 'fixtures/customers.csv', 'out.csv',
  'out.xlsx', 'out.md', 'no/such/dir/x.csv', 'C1001', 'C404', '小王', 'zh-CN', 'en', 'xx', 'utf-9', 'constructor', '__proto__', 'toString', 'json', 'md', 'html', 'xlsx',
  'all', 'overdue', 'vip', 'HEADER=id', '=id', 'a=b=c',
];

function hostileArgs(rng: Rng): string[] {
  const args: string[] = [];
  if (rng.chance(0.2)) args.push('--lang', rng.pick(['en', 'zh-CN', 'xx']));
  const command = rng.pick(COMMANDS);
  args.push(command);
  if (command === 'issues' && rng.chance(0.4)) args.push(rng.pick(['assign', 'resolve', 'list']), rng.pick(['1', '0', '-1', '99999', 'x', hostileText(rng)]));
  if (command === 'import') args.push(rng.pick(['customers', 'orders', 'complaints', 'calls', 'nothing']), rng.pick(['fixtures/customers.csv', 'fixtures/orders.gbk.csv', '/dev/zero', 'followup.db', '.', 'missing.csv']));
  if (command === 'explain' || command === 'scripts') args.push(rng.pick(['C1001', 'show', hostileText(rng), 'vip-care']));
  for (let i = rng.int(4); i > 0; i--) {
    const flag = rng.pick(FLAGS);
    args.push(flag);
    if (!['--json', '--full-phone', '--force', '--dry-run', '--no-input', '--'].includes(flag)) args.push(rng.chance(0.25) ? hostileText(rng).replace(/\x00/g, '') : rng.pick(VALUES));
  }
  // A write that could succeed must not go where the checks cannot see it: no --out into the shared fixtures.
  return args.map((a) => a.replace(/\x00/g, ''));
}

// --- cases and checks ---------------------------------------------------------------------------

export function makeCases(seed: number, files: number, argSets: number, configs = 0): FuzzCase[] {
  const rng = new Rng(seed);
  const cases: FuzzCase[] = [];
  const template = renderConfig('en');
  for (let i = 0; i < files; i++) {
    const kind = rng.pick(['customers', 'orders', 'complaints', 'calls']);
    const name = rng.chance(0.2) ? `${hostileText(rng).replace(/[\x00/]/g, '')}.csv` : 'export.csv';
    const args = ['import', kind, name];
    const roll = rng.int(10);
    if (roll === 0) args.push('--rejects', name);
    else if (roll === 1) args.push('--rejects', rng.pick(['/dev/null', '.', 'followup.db', '/dev/stdout', '-']));
    if (rng.chance(0.2)) args.push('--json');
    if (rng.chance(0.1)) args.unshift('--lang', 'zh-CN');
    cases.push({ id: cases.length + 1, kind: 'file', args, files: { [name]: hostileFile(rng, kind) } });
  }
  for (let i = 0; i < argSets; i++) cases.push({ id: cases.length + 1, kind: 'args', args: hostileArgs(rng), files: {} });
  for (let i = 0; i < configs; i++) {
    const command = rng.pick([['segments'], ['plan', '--date', '2026-11-30'], ['report', '--month', '2026-11', '--format', 'text'], ['issues'], ['customers'], ['import', 'customers', 'fixtures/customers.csv']]);
    cases.push({ id: cases.length + 1, kind: 'config', args: ['--config', 'hostile.yaml', ...command], files: { 'hostile.yaml': hostileConfig(rng, template) } });
  }
  return cases;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The invariants of one outcome; empty when it held. */
export function problemsOf(o: Omit<FuzzOutcome, 'problems'>): string[] {
  const problems: string[] = [];
  if (o.signal) problems.push(`killed by ${o.signal}`);
  else if (o.code === null || ![0, 1, 2].includes(o.code)) problems.push(`exit code ${o.code}`);
  if (RAW_CONTROL.test(o.stderr)) problems.push('raw control character on stderr');
  // Data on stdout too (tables, JSON, CSV): only CSV's own CRLF line ends are allowed.
  if (RAW_CONTROL.test(o.stdout.replace(/\r\n/g, '\n'))) problems.push('raw control character on stdout');
  if (o.code === 1 || o.code === 2) {
    const lines = o.stderr.replace(/\n$/, '').split('\n');
    if (lines.length !== 1 || lines[0] === '') problems.push(`${lines.length} lines on stderr`);
    if (o.dbChanged) problems.push('database changed by a failed command');
  }
  if (/this is a bug|这是 followup 的缺陷|at .*\.js:\d+/i.test(o.stderr)) problems.push('reported as a bug');
  return problems;
}

/** A database to copy into every case: the demo's week. */
export function baseDatabase(dir: string): { db: string; config: string } {
  const made = spawnSync(process.execPath, [BIN, 'demo', '--dir', 'base'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (made.status !== 0) throw new Error(`demo failed: ${made.stderr}`);
  return { db: path.join(dir, 'base', 'followup.db'), config: path.join(dir, 'base', 'followup.config.yaml') };
}

/** The environment of a user at a shell: colour not switched off (so that it could leak), no followup variables. */
function childEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C', TMPDIR: dir };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'NO_COLOR', 'FORCE_COLOR', 'FOLLOWUP_DB', 'FOLLOWUP_TEST_MAX_PAGES']) delete env[name];
  return env;
}

function runCase(c: FuzzCase, base: { db: string; config: string }, root: string, timeoutMs: number): Promise<FuzzOutcome> {
  const dir = path.join(root, `case-${c.id}`);
  fs.mkdirSync(path.join(dir, 'fixtures'), { recursive: true });
  fs.copyFileSync(base.db, path.join(dir, 'followup.db'));
  fs.copyFileSync(base.config, path.join(dir, 'followup.config.yaml'));
  for (const fixture of ['customers.csv', 'orders.gbk.csv']) fs.copyFileSync(path.join(ROOT, 'fixtures', fixture), path.join(dir, 'fixtures', fixture));
  for (const [name, bytes] of Object.entries(c.files)) fs.writeFileSync(path.join(dir, name), bytes);
  const before = sha(path.join(dir, 'followup.db'));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=512', BIN, ...c.args], {
      cwd: dir,
      env: childEnv(dir),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout.length < 1e6 ? (stdout += d) : undefined));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr.length < 1e6 ? (stderr += d) : undefined));
    child.stdin.on('error', () => undefined);
    child.stdin.end(c.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const db = path.join(dir, 'followup.db');
      const dbChanged = !fs.existsSync(db) || sha(db) !== before;
      const outcome = { case: c, code, signal, stdout, stderr, dbChanged };
      resolve({ ...outcome, problems: problemsOf(outcome) });
    });
  });
}

export async function fuzz(options: { seed: number; files: number; args: number; configs?: number; jobs: number; keep?: string; timeoutMs?: number }): Promise<FuzzSummary> {
  const started = performance.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-fuzz-'));
  try {
    const base = baseDatabase(root);
    const cases = makeCases(options.seed, options.files, options.args, options.configs ?? 0);
    const outcomes: FuzzOutcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const outcome = await runCase(c, base, root, options.timeoutMs ?? 60_000);
        outcomes.push(outcome);
        if (outcome.problems.length > 0 && options.keep) keepCase(outcome, root, options.keep);
        fs.rmSync(path.join(root, `case-${c.id}`), { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: options.jobs }, worker));
    outcomes.sort((a, b) => a.case.id - b.case.id);
    const exitCodes: Record<string, number> = {};
    for (const o of outcomes) {
      const key = o.signal ?? String(o.code);
      exitCodes[key] = (exitCodes[key] ?? 0) + 1;
    }
    return {
      cases: outcomes.length,
      files: options.files,
      argSets: options.args,
      configs: options.configs ?? 0,
      exitCodes,
      bad: outcomes.filter((o) => o.problems.length > 0).length,
      outcomes,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function keepCase(o: FuzzOutcome, root: string, keep: string): void {
  const target = path.join(keep, `case-${o.case.id}`);
  fs.mkdirSync(keep, { recursive: true });
  fs.cpSync(path.join(root, `case-${o.case.id}`), target, { recursive: true });
  fs.writeFileSync(path.join(target, 'outcome.json'), JSON.stringify({ args: o.case.args, code: o.code, signal: o.signal, problems: o.problems, stderr: o.stderr }, null, 2));
}

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

if (isMainModule(import.meta.url)) {
  const argv = process.argv.slice(2);
  const files = flag(argv, '--files', 1000);
  const options = {
    seed: flag(argv, '--seed', 12),
    files,
    args: flag(argv, '--args', Math.round(files / 2)),
    configs: flag(argv, '--configs', Math.round(files / 5)),
    jobs: flag(argv, '--jobs', Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2))),
    keep: argv.includes('--keep') ? argv[argv.indexOf('--keep') + 1] : undefined,
  };
  const summary = await fuzz(options);
  const { outcomes, ...figures } = summary;
  console.log(JSON.stringify(figures));
  for (const o of outcomes.filter((x) => x.problems.length > 0)) {
    console.log(`case ${o.case.id} (${o.case.kind}): ${o.problems.join('; ')}\n  followup ${o.case.args.map((a) => JSON.stringify(a)).join(' ')}\n  ${o.stderr.split('\n').slice(0, 3).join('\n  ')}`);
  }
  process.exitCode = summary.bad === 0 ? 0 : 1;
}
