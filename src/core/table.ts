// Small aligned text tables for the terminal. Chinese characters take two columns, so padding
// counts display width (core/width.ts), not string length. Cells are customer text: their control characters are
// shown as escapes, one line per row.
import { visible } from './visible.js';
import { displayWidth, padEnd, padStart, wrapToWidth } from './width.js';

export { displayWidth, padEnd, padStart } from './width.js';

export interface TableOptions {
  /** 'right' for numbers; default left. */
  align?: ('left' | 'right')[];
  /** Spaces before each line. */
  indent?: number;
  /** Styles a cell after padding (colour), so that escapes do not upset the alignment. */
  style?: (cell: string, row: number, column: number) => string;
  /**
   * The terminal's width: a table wider than this wraps the column of free text (`flex`, default
   * the widest left-aligned column) onto more lines, so that no line is cut by the terminal.
   * Undefined (a file or a pipe) leaves every row on one line.
   */
  width?: number;
  flex?: number;
}

/** The narrowest a wrapped column is made, however narrow the terminal. */
const MIN_FLEX = 12;
/** Narrower than this, the free text is put under its row instead of beside it. */
const MIN_BESIDE = 24;

/**
 * Rows of cells as aligned lines, two spaces between columns, the header first when given. The
 * last column is not padded, so lines carry no trailing spaces. Widths count columns on screen (a
 * Chinese character takes two).
 */
export function renderTable(header: string[] | null, rawRows: string[][], options: TableOptions = {}): string[] {
  const rows = rawRows.map((row) => row.map((cell) => visible(cell ?? '')));
  const laid = layout(header ? header.map((cell) => visible(cell)) : null, rows, options);
  return [...laid.header, ...laid.rows.flat()];
}

/** The lines of the header and of each row. */
function layout(header: string[] | null, rows: string[][], options: TableOptions): { header: string[]; rows: string[][] } {
  const all = header ? [header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ''))));
  const indentWidth = options.indent ?? 0;
  const indent = ' '.repeat(indentWidth);
  const total = indentWidth + widths.reduce((a, b) => a + b, 0) + 2 * Math.max(0, columns - 1);
  let flex = -1;
  if (options.width !== undefined && total > options.width && columns > 0) {
    flex = options.flex ?? widestFree(widths, options.align);
    widths[flex] = Math.max(MIN_FLEX, widths[flex] - (total - options.width));
  }
  // Too narrow to be read beside the rest (a narrow window, a split pane): the free text goes on
  // lines of its own under each row, as wide as the screen.
  if (flex >= 0 && widths[flex] < MIN_BESIDE && columns > 1) {
    const rest = (row: string[]) => row.filter((_, c) => c !== flex);
    const narrowed = layout(header ? rest(header) : null, rows.map(rest), {
      ...options,
      align: options.align?.filter((_, c) => c !== flex),
      style: options.style ? (cell, row, column) => options.style!(cell, row, column < flex ? column : column + 1) : undefined,
      flex: undefined,
    });
    const under = ' '.repeat(indentWidth + 4);
    const room = Math.max(MIN_FLEX, options.width! - under.length);
    return {
      header: narrowed.header,
      rows: narrowed.rows.map((lines, r) => [...lines, ...((rows[r][flex] ?? '') === '' ? [] : wrapToWidth(rows[r][flex], room).map((line) => under + line))]),
    };
  }
  const linesOf = (row: string[], dataRow: number): string[] => {
    const cells = Array.from({ length: columns }, (_, c) => (c === flex ? wrapToWidth(row[c] ?? '', widths[c]) : [row[c] ?? '']));
    const height = Math.max(...cells.map((parts) => parts.length));
    const lines: string[] = [];
    for (let line = 0; line < height; line++) {
      const shown = cells.map((parts, c) => {
        const cell = parts[line] ?? '';
        const last = c === columns - 1;
        const right = options.align?.[c] === 'right';
        const padded = right ? padStart(cell, widths[c]) : last ? cell : padEnd(cell, widths[c]);
        return options.style && dataRow >= 0 && cell !== '' ? options.style(padded, dataRow, c) : padded;
      });
      lines.push((indent + shown.join('  ')).replace(/\s+$/, ''));
    }
    return lines;
  };
  return { header: header ? linesOf(header, -1) : [], rows: rows.map((row, r) => linesOf(row, r)) };
}

/** The widest column that is not a number (numbers are never wrapped). */
function widestFree(widths: number[], align: TableOptions['align']): number {
  let best = widths.length - 1;
  widths.forEach((w, c) => {
    if (align?.[c] !== 'right' && (align?.[best] === 'right' || w > widths[best])) best = c;
  });
  return best;
}
