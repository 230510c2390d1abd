-- The CRM's records as imported. Ids are the CRM's own (text), so a re-import of a newer export
-- updates the same rows. Dates are ISO-8601 text, money integer fen: both portable to PostgreSQL.
-- The big tables are ordinary rowid tables: rows are appended whatever order the export's ids come
-- in, and only the narrow primary-key index takes the random inserts (measured: a WITHOUT ROWID
-- table, whose wide rows live in the key's B-tree, loaded 3M orders in random id order 2x slower).
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('customers', 'orders', 'complaints')),
  file        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  encoding    TEXT NOT NULL,
  delimiter   TEXT NOT NULL,
  rows        INTEGER NOT NULL,
  inserted    INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  duplicates  INTEGER NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL
);

CREATE TABLE customers (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  phone          TEXT,               -- E.164, +8613800138000
  phone_raw      TEXT,               -- as the export wrote it
  email          TEXT,
  city           TEXT,
  signup_date    TEXT,               -- YYYY-MM-DD
  tier           TEXT,
  do_not_call    INTEGER NOT NULL DEFAULT 0 CHECK (do_not_call IN (0, 1)),
  preferred_time TEXT,
  extra          TEXT,               -- JSON object of the export's columns that no field claims
  import_id      INTEGER NOT NULL REFERENCES imports (id)
);

CREATE TABLE orders (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  ordered_at  TEXT NOT NULL,          -- YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, China time
  amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
  product     TEXT,
  channel     TEXT,
  extra       TEXT,
  import_id   INTEGER NOT NULL REFERENCES imports (id)
);
-- Covers segment computation (spend per customer and period) from the index alone.
CREATE INDEX orders_by_customer ON orders (customer_id, ordered_at, amount_fen);
-- The call list looks orders up by date window (7–15 days ago, about a month ago …).
CREATE INDEX orders_by_time ON orders (ordered_at, customer_id, amount_fen);

CREATE TABLE complaints (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  opened_at   TEXT NOT NULL,
  resolved_at TEXT,                   -- empty while the complaint is open
  status      TEXT,
  category    TEXT,
  description TEXT,
  extra       TEXT,
  import_id   INTEGER NOT NULL REFERENCES imports (id)
);
CREATE INDEX complaints_by_customer ON complaints (customer_id, opened_at);
