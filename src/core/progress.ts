// The progress of a long import on the terminal: the file's name, a bar, rows, rows a second and
// the time left, fitted to the terminal's width; then, while the indexes are rebuilt and the load
// commits, what it is doing and for how long.
//
// The drawing runs in a worker thread (progress-worker.ts, with cli-progress) and writes straight
// to the terminal: rebuilding the indexes and committing are one long synchronous SQLite call on
// the main thread, during which a bar drawn from the main thread would stand still, as if stuck.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Output } from './output.js';
import { t } from '../messages/index.js';

export interface Progress {
  /** Reading: bytes read of the total (when known) and rows so far. */
  reading(bytes: number, total: number | undefined, rows: number): void;
  /** Every row is read: the indexes are rebuilt and the load commits. */
  saving(rows: number): void;
  /** The line is cleared; nothing more is drawn. */
  done(): void;
}

/** What the worker is told: the texts in the user's language, and the terminal's width. */
export interface ProgressSetup {
  name: string;
  columns: number;
  texts: { rows: string; perSecond: string; left: string; saving: string };
  /** Where the worker says it has cleared the line (Atomics). */
  cleared: SharedArrayBuffer;
}

export type ProgressMessage = { type: 'reading'; bytes: number; total: number | undefined; rows: number } | { type: 'saving'; rows: number } | { type: 'done' };

const QUIET: Progress = { reading() {}, saving() {}, done() {} };

/** Milliseconds `done()` waits at most for the worker to clear its line. */
const CLEAR_WAIT_MS = 500;

/** A progress line for `file` on stderr when it is a terminal; nothing otherwise. */
export function importProgress(out: Output, file: string, columns = process.stderr.columns): Progress {
  if (!out.interactive) return QUIET;
  const cleared = new SharedArrayBuffer(4);
  const setup: ProgressSetup = {
    name: file === '-' ? 'stdin' : path.basename(file),
    columns: columns || 80,
    texts: {
      rows: t('progress.rows'),
      perSecond: t('progress.perSecond'),
      left: t('progress.left'),
      saving: t('progress.saving'),
    },
    cleared,
  };
  let worker: Worker | undefined;
  const send = (message: ProgressMessage) => {
    worker ??= startWorker(setup);
    worker.postMessage(message);
  };
  let finished = false;
  return {
    reading(bytes, total, rows) {
      if (!finished) send({ type: 'reading', bytes, total, rows });
    },
    saving(rows) {
      if (!finished) send({ type: 'saving', rows });
    },
    done() {
      if (finished) return;
      finished = true;
      if (!worker) return;
      worker.postMessage({ type: 'done' } satisfies ProgressMessage);
      // The worker clears its line itself: wait for it, so that what is printed next is not overdrawn.
      Atomics.wait(new Int32Array(cleared), 0, 0, CLEAR_WAIT_MS);
      void worker.terminate();
    },
  };
}

function startWorker(setup: ProgressSetup): Worker {
  const worker = new Worker(new URL('./progress-worker.js', import.meta.url), { workerData: setup });
  // The progress line is a nicety: a worker that cannot start or fails never stops the import.
  worker.on('error', () => {});
  worker.unref();
  return worker;
}
