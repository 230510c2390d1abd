// Turns one record of an export into the values stored for it, or says why it cannot be stored.
// Runs once per row of files with millions of rows: no allocation it can avoid, no closures.

import { FIELDS, type FieldSpec, type HeaderMapping, type ImportKind } from './columns.js';
import {
  halfWidth,
  isProblem,
  parseAmountFen,
  parseDate,
  parseDateTime,
  parseEmail,
  parseFlag,
  parsePhone,
  isScientific,
  NON_PURCHASE_STATES,
  orderState,
  ticketState,
  type Problem,
} from './values.js';

/** The stored columns of each field, in the order of FIELDS; a validated row is their values, then `extra`. */
export const FIELD_COLUMNS: Record<string, readonly string[]> = {
  id: ['id'],
  customerId: ['customer_id'],
  name: ['name'],
  phone: ['phone', 'phone_raw'],
  email: ['email'],
  city: ['city'],
  signupDate: ['signup_date'],
  tier: ['tier'],
  doNotCall: ['do_not_call'],
  preferredTime: ['preferred_time'],
  orderedAt: ['ordered_at'],
  amount: ['amount_fen'],
  product: ['product'],
  channel: ['channel'],
  openedAt: ['opened_at'],
  resolvedAt: ['resolved_at'],
  updatedAt: ['updated_at'],
  status: ['status'],
  category: ['category'],
  description: ['description'],
};

function storedColumns(kind: ImportKind): string[] {
  return [...FIELDS[kind].flatMap(columnsOf), 'extra'];
}

function columnsOf(spec: FieldSpec): readonly string[] {
  return spec.columns ?? FIELD_COLUMNS[spec.field];
}

/** The stored columns of each kind, in the order a validated row holds their values. */
export const STORED_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: storedColumns('customers'),
  orders: storedColumns('orders'),
  complaints: storedColumns('complaints'),
};

/** The columns an export with this header can set: a column missing from the file keeps its value. */
export function columnsInFile(mapping: HeaderMapping): string[] {
  const columns = FIELDS[mapping.kind].filter((spec) => mapping.fieldIndex.has(spec.field)).flatMap(columnsOf);
  // A ticket's resolution may come from its status (closed without a time): both are the status's.
  if (mapping.kind === 'complaints' && mapping.fieldIndex.has('status')) columns.push('resolved_at');
  return [...new Set(columns)];
}

export type StoredValue = string | number | null;

export interface RowReject extends Problem {
  /** The field at fault, or null when the row as a whole is (wrong column count). */
  field: string | null;
  value: string;
  /** The whole import must stop (a do-not-call flag nobody can read): calling those customers is not an option. */
  fatal?: boolean;
}

/**
 * What validating a file learned besides its rows, for the summary: status values nobody could
 * read (kept, and named), and tickets resolved by their status alone (which date was taken).
 */
export interface RowNotes {
  unknownStatuses: Map<string, number>;
  resolvedFrom: { updatedAt: number; openedAt: number };
  /** Orders stored as no purchase (refunded, cancelled, closed, unpaid). */
  nonPurchase: number;
}

export function newRowNotes(): RowNotes {
  return { unknownStatuses: new Map(), resolvedFrom: { updatedAt: 0, openedAt: 0 }, nonPurchase: 0 };
}

/** A prepared validator for one header mapping: call it on each record. */
export type RowValidator = (record: string[]) => StoredValue[] | RowReject;

/**
 * Like RowValidator, but appends the row's stored values to `out` (many rows flattened into one
 * array, as the importer hands them on) and returns undefined, or leaves `out` as it was and
 * returns the reject: no array per row on a path that runs millions of times.
 */
export type RowAppender = (record: string[], out: StoredValue[], warnings?: RowReject[]) => RowReject | undefined;

export function rowValidator(mapping: HeaderMapping, warnings?: RowReject[], notes?: RowNotes): RowValidator {
  const append = rowAppender(mapping, notes);
  return (record) => {
    const values: StoredValue[] = [];
    return append(record, values, warnings) ?? values;
  };
}

export function rowAppender(mapping: HeaderMapping, notes: RowNotes = newRowNotes()): RowAppender {
  const specs = FIELDS[mapping.kind];
  const stored = STORED_COLUMNS[mapping.kind];
  const at = {
    opened: stored.indexOf('opened_at'),
    resolved: stored.indexOf('resolved_at'),
    state: stored.indexOf('state'),
    updated: stored.indexOf('updated_at'),
    from: stored.indexOf('resolved_from'),
  };
  const positions = specs.map((spec) => mapping.fieldIndex.get(spec.field) ?? -1);
  const width = mapping.headers.length;
  const extras = mapping.extras;
  const kind = mapping.kind;

  return (record, out, warnings) => {
    if (record.length !== width && !onlyEmptyColumnsDiffer(record, mapping.headers)) {
      return { field: null, value: '', problem: 'row.columnCount', params: { expected: width, found: record.length } };
    }
    const start = out.length;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const cell = unneutralised(positions[i] >= 0 ? (record[positions[i]] ?? '') : '');
      const problem = convert(spec, cell, out, notes);
      if (problem) {
        // A resolution time that cannot be read would make a closed ticket look open: the row is rejected.
        if (spec.required || problem.fatal || spec.field === 'resolvedAt') {
          out.length = start;
          return problem;
        }
        // A bad optional value does not cost the record: it is stored empty and reported as a warning.
        keepWithout(spec, out, cell);
        warnings?.push(problem);
      }
    }
    out.push(extrasJson(record, extras));
    if (kind === 'complaints') {
      const problem = checkComplaint(out, start, at, notes);
      if (problem) out.length = start;
      return problem;
    }
    return undefined;
  };
}

/**
 * A cell as followup's own CSV files wrote it: their cells that would start a formula get a leading
 * apostrophe (core/csv.ts), which is taken off again so that a fixed rejects file imports as it was.
 */
export function unneutralised(cell: string): string {
  return cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** Appends the stored value(s) of one field to `values`; returns a reject when the cell is bad. */
function convert(spec: FieldSpec, cell: string, values: StoredValue[], notes: RowNotes): RowReject | undefined {
  const text = cell.trim();
  if (text === '') {
    if (spec.required) return { field: spec.field, value: cell, problem: 'row.required', params: { field: spec.field } };
    // Stored empty, but said: a customer without a name or a phone, an order without an amount.
    if (spec.field === 'name' || spec.field === 'phone' || spec.field === 'amount') {
      return { field: spec.field, value: cell, problem: spec.field === 'phone' ? 'row.phoneMissing' : 'row.missingKept', params: { field: spec.field } };
    }
    pushEmpty(spec, values);
    return undefined;
  }
  switch (spec.type) {
    case 'text': {
      if (spec.field !== 'id' && spec.field !== 'customerId') {
        values.push(text);
        return undefined;
      }
      // Ids are compared as text: "C１００１" typed with a Chinese IME is the same customer as "C1001".
      const id = halfWidth(text);
      if (isScientific(id)) return { field: spec.field, value: cell, problem: 'row.scientific', params: { value: cell } };
      values.push(id);
      return undefined;
    }
    case 'orderStatus': {
      let state = orderState(text);
      if (state === null) {
        state = 'other';
        notes.unknownStatuses.set(text, (notes.unknownStatuses.get(text) ?? 0) + 1);
      }
      const counts = NON_PURCHASE_STATES.includes(state) ? 0 : 1;
      if (counts === 0) notes.nonPurchase++;
      values.push(text, state, counts);
      return undefined;
    }
    case 'ticketStatus': {
      const state = ticketState(text);
      if (state === null) notes.unknownStatuses.set(text, (notes.unknownStatuses.get(text) ?? 0) + 1);
      values.push(text, state, null);
      return undefined;
    }
    case 'phone': {
      if (isScientific(halfWidth(text))) return { field: spec.field, value: cell, problem: 'row.scientific', params: { value: cell } };
      const phone = parsePhone(text);
      if (isProblem(phone)) return { field: spec.field, value: cell, ...phone };
      values.push(phone.value.e164, text);
      return undefined;
    }
    case 'email': {
      const email = parseEmail(text);
      if (isProblem(email)) return { field: spec.field, value: cell, ...email };
      values.push(email.value);
      return undefined;
    }
    case 'date':
    case 'datetime': {
      const date = spec.type === 'date' ? parseDate(text) : parseDateTime(text);
      if (isProblem(date)) return { field: spec.field, value: cell, ...date };
      values.push(date.value);
      return undefined;
    }
    case 'amount': {
      const fen = parseAmountFen(text);
      if (isProblem(fen)) return { field: spec.field, value: cell, ...fen };
      if (fen.value < 0) return { field: spec.field, value: cell, problem: 'row.negativeAmount' };
      values.push(fen.value);
      return undefined;
    }
    case 'flag': {
      const flag = parseFlag(text);
      // Do-not-call is absolute: a value nobody can read stops the import rather than risk a call.
      if (isProblem(flag)) return { field: spec.field, value: cell, ...flag, fatal: spec.field === 'doNotCall' };
      values.push(flag.value ? 1 : 0);
      return undefined;
    }
  }
}

/** The stored value(s) of an empty cell. */
function pushEmpty(spec: FieldSpec, values: StoredValue[]): void {
  switch (spec.type) {
    case 'phone':
      values.push(null, null);
      return;
    case 'ticketStatus':
      values.push(null, null, null);
      return;
    case 'orderStatus':
      values.push(null, null, 1);
      return;
    case 'flag':
      values.push(0);
      return;
    case 'amount':
      values.push(0);
      return;
    default:
      values.push(spec.field === 'name' ? '' : null);
  }
}

/** An optional value that could not be read: stored empty (a phone keeps its text as written in phone_raw). */
function keepWithout(spec: FieldSpec, values: StoredValue[], cell: string): void {
  if (spec.type === 'phone') values.push(null, cell.trim() === '' ? null : cell.trim());
  else pushEmpty(spec, values);
}

/**
 * Excel adds or drops trailing empty columns (a stray cell formatted once, a header with a trailing
 * comma): a row is still whole when the only columns it lacks or adds are empty and unnamed.
 */
function onlyEmptyColumnsDiffer(record: string[], headers: string[]): boolean {
  if (record.length > headers.length) return record.slice(headers.length).every((c) => c.trim() === '');
  return headers.slice(record.length).every((h) => h.trim() === '');
}

function extrasJson(record: string[], extras: HeaderMapping['extras']): string | null {
  if (extras.length === 0) return null;
  // Without a prototype: a column named __proto__ or constructor is kept like any other.
  let out: Record<string, string> | null = null;
  for (const { header, index, key } of extras) {
    const cell = record[index];
    if (cell === undefined || cell.trim() === '') continue;
    (out ??= Object.create(null) as Record<string, string>)[key ?? header] = unneutralised(cell);
  }
  return out === null ? null : JSON.stringify(out);
}

function checkComplaint(
  values: StoredValue[],
  start: number,
  at: { opened: number; resolved: number; state: number; updated: number; from: number },
  notes: RowNotes,
): RowReject | undefined {
  const opened = values[start + at.opened] as string;
  let resolved = values[start + at.resolved] as string | null;
  const state = values[start + at.state] as string | null;
  values[start + at.from] = null;
  if (resolved === null && (state === 'resolved' || state === 'closed')) {
    // Closed in the CRM without a resolution time: not an open complaint. The row's last update is
    // the best date it offers, else the day it was opened; the summary says which was taken.
    const updated = values[start + at.updated] as string | null;
    const from = updated !== null && updated.slice(0, 10) >= opened.slice(0, 10) ? 'updatedAt' : 'openedAt';
    resolved = from === 'updatedAt' ? updated : opened;
    values[start + at.resolved] = resolved;
    values[start + at.from] = from;
    notes.resolvedFrom[from]++;
  }
  // Compare the calendar day only: a ticket resolved "2026-11-03" (no time) the day it opened at 14:00 is fine.
  if (resolved !== null && resolved.slice(0, 10) < opened.slice(0, 10)) {
    return { field: 'resolvedAt', value: resolved, problem: 'row.resolvedBeforeOpened', params: { opened } };
  }
  return undefined;
}

// Totals and footers that Excel reports and back offices add under the data: 合计 / 总计 / 小计,
// "共 120 条", Total. The label is the first filled cell of its row, alone or followed by figures.
const FOOTER_RE =
  /^(?:(?:本页|全部|总|合|小|共|累)\s*计|总\s*数|汇\s*总|total|totals|sum|subtotal|grand\s*total|count)\s*(?:[(（][^)）]*[)）])?\s*[:：]?\s*[\d,，.\s]*(?:条|行|笔|个|项|位|名|人|单|元|rows?|records?|items?|orders?)?\s*[\d,，.\s]*$|^共\s*[\d,，]+\s*(?:条|行|笔|个|项|位|名|人|单)/i;
// What a footer label can start with, tested before the expression: this runs on the first cell of
// every row, usually an id (C1000001, 000123), which must not pay for a regular expression.
const FOOTER_CJK = new Set(['合', '总', '小', '共', '汇', '本', '全', '累']);
const FOOTER_LATIN = new Set(['t', 'T', 's', 'S', 'c', 'C', 'g', 'G']);

function mayBeFooter(text: string): boolean {
  if (FOOTER_CJK.has(text[0])) return true;
  // Total, Sum, Count, Grand total: a letter follows the first one (C1000001 has a digit there).
  if (FOOTER_LATIN.has(text[0])) {
    const next = text.charCodeAt(1) | 0x20;
    return next >= 97 && next <= 122;
  }
  return text.charCodeAt(0) >= 0xff00; // full-width (Ｔｏｔａｌ): decided once folded
}

/**
 * A row that is no record: blank (every cell empty, as Excel writes rows it once formatted) or a
 * totals or footer line. Returns the label found ('' for a blank row), or null for a record.
 */
export function footerLabel(record: string[]): string | null {
  for (let i = 0; i < record.length; i++) {
    const cell = record[i];
    if (cell.length === 0) continue;
    const text = cell.trim();
    if (text === '') continue;
    if (!mayBeFooter(text)) return null;
    return FOOTER_RE.test(halfWidth(text)) ? text : null;
  }
  return '';
}
