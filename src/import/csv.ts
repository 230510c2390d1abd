// Streaming CSV records out of decoded text, each with the line it starts on.
//
// The parser is papaparse, chosen on measurements (README, "Import speed"): on 1M customer rows it
// parses in ~2 s where csv-parse takes ~6.5 s (~10 s with the `info` option that gives line numbers).
// Line numbers are counted here instead: a record takes one line plus one per line break inside
// its quoted cells, and blank lines are seen (skipEmptyLines is off) so they are counted too.

import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { UserError } from '../core/errors.js';

export interface CsvOptions {
  delimiter: string;
  fileLabel: string;
}

export type RecordHandler = (record: string[], line: number, malformed: boolean) => void;

/**
 * Calls `onRecord(record, line, malformed)` for every non-blank record of the text, in order, and
 * resolves when the text ends. `line` is the 1-based line of the file where the record starts
 * (the header is line 1); `malformed` says its quotes could not be made sense of, so the row is
 * rejected rather than the file. The handler is synchronous: a caller that must wait blocks in it (the
 * import worker does, see worker.ts), which keeps this loop free of per-row promises.
 */
export async function eachRecord(chunks: AsyncIterable<string>, options: CsvOptions, onRecord: RecordHandler): Promise<void> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  // papaparse guesses the newline from the first chunk it sees, which may be tiny: say it outright.
  const firstBreak = head.indexOf('\n');
  const newline = firstBreak > 0 && head[firstBreak - 1] === '\r' ? '\r\n' : firstBreak >= 0 ? '\n' : head.includes('\r') ? '\r' : '\n';
  let line = 1;
  const size = new RecordSize(newline === '\r' ? '\r' : '\n');
  let tooLarge: UserError | undefined;
  const input = Readable.from(
    (async function* () {
      // A record larger than the limit is not parsed: papaparse would hold it all in memory (a
      // 30 MB cell, /dev/zero, an endless stream). The rest of it is only measured, to say its size.
      let next: IteratorResult<string> = { done: false, value: head };
      for (; !next.done; next = await it.next()) {
        if (!size.add(next.value)) {
          yield next.value;
          continue;
        }
        const startLine = size.startLine;
        const quoted = size.quoted;
        let total = size.current;
        let measured = true;
        for (;;) {
          next = await it.next();
          if (next.done) break;
          size.add(next.value);
          if (size.firstEnd >= 0) {
            total = size.firstEnd;
            break;
          }
          total = size.current;
          if (total >= MEASURE_CHARS) {
            measured = false;
            break;
          }
        }
        const mb = measured ? (total / MB).toFixed(1) : `> ${MEASURE_CHARS / MB}`;
        // A quote still open at the end of the file is a stray quote, not a large field.
        if (next.done && size.quoted) {
          tooLarge = new UserError('error.unterminatedQuote', { file: options.fileLabel, line: startLine });
          return;
        }
        tooLarge = new UserError(quoted ? 'csv.fieldTooLarge' : 'csv.lineTooLarge', { file: options.fileLabel, line: startLine, limit: MAX_RECORD_CHARS / MB, size: mb });
        return;
      }
    })(),
  );

  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
      header: false,
      delimiter: options.delimiter,
      newline,
      quoteChar: '"',
      escapeChar: '"',
      skipEmptyLines: false,
      step(result, parser) {
        if (failure) return;
        const record = result.data;
        const start = line;
        for (let i = 0; i < record.length; i++) {
          const cell = record[i];
          for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) line++;
        }
        line++;
        if (record.length === 1 && record[0] === '') return; // a blank line
        const errors = result.errors;
        try {
          if (errors.length > 0 && errors.some((e) => e.code === 'MissingQuotes')) {
            throw new UserError('error.unterminatedQuote', { file: options.fileLabel, line: start });
          }
          onRecord(record, start, errors.length > 0);
        } catch (error) {
          failure = error;
          parser.abort();
        }
      },
      // A record too large was cut short: whatever the parser made of its end (a quote never
      // closed) is not the problem, its size is.
      complete: () => (tooLarge ? reject(tooLarge) : failure ? reject(failure) : resolve()),
      error: (error: Error) => reject(tooLarge ?? failure ?? error),
    });
  });
}

const MB = 1024 * 1024;
/**
 * The largest record read: no real export has a row of 2 MB (a long note is a few KB). The parser
 * holds a record whole, and splits it into fields again with each chunk until it ends: 2 MB of
 * short fields stays within the import worker's heap, 8 MB did not.
 */
export const MAX_RECORD_CHARS = 2 * MB;
/** How far an oversized record is measured before giving up (an endless stream never ends). */
const MEASURE_CHARS = 256 * MB;

/**
 * The size of the record being read, chunk by chunk, without holding it: where the last line break
 * outside quotes was, and whether a quoted field is open. Scans with indexOf only (two native
 * searches per quote or line), so it costs little against the parse itself.
 */
export class RecordSize {
  /** Characters of the record read so far. */
  current = 0;
  /** Inside a quoted field. */
  quoted = false;
  /** The size of the record that ended first in the last chunk, or -1 when none ended there. */
  firstEnd = -1;
  /** The line the record being read starts on (the header is line 1). */
  startLine = 1;
  private lines = 0;

  /** `lineBreak`: '\n' (also for CRLF files), or '\r' for a file with CR line ends only. */
  constructor(private readonly lineBreak: string = '\n') {}

  /** Counts `chunk`; true when the record being read is now larger than the limit. */
  add(chunk: string): boolean {
    const br = this.lineBreak;
    const n = chunk.length;
    let pos = 0;
    // The next quote and line break at or after pos, searched again only once passed: one pass over the chunk.
    let q = chunk.indexOf('"');
    let nl = chunk.indexOf(br);
    this.firstEnd = -1;
    while (pos < n) {
      if (q !== -1 && q < pos) q = chunk.indexOf('"', pos);
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(br, pos);
      if (this.quoted) {
        // Line breaks inside a quoted field count as lines of the file, not as record ends.
        const end = q === -1 ? n : q;
        while (nl !== -1 && nl < end) {
          this.lines++;
          nl = chunk.indexOf(br, nl + 1);
        }
        if (q === -1) {
          this.current += n - pos;
          break;
        }
        this.current += q + 1 - pos;
        pos = q + 1;
        this.quoted = false; // a doubled quote ("") closes and opens again: the state stays right
        continue;
      }
      if (nl !== -1 && (q === -1 || nl < q)) {
        if (this.firstEnd < 0) this.firstEnd = this.current + nl - pos;
        this.lines++;
        this.startLine = this.lines + 1;
        this.current = 0;
        pos = nl + 1;
        continue;
      }
      if (q === -1) {
        this.current += n - pos;
        break;
      }
      this.current += q + 1 - pos;
      pos = q + 1;
      this.quoted = true;
    }
    return this.current > MAX_RECORD_CHARS;
  }
}
