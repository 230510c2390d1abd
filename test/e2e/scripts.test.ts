// followup scripts check / show, as a user runs them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, workspace } from './helpers.js';

let dir: string;
const cli = (...args: string[]) => run(args, { cwd: dir });
const zh = (...args: string[]) => run(args, { cwd: dir, env: { LANG: 'zh_CN.UTF-8' } });

beforeAll(() => {
  dir = workspace();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('followup scripts check', () => {
  it('the bundled scripts pass: exit 0 and one OK line', () => {
    const r = cli('scripts', 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^OK: 24 scripts in .*scripts, no problems\.$/);
  });
  it('a bad folder: each problem as file:line: message on stderr, exit 1', () => {
    fs.mkdirSync(path.join(dir, 'bad/en'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'bad/en/survey.yaml'),
      'scenario: survey\ntitle: S\nminutes: 5\nopening: "{minutes} {who}"\nidentity: "?"\nquestions:\n  - id: q1\n    type: text\n    text: "?"\nclosing: "bye"\n',
    );
    const r = cli('scripts', 'check', 'bad');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join('bad', 'en', 'survey.yaml')}:4: unknown variable {who} in opening`);
    expect(r.stderr).toContain(`${path.join('bad', 'en', 'survey.yaml')}:7: no "satisfaction" question`);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('2 problems in bad.');
    const z = zh('scripts', 'check', 'bad');
    expect(z.code).toBe(1);
    expect(z.stderr).toContain(':7: 缺少“satisfaction”问题');
  });
  it('the config\'s scriptsDir is the default folder; a missing folder is an error', () => {
    fs.writeFileSync(path.join(dir, 'followup.config.yaml'), 'scriptsDir: bad\n');
    try {
      expect(cli('scripts', 'check').code).toBe(1);
    } finally {
      fs.rmSync(path.join(dir, 'followup.config.yaml'));
    }
    const r = cli('scripts', 'check', 'nowhere');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Scripts folder not found: nowhere');
  });
});

describe('followup scripts show', () => {
  it('after-sale in English: title, filled-in opening, numbered questions, conditions in words, closing', () => {
    const r = cli('scripts', 'show', 'after-sale');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^After-sale follow-up \(after-sale, about 5 min\)\n/);
    expect(out).toContain('Hello, am I speaking with Ms Wang?');
    expect(out).toContain('It will take about 5 minutes. This call may be recorded');
    expect(out).not.toMatch(/\{(customer|agent|company|minutes|product|orderDay)\}/);
    expect(out).toContain('Identity check:');
    expect(out).toContain('  1. [satisfaction] Overall, how satisfied');
    expect(out).toContain('(rating 1–5, required)');
    expect(out).toContain('  2. [delivery-ok] ');
    expect(out).toContain('(yes / no, may be skipped)');
    expect(out).toContain('Ask only if Q1 (satisfaction) ≤ 3 or Q2 (delivery-ok) = no');
    expect(out).toContain('Closing:\n  Thank you very much for your time');
  });
  it('after-sale in Chinese, from the environment or --lang', () => {
    for (const r of [zh('scripts', 'show', 'after-sale'), cli('scripts', 'show', 'after-sale', '--lang', 'zh-CN')]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^售后回访（after-sale，约 5 分钟）\n/);
      expect(r.stdout).toContain('您好，请问是王先生/女士吗？');
      expect(r.stdout).toContain('预计占用您5分钟。本次通话可能会被录音');
      expect(r.stdout).toContain('  1. [satisfaction] 整体来说，您对这次购买和服务满意吗？');
      expect(r.stdout).toContain('（评分 1–5，必答）');
      expect(r.stdout).toContain('仅当 第 1 题（satisfaction） ≤ 3 或 第 2 题（delivery-ok） = 否 时询问');
      expect(r.stdout).toContain('结束语：\n  非常感谢您抽出宝贵时间');
    }
  });
  it('choices and `in` conditions are shown in words', () => {
    const r = cli('scripts', 'show', 'usage-check');
    expect(r.stdout).toContain('Choices: every day / a few times a week / now and then / hardly ever');
    expect(r.stdout).toContain('Ask only if Q2 (usage-frequency) is one of now and then / hardly ever');
  });
  it('a team script replaces the bundled one', () => {
    fs.mkdirSync(path.join(dir, 'team/en'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'team/en/survey.yaml'),
      'scenario: survey\ntitle: Team survey\nminutes: 2\nopening: "Hi, {minutes} min, recorded"\nidentity: "You?"\nquestions:\n  - id: satisfaction\n    type: rating\n    text: "Score?"\n    required: true\nclosing: "Bye"\n',
    );
    fs.writeFileSync(path.join(dir, 'followup.config.yaml'), 'scriptsDir: team\n');
    try {
      const r = cli('scripts', 'show', 'survey');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Team survey \(survey, about 2 min\)\nFile: team\/en\/survey.yaml/);
    } finally {
      fs.rmSync(path.join(dir, 'followup.config.yaml'));
    }
  });
  it('an unknown scenario is a usage error listing the ids', () => {
    const r = cli('scripts', 'show', 'aftersale');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown scenario "aftersale". Scenarios: after-sale, complaint-open,');
    expect(cli('scripts', 'show', 'survey', '--lang', 'fr').code).toBe(2);
  });
  it('help has examples in both languages', () => {
    expect(cli('scripts', 'show', '--help').stdout).toContain('$ followup scripts show after-sale');
    expect(zh('scripts', 'check', '--help').stdout).toContain('示例：\n  $ followup scripts check');
  });
});
