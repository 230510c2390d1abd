// `followup import calls FILE`: the call list written by `followup plan --out FILE`, filled in by
// the agents in Excel, read back as calls.
//
//   bytes ─ decode ─ CSV ─ header (either language) ─ each row: find its item, check its cells
//     ├─ no outcome yet: skipped
//     ├─ new: recordWholeCall, checked and followed up exactly as on the call screen
//     ├─ recorded by an earlier import of the list: unchanged, or corrected in place
//     ├─ called on the screen (or from an answers file): unchanged if it agrees, else rejected
//     └─ rejected: the rejects CSV (line, column, value, reason, original row)
//
// A list is small (a day's calls), so the file is read whole. The import is one transaction and
// each row a savepoint inside it: a rejected row leaves nothing behind, a crash leaves the
// database as it was, and a dry run rolls everything back at the end.

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Config } from '../core/config.js';
import { UserError } from '../core/errors.js';
import {
  callSession,
  callTime,
  checkAnswers,
  followUpOf,
  itemById,
  OUTCOMES,
  parseCallbackAt,
  recordWholeCall,
  scriptFor,
  type CallSession,
  type Outcome,
} from '../domain/call.js';
import { normaliseHeader, parseHeaderMap } from '../domain/columns.js';
import type { RowReject } from '../domain/rows.js';
import { SATISFACTION } from '../domain/scripts.js';
import { halfWidth, isProblem, parseDate } from '../domain/values.js';
import { currentLang, t, type Lang, type MessageId } from '../messages/index.js';
import { cardCustomer, endCall, itemOfDay, itemOfDayUnpadded, saveAnswer, unansweredAttempts, type ClaimedItem } from '../storage/calls.js';
import type { Db } from '../storage/db.js';
import { callOfItem, dropSheetAnswers, reopenSheetCall, type ItemCall } from '../storage/sheet-calls.js';
import { eachRecord } from './csv.js';
import { decoder, delimiterName, detectDelimiter, detectEncoding, type Encoding } from './decode.js';
import { discardTemp, publishTemp } from '../core/files.js';
import { openInput, rejectsPath, type ImportOptions, type Input } from './importer.js';
import { RejectsWriter } from './reader.js';
import { cellText } from './xlsx.js';

/** The columns of the list that import calls reads; every other column is ignored. */
export const SHEET_FIELDS = ['itemId', 'date', 'customerId', 'outcome', 'satisfaction', 'callbackAt', 'notes'] as const;
export type SheetField = (typeof SHEET_FIELDS)[number];

/** Each field's header in the list `plan --out` writes (the catalogs of both languages are accepted). */
const HEADER_IDS: Record<SheetField, MessageId> = {
  itemId: 'plan.csv.itemId',
  date: 'plan.csv.date',
  customerId: 'plan.csv.customerId',
  outcome: 'plan.csv.outcome',
  satisfaction: 'plan.csv.satisfaction',
  callbackAt: 'plan.csv.callbackAt',
  notes: 'plan.csv.notes',
};

const LANGS: readonly Lang[] = ['en', 'zh-CN'];

export interface CallsImportOptions
  extends Pick<ImportOptions, 'file' | 'encoding' | 'delimiter' | 'rejectsFile' | 'reading' | 'dryRun' | 'cwd' | 'stdin' | 'input'> {
  config: Config;
  /** The language of the scripts (for the satisfaction question). */
  lang: Lang;
  /** `--map "HEADER=field"` values, field one of SHEET_FIELDS. */
  map?: readonly string[];
  clock?: () => Date;
}

export interface CallsImportResult {
  kind: 'calls';
  file: string;
  /** Data rows in the file (blank lines not counted): inserted + updated + unchanged + skipped + rejected. */
  rows: number;
  /** Calls recorded. */
  inserted: number;
  /** Calls that an earlier import of the list recorded, corrected. */
  updated: number;
  /** Rows already recorded as they are. */
  unchanged: number;
  /** Rows with no outcome: not called yet. */
  skipped: number;
  rejected: number;
  rejectsFile: string | null;
  encoding: Encoding | 'xlsx';
  delimiter: string;
  dryRun: boolean;
}

type RowResult = 'inserted' | 'updated' | 'unchanged' | 'skipped';

/** A row that cannot be recorded: the column at fault, its value, and why. */
class RowProblem extends Error {
  constructor(readonly reject: RowReject) {
    super(reject.problem);
  }
}

const problem = (field: SheetField | null, value: string, id: MessageId, params: Record<string, string | number> = {}): never => {
  throw new RowProblem({ field, value, problem: id, params });
};

export async function importCalls(db: Db, options: CallsImportOptions): Promise<CallsImportResult> {
  const overrides = parseSheetMap(options.map ?? []);
  const input = options.input ?? openInput(options);
  const bytes = await readAll(input, options.stdin);
  if (bytes.length === 0) throw new UserError('error.emptyFile', { file: input.label });
  let encoding: Encoding | 'xlsx';
  let delimiter: string;
  let records: SheetRecord[];
  let mapping: ReturnType<typeof mapSheetHeader>;
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    // The workbook `plan --out list.xlsx` wrote: every sheet (all calls, then each agent's).
    encoding = 'xlsx';
    delimiter = 'xlsx';
    const sheets = await workbookSheets(bytes, input.label);
    const header = sheets[0]?.[0];
    if (!header) throw new UserError('error.emptyFile', { file: input.label });
    mapping = mapSheetHeader(header.record, overrides, input.label);
    records = oncePerItem(
      sheets.flatMap((rows) => rows.slice(1)),
      mapping.fieldIndex,
    );
  } else {
    const textEncoding = options.encoding ?? detectEncoding(bytes.subarray(0, 64 * 1024));
    encoding = textEncoding;
    const decode = decoder(textEncoding);
    const text = decode.write(bytes) + (decode.end() ?? '');
    const csvDelimiter = options.delimiter ?? detectDelimiter(text);
    delimiter = delimiterName(csvDelimiter);
    records = [];
    await eachRecord(
      (async function* () {
        yield text;
      })(),
      { delimiter: csvDelimiter, fileLabel: input.label },
      (record, line, malformed) => records.push({ record, line, malformed }),
    );
    const header = records.shift();
    if (!header) throw new UserError('error.emptyFile', { file: input.label });
    mapping = mapSheetHeader(header.record, overrides, input.label);
  }

  const rejects = new RejectsWriter(rejectsPath(input, 'calls', options, db));
  rejects.setHeader(mapping, (field) => t(HEADER_IDS[field as SheetField]));
  const counts: Record<RowResult, number> = { inserted: 0, updated: 0, unchanged: 0, skipped: 0 };
  const sheet = new Sheet(db, options, mapping.headers, mapping.fieldIndex);

  let inTransaction = false;
  let published = false;
  try {
    db.exec('BEGIN IMMEDIATE');
    inTransaction = true;
    for (const { record, line, malformed } of records) {
      try {
        if (malformed) problem(null, '', 'row.badQuotes');
        // A savepoint per row: a row rejected half-way leaves nothing behind.
        counts[db.transaction(() => sheet.row(record, line))()]++;
      } catch (error) {
        if (error instanceof RowProblem) rejects.add(line, error.reject, record);
        else if (error instanceof UserError) rejects.add(line, sheet.domainReject(error), record);
        else throw error;
      }
    }
    db.exec(options.dryRun ? 'ROLLBACK' : 'COMMIT');
    inTransaction = false;
    rejects.close();
    if (rejects.path) publishTemp(rejects.path);
    published = true;
  } finally {
    rejects.close();
    if (inTransaction && db.inTransaction) db.exec('ROLLBACK');
    if (!published && rejects.path) discardTemp(rejects.path);
  }

  return {
    kind: 'calls',
    file: input.label,
    rows: records.length,
    ...counts,
    rejected: rejects.count,
    rejectsFile: rejects.path,
    encoding,
    delimiter,
    dryRun: options.dryRun ?? false,
  };
}

interface SheetRecord {
  record: string[];
  /** The line of the CSV, or the row of its sheet in a workbook. */
  line: number;
  malformed: boolean;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Every sheet of a workbook as rows of cell text (as a CSV of the sheet would hold them), header first. */
async function workbookSheets(bytes: Buffer, label: string): Promise<SheetRecord[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new UserError('error.badWorkbook', { file: label, reason: (error as Error).message.split('\n')[0] });
  }
  return book.worksheets.map((sheet) => {
    const rows: SheetRecord[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
      if (cells.some((cell) => cell.trim() !== '')) rows.push({ record: cells, line: number, malformed: false });
    });
    return rows;
  });
}

/**
 * The rows of every sheet, each call once: the same item on the sheet of all calls and on its
 * agent's sheet is one call. A row filled in wins over the same item left empty elsewhere, and the
 * same row filled in alike on two sheets counts once; filled in differently, both are read (and the
 * second is refused as the item's second row).
 */
function oncePerItem(rows: SheetRecord[], fieldIndex: Map<string, number>): SheetRecord[] {
  const cell = (row: SheetRecord, field: SheetField) => {
    const index = fieldIndex.get(field);
    return index === undefined ? '' : (row.record[index] ?? '').trim();
  };
  const key = (row: SheetRecord) => cell(row, 'itemId') || `${cell(row, 'date')}|${cell(row, 'customerId')}`;
  const filled = (row: SheetRecord) => halfWidth(cell(row, 'outcome')) !== '';
  const answer = (row: SheetRecord) => (['outcome', 'satisfaction', 'callbackAt', 'notes'] as const).map((f) => cell(row, f)).join('\u0000');
  const kept = new Map<string, SheetRecord[]>();
  for (const row of rows) {
    const same = kept.get(key(row));
    if (!same) kept.set(key(row), [row]);
    else if (!filled(row)) continue;
    else if (!filled(same[0])) same.splice(0, same.length, row);
    else if (!same.some((other) => answer(other) === answer(row))) same.push(row);
  }
  return [...kept.values()].flat();
}

/** A day's call list is a few hundred KB: anything past this is not one (or is /dev/zero, an endless stream). */
const MAX_SHEET_BYTES = 64 * 1024 * 1024;

async function readAll(input: Input, stdin: Readable | undefined): Promise<Buffer> {
  const source = input.path !== null ? fs.createReadStream(input.path, { highWaterMark: 1 << 20 }) : (stdin ?? process.stdin);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > MAX_SHEET_BYTES) {
      if ('destroy' in source) source.destroy();
      throw new UserError('calls.sheetTooLarge', { file: input.label, limit: MAX_SHEET_BYTES / (1024 * 1024) });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

// --- the header ----------------------------------------------------------------------------------------

/** `--map "HEADER=field"` values for a call list: normalised header → field. */
export function parseSheetMap(values: readonly string[]): Map<string, SheetField> {
  return parseHeaderMap('calls', SHEET_FIELDS, values);
}

let aliases: Map<string, SheetField> | undefined;

/** Normalised header → field: the field's id and its header in each language. */
function headerAliases(): Map<string, SheetField> {
  if (!aliases) {
    aliases = new Map();
    for (const field of SHEET_FIELDS) {
      for (const name of [field, ...LANGS.map((lang) => t(HEADER_IDS[field], undefined, lang))]) aliases.set(normaliseHeader(name), field);
    }
  }
  return aliases;
}

export function mapSheetHeader(
  headers: string[],
  overrides: Map<string, SheetField>,
  fileLabel: string,
): { headers: string[]; fieldIndex: Map<string, number> } {
  const known = headerAliases();
  const fieldIndex = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    if (key === '') return;
    const field = overrides.get(key) ?? known.get(key);
    if (field === undefined) return;
    const first = fieldIndex.get(field);
    if (first !== undefined) {
      throw new UserError('error.duplicateColumn', { file: fileLabel, first: headers[first], second: header, field: t(HEADER_IDS[field]) });
    }
    fieldIndex.set(field, index);
  });
  const missing: string[] = [];
  if (!fieldIndex.has('itemId') && !(fieldIndex.has('date') && fieldIndex.has('customerId'))) {
    missing.push(t('sheet.itemColumns', { itemId: t('plan.csv.itemId'), date: t('plan.csv.date'), customerId: t('plan.csv.customerId') }));
  }
  if (!fieldIndex.has('outcome')) missing.push(t('sheet.column', { name: t('plan.csv.outcome') }));
  if (missing.length > 0) {
    const found = headers.map((name) => t('sheet.column', { name })).join(listSeparator());
    throw new UserError('sheet.missingColumns', { file: fileLabel, fields: missing.join(listSeparator()), found });
  }
  return { headers, fieldIndex };
}

// --- the cells -------------------------------------------------------------------------------------------

const outcomeKey = (text: string) => halfWidth(text).toLowerCase().replace(/[\s_\-。.!！]/g, '');
const unpadded = (id: string) => id.replace(/^0+/, '');

/**
 * What agents really write in the outcome column, besides the outcome names: 已接通 is reached and
 * talked (completed), 关机 / 停机 / 无人接听 no answer, 空号 a wrong number, 拒接 refused …
 */
const OUTCOME_WORDS: Record<string, Outcome> = {
  已完成: 'completed', 完成: 'completed', 已回访: 'completed', 回访完成: 'completed', 已接通: 'completed', 接通: 'completed',
  成功: 'completed', 已联系: 'completed', 已沟通: 'completed', done: 'completed', reached: 'completed', ok: 'completed',
  无人接听: 'no-answer', 未接听: 'no-answer', 未接通: 'no-answer', 未接: 'no-answer', 没人接: 'no-answer', 无应答: 'no-answer',
  关机: 'no-answer', 停机: 'no-answer', 暂时无法接通: 'no-answer', 无法接通: 'no-answer', 不在服务区: 'no-answer', noanswer: 'no-answer',
  占线: 'busy', 忙线: 'busy', 通话中: 'busy', 正在通话中: 'busy', 用户忙: 'busy', busy: 'busy',
  空号: 'wrong-number', 错号: 'wrong-number', 号码错误: 'wrong-number', 打错了: 'wrong-number', 非本人: 'wrong-number', 不是本人: 'wrong-number',
  拒接: 'refused', 拒绝: 'refused', 拒访: 'refused', 挂断: 'refused', 不配合: 'refused', 拒绝回访: 'refused',
  改天: 'callback', 再联系: 'callback', 改约: 'callback', 预约: 'callback', 约定回拨: 'callback', 稍后再打: 'callback', 回拨: 'callback',
  免打扰: 'do-not-call', 勿扰: 'do-not-call', 不要再打: 'do-not-call', 别再打: 'do-not-call', 要求不再联系: 'do-not-call', 拉黑: 'do-not-call',
};
let outcomeNames: Map<string, Outcome> | undefined;

/** An outcome cell: an id (no-answer) or the outcome's name in either language (no answer, 未接听). */
export function sheetOutcome(text: string): Outcome | undefined {
  if (!outcomeNames) {
    outcomeNames = new Map();
    for (const outcome of OUTCOMES) {
      for (const name of [outcome, ...LANGS.map((lang) => t(`outcome.${outcome}` as MessageId, undefined, lang))]) outcomeNames.set(outcomeKey(name), outcome);
    }
    for (const [word, outcome] of Object.entries(OUTCOME_WORDS)) if (!outcomeNames.has(outcomeKey(word))) outcomeNames.set(outcomeKey(word), outcome);
  }
  return outcomeNames.get(outcomeKey(text));
}

const outcomeLabel = (outcome: string) => t(`outcome.${outcome}` as MessageId);
const listSeparator = () => (currentLang() === 'zh-CN' ? '、' : ', ');

/** A satisfaction cell: 1 to 5 (Excel may write 4 as 4.0), or undefined. */
function satisfactionOf(text: string): number | undefined {
  const m = /^([1-5])(?:\.0+)?$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

// --- the rows ---------------------------------------------------------------------------------------------

interface RowValues {
  outcome: Outcome;
  /** The outcome cell as written. */
  outcomeText: string;
  satisfaction: number | null;
  /** YYYY-MM-DDTHH:MM, as calls.callback_at holds it. */
  callbackAt: string | null;
  callbackText: string;
  notes: string | null;
}

class Sheet {
  /** Item id → the line of the file that had it. */
  private readonly seen = new Map<number, number>();
  private current: { item: ClaimedItem | undefined; customerCell: string } = { item: undefined, customerCell: '' };

  constructor(
    private readonly db: Db,
    private readonly options: CallsImportOptions,
    private readonly headers: string[],
    private readonly fieldIndex: Map<string, number>,
  ) {}

  private cell(record: string[], field: SheetField): string {
    const index = this.fieldIndex.get(field);
    return index === undefined ? '' : (record[index] ?? '').trim();
  }

  /** A refusal from the domain (the item is finished, another agent's …): about the row's customer. */
  domainReject(error: UserError): RowReject {
    const value = this.current.item?.customerId ?? this.current.customerCell;
    return { field: 'customerId', value, problem: error.id, params: error.params as Record<string, string | number> };
  }

  private session(item: ClaimedItem): CallSession {
    return callSession(this.db, this.options.config, this.options.lang, item.agent ?? '', item.planDate, this.options.clock);
  }

  row(record: string[], line: number): RowResult {
    this.current = { item: undefined, customerCell: this.cell(record, 'customerId') };
    const outcomeText = this.cell(record, 'outcome');
    if (halfWidth(outcomeText) === '') return 'skipped';

    const item = this.itemOf(record);
    this.current.item = item;
    const earlier = this.seen.get(item.id);
    if (earlier !== undefined) {
      const byId = this.fieldIndex.has('itemId');
      problem(byId ? 'itemId' : 'customerId', byId ? String(item.id) : item.customerId, 'sheet.duplicateRow', { line: earlier });
    }
    this.seen.set(item.id, line);

    const values = this.valuesOf(record, item, outcomeText);
    if (!item.agent) problem('customerId', item.customerId, 'sheet.noAgent', { id: item.customerId, date: item.planDate });

    const recorded = callOfItem(this.db, item.id);
    if (recorded?.source === 'sheet') {
      if (sameCall(recorded, values)) return 'unchanged';
      this.correct(item, recorded, values);
      return 'updated';
    }
    if (recorded && (item.status === 'done' || item.status === 'closed')) {
      // Called on the screen (or from an answers file): that record stands.
      if (recorded.outcome === values.outcome) return 'unchanged';
      problem('outcome', outcomeText, 'sheet.recordedElsewhere', {
        id: item.customerId,
        where: t(recorded.source === 'file' ? 'sheet.where.file' : 'sheet.where.screen'),
        at: recorded.startedAt.replace('T', ' ').slice(0, 16),
        recorded: outcomeLabel(recorded.outcome),
        outcome: outcomeLabel(values.outcome),
      });
    }
    if (item.status === 'claimed') problem('customerId', item.customerId, 'sheet.claimed', { agent: item.claimedBy ?? item.agent ?? '', id: item.customerId });

    recordWholeCall(
      this.session(item),
      {
        outcome: values.outcome,
        answers: values.satisfaction === null ? {} : { [SATISFACTION]: values.satisfaction },
        callbackAt: values.callbackAt === null ? undefined : values.callbackText,
        notes: values.notes,
      },
      item.customerId,
      'sheet',
    );
    return 'inserted';
  }

  /** The list item a row is about: by its item id, else by its date and customer id. */
  private itemOf(record: string[]): ClaimedItem {
    const idText = halfWidth(this.cell(record, 'itemId'));
    const dateText = this.cell(record, 'date');
    const customer = halfWidth(this.cell(record, 'customerId'));
    const date = dateText === '' ? undefined : parseDate(dateText);
    if (idText !== '') {
      if (!/^\d+$/.test(idText)) problem('itemId', idText, 'sheet.badItemId', { value: idText });
      const item = itemById(this.db, Number(idText));
      if (!item) return problem('itemId', idText, 'sheet.unknownItem', { value: idText });
      // The other cells, when present, must still describe the same customer and day.
      const rowDate = date && !isProblem(date) ? date.value : item.planDate;
      // Excel drops an id's leading zeros (000123 → 123): the same customer.
      const sameCustomer = customer === '' || customer === item.customerId || (/^\d+$/.test(customer) && unpadded(customer) === unpadded(item.customerId));
      if (!sameCustomer || rowDate !== item.planDate) {
        problem('itemId', idText, 'sheet.itemMismatch', {
          item: item.id,
          customer: item.customerId,
          date: item.planDate,
          rowCustomer: customer || item.customerId,
          rowDate,
        });
      }
      return item;
    }
    if (!date || customer === '') return problem(null, '', 'sheet.needsItem');
    if (isProblem(date)) return problem('date', dateText, date.problem, date.params);
    const item = itemOfDay(this.db, date.value, customer) ?? (/^\d+$/.test(customer) ? itemOfDayUnpadded(this.db, date.value, customer) : undefined);
    if (item) return item;
    if (!cardCustomer(this.db, customer)) return problem('customerId', customer, 'call.unknownCustomer', { id: customer });
    return problem('customerId', customer, 'call.notOnList', { id: customer, date: date.value });
  }

  /** The outcome, satisfaction, callback time and notes of a row, checked against each other. */
  private valuesOf(record: string[], item: ClaimedItem, outcomeText: string): RowValues {
    const outcome = sheetOutcome(outcomeText);
    if (!outcome) {
      return problem('outcome', outcomeText, 'sheet.badOutcome', {
        value: outcomeText,
        labels: OUTCOMES.map(outcomeLabel).join(listSeparator()),
        ids: OUTCOMES.join(', '),
      });
    }
    const satisfactionText = halfWidth(this.cell(record, 'satisfaction'));
    let satisfaction: number | null = null;
    if (outcome === 'completed') {
      if (satisfactionText === '') problem('satisfaction', '', 'sheet.satisfactionRequired');
      const score = satisfactionOf(satisfactionText);
      if (score === undefined) problem('satisfaction', satisfactionText, 'sheet.badSatisfaction', { value: satisfactionText });
      satisfaction = score as number;
    } else if (satisfactionText !== '') {
      problem('satisfaction', satisfactionText, 'sheet.satisfactionNotCompleted', { outcome: outcomeLabel(outcome) });
    }
    const callbackText = this.cell(record, 'callbackAt');
    let callbackAt: string | null = null;
    if (outcome === 'callback') {
      if (callbackText === '') problem('callbackAt', '', 'sheet.callbackRequired', { outcome: outcomeLabel(outcome), column: this.headerOf('callbackAt') });
      try {
        callbackAt = parseCallbackAt(callbackText, item.planDate);
      } catch (error) {
        if (error instanceof UserError) problem('callbackAt', callbackText, error.id, error.params as Record<string, string | number>);
        throw error;
      }
    } else if (callbackText !== '') {
      problem('callbackAt', callbackText, 'sheet.callbackNotCallback', { callback: outcomeLabel('callback'), outcome: outcomeLabel(outcome) });
    }
    const notes = this.cell(record, 'notes');
    return { outcome, outcomeText, satisfaction, callbackAt, callbackText, notes: notes === '' ? null : notes };
  }

  /** The file's own header of a field's column, or the list's header when the file has no such column. */
  private headerOf(field: SheetField): string {
    const index = this.fieldIndex.get(field);
    return index === undefined ? t(HEADER_IDS[field]) : this.headers[index];
  }

  /**
   * A call an earlier import of the list recorded, corrected to what the row says now: its answer,
   * notes and callback time, and (a changed outcome) what follows from the outcome, worked out as
   * when a call ends. An outcome that marked the customer for good (do-not-call, wrong number)
   * stays: the mark cannot be taken back from a sheet.
   */
  private correct(item: ClaimedItem, recorded: ItemCall, values: RowValues): void {
    const was = recorded.outcome;
    if ((was === 'do-not-call' || was === 'wrong-number') && values.outcome !== was) {
      problem('outcome', values.outcomeText, 'sheet.flagged', { recorded: outcomeLabel(was), id: item.customerId });
    }
    const s = this.session(item);
    const at = recorded.endedAt ?? recorded.startedAt;
    reopenSheetCall(this.db, recorded.id);
    if (values.outcome === 'completed') {
      const answer = checkAnswers(scriptFor(s, item.scenario), { [SATISFACTION]: values.satisfaction }).find((a) => a.question.id === SATISFACTION);
      if (answer) saveAnswer(this.db, recorded.id, answer.question.id, answer.position, answer.value, callTime(s.date, s.clock()));
    } else {
      dropSheetAnswers(this.db, recorded.id);
    }
    const customer = cardCustomer(this.db, item.customerId);
    const attemptsBefore = values.outcome === 'no-answer' || values.outcome === 'busy' ? unansweredAttempts(this.db, item.customerId) : 0;
    const followUp = followUpOf(
      s.config,
      s.calendar,
      item.planDate,
      values.outcome,
      { id: item.customerId, phone: customer?.phone ?? null },
      attemptsBefore,
      at,
      values.callbackAt ?? undefined,
    );
    endCall(
      this.db,
      { callId: recorded.id, outcome: values.outcome, endedAt: at, callbackAt: values.callbackAt, notes: values.notes, unreachable: followUp.unreachable },
      { id: item.id, status: followUp.item, result: followUp.result, now: s.clock().toISOString() },
      // The marks of an outcome that stays were set when it was first recorded.
      values.outcome === was ? null : followUp.flags,
    );
  }
}

function sameCall(recorded: ItemCall, values: RowValues): boolean {
  return (
    recorded.outcome === values.outcome &&
    recorded.satisfaction === values.satisfaction &&
    (recorded.notes ?? null) === values.notes &&
    (recorded.callbackAt ?? null) === values.callbackAt
  );
}
