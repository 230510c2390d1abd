// `followup import`: one CRM export into the database, as one transaction.
//
// bytes ─ sha256 ─ decode ─ CSV records ─ validate ─┬─ stage (temp table) ─ merge (one transaction)
//                                                   └─ rejects CSV (line, field, value, reason, row)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { UserError } from '../core/errors.js';
import { fieldLabel, mapHeader, parseMapOptions, type HeaderMapping, type ImportKind } from '../domain/columns.js';
import { columnsInFile, rowValidator, type RowReject } from '../domain/rows.js';
import { t } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import { ImportStage, startImportLog } from '../storage/imports.js';
import { eachRecord } from './csv.js';
import { delimiterName, detectDelimiter, detectEncoding, type Delimiter, type Encoding } from './decode.js';

export interface ImportOptions {
  kind: ImportKind;
  /** A path, or '-' for `stdin`. */
  file: string;
  encoding?: Encoding;
  delimiter?: Delimiter;
  /** `--map "HEADER=field"` values. */
  map?: readonly string[];
  /** Where rejected rows go; default `<name>.rejects.csv` in `cwd`. */
  rejectsFile?: string;
  dryRun?: boolean;
  cwd?: string;
  stdin?: Readable;
  /** The input already opened with openInput(), so a bad path is found before the database is touched. */
  input?: Input;
  /** The clock, for the import log. */
  now?: () => Date;
  /** Called now and then while reading: bytes read so far, the file's size if known, rows so far. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined, rows: number) => void;
  /** Called once the header is understood, before any row is read. */
  onStart?: (info: { encoding: Encoding; delimiter: Delimiter }) => void;
}

export interface ImportResult {
  kind: ImportKind;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  rejectsFile: string | null;
  encoding: Encoding;
  delimiter: string;
  sha256: string;
  dryRun: boolean;
  seconds: number;
  rowsPerSecond: number;
}

const SAMPLE_BYTES = 64 * 1024;

export async function importExport(db: Db, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const overrides = parseMapOptions(options.kind, options.map ?? []);
  const input = options.input ?? openInput(options);
  const fileLabel = input.label;
  const hash = crypto.createHash('sha256');

  // Read the first bytes to decide the encoding and the delimiter before parsing anything.
  const bytes = input.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  while (head.length < SAMPLE_BYTES) {
    const next = await nextChunk(bytes, input.path);
    if (next.done) {
      ended = true;
      break;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) throw new UserError('error.emptyFile', { file: fileLabel });
  const encoding = options.encoding ?? detectEncoding(head);
  const decode = iconv.getDecoder(encoding, { stripBOM: true });
  const firstText = decode.write(head);
  const delimiter = options.delimiter ?? detectDelimiter(firstText);
  options.onStart?.({ encoding, delimiter });

  let bytesRead = 0;
  async function* text(): AsyncGenerator<string> {
    hash.update(head);
    bytesRead = head.length;
    yield firstText;
    if (!ended) {
      for (;;) {
        const next = await nextChunk(bytes, input.path);
        if (next.done) break;
        hash.update(next.value);
        bytesRead += next.value.length;
        yield decode.write(next.value);
      }
    }
    const rest = decode.end();
    if (rest) yield rest;
  }

  let stage: ImportStage | undefined;
  const rejects = new RejectsWriter(options, input.label);
  let mapping: HeaderMapping | undefined;
  let validate: ((record: string[]) => ReturnType<ReturnType<typeof rowValidator>>) | undefined;
  let rows = 0;
  const keepRaw = options.kind !== 'customers';

  try {
    await eachRecord(text(), { delimiter, fileLabel }, (record, line) => {
      if (!mapping) {
        mapping = mapHeader(options.kind, record, overrides, fileLabel);
        validate = rowValidator(mapping);
        stage = new ImportStage(db, options.kind, columnsInFile(mapping));
        rejects.setHeader(mapping);
        return;
      }
      rows++;
      const result = validate!(record);
      if (Array.isArray(result)) {
        stage!.add(line, keepRaw ? JSON.stringify(record) : null, result);
      } else {
        rejects.add(line, result, record);
      }
      if ((rows & 0x3fff) === 0) options.onProgress?.(bytesRead, input.size, rows);
    });
    if (!mapping || !stage) throw new UserError('error.emptyFile', { file: fileLabel });
    const staged: ImportStage = stage;
    staged.flush();
    options.onProgress?.(bytesRead, input.size, rows);

    const distinct = staged.distinct();
    const duplicates = staged.staged - distinct;
    let counts = { inserted: 0, updated: 0, unchanged: 0 };
    const sha256 = hash.digest('hex');

    // Everything that touches the real tables happens in this one transaction. IMMEDIATE takes the
    // write lock up front, so the counts cannot go stale between counting and merging.
    const commit = db.transaction(() => {
      for (const unknown of staged.takeUnknownCustomers()) {
        rejects.add(
          unknown.line,
          { field: 'customerId', value: unknown.customerId, problem: 'row.unknownCustomer', params: { value: unknown.customerId } },
          JSON.parse(unknown.raw) as string[],
        );
      }
      counts = staged.counts();
      if (options.dryRun) return;
      const finishedAt = now().toISOString();
      const importId = startImportLog(db, {
        kind: options.kind,
        file: input.label,
        sha256,
        encoding,
        delimiter: delimiterName(delimiter),
        rows,
        ...counts,
        rejected: rejects.count,
        duplicates,
        startedAt,
        finishedAt,
      });
      staged.merge(importId);
    });
    if (options.dryRun) commit.deferred();
    else commit.immediate();
    rejects.close();

    const seconds = (performance.now() - started) / 1000;
    return {
      kind: options.kind,
      file: input.label,
      rows,
      ...counts,
      rejected: rejects.count,
      duplicates,
      rejectsFile: rejects.path,
      encoding,
      delimiter: delimiterName(delimiter),
      sha256,
      dryRun: options.dryRun ?? false,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : rows,
    };
  } catch (error) {
    rejects.close();
    throw error;
  } finally {
    stage?.drop();
    input.stream.destroy();
  }
}

export interface Input {
  stream: Readable;
  label: string;
  path: string;
  size: number | undefined;
}

/** Opens the export (a path, or '-' for stdin); a missing or unreadable file is a UserError. */
export function openInput(options: Pick<ImportOptions, 'file' | 'cwd' | 'stdin'>): Input {
  if (options.file === '-') {
    const stdin = options.stdin ?? process.stdin;
    if ((stdin as { isTTY?: boolean }).isTTY) throw new UserError('error.stdinTty');
    return { stream: stdin, label: 'stdin', path: '-', size: undefined };
  }
  const file = path.resolve(options.cwd ?? process.cwd(), options.file);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError('error.fileNotFound', { path: options.file });
    throw new UserError('error.fileUnreadable', { path: options.file, reason: (error as Error).message });
  }
  if (stat.isDirectory()) throw new UserError('error.fileIsDirectory', { path: options.file });
  // 1 MiB reads: fewer, larger chunks through the decoder and the parser.
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  return { stream, label: path.basename(file), path: options.file, size: stat.size };
}

async function nextChunk(it: AsyncIterator<Buffer>, where: string): Promise<IteratorResult<Buffer>> {
  try {
    const next = await it.next();
    if (!next.done && typeof next.value === 'string') return { done: false, value: Buffer.from(next.value) };
    return next;
  } catch (error) {
    throw new UserError('error.fileUnreadable', { path: where, reason: (error as Error).message });
  }
}

/**
 * The rejects report: a CSV that Excel opens (UTF-8 with BOM) with the line, field, value and
 * reason, followed by the original row under its original headers, so the user can fix the rows
 * in place and import the same file again. Created on the first reject only.
 */
class RejectsWriter {
  count = 0;
  path: string | null = null;
  private fd: number | null = null;
  private mapping: HeaderMapping | undefined;
  private readonly target: string;

  constructor(options: ImportOptions, label: string) {
    const base = label === 'stdin' ? `${options.kind}-stdin` : label.replace(/\.(csv|tsv|txt)$/i, '');
    this.target = path.resolve(options.cwd ?? process.cwd(), options.rejectsFile ?? `${base}.rejects.csv`);
  }

  setHeader(mapping: HeaderMapping): void {
    this.mapping = mapping;
  }

  /** The export's own name for the column at fault: what the user sees in Excel. */
  private columnName(field: string | null): string {
    if (field === null) return '';
    const index = this.mapping?.fieldIndex.get(field);
    return index === undefined ? fieldLabel(field) : this.mapping!.headers[index];
  }

  add(line: number, reject: RowReject, record: string[]): void {
    if (this.fd === null) this.open();
    this.count++;
    const params = { ...reject.params };
    if (typeof params.field === 'string') params.field = this.columnName(params.field);
    const reason = t(reject.problem, params);
    fs.writeSync(this.fd!, stringify([[line, this.columnName(reject.field), reject.value, reason, ...record]]));
  }

  private open(): void {
    try {
      // The rows carry phone numbers: owner-only, like the database.
      this.fd = fs.openSync(this.target, 'w', 0o600);
    } catch (error) {
      throw new UserError('error.rejectsUnwritable', { path: this.target, reason: (error as Error).message });
    }
    this.path = this.target;
    const columns = [t('rejects.line'), t('rejects.field'), t('rejects.value'), t('rejects.reason'), ...(this.mapping?.headers ?? [])];
    fs.writeSync(this.fd, '\ufeff' + stringify([columns]));
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
