// The two catalogs as text people read: Chinese uses Chinese punctuation (，。：；？！（）) next to
// Chinese characters; English counts go through plural forms, never "(s)".
import { describe, expect, it } from 'vitest';
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';

const CJK = '[\\u4e00-\\u9fff]';
/** Code a user types (YAML, flags, file:line formats) is quoted or on an example line: not prose. */
const prose = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^\s*\$ /.test(line))
    .join('\n')
    .replace(/"[^"\n]*"/g, '""')
    .replace(/“[^”\n]*[:,][^”\n]*”/g, '“”')
    .replace(/--\w[\w-]* \S+/g, '');

describe('the Chinese catalog', () => {
  it('puts Chinese punctuation, not ASCII, next to Chinese characters', () => {
    const bad = Object.entries(zhCN).filter(([, text]) =>
      new RegExp(`${CJK}[,;?!]|${CJK}: |[,;?!] ?${CJK}|${CJK} ?\\((?!\\?)|\\) ?${CJK}`).test(prose(text)),
    );
    expect(bad).toEqual([]);
  });
});

describe('the English catalog', () => {
  it('says plurals with plural forms, not "(s)"', () => {
    expect(Object.entries(en).filter(([, text]) => text.includes('(s)'))).toEqual([]);
  });
});
