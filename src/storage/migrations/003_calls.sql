-- What agents record on a call: each answer as it is given, the issues the customer raised, and
-- how each attempt ended. A call row exists from the moment the agent says the customer was
-- reached (outcome still NULL, ended_at NULL: "in progress"), so answers saved one by one always
-- belong to a call and an interrupted call can be resumed. A call that was given up has ended_at
-- set and no outcome; the planner ignores it.
ALTER TABLE calls ADD COLUMN plan_date TEXT;                     -- the list it was made from
ALTER TABLE calls ADD COLUMN segments TEXT;                      -- the customer's segments on that list (JSON), for reports
ALTER TABLE calls ADD COLUMN duration_seconds INTEGER;           -- ended_at − started_at, kept by the triggers below
ALTER TABLE calls ADD COLUMN source TEXT NOT NULL DEFAULT 'screen'
  CHECK (source IN ('screen', 'file', 'sheet'));                  -- the call screen, --answers FILE, import calls
-- 1 on the attempt that used up the last allowed one: the item was closed as unreachable, and the
-- customer counts as contacted for the contact interval.
ALTER TABLE calls ADD COLUMN unreachable INTEGER NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1));
-- Copies of the two answers the monthly report reads for every call, kept by the triggers below
-- (call_answers stays the record): a month of 100,000 calls aggregates from calls alone.
ALTER TABLE calls ADD COLUMN satisfaction INTEGER;
ALTER TABLE calls ADD COLUMN nps INTEGER;
CREATE INDEX calls_by_agent ON calls (agent, started_at);
CREATE INDEX calls_by_item ON calls (plan_item_id);
-- Covers the report's six-month trend (completed calls and satisfaction by month) without the rows.
CREATE INDEX calls_by_time ON calls (started_at, outcome, satisfaction);

-- Why an item left the list for good: unreachable, refused, wrong-number, do-not-call.
ALTER TABLE plan_items ADD COLUMN result TEXT;
-- The process holding a claim, host:pid: on the same machine a claim whose process is gone is
-- known to be dead at once (the agent's next followup call offers to resume it).
ALTER TABLE plan_items ADD COLUMN claim_owner TEXT;
-- The customer's segments when planned (JSON array of ids): reports break calls down by them.
ALTER TABLE plan_items ADD COLUMN segments TEXT;

-- The number that reached the wrong person: the flag holds while the customer's phone is still it,
-- so a re-import with the corrected number clears it.
ALTER TABLE customer_flags ADD COLUMN wrong_phone TEXT;

CREATE TABLE call_answers (
  call_id     INTEGER NOT NULL REFERENCES calls (id),
  question_id TEXT NOT NULL,
  position    INTEGER NOT NULL,          -- the question's place in the script
  value       TEXT,                      -- JSON; NULL when the customer declined to answer
  answered_at TEXT NOT NULL,
  PRIMARY KEY (call_id, question_id)
);

-- julianday() is SQLite's; PostgreSQL will compute extract(epoch from ended_at - started_at).
CREATE TRIGGER calls_duration_on_insert AFTER INSERT ON calls WHEN NEW.ended_at IS NOT NULL
BEGIN
  UPDATE calls SET duration_seconds = CAST(round((julianday(NEW.ended_at) - julianday(NEW.started_at)) * 86400) AS INTEGER) WHERE id = NEW.id;
END;
CREATE TRIGGER calls_duration_on_end AFTER UPDATE OF ended_at, started_at ON calls
BEGIN
  UPDATE calls SET duration_seconds = CASE WHEN NEW.ended_at IS NULL THEN NULL
                                           ELSE CAST(round((julianday(NEW.ended_at) - julianday(NEW.started_at)) * 86400) AS INTEGER) END
   WHERE id = NEW.id;
END;
CREATE TRIGGER call_answers_copied_on_insert AFTER INSERT ON call_answers WHEN NEW.question_id IN ('satisfaction', 'nps')
BEGIN
  UPDATE calls SET satisfaction = CASE WHEN NEW.question_id = 'satisfaction' THEN CAST(NEW.value AS INTEGER) ELSE satisfaction END,
                   nps = CASE WHEN NEW.question_id = 'nps' THEN CAST(NEW.value AS INTEGER) ELSE nps END
   WHERE id = NEW.call_id;
END;
CREATE TRIGGER call_answers_copied_on_update AFTER UPDATE OF value ON call_answers WHEN NEW.question_id IN ('satisfaction', 'nps')
BEGIN
  UPDATE calls SET satisfaction = CASE WHEN NEW.question_id = 'satisfaction' THEN CAST(NEW.value AS INTEGER) ELSE satisfaction END,
                   nps = CASE WHEN NEW.question_id = 'nps' THEN CAST(NEW.value AS INTEGER) ELSE nps END
   WHERE id = NEW.call_id;
END;
CREATE TRIGGER call_answers_copied_on_delete AFTER DELETE ON call_answers WHEN OLD.question_id IN ('satisfaction', 'nps')
BEGIN
  UPDATE calls SET satisfaction = CASE WHEN OLD.question_id = 'satisfaction' THEN NULL ELSE satisfaction END,
                   nps = CASE WHEN OLD.question_id = 'nps' THEN NULL ELSE nps END
   WHERE id = OLD.call_id;
END;

-- A problem the customer raised on a call (问题记录), classified while on the call.
CREATE TABLE issues (
  id            INTEGER PRIMARY KEY,
  call_id       INTEGER REFERENCES calls (id),
  customer_id   TEXT NOT NULL REFERENCES customers (id),
  level1        TEXT NOT NULL,           -- product-function, product-quality, … (config issues.categories)
  level2        TEXT,
  priority      TEXT NOT NULL CHECK (priority IN ('P0', 'P1', 'P2')),
  words         TEXT NOT NULL,           -- the customer's own words and the situation
  happened_on   TEXT,                    -- YYYY-MM-DD
  expected      TEXT,                    -- the solution the customer expects
  mood          TEXT CHECK (mood IN ('calm', 'dissatisfied', 'anxious')),
  feedback_type TEXT CHECK (feedback_type IN ('praise', 'suggestion', 'complaint')),
  department    TEXT,
  due_working_days INTEGER,
  due_by        TEXT,                    -- YYYY-MM-DD: the deadline promised to the customer
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'closed')),
  reopened      INTEGER NOT NULL DEFAULT 0,
  resolved_at   TEXT,
  resolution    TEXT,
  closed_at     TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX issues_by_customer ON issues (customer_id, created_at);
CREATE INDEX issues_by_status ON issues (status, due_by);
CREATE INDEX issues_by_call ON issues (call_id);
