// npm run bench: the speed targets, measured on generated data of realistic size.
//
//   npm run bench                       1,000,000 customers (~3M orders, ~100k complaints)
//   npm run bench -- --customers 100000 a smaller run
//   npm run bench -- --keep             keep bench-data/ (generated files and databases) afterwards
//   npm run bench -- --startup          only the start-up times (seconds, not minutes)
//
// For each export it prints wall time, rows/s and peak RSS of `followup import`, and, where the
// sqlite3 command exists, the time of sqlite3's own `.import` of the same file into a fresh
// database (untyped; into a typed table with a primary key; and stored as followup stores it, with
// its indexes: see STORED_SCHEMA) with our time / theirs.
// Timings live here and never in the test suite: a timed test fails on a busy machine, not on slow code.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_KIB, openDatabase } from '../storage/db.js';
import { secondaryIndexes, SORTER_THREADS } from '../storage/imports.js';
import { generate } from './generate.js';
import { seedMonth } from './seed-calls.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MEASURE = path.join(ROOT, 'dist/tools/measure.js');

interface Args {
  customers: number;
  keep: boolean;
  dir: string;
  startupOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { customers: 1_000_000, keep: false, dir: path.join(ROOT, 'bench-data'), startupOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--customers') args.customers = Number(argv[++i]);
    else if (a === '--keep') args.keep = true;
    else if (a === '--startup') args.startupOnly = true;
    else if (a === '--dir') args.dir = path.resolve(argv[++i]);
    else {
      process.stderr.write(`bench: unknown argument ${a}. Use --customers N, --dir DIR, --keep, --startup.\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.customers) || args.customers < 1) {
    process.stderr.write('bench: --customers takes a positive whole number.\n');
    process.exit(2);
  }
  return args;
}

interface Measured {
  code: number;
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/** Runs followup through measure.js; its figures come back on fd 3. */
function measure(args: string[], cwd: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEASURE, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let figures = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d) => (figures += d));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const parsed = JSON.parse(figures.trim()) as { code: number; seconds: number; peakRssMb: number };
        resolve({ ...parsed, stdout, stderr });
      } catch {
        reject(new Error(`measure failed: ${stderr}`));
      }
    });
  });
}

const TYPED_SCHEMA: Record<string, string> = {
  customers:
    'CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, phone TEXT, email TEXT, city TEXT, signup TEXT, tier TEXT, dnc TEXT, preferred TEXT, note TEXT);',
  orders: 'CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id TEXT, ordered_at TEXT, amount TEXT, product TEXT, channel TEXT);',
  complaints:
    'CREATE TABLE complaints (id TEXT PRIMARY KEY, customer_id TEXT, opened_at TEXT, resolved_at TEXT, status TEXT, category TEXT, description TEXT);',
};

/**
 * The third yardstick: sqlite3 storing each file the way followup's schema stores it, with no
 * validation or conversion: the export's columns (under followup's column names), the primary key
 * and NOT NULL columns, WAL, and followup's own secondary indexes, built once after the load as
 * followup's first load builds them. What is left between this and our time is the reading,
 * validating and converting; what is left between this and the plain .import is what storing the
 * data needs.
 */
const STORED_SCHEMA: Record<string, string> = {
  customers:
    'CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT, email TEXT, city TEXT, signup_date TEXT, tier TEXT, do_not_call TEXT, preferred_time TEXT, note TEXT);',
  orders:
    'CREATE TABLE orders (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, ordered_at TEXT NOT NULL, amount_fen TEXT NOT NULL, product TEXT, channel TEXT);',
  complaints:
    'CREATE TABLE complaints (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, opened_at TEXT NOT NULL, resolved_at TEXT, status TEXT, category TEXT, description TEXT);',
};

/**
 * Columns followup derives rather than reads (an order's `counts`, 1 when the export has no status):
 * added after the load, as a constant default (no rewrite), so the indexes that carry them can be built.
 */
const STORED_AFTER: Record<string, string> = {
  orders: 'ALTER TABLE orders ADD COLUMN counts INTEGER NOT NULL DEFAULT 1;\n',
};

/** followup's secondary indexes on `table`, as its migrations create them. */
function followupIndexes(table: string): string {
  const db = openDatabase(':memory:');
  try {
    return secondaryIndexes(db, table)
      .map((index) => `${index.sql};`)
      .join('\n');
  } finally {
    db.close();
  }
}

type Yardstick = 'plain' | 'typed' | 'stored';

function hasSqlite3(): boolean {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0;
}

/** sqlite3's own CSV import of `file` into a fresh database: the yardstick. */
function sqliteImport(file: string, table: string, dir: string, yardstick: Yardstick): number {
  const db = path.join(dir, `sqlite3-${table}-${yardstick}.db`);
  const remove = () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  };
  remove();
  const scripts: Record<Yardstick, string> = {
    plain: `.mode csv\n.import ${file} ${table}\n`,
    typed: `${TYPED_SCHEMA[table]}\n.mode csv\n.import --skip 1 ${file} ${table}\n`,
    // With followup's page cache, and the sorter's helper threads followup gives it (storage/imports.ts).
    stored:
      `PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA cache_size = -${CACHE_KIB};\nPRAGMA threads = ${SORTER_THREADS};\n${STORED_SCHEMA[table]}\n` +
      `.mode csv\n.import --skip 1 ${file} ${table}\n${STORED_AFTER[table] ?? ''}${followupIndexes(table)}\n`,
  };
  const started = performance.now();
  const result = spawnSync('sqlite3', [db], { input: scripts[yardstick], encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`sqlite3 .import failed: ${result.stderr}`);
  remove();
  return seconds;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

const BIN = path.join(ROOT, 'bin/followup');
const STARTUP_RUNS = 21;

/** Wall-clock milliseconds of one run of node with `args`, from spawn to exit. */
function wallMs(args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Start-up: the time from spawn to exit of commands that do little work, against bare `node -e 0`
 * in the same run. The runs are interleaved (one of each, 21 times) so that a busy moment of the
 * machine falls on all of them alike; the median of each is shown. Target: within 2x of bare node.
 */
function startup(say: (line: string) => void, dir: string): void {
  const demo = path.join(dir, 'startup-demo');
  fs.rmSync(demo, { recursive: true, force: true });
  const made = spawnSync(process.execPath, [BIN, 'demo', '--dir', demo], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`followup demo failed: ${made.stderr}`);
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['followup --version', [BIN, '--version']],
    ['followup --help', [BIN, '--help']],
    ['followup segments (demo database)', [BIN, 'segments', '--date', '2026-11-27']],
    ['followup customers (demo database)', [BIN, 'customers', '--date', '2026-11-27']],
  ];
  const times = cases.map(() => [] as number[]);
  for (let run = 0; run < STARTUP_RUNS; run++) cases.forEach(([, args], i) => times[i].push(wallMs(args, demo)));
  const bare = median(times[0]);
  say(`start-up: median of ${STARTUP_RUNS} interleaved runs, node ${process.version}`);
  say('command                                   ms      ÷ node -e 0   target');
  cases.forEach(([label], i) => {
    const ms = median(times[i]);
    const target = i === 0 ? 'yardstick' : i <= 3 ? 'within 2x' : '';
    say(`${label.padEnd(40)}  ${fmt(ms, 0).padStart(5)}   ${fmt(ms / bare, 2).padStart(5)}x        ${target}`);
  });
  fs.rmSync(demo, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.dir, { recursive: true });
  if (args.startupOnly) {
    startup((line) => process.stdout.write(line + '\n'), args.dir);
    return;
  }
  const dataDir = path.join(args.dir, `data-${args.customers}`);
  const stamp = path.join(dataDir, '.complete');
  if (!fs.existsSync(stamp)) {
    process.stderr.write(`Generating ${int(args.customers)} customers into ${dataDir} …\n`);
    const result = await generate({ customers: args.customers, out: dataDir, seed: 42 });
    fs.writeFileSync(stamp, JSON.stringify(result.files ?? {}));
  }

  const dbFile = path.join(args.dir, 'bench.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  const sqlite = hasSqlite3();
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(line + '\n');
  };

  startup(say, args.dir);
  say('');
  say(`followup import: ${int(args.customers)} customers, node ${process.version}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim() || '?'} cores`);
  say('file            rows        seconds   rows/s     peak RSS   sqlite3 .import: plain / typed+PK / stored as followup   ours ÷ sqlite3');
  const yardsticks: Yardstick[] = ['plain', 'typed', 'stored'];
  const theirs: Record<Yardstick, number> = { plain: 0, typed: 0, stored: 0 };
  let total = { rows: 0, seconds: 0, peak: 0 };
  let customersStored = 0;
  const columns = (seconds: number, times: Record<Yardstick, number>) => [
    yardsticks.map((y) => `${fmt(times[y])} s`).join(' / ').padEnd(51),
    yardsticks.map((y) => `${fmt(seconds / times[y], 2)}x`).join(' / '),
  ];
  for (const kind of ['customers', 'orders', 'complaints']) {
    const file = path.join(dataDir, `${kind}.csv`);
    const run = await measure(['import', kind, file, '--db', dbFile, '--json', '--rejects', path.join(args.dir, `${kind}.rejects.csv`)], args.dir);
    if (run.code !== 0) throw new Error(`followup import ${kind} failed (${run.code}): ${run.stderr}`);
    const summary = JSON.parse(run.stdout) as { rows: number; inserted: number; rejected: number };
    let compared = ['n/a'.padEnd(51), 'n/a'];
    if (sqlite) {
      const times = { plain: 0, typed: 0, stored: 0 };
      for (const y of yardsticks) {
        times[y] = sqliteImport(file, kind, args.dir, y);
        theirs[y] += times[y];
      }
      compared = columns(run.seconds, times);
    }
    if (kind === 'customers') customersStored = summary.inserted;
    total = { rows: total.rows + summary.rows, seconds: total.seconds + run.seconds, peak: Math.max(total.peak, run.peakRssMb) };
    say(
      `${kind.padEnd(14)}  ${int(summary.rows).padStart(9)}  ${fmt(run.seconds).padStart(7)} s  ${int(summary.rows / run.seconds).padStart(9)}  ${String(run.peakRssMb).padStart(5)} MB   ${compared.join('  ')}`,
    );
  }
  const compared = sqlite ? columns(total.seconds, theirs) : ['n/a'.padEnd(51), 'n/a'];
  say(
    `${'all'.padEnd(14)}  ${int(total.rows).padStart(9)}  ${fmt(total.seconds).padStart(7)} s  ${int(total.rows / total.seconds).padStart(9)}  ${String(total.peak).padStart(5)} MB   ${compared.join('  ')}`,
  );
  say('targets: import within 2x of sqlite3 .import, peak RSS under 300 MB');

  // The morning call list over the same database, on the generator's "today".
  const benchDir = args.dir;
  say('');
  say('command                                   seconds   peak RSS   target');
  for (const [label, args, target] of [
    ['followup plan --date 2026-11-23', ['plan', '--date', '2026-11-23', '--json'], 'under 5 s, 500 MB'],
    ['followup segments --date 2026-11-23', ['segments', '--date', '2026-11-23', '--json'], ''],
  ] as const) {
    const run = await measure([...args, '--db', dbFile], benchDir);
    if (run.code !== 0) throw new Error(`${label} failed (${run.code}): ${run.stderr}`);
    say(`${label.padEnd(40)}  ${fmt(run.seconds).padStart(7)} s  ${String(run.peakRssMb).padStart(5)} MB   ${target}`);
  }

  // The monthly report over a month of 100,000 calls (and the month before, for its comparison).
  // (A month's calls reach as many customers as the import stored, some rows being rejected.)
  const calls = Math.min(100_000, customersStored);
  seedMonth(dbFile, '2026-10', Math.floor(calls / 2));
  seedMonth(dbFile, '2026-11', calls);
  const report = await measure(['report', '--month', '2026-11', '--date', '2026-11-30', '--format', 'json', '--db', dbFile], benchDir);
  if (report.code !== 0) throw new Error(`followup report failed (${report.code}): ${report.stderr}`);
  say(`${`followup report --month 2026-11 (${int(calls)} calls)`.padEnd(40)}  ${fmt(report.seconds).padStart(7)} s  ${String(report.peakRssMb).padStart(5)} MB   under 1 s`);

  if (!args.keep) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
