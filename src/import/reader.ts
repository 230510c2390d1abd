// Reading one export: bytes → text → CSV records → validated rows, with every rejected row written
// to the rejects report. No database writes happen here, so the same code runs in the importing
// thread for small files and in a worker thread for big ones (see importer.ts).

import crypto from 'node:crypto';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { neutralise } from '../core/csv.js';
import { UserError } from '../core/errors.js';
import { FILE_MODE, tempBeside } from '../core/files.js';
import { fieldLabel, mapHeader, type HeaderMapping, type ImportKind } from '../domain/columns.js';
import {
  columnsInFile,
  footerLabel,
  newRowNotes,
  rowAppender,
  STORED_COLUMNS,
  type RowAppender,
  type RowNotes,
  type RowReject,
  type StoredValue,
} from '../domain/rows.js';
import { looksRoundedByExcel } from '../domain/values.js';
import { t } from '../messages/index.js';
import { eachRecord } from './csv.js';
import { decoder, delimiterName, detectDelimiter, detectEncoding, type Delimiter, type Encoding } from './decode.js';

export interface ReaderConfig {
  kind: ImportKind;
  /** The file's name as the user knows it, for messages. */
  fileLabel: string;
  encoding?: Encoding;
  delimiter?: Delimiter;
  /** Normalised header → field, from --map. */
  overrides: [string, string][];
  /** Where the rejects report goes if there is anything to report. */
  rejectsTarget: string;
}

export interface ReaderEvents {
  /** The header is understood: these stored columns are in the file. */
  start(info: { encoding: string; delimiter: string; columns: string[] }): void;
  /**
   * Valid rows, flattened: `rows` rows of all the kind's stored values (STORED_COLUMNS). Synchronous:
   * a consumer that needs the reader to wait blocks here.
   */
  batch(values: StoredValue[], rows: number): void;
  progress(bytesRead: number, rows: number): void;
  /** Which of these customer ids exist; null when the kind has no customer id. */
  knownCustomers: ((ids: string[]) => Set<string>) | null;
  /** For unknown all-digit customer ids: the stored id they are with their leading zeros (123 → 000123). */
  paddedCustomers?: (ids: string[]) => Map<string, string>;
}

export interface ReaderResult {
  /** Records read, not counting the skipped ones. */
  rows: number;
  rejected: number;
  /** Totals, footers and blank rows: not records, not rejected. */
  skipped: number;
  /** The first of them, to show the user what was taken for a footer. */
  firstSkipped: { line: number; label: string } | null;
  /** Rows kept with an optional value left empty (listed in the rejects file). */
  warnings: number;
  /** The headers no field claims, as written. */
  unmappedColumns: string[];
  /** Status values nobody could read, most frequent first. */
  unknownStatuses: string[];
  /** Orders stored as no purchase (refunded, cancelled, closed, unpaid). */
  nonPurchase: number;
  /** Tickets resolved by their status alone, by the date taken. */
  resolvedFrom: { updatedAt: number; openedAt: number };
  rejectsFile: string | null;
  sha256: string;
  /** The sheet read, for a workbook. */
  sheet?: string;
  /** The text encoding, or 'xlsx' for a workbook. */
  encoding: Encoding | 'xlsx';
  delimiter: string;
}

const SAMPLE_BYTES = 64 * 1024;

/** Rows per batch: large enough to amortise a message or a customer lookup, small enough to stay flat. */
export const BATCH_ROWS = 2000;

export async function readExport(chunks: AsyncIterable<Buffer>, config: ReaderConfig, events: ReaderEvents): Promise<ReaderResult> {
  const bytes = chunks[Symbol.asyncIterator]();
  const hash = crypto.createHash('sha256');

  // The first bytes decide the encoding, the first line the delimiter.
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  while (head.length < SAMPLE_BYTES) {
    const next = await bytes.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) throw new UserError('error.emptyFile', { file: config.fileLabel });
  const encoding = config.encoding ?? detectEncoding(head);
  const decode = decoder(encoding);
  const firstText = decode.write(head);
  const delimiter = config.delimiter ?? detectDelimiter(firstText);

  let bytesRead = 0;
  async function* text(): AsyncGenerator<string> {
    hash.update(head);
    bytesRead = head.length;
    yield firstText;
    if (!ended) {
      for (;;) {
        const next = await bytes.next();
        if (next.done) break;
        hash.update(next.value);
        bytesRead += next.value.length;
        yield decode.write(next.value);
      }
    }
    const rest = decode.end();
    if (rest) yield rest;
  }

  const records = new RecordSink(config, events, { encoding, delimiter: delimiterName(delimiter) });
  try {
    await eachRecord(text(), { delimiter, fileLabel: config.fileLabel }, (record, line, malformed) => {
      records.add(record, line, malformed, bytesRead);
    });
    return { ...records.finish(bytesRead), sha256: hash.digest('hex'), encoding, delimiter: delimiterName(delimiter) };
  } finally {
    records.close();
  }
}

/**
 * The records of one export, CSV or workbook, as they come: the first is the header; then totals,
 * footers and blank rows are skipped, the rest validated and handed on in batches.
 */
export class RecordSink {
  private readonly rejects: RejectsWriter;
  private readonly overrides: Map<string, string>;
  private batch: Batch | undefined;
  private mapping: HeaderMapping | undefined;
  private rows = 0;
  private skipped = 0;
  private firstSkipped: { line: number; label: string } | null = null;
  readonly notes: RowNotes = newRowNotes();

  constructor(
    private readonly config: ReaderConfig,
    private readonly events: ReaderEvents,
    private readonly format: { encoding: string; delimiter: string },
  ) {
    this.rejects = new RejectsWriter(config.rejectsTarget);
    this.overrides = new Map(config.overrides);
  }

  add(record: string[], line: number, malformed: boolean, bytesRead: number): void {
    if (!this.batch) {
      // Rows above the header that hold nothing (a workbook's title row left blank) are not it.
      if (footerLabel(record) === '') return;
      const mapping = mapHeader(this.config.kind, record, this.overrides, this.config.fileLabel);
      this.mapping = mapping;
      this.rejects.setHeader(mapping);
      this.batch = new Batch(mapping, this.rejects, this.events, this.notes, this.config.fileLabel);
      this.events.start({ ...this.format, columns: columnsInFile(mapping) });
      return;
    }
    if (!malformed) {
      const label = footerLabel(record);
      if (label !== null) {
        this.skipped++;
        if (label !== '' && this.firstSkipped === null) this.firstSkipped = { line, label };
        return;
      }
    }
    this.rows++;
    this.batch.add(record, line, malformed);
    if (this.batch.size >= BATCH_ROWS) {
      this.batch.flush();
      this.events.progress(bytesRead, this.rows);
    }
  }

  finish(bytesRead: number): Omit<ReaderResult, 'sha256' | 'encoding' | 'delimiter'> {
    if (!this.batch || !this.mapping) throw new UserError('error.emptyFile', { file: this.config.fileLabel });
    this.batch.release();
    this.batch.flush();
    this.events.progress(bytesRead, this.rows);
    this.rejects.close();
    return {
      rows: this.rows,
      rejected: this.rejects.count,
      skipped: this.skipped,
      firstSkipped: this.firstSkipped,
      warnings: this.rejects.warnings,
      unmappedColumns: this.mapping.extras.map((e) => e.header.trim()).filter((h) => h !== ''),
      unknownStatuses: [...this.notes.unknownStatuses.entries()].sort((a, b) => b[1] - a[1]).map(([value]) => value),
      nonPurchase: this.notes.nonPurchase,
      resolvedFrom: this.notes.resolvedFrom,
      rejectsFile: this.rejects.path,
    };
  }

  close(): void {
    this.rejects.close();
  }
}

/**
 * Rows on their way to the importing thread, flattened into one array of stored values. Orders
 * and complaints wait here until their customer ids have been looked up in one query per batch;
 * rejects are written in line order per batch.
 */
class Batch {
  private readonly append: RowAppender;
  private readonly width: number;
  private readonly customerColumn: number;
  /**
   * The valid rows' values, row after row, with each row's line alongside and, for orders and
   * complaints (whose customer may turn out unknown), its original record.
   */
  private values: StoredValue[] = [];
  private lines: number[] = [];
  private records: string[][] = [];
  private rejected: { line: number; reject: RowReject; record: string[]; warning?: boolean }[] = [];
  private readonly warnings: RowReject[] = [];
  /**
   * Rows whose id Excel may have rounded to 15 digits, held back until the whole file is read: an id
   * that two rows share is theirs to lose (all rejected), a single one goes through.
   */
  private readonly held = new Map<string, { line: number; record: string[]; values: StoredValue[] }[]>();

  constructor(
    private readonly mapping: HeaderMapping,
    private readonly rejects: RejectsWriter,
    private readonly events: ReaderEvents,
    notes: RowNotes,
    private readonly fileLabel: string,
  ) {
    this.append = rowAppender(mapping, notes);
    this.width = STORED_COLUMNS[mapping.kind].length;
    // customer_id is the second stored column of orders and complaints.
    this.customerColumn = mapping.kind === 'customers' ? -1 : 1;
  }

  get size(): number {
    return this.lines.length + this.rejected.length;
  }

  add(record: string[], line: number, malformed: boolean): void {
    if (malformed) {
      this.rejected.push({ line, record, reject: { field: null, value: '', problem: 'row.badQuotes' } });
      return;
    }
    const start = this.values.length;
    const reject = this.append(record, this.values, this.warnings);
    if (this.warnings.length > 0) {
      for (const warning of this.warnings) this.rejected.push({ line, reject: warning, record, warning: true });
      this.warnings.length = 0;
    }
    if (reject) {
      if (reject.fatal) {
        const index = this.mapping.fieldIndex.get(reject.field ?? '');
        throw new UserError('error.dncUnreadable', {
          file: this.fileLabel,
          column: index === undefined ? (reject.field ?? '') : this.mapping.headers[index],
          value: reject.value,
          line,
        });
      }
      this.rejected.push({ line, reject, record });
      return;
    }
    const id = this.values[start] as string;
    if (looksRoundedByExcel(id)) {
      const rows = this.held.get(id) ?? [];
      rows.push({ line, record, values: this.values.slice(start) });
      this.held.set(id, rows);
      this.values.length = start;
      return;
    }
    this.lines.push(line);
    if (this.customerColumn >= 0) this.records.push(record);
  }

  /** At the end of the file: held ids seen once go through, ids that several rows share are all rejected. */
  release(): void {
    for (const [id, rows] of this.held) {
      if (rows.length === 1) {
        const [{ line, record, values }] = rows;
        for (const v of values) this.values.push(v);
        this.lines.push(line);
        if (this.customerColumn >= 0) this.records.push(record);
        continue;
      }
      for (const { line, record } of rows) {
        this.rejected.push({ line, record, reject: { field: 'id', value: id, problem: 'row.excelRounded', params: { value: id, count: rows.length } } });
      }
    }
    this.held.clear();
  }

  flush(): void {
    const values = this.values;
    let rows = this.lines.length;
    if (this.customerColumn >= 0 && rows > 0) {
      const width = this.width;
      // An export lists a customer's orders together: each id is looked up once per batch.
      const ids = new Set<string>();
      for (let at = this.customerColumn; at < values.length; at += width) ids.add(values[at] as string);
      const known = this.events.knownCustomers?.([...ids]) ?? new Set<string>();
      if (known.size < ids.size) {
        // Some customers are unknown: reject these rows with their line, and move the others down
        // over them in place (no second array: most batches of a real export have one or two).
        // An unknown all-digit id may be a stored one without its leading zeros (Excel drops them).
        const unknownDigits = [...ids].filter((id) => !known.has(id) && /^\d+$/.test(id));
        const padded = unknownDigits.length > 0 ? (this.events.paddedCustomers?.(unknownDigits) ?? new Map<string, string>()) : new Map<string, string>();
        let kept = 0;
        for (let r = 0; r < rows; r++) {
          const id = values[r * width + this.customerColumn] as string;
          if (known.has(id)) {
            if (kept !== r) values.copyWithin(kept * width, r * width, (r + 1) * width);
            kept++;
          } else {
            const suggestion = padded.get(id);
            const reject: RowReject =
              suggestion === undefined
                ? { field: 'customerId', value: id, problem: 'row.unknownCustomer', params: { value: id } }
                : { field: 'customerId', value: id, problem: 'row.unknownCustomerZeros', params: { value: id, suggestion } };
            this.rejected.push({ line: this.lines[r], record: this.records[r], reject });
          }
        }
        values.length = kept * width;
        rows = kept;
      }
    }
    if (this.rejected.length > 0) {
      this.rejected.sort((a, b) => a.line - b.line);
      for (const { line, reject, record, warning } of this.rejected) this.rejects.add(line, reject, record, warning);
    }
    this.values = [];
    this.lines = [];
    this.records = [];
    this.rejected = [];
    if (rows > 0) this.events.batch(values, rows);
  }
}

const REJECTS_PER_WRITE = 500;

/** Cells that Excel would run as a formula get a leading apostrophe, as in every CSV followup writes. */
const neutraliseRow = (row: (string | number)[]) => row.map((cell) => (typeof cell === 'string' ? neutralise(cell) : cell));

/**
 * The rejects report: a CSV that Excel opens (UTF-8 with BOM) with the line, field, value and
 * reason, followed by the original row under its original headers, so the user can fix the rows
 * and import them again. Created on the first reject only, readable by its owner only (it holds
 * phone numbers).
 */
export class RejectsWriter {
  count = 0;
  /** Rows kept with a warning: listed, not counted as rejected. */
  warnings = 0;
  path: string | null = null;
  private fd: number | null = null;
  private temp: string | null = null;
  private mapping: Pick<HeaderMapping, 'headers' | 'fieldIndex'> | undefined;
  private label: (field: string) => string = fieldLabel;
  private pending: (string | number)[][] = [];

  constructor(private readonly target: string) {}

  /**
   * The file's header, and where each field is in it. `label` names a field the file has no column
   * for (default: the CRM fields' names); `import calls` passes its own.
   */
  setHeader(mapping: Pick<HeaderMapping, 'headers' | 'fieldIndex'>, label: (field: string) => string = fieldLabel): void {
    this.mapping = mapping;
    this.label = label;
  }

  /** The export's own name for the column at fault: what the user sees in Excel. */
  private columnName(field: string | null): string {
    if (field === null) return '';
    const index = this.mapping?.fieldIndex.get(field);
    return index === undefined ? this.label(field) : this.mapping!.headers[index];
  }

  add(line: number, reject: RowReject, record: string[], warning = false): void {
    if (this.fd === null) this.open();
    if (warning) this.warnings++;
    else this.count++;
    const params = { ...reject.params };
    if (typeof params.field === 'string') params.field = this.columnName(params.field);
    const reason = warning ? t('rejects.kept', { reason: t(reject.problem, params) }) : t(reject.problem, params);
    this.pending.push([line, this.columnName(reject.field), reject.value, reason, ...record]);
    if (this.pending.length >= REJECTS_PER_WRITE) this.write();
  }

  /** Rejected rows are written a few hundred at a time: one CSV call and one system call each, not one per row. */
  private write(): void {
    if (this.pending.length === 0) return;
    fs.writeSync(this.fd!, stringify(this.pending.map(neutraliseRow)));
    this.pending = [];
  }

  private open(): void {
    // Written beside the target and renamed over it when complete: a killed import leaves the last
    // complete rejects file, never half of a new one.
    this.temp = tempBeside(this.target);
    try {
      this.fd = fs.openSync(this.temp, 'wx', FILE_MODE);
      fs.fchmodSync(this.fd, FILE_MODE);
    } catch (error) {
      throw new UserError('error.rejectsUnwritable', { path: this.target, reason: (error as Error).message });
    }
    this.path = this.target;
    const columns = [t('rejects.line'), t('rejects.field'), t('rejects.value'), t('rejects.reason'), ...(this.mapping?.headers ?? [])];
    fs.writeSync(this.fd, '\ufeff' + stringify([columns.map(neutralise)]));
  }

  /**
   * Writes what is still pending and closes the file: call it whether the import succeeded or not.
   * The file stays beside its target until the import is saved (publishTemp), or is discarded.
   */
  close(): void {
    if (this.fd === null) return;
    try {
      this.write();
    } finally {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
