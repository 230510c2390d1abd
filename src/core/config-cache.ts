// The settings of a config file already read, kept between runs: parsing YAML is most of a short
// command's start-up (loading the parser and reading an 8 KB commented config cost about 90 ms of
// `followup segments`' 250), and a team's config changes once a month.
//
// An entry holds everything the result depends on, and is used only when all of it is the same: the
// file's path and bytes, the language of the messages, and this build of followup (the modification
// time of this module's compiled file, so a rebuild never meets the settings of an older one). Its
// name is a quick hash of them (node:crypto alone would cost 5 ms to load). Only a config that was
// read without an error is kept. Entries are 0600 in a 0700 folder (agents' names are in a config),
// at most MAX_ENTRIES of them; anything that goes wrong here is the same as no entry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';

const MAX_ENTRIES = 16;

/** $XDG_CACHE_HOME/followup, or ~/.cache/followup; none when FOLLOWUP_NO_CACHE is set. */
function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.FOLLOWUP_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.isAbsolute(base) ? path.join(base, 'followup') : undefined;
}

let build: string | undefined;
function buildStamp(): string {
  if (build === undefined) {
    try {
      build = String(fs.statSync(fileURLToPath(import.meta.url)).mtimeMs);
    } catch {
      build = '';
    }
  }
  return build;
}

interface Entry {
  build: string;
  file: string;
  lang: string;
  /** The config's bytes, base64. */
  source: string;
  settings: unknown;
}

/** FNV-1a, 32 bits, over the bytes and then the strings: a name for the entry, not a proof of it. */
function fnv1a(bytes: Uint8Array, ...strings: string[]): string {
  let hash = 0x811c9dc5;
  const add = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of bytes) add(byte);
  for (const text of strings) for (const byte of Buffer.from(`\0${text}`)) add(byte);
  return hash.toString(16).padStart(8, '0');
}

function entryFile(dir: string, file: string, bytes: Buffer, lang: string): string {
  return path.join(dir, `config-${fnv1a(bytes, buildStamp(), file, lang)}.json`);
}

export function cachedSettings<T>(file: string, bytes: Buffer, lang: string, env: NodeJS.ProcessEnv = process.env): T | undefined {
  const dir = cacheDir(env);
  if (!dir) return undefined;
  try {
    const entry = entryFile(dir, file, bytes, lang);
    const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
    // Only a plain file of this user's: never one someone else put there.
    if (!stat?.isFile() || stat.uid !== process.getuid?.()) return undefined;
    const kept = JSON.parse(fs.readFileSync(entry, 'utf8')) as Entry;
    const same = kept.build === buildStamp() && kept.file === file && kept.lang === lang && Buffer.from(kept.source, 'base64').equals(bytes);
    return same ? (kept.settings as T) : undefined;
  } catch {
    return undefined;
  }
}

export function keepSettings(file: string, bytes: Buffer, lang: string, settings: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const dir = cacheDir(env);
  if (!dir) return;
  try {
    const entryText = JSON.stringify({ build: buildStamp(), file, lang, source: bytes.toString('base64'), settings } satisfies Entry);
    // Settings that JSON cannot carry exactly (none today) are not kept.
    if (!isDeepStrictEqual((JSON.parse(entryText) as Entry).settings, settings)) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const entry = entryFile(dir, file, bytes, lang);
    const temp = `${entry}.${process.pid}.tmp`;
    fs.writeFileSync(temp, entryText, { mode: 0o600 });
    fs.renameSync(temp, entry);
    prune(dir);
  } catch {
    // A cache that cannot be written is no cache: the config was read all the same.
  }
}

/** The oldest entries past MAX_ENTRIES go (a config edited often leaves one entry per version). */
function prune(dir: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('config-'))
    .map((name) => ({ name, mtime: fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  if (entries.length <= MAX_ENTRIES) return;
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of entries.slice(MAX_ENTRIES)) fs.rmSync(path.join(dir, name), { force: true });
}
