// Hostile input and a hostile environment (issue 12): nothing lost, nothing injected, one clear line.
// Each test here failed before the fix it names.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { BIN, query, run, snapshot, Terminal, workspace, type RunResult } from './helpers.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const HEADER = '客户编号,客户姓名,手机号,注册时间,会员等级';
const sha = (file: string) => spawnSync('sha256sum', [file], { encoding: 'utf8' }).stdout.split(' ')[0];
const oneLine = (r: RunResult) => r.stderr.trimEnd().split('\n');

let base: string;
let baseDb: string;

beforeAll(() => {
  // One database with the demo's week in it, copied for each test that changes anything.
  base = workspace();
  const made = run(['demo', '--dir', 'demo'], { cwd: base });
  expect(made.code).toBe(0);
  baseDb = path.join(base, 'demo', 'followup.db');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/**
 * The CLI as user `uid` can run it: this checkout's, or (when the checkout is in a folder only root
 * can enter, such as /root) a copy in a temporary folder, node_modules hard-linked where it can be.
 */
function binFor(uid: number): string {
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(BIN)})`], { uid, gid: uid });
  if (probe.status === 0) return BIN;
  const root = path.resolve(path.dirname(BIN), '..');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-runtime-'));
  fs.chmodSync(copy, 0o755);
  for (const entry of ['bin', 'dist', 'scripts', 'fixtures', 'package.json']) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  const linked = spawnSync('cp', ['-al', path.join(root, 'node_modules'), path.join(copy, 'node_modules')]);
  if (linked.status !== 0) fs.cpSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), { recursive: true });
  spawnSync('chmod', ['-R', 'a+rX', copy]);
  return path.join(copy, 'bin', 'followup');
}

/** A fresh folder holding a copy of the demo's database and config. */
function copyDemo(): string {
  const dir = workspace();
  fs.copyFileSync(baseDb, path.join(dir, 'followup.db'));
  fs.copyFileSync(path.join(base, 'demo', 'followup.config.yaml'), path.join(dir, 'followup.config.yaml'));
  return dir;
}

describe('data loss', () => {
  it('refuses --rejects naming the export itself, before anything is written', () => {
    const dir = copyDemo();
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, `${HEADER}\nC1,张三,13800138000,2025-01-01,普通\nC2,,bad,2025-01-01,普通\n`);
    const before = sha(file);
    const dbBefore = snapshot(path.join(dir, 'followup.db'));
    const r = run(['import', 'customers', 'c.csv', '--rejects', 'c.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(oneLine(r)).toEqual(['--rejects c.csv is a file this command reads; writing it would destroy it. Give another file name; nothing was changed.']);
    expect(sha(file)).toBe(before);
    expect(snapshot(path.join(dir, 'followup.db'))).toBe(dbBefore);
    // A hard link to it is the same file.
    fs.linkSync(file, path.join(dir, 'link.csv'));
    expect(run(['import', 'customers', 'c.csv', '--rejects', 'link.csv'], { cwd: dir }).code).toBe(1);
    expect(sha(file)).toBe(before);
  });

  it('refuses --out naming the database or the config', () => {
    const dir = copyDemo();
    const before = sha(path.join(dir, 'followup.db'));
    for (const target of ['followup.db', 'followup.config.yaml']) {
      const r = run(['report', '--month', '2026-11', '--out', target, '--format', 'csv'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(oneLine(r)).toEqual([`--out ${target} is a file this command reads; writing it would destroy it. Give another file name; nothing was changed.`]);
    }
    expect(run(['plan', '--date', '2026-11-30', '--out', 'followup.db'], { cwd: dir }).code).toBe(1);
    // init --force never writes its config over the database.
    const init = run(['init', '--force', '--config', 'followup.db', '--lang', 'en', '--company', 'X'], { cwd: dir });
    expect(init.code).toBe(1);
    expect(init.stderr).toBe('--config followup.db is a file this command reads; writing it would destroy it. Give another file name; nothing was changed.\n');
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER}\nC1,,bad,2025-01-01,普通\n`);
    const config = run(['import', 'customers', 'c.csv', '--rejects', 'followup.config.yaml'], { cwd: dir });
    expect(config.stderr).toBe('--rejects followup.config.yaml is a file this command reads; writing it would destroy it. Give another file name; nothing was changed.\n');
    expect(sha(path.join(dir, 'followup.db'))).toBe(before);
  });

  it('keeps every column of an export, whatever its name (__proto__, constructor)', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER},__proto__,constructor,toString\nC1,张三,13800138000,2025-01-01,普通,a,b,c\n`);
    const r = run(['import', 'customers', 'c.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    const [row] = query<{ extra: string }>(path.join(dir, 'followup.db'), "SELECT extra FROM customers WHERE id = 'C1'");
    expect(Object.entries(JSON.parse(row.extra))).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
    ]);
    expect(r.stderr).toContain('"__proto__", "constructor", "toString"');
    // A repeated or blank header loses nothing either: the column number tells them apart.
    fs.writeFileSync(path.join(dir, 'd.csv'), `${HEADER},备注,备注,\nC2,李四,13800138001,2025-01-01,普通,a,b,c\n`);
    expect(run(['import', 'customers', 'd.csv'], { cwd: dir }).code).toBe(0);
    const [two] = query<{ extra: string }>(path.join(dir, 'followup.db'), "SELECT extra FROM customers WHERE id = 'C2'");
    expect(JSON.parse(two.extra)).toEqual({ 备注: 'a', '备注 (column 7)': 'b', 'column 8': 'c' });
  });

  it('never leaves a half-written rejects file in place of the last complete one', () => {
    const dir = copyDemo();
    const rejects = path.join(dir, 'c.rejects.csv');
    fs.writeFileSync(rejects, 'the last complete report\n');
    // Many rows, some rejected, into a database that fills up part-way: the import fails.
    const rows = Array.from({ length: 20000 }, (_, i) => (i % 50 === 0 ? `C${i},,bad,2025-01-01,普通` : `C${i},客户${i},1380013${String(i).padStart(4, '0')},2025-01-01,普通`));
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER}\n${rows.join('\n')}\n`);
    const r = run(['import', 'customers', 'c.csv'], { cwd: dir, env: { FOLLOWUP_TEST_MAX_PAGES: '80' } });
    expect(r.code).toBe(1);
    expect(fs.readFileSync(rejects, 'utf8')).toBe('the last complete report\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // And a complete one replaces it when the import is saved.
    expect(run(['import', 'customers', 'c.csv'], { cwd: dir }).code).toBe(0);
    expect(fs.readFileSync(rejects, 'utf8').split(/\r?\n/).length).toBeGreaterThan(400);
  });

  it('a kill part-way leaves the last complete rejects file, and the next import removes the leftover', async () => {
    const dir = copyDemo();
    const rejects = path.join(dir, 'c.rejects.csv');
    fs.writeFileSync(rejects, 'the last complete report\n');
    const rows = Array.from({ length: 300000 }, (_, i) => (i % 3 === 0 ? `C${i},,bad,2025-01-01,普通` : `C${i},客户${i},1380013${String(i % 10000).padStart(4, '0')},2025-01-01,普通`));
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER}\n${rows.join('\n')}\n`);
    const { start } = await import('./helpers.js');
    const child = start(['import', 'customers', 'c.csv'], { cwd: dir });
    // Killed once the new rejects file is being written.
    for (let i = 0; i < 600 && !fs.readdirSync(dir).some((f) => f.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(fs.readFileSync(rejects, 'utf8')).toBe('the last complete report\n');
    fs.writeFileSync(path.join(dir, 'd.csv'), `${HEADER}\nD1,,bad,2025-01-01,普通\n`);
    expect(run(['import', 'customers', 'd.csv', '--rejects', 'c.rejects.csv'], { cwd: dir }).code).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.readFileSync(rejects, 'utf8')).toContain('D1');
  });
});

describe('injection', () => {
  const hostileName = '\x1b]0;pwned\x07\x1b[2J王\r五\u202e';

  it('shows control characters in names, headers and file names as escapes, in every table and message', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER},"bad\x1b[31mcol\nx"\nC1,"${hostileName}",13800138000,2025-01-01,钻石会员,1\nC2,,13800138001,2025-01-01,普通,2\n`);
    const outputs: RunResult[] = [];
    outputs.push(run(['import', 'customers', 'c.csv'], { cwd: dir }));
    expect(outputs[0].code).toBe(0);
    // The unmapped header is named escaped, on one line.
    expect(outputs[0].stderr).toContain('bad\\x1b[31mcol\\nx');
    outputs.push(run(['customers', '--date', '2026-11-23'], { cwd: dir }));
    outputs.push(run(['explain', 'C1', '--date', '2026-11-23'], { cwd: dir }));
    outputs.push(run(['plan', '--date', '2026-11-23', '--force'], { cwd: dir }));
    outputs.push(run(['explain', 'C404\x1b]0;x\x07', '--date', '2026-11-23'], { cwd: dir }));
    outputs.push(run(['import', 'customers', 'no\x1b[2Jsuch.csv'], { cwd: dir }));
    for (const r of outputs) {
      expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    }
    expect(outputs[1].stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J王\\r五\\u202e');
    expect(outputs[4].stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(outputs[4].stderr).toContain('C404\\x1b]0;x\\x07');
    expect(outputs[5].stderr).toContain('no\\x1b[2Jsuch.csv');
  });

  it('writes a call list or a report to a terminal, a pipe or a file with control characters shown', async () => {
    const dir = copyDemo();
    const db = new Database(path.join(dir, 'followup.db'));
    db.prepare('UPDATE customers SET name = ?').run('\x1b]0;pwned\x07王');
    db.close();
    for (const args of [['plan', '--date', '2026-11-30', '--out', '-'], ['report', '--month', '2026-11', '--date', '2026-11-27', '--format', 'csv']]) {
      const term = new Terminal(args, { cwd: dir });
      expect((await term.exited).exitCode).toBe(0);
      expect(term.raw).not.toContain('\x1b]0;pwned');
    }
    const term = new Terminal(['plan', '--date', '2026-11-30', '--out', '-'], { cwd: dir });
    await term.exited;
    expect(term.raw).toContain('\\x1b]0;pwned\\x07王');
    // In the CSV itself (piped, or in a file that someone cats), control characters are escapes too.
    const piped = run(['plan', '--date', '2026-11-30', '--out', '-'], { cwd: dir });
    expect(piped.stdout).toContain('\\x1b]0;pwned\\x07王');
    expect(piped.stdout.replace(/\r\n/g, '')).not.toMatch(RAW_CONTROL);
  });

  it('neutralises formula cells in the rejects CSV, which imports again once fixed', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER},备注\nC1,=HYPERLINK("http://x"),+8613800138000,bad-date,普通,@SUM(A1)\n`);
    const r = run(['import', 'customers', 'c.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'c.rejects.csv'), 'utf8');
    const lines = text.split(/\r?\n/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain("'+8613800138000");
    expect(lines[1]).toContain("'@SUM(A1)");
    expect(text).not.toMatch(/(^|,)[=+@]/m);
    // The user fixes the date in Excel and imports the file again: the apostrophes come off.
    fs.writeFileSync(path.join(dir, 'fixed.csv'), text.replace('bad-date', '2025-01-01'));
    expect(run(['import', 'customers', 'fixed.csv'], { cwd: dir }).code).toBe(0);
    const [row] = query<{ name: string; phone: string }>(path.join(dir, 'followup.db'), "SELECT name, phone FROM customers WHERE id = 'C1'");
    expect(row).toEqual({ name: '=HYPERLINK("http://x")', phone: '+8613800138000' });
  });

  it('escapes HTML and Markdown in every value of the Markdown report', () => {
    const dir = copyDemo();
    const db = path.join(dir, 'followup.db');
    const evil = '<img src=x onerror=alert(1)>|**x**';
    spawnSync('node', ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});d.prepare("UPDATE calls SET agent=?").run(${JSON.stringify(evil)});d.close()`], { cwd: path.dirname(BIN) + '/..' });
    const r = run(['report', '--month', '2026-11', '--date', '2026-11-27', '--format', 'md'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;\\|\\*\\*x\\*\\*');
    // An agent with control characters in the name: shown as escapes in the text and Markdown reports.
    spawnSync('node', ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});d.prepare("UPDATE calls SET agent=?").run("\\x1b]0;pwned\\x07");d.close()`], { cwd: path.dirname(BIN) + '/..' });
    for (const format of ['text', 'md']) {
      const shown = run(['report', '--month', '2026-11', '--date', '2026-11-27', '--format', format], { cwd: dir });
      expect(shown.stdout).not.toMatch(RAW_CONTROL);
      // Markdown escapes the backslash of the escape too, so that it renders as \x1b.
      expect(shown.stdout).toContain(format === 'md' ? '\\\\x1b\\]0;pwned\\\\x07' : '\\x1b]0;pwned\\x07');
    }
  });

  it('refuses a device, a FIFO, a folder or a symbolic link as --out, --rejects or --db; - and /dev/stdout are standard output', () => {
    const dir = copyDemo();
    fs.mkdirSync(path.join(dir, 'folder'));
    spawnSync('mkfifo', [path.join(dir, 'fifo')]);
    fs.symlinkSync('/etc/passwd', path.join(dir, 'link.csv'));
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER}\nC1,,bad,2025-01-01,普通\n`);
    const before = snapshot(path.join(dir, 'followup.db'));
    const cases: [string[], RegExp][] = [
      [['plan', '--date', '2026-11-30', '--out', '/dev/null'], /^--out \/dev\/null is a device, not a file/],
      [['plan', '--date', '2026-11-30', '--out', 'fifo'], /^--out fifo is a pipe \(FIFO\)/],
      [['plan', '--date', '2026-11-30', '--out', 'folder'], /^--out folder is a folder, not a file/],
      [['plan', '--date', '2026-11-30', '--out', 'link.csv'], /^--out link.csv is a symbolic link \(to \/etc\/passwd\)/],
      [['report', '--month', '2026-11', '--out', 'link.csv'], /^--out link.csv is a symbolic link/],
      [['import', 'customers', 'c.csv', '--rejects', '/dev/null'], /^--rejects \/dev\/null is a device/],
      [['import', 'customers', 'c.csv', '--rejects', 'fifo'], /^--rejects fifo is a pipe/],
      [['import', 'customers', 'c.csv', '--rejects', 'link.csv'], /^--rejects link.csv is a symbolic link/],
      [['--db', '/dev/null', 'segments'], /^--db \/dev\/null is a device/],
      [['--db', 'fifo', 'segments'], /^--db .*fifo is a pipe/],
      [['--db', 'link.csv', 'segments'], /^--db .*link.csv is a symbolic link/],
    ];
    for (const [args, message] of cases) {
      const r = run(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(oneLine(r), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.readFileSync('/etc/passwd', 'utf8')).toContain('root');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(snapshot(path.join(dir, 'followup.db'))).toBe(before);
    // A report or a call list to standard output.
    const md = run(['report', '--month', '2026-11', '--date', '2026-11-27', '--out', '-', '--format', 'md'], { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# /);
    const csv = run(['plan', '--date', '2026-11-30', '--out', '/dev/stdout'], { cwd: dir });
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith('\ufeff')).toBe(true);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
  });
});

describe('files readable by their owner only', () => {
  it('creates every file 0600 and every folder 0700 whatever the umask, and makes a replaced file 0600', () => {
    const dir = workspace();
    const sh = (command: string) => spawnSync('sh', ['-c', `umask 000; ${command}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const cli = `"${process.execPath}" "${BIN}"`;
    expect(sh(`${cli} init --lang en --company X`).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'bad.csv'), `${HEADER}\nC1,,bad,2025-01-01,普通\n`);
    expect(sh(`${cli} import customers fixtures/customers.csv && ${cli} import customers bad.csv`).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'old.html'), 'old', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'old.html'), 0o644);
    expect(sh(`${cli} plan --date 2026-11-23 --out list.csv && ${cli} report --month 2026-11 --out old.html && ${cli} report --month 2026-11 --out r.xlsx && ${cli} demo --dir d`).status).toBe(0);
    const files = ['followup.db', 'followup.db-wal', 'followup.db-shm', 'followup.config.yaml', 'bad.rejects.csv', 'list.csv', 'old.html', 'r.xlsx'];
    for (const file of files) {
      if (!fs.existsSync(path.join(dir, file))) continue; // -wal and -shm go when the last connection closes
      expect((fs.statSync(path.join(dir, file)).mode & 0o777).toString(8), file).toBe('600');
    }
    expect(fs.existsSync(path.join(dir, 'followup.db'))).toBe(true);
    expect((fs.statSync(path.join(dir, 'd')).mode & 0o777).toString(8)).toBe('700');
    for (const file of fs.readdirSync(path.join(dir, 'd'))) expect((fs.statSync(path.join(dir, 'd', file)).mode & 0o777).toString(8), file).toBe('600');
  });
});

describe("the world's faults: one clear line", () => {
  it('reads a read-only database, and says so to a command that writes', () => {
    const dir = copyDemo();
    const db = path.join(dir, 'followup.db');
    const before = sha(db);
    // Root can write anything: the commands run as nobody, on files nobody may only read.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) spawnSync('chown', ['-R', '65534:65534', dir]);
    fs.chmodSync(db, 0o444);
    fs.chmodSync(dir, 0o555);
    const bin = asRoot ? binFor(65534) : BIN;
    const as = (args: string[]) => {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', LANG: 'C', HOME: dir, TMPDIR: os.tmpdir() },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    try {
      for (const args of [['segments', '--date', '2026-11-23'], ['issues', '--status', 'all'], ['report', '--month', '2026-11', '--format', 'json'], ['calls', '--date', '2026-11-27'], ['doctor']]) {
        const r = as(args);
        expect(r.stderr, args.join(' ')).toBe('');
        expect(r.code, args.join(' ')).toBe(0);
      }
      for (const args of [['plan', '--date', '2026-11-30'], ['import', 'customers', 'fixtures/customers.csv', '--rejects', '/tmp/never.csv']]) {
        const r = as(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toBe(`The database ${db} is read-only, so it cannot be changed. Make it writable (chmod u+w ${db}) or copy it to a writable folder and use --db; nothing was changed.\n`);
      }
    } finally {
      fs.chmodSync(dir, 0o755);
      if (bin !== BIN) fs.rmSync(path.resolve(path.dirname(bin), '..'), { recursive: true, force: true });
    }
    expect(sha(db)).toBe(before);
  });

  it('says "no space left" when the disk fills during an import or a plan, and changes nothing', () => {
    const dir = copyDemo();
    const db = path.join(dir, 'followup.db');
    const rows = Array.from({ length: 20000 }, (_, i) => `N${i},客户${i},1380013${String(i % 10000).padStart(4, '0')},2025-01-01,普通`);
    fs.writeFileSync(path.join(dir, 'c.csv'), `${HEADER}\n${rows.join('\n')}\n`);
    const before = snapshot(db);
    const pages = String(Math.ceil(fs.statSync(db).size / 4096) + 2);
    for (const args of [['import', 'customers', 'c.csv'], ['--lang', 'zh-CN', 'import', 'customers', 'c.csv']]) {
      const r = run(args, { cwd: dir, env: { FOLLOWUP_TEST_MAX_PAGES: pages } });
      expect(r.code).toBe(1);
      expect(oneLine(r)).toHaveLength(1);
      expect(r.stderr).not.toContain('rollback');
      expect(r.stderr).toMatch(/^(No space left on .*followup\.db: nothing was changed\.|.*followup\.db 所在磁盘空间已满：未做任何更改。)/);
    }
    expect(snapshot(db)).toBe(before);
    // Not one page more for the plan.
    const plan = run(['plan', '--date', '2026-11-30'], { cwd: dir, env: { FOLLOWUP_TEST_MAX_PAGES: String(Math.ceil(fs.statSync(db).size / 4096)) } });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/^No space left on .*followup\.db: nothing was changed\./);
    expect(query(db, "SELECT count(*) AS n FROM plan_items WHERE plan_date = '2026-11-30'")).toEqual([{ n: 0 }]);
  });

  it('refuses dates outside the supported years as usage errors', () => {
    const dir = copyDemo();
    const cases: [string[], string][] = [
      [['plan', '--date', '9999-12-31'], '--date 9999-12-31 is outside the years followup supports (2000–2099). Give a date in those years.'],
      [['segments', '--date', '0001-01-01'], '--date 0001-01-01 is outside the years followup supports (2000–2099). Give a date in those years.'],
      [['report', '--month', '9999-12'], '--month 9999-12 is outside the years followup supports (2000–2099). Give a date in those years.'],
      [['issues', '--date', '2100-01-01'], '--date 2100-01-01 is outside the years followup supports (2000–2099). Give a date in those years.'],
    ];
    for (const [args, message] of cases) {
      const r = run(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(message + '\n');
    }
  });

  it('refuses a config value out of range when the config is read, with its file and line', () => {
    const dir = copyDemo();
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'issues:\n  dueWorkingDays:\n    P0: 100000000\n');
    const r = run(['--config', 'big.yaml', 'segments'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('big.yaml:3: issues.dueWorkingDays.P0 is 100000000, more than the most it can be (250).\n');
    fs.mkdirSync(path.join(dir, 'team'));
    expect(run(['--config', 'team', 'segments'], { cwd: dir }).stderr).toBe('--config team is a folder, not a file. Give the path of a file (in it, or elsewhere).\n');
    fs.writeFileSync(path.join(dir, 'far.yaml'), 'calendar:\n  holidays: [9999-12-31]\n');
    const far = run(['--config', 'far.yaml', 'segments'], { cwd: dir });
    expect(far.code).toBe(1);
    expect(far.stderr).toMatch(/^far\.yaml:2: calendar\.holidays\[1\] is "9999-12-31", outside the years followup supports \(2000–2099\)\.\n$/);
  });

  it('names a field too large with its true size and line, and a header with control characters on one line', () => {
    const dir = workspace();
    const big = 'x'.repeat(30 * 1024 * 1024);
    fs.writeFileSync(path.join(dir, 'quoted.csv'), `${HEADER},备注\nC1,张三,13800138000,2025-01-01,普通,ok\nC2,李四,13800138001,2025-01-01,普通,"${big}"\n`);
    fs.writeFileSync(path.join(dir, 'plain.csv'), `${HEADER},备注\nC1,张三,13800138000,2025-01-01,普通,${big}\n`);
    const quoted = run(['import', 'customers', 'quoted.csv'], { cwd: dir });
    expect(quoted.code).toBe(1);
    expect(quoted.stderr).toBe('quoted.csv: the field that starts on line 3 is larger than 2 MB (30.0 MB); no real export has one so large. Check that the file is the CSV export, and split any huge cell.\n');
    const plain = run(['import', 'customers', 'plain.csv'], { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^plain\.csv: line 2 is longer than 2 MB without a line break \(30\.0 MB\)/);
    // A quote opened and never closed, swallowing the rest of a big file, is named as such.
    const rows = Array.from({ length: 200000 }, (_, i) => `C${i},客户${i},13800138000,2025-01-01,普通,ok`);
    rows[5] = 'C5,"王,13800138000,2025-01-01,普通,ok';
    fs.writeFileSync(path.join(dir, 'stray.csv'), `${HEADER},备注\n${rows.join('\n')}\n`);
    const stray = run(['import', 'customers', 'stray.csv'], { cwd: dir });
    expect(stray.code).toBe(1);
    expect(stray.stderr).toBe('stray.csv: a quoted field that starts on line 7 is never closed. Check that line for a stray " character.\n');
    expect(fs.existsSync(path.join(dir, 'followup.db'))).toBe(false);
  });
});

describe('bounded resources', () => {
  it('stops on /dev/zero, an endless stream or a 20,000-level config with a clear error, within 512 MB', () => {
    const dir = workspace();
    const env = { NODE_OPTIONS: '--max-old-space-size=512' };
    const zero = run(['import', 'customers', '/dev/zero'], { cwd: dir, env });
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/^zero: line 1 is longer than 2 MB without a line break/);
    const endless = spawnSync('sh', ['-c', `yes 'C1,张三,13800138000,' | tr -d '\\n' | "${process.execPath}" "${BIN}" import customers -`], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    expect(endless.status).toBe(1);
    expect(endless.stderr).toMatch(/^stdin: line 1 is longer than 2 MB/);
    fs.writeFileSync(path.join(dir, 'deep.yaml'), 'a: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n');
    let block = '';
    for (let i = 0; i < 300; i++) block += ' '.repeat(i) + `k${i}:\n`;
    fs.writeFileSync(path.join(dir, 'deep2.yaml'), block);
    // Lists in lists on one line: 20,000 levels in 40 KB (this one ran out of memory before).
    fs.writeFileSync(path.join(dir, 'deep3.yaml'), '- '.repeat(20000) + 'x\n');
    for (const file of ['deep.yaml', 'deep2.yaml', 'deep3.yaml']) {
      const r = run(['--config', file, 'segments'], { cwd: dir, env });
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+: settings nested more than 32 levels deep`));
    }
    // Many unknown keys: the first is named, at once (the parser's quadratic duplicate check is off).
    fs.writeFileSync(path.join(dir, 'many.yaml'), Array.from({ length: 60000 }, (_, i) => `k${i}: 1`).join('\n'));
    const many = run(['--config', 'many.yaml', 'segments'], { cwd: dir, env });
    expect(many.code).toBe(1);
    expect(many.stderr).toMatch(/^many\.yaml:1: unknown setting "k0"/);
    // A device as the config or the answers file is read only up to its bound.
    const zeroConfig = run(['--config', '/dev/zero', 'segments'], { cwd: dir, env });
    expect(zeroConfig.code).toBe(1);
    expect(zeroConfig.stderr).toBe('/dev/zero is > 1 MB; a followup config is a few KB. Check that --config names the config file.\n');
    fs.writeFileSync(path.join(dir, 'dup.yaml'), 'lang: en\nlang: zh-CN\n');
    expect(run(['--config', 'dup.yaml', 'segments'], { cwd: dir }).stderr).toMatch(/^dup\.yaml:2: .*lang/);
  }, 300_000);
});

describe('damaged databases', () => {
  it('takes a 0-byte --db for "not a followup database" except for init, and refuses a foreign SQLite file', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'empty.db'), '');
    for (const args of [['segments'], ['import', 'customers', 'fixtures/customers.csv'], ['plan']]) {
      const r = run(['--db', 'empty.db', ...args], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/empty\.db is an empty file, not a followup database\. Run followup init --db/);
      expect(fs.statSync(path.join(dir, 'empty.db')).size).toBe(0);
    }
    spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D('other.db');d.exec('CREATE TABLE invoices(id)');d.close()`], { cwd: dir, env: { ...process.env, NODE_PATH: path.join(path.dirname(BIN), '..', 'node_modules') } });
    const foreign = run(['--db', 'other.db', 'import', 'customers', 'fixtures/customers.csv'], { cwd: dir });
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/other\.db is an SQLite database, but not a followup one \(it has tables invoices\)/);
    expect(run(['--db', 'empty.db', 'init', '--lang', 'en', '--company', 'X'], { cwd: dir }).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'empty.db')).size).toBeGreaterThan(0);
  });

  it('followup doctor says what is wrong and what to do; the next plan removes scratch folders left by a killed one', () => {
    const dir = copyDemo();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-tmp-'));
    const env = { TMPDIR: tmp };
    const healthy = run(['doctor'], { cwd: dir, env });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('No problems found.');
    // A plan killed part-way left its scratch folder (its process is gone).
    const stale = path.join(tmp, `followup-${process.getuid?.() ?? os.userInfo().username}`, 'plan-999999-abc');
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(path.join(stale, 'facts.db'), 'x'.repeat(1000));
    const noted = run(['doctor', '--json'], { cwd: dir, env });
    expect(noted.code).toBe(0);
    expect(JSON.parse(noted.stdout).checks.find((c: { id: string }) => c.id === 'scratch')).toMatchObject({ state: 'note', folders: [stale] });
    expect(run(['plan', '--date', '2026-11-30'], { cwd: dir, env }).code).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    // Damage the root page of an index: the tables are whole, the index is not.
    const db = path.join(dir, 'followup.db');
    const [{ rootpage }] = query<{ rootpage: number }>(db, "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' ORDER BY name LIMIT 1");
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 4096 * (rootpage - 1));
    fs.closeSync(fd);
    const damaged = run(['doctor'], { cwd: dir, env });
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/FAIL {2}integrity/);
    expect(damaged.stdout).toContain('followup --db followup.db doctor --salvage repaired.db');
    expect(damaged.stderr).toMatch(/^\d+ problems? found in followup\.db\.\n$/);
    // What can be read is saved into a new file, which is whole.
    const salvaged = run(['doctor', '--salvage', 'repaired.db'], { cwd: dir, env });
    expect(salvaged.stderr).toMatch(/^Saved what could be read of followup\.db into repaired\.db \(\d+ rows\); checking it:\n$/);
    expect(salvaged.code).toBe(0);
    expect(salvaged.stdout).toContain('No problems found.');
    expect(query(path.join(dir, 'repaired.db'), 'SELECT count(*) AS n FROM orders')).toEqual(query(baseDb, 'SELECT count(*) AS n FROM orders'));
    expect(fs.statSync(path.join(dir, 'repaired.db')).mode & 0o777).toBe(0o600);
    expect(run(['doctor', '--salvage', 'repaired.db'], { cwd: dir, env }).stderr).toBe('repaired.db already exists; --salvage writes a new file. Give a name that is not taken.\n');
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
