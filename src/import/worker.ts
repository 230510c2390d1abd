// The import's reading half in a worker thread: decoding, parsing and validating a big export on
// one core while the importing thread writes rows into SQLite on the other.
//
// Flow control: the worker blocks (Atomics.wait) when more than MAX_IN_FLIGHT batches are waiting
// for the importing thread, so a slow disk write can never pile the whole file up in memory.

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../core/errors.js';
import { setLang, type Lang } from '../messages/index.js';
import { openDatabase } from '../storage/db.js';
import { customerLookup, paddedCustomerLookup } from '../storage/imports.js';
import { readExport, type ReaderConfig } from './reader.js';

export interface WorkerInput {
  config: ReaderConfig;
  /** The file to read, or null for standard input. */
  path: string | null;
  /** The database to look customer ids up in (read-only), or null when there is none yet. */
  dbPath: string | null;
  lang: Lang;
  /** Int32 [0]: batches the importing thread has taken. */
  flow: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'start'; encoding: string; delimiter: string; columns: string[] }
  | { type: 'batch'; values: unknown[]; rows: number }
  | { type: 'progress'; bytes: number; rows: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof readExport>> }
  | { type: 'error'; userError?: { id: string; params: Record<string, unknown>; exitCode: number }; message: string; stack?: string };

/**
 * Batches (2000 rows each, a few hundred KB) that may wait for the importing thread. Both threads
 * are busy most of the time but not evenly: with 4 the reader stalled 2.4 s of a 3M-order import
 * while the writer sat idle 1.6 s; 16 smooths that out (read phase 16 s -> 14 s, same peak RSS),
 * 64 gains nothing more.
 */
export const MAX_IN_FLIGHT = 16;

/**
 * Standard input for this thread. The main thread's ESM imports of node:process make its
 * process.stdin, which switches a pipe on fd 0 to non-blocking: reads of fd 0 here would then fail
 * with EAGAIN whenever the writer is slower than the import. On Linux /dev/stdin opens the pipe
 * afresh, blocking; elsewhere fd 0 is read as it is.
 */
function standardInput(): fs.ReadStream {
  if (process.platform === 'linux') {
    try {
      return fs.createReadStream('', { fd: fs.openSync('/dev/stdin', 'r'), highWaterMark: 1 << 20 });
    } catch {
      // no /proc: fall through
    }
  }
  return fs.createReadStream('', { fd: 0, highWaterMark: 1 << 20 });
}

async function run(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  setLang(input.lang);
  const flow = new Int32Array(input.flow);
  let sent = 0;
  const db = input.dbPath ? openDatabase(input.dbPath, { readonly: true }) : null;
  try {
    const bytes = input.path === null ? standardInput() : fs.createReadStream(input.path, { highWaterMark: 1 << 20 });
    const result = await readExport(bytes, input.config, {
      start: (info) => port.postMessage({ type: 'start', ...info } satisfies WorkerMessage),
      batch: (values, rows) => {
        port.postMessage({ type: 'batch', values, rows } satisfies WorkerMessage);
        sent++;
        for (let taken = Atomics.load(flow, 0); sent - taken > MAX_IN_FLIGHT; taken = Atomics.load(flow, 0)) {
          Atomics.wait(flow, 0, taken, 1000);
        }
      },
      progress: (bytesRead, rows) => port.postMessage({ type: 'progress', bytes: bytesRead, rows } satisfies WorkerMessage),
      knownCustomers: input.config.kind === 'customers' ? null : db ? customerLookup(db) : () => new Set<string>(),
      paddedCustomers: input.config.kind === 'customers' || !db ? undefined : paddedCustomerLookup(db),
    });
    port.postMessage({ type: 'done', result } satisfies WorkerMessage);
  } catch (error) {
    const e = error as Error;
    const userError = error instanceof UserError ? { id: error.id, params: error.params, exitCode: error.exitCode } : undefined;
    port.postMessage({ type: 'error', userError, message: e?.message ?? String(error), stack: e?.stack } satisfies WorkerMessage);
  } finally {
    db?.close();
  }
}

await run(workerData as WorkerInput);
