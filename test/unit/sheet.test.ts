// Reading back a filled-in call list: the words agents write for outcomes, and ids Excel mangled.
import { describe, expect, it } from 'vitest';
import { sheetOutcome } from '../../src/import/calls.js';
import { itemOfDayUnpadded } from '../../src/storage/calls.js';
import { historyDatabase } from '../support/db.js';

describe('outcome words', () => {
  it.each([
    ['已完成', 'completed'],
    ['已接通', 'completed'],
    ['无人接听', 'no-answer'],
    ['关机', 'no-answer'],
    ['停机', 'no-answer'],
    ['占线', 'busy'],
    ['空号', 'wrong-number'],
    ['拒接', 'refused'],
    ['改天', 'callback'],
    ['免打扰', 'do-not-call'],
    ['No answer', 'no-answer'],
    ['completed', 'completed'],
    ['完成。', 'completed'],
  ])('reads %j as %s', (word, outcome) => {
    expect(sheetOutcome(word)).toBe(outcome);
  });

  it('does not guess at other words', () => {
    expect(sheetOutcome('也许吧')).toBeUndefined();
  });
});

describe('a customer id that lost its leading zeros', () => {
  it('finds the day’s item of 000123 for 123, only when that is unambiguous', () => {
    const db = historyDatabase();
    for (const id of ['000123', '0123', '000777', '777']) {
      db.prepare(`INSERT INTO customers (id, name, phone, import_id) VALUES (?, ?, '+8613800138000', 1)`).run(id, `客户${id}`);
    }
    const item = db.prepare(
      `INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, created_at, updated_at)
       VALUES ('2026-11-23', ?, 'after-sale', 0, '2026-11-23', '小王', ?, '[]', 'x', 'x')`,
    );
    item.run('000123', 1);
    item.run('0123', 2);
    item.run('000777', 3);
    expect(itemOfDayUnpadded(db, '2026-11-23', '777')?.customerId).toBe('000777');
    // 123 could be 000123 or 0123: no guess.
    expect(itemOfDayUnpadded(db, '2026-11-23', '123')).toBeUndefined();
    expect(itemOfDayUnpadded(db, '2026-11-24', '777')).toBeUndefined();
  });
});
