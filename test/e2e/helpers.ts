// Running the built CLI the way a user does: a child process in a temp folder holding a copy of
// the fixtures, colour off, English unless a test says otherwise.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pty, { type IPty } from 'node-pty';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/followup');
export const FIXTURES = path.join(ROOT, 'fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
}

function childEnv(extra: RunOptions['env']): NodeJS.ProcessEnv {
  // The config cache (core/config-cache.ts) in a folder of the tests' own, not the user's ~/.cache.
  const cache = path.join(os.tmpdir(), `followup-e2e-cache-${process.getuid?.() ?? 0}`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '', LC_MESSAGES: '', FOLLOWUP_DB: '', XDG_CACHE_HOME: cache };
  delete env.FOLLOWUP_DB;
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function run(args: string[], options: RunOptions): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    env: childEnv(options.env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting, for tests that kill it. */
export function start(args: string[], options: RunOptions) {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh temp folder with a copy of fixtures/ in it. */
export function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-e2e-'));
  fs.cpSync(FIXTURES, path.join(dir, 'fixtures'), { recursive: true });
  return dir;
}

export function query<T = Record<string, unknown>>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function count(dbFile: string, table: string): number {
  return query<{ n: number }>(dbFile, `SELECT count(*) AS n FROM ${table}`)[0].n;
}

/** Everything in the CRM tables, for "nothing changed" comparisons. */
export function snapshot(dbFile: string): string {
  return JSON.stringify(
    ['customers', 'orders', 'complaints', 'imports'].map((table) => query(dbFile, `SELECT * FROM ${table} ORDER BY 1`)),
  );
}

// --- the interactive screen, through a real pseudo-terminal -------------------------------------------

/** Terminal control sequences and carriage returns out, so tests match what a person reads. */
export function plainText(raw: string): string {
  return raw
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[()][A-Za-z0-9]/g, '')
    .replace(/\x1b[=>]/g, '')
    .replace(/\r/g, '');
}

export interface TerminalExit {
  exitCode: number;
  signal: number | undefined;
}

/**
 * The CLI in a pseudo-terminal (as an agent runs it): wait for text to appear, then type.
 * waitFor() searches only what came after the previous match, so the same prompt shown twice is
 * waited for twice; on a timeout or an early exit it fails with the tail of the screen.
 */
export class Terminal {
  raw = '';
  /** Where the next waitFor() starts searching, in text. */
  private mark = 0;
  private ended: TerminalExit | undefined;
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<TerminalExit>;
  readonly pid: number;
  private readonly proc: IPty;

  constructor(args: string[], options: RunOptions & { cols?: number; rows?: number }) {
    this.proc = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm',
      cols: options.cols ?? 160,
      rows: options.rows ?? 50,
      cwd: options.cwd,
      env: childEnv(options.env) as Record<string, string>,
    });
    this.pid = this.proc.pid;
    this.proc.onData((data) => {
      this.raw += data;
      for (const check of [...this.waiters]) check();
    });
    this.exited = new Promise((resolve) => {
      this.proc.onExit(({ exitCode, signal }) => {
        // The last output can arrive just after the exit: give it a moment before failing waiters.
        setTimeout(() => {
          this.ended = { exitCode, signal };
          for (const check of [...this.waiters]) check();
          resolve(this.ended);
        }, 150);
      });
    });
  }

  /** What the screen shows so far, as plain text. */
  get text(): string {
    return plainText(this.raw);
  }

  /** The text after the last match (what is new on the screen). */
  get unread(): string {
    return this.text.slice(this.mark);
  }

  /** Waits for `pattern` after the previous match; resolves with the match and moves past it. */
  waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const find = (): RegExpExecArray | null => {
        const text = this.text;
        if (typeof pattern === 'string') {
          const at = text.indexOf(pattern, this.mark);
          if (at < 0) return null;
          const found = [pattern] as unknown as RegExpExecArray;
          found.index = at;
          return found;
        }
        const re = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g');
        re.lastIndex = this.mark;
        return re.exec(text);
      };
      const fail = (why: string) => {
        done();
        const tail = this.text.slice(-2000);
        reject(new Error(`${why} waiting for ${typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern)} after ${Date.now() - started} ms.\n--- last screen output (searched from offset ${this.mark}) ---\n${tail}\n---`));
      };
      const check = () => {
        const found = find();
        if (found) {
          done();
          this.mark = found.index + found[0].length;
          resolve(found);
        } else if (this.ended) {
          fail(`The process exited (code ${this.ended.exitCode}, signal ${this.ended.signal ?? '-'})`);
        }
      };
      const timer = setTimeout(() => fail('Timed out'), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Types keys as they are (\r is Enter, \x03 is Ctrl-C). */
  write(keys: string): void {
    this.proc.write(keys);
  }

  /** Types a line and Enter. */
  type(line: string): void {
    this.proc.write(line + '\r');
  }

  kill(signal = 'SIGKILL'): void {
    this.proc.kill(signal);
  }
}

/** A workspace with the bundled exports imported and the list of `date` planned (default config). */
export function plannedWorkspace(date = '2026-11-23'): string {
  const dir = workspace();
  for (const args of [
    ['import', 'customers', 'fixtures/customers.csv'],
    ['import', 'orders', 'fixtures/orders.gbk.csv'],
    ['import', 'complaints', 'fixtures/complaints.csv'],
    ['plan', '--date', date],
  ]) {
    const result = run(args, { cwd: dir });
    if (result.code !== 0) throw new Error(`followup ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
  return dir;
}

/** A copy of a workspace (its database closed: no process is using it). */
export function copyWorkspace(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-e2e-'));
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

/** The exit code and output of a process from start(), once it has ended. */
export function finished(child: ReturnType<typeof start>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
}
