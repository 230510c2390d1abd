// The SQL of an import: valid rows are upserted straight into the real table, in batches, inside
// the one transaction the whole import is (so a killed import leaves the table as it was).
// - an upsert writes only when the row differs, so re-importing the same file writes nothing;
// - inserted = rows in the table after − before; updated = rows that existed before and now differ
//   (their pre-images are kept by a temp trigger);
// - duplicate ids inside the file are found with a temporary table of the ids seen so far, applied
//   after their first occurrence (the last row wins) and counted apart, so they never blur the
//   other counts;
// - a first load into an empty table needs neither: every distinct id is inserted;
// - a first load (or one bigger than the table) drops the secondary indexes and builds them once
//   at the end by a sort, which is several times faster than updating them row by row.
// Orders and complaints for unknown customers never get here: the reader rejects them (one lookup
// per batch), with their line and the original row.

import { availableParallelism } from 'node:os';
import type { ImportKind } from '../domain/columns.js';
import { STORED_COLUMNS, type StoredValue } from '../domain/rows.js';
import type { Db } from './db.js';

/** Rows per INSERT statement: one call into SQLite per hundred rows instead of per row. */
const ROWS_PER_STATEMENT = 100;

/** Helper threads SQLite's sorter may use to build an index (it stays within the machine's cores). */
export const SORTER_THREADS = Math.max(0, Math.min(3, availableParallelism() - 1));

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
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
  skipped: number;
  warnings: number;
  startedAt: string;
  finishedAt: string;
}

type Statement = ReturnType<Db['prepare']>;

export class ImportWriter {
  private readonly columns: readonly string[];
  private readonly table: string;
  private readonly upsertOne: Statement;
  private readonly upsertMany: Statement;
  private readonly seeOne: Statement | undefined;
  private readonly seeMany: Statement | undefined;
  private readonly before: number;
  private droppedIndexes: { name: string; sql: string }[] = [];
  /** Valid rows written, and how many of them had an id not seen before in this file. */
  private rows = 0;
  private distinct = 0;

  /**
   * Call inside the import's transaction.
   * @param inFile the stored columns the export has (see columnsInFile): only those are compared
   *   and updated, so an export without an e-mail column does not wipe the e-mails already stored.
   * @param expectedRows about how many rows the file has (from its size), to decide on the indexes.
   */
  constructor(
    private readonly db: Db,
    readonly kind: ImportKind,
    private readonly inFile: readonly string[],
    private readonly importId: number,
    expectedRows: number,
  ) {
    this.columns = STORED_COLUMNS[kind];
    this.table = `main.${kind}`;
    this.before = (db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number }).n;
    if (this.before < expectedRows) {
      this.droppedIndexes = secondaryIndexes(db, kind);
      for (const index of this.droppedIndexes) db.exec(`DROP INDEX main.${index.name}`);
    }

    const columns = this.columns.join(', ');
    const sets = this.updates(kind, 'excluded').map(({ column, value }) => `${column} = ${value}`);
    const row = `(${new Array(this.columns.length).fill('?').join(', ')}, ${Number(importId)})`;
    // Rows with the same id within one statement are applied in order, like across statements:
    // the last row of an id wins (an export lists newer rows later).
    // Into an empty table, a later row of an id replaces the earlier one outright (the last row wins,
    // as in an update): a plain insert costs less than an upsert (measured: 8.9 s against 10.4 s for
    // 3M orders), and only a duplicate inside the file takes the REPLACE path.
    const upsert = (rows: number) =>
      this.before === 0
        ? `INSERT OR REPLACE INTO ${this.table} (${columns}, import_id) VALUES ${new Array(rows).fill(row).join(', ')}`
        : `INSERT INTO ${this.table} (${columns}, import_id) VALUES ${new Array(rows).fill(row).join(', ')}
       ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}, import_id = excluded.import_id
       WHERE ${this.differs(kind, 'excluded')}`;
    this.upsertOne = db.prepare(upsert(1));
    this.upsertMany = db.prepare(upsert(ROWS_PER_STATEMENT));

    // Into an empty table (a first load) nothing can be updated or unchanged: every distinct id is
    // inserted and the rest of the rows are the file's duplicates. So neither the pre-images nor the
    // ids seen are needed, and skipping them saves two extra B-tree writes per row (measured: 4 s of
    // a 3M-order first load).
    if (this.before === 0) return;

    // The row as it was before this import, for every row the import updates (the first time only):
    // a temp trigger fires on real updates alone, so a load of new rows or of the same file costs
    // nothing here. Comparing these with the final rows counts "updated" exactly, even when an id
    // comes twice in the file (written by its first row, then back by its last). (The trigger tests for
    // an existing pre-image itself: an OR IGNORE inside a trigger yields to the outer statement's ABORT.)
    db.exec(`DROP TABLE IF EXISTS temp.import_before;
      CREATE TABLE temp.import_before AS SELECT * FROM ${this.table} WHERE 0;
      CREATE UNIQUE INDEX temp.import_before_by_id ON import_before (id);
      CREATE TEMP TRIGGER import_before_update BEFORE UPDATE ON ${this.table}
      BEGIN
        INSERT INTO import_before SELECT * FROM ${this.table}
         WHERE rowid = old.rowid AND NOT EXISTS (SELECT 1 FROM import_before b WHERE b.id = old.id);
      END;`);

    // The ids seen so far, to count the ones a file repeats: millions of short keys, in a temp file
    // with a cache big enough to hold them.
    db.pragma('temp.cache_size = -16384');
    db.exec('DROP TABLE IF EXISTS temp.import_seen; CREATE TABLE temp.import_seen (id TEXT PRIMARY KEY) WITHOUT ROWID');
    const see = (rows: number) => `INSERT OR IGNORE INTO temp.import_seen (id) VALUES ${new Array(rows).fill('(?)').join(', ')}`;
    this.seeOne = db.prepare(see(1));
    this.seeMany = db.prepare(see(ROWS_PER_STATEMENT));
  }

  /** Writes `rows` valid rows given as one flat array of their stored values, row after row. */
  addRows(values: StoredValue[], rows: number): void {
    const width = this.columns.length;
    const ids: string[] = new Array(ROWS_PER_STATEMENT);
    let r = 0;
    const seeMany = this.seeMany;
    const seeOne = this.seeOne;
    for (; r + ROWS_PER_STATEMENT <= rows; r += ROWS_PER_STATEMENT) {
      if (seeMany) {
        for (let i = 0; i < ROWS_PER_STATEMENT; i++) ids[i] = values[(r + i) * width] as string;
        this.distinct += seeMany.run(ids).changes;
      }
      this.upsertMany.run(values.slice(r * width, (r + ROWS_PER_STATEMENT) * width));
    }
    for (; r < rows; r++) {
      if (seeOne) this.distinct += seeOne.run(values[r * width] as string).changes;
      this.upsertOne.run(values.slice(r * width, (r + 1) * width));
    }
    this.rows += rows;
  }

  /** Rebuilds the indexes dropped for the load and returns the counts. Still inside the transaction. */
  finish(): MergeCounts {
    this.db.exec('DROP TRIGGER IF EXISTS temp.import_before_update');
    if (this.droppedIndexes.length > 0) {
      // Building an index is a sort: SQLite's sorter can share it with a helper thread (measured:
      // 6.2 s → 4.5 s for the two orders indexes over 3M rows on 2 cores).
      this.db.pragma(`threads = ${SORTER_THREADS}`);
      try {
        for (const index of this.droppedIndexes) this.db.exec(index.sql);
      } finally {
        this.db.pragma('threads = 0');
      }
    }
    this.droppedIndexes = [];
    const after = (this.db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number }).n;
    const inserted = after - this.before;
    // A first load made neither temp table.
    if (this.before === 0) return { inserted, updated: 0, unchanged: 0, duplicates: this.rows - inserted };
    // Rows that existed before (their pre-image was not written by this import) and now differ.
    const { updated } = this.db
      .prepare(
        `SELECT count(*) AS updated FROM temp.import_before b JOIN ${this.table} t ON t.id = b.id
          WHERE b.import_id IS NOT ? AND (${this.differs('b', 't')})`,
      )
      .get(this.importId) as { updated: number };
    this.db.exec('DROP TABLE IF EXISTS temp.import_seen; DROP TABLE IF EXISTS temp.import_before;');
    return { inserted, updated, unchanged: this.distinct - inserted - updated, duplicates: this.rows - this.distinct };
  }

  /**
   * The value each updatable column takes when a row is updated, written in terms of the old row
   * `old` and the new one `incoming`. Columns the export has take the new value; `extra` (the
   * export's unclaimed columns) is merged key by key, so a column dropped from a later export is kept.
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
}

/** The indexes of a table besides its primary key, with the SQL that creates each. */
export function secondaryIndexes(db: Db, table: string): { name: string; sql: string }[] {
  return db
    .prepare(`SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
    .all(table) as { name: string; sql: string }[];
}

export function startImportLog(db: Db, entry: ImportLogEntry): number {
  const result = db
    .prepare(
      `INSERT INTO imports (kind, file, sha256, encoding, delimiter, rows, inserted, updated, unchanged, rejected, duplicates, skipped, warnings, started_at, finished_at)
       VALUES (@kind, @file, @sha256, @encoding, @delimiter, @rows, @inserted, @updated, @unchanged, @rejected, @duplicates, @skipped, @warnings, @startedAt, @finishedAt)`,
    )
    .run(entry);
  return Number(result.lastInsertRowid);
}

/** A lookup of which ids are customers in the database: one query for a whole batch of orders. */
export function customerLookup(db: Db): (ids: string[]) => Set<string> {
  const statement = db
    .prepare(`SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM main.customers c WHERE c.id = value)`)
    .pluck();
  // An export lists a customer's orders together: each id is looked up once per batch.
  return (ids) => new Set(statement.all(JSON.stringify([...new Set(ids)])) as string[]);
}

/**
 * For all-digit customer ids not found: the stored id that is the same number with leading zeros
 * (123 → 000123), when exactly one is. Uses the partial index of zero-padded ids (migration 4).
 */
export function paddedCustomerLookup(db: Db): (ids: string[]) => Map<string, string> {
  const statement = db.prepare(
    `SELECT j.value AS given, min(c.id) AS id, count(*) AS n FROM json_each(?) j
       JOIN main.customers c ON ltrim(c.id, '0') = j.value AND c.id GLOB '0*'
      GROUP BY j.value`,
  );
  return (ids) => {
    const found = new Map<string, string>();
    for (const row of statement.all(JSON.stringify(ids)) as { given: string; id: string; n: number }[]) {
      if (row.n === 1) found.set(row.given, row.id);
    }
    return found;
  };
}

/** Whether any customer is stored: orders and complaints need them first. */
export function hasCustomers(db: Db): boolean {
  return db.prepare('SELECT 1 FROM main.customers LIMIT 1').get() !== undefined;
}

export function finishImportLog(db: Db, id: number, entry: ImportLogEntry): void {
  db.prepare(
    `UPDATE imports SET sha256 = @sha256, encoding = @encoding, delimiter = @delimiter, rows = @rows, inserted = @inserted,
            updated = @updated, unchanged = @unchanged, rejected = @rejected, duplicates = @duplicates, skipped = @skipped,
            warnings = @warnings, finished_at = @finishedAt
      WHERE id = @id`,
  ).run({ ...entry, id });
}
