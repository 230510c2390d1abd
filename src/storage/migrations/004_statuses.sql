-- What an export's statuses mean. A refunded, cancelled, closed or unpaid order is no purchase: it
-- triggers no call and counts toward no spend, order count or segment (`counts` = 0), but it is
-- kept, with the status as the export wrote it and its normalised state, so nothing is lost and a
-- later export that changes the status updates it. A ticket closed in the CRM without a resolution
-- time is resolved as of the best date its row offers, and `resolved_from` says which.
ALTER TABLE orders ADD COLUMN status TEXT;           -- as the export wrote it (订单状态 / 交易状态 …)
-- normalised: paid, shipped, completed, unpaid, refunding, refunded, cancelled, closed, other; NULL: no status given
ALTER TABLE orders ADD COLUMN state TEXT;
ALTER TABLE orders ADD COLUMN counts INTEGER NOT NULL DEFAULT 1 CHECK (counts IN (0, 1));
-- The covering indexes carry counts, so the spend and window queries still read the index alone.
DROP INDEX orders_by_customer;
CREATE INDEX orders_by_customer ON orders (customer_id, ordered_at, amount_fen, counts);
DROP INDEX orders_by_time;
CREATE INDEX orders_by_time ON orders (ordered_at, customer_id, amount_fen, counts);

-- complaints.status keeps the text as written; state is its meaning: open, resolved, closed; NULL: none given.
ALTER TABLE complaints ADD COLUMN state TEXT;
-- Where resolved_at came from when the row had no resolution time but a closed status:
-- 'updatedAt' (the row's last update), 'openedAt' (only the opening date); NULL: the export gave it.
ALTER TABLE complaints ADD COLUMN resolved_from TEXT;
ALTER TABLE complaints ADD COLUMN updated_at TEXT;   -- the row's last update (更新时间), when the export has it

-- An order for customer 123 when 000123 exists: Excel dropped the zeros. Only zero-padded ids are
-- indexed, so the look-up for unknown numeric ids stays cheap and the index small.
CREATE INDEX customers_by_unpadded ON customers (ltrim(id, '0')) WHERE id GLOB '0*';

-- The days whose list was made by followup plan: items parked on a day that was never planned are
-- on no list an agent saw, so the report does not count them as planned. A day with an item that
-- was not parked there (rolled_from NULL) was planned.
CREATE TABLE plan_runs (
  plan_date  TEXT PRIMARY KEY,
  planned_at TEXT NOT NULL
);
INSERT INTO plan_runs (plan_date, planned_at)
  SELECT plan_date, min(created_at) FROM plan_items WHERE rolled_from IS NULL GROUP BY plan_date;

-- Rows an import skipped on purpose (totals, footers, blank lines) and kept with a warning
-- (a customer without a usable phone): counted beside rejected.
ALTER TABLE imports ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
