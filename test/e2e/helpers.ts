// Running the built CLI the way a user does: a child process in a temp folder holding a copy of
// the fixtures, colour off, English unless a test says otherwise.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

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
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '', LC_MESSAGES: '', FOLLOWUP_DB: '' };
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
