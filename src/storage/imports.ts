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
    db.exec(`DROP TABLE IF EXISTS ${STAGE}`);
    // A plain append-only table: no key to maintain while millions of rows stream in. Columns have
    // no declared type, hence no affinity: "00123" stays text, exactly as validated.
    db.exec(`CREATE TABLE ${STAGE} (${this.columns.join(', ')})`);
    const rowPlaceholder = `(${new Array(this.columns.length).fill('?').join(', ')})`;
    const head = `INSERT INTO ${STAGE} (${this.columns.join(', ')}) VALUES `;
    this.insertOne = db.prepare(head + rowPlaceholder);
    this.insertMany = db.prepare(head + new Array(ROWS_PER_STATEMENT).fill(rowPlaceholder).join(', '));
  }

  /** Stages `rows` valid rows given as one flat array of their stored values, row after row. */
  addRows(values: StoredValue[], rows: number): void {
    const width = this.columns.length;
    let row = 0;
    for (; row + ROWS_PER_STATEMENT <= rows; row += ROWS_PER_STATEMENT) {
      this.insertMany.run(values.slice(row * width, (row + ROWS_PER_STATEMENT) * width));
    }
    for (; row < rows; row++) this.insertOne.run(values.slice(row * width, (row + 1) * width));
    this.staged += rows;
  }

  /**
   * Collapses ids that appear more than once in the file to their last row (the export lists
   * newer rows later) and returns how many rows were dropped that way.
   */
  dedupe(): number {
    // One sort, reused: counting distinct ids, finding the duplicates, and merging in id order.
    this.db.exec(`CREATE INDEX ${STAGE}_by_id ON import_stage (id)`);
    const distinct = (this.db.prepare(`SELECT count(*) AS n FROM (SELECT DISTINCT id FROM ${STAGE})`).get() as { n: number }).n;
    const duplicates = this.staged - distinct;
    if (duplicates > 0) {
      this.db.prepare(`DELETE FROM ${STAGE} WHERE rowid NOT IN (SELECT max(rowid) FROM ${STAGE} GROUP BY id)`).run();
    }
    return duplicates;
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
    // A first load (or one that more than doubles the table) is faster with the secondary indexes
    // built once afterwards, by a sort, than updated a row at a time in random order.
    const existing = (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const indexes = existing < this.staged ? this.secondaryIndexes() : [];
    for (const index of indexes) this.db.exec(`DROP INDEX main.${index.name}`);
    // "WHERE true" is how SQLite tells an upsert's ON CONFLICT from a join's ON. In id order, the
    // primary key index grows at its end instead of being split all over.
    this.db
      .prepare(
        `INSERT INTO ${table} (${columns}, import_id)
         SELECT ${columns}, ? FROM ${STAGE} WHERE true ORDER BY id
         ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}, import_id = excluded.import_id
         WHERE ${differs}`,
      )
      .run(importId);
    for (const index of indexes) this.db.exec(index.sql);
  }

  private secondaryIndexes(): { name: string; sql: string }[] {
    return this.db
      .prepare(`SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(this.kind) as { name: string; sql: string }[];
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

/** A lookup of which ids are customers in the database: one query for a whole batch of orders. */
export function customerLookup(db: Db): (ids: string[]) => Set<string> {
  const statement = db
    .prepare(`SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM main.customers c WHERE c.id = value)`)
    .pluck();
  return (ids) => new Set(statement.all(JSON.stringify(ids)) as string[]);
}
