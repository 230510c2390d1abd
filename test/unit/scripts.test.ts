import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCENARIO_IDS } from '../../src/core/config.js';
import { BUNDLED_SCRIPTS_DIR, checkScripts, fillText, loadScript, parseCondition, questionApplies } from '../../src/domain/scripts.js';
import { setLang, type Lang } from '../../src/messages/index.js';

const IDS = [...SCENARIO_IDS, 'default'];
const LANGS: Lang[] = ['en', 'zh-CN'];

let dir: string;
beforeEach(() => {
  setLang('en');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-scripts-'));
});
afterEach(() => {
  setLang('en');
  fs.rmSync(dir, { recursive: true, force: true });
});

const GOOD = [
  'scenario: survey',
  'title: Survey',
  'minutes: 5',
  'opening: "Hello {customer}, {agent} from {company}, {minutes} minutes, recorded."',
  'identity: "Is this {customer}?"',
  'questions:',
  '  - id: satisfaction',
  '    type: rating',
  '    text: "How satisfied?"',
  '    required: true',
  '  - id: channel',
  '    type: single',
  '    text: "Where?"',
  '    choices: [{id: online, text: online}, {id: store, text: shop}]',
  'closing: "Thanks!"',
];

/** GOOD with lines replaced/added, written as survey.yaml; returns the problems as "line: message". */
function problems(lines: string[], name = 'survey.yaml'): string[] {
  fs.writeFileSync(path.join(dir, name), lines.join('\n') + '\n');
  return checkScripts(dir).map((p) => `${p.line}: ${p.message}`);
}
const withQuestion = (...q: string[]) => [...GOOD.slice(0, -1), ...q, GOOD[GOOD.length - 1]];

describe('bundled scripts', () => {
  it('all pass check', () => {
    expect(checkScripts(BUNDLED_SCRIPTS_DIR)).toEqual([]);
  });
  for (const lang of LANGS) {
    it(`${lang}: every scenario has its own file, asks satisfaction first and says the minutes`, () => {
      for (const id of IDS) {
        const script = loadScript(id, lang);
        expect(script.file).toBe(path.join(BUNDLED_SCRIPTS_DIR, lang, `${id}.yaml`));
        expect(script.scenario).toBe(id);
        expect(script.questions[0]).toMatchObject({ id: 'satisfaction', type: 'rating', required: true });
        expect(script.questions.slice(1).every((q) => !q.required)).toBe(true);
        expect(script.opening).toContain('{minutes}');
        expect(script.opening).toMatch(lang === 'en' ? /recorded/ : /录音/);
        for (const q of script.questions) if (q.type === 'nps') expect(q.id).toBe('nps');
      }
    });
  }
  it('complaint scripts ask whether the fix satisfied and whether the mood recovered', () => {
    for (const lang of LANGS) {
      for (const id of ['complaint-resolved', 'confirmation']) {
        const ids = loadScript(id, lang).questions.map((q) => q.id);
        expect(ids).toContain('mood-recovered');
      }
      expect(loadScript('churn-warning', lang).questions.map((q) => q.id)).toEqual(expect.arrayContaining(['why-away', 'win-back']));
    }
  });
});

describe('checkScripts: each problem with its line', () => {
  it('a good file has none', () => {
    expect(problems(GOOD)).toEqual([]);
  });
  it('YAML syntax error', () => {
    expect(problems([...GOOD.slice(0, 3), 'opening: "unclosed', ...GOOD.slice(4)])[0]).toMatch(/^\d+: not valid YAML: /);
  });
  it('unknown key', () => {
    expect(problems([...GOOD, 'colour: red'])).toEqual([
      '16: unknown key "colour" (keys: scenario, title, minutes, opening, identity, questions, closing)',
    ]);
  });
  it('unknown question key', () => {
    expect(problems(withQuestion('  - id: x', '    type: text', '    text: "x"', '    hint: y'))).toEqual([
      '18: unknown question key "hint" (keys: id, type, text, required, choices, when)',
    ]);
  });
  it('missing satisfaction', () => {
    const lines = GOOD.filter((_, i) => i < 6 || i > 9);
    expect(problems(lines)).toEqual(['7: no "satisfaction" question: every script asks it (type rating, 1–5)']);
  });
  it('satisfaction not first, or not a rating', () => {
    const swapped = [...GOOD.slice(0, 6), ...GOOD.slice(10, 14), ...GOOD.slice(6, 10), GOOD[14]];
    expect(problems(swapped)).toEqual(['7: the "satisfaction" question must come first']);
    expect(problems(GOOD.map((l) => (l === '    type: rating' ? '    type: nps' : l)))).toContain(
      '8: the "satisfaction" question must be type rating (1–5), not "nps"',
    );
  });
  it('bad type', () => {
    expect(problems(withQuestion('  - id: x', '    type: essay', '    text: "x"'))).toEqual([
      '16: question "x": type "essay" is not one of rating, nps, yes-no, single, multiple, text, date',
    ]);
  });
  it('rating / nps misuse', () => {
    expect(problems(withQuestion('  - id: recommend', '    type: nps', '    text: "x"'))).toEqual([
      '16: question "recommend": a recommendation score (type nps) must have id "nps"',
    ]);
    expect(problems(withQuestion('  - id: nps', '    type: rating', '    text: "x"'))).toEqual(['16: question "nps" must be type nps (0–10), not "rating"']);
    expect(problems(withQuestion('  - id: x', '    type: rating', '    text: "x"', '    choices: [{id: a, text: a}]'))).toEqual([
      '18: question "x": type rating has no choices (only single and multiple)',
    ]);
  });
  it('only satisfaction is required', () => {
    expect(problems(withQuestion('  - id: x', '    type: text', '    text: "x"', '    required: true'))).toEqual([
      '18: question "x": only "satisfaction" is required; the customer may decline any other',
    ]);
  });
  it('choices missing for single / multiple', () => {
    expect(problems(withQuestion('  - id: x', '    type: multiple', '    text: "x"'))).toEqual([
      '15: question "x": single and multiple need "choices", at least two',
    ]);
  });
  it('duplicate question id', () => {
    expect(problems(withQuestion('  - id: channel', '    type: text', '    text: "x"'))).toEqual(['15: question id "channel" is used twice']);
  });
  it('condition on an unknown, a later or the same question', () => {
    expect(problems(withQuestion('  - id: x', '    type: text', '    text: "x"', '    when: "mood = calm"'))).toEqual([
      '18: condition "mood = calm": there is no question "mood"',
    ]);
    const later = problems([
      ...GOOD.slice(0, 10),
      '  - id: x',
      '    type: text',
      '    text: "x"',
      '    when: "channel = store"',
      ...GOOD.slice(10),
    ]);
    expect(later).toEqual(['14: condition "channel = store": there is no question "channel"']);
    expect(problems(withQuestion('  - id: x', '    type: yes-no', '    text: "x"', '    when: "x = yes"'))).toEqual([
      '18: condition "x = yes": question "x" is not asked before this one',
    ]);
  });
  it('malformed conditions and values that do not fit', () => {
    const q = (when: string) => problems(withQuestion('  - id: x', '    type: text', '    text: "x"', `    when: "${when}"`));
    expect(q('satisfaction <=')).toEqual([
      '18: condition "satisfaction <=" is malformed: it ends where a value should be (write e.g. satisfaction <= 3, or channel in [online, store])',
    ]);
    expect(q('satisfaction ~ 3')[0]).toContain('"~" where an operator (= != < <= > >= in) should be');
    expect(q('satisfaction <= 3 and')[0]).toContain('it ends where a question id should be');
    expect(q('satisfaction <= 9')).toEqual(['18: condition "satisfaction <= 9": "9" is not an answer to "satisfaction" (1–5)']);
    expect(q('channel in [online, phone]')).toEqual(['18: condition "channel in [online, phone]": "phone" is not an answer to "channel" (online, store)']);
    expect(q('channel < store')).toEqual(['18: condition "channel < store": "<" cannot be used with question "channel" (single)']);
    expect(q('satisfaction in [1, 2]')).toEqual(['18: condition "satisfaction in [1, 2]": "in" cannot be used with question "satisfaction" (rating)']);
  });
  it('unknown variable', () => {
    expect(problems(GOOD.map((l) => (l.startsWith('closing') ? 'closing: "Thanks, {name}!"' : l)))).toEqual([
      '15: unknown variable {name} in closing (variables: {customer} {company} {agent} {minutes} {orderDay} {product} {complaint} {issue})',
    ]);
  });
  it('missing key, bad minutes, opening without the minutes, file name', () => {
    expect(problems(GOOD.filter((l) => !l.startsWith('identity')))).toEqual(['1: missing "identity"']);
    expect(problems(GOOD.map((l) => (l === 'minutes: 5' ? 'minutes: five' : l)))).toEqual(['3: "minutes" must be a whole number from 1 to 60']);
    expect(problems(GOOD.map((l) => (l.startsWith('opening') ? 'opening: "Hello"' : l)))).toEqual([
      '4: the opening must say how long the call takes: use {minutes}',
    ]);
    fs.rmSync(path.join(dir, 'survey.yaml'));
    expect(problems(GOOD, 'surveys.yaml')[0]).toMatch(/^1: file name "surveys" is not a scenario/);
  });
  it('messages follow the language', () => {
    setLang('zh-CN');
    expect(problems([...GOOD, 'colour: red'])[0]).toBe('16: 未知的键“colour”（可用：scenario, title, minutes, opening, identity, questions, closing）');
  });
  it('reads the language folders of a team folder', () => {
    fs.mkdirSync(path.join(dir, 'zh-CN'));
    fs.writeFileSync(path.join(dir, 'zh-CN', 'survey.yaml'), [...GOOD, 'x: 1'].join('\n'));
    expect(checkScripts(dir).map((p) => [path.relative(dir, p.file), p.line])).toEqual([[path.join('zh-CN', 'survey.yaml'), 16]]);
  });
});

describe('conditions', () => {
  const q = (when: string) => ({ when });
  it('comparisons', () => {
    expect(questionApplies(q('satisfaction <= 3'), { satisfaction: 3 })).toBe(true);
    expect(questionApplies(q('satisfaction <= 3'), { satisfaction: 4 })).toBe(false);
    expect(questionApplies(q('satisfaction > 3'), { satisfaction: 4 })).toBe(true);
    expect(questionApplies(q('nps >= 9'), { nps: 10 })).toBe(true);
    expect(questionApplies(q('nps != 0'), { nps: 0 })).toBe(false);
    expect(questionApplies(q('delivery-ok = no'), { 'delivery-ok': false })).toBe(true);
    expect(questionApplies(q('delivery-ok = no'), { 'delivery-ok': 'yes' })).toBe(false);
  });
  it('a skipped question makes its condition false; no condition is always asked', () => {
    expect(questionApplies(q('satisfaction <= 3'), {})).toBe(false);
    expect(questionApplies(q('delivery-ok = no'), { 'delivery-ok': null })).toBe(false);
    expect(questionApplies({}, {})).toBe(true);
  });
  it('and binds tighter than or', () => {
    const when = q('satisfaction <= 3 or delivery-ok = no and nps < 7');
    expect(questionApplies(when, { satisfaction: 2 })).toBe(true);
    expect(questionApplies(when, { satisfaction: 5, 'delivery-ok': false, nps: 6 })).toBe(true);
    expect(questionApplies(when, { satisfaction: 5, 'delivery-ok': false, nps: 8 })).toBe(false);
    expect(questionApplies(q('satisfaction >= 2 and satisfaction <= 3'), { satisfaction: 4 })).toBe(false);
    expect(parseCondition('a = 1 or b = 2 and c = 3')).toEqual({
      kind: 'or',
      parts: [
        { kind: 'cmp', id: 'a', op: '=', value: '1' },
        { kind: 'and', parts: [{ kind: 'cmp', id: 'b', op: '=', value: '2' }, { kind: 'cmp', id: 'c', op: '=', value: '3' }] },
      ],
    });
  });
  it('in [...] for single and multiple choices', () => {
    const when = q('channel in [online, store]');
    expect(questionApplies(when, { channel: 'store' })).toBe(true);
    expect(questionApplies(when, { channel: 'phone' })).toBe(false);
    expect(questionApplies(when, { channel: ['phone', 'online'] })).toBe(true);
    expect(questionApplies(q('why = price'), { why: ['quality', 'price'] })).toBe(true);
  });
});

describe('loadScript', () => {
  const team = (lang: string, name: string, lines: string[]) => {
    fs.mkdirSync(path.join(dir, lang), { recursive: true });
    fs.writeFileSync(path.join(dir, lang, name), lines.join('\n'));
  };
  it('the team file overrides the bundled one, in its language only', () => {
    team('en', 'survey.yaml', GOOD);
    expect(loadScript('survey', 'en', dir)).toMatchObject({ title: 'Survey', file: path.join(dir, 'en', 'survey.yaml') });
    expect(loadScript('survey', 'zh-CN', dir).file).toBe(path.join(BUNDLED_SCRIPTS_DIR, 'zh-CN', 'survey.yaml'));
    expect(loadScript('after-sale', 'en', dir).file).toBe(path.join(BUNDLED_SCRIPTS_DIR, 'en', 'after-sale.yaml'));
  });
  it('falls back to default.yaml: the team one, else the bundled one', () => {
    expect(loadScript('no-such', 'en').file).toBe(path.join(BUNDLED_SCRIPTS_DIR, 'en', 'default.yaml'));
    team('en', 'default.yaml', GOOD.map((l) => (l === 'scenario: survey' ? 'scenario: default' : l)));
    expect(loadScript('no-such', 'en', dir).file).toBe(path.join(dir, 'en', 'default.yaml'));
  });
  it('a broken team file is an error naming its first problem', () => {
    team('en', 'survey.yaml', [...GOOD, 'colour: red']);
    expect(() => loadScript('survey', 'en', dir)).toThrow(/survey\.yaml:16: unknown key "colour"/);
  });
});

describe('fillText', () => {
  it('fills known variables and leaves the rest', () => {
    expect(fillText('您好，{customer}，预计{minutes}分钟，{product}', { customer: '王', minutes: 5 })).toBe('您好，王，预计5分钟，{product}');
  });
});
