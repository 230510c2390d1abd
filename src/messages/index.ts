// One message catalog, two languages. Everything user-facing goes through t().
//
// The catalogs are written in TypeScript (en.ts, zh-CN.ts: the compiler checks that both have every
// id) and the build turns each into one JSON file (tools/catalogs.ts), which is read the first time
// a message in that language is needed: a command in English never loads the Chinese catalog, and
// one JSON file reads about five times faster than the eleven modules it is made from.
import { readFileSync } from 'node:fs';
import type { MessageId } from './en.js';
import { groupDigits } from '../core/numbers.js';
import { visible } from '../core/visible.js';

export type { MessageId };
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

export type Catalog = Record<MessageId, string>;

const catalogs: Partial<Record<Lang, Catalog>> = {};

/** Catalogs given, not read from the build's JSON files (the unit tests run from the sources). */
export function useCatalogs(given: Partial<Record<Lang, Catalog>>): void {
  Object.assign(catalogs, given);
}

function catalog(lang: Lang): Catalog {
  // Read and parsed directly: require()'s JSON loader costs a few milliseconds more at every start.
  return (catalogs[lang] ??= JSON.parse(readFileSync(new URL(`./${lang}.json`, import.meta.url), 'utf8')) as Catalog);
}

let current: Lang = 'en';

export function setLang(lang: Lang): void {
  current = lang;
}

export function currentLang(): Lang {
  return current;
}

export type Params = Record<string, string | number | null | undefined>;

/**
 * The message `id` in the current language, with `{name}` placeholders filled from params and
 * plurals chosen by the language's rules (Intl.PluralRules): `{n, plural, one {# issue} other {# issues}}`,
 * where `#` is the number. Whole numbers of 1,000 and more are grouped (12,345), except ids and years.
 */
export function t(id: MessageId, params?: Params, lang: Lang = current): string {
  const template = catalog(lang)[id] ?? id;
  if (!params) return template;
  return template
    .replace(/\{(\w+), plural,((?: =?\w+ \{[^{}]*\})+)\}/g, (whole, name: string, forms: string) => {
      const given = params[name];
      if (given === undefined || given === null) return whole;
      // A number given as text (already formatted) is still counted.
      const value = typeof given === 'number' ? given : Number(given.replace(/,/g, ''));
      if (Number.isNaN(value)) return forms.match(/other \{([^{}]*)\}/)?.[1].replace(/#/g, visible(String(given))) ?? whole;
      const byCategory = new Map([...forms.matchAll(/(=?\w+) \{([^{}]*)\}/g)].map((m) => [m[1], m[2]]));
      const form = byCategory.get(`=${value}`) ?? byCategory.get(pluralRules(lang).select(value)) ?? byCategory.get('other') ?? '';
      return form.replace(/#/g, typeof given === 'number' ? formatCount(name, value) : visible(given));
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      // A value from a file (a name, a header, a path) is shown on one line with its control characters visible.
      if (value === undefined || value === null) return whole;
      return typeof value === 'string' ? visible(value) : formatCount(name, value);
    });
}

const rules = new Map<Lang, Intl.PluralRules>();
const pluralRules = (lang: Lang) => rules.get(lang) ?? rules.set(lang, new Intl.PluralRules(lang)).get(lang)!;

/** Ids, ports and years are never grouped. */
const UNGROUPED = /^(id|ids|issue|year|years|from|to|port|line|code)$/i;

/** A number as the message shows it: 12,345 for a count; 2026 and #1234 as they are. */
export function formatCount(name: string, value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) < 1_000 || UNGROUPED.test(name)) return String(value);
  return groupDigits(value);
}

export { groupDigits };

/** zh, zh_CN.UTF-8, zh-Hans… → zh-CN; en, en_US → en; anything else → undefined. */
export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v.startsWith('zh')) return 'zh-CN';
  if (v.startsWith('en')) return 'en';
  return undefined;
}

/** The language from the environment: LC_ALL wins over LANG, as in POSIX; default English. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value && value !== 'C' && value !== 'POSIX') return parseLang(value) ?? 'en';
  }
  return 'en';
}
