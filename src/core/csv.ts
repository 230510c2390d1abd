// Writing CSV that Excel (the team lead's spreadsheet, often Excel on Chinese Windows) opens
// cleanly: UTF-8 with a BOM so Chinese is not garbled, CRLF line ends, RFC 4180 quoting, and cells
// that Excel would run as a formula neutralised (OWASP "CSV injection": a name like
// =HYPERLINK(...) typed into a CRM must stay text).
import { UserError } from './errors.js';
import { isDiskFull, writeTarget, type Target } from './files.js';
import { hasControl, visible } from './visible.js';

export const BOM = '\uFEFF';
export const CRLF = '\r\n';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * A text cell as Excel (or a terminal showing the file) may safely see it: a cell that starts like a
 * formula (= + - @, or tab / CR) gets a leading apostrophe, and control characters other than line
 * breaks and tabs are written as escapes (\x1b), as on the screen.
 */
export function neutralise(text: string): string {
  const shown = hasControl(text) ? visible(text.replace(/\r\n/g, '\n'), { lines: true, tabs: true }) : text;
  return /^[=+\-@\t\r]/.test(text) ? `'${shown}` : shown;
}

/**
 * One cell: text is neutralised, then quoted when it holds a comma, a quote, a line break or
 * leading/trailing spaces (quotes doubled). Numbers are the program's own values and are written
 * as they are; null and undefined are empty.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = neutralise(String(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: BOM, the header row, one row per record, every line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const line = (cells: readonly CsvValue[]) => cells.map(csvCell).join(',') + CRLF;
  return BOM + line(header) + rows.map(line).join('');
}

/**
 * Writes `toCsv(header, rows)` to a checked target (core/files.ts): standard output, or the file,
 * readable by its owner only (0600: it holds names and phone numbers), replaced in one step so a
 * reader never sees half of it.
 */
export function writeCsvFile(target: Target, header: readonly string[], rows: readonly (readonly CsvValue[])[]): void {
  try {
    writeTarget(target, toCsv(header, rows));
  } catch (error) {
    if (isDiskFull(error)) throw new UserError('file.noSpace', { path: target.shown });
    throw new UserError('csv.cannotWrite', { path: target.shown, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
}
