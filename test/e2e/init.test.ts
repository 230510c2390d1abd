import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, run, workspace } from './helpers.js';
import { defaultConfig, loadConfig } from '../../src/core/config.js';
import { setLang } from '../../src/messages/index.js';

let dir: string;
let configFile: string;
let db: string;
const cli = (...args: string[]) => run(args, { cwd: dir });

beforeEach(() => {
  dir = workspace();
  configFile = path.join(dir, 'followup.config.yaml');
  db = path.join(dir, 'followup.db');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  setLang('en');
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('followup init', () => {
  it('writes the config with every default and a comment, and a database only its owner can read', () => {
    const result = cli('init');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'Wrote followup.config.yaml: every setting at its default, each with a comment. Edit it to suit your team.',
        'Created the database followup.db.',
        'Next:',
        '  followup import customers customers.csv',
        '  followup import orders orders.csv',
        '  followup import complaints complaints.csv',
        '  followup plan',
        '',
      ].join('\n'),
    );
    const text = fs.readFileSync(configFile, 'utf8');
    expect(text).toContain('# Customer segments');
    expect(text).toContain('    fromDays: 7 ');
    expect(mode(configFile) & 0o133).toBe(0); // 0644 or stricter: nobody else can write it
    expect(mode(db)).toBe(0o600);
    expect(count(db, 'customers')).toBe(0);
    setLang('en');
    expect(loadConfig(undefined, dir)).toEqual({ ...defaultConfig('en'), lang: 'en', file: configFile });
    // The new setup works: the next command reads the config and uses the database.
    expect(cli('import', 'customers', 'fixtures/customers.csv').code).toBe(0);
    expect(count(db, 'customers')).toBe(40);
  });

  it('refuses to overwrite an existing config: exit 1, one line, file unchanged', () => {
    fs.writeFileSync(configFile, 'company: 星辰家电\n');
    const result = cli('init');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'followup.config.yaml already exists; nothing was changed. To replace it with the defaults (your changes in it are lost), run: followup init --force\n',
    );
    expect(fs.readFileSync(configFile, 'utf8')).toBe('company: 星辰家电\n');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('--force replaces the config (even a broken one) and keeps an existing database', () => {
    expect(cli('init').code).toBe(0);
    expect(cli('import', 'customers', 'fixtures/customers.csv').code).toBe(0);
    fs.writeFileSync(configFile, 'scenarios:\n  after-sale: { fromDays: seven }\n');
    const result = cli('init', '--force');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('The database followup.db already exists; kept it as it is.');
    setLang('en');
    expect(loadConfig(undefined, dir)).toEqual({ ...defaultConfig('en'), lang: 'en', file: configFile });
    expect(count(db, 'customers')).toBe(40);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('--lang zh-CN writes Chinese comments and speaks Chinese', () => {
    const result = cli('init', '--lang', 'zh-CN');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^已写入 followup\.config\.yaml：/);
    expect(result.stderr).toContain('已创建数据库 followup.db。');
    const text = fs.readFileSync(configFile, 'utf8');
    expect(text).toMatch(/^# followup 设置。/);
    expect(text).toContain('# 客户分层');
    expect(text).toContain('company: 本公司');
    expect(text).toMatch(/^lang: zh-CN$/m);
    expect(text).not.toContain('Customer segments');
    setLang('zh-CN');
    expect(loadConfig(undefined, dir)).toEqual({ ...defaultConfig('zh-CN'), lang: 'zh-CN', file: configFile });
  });

  it('without --lang, follows the environment language', () => {
    const result = run(['init'], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(configFile, 'utf8')).toContain('# 客户分层');
  });

  it('--agents fills the agents list; a bad one is a usage error and writes nothing', () => {
    expect(cli('init', '--agents', '小王:40，小李：35,Zhang Wei').code).toBe(0);
    setLang('en');
    expect(loadConfig(undefined, dir).agents).toEqual([
      { name: '小王', capacity: 40 },
      { name: '小李', capacity: 35 },
      { name: 'Zhang Wei', capacity: 40 },
    ]);
    const bad = cli('init', '--force', '--agents', '小王:0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('--agents: the capacity of 小王 must be a whole number of calls a day (1 or more), found "0".\n');
    expect(loadConfig(undefined, dir).agents).toHaveLength(3);
  });

  it('--config writes there, creating its folder, and the next commands use it', () => {
    const result = cli('init', '--config', 'team/followup.yaml');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Wrote team/followup.yaml');
    expect(result.stderr).toContain('  followup --config team/followup.yaml import customers customers.csv');
    expect(fs.existsSync(path.join(dir, 'team', 'followup.yaml'))).toBe(true);
    expect(fs.existsSync(configFile)).toBe(false);
    expect(cli('--config', 'team/followup.yaml', 'import', 'customers', 'fixtures/customers.csv').code).toBe(0);
    const again = cli('init', '--config', 'team/followup.yaml');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('run: followup init --force --config team/followup.yaml');
  });

  it('shows help with an example', () => {
    const result = cli('init', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: followup init [options]');
    expect(result.stdout).toContain('--agents <list>');
    expect(result.stdout).toContain('$ followup init --agents "小王:40,小李:35"');
  });
});

describe('a bad config', () => {
  it('makes followup import fail with the one-line error, exit 1, and no database', () => {
    fs.writeFileSync(configFile, '# our settings\nscenarios:\n  after-sale:\n    fromDays: seven\n');
    const result = cli('import', 'customers', 'fixtures/customers.csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('followup.config.yaml:4: scenarios.after-sale.fromDays must be a whole number of days (0 or more), found "seven"\n');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('is reported in the user language', () => {
    fs.writeFileSync(configFile, 'compnay: 星辰\n');
    const result = run(['import', 'customers', 'fixtures/customers.csv'], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('followup.config.yaml:1：未知设置“compnay”；是不是想写“company”？\n');
  });

  it('a YAML syntax error gives its line', () => {
    fs.writeFileSync(configFile, 'company: a\nlang: en\ncompany: b\n');
    const result = cli('import', 'customers', 'fixtures/customers.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('followup.config.yaml:3: "company" is written twice in the same group; keep one\n');
  });
});

describe('init: the company and the language the scripts speak', () => {
  it('writes --company and the language of --lang, and a placeholder company follows the script language', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-init-co-'));
    try {
      const named = run(['--lang', 'zh-CN', 'init', '--company', '安心家电'], { cwd: dir });
      expect(named.code).toBe(0);
      const text = fs.readFileSync(path.join(dir, 'followup.config.yaml'), 'utf8');
      expect(text).toMatch(/^lang: zh-CN$/m);
      expect(text).toMatch(/^company: 安心家电/m);
      expect(run(['scripts', 'show', 'after-sale'], { cwd: dir }).stdout).toContain('安心家电');

      // An English file with the placeholder: a Chinese script says 本公司, never "our company".
      const en = run(['--lang', 'en', 'init', '--force'], { cwd: dir });
      expect(en.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'followup.config.yaml'), 'utf8')).toMatch(/^lang: en$/m);
      const zh = run(['--lang', 'zh-CN', 'scripts', 'show', 'after-sale'], { cwd: dir }).stdout;
      expect(zh).toContain('本公司');
      expect(zh).not.toContain('our company');
      expect(run(['init', '--force', '--company', ' '], { cwd: dir }).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the language from the locale when --lang is not given', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-init-lc-'));
    try {
      expect(run(['init'], { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } }).code).toBe(0);
      const text = fs.readFileSync(path.join(dir, 'followup.config.yaml'), 'utf8');
      expect(text).toMatch(/^lang: zh-CN$/m);
      expect(text).toMatch(/^company: 本公司/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
