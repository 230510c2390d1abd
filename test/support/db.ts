// An empty database in memory with the schema applied and the one import row that customer,
// order and complaint rows must point to: the start of every hand-built history.
import { openDatabase, type Db } from '../../src/storage/db.js';

export function historyDatabase(): Db {
  const db = openDatabase(':memory:', { create: true });
  db.prepare(
    `INSERT INTO imports (kind, file, sha256, encoding, delimiter, rows, inserted, updated, unchanged, rejected, duplicates, started_at, finished_at)
     VALUES ('customers', 't', 'x', 'utf8', 'comma', 0, 0, 0, 0, 0, 0, '2026-01-01', '2026-01-01')`,
  ).run();
  return db;
}
