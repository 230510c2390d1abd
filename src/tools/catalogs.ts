// The build's last step (npm run build): each language's message catalog as one JSON file beside
// messages/index.js, which reads it when a message in that language is first needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { en } from '../messages/en.js';
import { zhCN } from '../messages/zh-CN.js';
import type { Catalog, Lang } from '../messages/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../messages');
const catalogs: Record<Lang, Catalog> = { en, 'zh-CN': zhCN };
for (const [lang, catalog] of Object.entries(catalogs)) {
  fs.writeFileSync(path.join(dir, `${lang}.json`), JSON.stringify(catalog) + '\n', { mode: 0o644 });
}
