// followup.config.yaml: the team's settings. Read from --config FILE, else ./followup.config.yaml
// when present; with no file the built-in defaults apply. Unknown keys and wrong types are errors
// naming the key and line, because a typo silently ignored is a rule silently not applied.

import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, type Node } from 'yaml';
import { UserError } from './errors.js';
import { parseLang, t, type Lang } from '../messages/index.js';

export const CONFIG_FILE = 'followup.config.yaml';

export interface Config {
  /** The file it was read from, or null for the built-in defaults. */
  file: string | null;
  lang?: Lang;
  db?: string;
}

export function loadConfig(flag: string | undefined, cwd: string): Config {
  const file = flag ? path.resolve(cwd, flag) : path.resolve(cwd, CONFIG_FILE);
  if (!fs.existsSync(file)) {
    if (flag) throw new UserError('error.fileNotFound', { path: flag });
    return { file: null };
  }
  const text = fs.readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const where = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
  };
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new UserError('error.config', { path: `${file}:${first.linePos?.[0].line ?? 1}`, reason: first.message.split('\n')[0] });
  }
  const config: Config = { file };
  if (doc.contents === null) return config;
  if (!isMap(doc.contents)) throw new UserError('error.config', { path: file, reason: t('config.notMap') });
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    switch (key) {
      case 'lang': {
        const lang = typeof value === 'string' ? parseLang(value) : undefined;
        if (!lang) throw new UserError('error.config', { path: where(pair.value as Node), reason: t('config.lang') });
        config.lang = lang;
        break;
      }
      case 'db':
        if (typeof value !== 'string') throw new UserError('error.config', { path: where(pair.value as Node), reason: t('config.db') });
        config.db = path.resolve(path.dirname(file), value);
        break;
      default:
        throw new UserError('error.config', { path: where(pair.key as Node), reason: t('config.unknownKey', { key }) });
    }
  }
  return config;
}
