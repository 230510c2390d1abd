// Text laid out in a terminal's columns. Chinese characters take two columns (Unicode's East Asian
// Width says which do); a line is broken between words or between Chinese characters, never inside a date, an
// amount, an id or a word, and never before Chinese closing punctuation (，。、）…).
import { eastAsianWidth } from 'get-east-asian-width';

/** Terminal escapes (colour, OSC) take no columns. */
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
/** Combining marks, zero-width joiners and variation selectors take none either (compiled when first needed: a few ms). */
let zeroWidth: RegExp | undefined;

/**
 * Columns `text` takes in a terminal: Chinese characters, full-width forms and wide emoji take two
 * (Unicode's East Asian Width, from get-east-asian-width); escapes, control characters and marks none.
 * Not string-width: it costs 44 ms at every start (its emoji regex), and the text here is Chinese,
 * ASCII and a few symbols, which East Asian Width alone measures right.
 */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const ch of text.replace(ESCAPES, '')) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    if (code >= 0x300 && (zeroWidth ??= /[\p{Mark}\p{Default_Ignorable_Code_Point}]/u).test(ch)) continue;
    width += eastAsianWidth(code);
  }
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** Closing punctuation that must not begin a line (Chinese line-breaking rules, 避头点). */
const NO_LINE_START = /^[，。、；：？！）】》」』”’…—,.;:?!)\]}%]/u;
/** Opening punctuation that must not end a line (避尾点). */
const NO_LINE_END = /^[（【《「『“‘〔［｛(\[{]$/u;
/** A character after which a line may break: one that takes two columns (CJK). */
const isWide = (ch: string) => displayWidth(ch) === 2;

/**
 * The pieces a line may be broken between: runs of spaces; runs of other characters that are not
 * wide (a word, 2026-11-23, ¥1,234.00, C1036); each wide character on its own, with any closing
 * punctuation after it.
 */
function pieces(text: string): string[] {
  const out: string[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push(run);
    run = '';
  };
  for (const ch of text) {
    if (NO_LINE_END.test(ch)) {
      // Opening punctuation stays with what it opens (a line never ends with （ or “).
      if (run && (/\s/.test(run) || isWide([...run].pop()!) || !NO_LINE_END.test([...run].pop()!))) flush();
      run += ch;
      continue;
    }
    if (run && NO_LINE_END.test([...run].pop()!) && !/\s/.test(ch)) {
      run += ch;
      if (isWide(ch)) flush();
      continue;
    }
    if (/\s/.test(ch)) {
      if (run && !/\s/.test(run)) flush();
      run += ch;
    } else if (isWide(ch) && !NO_LINE_START.test(ch)) {
      flush();
      run = ch;
      flush();
    } else if (NO_LINE_START.test(ch) && !run && out.length > 0 && !/\s/.test(out[out.length - 1])) {
      out[out.length - 1] += ch; // closing punctuation stays with what it closes
    } else {
      if (run && (/\s/.test(run) || isWide([...run].pop()!))) flush();
      run += ch;
    }
  }
  flush();
  return out;
}

/**
 * `text` in lines of at most `width` columns; lines after the first begin with `indent`. A piece
 * wider than a whole line (a very long word) is cut where it must be.
 */
export function wrapToWidth(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  const indentWidth = displayWidth(indent);
  for (const paragraph of text.split('\n')) {
    let line = lines.length === 0 ? '' : indent;
    let used = displayWidth(line);
    let fresh = true; // nothing on the line yet but its indent
    let spaced = false;
    const push = () => {
      lines.push(line.replace(/\s+$/, ''));
      line = indent;
      used = indentWidth;
      fresh = true;
      spaced = false;
    };
    for (const piece of pieces(paragraph)) {
      if (/^\s+$/.test(piece)) {
        spaced = !fresh;
        continue;
      }
      const w = displayWidth(piece);
      const gap = spaced ? 1 : 0;
      if (used + gap + w > width && !fresh) push();
      if (used + (spaced ? 1 : 0) + w <= width || fresh) {
        if (used + w <= width || !fresh) {
          line += (spaced ? ' ' : '') + piece;
          used += (spaced ? 1 : 0) + w;
        } else {
          // Longer than a whole line: cut it where it must be.
          for (const ch of piece) {
            const cw = displayWidth(ch);
            if (used + cw > width && !fresh) push();
            line += ch;
            used += cw;
            fresh = false;
          }
        }
        fresh = false;
        spaced = false;
      }
    }
    lines.push(line.replace(/\s+$/, ''));
  }
  return lines;
}

/** `text` cut to at most `width` columns, with … at the end when it was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}
