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

describe('renderTable on a narrow terminal', () => {
  const header = ['#', 'Customer', 'Due by', 'Reason'];
  const rows = [
    ['1', '王丽 (C1002)', '2026-11-23', 'open complaint GD20261122001 (物流配送) since 2026-11-22: call within 24 hours'],
    ['12', '蒋涛 (C1033)', '2026-11-20', '首次购买后 7 天：体验回访'],
  ];

  it('wraps the widest free-text column so that no line is wider than the terminal', () => {
    const lines = renderTable(header, rows, { indent: 2, align: ['right'], width: 60 });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    // Continuation lines start under the reason column; the other columns are whole on the first line.
    expect(lines[1]).toMatch(/^ {3}1 {2}王丽 \(C1002\) {2}2026-11-23 {2}open complaint/);
    expect(lines[2]).toMatch(/^ {32}\S/);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('GD20261122001 (物流配送) since 2026-11-22: call within 24 hours');
    // A date, an id: never split.
    expect(lines.some((line) => line.includes('GD20261122001'))).toBe(true);
    expect(lines.join('\n').match(/\d{4}-\d\d-\d\d/g)).toHaveLength(3);
  });

  it('leaves a table that fits, or one for a file or a pipe (no width), on one line a row', () => {
    expect(renderTable(header, rows, { width: 200 })).toHaveLength(3);
    expect(renderTable(header, rows)).toHaveLength(3);
  });
});

describe('renderTable when the free text would be too narrow beside the rest', () => {
  it('puts it on lines of its own under each row, as wide as the screen', () => {
    const header = ['#', 'Customer', 'Name', 'Phone', 'Scenario', 'Due by', 'Reason'];
    const rows = [['1', 'C1002', '王丽', '139****2280', 'complaint (open)', '2026-11-23', 'open complaint GD20261122001 (物流配送) since 2026-11-22: call within 24 hours']];
    const lines = renderTable(header, rows, { indent: 2, align: ['right'], width: 70 });
    expect(lines[0]).toBe('  #  Customer  Name  Phone        Scenario          Due by');
    expect(lines[1]).toBe('  1  C1002     王丽  139****2280  complaint (open)  2026-11-23');
    expect(lines[2]).toMatch(/^ {6}open complaint GD20261122001 \(物流配送\) since 2026-11-22: call/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(70);
  });
});
