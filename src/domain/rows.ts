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
  status: ['status'],
  category: ['category'],
  description: ['description'],
};

function storedColumns(kind: ImportKind): string[] {
  return [...FIELDS[kind].flatMap((spec) => FIELD_COLUMNS[spec.field]), 'extra'];
}

/** The stored columns of each kind, in the order a validated row holds their values. */
export const STORED_COLUMNS: Record<ImportKind, readonly string[]> = {
  customers: storedColumns('customers'),
  orders: storedColumns('orders'),
  complaints: storedColumns('complaints'),
};

/** The columns an export with this header can set: a column missing from the file keeps its value. */
export function columnsInFile(mapping: HeaderMapping): string[] {
  return FIELDS[mapping.kind].filter((spec) => mapping.fieldIndex.has(spec.field)).flatMap((spec) => FIELD_COLUMNS[spec.field]);
}

export type StoredValue = string | number | null;

export interface RowReject extends Problem {
  /** The field at fault, or null when the row as a whole is (wrong column count). */
  field: string | null;
  value: string;
}

/** A prepared validator for one header mapping: call it on each record. */
export type RowValidator = (record: string[]) => StoredValue[] | RowReject;

/**
 * Like RowValidator, but appends the row's stored values to `out` (many rows flattened into one
 * array, as the importer hands them on) and returns undefined, or leaves `out` as it was and
 * returns the reject: no array per row on a path that runs millions of times.
 */
export type RowAppender = (record: string[], out: StoredValue[]) => RowReject | undefined;

export function rowValidator(mapping: HeaderMapping): RowValidator {
  const append = rowAppender(mapping);
  return (record) => {
    const values: StoredValue[] = [];
    return append(record, values) ?? values;
  };
}

export function rowAppender(mapping: HeaderMapping): RowAppender {
  const specs = FIELDS[mapping.kind];
  const positions = specs.map((spec) => mapping.fieldIndex.get(spec.field) ?? -1);
  const width = mapping.headers.length;
  const extras = mapping.extras;
  const kind = mapping.kind;

  return (record, out) => {
    if (record.length !== width && !onlyEmptyColumnsDiffer(record, mapping.headers)) {
      return { field: null, value: '', problem: 'row.columnCount', params: { expected: width, found: record.length } };
    }
    const start = out.length;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const cell = positions[i] >= 0 ? (record[positions[i]] ?? '') : '';
      const problem = convert(spec, cell, out);
      if (problem) {
        out.length = start;
        return problem;
      }
    }
    out.push(extrasJson(record, extras));
    if (kind === 'complaints') {
      const problem = checkComplaint(out, start);
      if (problem) out.length = start;
      return problem;
    }
    return undefined;
  };
}

/** Appends the stored value(s) of one field to `values`; returns a reject when the cell is bad. */
function convert(spec: FieldSpec, cell: string, values: StoredValue[]): RowReject | undefined {
  const text = cell.trim();
  if (text === '') {
    if (spec.required) return { field: spec.field, value: cell, problem: 'row.required', params: { field: spec.field } };
    if (spec.type === 'phone') values.push(null, null);
    else values.push(spec.type === 'flag' ? 0 : null);
    return undefined;
  }
  switch (spec.type) {
    case 'text':
      // Ids are compared as text: "C１００１" typed with a Chinese IME is the same customer as "C1001".
      values.push(spec.field === 'id' || spec.field === 'customerId' ? halfWidth(text) : text);
      return undefined;
    case 'phone': {
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
      if (isProblem(flag)) return { field: spec.field, value: cell, ...flag };
      values.push(flag.value ? 1 : 0);
      return undefined;
    }
  }
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
  let out: Record<string, string> | null = null;
  for (const { header, index } of extras) {
    const cell = record[index];
    if (cell === undefined || cell.trim() === '') continue;
    (out ??= {})[header] = cell;
  }
  return out === null ? null : JSON.stringify(out);
}

function checkComplaint(values: StoredValue[], start: number): RowReject | undefined {
  const opened = values[start + 2] as string;
  const resolved = values[start + 3] as string | null;
  // Compare the calendar day only: a ticket resolved "2026-11-03" (no time) the day it opened at 14:00 is fine.
  if (resolved !== null && resolved.slice(0, 10) < opened.slice(0, 10)) {
    return { field: 'resolvedAt', value: resolved, problem: 'row.resolvedBeforeOpened', params: { opened } };
  }
  return undefined;
}
