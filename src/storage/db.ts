// Opening the database: the one file a team's data lives in.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../core/errors.js';
import { plainFileOrNothing } from '../core/files.js';
import { newScratchDir } from '../core/scratch.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';

export type Db = Database.Database;

import { mapSqliteError } from './location.js';

export { DEFAULT_DB_FILE, mapSqliteError, resolveDbPath } from './location.js';

export interface OpenOptions {
  /** Create the file (mode 0600) when it does not exist. */
  create?: boolean;
  /** Open without writing: no migrations are applied. */
  readonly?: boolean;
  /**
   * The command only reads: when the file (or its folder, or the filesystem) is read-only, open it
   * read-only instead of failing. A command that writes is told the file is read-only.
   */
  readOnlyFallback?: boolean;
  /** An empty file is taken as a new database (followup init); otherwise it is not a followup database. */
  emptyIsNew?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let readonly = options.readonly ?? false;
  if (file !== ':memory:') {
    prepareFile(file, options);
    if (!readonly && !writable(file)) {
      if (!options.readOnlyFallback) throw new UserError('file.readOnlyDb', { path: file });
      readonly = true;
    }
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: !options.create });
    if (readonly) db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    // A WAL database in a folder that cannot be written (a read-only disk, a CD, a locked share)
    // cannot be opened even read-only without its -shm file: read a private copy instead.
    if (readonly && options.readOnlyFallback && /^SQLITE_(CANTOPEN|READONLY)/.test(String((error as { code?: string }).code))) return openCopy(file);
    throw mapSqliteError(error, file, () => new UserError('error.dbOpen', { path: file, reason: (error as Error).message }));
  }
  try {
    configure(db, readonly);
    refuseForeign(db, file);
    migrate(db, file, readonly);
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file);
  }
  return db;
}

/**
 * A copy of the database `file` (with its WAL) in a new scratch folder, writable by its owner
 * only: what is read when SQLite cannot open the file where it is (a read-only folder).
 */
export function privateCopy(file: string, purpose: string): { dir: string; copy: string } {
  const dir = newScratchDir(purpose);
  const copy = path.join(dir, 'followup.db');
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    for (const f of [copy, `${copy}-wal`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600); // a copy of a 0444 file is 0444 too
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, copy };
}

/** A read-only database, read from a private copy in a scratch folder that goes when it is closed. */
function openCopy(file: string): Db {
  const { dir, copy } = privateCopy(file, 'read');
  try {
    const db = new Database(copy, { fileMustExist: true });
    configure(db, false);
    refuseForeign(db, file);
    migrate(db, file, true);
    const close = db.close.bind(db);
    db.close = () => {
      const closed = close();
      fs.rmSync(dir, { recursive: true, force: true });
      return closed;
    };
    return db;
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw mapSqliteError(error, file, () => new UserError('error.dbOpen', { path: file, reason: (error as Error).message }));
  }
}

/** Can this process change the file: the file, its folder (for the -wal and -shm files) and the filesystem? */
function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** An SQLite file with tables of its own and none of followup's is someone else's database: not migrated into. */
function refuseForeign(db: Db, file: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6").all() as { name: string }[]).map((r) => r.name);
  if (tables.length > 0 && !tables.includes('schema_migrations') && !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get()) {
    throw new UserError('file.dbForeign', { path: file, tables: tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '') });
  }
}

function prepareFile(file: string, options: OpenOptions): void {
  const stat = plainFileOrNothing(file, '--db', file, 'file.dbIsFolder');
  // SQLite takes an empty file for a new database: only init may start one in a file that exists.
  if (stat && stat.size === 0 && !options.emptyIsNew) throw new UserError('file.dbEmpty', { path: file });
  if (stat) return;
  if (!options.create) throw new UserError('error.fileNotFound', { path: file });
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new UserError('error.dbOpen', { path: file, reason: `folder ${dir} does not exist` });
  // Customer data: readable by its owner only. SQLite gives the -wal and -shm files the same mode.
  // 'wx' so two processes creating it at once cannot clobber each other.
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new UserError('error.dbOpen', { path: file, reason: (error as Error).message });
    }
  }
}

function configure(db: Db, readonly: boolean): void {
  // Several agents' processes share one file: WAL lets readers and one writer work at once, and
  // the busy timeout makes a writer wait its turn instead of failing with "database is locked".
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  if (!readonly) db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Large imports sort and stage in temporary tables: on disk, so memory stays flat.
  db.pragma('temp_store = FILE');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  // For tests of a full disk: the file may not grow past this many pages (SQLITE_FULL).
  const maxPages = Number(process.env.FOLLOWUP_TEST_MAX_PAGES);
  if (!readonly && Number.isInteger(maxPages) && maxPages > 0) db.pragma(`max_page_count = ${maxPages}`);
}

/** The page cache of a connection, in KiB: 32 MiB keeps the peak RSS of a 3M-row import under 300 MB. */
export const CACHE_KIB = 32768;

/** Applies the migrations this file has not had yet; refuses a file from a newer followup. */
function migrate(db: Db, file: string, readonly: boolean): void {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) {
    if (readonly) throw new UserError('file.dbNeedsMigration', { path: file });
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  }
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null } | undefined;
  const current = row?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new UserError('error.dbNewer', { path: file, found: current, known: SCHEMA_VERSION });
  }
  if (readonly) {
    if (current < SCHEMA_VERSION) throw new UserError('file.dbNeedsMigration', { path: file });
    return;
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // IMMEDIATE: two processes opening a fresh file at once must not both apply the same migration.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (again) return;
      db.exec(migration.sql());
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

/** How long one statement waits for another process's write lock: 10 s (FOLLOWUP_BUSY_TIMEOUT_MS for tests). */
function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.FOLLOWUP_BUSY_TIMEOUT_MS);
  return env.FOLLOWUP_BUSY_TIMEOUT_MS !== undefined && Number.isInteger(value) && value >= 0 ? value : 10000;
}

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: string }).code ?? ''));
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs a write and, while another process holds the write lock longer than the busy timeout (an
 * import of a big export holds it for its whole transaction), tries again instead of failing:
 * agents must never see "database is locked". `onWait` is told once, so the screen can say why it
 * pauses. Gives up (the error goes up) only after `maxWaitMs`. `fn` must be a whole transaction or
 * one statement, so that trying it again is safe.
 */
export function patiently<T>(fn: () => T, onWait?: () => void, maxWaitMs = 15 * 60_000): T {
  const start = Date.now();
  let told = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!isBusy(error) || Date.now() - start > maxWaitMs) throw error;
      if (!told) onWait?.();
      told = true;
      Atomics.wait(pause, 0, 0, Math.min(1000, 50 * 2 ** attempt));
    }
  }
}

