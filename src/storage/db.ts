// Opening the database: the one file a team's data lives in.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';

export type Db = Database.Database;

export const DEFAULT_DB_FILE = 'followup.db';

export interface OpenOptions {
  /** Create the file (mode 0600) when it does not exist. */
  create?: boolean;
  /** Open without writing: no migrations are applied. */
  readonly?: boolean;
}

/** --db, then $FOLLOWUP_DB, then the config's `db`, then ./followup.db. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv, configured?: string): string {
  return path.resolve(flag ?? env.FOLLOWUP_DB ?? configured ?? DEFAULT_DB_FILE);
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') prepareFile(file, options);
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: !options.create });
  } catch (error) {
    throw new UserError('error.dbOpen', { path: file, reason: (error as Error).message });
  }
  try {
    configure(db, options.readonly ?? false);
    migrate(db, file, options.readonly ?? false);
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file);
  }
  return db;
}

function prepareFile(file: string, options: OpenOptions): void {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UserError('error.fileIsDirectory', { path: file });
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
}

/** The page cache of a connection, in KiB: 32 MiB keeps the peak RSS of a 3M-row import under 300 MB. */
export const CACHE_KIB = 32768;

/** Applies the migrations this file has not had yet; refuses a file from a newer followup. */
function migrate(db: Db, file: string, readonly: boolean): void {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) {
    if (readonly) return;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  }
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null } | undefined;
  const current = row?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new UserError('error.dbNewer', { path: file, found: current, known: SCHEMA_VERSION });
  }
  if (readonly) return;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // IMMEDIATE: two processes opening a fresh file at once must not both apply the same migration.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (again) return;
      db.exec(migration.sql);
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

/** SQLite's own errors that a user can act on become one-line UserErrors. */
export function mapSqliteError(error: unknown, file: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new UserError('error.dbNotDatabase', { path: file });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new UserError('error.dbBusy', { path: file });
  return error;
}
