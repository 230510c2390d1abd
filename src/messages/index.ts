// One message catalog, two languages. Everything user-facing goes through t().
//
// The catalogs are written in TypeScript (en.ts, zh-CN.ts: the compiler checks that both have every
// id) and the build turns each into one JSON file (tools/catalogs.ts), which is read the first time
// a message in that language is needed: a command in English never loads the Chinese catalog, and
// one JSON file reads about five times faster than the eleven modules it is made from.
import { createRequire } from 'node:module';
import type { MessageId } from './en.js';
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
  return (catalogs[lang] ??= createRequire(import.meta.url)(`./${lang}.json`) as Catalog);
}

let current: Lang = 'en';

export function setLang(lang: Lang): void {
  current = lang;
}

export function currentLang(): Lang {
  return current;
}

export type Params = Record<string, string | number | null | undefined>;

/** The message `id` in the current language, with `{name}` placeholders filled from params. */
export function t(id: MessageId, params?: Params, lang: Lang = current): string {
  const template = catalog(lang)[id] ?? id;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    // A value from a file (a name, a header, a path) is shown on one line with its control characters visible.
    return value === undefined || value === null ? whole : typeof value === 'string' ? visible(value) : String(value);
  });
}

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
