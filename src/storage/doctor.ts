// followup doctor's checks of a database file: what SQLite itself can say about it, read-only.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newScratchDir } from '../core/scratch.js';
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
    copyDir = newScratchDir('doctor');
    const copy = path.join(copyDir, 'followup.db');
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    db = new Database(copy, { fileMustExist: true });
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
