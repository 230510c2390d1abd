// Agents side by side: several processes working one day's list in one database file at once,
// a long write (an import) holding the lock, and giving back what an agent holds.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, finished, plannedWorkspace, query, run, start, Terminal, type RunResult } from './helpers.js';
import { OUTCOME_LIST } from './screen.js';

const DATE = '2026-11-23';
const AGENTS = ['小王', '小李'];
const FAILURES = /database is locked|SQLITE_BUSY|SQLITE_LOCKED|bug/i;

let template: string;
const dirs: string[] = [];

beforeAll(() => {
  template = plannedWorkspace(DATE);
  dirs.push(template);
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function fresh(): { dir: string; db: string } {
  const dir = copyWorkspace(template);
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ outcome: 'completed', answers: { satisfaction: 5 } }));
  return { dir, db: path.join(dir, 'followup.db') };
}

const callArgs = (agent: string) => ['call', '--agent', agent, '--date', DATE, '--no-input', '--answers', 'a.json'];

interface Worker {
  agent: string;
  runs: RunResult[];
  /** How the loop ended: 'empty' when the list ran out ("Nothing left"), else what went wrong. */
  end: string;
}

/** One agent's process after another, until the agent's list is empty (exit 1, "Nothing left"). */
async function worker(dir: string, agent: string): Promise<Worker> {
  const runs: RunResult[] = [];
  for (let i = 0; i < 30; i++) {
    const result = await finished(start(callArgs(agent), { cwd: dir }));
    runs.push(result);
    if (result.code === 0) continue;
    if (result.code === 1 && result.stderr.includes('Nothing left')) return { agent, runs, end: 'empty' };
    return { agent, runs, end: `exit ${result.code}: ${result.stderr}` };
  }
  return { agent, runs, end: 'never ran out' };
}

describe('followup call: agents side by side', () => {
  it('8 processes of 2 agents work one list at once: every customer called once, by their agent', { timeout: 120_000 }, async () => {
    const { dir, db } = fresh();
    const items = query<{ id: number; agent: string }>(db, 'SELECT id, agent FROM plan_items WHERE plan_date = ?', DATE);
    expect(items).toHaveLength(26);
    expect(items.filter((i) => i.agent === '小王')).toHaveLength(13);
    expect(items.filter((i) => i.agent === '小李')).toHaveLength(13);

    // All started at once; each worker waits only for its own processes.
    const workers = await Promise.all(AGENTS.flatMap((agent) => [1, 2, 3, 4].map(() => worker(dir, agent))));

    for (const w of workers) {
      expect(w.end, `a ${w.agent} worker`).toBe('empty');
      for (const r of w.runs) {
        expect(r.stderr).not.toMatch(FAILURES);
        expect(r.stdout).not.toMatch(FAILURES);
      }
    }
    // What each process said it recorded: one call per item, for the agent that ran it.
    const recorded = workers.flatMap((w) => w.runs.filter((r) => r.code === 0).map((r) => ({ agent: w.agent, call: JSON.parse(r.stdout) })));
    expect(recorded).toHaveLength(26);
    for (const { agent, call } of recorded) expect(call.agent).toBe(agent);
    expect(new Set(recorded.map((r) => r.call.planItemId)).size).toBe(26);

    expect(query(db, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 26 }]);
    expect(query(db, 'SELECT count(DISTINCT plan_item_id) AS n FROM calls')).toEqual([{ n: 26 }]);
    expect(query(db, 'SELECT plan_item_id, count(*) AS n FROM calls GROUP BY plan_item_id HAVING n > 1')).toEqual([]);
    expect(query(db, 'SELECT status, count(*) AS n FROM plan_items WHERE plan_date = ? GROUP BY status', DATE)).toEqual([{ status: 'done', n: 26 }]);
    expect(query(db, "SELECT count(*) AS n FROM calls WHERE outcome = 'completed' AND source = 'file' AND ended_at IS NOT NULL")).toEqual([{ n: 26 }]);
    // Each call made by the agent whose list the customer is on.
    expect(query(db, 'SELECT k.id FROM calls k JOIN plan_items p ON p.id = k.plan_item_id WHERE k.agent IS NOT p.agent OR k.customer_id IS NOT p.customer_id')).toEqual([]);
    expect(query(db, 'SELECT count(*) AS n FROM call_answers')).toEqual([{ n: 26 }]);
  });

  it('waits for a write lock held longer than the busy timeout, and never shows "database is locked"', async () => {
    const { dir, db } = fresh();
    // Another process (an import, say) holds the write lock.
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    let committed = false;
    try {
      const child = start(callArgs('小王'), { cwd: dir, env: { FOLLOWUP_BUSY_TIMEOUT_MS: '200' } });
      const result = finished(child);
      let exited = false;
      void result.then(() => (exited = true));
      let stderr = '';
      child.stderr.on('data', (chunk: string) => (stderr += chunk));

      // Hold it until the command says it is waiting, then 3 s more: many busy timeouts over.
      const deadline = Date.now() + 20_000;
      while (!stderr.includes('Waiting for the database') && !exited && Date.now() < deadline) await sleep(50);
      expect(stderr).toContain('Waiting for the database');
      await sleep(3000);
      expect(exited).toBe(false); // still waiting, not failed
      expect(query(db, 'SELECT count(*) AS n FROM calls')).toEqual([{ n: 0 }]);
      holder.exec('COMMIT');
      committed = true;

      const done = await result;
      expect(done.code).toBe(0);
      expect(done.stderr).not.toMatch(FAILURES);
      expect(done.stderr.match(/Waiting for the database/g)).toHaveLength(1); // said once
      expect(JSON.parse(done.stdout)).toMatchObject({ agent: '小王', outcome: 'completed' });
      expect(query(db, "SELECT count(*) AS n FROM calls WHERE outcome = 'completed'")).toEqual([{ n: 1 }]);
    } finally {
      if (!committed) holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('--release gives back what the agent holds: the customer returns to the list, the open call ends, answers kept', async () => {
    const { dir, db } = fresh();
    const first = query<{ id: number; customer_id: string }>(
      db,
      "SELECT id, customer_id FROM plan_items WHERE plan_date = ? AND agent = '小王' ORDER BY urgent DESC, position, id LIMIT 1",
      DATE,
    )[0];
    // 小王's screen: the customer reached, satisfaction given, then the process dies.
    const term = new Terminal(['call', '--agent', '小王', '--date', DATE], { cwd: dir });
    try {
      await term.waitFor(OUTCOME_LIST);
      term.write('1\r');
      await term.waitFor('? (1/');
      term.write('3\r');
      await term.waitFor('✔ (1/');
      await term.waitFor('? (2/');
    } finally {
      term.kill('SIGKILL');
    }
    await term.exited;
    expect(query(db, 'SELECT status, claimed_by FROM plan_items WHERE id = ?', first.id)).toEqual([{ status: 'claimed', claimed_by: '小王' }]);
    const call = query<{ id: number }>(db, 'SELECT id FROM calls WHERE plan_item_id = ? AND outcome IS NULL AND ended_at IS NULL', first.id);
    expect(call).toHaveLength(1);

    // 小李 holds one too (claimed directly): --release for 小王 leaves it alone.
    const writer = new Database(db);
    const other = writer.prepare("SELECT id FROM plan_items WHERE plan_date = ? AND agent = '小李' ORDER BY position LIMIT 1").get(DATE) as { id: number };
    writer
      .prepare("UPDATE plan_items SET status = 'claimed', claimed_by = '小李', claimed_at = ?, claim_owner = 'elsewhere:1' WHERE id = ?")
      .run(new Date().toISOString(), other.id);
    writer.close();

    const released = run(['call', '--agent', '小王', '--date', DATE, '--release'], { cwd: dir });
    expect(released.code).toBe(0);
    expect(released.stderr).toContain('Released for 小王: 1 customer back on the list, 1 call in progress ended');
    expect(query(db, 'SELECT status, claimed_by, claim_owner FROM plan_items WHERE id = ?', first.id)).toEqual([
      { status: 'pending', claimed_by: null, claim_owner: null },
    ]);
    const ended = query<Record<string, unknown>>(db, 'SELECT * FROM calls WHERE id = ?', call[0].id)[0];
    expect(ended.outcome).toBeNull();
    expect(ended.ended_at).not.toBeNull();
    expect(query(db, 'SELECT question_id, value FROM call_answers WHERE call_id = ?', call[0].id)).toEqual([{ question_id: 'satisfaction', value: '3' }]);
    expect(query(db, 'SELECT status, claimed_by FROM plan_items WHERE id = ?', other.id)).toEqual([{ status: 'claimed', claimed_by: '小李' }]);
    expect(query(db, "SELECT count(*) AS n FROM plan_items WHERE status = 'claimed'")).toEqual([{ n: 1 }]);

    // Free again: the next call of 小王 is that customer.
    const next = run(callArgs('小王'), { cwd: dir });
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ planItemId: first.id, customerId: first.customer_id });
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
