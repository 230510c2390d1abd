// Text in a terminal's columns: CJK takes two, lines break between words or Chinese characters,
// never inside a date, an amount or an id, never before Chinese closing punctuation.
import { describe, expect, it } from 'vitest';
import { displayWidth, truncateToWidth, wrapToWidth } from '../../src/core/width.js';

describe('displayWidth', () => {
  it('counts CJK and full-width forms as two columns, colour escapes as none', () => {
    expect(displayWidth('王小明')).toBe(6);
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('１２')).toBe(4);
    expect(displayWidth('\x1b[31mred\x1b[39m')).toBe(3);
  });
});

describe('wrapToWidth', () => {
  it('never splits a date, an amount or an id, and every line fits', () => {
    const text = 'Recent orders: 2026-11-20 O20261120001 ¥1,299.00 扫地机器人; 2026-10-02 O20261002017 ¥89.00 滤网';
    for (const width of [20, 30, 40, 57, 80]) {
      const lines = wrapToWidth(text, width, '  ');
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      const words = lines.map((l) => l.trim()).join(' ');
      for (const token of ['2026-11-20', 'O20261120001', '¥1,299.00', '2026-10-02', '¥89.00']) expect(words).toContain(token);
      expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    }
  });

  it('breaks Chinese between characters, keeping closing punctuation with what it closes', () => {
    const lines = wrapToWidth('客户说下雨天设备进水，无法开机。希望尽快上门维修，并补偿运费。', 12);
    for (const line of lines) {
      expect(displayWidth(line)).toBeLessThanOrEqual(12);
      expect(line).not.toMatch(/^[，。]/);
    }
    expect(lines.join('')).toBe('客户说下雨天设备进水，无法开机。希望尽快上门维修，并补偿运费。');
  });

  it('cuts a word longer than a line, and keeps short text on one line', () => {
    expect(wrapToWidth('short', 40)).toEqual(['short']);
    const long = wrapToWidth('x'.repeat(25), 10);
    expect(long).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrapToWidth('a\nb', 10)).toEqual(['a', 'b']);
  });
});

describe('truncateToWidth', () => {
  it('cuts to the width with an ellipsis, counting CJK as two', () => {
    expect(truncateToWidth('王小明的备注很长很长', 9)).toBe('王小明的…');
    expect(truncateToWidth('short', 9)).toBe('short');
  });
});

describe('wrapToWidth and opening punctuation', () => {
  it('never ends a line with an opening bracket or quote', () => {
    const text = '流失预警：最近一次购买或联系在 2026-08-05；近 12 个月消费 ¥14,695.00（另有：高价值客户维护）';
    for (let width = 10; width <= 60; width++) {
      for (const line of wrapToWidth(text, width)) expect(line).not.toMatch(/[（“(]$/);
    }
    expect(wrapToWidth(text, 200).join('')).toBe(text);
  });
});

describe('displayWidth', () => {
  it('counts columns as a terminal draws them', () => {
    expect(displayWidth('C1036 2026-11-23')).toBe(16);
    expect(displayWidth('王丽（C1002）')).toBe(4 + 4 + 5);
    expect(displayWidth('\x1b[31m红\x1b[0m')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('👍')).toBe(2);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('a\u200db')).toBe(2);
  });
});
