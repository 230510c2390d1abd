import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closest, defaultConfig, loadConfig, renderConfig, SCENARIO_IDS, isVipTier, type Config } from '../../src/core/config.js';
import { parseAgents } from '../../src/commands/init.js';
import { setLang } from '../../src/messages/index.js';

let dir: string;
const FILE = 'followup.config.yaml';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-config-'));
  setLang('en');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  setLang('en');
});

/** Writes the config file and loads it. */
function load(text: string | Buffer, name = FILE): Config {
  fs.writeFileSync(path.join(dir, name), text);
  return loadConfig(name === FILE ? undefined : name, dir);
}

/** The one-line error a config gives. */
function problem(text: string): string {
  try {
    load(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('defaults', () => {
  it('with no file, gives every default from the domain rules', () => {
    const config = loadConfig(undefined, dir);
    expect(config).toEqual(defaultConfig('en'));
    expect(config.file).toBeNull();
    expect(config.lang).toBeUndefined();
    expect(config.db).toBeUndefined();
    expect(config.company).toBe('our company');
    expect(config.segments).toEqual({
      newWithinDays: 30,
      vip: { tiers: ['金卡会员', '钻石会员', 'VIP', '金卡', '钻石', 'gold', 'diamond', 'vip'], spend12mYuan: 10000, orders12m: 4 },
      churn: { inactiveDays: 90, frequencyDrop: 0.5, windowDays: 90 },
      complaintRecentDays: 30,
      lostAfterDays: 365,
    });
    expect(config.scenarios['after-sale']).toEqual({ enabled: true, fromDays: 7, toDays: 15 });
    expect(config.scenarios['complaint-open']).toEqual({ enabled: true, dueHours: 24, repeatAfterDays: 7, staleAfterDays: 90 });
    expect(config.scenarios['complaint-resolved']).toEqual({ enabled: true, withinWorkingDays: 3 });
    expect(config.scenarios['usage-check']).toEqual({ enabled: true, fromDays: 30, toDays: 40, minOrderYuan: 2000 });
    expect(config.scenarios['churn-warning']).toEqual({ enabled: true, highValueDueHours: 24, dueDays: 7 });
    expect(config.scenarios['first-experience']).toEqual({ enabled: true, fromDays: 3, toDays: 10 });
    expect(config.scenarios['vip-care']).toEqual({ enabled: true, everyDays: 30 });
    expect(config.scenarios.survey).toEqual({ enabled: false, everyDays: 90 });
    expect(config.contact).toEqual({
      minDaysBetween: 30,
      exempt: ['complaint-open', 'complaint-resolved', 'callback', 'confirmation'],
      maxAttempts: 3,
      retryAfterWorkingDays: 1,
      claimTimeoutMinutes: 30,
    });
    expect(config.agents).toEqual([
      { name: '小王', capacity: 40 },
      { name: '小李', capacity: 40 },
    ]);
    expect(config.defaultAgent).toBeNull();
    expect(config.workingHours).toEqual({ start: '09:00', end: '18:00' });
    expect(config.calendar).toEqual({ holidays: [], workdays: [] });
    expect(config.scriptsDir).toBeNull();
  });

  it('names the company in the language in use', () => {
    setLang('zh-CN');
    expect(loadConfig(undefined, dir).company).toBe('本公司');
    expect(defaultConfig('zh-CN').company).toBe('本公司');
  });

  it('lists the 11 scenario ids', () => {
    expect(SCENARIO_IDS).toEqual([
      'after-sale', 'complaint-open', 'complaint-resolved', 'usage-check', 'churn-warning', 'first-experience', 'vip-care', 'survey',
      'callback', 'retry', 'confirmation',
    ]);
  });

  it('gives independent copies: changing one config does not change the next', () => {
    const a = loadConfig(undefined, dir);
    a.agents.push({ name: 'x', capacity: 1 });
    a.scenarios['after-sale'].fromDays = 99;
    expect(loadConfig(undefined, dir)).toEqual(defaultConfig('en'));
  });

  it('an empty file, or one with only comments, is the defaults', () => {
    expect(load('')).toEqual({ ...defaultConfig('en'), file: path.join(dir, FILE) });
    expect(load('# nothing yet\n')).toEqual({ ...defaultConfig('en'), file: path.join(dir, FILE) });
  });

  it('--config naming a missing file is an error (the default file may be missing)', () => {
    expect(() => loadConfig('team.yaml', dir)).toThrow(
      'Config file not found: team.yaml. Check the path, or create it with: followup init --config team.yaml',
    );
  });
});

describe('merging a partial file over the defaults', () => {
  it('changes only what the file says', () => {
    const config = load(
      [
        'company: 星辰家电',
        'scenarios:',
        '  after-sale:',
        '    toDays: 20',
        '  survey: { enabled: true }',
        'segments:',
        '  churn:',
        '    frequencyDrop: 0.3',
        'contact:',
        '  minDaysBetween: 14',
        '',
      ].join('\n'),
    );
    const expected = defaultConfig('en');
    expected.company = '星辰家电';
    expected.scenarios['after-sale'].toDays = 20;
    expected.scenarios.survey.enabled = true;
    expected.segments.churn.frequencyDrop = 0.3;
    expected.contact.minDaysBetween = 14;
    expect(config).toEqual({ ...expected, file: path.join(dir, FILE) });
  });

  it('replaces lists as a whole: agents, tiers, exempt, calendar days', () => {
    const config = load(
      [
        'agents:',
        '  - { name: 小张, capacity: 25 }',
        '  - name: Li Na',
        'segments:',
        '  vip: { tiers: [黑金, Platinum] }',
        'contact:',
        '  exempt: [complaint-open]',
        'calendar:',
        '  holidays: [2026-12-31, 2026-12-30]',
        '  workdays:',
        '    - 2026-10-10',
      ].join('\n'),
    );
    expect(config.agents).toEqual([
      { name: '小张', capacity: 25 },
      { name: 'Li Na', capacity: 40 },
    ]);
    expect(config.segments.vip).toEqual({ tiers: ['黑金', 'Platinum'], spend12mYuan: 10000, orders12m: 4 });
    expect(config.contact.exempt).toEqual(['complaint-open']);
    expect(config.calendar).toEqual({ holidays: ['2026-12-30', '2026-12-31'], workdays: ['2026-10-10'] });
  });

  it('resolves db and scriptsDir relative to the config file, and keeps lang', () => {
    fs.mkdirSync(path.join(dir, 'team'));
    fs.writeFileSync(path.join(dir, 'team', 'f.yaml'), 'lang: zh\ndb: data/followup.db\nscriptsDir: ../scripts\ndefaultAgent: 小李\n');
    const config = loadConfig('team/f.yaml', dir);
    expect(config.file).toBe(path.join(dir, 'team', 'f.yaml'));
    expect(config.lang).toBe('zh-CN');
    expect(config.db).toBe(path.join(dir, 'team', 'data', 'followup.db'));
    expect(config.scriptsDir).toBe(path.join(dir, 'scripts'));
    expect(config.defaultAgent).toBe('小李');
    // The file's language names the company when the file does not.
    expect(config.company).toBe('本公司');
  });

  it('an empty section keeps its defaults; null optional settings stay unset', () => {
    const config = load('scenarios:\n  # after-sale: { toDays: 20 }\ndb:\nlang:\ndefaultAgent: null\nscriptsDir: ~\n');
    expect(config).toEqual({ ...defaultConfig('en'), file: path.join(dir, FILE) });
    expect('db' in config).toBe(false);
  });

  it('normalises times written without a leading zero', () => {
    expect(load('workingHours: { start: "8:30", end: 17:45 }\n').workingHours).toEqual({ start: '08:30', end: '17:45' });
  });

  it('reads a file saved as GBK or with a BOM (Windows Notepad)', () => {
    expect(load(iconv.encode('company: 星辰家电\n', 'gbk')).company).toBe('星辰家电');
    expect(load(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('company: 星辰家电\n')])).company).toBe('星辰家电');
  });

  it('compares VIP tiers ignoring case and spaces', () => {
    const config = defaultConfig('en');
    expect(isVipTier(config, ' Gold ')).toBe(true);
    expect(isVipTier(config, '钻石会员')).toBe(true);
    expect(isVipTier(config, '普通会员')).toBe(false);
    expect(isVipTier(config, null)).toBe(false);
  });
});

describe('the file followup init writes', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`loads back to exactly the defaults (${lang})`, () => {
      setLang(lang);
      const text = renderConfig(lang);
      // The file says its language (lang: is written out), so it reads the same for everyone.
      expect(load(text)).toEqual({ ...defaultConfig(lang), lang, file: path.join(dir, FILE) });
      // …also for someone whose environment is in the other language.
      setLang(lang === 'en' ? 'zh-CN' : 'en');
      expect(load(text)).toEqual({ ...defaultConfig(lang), lang, file: path.join(dir, FILE) });
    });
  }

  it('has a comment for every setting, in the chosen language', () => {
    const en = renderConfig('en');
    const zh = renderConfig('zh-CN');
    for (const text of [en, zh]) {
      for (const line of text.split('\n')) {
        // Every setting line has its comment on it or on the line above; lines with "- {" are agents.
        if (/^\s+\w[\w-]*: \S/.test(line)) expect(line).toMatch(/ # \S/);
      }
      expect(text).toMatch(/^lang: (en|zh-CN)$/m);
      expect(text).toMatch(/^# db: followup\.db$/m);
    }
    expect(en).toContain('# Customer segments');
    expect(zh).toContain('# 客户分层');
    expect(zh).toContain('company: 本公司');
    expect(zh).not.toMatch(/# [A-Z][a-z]+ [a-z]+ [a-z]+ /);
  });

  it('writes the agents given to it, quoting names YAML would misread', () => {
    const agents = [
      { name: '小王', capacity: 40 },
      { name: '007', capacity: 12 },
      { name: 'Wang, Wei', capacity: 5 },
      { name: 'true', capacity: 1 },
    ];
    const text = renderConfig('en', { ...defaultConfig('en'), agents });
    expect(text).toContain('  - { name: 小王, capacity: 40 }\n  - { name: "007", capacity: 12 }');
    expect(load(text).agents).toEqual(agents);
  });
});

describe('validation: one line naming the file, the line, the key and what is expected', () => {
  const cases: Array<[string, string, string]> = [
    ['a word for a number', 'scenarios:\n  after-sale:\n    fromDays: seven\n', 'followup.config.yaml:3: scenarios.after-sale.fromDays must be a whole number of days (0 or more), found "seven"'],
    ['a fraction of a day', 'segments:\n  newWithinDays: 7.5\n', 'followup.config.yaml:2: segments.newWithinDays must be a whole number of days (1 or more), found 7.5'],
    ['a negative number', 'segments:\n  newWithinDays: -3\n', 'followup.config.yaml:2: segments.newWithinDays must be a whole number of days (1 or more), found -3'],
    ['a missing value', 'scenarios:\n  after-sale:\n    fromDays:\n', 'followup.config.yaml:3: scenarios.after-sale.fromDays must be a whole number of days (0 or more), found nothing'],
    ['hours', 'scenarios:\n  complaint-open: { dueHours: 0 }\n', 'followup.config.yaml:2: scenarios.complaint-open.dueHours must be a whole number of hours (1 or more), found 0'],
    ['working days', 'contact:\n  retryAfterWorkingDays: -1\n', 'followup.config.yaml:2: contact.retryAfterWorkingDays must be a whole number of working days (0 or more), found -1'],
    ['minutes', 'contact:\n  claimTimeoutMinutes: "30"\n', 'followup.config.yaml:2: contact.claimTimeoutMinutes must be a whole number of minutes (1 or more), found "30"'],
    ['yuan', 'segments:\n  vip:\n    spend12mYuan: 1万\n', 'followup.config.yaml:3: segments.vip.spend12mYuan must be an amount in yuan (0 or more, digits only, e.g. 10000), found "1万"'],
    ['a share above 1', 'segments:\n  churn:\n    frequencyDrop: 1.5\n', 'followup.config.yaml:3: segments.churn.frequencyDrop must be a share between 0 and 1 (e.g. 0.5 for half), found 1.5'],
    ['a share below 0', 'segments:\n  churn: { frequencyDrop: -0.1 }\n', 'followup.config.yaml:2: segments.churn.frequencyDrop must be a share between 0 and 1 (e.g. 0.5 for half), found -0.1'],
    ['a yes for true', 'scenarios:\n  survey:\n    enabled: yes\n', 'followup.config.yaml:3: scenarios.survey.enabled must be true or false, found "yes"'],
    ['an impossible window', 'scenarios:\n  after-sale:\n    fromDays: 20\n', 'followup.config.yaml:3: scenarios.after-sale: fromDays (20) is after toDays (15); the window must start on or before the day it ends'],
    ['an impossible window, both ends', '\nscenarios:\n  first-experience: { fromDays: 5, toDays: 2 }\n', 'followup.config.yaml:3: scenarios.first-experience: fromDays (5) is after toDays (2); the window must start on or before the day it ends'],
    ['an unknown key, close to a known one', 'scenarios:\n  after-sale:\n    fromDay: 3\n', 'followup.config.yaml:3: unknown setting "scenarios.after-sale.fromDay"; did you mean "fromDays"?'],
    ['an unknown key, case and separators', 'contact:\n  max_attempts: 3\n', 'followup.config.yaml:2: unknown setting "contact.max_attempts"; did you mean "maxAttempts"?'],
    ['an unknown scenario section', 'scenarios:\n  aftersale: { enabled: false }\n', 'followup.config.yaml:2: unknown setting "scenarios.aftersale"; did you mean "after-sale"?'],
    ['an unknown top-level key', 'compnay: 星辰\n', 'followup.config.yaml:1: unknown setting "compnay"; did you mean "company"?'],
    ['an unknown key with nothing close', 'workingHours:\n  lunch: "12:00"\n', 'followup.config.yaml:2: unknown setting "workingHours.lunch"; the settings here are: start, end'],
    ['a list for a section', 'scenarios: [after-sale]\n', 'followup.config.yaml:1: scenarios must be a group of settings written "key: value" on the lines below it, found a list'],
    ['a word for a list', 'segments:\n  vip:\n    tiers: 金卡\n', 'followup.config.yaml:3: segments.vip.tiers must be a list, e.g. [a, b] or one "- item" per line, found "金卡"'],
    ['not settings at all', '- a\n- b\n', 'followup.config.yaml:1: the file must hold settings written as "key: value", one per line'],
    ['an unknown language', 'lang: fr\n', 'followup.config.yaml:1: lang must be zh-CN or en, found "fr"'],
    ['an empty company', 'company: ""\n', 'followup.config.yaml:1: company must be text, found ""'],
    ['a number for a name', 'agents:\n  - name: 007\n', 'followup.config.yaml:2: agents[1].name must be text, found the number 007; write it in quotes: "007"'],
    ['a time that is not HH:MM', 'workingHours:\n  start: 9\n', 'followup.config.yaml:2: workingHours.start must be a time written HH:MM in quotes, e.g. "09:00", found 9'],
    ['a time past midnight', 'workingHours:\n  end: "25:00"\n', 'followup.config.yaml:2: workingHours.end must be a time written HH:MM in quotes, e.g. "09:00", found "25:00"'],
    ['start after end', 'workingHours:\n  start: "19:00"\n', 'followup.config.yaml:2: workingHours.start (19:00) must be before workingHours.end (18:00)'],
    ['start equal to end', 'workingHours: { start: "09:00", end: "9:00" }\n', 'followup.config.yaml:1: workingHours.start (09:00) must be before workingHours.end (09:00)'],
    ['a path that is a number', 'scriptsDir: 12\n', 'followup.config.yaml:1: scriptsDir must be a file or folder path, or null for none, found 12'],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => expect(problem(text)).toBe(message));
  }

  it('speaks the user language', () => {
    setLang('zh-CN');
    expect(problem('scenarios:\n  after-sale:\n    fromDays: seven\n')).toBe(
      'followup.config.yaml:3：scenarios.after-sale.fromDays 必须是整数天数（不小于 0），实际为 "seven"',
    );
    expect(problem('compnay: 星辰\n')).toBe('followup.config.yaml:1：未知设置“compnay”；是不是想写“company”？');
  });

  it('names the file as given with --config', () => {
    fs.mkdirSync(path.join(dir, 'team'));
    fs.writeFileSync(path.join(dir, 'team', 'f.yaml'), 'lang: fr\n');
    expect(() => loadConfig('team/f.yaml', dir)).toThrow(`${path.join('team', 'f.yaml')}:1: lang must be zh-CN or en, found "fr"`);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-other-'));
    try {
      expect(() => loadConfig(path.join(dir, 'team', 'f.yaml'), outside)).toThrow(`${path.join(dir, 'team', 'f.yaml')}:1: lang`);
    } finally {
      fs.rmSync(outside, { recursive: true });
    }
  });
});

describe('validation: exempt, agents, calendar', () => {
  it('exempt: unknown scenario ids, with a suggestion when one is close', () => {
    expect(problem('contact:\n  exempt: [complaint-open, calback]\n')).toBe(
      'followup.config.yaml:2: contact.exempt[2]: unknown scenario "calback"; did you mean "callback"?',
    );
    expect(problem('contact:\n  exempt:\n    - complaint-open\n    - nonsense\n')).toBe(
      'followup.config.yaml:4: contact.exempt[2]: unknown scenario "nonsense"; scenarios are: after-sale, complaint-open, complaint-resolved, usage-check, churn-warning, first-experience, vip-care, survey, callback, retry, confirmation',
    );
    expect(load('contact:\n  exempt: [retry, callback, confirmation]\n').contact.exempt).toEqual(['retry', 'callback', 'confirmation']);
    expect(load('contact:\n  exempt: []\n').contact.exempt).toEqual([]);
  });

  it('agents: duplicate names', () => {
    expect(problem('agents:\n  - { name: 小王, capacity: 40 }\n  - { name: 小李, capacity: 40 }\n  - { name: 小王, capacity: 30 }\n')).toBe(
      'followup.config.yaml:4: agents[3]: the agent "小王" is already listed as agents[1]; each agent needs a different name',
    );
  });

  it('agents: capacity below 1, a missing name, an empty list, an unknown key', () => {
    expect(problem('agents:\n  - { name: 小王, capacity: 0 }\n')).toBe(
      'followup.config.yaml:2: agents[1].capacity must be a whole number of calls a day (1 or more), found 0',
    );
    expect(problem('agents:\n  - name: 小王\n  - capacity: 3\n')).toBe('followup.config.yaml:3: agents[2] needs a name, e.g. "- { name: 小王, capacity: 40 }"');
    expect(problem('agents: []\n')).toBe('followup.config.yaml:1: agents must list at least one agent, e.g. "- { name: 小王, capacity: 40 }"');
    expect(problem('agents:\n  - { name: 小王, capacty: 30 }\n')).toBe('followup.config.yaml:2: unknown setting "agents[1].capacty"; did you mean "capacity"?');
  });

  it('defaultAgent must be one of the agents', () => {
    expect(problem('defaultAgent: 小张\n')).toBe('followup.config.yaml:1: defaultAgent "小张" is not one of the agents (小王, 小李)');
    expect(problem('agents: [{ name: 小张, capacity: 9 }]\ndefaultAgent: 小王\n')).toBe(
      'followup.config.yaml:2: defaultAgent "小王" is not one of the agents (小张)',
    );
  });

  it('calendar: malformed and impossible dates, a day both off and working', () => {
    expect(problem('calendar:\n  holidays: [2026-02-30]\n')).toBe(
      'followup.config.yaml:2: calendar.holidays[1] must be a date written YYYY-MM-DD, e.g. 2026-10-01, found "2026-02-30"',
    );
    expect(problem('calendar:\n  workdays:\n    - 2026-10-10\n    - 2026/10/11\n')).toBe(
      'followup.config.yaml:4: calendar.workdays[2] must be a date written YYYY-MM-DD, e.g. 2026-10-01, found "2026/10/11"',
    );
    expect(problem('calendar:\n  holidays: [20261001]\n')).toBe(
      'followup.config.yaml:2: calendar.holidays[1] must be a date written YYYY-MM-DD, e.g. 2026-10-01, found 20261001',
    );
    expect(problem('calendar:\n  holidays: [2026-10-01]\n  workdays:\n    - 2026-09-27\n    - 2026-10-01\n')).toBe(
      'followup.config.yaml:5: 2026-10-01 is listed both in calendar.holidays and in calendar.workdays; keep it in one',
    );
  });
});

describe('YAML syntax errors, with their line', () => {
  const cases: Array<[string, string, string]> = [
    ['a key written twice', 'company: a\nlang: en\ncompany: b\n', 'followup.config.yaml:3: "company" is written twice in the same group; keep one'],
    ['a tab', 'scenarios:\n\tafter-sale: {}\n', 'followup.config.yaml:2: a tab is used to indent this line; indent with spaces'],
    ['an unclosed quote', 'company: "星辰\nlang: en\n', 'followup.config.yaml:3: a quote " or \' is opened and never closed'],
    ['a missing colon', 'company: x\nlang\ndb: a.db\n', 'followup.config.yaml:2: this line is not written as "key: value" (a missing colon or space after it, or two settings on one line)'],
    ['bad indentation', 'contact:\n    maxAttempts: 3\n  minDaysBetween: 3\n', 'followup.config.yaml:3: the indentation does not line up with the lines above, or a [ or { is not closed'],
    ['an unclosed bracket', 'contact:\n  exempt: [callback\n  maxAttempts: 3\n', 'followup.config.yaml:3: the indentation does not line up with the lines above, or a [ or { is not closed'],
    ['two documents', 'lang: en\n---\nlang: zh-CN\n', 'followup.config.yaml:2: the file holds more than one document (a line "---"); keep one'],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => expect(problem(text)).toBe(message));
  }
});

describe('closest', () => {
  it('suggests a known name for a typo, and nothing for something unrelated', () => {
    expect(closest('fromday', ['fromDays', 'toDays'])).toBe('fromDays');
    expect(closest('FROM_DAYS', ['fromDays', 'toDays'])).toBe('fromDays');
    expect(closest('vipcare', SCENARIO_IDS)).toBe('vip-care');
    expect(closest('after', SCENARIO_IDS)).toBe('after-sale');
    expect(closest('banana', ['fromDays', 'toDays'])).toBeUndefined();
  });
});

describe('--agents for followup init', () => {
  it('reads NAME:CAPACITY lists, with Chinese punctuation and a default capacity', () => {
    expect(parseAgents('小王:40,小李:35')).toEqual([
      { name: '小王', capacity: 40 },
      { name: '小李', capacity: 35 },
    ]);
    expect(parseAgents('小王：40，小李、Zhang Wei: ３０')).toEqual([
      { name: '小王', capacity: 40 },
      { name: '小李', capacity: 40 },
      { name: 'Zhang Wei', capacity: 30 },
    ]);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseAgents(':3')).toThrow('--agents ":3": cannot read ":3". Write it as NAME:CALLS_A_DAY separated by commas, e.g. "小王:40,小李:35".');
    expect(() => parseAgents('  ,')).toThrow('cannot read');
    expect(() => parseAgents('小王:0')).toThrow('--agents: the capacity of 小王 must be a whole number of calls a day (1 or more), found "0".');
    expect(() => parseAgents('小王:forty')).toThrow('found "forty"');
    expect(() => parseAgents('小王:40,小王:30')).toThrow('--agents: 小王 is listed twice; each agent needs a different name.');
  });
});
