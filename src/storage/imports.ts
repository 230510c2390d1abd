// The SQL of an import. Valid rows are first staged in a temporary table, then merged into the
// real table in one set-based statement. Staging is what makes the rest cheap and exact:
// - duplicate ids inside one file collapse on the stage's primary key (the last row wins);
// - orders and complaints for unknown customers are found with one anti-join, not a lookup per row;
// - inserted / updated / unchanged are counted with one join before the merge, so a re-import of
//   the same file writes nothing at all;
// - the real table is only touched inside the final transaction, so a killed import leaves it as it was.

import type { ImportKind } from '../domain/columns.js';
import { STORED_COLUMNS, type StoredValue } from '../domain/rows.js';
import type { Db } from './db.js';

const STAGE = 'temp.import_stage';
/** Rows per INSERT statement: one call into SQLite per hundred rows instead of per row. */
const ROWS_PER_STATEMENT = 100;

export interface StagedReject {
  line: number;
  raw: string;
  customerId: string;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportLogEntry {
  kind: ImportKind;
  file: string;
  sha256: string;
  encoding: string;
  delimiter: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  startedAt: string;
  finishedAt: string;
}

export class ImportStage {
  private readonly columns: readonly string[];
  private readonly insertOne: ReturnType<Db['prepare']>;
  private readonly insertMany: ReturnType<Db['prepare']>;
  private readonly pending: StoredValue[] = [];
  private pendingRows = 0;
  /** Rows handed to the stage, duplicates included. */
  staged = 0;

  /**
   * @param inFile the stored columns the export has (see columnsInFile): only those are compared
   *   and updated, so an export without an e-mail column does not wipe the e-mails already stored.
   */
  constructor(
    private readonly db: Db,
    readonly kind: ImportKind,
    private readonly inFile: readonly string[],
  ) {
    this.columns = STORED_COLUMNS[kind];
    const definitions = this.columns.map((c) => (c === 'id' ? 'id TEXT NOT NULL PRIMARY KEY' : c)).join(', ');
    db.exec(`DROP TABLE IF EXISTS ${STAGE}`);
    // WITHOUT ROWID: the rows are stored in id order, so dedupe needs no second index. Columns have
    // no declared type, hence no affinity: "00123" stays text, exactly as validated.
    db.exec(`CREATE TABLE ${STAGE} (line INTEGER NOT NULL, raw TEXT, ${definitions}) WITHOUT ROWID`);
    const rowPlaceholder = `(${new Array(this.columns.length + 2).fill('?').join(', ')})`;
    const head = `INSERT OR REPLACE INTO ${STAGE} (line, raw, ${this.columns.join(', ')}) VALUES `;
    this.insertOne = db.prepare(head + rowPlaceholder);
    this.insertMany = db.prepare(head + new Array(ROWS_PER_STATEMENT).fill(rowPlaceholder).join(', '));
  }

  /** Stages one valid row. `raw` is the original record (JSON), kept only where a later check may reject it. */
  add(line: number, raw: string | null, values: StoredValue[]): void {
    this.pending.push(line, raw, ...values);
    this.staged++;
    if (++this.pendingRows === ROWS_PER_STATEMENT) {
      this.insertMany.run(this.pending);
      this.pending.length = 0;
      this.pendingRows = 0;
    }
  }

  flush(): void {
    const width = this.columns.length + 2;
    for (let i = 0; i < this.pending.length; i += width) this.insertOne.run(this.pending.slice(i, i + width));
    this.pending.length = 0;
    this.pendingRows = 0;
  }

  /** Distinct ids staged. */
  distinct(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM ${STAGE}`).get() as { n: number }).n;
  }

  /** Removes and returns the staged orders or complaints whose customer is not in the database. */
  takeUnknownCustomers(): StagedReject[] {
    if (this.kind === 'customers') return [];
    const unknown = `NOT EXISTS (SELECT 1 FROM main.customers c WHERE c.id = s.customer_id)`;
    const rows = this.db
      .prepare(`SELECT line, raw, customer_id AS customerId FROM ${STAGE} s WHERE ${unknown} ORDER BY line`)
      .all() as StagedReject[];
    if (rows.length > 0) this.db.prepare(`DELETE FROM ${STAGE} AS s WHERE ${unknown}`).run();
    return rows;
  }

  /**
   * The value each updatable column takes when a row is updated, written in terms of the old row
   * `old` and the new one `new`. Columns the export has take the new value; `extra` (the export's
   * unclaimed columns) is merged key by key, so a column dropped from a later export is not lost.
   */
  private updates(old: string, incoming: string): { column: string; value: string }[] {
    const plain = this.inFile.filter((c) => c !== 'id').map((c) => ({ column: c, value: `${incoming}.${c}` }));
    const extra = `CASE WHEN ${incoming}.extra IS NULL THEN ${old}.extra ELSE json_patch(coalesce(${old}.extra, '{}'), ${incoming}.extra) END`;
    return [...plain, { column: 'extra', value: extra }];
  }

  /** SQL true when applying `incoming` would change `old`. */
  private differs(old: string, incoming: string): string {
    return this.updates(old, incoming)
      .map(({ column, value }) => `${old}.${column} IS NOT ${value}`)
      .join(' OR ');
  }

  /** How the merge will go: rows new to the table, rows that differ, rows already as they are. */
  counts(): MergeCounts {
    const table = `main.${this.kind}`;
    const differs = this.differs('t', 's');
    const row = this.db
      .prepare(
        `SELECT count(*) AS total,
                coalesce(sum(t.id IS NULL), 0) AS inserted,
                coalesce(sum(t.id IS NOT NULL AND (${differs})), 0) AS updated
           FROM ${STAGE} s LEFT JOIN ${table} t ON t.id = s.id`,
      )
      .get() as { total: number; inserted: number; updated: number };
    return { inserted: row.inserted, updated: row.updated, unchanged: row.total - row.inserted - row.updated };
  }

  /** Writes the staged rows into the real table: inserts new ids, updates changed rows, leaves the rest. */
  merge(importId: number): void {
    const table = `main.${this.kind}`;
    const columns = this.columns.join(', ');
    const sets = this.updates(this.kind, 'excluded').map(({ column, value }) => `${column} = ${value}`);
    const differs = this.differs(this.kind, 'excluded');
    // "WHERE true" is how SQLite tells an upsert's ON CONFLICT from a join's ON.
    this.db
      .prepare(
        `INSERT INTO ${table} (${columns}, import_id)
         SELECT ${columns}, ? FROM ${STAGE} WHERE true
         ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}, import_id = excluded.import_id
         WHERE ${differs}`,
      )
      .run(importId);
  }

  drop(): void {
    this.db.exec(`DROP TABLE IF EXISTS ${STAGE}`);
  }
}

export function startImportLog(db: Db, entry: ImportLogEntry): number {
  const result = db
    .prepare(
      `INSERT INTO imports (kind, file, sha256, encoding, delimiter, rows, inserted, updated, unchanged, rejected, duplicates, started_at, finished_at)
       VALUES (@kind, @file, @sha256, @encoding, @delimiter, @rows, @inserted, @updated, @unchanged, @rejected, @duplicates, @startedAt, @finishedAt)`,
    )
    .run(entry);
  return Number(result.lastInsertRowid);
}

export interface ImportLogRow extends ImportLogEntry {
  id: number;
}

export function listImports(db: Db): ImportLogRow[] {
  return db
    .prepare(
      `SELECT id, kind, file, sha256, encoding, delimiter, rows, inserted, updated, unchanged, rejected, duplicates,
              started_at AS startedAt, finished_at AS finishedAt
         FROM imports ORDER BY id`,
    )
    .all() as ImportLogRow[];
}

export function countRows(db: Db, kind: ImportKind): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${kind}`).get() as { n: number }).n;
}
