// Benchmark data for the monthly report: a month of call-list items, calls, answers and issues,
// made in SQL (a recursive counter) in a second or two. Not part of the program: the app's SQL
// lives in src/storage/; this is a fixture generator for `npm run bench`, like generate.ts.
// Deterministic: the same database and count give the same rows. Rows are written in time order,
// as a team's lists and calls are, day after day.
import Database from 'better-sqlite3';

const OUTCOMES = ['completed', 'completed', 'completed', 'completed', 'completed', 'no-answer', 'busy', 'callback', 'refused', 'wrong-number'];
const SCENARIOS = ['after-sale', 'complaint-resolved', 'churn-warning', 'vip-care', 'first-experience', 'usage-check', 'complaint-open'];
const SEGMENTS = ['["ordinary"]', '["vip"]', '["new"]', '["churn-risk","vip"]', '["complaint"]', '["ordinary","complaint"]'];
const LEVEL1 = ['product-function', 'product-quality', 'service-experience', 'logistics', 'after-sales', 'price-fees', 'other'];

const pick = (list: string[], expr: string) => `(CASE (${expr}) % ${list.length} ${list.map((v, i) => `WHEN ${i} THEN '${v}'`).join(' ')} END)`;

/** Adds `count` calls in `month` (YYYY-MM), one per item, items on 20 days of the month. */
export function seedMonth(file: string, month: string, count: number): void {
  const db = new Database(file);
  try {
    const customers = (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
    if (customers < count) throw new Error(`seedMonth: ${count} calls need as many customers, the database has ${customers}`);
    const stride = 7919; // a prime: i * stride mod N visits distinct customers for i < N when N is not a multiple of it
    db.exec('BEGIN');
    db.prepare(`CREATE TEMP TABLE seed AS
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @count - 1)
      SELECT i, (SELECT id FROM customers WHERE rowid = 1 + (i * ${stride}) % @customers) AS customer,
             @month || '-' || printf('%02d', 2 + i % 20) AS day FROM n`).run({ count, customers, month });
    db.prepare(`INSERT INTO plan_items (plan_date, customer_id, scenario, urgent, due_by, agent, position, reasons, value_fen, status, segments, created_at, updated_at)
      SELECT day, customer, ${pick(SCENARIOS, 'i')}, i % 9 = 0, day, ${pick(['小王', '小李', '小张', '小赵'], 'i / 7')}, i, '[]', 0,
             CASE WHEN i % 25 = 0 THEN 'pending' ELSE 'done' END, ${pick(SEGMENTS, 'i / 3')}, day, day
        FROM seed WHERE true ORDER BY day, i
      ON CONFLICT (plan_date, customer_id) DO NOTHING`).run();
    db.prepare(`INSERT INTO calls (plan_item_id, customer_id, agent, scenario, started_at, ended_at, outcome, plan_date, source, segments, duration_seconds)
      SELECT p.id, p.customer_id, p.agent, p.scenario, p.plan_date || 'T10:' || printf('%02d', s.i % 60) || ':00',
             p.plan_date || 'T10:' || printf('%02d', (s.i % 60)) || ':' || printf('%02d', 10 + s.i % 50), ${pick(OUTCOMES, 's.i / 11')}, p.plan_date, 'file', p.segments, 10 + s.i % 50
        FROM seed s JOIN plan_items p ON p.plan_date = s.day AND p.customer_id = s.customer
       WHERE p.status = 'done' ORDER BY p.plan_date, s.i`).run();
    const range = { from: `${month}-01`, until: `${month}-32` };
    db.prepare(`INSERT INTO call_answers (call_id, question_id, position, value, answered_at)
      SELECT id, 'satisfaction', 0, CASE WHEN id % 17 = 0 THEN NULL ELSE CAST(1 + (id * 7) % 5 AS TEXT) END, started_at FROM calls
       WHERE outcome = 'completed' AND started_at >= @from AND started_at < @until`).run(range);
    db.prepare(`INSERT INTO call_answers (call_id, question_id, position, value, answered_at)
      SELECT id, 'nps', 1, CAST((id * 3) % 11 AS TEXT), started_at FROM calls
       WHERE outcome = 'completed' AND id % 2 = 0 AND started_at >= @from AND started_at < @until`).run(range);
    db.prepare(`INSERT INTO issues (call_id, customer_id, level1, level2, priority, words, feedback_type, department, due_working_days, due_by,
                                    status, resolved_at, created_at)
      SELECT id, customer_id, ${pick(LEVEL1, 'id / 13')}, NULL, ${pick(['P0', 'P1', 'P1', 'P2'], 'id')}, 'seeded', ${pick(['complaint', 'suggestion', 'praise'], 'id')},
             'dept', 3, date(substr(started_at, 1, 10), '+4 days'), CASE WHEN id % 3 = 0 THEN 'open' ELSE 'resolved' END,
             CASE WHEN id % 3 = 0 THEN NULL ELSE date(substr(started_at, 1, 10), '+' || (id % 6) || ' days') END, started_at
        FROM calls WHERE outcome = 'completed' AND id % 10 = 0 AND started_at >= @from AND started_at < @until`).run(range);
    db.exec('DROP TABLE temp.seed; COMMIT');
  } finally {
    db.close();
  }
}
