// The SQL of an import: valid rows are upserted straight into the real table, in batches, inside
// the one transaction the whole import is (so a killed import leaves the table as it was).
// - an upsert writes only when the row differs, so re-importing the same file writes nothing;
// - inserted = rows in the table after − before; updated = the upserts' changes − inserted;
// - duplicate ids inside the file are found with a temporary table of the ids seen so far (one
//   multi-row INSERT … RETURNING per batch), applied after their first occurrence (the last row
//   wins) and counted apart, so they never blur the other counts;
// - a first load (or one bigger than the table) drops the secondary indexes and builds them once
//   at the end by a sort, which is several times faster than updating them row by row.
// Orders and complaints for unknown customers never get here: the reader rejects them (one lookup
// per batch), with their line and the original row.

import type { ImportKind } from '../domain/columns.js';
import { STORED_COLUMNS, type StoredValue } from '../domain/rows.js';
import type { Db } from './db.js';

/** Rows per INSERT statement: one call into SQLite per hundred rows instead of per row. */
const ROWS_PER_STATEMENT = 100;

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
  startedAt: string;
  finishedAt: string;
}

type Statement = ReturnType<Db['prepare']>;

export class ImportWriter {
  private readonly columns: readonly string[];
  private readonly table: string;
  private readonly upsertOne: Statement;
  private readonly upsertMany: Statement;
  private readonly seeOne: Statement;
  private readonly seeMany: Statement;
  private readonly seenBefore: Statement;
  private batch = 0;
  private readonly before: number;
  private droppedIndexes: { name: string; sql: string }[] = [];
  /** Valid rows written (first occurrences), their changes, and the repeated ids. */
  private rows = 0;
  private changes = 0;
  private duplicates = 0;

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
    importId: number,
    expectedRows: number,
  ) {
    this.columns = STORED_COLUMNS[kind];
    this.table = `main.${kind}`;
    this.before = (db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number }).n;
    if (this.before < expectedRows) {
      this.droppedIndexes = this.secondaryIndexes();
      for (const index of this.droppedIndexes) db.exec(`DROP INDEX main.${index.name}`);
    }

    const columns = this.columns.join(', ');
    const sets = this.updates(kind, 'excluded').map(({ column, value }) => `${column} = ${value}`);
    const row = `(${new Array(this.columns.length).fill('?').join(', ')}, ${Number(importId)})`;
    const upsert = (rows: number) =>
      `INSERT INTO ${this.table} (${columns}, import_id) VALUES ${new Array(rows).fill(row).join(', ')}
       ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}, import_id = excluded.import_id
       WHERE ${this.differs(kind, 'excluded')}`;
    this.upsertOne = db.prepare(upsert(1));
    this.upsertMany = db.prepare(upsert(ROWS_PER_STATEMENT));

    // The ids seen so far: millions of short keys, in a temp file with a cache big enough to hold them.
    db.pragma('temp.cache_size = -32768');
    db.exec('DROP TABLE IF EXISTS temp.import_seen; CREATE TABLE temp.import_seen (id TEXT PRIMARY KEY, batch INTEGER) WITHOUT ROWID');
    const see = (rows: number) => `INSERT OR IGNORE INTO temp.import_seen (id, batch) VALUES ${new Array(rows).fill('(?, ?)').join(', ')}`;
    this.seeOne = db.prepare(see(1));
    this.seeMany = db.prepare(see(ROWS_PER_STATEMENT));
    this.seenBefore = db
      .prepare('SELECT id FROM temp.import_seen WHERE id IN (SELECT value FROM json_each(?)) AND batch < ?')
      .pluck();
  }

  /** Writes `rows` valid rows given as one flat array of their stored values, row after row. */
  addRows(values: StoredValue[], rows: number): void {
    const width = this.columns.length;
    // Record the batch's ids as seen. When every one of them was new (the usual case: the number
    // inserted is the batch size) there is nothing more to do; otherwise (rare) find the repeats:
    // ids seen in an earlier batch, and ids that come twice within this one.
    const batch = ++this.batch;
    const ids: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) ids[r] = values[r * width] as string;
    let added = 0;
    let r = 0;
    const pairs: (string | number)[] = new Array(ROWS_PER_STATEMENT * 2);
    for (; r + ROWS_PER_STATEMENT <= rows; r += ROWS_PER_STATEMENT) {
      for (let i = 0; i < ROWS_PER_STATEMENT; i++) {
        pairs[2 * i] = ids[r + i];
        pairs[2 * i + 1] = batch;
      }
      added += this.seeMany.run(pairs).changes;
    }
    for (; r < rows; r++) added += this.seeOne.run([ids[r], batch]).changes;

    let firsts: StoredValue[] = values;
    let repeats: number[] = [];
    if (added < rows) {
      const seen = new Set<string>(this.seenBefore.all([JSON.stringify(ids), batch]) as string[]);
      firsts = [];
      for (let i = 0; i < rows; i++) {
        if (seen.has(ids[i])) repeats.push(i);
        else {
          seen.add(ids[i]);
          for (let c = 0; c < width; c++) firsts.push(values[i * width + c]);
        }
      }
    }
    const n = firsts.length / width;
    let i = 0;
    for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
      this.changes += this.upsertMany.run(firsts.slice(i * width, (i + ROWS_PER_STATEMENT) * width)).changes;
    }
    for (; i < n; i++) this.changes += this.upsertOne.run(firsts.slice(i * width, (i + 1) * width)).changes;
    this.rows += n;
    // A repeated id: its later row wins (the export lists newer rows later); not counted as an update.
    for (const at of repeats) this.upsertOne.run(values.slice(at * width, (at + 1) * width));
    this.duplicates += repeats.length;
    repeats = [];
  }

  /** Rebuilds the indexes dropped for the load and returns the counts. Still inside the transaction. */
  finish(): MergeCounts {
    for (const index of this.droppedIndexes) this.db.exec(index.sql);
    this.droppedIndexes = [];
    this.db.exec('DROP TABLE IF EXISTS temp.import_seen');
    const after = (this.db.prepare(`SELECT count(*) AS n FROM ${this.table}`).get() as { n: number }).n;
    const inserted = after - this.before;
    const updated = this.changes - inserted;
    return { inserted, updated, unchanged: this.rows - inserted - updated, duplicates: this.duplicates };
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

  private secondaryIndexes(): { name: string; sql: string }[] {
    return this.db
      .prepare(`SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(this.kind) as { name: string; sql: string }[];
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

/** A lookup of which ids are customers in the database: one query for a whole batch of orders. */
export function customerLookup(db: Db): (ids: string[]) => Set<string> {
  const statement = db
    .prepare(`SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM main.customers c WHERE c.id = value)`)
    .pluck();
  // An export lists a customer's orders together: each id is looked up once per batch.
  return (ids) => new Set(statement.all(JSON.stringify([...new Set(ids)])) as string[]);
}

export function finishImportLog(db: Db, id: number, entry: ImportLogEntry): void {
  db.prepare(
    `UPDATE imports SET sha256 = @sha256, encoding = @encoding, delimiter = @delimiter, rows = @rows, inserted = @inserted,
            updated = @updated, unchanged = @unchanged, rejected = @rejected, duplicates = @duplicates, finished_at = @finishedAt
      WHERE id = @id`,
  ).run({ ...entry, id });
}
