// The orders aggregate of the planner's facts (3M orders by customer: its longest statement) in a
// worker thread, on the second core, while the planning thread finds the window and call reasons.
//
// The worker reads the database on its own connection and writes the per-customer table into a
// scratch database file of its own (temp tables belong to one connection); the planning thread
// then attaches that file and reads the table through a temp view named like the table
// buildFactsTables() makes in-process, so every query reads it the same way. Then, while the
// planning thread works out the facts of the customers its reasons name, the worker computes the
// facts of the candidates for the segment reasons (churn risk, VIP: the other long statement)
// into a second scratch file, which the planning thread reads its segment reasons from. The
// scratch files are private (0600) and removed when the plan is done. Whatever goes wrong in the
// worker, the planning thread computes what is missing itself, as without it.

import fs from 'node:fs';
import { newScratchDir } from '../core/scratch.js';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Db } from './db.js';
import { bind, buildFactsTables, ORDER_FACTS, ORDER_FACTS_COLUMNS, usedParams, type SegmentParams } from './segments.js';

interface Input {
  kind: 'order-facts';
  dbFile: string;
  scratch: string;
  params: SegmentParams;
  /** The candidates' facts: a SELECT over the facts tables, and its parameters other than the segment ones. */
  candidates: { sql: string; values: Record<string, unknown> } | null;
  /**
   * Int32 [0]: the orders table: 0 until the worker runs, 3 while it works, 1 done, 2 failed;
   * [1]: the candidates: 0 while in the works, 1 done, 2 failed.
   */
  state: SharedArrayBuffer;
}

/** An aggregate being computed by a worker. */
export interface PendingOrderFacts {
  scratch: string;
  candidates: string;
  dir: string;
  state: Int32Array;
  worker: Worker;
}

const SCHEMA = 'plan_scratch';
const CANDIDATES_SCHEMA = 'plan_candidates';
/** Where attachCandidates() makes the candidates' facts readable. */
export const CANDIDATES_TABLE = `${CANDIDATES_SCHEMA}.candidates`;
const STARTUP_MS = 10_000;

/** Starts the orders aggregate in a worker; null when the database is in memory or no worker can be started. */
export function startOrderFacts(
  db: Db,
  params: SegmentParams,
  candidates: { sql: string; values: Record<string, unknown> } | null,
): PendingOrderFacts | null {
  // A worker runs compiled JavaScript: not from the TypeScript sources (the unit tests), nor in memory.
  if (db.memory || !import.meta.url.endsWith('.js')) return null;
  let dir: string | undefined;
  try {
    dir = newScratchDir('plan');
    const scratch = path.join(dir, 'facts.db');
    const candidatesFile = path.join(dir, 'candidates.db');
    for (const file of [scratch, candidatesFile]) fs.closeSync(fs.openSync(file, 'wx', 0o600));
    const shared = new SharedArrayBuffer(8);
    const input: Input = { kind: 'order-facts', dbFile: db.name, scratch, params, candidates, state: shared };
    const worker = new Worker(new URL(import.meta.url), { workerData: input });
    worker.unref();
    // Errors are reported through the state word; the planning thread falls back on its own.
    worker.on('error', () => undefined);
    return { scratch, candidates: candidatesFile, dir, state: new Int32Array(shared), worker };
  } catch {
    if (dir) removeDir(dir);
    return null;
  }
}

/**
 * Waits for the worker and makes its table readable as temp.facts_orders on `db`. False when the
 * worker failed (the caller computes the table itself); the scratch file is then already gone.
 */
export function attachOrderFacts(db: Db, pending: PendingOrderFacts): boolean {
  // A worker that has not even started after STARTUP_MS will not be waited for; one that runs
  // always reports (its work is in try/finally).
  const started = Date.now();
  for (;;) {
    const state = Atomics.load(pending.state, 0);
    if (state === 1 || state === 2) break;
    // Giving up is atomic: a worker starting at the same moment sees it and does nothing.
    if (state === 0 && Date.now() - started > STARTUP_MS && Atomics.compareExchange(pending.state, 0, 0, 2) === 0) break;
    Atomics.wait(pending.state, 0, state, 200);
  }
  if (Atomics.load(pending.state, 0) !== 1) {
    releaseOrderFacts(db, pending);
    return false;
  }
  try {
    db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(pending.scratch);
    db.exec(`CREATE TEMP VIEW facts_orders AS SELECT * FROM ${SCHEMA}.facts_orders`);
    return true;
  } catch {
    releaseOrderFacts(db, pending);
    return false;
  }
}

/**
 * Waits for the candidates' facts and attaches them as CANDIDATES_TABLE; false when the worker
 * could not make them (the caller computes them itself). Call after attachOrderFacts() said true.
 */
export function attachCandidates(db: Db, pending: PendingOrderFacts): boolean {
  if (Atomics.load(pending.state, 0) !== 1) return false;
  while (Atomics.load(pending.state, 1) === 0) Atomics.wait(pending.state, 1, 0, 200);
  if (Atomics.load(pending.state, 1) !== 1) return false;
  try {
    db.prepare(`ATTACH DATABASE ? AS ${CANDIDATES_SCHEMA}`).run(pending.candidates);
    return true;
  } catch {
    return false;
  }
}

/** Detaches and removes the scratch files. */
export function releaseOrderFacts(db: Db, pending: PendingOrderFacts): void {
  db.exec('DROP VIEW IF EXISTS temp.facts_orders');
  const attached = (db.prepare('PRAGMA database_list').all() as { name: string }[]).map((d) => d.name);
  for (const schema of [SCHEMA, CANDIDATES_SCHEMA]) if (attached.includes(schema)) db.exec(`DETACH DATABASE ${schema}`);
  void pending.worker.terminate();
  removeDir(pending.dir);
}

/** Removes the scratch folder; a file still held open (Windows, a worker not yet stopped) is left for the OS to clean. */
function removeDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // Best effort: the files hold no more than the database itself, and are private to the user.
  }
}

function run(input: Input): void {
  const state = new Int32Array(input.state);
  if (Atomics.compareExchange(state, 0, 0, 3) !== 0) return;
  let scratch: Database.Database | undefined;
  const report = (slot: number, outcome: number) => {
    Atomics.store(state, slot, outcome);
    Atomics.notify(state, slot);
  };
  try {
    scratch = new Database(input.scratch);
    scratch.pragma('journal_mode = OFF');
    scratch.pragma('synchronous = OFF');
    scratch.pragma('busy_timeout = 10000');
    scratch.pragma('cache_size = -32768');
    // Its temp tables (complaints, calls and flags per customer) are small.
    scratch.pragma('temp_store = MEMORY');
    scratch.prepare('ATTACH DATABASE ? AS src').run(input.dbFile);
    scratch.exec(`CREATE TABLE main.facts_orders (${ORDER_FACTS_COLUMNS}) WITHOUT ROWID`);
    const p = input.params;
    scratch
      .prepare(`INSERT INTO main.facts_orders ${ORDER_FACTS.replace(/\bFROM orders\b/, 'FROM src.orders')} GROUP BY customer_id ORDER BY customer_id`)
      .run({ dNext: p.dNext, d12m: p.d12m, dWindow: p.dWindow, dWindowBefore: p.dWindowBefore });
  } catch {
    report(0, 2);
    report(1, 2);
    close(scratch);
    return;
  }
  report(0, 1);
  // The candidates, read by the planning thread from a file of their own: it reads facts.db meanwhile.
  let outcome = 2;
  try {
    if (input.candidates) {
      const db = scratch;
      db.prepare('ATTACH DATABASE ? AS cand').run(input.scratch.replace(/facts\.db$/, 'candidates.db'));
      db.exec('PRAGMA cand.journal_mode = OFF; PRAGMA cand.synchronous = OFF;');
      db.exec('CREATE TEMP VIEW facts_orders AS SELECT * FROM main.facts_orders');
      // The tables the facts read besides the orders one (the tables of the database resolve to src).
      const bound = bind(db, input.params);
      buildFactsTables(db, input.params, true);
      const sql = `CREATE TABLE cand.candidates AS ${input.candidates.sql}`;
      db.prepare(sql).run(usedParams(sql, { ...bound, ...input.candidates.values }));
      outcome = 1;
    }
  } catch {
    outcome = 2;
  } finally {
    close(scratch);
    report(1, outcome);
  }
}

function close(db: Database.Database | undefined): void {
  try {
    db?.close();
  } catch {
    // Nothing to do: the planning thread does not use this connection.
  }
}

if (!isMainThread && (workerData as Input | undefined)?.kind === 'order-facts') {
  run(workerData as Input);
  parentPort?.close();
}
