import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from '../../src/core/table.js';

describe('displayWidth', () => {
  it('counts Chinese and full-width characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('陈建国')).toBe(6);
    expect(displayWidth('¥1,299（含税）')).toBe(6 + 8);
  });
});

describe('renderTable', () => {
  it('aligns mixed Chinese and ASCII columns, right-aligns numbers, leaves no trailing spaces', () => {
    const lines = renderTable(['名称', 'n', 'note'], [
      ['新客户', '6', ''],
      ['VIP', '12', 'x'],
    ], { align: ['left', 'right'], indent: 2 });
    expect(lines).toEqual(['  名称     n  note', '  新客户   6', '  VIP     12  x']);
  });
});
