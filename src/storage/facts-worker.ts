// The orders aggregate of the planner's facts (3M orders by customer: its longest statement) in a
// worker thread, on the second core, while the planning thread finds the window and call reasons.
//
// The worker reads the database on its own connection and writes the per-customer table into a
// scratch database file of its own (temp tables belong to one connection); the planning thread
// then attaches that file and reads the table through a temp view named like the table
// buildFactsTables() makes in-process, so every query reads it the same way. The scratch file is
// private (0600) and removed when the plan is done. Whatever goes wrong in the worker, the
// planning thread computes the table itself, as without it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Db } from './db.js';
import { ORDER_FACTS, ORDER_FACTS_COLUMNS, type SegmentParams } from './segments.js';

interface Input {
  kind: 'order-facts';
  dbFile: string;
  scratch: string;
  params: { dNext: string; d12m: string; dWindow: string; dWindowBefore: string };
  /** Int32 [0]: 0 until the worker runs, 3 while it works, 1 done, 2 failed. */
  state: SharedArrayBuffer;
}

/** An aggregate being computed by a worker. */
export interface PendingOrderFacts {
  scratch: string;
  dir: string;
  state: Int32Array;
  worker: Worker;
}

const SCHEMA = 'plan_scratch';
const STARTUP_MS = 10_000;

/** Starts the orders aggregate in a worker; null when the database is in memory or no worker can be started. */
export function startOrderFacts(db: Db, params: SegmentParams): PendingOrderFacts | null {
  // A worker runs compiled JavaScript: not from the TypeScript sources (the unit tests), nor in memory.
  if (db.memory || !import.meta.url.endsWith('.js')) return null;
  let dir: string | undefined;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-plan-'));
    const scratch = path.join(dir, 'facts.db');
    fs.closeSync(fs.openSync(scratch, 'wx', 0o600));
    const shared = new SharedArrayBuffer(4);
    const input: Input = {
      kind: 'order-facts',
      dbFile: db.name,
      scratch,
      params: { dNext: params.dNext, d12m: params.d12m, dWindow: params.dWindow, dWindowBefore: params.dWindowBefore },
      state: shared,
    };
    const worker = new Worker(new URL(import.meta.url), { workerData: input });
    worker.unref();
    // Errors are reported through the state word; the planning thread falls back on its own.
    worker.on('error', () => undefined);
    return { scratch, dir, state: new Int32Array(shared), worker };
  } catch {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
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

/** Detaches and removes the scratch file. */
export function releaseOrderFacts(db: Db, pending: PendingOrderFacts): void {
  db.exec('DROP VIEW IF EXISTS temp.facts_orders');
  const attached = (db.prepare('PRAGMA database_list').all() as { name: string }[]).some((d) => d.name === SCHEMA);
  if (attached) db.exec(`DETACH DATABASE ${SCHEMA}`);
  void pending.worker.terminate();
  fs.rmSync(pending.dir, { recursive: true, force: true });
}

function run(input: Input): void {
  const state = new Int32Array(input.state);
  if (Atomics.compareExchange(state, 0, 0, 3) !== 0) return;
  let outcome = 2;
  let scratch: Database.Database | undefined;
  try {
    scratch = new Database(input.scratch);
    scratch.pragma('journal_mode = OFF');
    scratch.pragma('synchronous = OFF');
    scratch.pragma('busy_timeout = 10000');
    scratch.pragma('cache_size = -32768');
    scratch.prepare('ATTACH DATABASE ? AS src').run(input.dbFile);
    scratch.exec(`CREATE TABLE main.facts_orders (${ORDER_FACTS_COLUMNS}) WITHOUT ROWID`);
    scratch.prepare(`INSERT INTO main.facts_orders ${ORDER_FACTS.replace(/\bFROM orders\b/, 'FROM src.orders')} GROUP BY customer_id ORDER BY customer_id`).run(input.params);
    outcome = 1;
  } catch {
    outcome = 2;
  } finally {
    try {
      scratch?.close();
    } catch {
      outcome = 2;
    }
    Atomics.store(state, 0, outcome);
    Atomics.notify(state, 0);
  }
}

if (!isMainThread && (workerData as Input | undefined)?.kind === 'order-facts') {
  run(workerData as Input);
  parentPort?.close();
}
