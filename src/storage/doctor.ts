// followup doctor's checks of a database file: what SQLite itself can say about it, read-only.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { openDatabase, privateCopy } from './db.js';
import { SCHEMA_VERSION } from './migrations/index.js';

export type CheckId = 'file' | 'integrity' | 'foreignKeys' | 'schema' | 'permissions';
export type CheckState = 'ok' | 'fail' | 'note';

export interface DatabaseCheck {
  id: CheckId;
  state: CheckState;
  /** What is wrong, as a message id of doctor.detail.* and its values; absent when ok. */
  detail?: { id: 'notDatabase' | 'foreign' | 'problems' | 'newer' | 'older' | 'mode'; params: Record<string, string | number> };
  /** For the schema check: the version found and the one this followup knows. */
  found?: number;
  known?: number;
}

const SQLITE_HEADER = 'SQLite format 3\0';
/** How many problems integrity_check lists at most: the first says enough. */
const MAX_PROBLEMS = 100;

/** Runs the checks in order; stops after the first that makes the rest meaningless. */
export function checkDatabaseFile(file: string): DatabaseCheck[] {
  const checks: DatabaseCheck[] = [];
  const stat = fs.statSync(file);
  const mode = stat.mode & 0o777;
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (stat.size === 0 || head.toString('latin1') !== SQLITE_HEADER) {
    checks.push({ id: 'file', state: 'fail', detail: { id: 'notDatabase', params: {} } });
    return checks;
  }
  let db: Database.Database;
  let copyDir: string | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (!/^SQLITE_(CANTOPEN|READONLY)/.test(String((error as { code?: string }).code))) {
      checks.push({ id: 'file', state: 'fail', detail: { id: 'notDatabase', params: {} } });
      return checks;
    }
    // A WAL database in a folder that cannot be written: checked on a private copy.
    const copied = privateCopy(file, 'doctor');
    copyDir = copied.dir;
    db = new Database(copied.copy, { fileMustExist: true });
  }
  try {
    let version: number | null = null;
    try {
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
      if (!hasTable) {
        checks.push({ id: 'file', state: 'fail', detail: { id: 'foreign', params: {} } });
      } else {
        checks.push({ id: 'file', state: 'ok' });
        version = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      }
    } catch {
      checks.push({ id: 'file', state: 'fail', detail: { id: 'notDatabase', params: {} } });
      return checks;
    }
    checks.push(listCheck('integrity', () => (db.prepare(`PRAGMA integrity_check(${MAX_PROBLEMS})`).all() as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== 'ok')));
    checks.push(
      listCheck('foreignKeys', () =>
        (db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[]).map((r) => `${r.table} row ${r.rowid} → ${r.parent}`),
      ),
    );
    if (version !== null) {
      const schema: DatabaseCheck = { id: 'schema', state: 'ok', found: version, known: SCHEMA_VERSION };
      if (version > SCHEMA_VERSION) Object.assign(schema, { state: 'fail', detail: { id: 'newer', params: { found: version } } });
      else if (version < SCHEMA_VERSION) Object.assign(schema, { state: 'note', detail: { id: 'older', params: { found: version } } });
      checks.push(schema);
    }
  } finally {
    db.close();
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
  }
  checks.push(
    (mode & 0o077) === 0
      ? { id: 'permissions', state: 'ok' }
      : { id: 'permissions', state: 'note', detail: { id: 'mode', params: { mode: mode.toString(8).padStart(4, '0') } } },
  );
  return checks;
}

function listCheck(id: CheckId, problems: () => string[]): DatabaseCheck {
  let found: string[];
  try {
    found = problems();
  } catch (error) {
    found = [(error as Error).message];
  }
  return found.length === 0 ? { id, state: 'ok' } : { id, state: 'fail', detail: { id: 'problems', params: { count: found.length, first: found[0] } } };
}

export interface Salvage {
  /** Rows copied, by table. */
  copied: Record<string, number>;
  /** Tables some of whose rows could not be read. */
  damaged: string[];
}

/** Rows per read when a table cannot be read whole: a damaged page costs at most this many rows. */
const SALVAGE_CHUNK = 200;

/**
 * Saves what can still be read of `file` into a new followup database `target` (0600): the schema
 * comes from the migrations, the rows table by table without using any index (a damaged index is
 * rebuilt, not copied, which is why this is not VACUUM INTO), and a table that cannot be read whole
 * is read in small ranges of rowids, skipping the ranges on damaged pages.
 */
export function salvageInto(file: string, target: string): Salvage {
  const db = openDatabase(target, { create: true });
  const result: Salvage = { copied: {}, damaged: [] };
  try {
    db.pragma('foreign_keys = OFF');
    db.prepare('ATTACH DATABASE ? AS damaged').run(file);
    const tables = (db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    for (const table of tables) {
      const quoted = `"${table.replace(/"/g, '""')}"`;
      let columns: string[];
      try {
        const old = new Set((db.prepare(`PRAGMA damaged.table_info(${quoted})`).all() as { name: string }[]).map((c) => c.name));
        columns = (db.prepare(`PRAGMA main.table_info(${quoted})`).all() as { name: string }[]).map((c) => c.name).filter((c) => old.has(c));
      } catch {
        result.damaged.push(table);
        continue;
      }
      if (columns.length === 0) continue;
      const list = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
      const copy = `INSERT OR IGNORE INTO main.${quoted} (${list}) SELECT ${list} FROM damaged.${quoted} NOT INDEXED`;
      try {
        result.copied[table] = db.transaction(() => db.prepare(copy).run().changes)();
        continue;
      } catch {
        result.damaged.push(table);
      }
      let copied = 0;
      let max = 0;
      try {
        max = (db.prepare(`SELECT max(rowid) AS m FROM damaged.${quoted}`).get() as { m: number | null }).m ?? 0;
      } catch {
        max = 10_000_000; // the table's last page is damaged: try every range up to a bound
      }
      const ranged = db.prepare(`${copy} WHERE rowid >= ? AND rowid < ?`);
      for (let from = 0; from <= max; from += SALVAGE_CHUNK) {
        try {
          copied += ranged.run(from, from + SALVAGE_CHUNK).changes;
        } catch {
          // a damaged page: these rows are lost
        }
      }
      result.copied[table] = copied;
    }
    db.exec('DETACH DATABASE damaged');
  } finally {
    db.close();
  }
  fs.chmodSync(target, 0o600);
  return result;
}
