// Streaming CSV records out of decoded text, each with the line it starts on.
// The parser is csv-parse: see the README ("Import speed") for the measurements behind the choice.

import { parse, CsvError } from 'csv-parse';
import { UserError } from '../core/errors.js';

export interface CsvOptions {
  delimiter: string;
  fileLabel: string;
}

/**
 * Calls `onRecord(record, line)` for every record of the text produced by `chunks`, in order, and
 * resolves when the text ends. Memory stays flat: the parser is fed chunk by chunk with backpressure.
 * `line` is the 1-based line of the file where the record starts (the header is line 1).
 */
export async function eachRecord(
  chunks: AsyncIterable<string>,
  options: CsvOptions,
  onRecord: (record: string[], line: number) => void,
): Promise<void> {
  const parser = parse({
    delimiter: options.delimiter,
    // A stray quote inside an unquoted cell (12" 显示器) is text, not a syntax error.
    relax_quotes: true,
    // Rows with too few or too many cells are rejected one by one, with their line, by the validator.
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  });

  const done = new Promise<void>((resolve, reject) => {
    parser.on('readable', () => {
      let item: { record: string[]; info: { lines: number } } | null;
      while ((item = parser.read()) !== null) {
        const { record, info } = item;
        onRecord(record, info.lines - embeddedNewlines(record));
      }
    });
    parser.on('error', (error) => reject(mapCsvError(error, options.fileLabel)));
    parser.on('end', resolve);
  });

  try {
    for await (const chunk of chunks) {
      if (!parser.write(chunk)) await waitDrain(parser, done);
    }
    parser.end();
  } catch (error) {
    parser.destroy();
    throw error;
  }
  await done;
}

/** csv-parse counts lines up to where a record ends; a record with newlines in its cells began earlier. */
function embeddedNewlines(record: string[]): number {
  let n = 0;
  for (let i = 0; i < record.length; i++) {
    const cell = record[i];
    if (cell.length > 0 && cell.indexOf('\n') !== -1) {
      for (let j = 0; j < cell.length; j++) if (cell.charCodeAt(j) === 10) n++;
    }
  }
  return n;
}

function waitDrain(parser: NodeJS.WritableStream, done: Promise<void>): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => parser.once('drain', () => resolve())), done]);
}

function mapCsvError(error: unknown, file: string): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return new UserError('error.unterminatedQuote', { file, line });
    return new UserError('error.csv', { file, line, reason: error.message });
  }
  return error;
}
