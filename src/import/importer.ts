// `followup import`: one CRM export into the database, as one transaction.
//
//   reader (worker thread for big files)          importing thread
//   bytes ─ sha256 ─ decode ─ CSV ─ validate ──▶  stage (temp table) ─ dedupe ─ count ─ merge
//                                  └─ rejects CSV (line, field, value, reason, original row)
//
// Nothing touches the real tables until the final transaction, so killing the process at any
// moment leaves the database exactly as it was.

import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { UserError } from '../core/errors.js';
import { discardTemp, outputTarget, publishTemp } from '../core/files.js';
import { parseMapOptions, type ImportKind } from '../domain/columns.js';
import type { StoredValue } from '../domain/rows.js';
import { currentLang, t, type MessageId } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import { customerLookup, finishImportLog, hasCustomers, ImportWriter, paddedCustomerLookup, startImportLog, type ImportLogEntry } from '../storage/imports.js';
import type { Delimiter, Encoding } from './decode.js';
import { readExport, type ReaderConfig, type ReaderEvents, type ReaderResult } from './reader.js';
import { isWorkbook, readWorkbook } from './xlsx.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

export interface ImportOptions {
  kind: ImportKind;
  /** A path, or '-' for standard input. */
  file: string;
  encoding?: Encoding;
  delimiter?: Delimiter;
  /** `--map "HEADER=field"` values. */
  map?: readonly string[];
  /** The sheet of a workbook to read (default: the first). */
  sheet?: string;
  /** Where rejected rows go; default `<name>.rejects.csv` in `cwd`. */
  rejectsFile?: string;
  /** Other files the command reads (the config): the rejects file must not be one of them. */
  reading?: string[];
  dryRun?: boolean;
  cwd?: string;
  /** Standard input, when file is '-' (default process.stdin). */
  stdin?: Readable;
  /** The input already checked with openInput(), so a bad path is found before the database is touched. */
  input?: Input;
  /** Read in a worker thread: default for files over WORKER_MIN_BYTES and for standard input. */
  worker?: boolean;
  /** The clock, for the import log. */
  now?: () => Date;
  /** Called once every row is read, before the indexes are rebuilt and the transaction commits. */
  onSaving?: (rows: number) => void;
  /** Called now and then while reading: bytes read so far, the file's size if known, rows so far. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined, rows: number) => void;
}

/** What an import did; what the reader learned of the file (skipped rows, warnings, unmapped columns …) is the reader's. */
export interface ImportResult
  extends Pick<ReaderResult, 'skipped' | 'firstSkipped' | 'warnings' | 'unmappedColumns' | 'unknownStatuses' | 'nonPurchase' | 'resolvedFrom'> {
  kind: ImportKind;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  rejectsFile: string | null;
  /** The sheet read, for a workbook. */
  sheet?: string;
  encoding: Encoding | 'xlsx';
  delimiter: string;
  sha256: string;
  dryRun: boolean;
  seconds: number;
  rowsPerSecond: number;
}

/** The reader's heap limit: it keeps peak RSS flat (measured 227 MB for 3M orders against 264–313 MB). */
const WORKER_HEAP_MB = 128;

/** Below this a worker thread costs more to start than it saves. */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;

export async function importExport(db: Db, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const overrides = parseMapOptions(options.kind, options.map ?? []);
  const input = options.input ?? openInput(options);
  // Orders and tickets belong to customers: without any, every row would be rejected.
  if (options.kind !== 'customers' && !hasCustomers(db)) throw new UserError('error.noCustomers', { kind: t(`kind.${options.kind}` as MessageId) });
  const config: ReaderConfig = {
    kind: options.kind,
    fileLabel: input.label,
    encoding: options.encoding,
    delimiter: options.delimiter,
    overrides: [...overrides],
    rejectsTarget: rejectsPath(input, options.kind, options, db),
  };

  // The whole import is one transaction, begun once the header is understood: a killed or failed
  // import leaves the database exactly as it was; a dry run rolls it back at the end.
  let writer: ImportWriter | undefined;
  let importId = 0;
  let inTransaction = false;
  let published = false;
  const entry = (): ImportLogEntry => ({
    kind: options.kind,
    file: input.label,
    sha256: '',
    encoding: '',
    delimiter: '',
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    duplicates: 0,
    skipped: 0,
    warnings: 0,
    startedAt,
    finishedAt: startedAt,
  });
  const sink: Sink = {
    start: (info) => {
      // The reader has already checked, batch by batch, that every order's or complaint's customer
      // exists (and rejected the rest with their line), and followup never deletes customers; so
      // the per-row foreign-key probe into a million customers (measured: most of the insert time)
      // is switched off for the load. It can only change outside a transaction.
      if (options.kind !== 'customers') db.pragma('foreign_keys = OFF');
      db.exec('BEGIN IMMEDIATE');
      inTransaction = true;
      importId = startImportLog(db, entry());
      // About 100 bytes a row in a real export: enough to tell a bulk load from a small update.
      const expectedRows = input.size === undefined ? 0 : Math.floor(input.size / 100);
      writer = new ImportWriter(db, options.kind, info.columns, importId, expectedRows);
    },
    batch: (values, rows) => writer!.addRows(values, rows),
    progress: (bytes, rows) => options.onProgress?.(bytes, input.size, rows),
  };

  try {
    const useWorker = options.worker ?? (input.size === undefined || input.size >= WORKER_MIN_BYTES);
    const read =
      input.workbook
        ? await readWorkbook(input.path!, options.sheet, config, { ...sink, ...lookups(db, config.kind) })
        : useWorker
          ? await readInWorker(db, input, config, sink)
          : await readInThread(db, input, config, sink, options.stdin);
    if (!writer) throw new UserError('error.emptyFile', { file: input.label });
    options.onSaving?.(read.rows);
    const counts = writer.finish();
    finishImportLog(db, importId, {
      ...entry(),
      sha256: read.sha256,
      encoding: read.encoding,
      delimiter: read.delimiter,
      rows: read.rows,
      ...counts,
      rejected: read.rejected,
      skipped: read.skipped,
      warnings: read.warnings,
      finishedAt: now().toISOString(),
    });
    db.exec(options.dryRun ? 'ROLLBACK' : 'COMMIT');
    inTransaction = false;
    // The rejects report replaces the last one only now that the import is saved (or the dry run done).
    if (read.rejectsFile) publishTemp(read.rejectsFile);
    published = true;

    const seconds = (performance.now() - started) / 1000;
    return {
      kind: options.kind,
      file: input.label,
      rows: read.rows,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      rejected: read.rejected,
      duplicates: counts.duplicates,
      skipped: read.skipped,
      firstSkipped: read.firstSkipped,
      warnings: read.warnings,
      unmappedColumns: read.unmappedColumns,
      unknownStatuses: read.unknownStatuses,
      nonPurchase: read.nonPurchase,
      resolvedFrom: read.resolvedFrom,
      rejectsFile: read.rejectsFile,
      ...(input.workbook ? { sheet: read.sheet } : {}),
      encoding: read.encoding,
      delimiter: read.delimiter,
      sha256: read.sha256,
      dryRun: options.dryRun ?? false,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(read.rows / seconds) : read.rows,
    };
  } finally {
    if (inTransaction && db.inTransaction) db.exec('ROLLBACK');
    db.pragma('foreign_keys = ON');
    if (!published) discardTemp(config.rejectsTarget);
  }
}

interface Sink {
  start(info: { encoding: string; delimiter: string; columns: string[] }): void;
  batch(values: StoredValue[], rows: number): void;
  progress(bytes: number, rows: number): void;
}

function readInThread(db: Db, input: Input, config: ReaderConfig, sink: Sink, stdin: Readable | undefined): Promise<ReaderResult> {
  const bytes = input.path === null ? (stdin ?? process.stdin) : fs.createReadStream(input.path, { highWaterMark: 1 << 20 });
  return readExport(bytes, config, { ...sink, ...lookups(db, config.kind) }).finally(() => {
    if (input.path !== null) (bytes as fs.ReadStream).destroy();
  });
}

/** The customer look-ups of an orders or complaints import. */
function lookups(db: Db, kind: ImportKind): Pick<ReaderEvents, 'knownCustomers' | 'paddedCustomers'> {
  return kind === 'customers' ? { knownCustomers: null } : { knownCustomers: customerLookup(db), paddedCustomers: paddedCustomerLookup(db) };
}

/** Runs the reader in a worker thread and stages its batches here as they arrive. */
function readInWorker(db: Db, input: Input, config: ReaderConfig, sink: Sink): Promise<ReaderResult> {
  const flow = new SharedArrayBuffer(4);
  const taken = new Int32Array(flow);
  const dbFile = db.memory ? null : db.name;
  const workerInput: WorkerInput = { config, path: input.path, dbPath: dbFile, lang: currentLang(), flow };
  // A bounded heap makes the reader collect garbage early: peak RSS stays flat and well under 300 MB.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: workerInput, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });

  return new Promise<ReaderResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      try {
        switch (message.type) {
          case 'start':
            sink.start(message);
            break;
          case 'batch':
            sink.batch(message.values as StoredValue[], message.rows);
            Atomics.add(taken, 0, 1);
            Atomics.notify(taken, 0);
            break;
          case 'progress':
            sink.progress(message.bytes, message.rows);
            break;
          case 'done':
            settle(() => resolve(message.result));
            break;
          case 'error': {
            const error = message.userError
              ? new UserError(message.userError.id as MessageId, message.userError.params as Record<string, string>, message.userError.exitCode)
              : Object.assign(new Error(message.message), { stack: message.stack });
            settle(() => reject(error));
            break;
          }
        }
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.on('error', (error) => {
      // Only a single enormous record (an unclosed quote swallowing the rest of the file) can fill
      // the reader's heap: rows are read and handed on in small batches.
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(() => reject(tooLarge ? new UserError('error.recordTooLarge', { file: config.fileLabel, mb: WORKER_HEAP_MB }) : error));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`import worker stopped (exit code ${code})`))));
  });
}

export interface Input {
  /** The file, or null for standard input. */
  path: string | null;
  label: string;
  size: number | undefined;
  /** An .xlsx workbook (by its name or its first bytes), read sheet by sheet instead of as text. */
  workbook?: boolean;
}

/**
 * Where an import's rejects report goes: --rejects, else `<name>.rejects.csv` (`<kind>-stdin…`) in
 * `cwd`; checked before anything is read (core/files.ts): not the export itself, the database, a
 * device, a FIFO, a folder or a symbolic link.
 */
export function rejectsPath(input: Input, kind: string, options: Pick<ImportOptions, 'rejectsFile' | 'cwd' | 'reading'>, db?: Db): string {
  const base = input.label === 'stdin' ? `${kind}-stdin` : input.label.replace(/\.(csv|tsv|txt|xlsx|xlsm)$/i, '');
  const cwd = options.cwd ?? process.cwd();
  const dbFile = db && !db.memory ? db.name : null;
  const reading = [input.path, dbFile, dbFile && `${dbFile}-wal`, dbFile && `${dbFile}-shm`, ...(options.reading ?? [])];
  const target = outputTarget(options.rejectsFile ?? `${base}.rejects.csv`, { cwd, flag: '--rejects', reading });
  if (target.stdout) throw new Error('unreachable: rejects never go to standard output');
  return target.file;
}

/** Checks the export (a path, or '-' for stdin) exists and is a file; a bad path is a UserError. */
export function openInput(options: Pick<ImportOptions, 'file' | 'cwd' | 'stdin'>): Input {
  if (options.file === '-') {
    // Asked of the descriptor, not of process.stdin: making that stream would switch fd 0 to
    // non-blocking, and the import worker's reads of a slow pipe would then fail with EAGAIN.
    const isTerminal = options.stdin ? Boolean((options.stdin as { isTTY?: boolean }).isTTY) : tty.isatty(0);
    if (isTerminal) throw new UserError('error.stdinTty');
    return { path: null, label: 'stdin', size: undefined };
  }
  const file = path.resolve(options.cwd ?? process.cwd(), options.file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError('error.fileNotFound', { path: options.file });
    throw new UserError('error.fileUnreadable', { path: options.file, reason: (error as Error).message });
  }
  if (stat.isDirectory()) throw new UserError('error.fileIsDirectory', { path: options.file });
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new UserError('error.fileUnreadable', { path: options.file, reason: (error as Error).message });
  }
  return { path: file, label: path.basename(file), size: stat.size, workbook: isWorkbook(file, options.file) };
}
