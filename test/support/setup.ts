// Before the unit tests: the TypeScript catalogs (the build's JSON ones are not beside the sources).
import { en } from '../../src/messages/en.js';
import { zhCN } from '../../src/messages/zh-CN.js';
import { useCatalogs } from '../../src/messages/index.js';

useCatalogs({ en, 'zh-CN': zhCN });

// The config cache (core/config-cache.ts) of the unit tests in a folder of their own, not ~/.cache.
process.env.XDG_CACHE_HOME = `${process.env.TMPDIR ?? '/tmp'}/followup-unit-cache-${process.getuid?.() ?? 0}`;
