// One message catalog, two languages. Everything user-facing goes through t().
import { en, type MessageId } from './en.js';
import { zhCN } from './zh-CN.js';
import { visible } from '../core/visible.js';

export type { MessageId };
export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

const catalogs: Record<Lang, Record<MessageId, string>> = { en, 'zh-CN': zhCN };

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
  const template = catalogs[lang][id] ?? en[id] ?? id;
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
