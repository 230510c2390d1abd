// Reading bytes as Excel wrote them: which encoding, which delimiter.
//
// Excel on Chinese Windows saves "CSV" as GBK with no BOM, "CSV UTF-8" as UTF-8 with a BOM, and
// "Unicode text" as UTF-16LE with a BOM and tabs. A file with no BOM is UTF-8 if its first bytes
// decode as UTF-8 without error (GBK text almost never does), else GB18030, which contains GBK.

import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { UsageError } from '../core/errors.js';

let iconvModule: typeof Iconv | undefined;
/** iconv-lite, loaded the first time GBK or UTF-16 text is read. */
export const iconvLite = (): typeof Iconv => (iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);

export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'gbk' | 'gb18030';
export const ENCODINGS: readonly Encoding[] = ['utf8', 'utf16le', 'utf16be', 'gbk', 'gb18030'];

export function parseEncoding(value: string): Encoding {
  const v = value.trim().toLowerCase().replace(/[-_]/g, '');
  const aliases: Record<string, Encoding> = {
    utf8: 'utf8',
    utf8bom: 'utf8',
    utf16: 'utf16le',
    utf16le: 'utf16le',
    unicode: 'utf16le',
    utf16be: 'utf16be',
    gbk: 'gbk',
    gb2312: 'gbk',
    cp936: 'gbk',
    gb18030: 'gb18030',
  };
  // Fix: own keys only, so "constructor" is refused rather than returned as Object.
  const encoding = Object.hasOwn(aliases, v) ? aliases[v] : undefined;
  if (!encoding) throw new UsageError('error.badEncoding', { value });
  return encoding;
}

/** Guesses the encoding from the first bytes of the file (64 KiB is plenty). */
export function detectEncoding(sample: Buffer): Encoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  if (looksLikeUtf16le(sample)) return 'utf16le';
  return isValidUtf8(sample) ? 'utf8' : 'gb18030';
}

/** ASCII in UTF-16LE has a zero in every odd byte; text in any 8-bit encoding has none. */
function looksLikeUtf16le(sample: Buffer): boolean {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return false;
  // Fix: requiring zeros in over half the characters missed mostly-Chinese UTF-16LE (a CJK header
  // has zeros only in its delimiters and line breaks), which then decoded as GB18030 garbage.
  // UTF-8 and GBK text has no NUL bytes at all, so zeros at odd offsets in at least 1 character
  // in 16 that clearly outnumber those at even offsets (CJK U+xx00, or NUL padding) mean UTF-16LE.
  let odd = 0;
  let even = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  return odd > n / 32 && odd > 4 * even;
}

function isValidUtf8(sample: Buffer): boolean {
  // The sample may end in the middle of a character: drop an incomplete trailing sequence.
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = sample[end - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte, keep looking for the lead
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      if (back < needed) end -= back;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

export interface TextDecoding {
  /** Text of the next bytes (a character split between chunks is completed by the next call). */
  write(bytes: Buffer): string;
  /** Whatever is left at the end. */
  end(): string | undefined;
}

/**
 * Bytes to text in `encoding`, chunk by chunk, dropping a BOM. UTF-8 goes through the built-in
 * TextDecoder, measured about twice as fast as iconv-lite's on large files; GBK and UTF-16 through
 * iconv-lite.
 */
export function decoder(encoding: Encoding): TextDecoding {
  if (encoding === 'utf8') {
    const utf8 = new TextDecoder('utf-8');
    return { write: (bytes) => utf8.decode(bytes, { stream: true }), end: () => utf8.decode() };
  }
  return iconvLite().getDecoder(encoding, { stripBOM: true });
}

export type Delimiter = ',' | '\t' | ';' | '|' | string;

export function parseDelimiter(value: string): Delimiter {
  const named: Record<string, Delimiter> = { comma: ',', tab: '\t', '\\t': '\t', semicolon: ';', pipe: '|' };
  // Fix: own keys only; "constructor" found Object on the prototype and crashed with a TypeError.
  const delimiter = Object.hasOwn(named, value.toLowerCase()) ? named[value.toLowerCase()] : value;
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new UsageError('error.badDelimiter', { value });
  }
  return delimiter;
}

/** The delimiter of a file, from its header line: the candidate that occurs most outside quotes. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const [ch, count] of counts) {
    if (count > bestCount) {
      best = ch;
      bestCount = count;
    }
  }
  return best;
}

export function delimiterName(delimiter: Delimiter): string {
  return delimiter === ',' ? 'comma' : delimiter === '\t' ? 'tab' : delimiter === ';' ? 'semicolon' : delimiter;
}
