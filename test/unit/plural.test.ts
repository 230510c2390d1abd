// Counts in messages: English plurals by Intl.PluralRules, Chinese without; big counts grouped, ids not.
import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { groupDigits, t } from '../../src/messages/index.js';

describe('counts in messages', () => {
  it('says "1 issue" and "2 issues" in English, one form in Chinese', () => {
    expect(t('screen.issueCount', { n: 1 }, 'en')).toBe('1 issue');
    expect(t('screen.issueCount', { n: 2 }, 'en')).toBe('2 issues');
    expect(t('screen.issueCount', { n: 0 }, 'en')).toBe('0 issues');
    expect(t('screen.overdue', { date: '2026-11-26', days: 1 }, 'en')).toBe('⚠ OVERDUE since 2026-11-26 (1 working day late)');
    expect(t('screen.overdue', { date: '2026-11-26', days: 4 }, 'en')).toBe('⚠ OVERDUE since 2026-11-26 (4 working days late)');
    expect(t('screen.issueCount', { n: 1 }, 'zh-CN')).not.toMatch(/plural|#/);
  });

  it('takes an exact form before the plural rule, and a count given as text', () => {
    expect(t('screen.resumeLost', { name: 'A', agent: 'B', answers: 0 }, 'en')).toBe('Your unfinished call with A was handed to B after it timed out; nothing was saved.');
    expect(t('screen.resumeLost', { name: 'A', agent: 'B', answers: 1 }, 'en')).toBe('Your unfinished call with A was handed to B after it timed out; the answer you saved is kept.');
    expect(t('screen.resumeLost', { name: 'A', agent: 'B', answers: 3 }, 'en')).toBe('Your unfinished call with A was handed to B after it timed out; the 3 answers you saved are kept.');
    expect(t('screen.issueCount', { n: '12,000' }, 'en')).toBe('12,000 issues');
  });

  it('leaves no plural syntax in any message of either catalog', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      for (const id of Object.keys(en) as (keyof typeof en)[]) {
        const params = Object.fromEntries([...en[id].matchAll(/\{(\w+)[,}]/g)].map((m) => [m[1], 2]));
        expect(t(id, params, lang)).not.toMatch(/plural,|\{=?\w+ \{/);
      }
    }
  });

  it('groups the digits of large counts, never of an id', () => {
    expect(t('screen.issueCount', { n: 1234567 }, 'en')).toBe('1,234,567 issues');
    expect(t('screen.reopened', { id: 123456 }, 'en')).toContain('Issue 123456 ');
    expect(groupDigits(1234567.5)).toBe('1,234,567.5');
    expect(groupDigits(-1234)).toBe('-1,234');
    expect(groupDigits(999)).toBe('999');
  });
});
