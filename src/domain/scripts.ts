// Call scripts (回访话术): one YAML file per scenario and language. The bundled scripts live in the
// repository's scripts/<lang>/ folder; a team's folder (config `scriptsDir`) holds files of the same
// names that replace them. checkScripts() reads a folder and lists every problem with its line, so
// that a team editing its scripts learns what is wrong before an agent opens one on a call.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { SCENARIO_IDS } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { readBounded } from '../core/files.js';
import { LANGS, t, type Lang, type MessageId, type Params } from '../messages/index.js';

export const QUESTION_TYPES = ['rating', 'nps', 'yes-no', 'single', 'multiple', 'text', 'date'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const VARIABLES = ['customer', 'company', 'agent', 'minutes', 'orderDay', 'product', 'complaint', 'issue'] as const;
export type Variables = Partial<Record<(typeof VARIABLES)[number], string | number>>;
/** The id every script asks, the one answer a completed call needs. */
export const SATISFACTION = 'satisfaction';
export const DEFAULT_SCRIPT = 'default';

const SCRIPT_KEYS = ['scenario', 'title', 'minutes', 'opening', 'identity', 'questions', 'closing'] as const;
const QUESTION_KEYS = ['id', 'type', 'text', 'required', 'choices', 'when'] as const;
const CHOICE_KEYS = ['id', 'text'] as const;
const TEXT_KEYS = ['title', 'opening', 'identity', 'closing'] as const;
const ID = /^[a-z0-9][a-z0-9-]*$/;

export interface Choice {
  id: string;
  text: string;
}

export type Condition =
  | { kind: 'or'; parts: Condition[] }
  | { kind: 'and'; parts: Condition[] }
  | { kind: 'cmp'; id: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: string }
  | { kind: 'in'; id: string; values: string[] };

export interface Question {
  id: string;
  type: QuestionType;
  text: string;
  /** Only satisfaction; every other question the customer may decline. */
  required: boolean;
  choices?: Choice[];
  /** The condition as written, and parsed. */
  when?: string;
  condition?: Condition;
}

export interface Script {
  scenario: string;
  title: string;
  minutes: number;
  opening: string;
  identity: string;
  questions: Question[];
  closing: string;
  /** The file it was read from. */
  file: string;
}

export interface ScriptProblem {
  file: string;
  line: number;
  message: string;
}

/** scripts/ in the repository: dist/domain/scripts.js (or src/domain/scripts.ts) → ../../scripts. */
export const BUNDLED_SCRIPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts');

// --- loading

/**
 * The script an agent reads for `scenario`: the team's file, else the bundled one, else the team's
 * default.yaml, else the bundled default. A file with problems is a UserError naming the first one.
 */
export function loadScript(scenario: string, lang: Lang, scriptsDir?: string | null): Script {
  const candidates = [
    ...(scriptsDir ? [path.join(scriptsDir, lang, `${scenario}.yaml`)] : []),
    path.join(BUNDLED_SCRIPTS_DIR, lang, `${scenario}.yaml`),
    ...(scriptsDir ? [path.join(scriptsDir, lang, `${DEFAULT_SCRIPT}.yaml`)] : []),
    path.join(BUNDLED_SCRIPTS_DIR, lang, `${DEFAULT_SCRIPT}.yaml`),
  ];
  const file = candidates.find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (!file) throw new UserError('scripts.notFound', { scenario, lang });
  const { script, problems } = readScriptFile(file);
  if (problems.length > 0 || !script) {
    const first = [...problems].sort((a, b) => a.line - b.line)[0];
    throw new UserError('scripts.broken', { file: first.file, line: first.line, reason: first.message, count: problems.length });
  }
  return script;
}

/** Every *.yaml in dir and in its language folders (dir/en, dir/zh-CN), sorted. */
export function scriptFiles(dir: string): string[] {
  const files: string[] = [];
  const yamlIn = (folder: string) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true });
    for (const e of entries) if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(path.join(folder, e.name));
  };
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UserError('scripts.noDir', { path: dir });
  yamlIn(dir);
  for (const lang of LANGS) {
    const sub = path.join(dir, lang);
    if (fs.statSync(sub, { throwIfNoEntry: false })?.isDirectory()) yamlIn(sub);
  }
  return files.sort();
}

/** Every problem in every script of dir, in file and line order. */
export function checkScripts(dir: string): ScriptProblem[] {
  return scriptFiles(dir).flatMap((file) => readScriptFile(file).problems.sort((a, b) => a.line - b.line));
}

// --- reading and checking one file

class Collector {
  readonly problems: ScriptProblem[] = [];
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  lineOf(node: Node | Pair | null | undefined): number {
    const range = !node ? undefined : isPair(node) ? (node.key as Node | null)?.range : node.range;
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  add(node: Node | Pair | null | undefined, id: MessageId, params: Params = {}): void {
    this.problems.push({ file: this.file, line: this.lineOf(node), message: t(id, params) });
  }
}

/** Reads and checks one script file: the script when it is usable, and every problem found. */
export function readScriptFile(file: string): { script?: Script; problems: ScriptProblem[] } {
  const lines = new LineCounter();
  // A script is a few KB: anything past 1 MB (a device, a stream) is read no further.
  const text = (readBounded(file, 1024 * 1024) ?? Buffer.from('')).toString('utf8').replace(/^\uFEFF/, '');
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const c = new Collector(file, lines);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
      c.problems.push({ file, line, message: t('scripts.check.yaml', { reason: error.message.split('\n')[0] }) });
    }
    return { problems: c.problems };
  }
  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    c.add(root, 'scripts.check.notMap');
    return { problems: c.problems };
  }

  const values: Record<string, Node | null> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(SCRIPT_KEYS as readonly string[]).includes(key)) {
      c.add(pair.key as Node, 'scripts.check.unknownKey', { key, keys: SCRIPT_KEYS.join(', ') });
      continue;
    }
    values[key] = (pair.value as Node | null) ?? null;
  }
  for (const key of SCRIPT_KEYS) if (!(key in values)) c.add(root, 'scripts.check.missingKey', { key });

  const name = path.basename(file).replace(/\.ya?ml$/i, '');
  const known = [...SCENARIO_IDS, DEFAULT_SCRIPT] as readonly string[];
  if (!known.includes(name)) c.add(root, 'scripts.check.fileName', { name, ids: known.join(', ') });

  const str = (key: string): string => {
    const node = values[key];
    if (node === undefined) return '';
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      c.add(node ?? root, 'scripts.check.notText', { key });
      return '';
    }
    checkVariables(c, node, key, node.value);
    return node.value;
  };
  const scenario = str('scenario');
  if (scenario && scenario !== name && known.includes(name)) c.add(values.scenario, 'scripts.check.scenarioName', { scenario, name });
  const [title, opening, identity, closing] = TEXT_KEYS.map(str);
  if (opening && !opening.includes('{minutes}')) c.add(values.opening, 'scripts.check.openingMinutes');

  let minutes = 0;
  if ('minutes' in values) {
    const node = values.minutes;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 60) c.add(node ?? root, 'scripts.check.minutes');
    else minutes = value;
  }

  const questions = 'questions' in values ? readQuestions(c, values.questions, root) : [];
  if (c.problems.length > 0) return { problems: c.problems };
  return { script: { scenario, title, minutes, opening, identity, questions, closing, file }, problems: [] };
}

function checkVariables(c: Collector, node: Node, key: string, text: string): void {
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    if (!(VARIABLES as readonly string[]).includes(match[1])) {
      c.add(node, 'scripts.check.unknownVariable', { name: match[1], key, variables: VARIABLES.map((v) => `{${v}}`).join(' ') });
    }
  }
}

function readQuestions(c: Collector, node: Node | null, root: Node): Question[] {
  if (!isSeq(node) || node.items.length === 0) {
    c.add(node ?? root, 'scripts.check.questionsList');
    return [];
  }
  const questions: Question[] = [];
  const seen = new Set<string>();
  let sawSatisfaction = false;
  for (const item of node.items as (Node | null)[]) {
    if (!isMap(item)) {
      c.add(item ?? node, 'scripts.check.questionMap');
      continue;
    }
    const v: Record<string, Node | null> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(QUESTION_KEYS as readonly string[]).includes(key)) c.add(pair.key as Node, 'scripts.check.unknownQuestionKey', { key, keys: QUESTION_KEYS.join(', ') });
      else v[key] = (pair.value as Node | null) ?? null;
    }
    const scalar = (key: string) => (isScalar(v[key]) ? (v[key] as { value: unknown }).value : undefined);

    const id = scalar('id');
    if (typeof id !== 'string' || !ID.test(id)) {
      c.add(v.id ?? item, 'scripts.check.questionId', { id: id === undefined ? '' : String(id) });
      continue;
    }
    if (seen.has(id)) c.add(v.id, 'scripts.check.duplicateId', { id });
    seen.add(id);

    const type = scalar('type');
    if (typeof type !== 'string' || !(QUESTION_TYPES as readonly string[]).includes(type)) {
      c.add(v.type ?? item, 'scripts.check.badType', { id, type: type === undefined ? '' : String(type), types: QUESTION_TYPES.join(', ') });
    }
    const qtype = type as QuestionType;

    const text = scalar('text');
    if (typeof text !== 'string' || text.trim() === '') c.add(v.text ?? item, 'scripts.check.questionText', { id });
    else checkVariables(c, v.text!, `${id}.text`, text);

    const required = scalar('required');
    if ('required' in v && typeof required !== 'boolean') c.add(v.required, 'scripts.check.required', { id });
    if (id === SATISFACTION) {
      sawSatisfaction = true;
      if (qtype !== 'rating') c.add(v.type ?? item, 'scripts.check.satisfactionType', { type: String(type ?? '') });
      if ('when' in v) c.add(v.when, 'scripts.check.satisfactionWhen');
      if (required === false) c.add(v.required, 'scripts.check.satisfactionRequired');
    } else if (required === true) {
      c.add(v.required, 'scripts.check.onlySatisfactionRequired', { id });
    }
    if (qtype === 'nps' && id !== 'nps') c.add(v.type, 'scripts.check.npsId', { id });
    if (id === 'nps' && type !== undefined && qtype !== 'nps') c.add(v.type ?? item, 'scripts.check.npsType', { type: String(type) });

    let choices: Choice[] | undefined;
    if (qtype === 'single' || qtype === 'multiple') {
      choices = readChoices(c, v.choices, item, id);
    } else if ('choices' in v && (QUESTION_TYPES as readonly string[]).includes(qtype)) {
      c.add(v.choices, 'scripts.check.choicesNotAllowed', { id, type: qtype });
    }

    const question: Question = { id, type: qtype, text: typeof text === 'string' ? text : '', required: id === SATISFACTION };
    if (choices) question.choices = choices;
    if ('when' in v) {
      const when = scalar('when');
      if (typeof when !== 'string' || when.trim() === '') {
        c.add(v.when, 'scripts.check.conditionMalformed', { when: String(when ?? ''), detail: t('scripts.cond.empty') });
      } else {
        question.when = when;
        const condition = checkCondition(c, v.when!, when, id, questions);
        if (condition) question.condition = condition;
      }
    }
    questions.push(question);
  }
  if (!sawSatisfaction) c.add(node, 'scripts.check.missingSatisfaction');
  else if (questions[0]?.id !== SATISFACTION && questions.length > 0) c.add(node, 'scripts.check.satisfactionFirst');
  return questions;
}

function readChoices(c: Collector, node: Node | null | undefined, item: Node, id: string): Choice[] | undefined {
  if (!isSeq(node) || node.items.length < 2) {
    c.add(node ?? item, 'scripts.check.choicesMissing', { id });
    return undefined;
  }
  const choices: Choice[] = [];
  for (const entry of node.items as (Node | null)[]) {
    const cid = isMap(entry) ? entry.get('id') : undefined;
    const text = isMap(entry) ? entry.get('text') : undefined;
    const extra = isMap(entry) ? entry.items.find((p) => !(CHOICE_KEYS as readonly string[]).includes(String(isScalar(p.key) ? p.key.value : ''))) : undefined;
    if (typeof cid !== 'string' || !ID.test(cid) || typeof text !== 'string' || text.trim() === '' || extra) {
      c.add(entry ?? node, 'scripts.check.choice', { id });
      continue;
    }
    if (choices.some((ch) => ch.id === cid)) c.add(entry, 'scripts.check.duplicateChoice', { id, choice: cid });
    choices.push({ id: cid, text });
  }
  return choices;
}

// --- conditions

const TOKEN = /\s*(<=|>=|!=|=|<|>|\[|\]|,|[A-Za-z0-9_.-]+|\S)/y;

class ConditionError extends Error {}

/** `satisfaction <= 3`, `a = yes and b != no`, `channel in [online, store]`; `and` binds tighter than `or`. */
export function parseCondition(text: string): Condition {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (match = TOKEN.exec(text))) {
    if (match[1] === undefined) break;
    tokens.push(match[1]);
  }
  let at = 0;
  const peek = () => tokens[at];
  const next = (what: MessageId) => {
    const token = tokens[at++];
    if (token === undefined) throw new ConditionError(t('scripts.cond.endEarly', { expected: t(what) }));
    return token;
  };
  const word = (what: MessageId) => {
    const token = next(what);
    if (!/^[A-Za-z0-9_.-]+$/.test(token) || token === 'and' || token === 'or') throw new ConditionError(t('scripts.cond.unexpected', { token, expected: t(what) }));
    return token;
  };
  const atom = (): Condition => {
    const id = word('scripts.cond.aQuestion');
    const op = next('scripts.cond.anOperator');
    if (op === 'in') {
      const open = next('scripts.cond.aList');
      if (open !== '[') throw new ConditionError(t('scripts.cond.unexpected', { token: open, expected: t('scripts.cond.aList') }));
      const values = [word('scripts.cond.aValue')];
      for (;;) {
        const sep = next('scripts.cond.aList');
        if (sep === ']') break;
        if (sep !== ',') throw new ConditionError(t('scripts.cond.unexpected', { token: sep, expected: '"," / "]"' }));
        values.push(word('scripts.cond.aValue'));
      }
      return { kind: 'in', id, values };
    }
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw new ConditionError(t('scripts.cond.unexpected', { token: op, expected: t('scripts.cond.anOperator') }));
    return { kind: 'cmp', id, op: op as '=', value: word('scripts.cond.aValue') };
  };
  const and = (): Condition => {
    const parts = [atom()];
    while (peek() === 'and') {
      at++;
      parts.push(atom());
    }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts: parts };
  };
  const parts = [and()];
  while (peek() === 'or') {
    at++;
    parts.push(and());
  }
  if (at < tokens.length) throw new ConditionError(t('scripts.cond.unexpected', { token: tokens[at], expected: '"and" / "or"' }));
  return parts.length === 1 ? parts[0] : { kind: 'or', parts };
}

type Atom = Extract<Condition, { id: string }>;

function atoms(condition: Condition): Atom[] {
  if (condition.kind === 'or' || condition.kind === 'and') return condition.parts.flatMap(atoms);
  return [condition];
}

const RANGES: Partial<Record<QuestionType, [number, number]>> = { rating: [1, 5], nps: [0, 10] };

/** Parses `when` and checks it against the questions asked before this one. */
function checkCondition(c: Collector, node: Node, when: string, self: string, earlier: Question[]): Condition | undefined {
  let condition: Condition;
  try {
    condition = parseCondition(when);
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    c.add(node, 'scripts.check.conditionMalformed', { when, detail: error.message });
    return undefined;
  }
  let ok = true;
  for (const atom of atoms(condition)) {
    const target = earlier.find((q) => q.id === atom.id);
    if (!target) {
      c.add(node, atom.id === self ? 'scripts.check.conditionLater' : 'scripts.check.conditionUnknown', { when, id: atom.id });
      ok = false;
      continue;
    }
    const bad = (value: string, expected: string) => {
      c.add(node, 'scripts.check.conditionValue', { when, value, id: atom.id, expected });
      ok = false;
    };
    const range = RANGES[target.type];
    if (atom.kind === 'in') {
      if (!target.choices) {
        c.add(node, 'scripts.check.conditionOp', { when, op: 'in', id: atom.id, type: target.type });
        ok = false;
      } else {
        for (const value of atom.values) if (!target.choices.some((ch) => ch.id === value)) bad(value, target.choices.map((ch) => ch.id).join(', '));
      }
    } else if (range) {
      const n = Number(atom.value);
      if (!/^\d+$/.test(atom.value) || n < range[0] || n > range[1]) bad(atom.value, `${range[0]}–${range[1]}`);
    } else if (target.type === 'yes-no' || target.choices) {
      if (!['=', '!='].includes(atom.op)) {
        c.add(node, 'scripts.check.conditionOp', { when, op: atom.op, id: atom.id, type: target.type });
        ok = false;
      } else if (target.type === 'yes-no' && !['yes', 'no'].includes(atom.value)) bad(atom.value, 'yes, no');
      else if (target.choices && !target.choices.some((ch) => ch.id === atom.value)) bad(atom.value, target.choices.map((ch) => ch.id).join(', '));
    } else if (target.type === 'text' || target.type === 'date') {
      c.add(node, 'scripts.check.conditionOp', { when, op: atom.op, id: atom.id, type: target.type });
      ok = false;
    }
  }
  return ok ? condition : undefined;
}

/** An answer as the call records it: a number (rating, nps), yes/no, a choice id or ids, text; absent when skipped. */
export type Answer = number | boolean | string | string[] | null | undefined;
export type Answers = Record<string, Answer>;

/** Is the question asked, given the answers so far? A condition on a skipped question is false. */
export function questionApplies(question: Pick<Question, 'when' | 'condition'>, answers: Answers): boolean {
  if (question.when === undefined) return true;
  return evaluate(question.condition ?? parseCondition(question.when), answers);
}

function evaluate(condition: Condition, answers: Answers): boolean {
  if (condition.kind === 'and') return condition.parts.every((p) => evaluate(p, answers));
  if (condition.kind === 'or') return condition.parts.some((p) => evaluate(p, answers));
  const raw = answers[condition.id];
  if (raw === undefined || raw === null || raw === '') return false;
  const answer = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : raw;
  if (condition.kind === 'in') {
    return Array.isArray(answer) ? answer.some((a) => condition.values.includes(a)) : condition.values.includes(String(answer));
  }
  const { op, value } = condition;
  if (Array.isArray(answer)) {
    if (op === '=') return answer.includes(value);
    if (op === '!=') return !answer.includes(value);
    return false;
  }
  const a = Number(answer);
  const b = Number(value);
  const numeric = String(answer).trim() !== '' && Number.isFinite(a) && value.trim() !== '' && Number.isFinite(b);
  switch (op) {
    case '=':
      return numeric ? a === b : String(answer) === value;
    case '!=':
      return numeric ? a !== b : String(answer) !== value;
    case '<':
      return numeric && a < b;
    case '<=':
      return numeric && a <= b;
    case '>':
      return numeric && a > b;
    default:
      return numeric && a >= b;
  }
}

/** `{customer}` and the other variables filled in; one without a value stays as written. */
export function fillText(text: string, vars: Variables): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name as keyof Variables];
    return value === undefined || value === null ? whole : String(value);
  });
}
