// Where the database is, and what SQLite's failures mean to the user: kept apart from db.ts so that
// the program's top level (cli.ts) can use them without loading the database driver.
import path from 'node:path';
import { UserError } from '../core/errors.js';

export const DEFAULT_DB_FILE = 'followup.db';

/** --db, then $FOLLOWUP_DB, then the config's `db`, then ./followup.db. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv, configured?: string): string {
  // An empty FOLLOWUP_DB (FOLLOWUP_DB= in a script) is unset, not the current folder.
  return path.resolve(flag ?? (env.FOLLOWUP_DB || undefined) ?? configured ?? DEFAULT_DB_FILE);
}

/**
 * The world's faults that a user can act on become one-line UserErrors: a damaged or foreign file,
 * a busy or read-only database, a full disk (SQLite's own, or a file write's ENOSPC).
 */
export function mapSqliteError(error: unknown, file: string, otherwise?: () => unknown): unknown {
  const code = String((error as { code?: string })?.code ?? '');
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return new UserError('error.dbNotDatabase', { path: file });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new UserError('error.dbBusy', { path: file });
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return new UserError('file.readOnlyDb', { path: file });
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_SHMSIZE') return new UserError('file.noSpace', { path: file });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new UserError('file.noSpace', { path: (error as { path?: string }).path ?? file });
  return otherwise ? otherwise() : error;
}
