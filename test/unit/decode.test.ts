import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../src/core/errors.js';
import {
  decoder,
  delimiterName,
  detectDelimiter,
  detectEncoding,
  ENCODINGS,
  parseDelimiter,
  parseEncoding,
} from '../../src/import/decode.js';

const CHINESE = '客户编号,客户姓名\r\n王丽,陈建国';
const ROWS = '客户编号,客户姓名,手机号,注册日期\r\nC1001,王丽,13800138000,2026-11-03\r\nC1002,陈建国,13900139000,2026-11-04\r\n';

const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
const utf16leBom = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

/** Runs bytes through decoder(encoding), a few bytes at a time, and returns the text. */
async function decode(bytes: Buffer, encoding: Parameters<typeof decoder>[0]): Promise<string> {
  const decoding = decoder(encoding);
  let text = '';
  // Chunks of 3 bytes split characters across writes, as a file read in blocks does.
  for (let at = 0; at < bytes.length; at += 3) text += decoding.write(bytes.subarray(at, at + 3));
  return text + (decoding.end() ?? '');
}

describe('detectEncoding', () => {
  it('says utf8 for UTF-8 with a BOM ("CSV UTF-8" from Excel)', () => {
    expect(detectEncoding(utf8Bom(CHINESE))).toBe('utf8');
    expect(detectEncoding(utf8Bom('id,name\r\n'))).toBe('utf8');
  });

  it('says utf8 for UTF-8 without a BOM that contains Chinese', () => {
    expect(detectEncoding(Buffer.from(CHINESE, 'utf8'))).toBe('utf8');
    expect(detectEncoding(Buffer.from(ROWS, 'utf8'))).toBe('utf8');
  });

  it('says utf8 for plain ASCII', () => {
    expect(detectEncoding(Buffer.from('customer_id,name\r\nC1001,Wang Li\r\n', 'latin1'))).toBe('utf8');
  });

  it('says gb18030 (a superset of GBK) for GBK bytes ("CSV" from Excel on Chinese Windows)', () => {
    const gbk = iconv.encode(CHINESE, 'gbk');
    expect(gbk.subarray(0, 4)).toEqual(Buffer.from([0xbf, 0xcd, 0xbb, 0xa7])); // 客户 in GBK
    expect(detectEncoding(gbk)).toBe('gb18030');
    expect(detectEncoding(iconv.encode(ROWS, 'gbk'))).toBe('gb18030');
    // …and decoding with the detected encoding gives the text back.
    expect(iconv.decode(gbk, detectEncoding(gbk))).toBe(CHINESE);
  });

  it('says utf16le for UTF-16LE with a BOM ("Unicode text" from Excel)', () => {
    expect(detectEncoding(utf16leBom(CHINESE))).toBe('utf16le');
    expect(detectEncoding(utf16leBom('id\tname\r\n'))).toBe('utf16le');
  });

  it('says utf16be for UTF-16BE with a BOM', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode('id,name', 'utf16be')]))).toBe('utf16be');
  });

  it('says utf16le for UTF-16LE without a BOM, ASCII or mostly Chinese', () => {
    expect(detectEncoding(Buffer.from('customer_id,name\r\nC1001,Wang Li\r\n', 'utf16le'))).toBe('utf16le');
    expect(detectEncoding(Buffer.from(ROWS, 'utf16le'))).toBe('utf16le');
    // A header-and-names sample is mostly CJK: only the commas and line breaks have a zero byte.
    expect(detectEncoding(Buffer.from(CHINESE, 'utf16le'))).toBe('utf16le');
    expect(detectEncoding(Buffer.from('客户编号\t客户姓名\t手机号\r\n', 'utf16le'))).toBe('utf16le');
  });

  it('does not take a GBK or UTF-8 sample with a few stray NUL bytes for UTF-16', () => {
    const padded = Buffer.concat([iconv.encode(CHINESE, 'gbk'), Buffer.alloc(4)]);
    expect(detectEncoding(padded)).toBe('gb18030');
  });

  it('says utf8 for a UTF-8 sample cut in the middle of a 3-byte character', () => {
    const full = Buffer.from(CHINESE, 'utf8');
    expect(full.subarray(-3)).toEqual(Buffer.from('国', 'utf8'));
    const cutAfterOne = full.subarray(0, full.length - 2);
    const cutAfterTwo = full.subarray(0, full.length - 1);
    expect(detectEncoding(cutAfterOne)).toBe('utf8');
    expect(detectEncoding(cutAfterTwo)).toBe('utf8');
  });

  it('says utf8 for a UTF-8 sample cut in the middle of a 4-byte character', () => {
    const full = Buffer.from('客户编号,备注\r\nC1,好评😀', 'utf8');
    expect(detectEncoding(full.subarray(0, full.length - 1))).toBe('utf8');
    expect(detectEncoding(full.subarray(0, full.length - 3))).toBe('utf8');
  });

  it('does not excuse an invalid byte in the middle of the sample', () => {
    const broken = Buffer.concat([Buffer.from('客户', 'utf8'), Buffer.from([0xe5]), Buffer.from(',name\r\n', 'utf8')]);
    expect(detectEncoding(broken)).toBe('gb18030');
  });

  it('says utf8 for an empty sample', () => {
    expect(detectEncoding(Buffer.alloc(0))).toBe('utf8');
  });
});

describe('decoder', () => {
  it('decodes each encoding and drops a BOM', async () => {
    expect(await decode(utf8Bom(CHINESE), 'utf8')).toBe(CHINESE);
    expect(await decode(utf16leBom(CHINESE), 'utf16le')).toBe(CHINESE);
    expect(await decode(iconv.encode(CHINESE, 'gbk'), 'gb18030')).toBe(CHINESE);
    expect(await decode(iconv.encode(CHINESE, 'gbk'), 'gbk')).toBe(CHINESE);
  });
});

describe('parseEncoding', () => {
  it.each([
    ['utf8', 'utf8'],
    ['UTF-8', 'utf8'],
    ['utf_8', 'utf8'],
    ['utf-8-bom', 'utf8'],
    [' UTF8 ', 'utf8'],
    ['utf16', 'utf16le'],
    ['UTF-16LE', 'utf16le'],
    ['unicode', 'utf16le'],
    ['utf-16be', 'utf16be'],
    ['GBK', 'gbk'],
    ['gb2312', 'gbk'],
    ['CP936', 'gbk'],
    ['GB18030', 'gb18030'],
  ])('reads %j as %j', (name, encoding) => {
    expect(parseEncoding(name)).toBe(encoding);
  });

  it('accepts each of ENCODINGS by its own name', () => {
    for (const encoding of ENCODINGS) expect(parseEncoding(encoding)).toBe(encoding);
  });

  it.each(['latin1', 'big5', '', 'utf', 'utf-32', 'constructor', 'toString', '__proto__'])('rejects %j with a UsageError', (name) => {
    let error: unknown;
    try {
      parseEncoding(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UsageError).id).toBe('error.badEncoding');
    expect((error as UsageError).params).toEqual({ value: name });
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toBe(`Unknown encoding "${name}". Use one of: utf8, utf16le, gbk, gb18030.`);
  });
});

describe('parseDelimiter', () => {
  it.each([
    ['comma', ','],
    ['COMMA', ','],
    ['tab', '\t'],
    ['Tab', '\t'],
    ['\\t', '\t'],
    ['\t', '\t'],
    ['semicolon', ';'],
    ['pipe', '|'],
    [',', ','],
    [';', ';'],
    ['|', '|'],
    ['，', '，'],
  ])('reads %j as %j', (name, delimiter) => {
    expect(parseDelimiter(name)).toBe(delimiter);
  });

  it.each(['', 'ab', '"', '\n', '\r', ',,', 'commas', 'constructor', 'toString'])('rejects %j with a UsageError', (name) => {
    let error: unknown;
    try {
      parseDelimiter(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).id).toBe('error.badDelimiter');
    expect((error as UsageError).params).toEqual({ value: name });
    expect((error as UsageError).exitCode).toBe(2);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['comma', '客户编号,客户姓名,手机号\r\nC1,王丽,138', ','],
    ['tab', '客户编号\t客户姓名\t手机号\r\nC1\t王丽\t138', '\t'],
    ['semicolon', 'id;name;phone\nC1;Wang;138', ';'],
    ['pipe', 'id|name|phone', '|'],
    ['a quoted comma inside a header', '"a,b";c;d', ';'],
    ['quoted commas outnumbering the real delimiter', '"a,b,c,d";"e,f";g\n1;2;3', ';'],
    ['a tab file whose header cells contain a comma', '"金额(元,含税)"\t"客户,姓名"\t手机号', '\t'],
    ['a header with no delimiter at all', '客户编号', ','],
    ['empty text', '', ','],
  ])('finds the delimiter for %s', (_what, text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('looks at the header line only', () => {
    // Two semicolons in the header, many commas in the rows below it.
    expect(detectDelimiter('a;b;c\r\n1,2,3,4,5,6,7\r\n')).toBe(';');
    expect(detectDelimiter('a;b;c\n1,2,3,4,5,6,7\n')).toBe(';');
  });

  it('reads a line break inside a quoted header cell as part of the header', () => {
    expect(detectDelimiter('"客户\n编号";姓名;电话\n1,2,3,4,5')).toBe(';');
  });

  it('prefers comma, then tab, then semicolon on a tie', () => {
    expect(detectDelimiter('a,b\tc')).toBe(',');
    expect(detectDelimiter('a;b\tc')).toBe('\t');
  });
});

describe('delimiterName', () => {
  it.each([
    [',', 'comma'],
    ['\t', 'tab'],
    [';', 'semicolon'],
    ['|', '|'],
  ])('names %j %j', (delimiter, name) => {
    expect(delimiterName(delimiter)).toBe(name);
  });

  it('round-trips with parseDelimiter', () => {
    for (const delimiter of [',', '\t', ';', '|']) expect(parseDelimiter(delimiterName(delimiter))).toBe(delimiter);
  });
});
