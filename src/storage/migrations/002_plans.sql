-- The daily call lists and the calls made from them.
--
-- A plan item is one customer on one day's list (UNIQUE plan_date, customer_id: the most urgent
-- reason wins, the others are kept in `reasons`). Items keep their status across re-plans of the
-- same day, so re-running `followup plan` never duplicates or takes back work already claimed.
CREATE TABLE plan_items (
  id          INTEGER PRIMARY KEY,
  plan_date   TEXT NOT NULL,              -- YYYY-MM-DD: the day the call is on the list
  customer_id TEXT NOT NULL REFERENCES customers (id),
  scenario    TEXT NOT NULL,              -- after-sale, complaint-open, … (see config SCENARIO_IDS)
  urgent      INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  due_by      TEXT NOT NULL,              -- YYYY-MM-DD
  agent       TEXT,
  position    INTEGER NOT NULL,           -- order within the agent's list for the day, 1 first
  reasons     TEXT NOT NULL,              -- JSON: [{scenario, ref, params}], the winning reason first
  ref         TEXT,                       -- the order, complaint, call or issue behind the winning reason
  value_fen   INTEGER NOT NULL DEFAULT 0, -- the customer's 12-month spend when planned, for ordering
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'claimed', 'done', 'closed')),
  claimed_by  TEXT,
  claimed_at  TEXT,
  rolled_from TEXT,                       -- the plan date it was first planned for, when it did not fit
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (plan_date, customer_id)
);
CREATE INDEX plan_items_by_agent ON plan_items (plan_date, agent, status, position);
CREATE INDEX plan_items_by_customer ON plan_items (customer_id, plan_date);

-- Every attempt to reach a customer: the contact history the contact rules read.
CREATE TABLE calls (
  id           INTEGER PRIMARY KEY,
  plan_item_id INTEGER REFERENCES plan_items (id),
  customer_id  TEXT NOT NULL REFERENCES customers (id),
  agent        TEXT NOT NULL,
  scenario     TEXT NOT NULL,
  started_at   TEXT NOT NULL,             -- YYYY-MM-DDTHH:MM:SS
  ended_at     TEXT,
  outcome      TEXT CHECK (outcome IN ('completed', 'no-answer', 'busy', 'wrong-number', 'refused', 'callback', 'do-not-call')),
  callback_at  TEXT,                      -- the time the customer chose, for outcome callback
  notes        TEXT
);
CREATE INDEX calls_by_customer ON calls (customer_id, started_at);

-- What calls learned about a customer that a CRM re-import must not undo.
CREATE TABLE customer_flags (
  customer_id      TEXT PRIMARY KEY REFERENCES customers (id),
  do_not_call_at   TEXT,                  -- the customer asked on a call never to be called again
  wrong_number_at  TEXT                   -- the number reached someone else: the lead should fix it
);
