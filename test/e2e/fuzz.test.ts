// The fuzz run in the suite (issue 12): a few hundred seeded hostile exports and argument sets
// against the built CLI. `npm run fuzz -- --files 1000` is the larger run.
import { describe, expect, it } from 'vitest';
import { fuzz, makeCases, problemsOf } from '../../src/tools/fuzz.js';

describe('fuzz', () => {
  it('holds on 200 hostile files, 100 argument sets and 60 configs: exit 0-2, no raw control characters, one line and an unchanged database on failure', async () => {
    const summary = await fuzz({ seed: 20261203, files: 200, args: 100, configs: 60, jobs: 3 });
    const bad = summary.outcomes.filter((o) => o.problems.length > 0).map((o) => ({ args: o.case.args, problems: o.problems, stderr: o.stderr.slice(0, 300) }));
    expect(bad).toEqual([]);
    expect(summary.cases).toBe(360);
    // The cases reach the paths that matter: refusals and usage errors as well as imports that work.
    expect(summary.exitCodes['0']).toBeGreaterThan(20);
    expect(summary.exitCodes['1']).toBeGreaterThan(20);
    expect(summary.exitCodes['2']).toBeGreaterThan(10);
  }, 600_000);

  it('is deterministic, and its checks catch what they are for', () => {
    expect(JSON.stringify(makeCases(7, 20, 20))).toBe(JSON.stringify(makeCases(7, 20, 20)));
    const c = makeCases(7, 1, 0)[0];
    const base = { case: c, signal: null, stdout: '', dbChanged: false };
    expect(problemsOf({ ...base, code: 1, stderr: 'one line\n' })).toEqual([]);
    expect(problemsOf({ ...base, code: 70, stderr: 'This is a bug in followup\n' })).toEqual(['exit code 70', 'reported as a bug']);
    expect(problemsOf({ ...base, code: 1, stderr: 'a\nb\n' })).toEqual(['2 lines on stderr']);
    expect(problemsOf({ ...base, code: 1, stderr: 'x\x1b]0;t\x07\n' })).toEqual(['raw control character on stderr']);
    expect(problemsOf({ ...base, code: 2, stderr: 'x\n', dbChanged: true })).toEqual(['database changed by a failed command']);
    expect(problemsOf({ ...base, code: null, signal: 'SIGKILL', stderr: '' })).toEqual(['killed by SIGKILL']);
  });
});
