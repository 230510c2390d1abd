// Small aligned text tables for the terminal. Chinese characters take two columns, so padding
// counts display width (core/width.ts), not string length. Cells are customer text: their control characters are
// shown as escapes, one line per row.
import { visible } from './visible.js';
import { displayWidth, padEnd, padStart } from './width.js';

export { displayWidth, padEnd, padStart } from './width.js';

export interface TableOptions {
  /** 'right' for numbers; default left. */
  align?: ('left' | 'right')[];
  /** Spaces before each line. */
  indent?: number;
  /** Styles a cell after padding (colour), so that escapes do not upset the alignment. */
  style?: (cell: string, row: number, column: number) => string;
}

/**
 * Rows of cells as aligned lines, two spaces between columns, the header first when given. The
 * last column is not padded, so lines carry no trailing spaces.
 */
export function renderTable(header: string[] | null, rawRows: string[][], options: TableOptions = {}): string[] {
  const rows = rawRows.map((row) => row.map((cell) => visible(cell ?? '')));
  const all = header ? [header.map((cell) => visible(cell)), ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ''))));
  const indent = ' '.repeat(options.indent ?? 0);
  return all.map((row, r) => {
    const cells = Array.from({ length: columns }, (_, c) => {
      const cell = row[c] ?? '';
      const last = c === columns - 1;
      const right = options.align?.[c] === 'right';
      const padded = right ? padStart(cell, widths[c]) : last ? cell : padEnd(cell, widths[c]);
      const dataRow = header ? r - 1 : r;
      return options.style && dataRow >= 0 ? options.style(padded, dataRow, c) : padded;
    });
    return (indent + cells.join('  ')).replace(/\s+$/, '');
  });
}
