import { describe, expect, it } from 'vitest';
import {
  CHINA_OFFSET_MINUTES,
  displayPhone,
  formatYuan,
  halfWidth,
  isProblem,
  maskPhone,
  parseAmountFen,
  parseDate,
  parseDateTime,
  parseEmail,
  parseFlag,
  parsePhone,
} from '../../src/domain/values.js';

describe('halfWidth', () => {
  it('maps full-width digits, letters and punctuation to ASCII and leaves CJK alone', () => {
    expect(halfWidth('　ＡＢＣ１２３（客户）：／　')).toBe('ABC123(客户):/');
  });
  it('turns an ideographic space inside the text into an ASCII space', () => {
    expect(halfWidth('王\u3000丽')).toBe('王 丽');
  });
});

describe('isProblem', () => {
  it('tells a problem from a value, even a falsy value', () => {
    expect(isProblem({ problem: 'value.dateEmpty' })).toBe(true);
    expect(isProblem({ value: 0 })).toBe(false);
    expect(isProblem({ value: null })).toBe(false);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-11-03', '2026-11-03'],
    ['2026/11/3', '2026-11-03'],
    ['2026.11.03', '2026-11-03'],
    ['2026年11月3日', '2026-11-03'],
    ['2026 年 11 月 3 日', '2026-11-03'],
    ['２０２６－１１－０３', '2026-11-03'],
    ['２０２６年１１月３日', '2026-11-03'],
    ['20261103', '2026-11-03'],
    ['  2026-11-03  ', '2026-11-03'],
  ])('reads the date %j as %j', (cell, expected) => {
    expect(parseDateTime(cell)).toEqual({ value: expected });
  });

  it.each([
    ['2026年11月3日 14:05', '2026-11-03T14:05:00'],
    ['2026/11/3 14:05', '2026-11-03T14:05:00'],
    ['2026-10-28 09:12:33', '2026-10-28T09:12:33'],
    ['2026-10-28T09:12:33', '2026-10-28T09:12:33'],
    ['2026-10-28 9:05', '2026-10-28T09:05:00'],
    ['2026-10-28 09:12:33.456', '2026-10-28T09:12:33'],
    ['2026年11月3日 14时05分', '2026-11-03T14:05:00'],
    ['2026/11/3 下午2:05', '2026-11-03T14:05:00'],
    ['2026年11月3日下午2:05', '2026-11-03T14:05:00'],
    ['2026/11/3 上午9:30', '2026-11-03T09:30:00'],
    ['2026/11/3 下午12:30', '2026-11-03T12:30:00'],
    ['2026/11/3 上午12:30', '2026-11-03T00:30:00'],
    ['2026/11/3 2:05 PM', '2026-11-03T14:05:00'],
    ['2026/11/3 12:05 am', '2026-11-03T00:05:00'],
    ['２０２６－１１－０３　１４：０５', '2026-11-03T14:05:00'],
    ['2026-10-28 09:12', '2026-10-28T09:12:00'],
    ['2026.1.5 7:08:09', '2026-01-05T07:08:09'],
    ['2026-10-28T9:12:33', '2026-10-28T09:12:33'],
    ['2026/10/28 09:12:33', '2026-10-28T09:12:33'],
    ['2026-10-28 09:2', '2026-10-28T09:02:00'],
  ])('reads the date-time %j as %j', (cell, expected) => {
    expect(parseDateTime(cell)).toEqual({ value: expected });
  });

  it('is China time: +08:00', () => {
    expect(CHINA_OFFSET_MINUTES).toBe(480);
  });

  it.each([
    ['2026-11-03T20:00:00Z', '2026-11-04T04:00:00'],
    ['2026-11-03T20:00:00z', '2026-11-04T04:00:00'],
    ['2026-11-03T20:00:00.000Z', '2026-11-04T04:00:00'],
    ['2026-11-03T10:00:00Z', '2026-11-03T18:00:00'],
    ['2026-12-31T16:30:00Z', '2027-01-01T00:30:00'],
    ['2026-11-03T20:00:00+08:00', '2026-11-03T20:00:00'],
    ['2026-11-03T20:00:00+0800', '2026-11-03T20:00:00'],
    ['2026-11-03 20:00 +08:00', '2026-11-03T20:00:00'],
    ['2026-11-03T20:00:00-05:00', '2026-11-04T09:00:00'],
    ['2026-11-03T09:00:00+09:00', '2026-11-03T08:00:00'],
    ['2026-11-03T05:30:00+05:30', '2026-11-03T08:00:00'],
  ])('converts the instant %j to China local time %j', (cell, expected) => {
    expect(parseDateTime(cell)).toEqual({ value: expected });
  });

  describe('Excel serial numbers (days since 1899-12-30, with the 1900 leap-year bug)', () => {
    it.each([
      ['45000', '2023-03-15'],
      ['46000', '2025-12-09'],
      ['46000.5', '2025-12-09T12:00:00'],
      ['45000.25', '2023-03-15T06:00:00'],
      ['45000.75', '2023-03-15T18:00:00'],
      ['61', '1900-03-01'],
      ['59', '1900-02-28'],
      ['1', '1900-01-01'],
      ['32', '1900-02-01'],
      ['２００００', '1954-10-03'],
    ])('reads %j as %j', (cell, expected) => {
      expect(parseDateTime(cell)).toEqual({ value: expected });
    });

    it('rejects serial 60, which is Excel’s fictitious 1900-02-29', () => {
      expect(parseDateTime('60')).toEqual({ problem: 'value.dateInvalid', params: { value: '60' } });
    });

    it.each(['0', '0.5', '0.999'])('rejects %j (before serial 1) with value.dateInvalid', (cell) => {
      expect(parseDateTime(cell)).toEqual({ problem: 'value.dateInvalid', params: { value: cell } });
    });

    it('accepts the largest serial it allows and reads six digits as no date at all', () => {
      expect(parseDateTime('99999.5')).toEqual({ value: '2173-10-13T12:00:00' });
      expect(parseDateTime('110000')).toEqual({ problem: 'value.dateFormat', params: { value: '110000' } });
    });
  });

  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-11-00', '20260230', '1899-12-31', '2201-01-01'])(
    'rejects the impossible date %j with value.dateInvalid',
    (cell) => {
      expect(parseDateTime(cell)).toEqual({ problem: 'value.dateInvalid', params: { value: cell } });
    },
  );

  it('accepts 29 February in a leap year, including a 400-year', () => {
    expect(parseDateTime('2024-02-29')).toEqual({ value: '2024-02-29' });
    expect(parseDateTime('2000-02-29')).toEqual({ value: '2000-02-29' });
    expect(parseDateTime('2100-02-29')).toEqual({ problem: 'value.dateInvalid', params: { value: '2100-02-29' } });
  });

  it.each(['2026-11-03 25:00', '2026-11-03 24:00', '2026-11-03 14:60', '2026-11-03 14:05:60', '2026/11/3 下午13:05'])(
    'rejects the impossible time in %j with value.dateInvalid',
    (cell) => {
      expect(parseDateTime(cell)).toEqual({ problem: 'value.dateInvalid', params: { value: cell } });
    },
  );

  it('reports an impossible date in a date-time as dateInvalid, with the cell as written', () => {
    expect(parseDateTime('2026-02-30 10:00')).toEqual({ problem: 'value.dateInvalid', params: { value: '2026-02-30 10:00' } });
    expect(parseDateTime('2026-02-30T10:00:00Z')).toEqual({
      problem: 'value.dateInvalid',
      params: { value: '2026-02-30T10:00:00Z' },
    });
  });

  it.each(['下周一', '25:00', '下午2:05', '14:05', 'abc', '2026-11', '11/03/2026', '2026-11-03 14', '3 Nov 2026', '2026-11-03 noon', '123456'])(
    'rejects %j with value.dateFormat and echoes the cell',
    (cell) => {
      expect(parseDateTime(cell)).toEqual({ problem: 'value.dateFormat', params: { value: cell } });
    },
  );

  it.each(['', '   ', '\u3000'])('reports %j as value.dateEmpty', (cell) => {
    expect(parseDateTime(cell)).toEqual({ problem: 'value.dateEmpty' });
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-11-03', '2026-11-03'],
    ['2026/11/3 14:05', '2026-11-03'],
    ['2026年11月3日 14:05', '2026-11-03'],
    ['2026-10-28T09:12:33', '2026-10-28'],
    // The day is the China-time day: 20:00 UTC is already the 4th in Beijing.
    ['2026-11-03T20:00:00Z', '2026-11-04'],
    ['2026-11-03T20:00:00+08:00', '2026-11-03'],
    ['46000.5', '2025-12-09'],
    ['45000', '2023-03-15'],
    ['20261103', '2026-11-03'],
    ['２０２６－１１－０３', '2026-11-03'],
  ])('keeps only the day of %j: %j', (cell, expected) => {
    expect(parseDate(cell)).toEqual({ value: expected });
  });

  it('passes problems through unchanged', () => {
    expect(parseDate('')).toEqual({ problem: 'value.dateEmpty' });
    expect(parseDate('下周一')).toEqual({ problem: 'value.dateFormat', params: { value: '下周一' } });
    expect(parseDate('2026-02-30')).toEqual({ problem: 'value.dateInvalid', params: { value: '2026-02-30' } });
  });
});

describe('parseAmountFen', () => {
  it.each([
    ['¥1,234.50', 123450],
    ['1234.5元', 123450],
    ['1,234', 123400],
    ['￥99', 9900],
    ['RMB 99', 9900],
    ['rmb99', 9900],
    ['CNY 99.00', 9900],
    ['99 CNY', 9900],
    ['人民币99', 9900],
    ['99元', 9900],
    ['89.90', 8990],
    ['89.9', 8990],
    ['0.01', 1],
    ['0', 0],
    ['0.00', 0],
    ['1234.5000', 123450],
    ['1234.5600', 123456],
    ['1,234,567.89', 123456789],
    [' 1234.50 ', 123450],
    ['¥ 1,234.50', 123450],
    ['１２３４．５０', 123450],
    ['１，２３４．５', 123450],
    ['￥１２３４', 123400],
    ['9999999999999', 999999999999900],
  ])('reads %j as %d fen', (cell, fen) => {
    expect(parseAmountFen(cell)).toEqual({ value: fen });
  });

  it.each([
    ['-50', -5000],
    ['(50)', -5000],
    ['(1,234.50)', -123450],
    ['¥-50', -5000],
    ['-0.01', -1],
  ])('returns the negative amount %j as %d (the row validator rejects it)', (cell, fen) => {
    expect(parseAmountFen(cell)).toEqual({ value: fen });
  });

  it('does not return negative zero', () => {
    const parsed = parseAmountFen('-0');
    expect(parsed).toEqual({ value: 0 });
    expect(Object.is((parsed as { value: number }).value, -0)).toBe(false);
    expect(Object.is((parseAmountFen('(0.00)') as { value: number }).value, -0)).toBe(false);
  });

  it.each(['1234.567', '1234.001', '0.005', '1,234.565'])('refuses to round %j: value.amountPrecision', (cell) => {
    expect(parseAmountFen(cell)).toEqual({ problem: 'value.amountPrecision', params: { value: cell } });
  });

  it.each(['1,2', '12,34', '1,2345', ',123', '1,,234', 'abc', '12a', '1.2.3', '.5', '5.', '--5', '¥', '元', '1 2/3', '99999999999999'])(
    'rejects %j with value.amountFormat',
    (cell) => {
      expect(parseAmountFen(cell)).toEqual({ problem: 'value.amountFormat', params: { value: cell } });
    },
  );

  it.each(['', '  ', '\u3000'])('reports %j as value.amountEmpty', (cell) => {
    expect(parseAmountFen(cell)).toEqual({ problem: 'value.amountEmpty' });
  });
});

describe('formatYuan', () => {
  it.each([
    [123450, '1,234.50'],
    [1, '0.01'],
    [0, '0.00'],
    [-5000, '-50.00'],
    [123456789, '1,234,567.89'],
  ])('formats %d fen as %j', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('parsePhone', () => {
  it.each([
    ['+86 138-0013-8000', '+8613800138000', 'mobile'],
    ['86 13800138000', '+8613800138000', 'mobile'],
    ['8613800138000', '+8613800138000', 'mobile'],
    ['138 0013 8000', '+8613800138000', 'mobile'],
    ['13800138000', '+8613800138000', 'mobile'],
    ['0086 13800138000', '+8613800138000', 'mobile'],
    ['+86 (138) 0013.8000', '+8613800138000', 'mobile'],
    ['１３８００１３８０００', '+8613800138000', 'mobile'],
    ['＋８６　１３８００１３８０００', '+8613800138000', 'mobile'],
    ['19912345678', '+8619912345678', 'mobile'],
    ['010-12345678', '+861012345678', 'landline'],
    ['0755-1234567', '+867551234567', 'landline'],
    ['0755-12345678', '+8675512345678', 'landline'],
    ['(021) 6234 5678', '+862162345678', 'landline'],
    ['（０２１）６２３４５６７８', '+862162345678', 'landline'],
    ['+86 10 12345678', '+861012345678', 'landline'],
    ['+86 010-12345678', '+861012345678', 'landline'],
    ['+86 755 1234567', '+867551234567', 'landline'],
    ['0086 21 62345678', '+862162345678', 'landline'],
    ['400-800-1234', '+864008001234', 'service'],
    ['800-820-8820', '+868008208820', 'service'],
    ['+86 400 800 1234', '+864008001234', 'service'],
    ['+852 2345 6789', '+85223456789', 'international'],
    ['+1 415-555-0100', '+14155550100', 'international'],
    ['00852 2345 6789', '+85223456789', 'international'],
  ])('reads %j as %s (%s)', (cell, e164, kind) => {
    expect(parsePhone(cell)).toEqual({ value: { e164, kind } });
  });

  it.each(['12345', '1380013800', '138001380001', '23800138000', '12800138000', 'abc', '138-0013-800O', '62345678', '+86 12345', '+1234567', '4008001234567', '010-1234'])(
    'rejects %j with value.phoneFormat',
    (cell) => {
      expect(parsePhone(cell)).toEqual({ problem: 'value.phoneFormat', params: { value: cell } });
    },
  );

  it.each(['', '  '])('reports %j as value.phoneEmpty', (cell) => {
    expect(parsePhone(cell)).toEqual({ problem: 'value.phoneEmpty' });
  });
});

describe('maskPhone', () => {
  it.each([
    ['+8613800138000', '138****8000'],
    ['+861012345678', '010****5678'],
    ['+85223456789', '+85****6789'],
    ['+86123456', '******'],
  ])('masks %j as %j', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });
  it('is empty for no number', () => {
    expect(maskPhone(null)).toBe('');
    expect(maskPhone(undefined)).toBe('');
    expect(maskPhone('')).toBe('');
  });
});

describe('displayPhone', () => {
  it.each([
    ['+8613800138000', '138 0013 8000'],
    ['+861012345678', '010-12345678'],
    ['+862162345678', '021-62345678'],
    ['+867551234567', '0755-1234567'],
    ['+8675512345678', '0755-12345678'],
    ['+864008001234', '400-800-1234'],
    ['+85223456789', '+85223456789'],
  ])('shows %j as %j', (e164, shown) => {
    expect(displayPhone(e164)).toBe(shown);
  });
  it('round-trips through parsePhone for every Chinese kind', () => {
    for (const cell of ['138 0013 8000', '010-12345678', '0755-1234567', '400-800-1234']) {
      const parsed = parsePhone(cell);
      if (isProblem(parsed)) throw new Error(`${cell} did not parse`);
      expect(displayPhone(parsed.value.e164)).toBe(cell);
    }
  });
  it('is empty for no number', () => {
    expect(displayPhone(null)).toBe('');
    expect(displayPhone(undefined)).toBe('');
  });
});

describe('parseFlag', () => {
  it.each(['是', '是的', '对', '需要', '拒绝', 'Y', 'y', 'yes', 'YES', 'Yes', 'true', 'TRUE', 'T', '1', '√', '✓', ' 是 ', 'Ｙ', '１'])(
    'reads %j as true',
    (cell) => {
      expect(parseFlag(cell)).toEqual({ value: true });
    },
  );
  it.each(['否', '不', '不是', '无', '没有', 'N', 'n', 'no', 'NO', 'false', 'False', 'F', '0', '×', '✗', 'x', 'X', '０'])(
    'reads %j as false',
    (cell) => {
      expect(parseFlag(cell)).toEqual({ value: false });
    },
  );
  it.each(['', '   '])('reads %j as not given (null)', (cell) => {
    expect(parseFlag(cell)).toEqual({ value: null });
  });
  it.each(['maybe', '2', 'yess', '是否', '待定'])('rejects %j with value.flagFormat', (cell) => {
    expect(parseFlag(cell)).toEqual({ problem: 'value.flagFormat', params: { value: cell } });
  });
});

describe('parseEmail', () => {
  it.each([
    ['wang.li@example.com', 'wang.li@example.com'],
    ['Wang.Li@Example.COM', 'wang.li@example.com'],
    ['  chen@qq.com ', 'chen@qq.com'],
    ['ｃｈｅｎ＠ｑｑ．ｃｏｍ', 'chen@qq.com'],
    ['a+tag@mail.example.cn', 'a+tag@mail.example.cn'],
  ])('reads %j as %j', (cell, email) => {
    expect(parseEmail(cell)).toEqual({ value: email });
  });
  it.each(['', 'wang.li', 'wang@example', '@example.com', 'wang@.com', 'wang li@example.com', 'a@b@c.com'])(
    'rejects %j with value.emailFormat',
    (cell) => {
      expect(parseEmail(cell)).toEqual({ problem: 'value.emailFormat', params: { value: cell } });
    },
  );
});
