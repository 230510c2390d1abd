// `followup demo`: a week of a follow-up team's work on the bundled fixtures, in a few seconds.
//
// Everything goes through the code the team uses: the CRM exports through the importer, each
// morning's list through the planner, every call through the call session the agents' screen uses
// (claim the next customer, answer the script's questions, record the problems raised, end the call
// with its outcome), and fixed problems through the closed loop (resolve, then a confirmation call).
// Only the agents' and customers' choices are simulated, by a seeded generator and fixed dates and
// times, so the demo is the same on every run and on every day it is run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, IssueLevel1, Priority } from '../core/config.js';
import type { ImportKind } from './columns.js';
import { importExport, openInput } from '../import/importer.js';
import { t, type Lang, type MessageId } from '../messages/index.js';
import { callsByOutcome, listProgress, openIssuesOf, type ClaimedItem } from '../storage/calls.js';
import { issueTotals, type IssueTotals } from '../storage/issues.js';
import type { Db } from '../storage/db.js';
import { addDays, weekday } from './calendar.js';
import {
  beginCall,
  callSession,
  callTime,
  checkAnswer,
  checkIssue,
  finishCall,
  nextItem,
  OUTCOMES,
  parseCallbackAt,
  recordAnswer,
  recordIssue,
  scriptForItem,
  type CallSession,
  type IssueInput,
  type Outcome,
} from './call.js';
import { resolve } from './issues.js';
import { calendarFrom, planCallList } from './plan.js';
import { questionApplies, SATISFACTION, type Answer, type Answers, type Question, type Script } from './scripts.js';

/** fixtures/ in the repository (and the package): dist/domain/demo.js → ../../fixtures. */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** The exports imported, in order (customers first: orders and complaints refer to them). */
export const DEMO_EXPORTS: readonly { kind: ImportKind; file: string }[] = [
  { kind: 'customers', file: 'customers.csv' },
  { kind: 'orders', file: 'orders.gbk.csv' },
  { kind: 'complaints', file: 'complaints.csv' },
];

/** The week the fixtures are built around: Monday 2026-11-23 to Friday 2026-11-27. */
export const DEMO_DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'] as const;
export const DEMO_MONTH = '2026-11';
export const DEMO_LAST_DAY = DEMO_DAYS[DEMO_DAYS.length - 1];
const SEED = 20261123;

export interface DemoDay {
  date: string;
  /** Items on the day's list. */
  planned: number;
  urgent: number;
  /** Attempts made (calls recorded) that day. */
  called: number;
  /** Items still pending at the end of the day. */
  left: number;
  /** Issues marked resolved that afternoon. */
  resolved: number;
}

export interface DemoResult {
  imported: Record<ImportKind, number>;
  days: DemoDay[];
  calls: { total: number; byOutcome: Record<Outcome, number> };
  /** The issues raised on the week's calls and where they stand at the end of it (resolved: fixed, awaiting the confirmation call); reopened counts reopenings. */
  issues: IssueTotals;
  confirmations: { confirmed: number; reopened: number };
  /** Pending on the last day's list, per agent. */
  left: Record<string, number>;
  /** The working day after the demo's week (the next list to plan). */
  nextWorkingDay: string;
}

export interface DemoOptions {
  db: Db;
  config: Config;
  lang: Lang;
  /** The demo's folder: rejected rows (there are none in the fixtures) would be written there. */
  dir: string;
  /** A line of progress for people (stderr). */
  progress?: (line: string) => void;
}

// --- the seeded generator -------------------------------------------------------------------------

/** mulberry32: small, fast and good enough to pick answers; the same seed gives the same week. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    /** A value by weight: [[value, weight], …]. */
    weighted: <T>(table: readonly (readonly [T, number])[]): T => {
      const total = table.reduce((n, [, w]) => n + w, 0);
      let r = next() * total;
      for (const [value, weight] of table) {
        r -= weight;
        if (r < 0) return value;
      }
      return table[table.length - 1][0];
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}
type Rng = ReturnType<typeof generator>;

/** Draws from a shuffled deck, reshuffled when it runs out: every item comes up before any comes up twice. */
function deck<T>(rng: Rng, items: readonly T[]): () => T {
  let cards: T[] = [];
  return () => {
    if (cards.length === 0) cards = rng.shuffle(items);
    return cards.pop() as T;
  };
}

interface Decks {
  complaint: () => IssueTemplate;
  suggestion: () => IssueTemplate;
  praise: () => IssueTemplate;
  /** Satisfaction scores: usually 4–5, some 1–3; lower on an open complaint (first call, then the daily calls after it). */
  satisfaction: Record<'usual' | 'complaint' | 'waiting', () => number>;
  /** What customers say to the open questions, as message numbers. */
  say: Record<'problem' | 'praise' | 'suggestion', () => number>;
}

// --- what customers say ----------------------------------------------------------------------------

/** The problems customers raise in the demo: their words, the solution they expect, the fix. */
interface IssueTemplate {
  key: string;
  level1: IssueLevel1;
  level2: string | null;
  priority: Priority;
  mood: 'calm' | 'dissatisfied' | 'anxious';
  feedbackType: 'praise' | 'suggestion' | 'complaint';
  /** Days before the call it happened, or null when the customer did not say. */
  daysAgo: number | null;
}

const COMPLAINTS: readonly IssueTemplate[] = [
  { key: 'late', level1: 'logistics', level2: 'late-delivery', priority: 'P1', mood: 'dissatisfied', feedbackType: 'complaint', daysAgo: 5 },
  { key: 'leak', level1: 'product-quality', level2: 'defect', priority: 'P0', mood: 'anxious', feedbackType: 'complaint', daysAgo: 2 },
  { key: 'installer', level1: 'after-sales', level2: 'installation', priority: 'P1', mood: 'dissatisfied', feedbackType: 'complaint', daysAgo: 3 },
  { key: 'hotline', level1: 'service-experience', level2: 'attitude', priority: 'P1', mood: 'dissatisfied', feedbackType: 'complaint', daysAgo: 4 },
  { key: 'heater', level1: 'after-sales', level2: 'slow-response', priority: 'P0', mood: 'anxious', feedbackType: 'complaint', daysAgo: 2 },
  { key: 'noise', level1: 'product-quality', level2: 'workmanship', priority: 'P1', mood: 'calm', feedbackType: 'complaint', daysAgo: 6 },
];
const SUGGESTIONS: readonly IssueTemplate[] = [
  { key: 'app', level1: 'product-function', level2: 'too-complex', priority: 'P2', mood: 'calm', feedbackType: 'suggestion', daysAgo: null },
  { key: 'price', level1: 'price-fees', level2: 'promotion', priority: 'P2', mood: 'calm', feedbackType: 'suggestion', daysAgo: 8 },
];
const PRAISE: readonly IssueTemplate[] = [
  { key: 'praise', level1: 'service-experience', level2: null, priority: 'P2', mood: 'calm', feedbackType: 'praise', daysAgo: 6 },
];

/** The scenarios whose customers get the week's rarer outcomes and unhappy moments, NPS-asking ones last. */
const DEALT_SCENARIOS: readonly string[] = ['after-sale', 'churn-warning', 'usage-check', 'complaint-resolved', 'first-experience', 'vip-care'];

const m = (id: string, params?: Record<string, string | number>) => t(id as MessageId, params);

/** Text questions, by what they ask for. A team's own scripts may have others: those are skipped. */
const PROBLEM_TEXT = new Set(['what-went-wrong', 'problem-detail', 'issue-detail', 'still-wrong', 'why-detail', 'gap', 'first-problems', 'why-not-used', 'problems']);
const EXPECTED_TEXT = new Set(['expected-solution', 'expected-other']);
const PRAISE_TEXT = new Set(['what-went-well']);
const SUGGESTION_TEXT = new Set(['improve', 'win-back', 'new-needs']);
/** Yes/no questions whose "yes" is good news (true) or bad news (false). */
const YES_IS_GOOD: Record<string, boolean> = {
  'delivery-ok': true,
  resolved: true,
  fixed: true,
  'mood-recovered': true,
  'met-expectation': true,
  problems: false,
  'recent-issues': false,
  'still-happening': false,
};
/** Choices a demo customer does not pick: they would lead to questions the demo has no words for, or ask for no calls at all. */
const AVOIDED_CHOICES = new Set(['other', 'no-calls', 'none', 'never']);

/**
 * The customer's answers to a script, question by question as the screen asks them (a question
 * whose condition is not met is not asked), with values of each question's type.
 */
function answersFor(
  script: Script,
  rng: Rng,
  decks: Decks,
  satisfaction: number,
  issue: { words: string; expected: string; mood: string } | null,
  forced: Record<string, Answer>,
): { question: Question; position: number; raw: Answer }[] {
  const given: Answers = {};
  const out: { question: Question; position: number; raw: Answer }[] = [];
  const good = satisfaction >= 4;
  for (const [position, question] of script.questions.entries()) {
    if (!questionApplies(question, given)) continue;
    let raw: Answer;
    if (question.id === SATISFACTION) raw = satisfaction;
    else if (Object.prototype.hasOwnProperty.call(forced, question.id)) raw = forced[question.id];
    else raw = answerOf(question, rng, decks, satisfaction, good, issue);
    if (raw === undefined) continue;
    given[question.id] = raw;
    out.push({ question, position, raw });
  }
  return out;
}

function answerOf(question: Question, rng: Rng, decks: Decks, satisfaction: number, good: boolean, issue: { words: string; expected: string; mood: string } | null): Answer {
  switch (question.type) {
    case 'rating':
      return rng.chance(0.6) ? Math.max(1, Math.min(5, satisfaction + rng.pick([-1, 0, 0, 1]))) : undefined;
    case 'nps':
      if (!rng.chance(0.9)) return undefined;
      return satisfaction >= 5 ? rng.int(8, 10) : satisfaction === 4 ? rng.int(7, 9) : rng.int(2, 6);
    case 'yes-no': {
      if (!rng.chance(0.85)) return undefined;
      const yesIsGood = YES_IS_GOOD[question.id];
      if (yesIsGood === undefined) return rng.chance(0.5);
      const goodNews = good ? rng.chance(0.9) : issue ? rng.chance(0.1) : rng.chance(0.4);
      return goodNews === yesIsGood;
    }
    case 'single': {
      const choices = (question.choices ?? []).filter((c) => !AVOIDED_CHOICES.has(c.id));
      if (choices.length === 0 || !rng.chance(0.7)) return undefined;
      const byMood = issue ? choices.find((c) => c.id === issue.mood) : undefined;
      return byMood?.id ?? rng.pick(choices).id;
    }
    case 'multiple': {
      const choices = (question.choices ?? []).filter((c) => !AVOIDED_CHOICES.has(c.id));
      if (choices.length === 0 || !rng.chance(0.7)) return undefined;
      const picked = rng.shuffle(choices).slice(0, rng.int(1, Math.min(2, choices.length)));
      return picked.map((c) => c.id);
    }
    case 'text':
      if (PROBLEM_TEXT.has(question.id)) return issue ? issue.words : !good ? m(`demo.say.problem.${decks.say.problem()}`) : undefined;
      if (EXPECTED_TEXT.has(question.id)) return issue ? issue.expected : undefined;
      if (PRAISE_TEXT.has(question.id)) return good && rng.chance(0.5) ? m(`demo.say.praise.${decks.say.praise()}`) : undefined;
      if (SUGGESTION_TEXT.has(question.id)) return rng.chance(0.3) ? m(`demo.say.suggestion.${decks.say.suggestion()}`) : undefined;
      return undefined;
    default:
      return undefined;
  }
}

// --- the week --------------------------------------------------------------------------------------

/** A local time on a day: callTime() takes the hour and minute from it, so the demo's times never depend on the time zone. */
function at(day: string, hour: number, minute: number): Date {
  const [y, mo, d] = day.split('-').map(Number);
  return new Date(y, mo - 1, d, hour, minute, 0);
}

class Clock {
  constructor(public now: Date) {}
  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }
  readonly read = () => this.now;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { db, config, lang } = options;
  const say = options.progress ?? (() => {});
  const rng = generator(SEED);
  const decks: Decks = {
    complaint: deck(rng, COMPLAINTS),
    suggestion: deck(rng, SUGGESTIONS),
    praise: deck(rng, PRAISE),
    satisfaction: {
      usual: deck(rng, [5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 1]),
      complaint: deck(rng, [4, 4, 3, 2, 1]),
      waiting: deck(rng, [5, 5, 4, 4, 4, 4, 3, 3, 2]),
    },
    say: { problem: deck(rng, [1, 2, 3]), praise: deck(rng, [1, 2, 3, 4]), suggestion: deck(rng, [1, 2, 3, 4]) },
  };

  // 1. The CRM exports, as `followup import` loads them.
  const imported = {} as Record<ImportKind, number>;
  for (const { kind, file } of DEMO_EXPORTS) {
    const full = path.join(FIXTURES_DIR, file);
    const result = await importExport(db, {
      kind,
      file: full,
      input: openInput({ file: full }),
      cwd: options.dir,
      worker: false,
      now: () => at(DEMO_DAYS[0], 8, 30),
    });
    imported[kind] = result.inserted + result.updated + result.unchanged;
    say(t('demo.progress.imported', { kind: t(`demo.kind.${kind}` as MessageId), count: imported[kind], file }));
  }

  const days: DemoDay[] = [];
  /** The template behind each issue raised, for the words of its fix. */
  const templateOf = new Map<number, IssueTemplate>();
  /** A customer who never picks up: their retries end as unreachable. */
  let neverAnswers: string | undefined;
  let confirmationCalls = 0;
  const confirmations = { confirmed: 0, reopened: 0 };

  for (const [dayIndex, date] of DEMO_DAYS.entries()) {
    // 2. The morning's list, as `followup plan` makes it.
    const list = planCallList(db, config, { date, now: () => at(date, 8, 45) });
    const lastDay = dayIndex === DEMO_DAYS.length - 1;

    // What happens to whom: the rarer outcomes are dealt out once, to customers without an urgent reason.
    const special = new Map<string, Outcome>();
    // (Customers of the scenarios that ask for NPS last: the demo wants some of those answers.)
    const ordinary = rng
      .shuffle(list.items.filter((i) => !i.urgent && DEALT_SCENARIOS.includes(i.scenario)))
      .sort((a, b) => DEALT_SCENARIOS.indexOf(a.scenario) - DEALT_SCENARIOS.indexOf(b.scenario))
      .map((i) => i.customerId);
    const deal = (outcomes: Outcome[]) => outcomes.forEach((o, i) => ordinary[i] !== undefined && special.set(ordinary[i], o));
    const dealt = [['no-answer', 'no-answer', 'busy', 'callback', 'refused', 'wrong-number', 'do-not-call', 'no-answer'], ['callback', 'busy']][dayIndex] ?? ['no-answer'];
    deal(dealt as Outcome[]);
    // And a few customers reached are unhappy, with a problem to record (a complaint for the closed loop).
    const unhappy = new Set(ordinary.slice(dealt.length, dealt.length + (dayIndex === 0 ? 2 : dayIndex === 1 ? 1 : 0)));

    let called = 0;
    for (const [agentIndex, agent] of config.agents.entries()) {
      const clock = new Clock(at(date, 9, agentIndex * 4));
      const s = callSession(db, config, lang, agent.name, date, clock.read);
      const pendingNow = () => listProgress(db, date, agent.name).reduce((n, r) => n + r.pending, 0);
      // On the last day each agent but the last leaves half of the list (at least one call) for the
      // newcomer to make; the last makes all of theirs, so Friday has calls done and calls left.
      const leave = lastDay && agentIndex < config.agents.length - 1 ? Math.max(1, Math.floor(pendingNow() / 2)) : 0;
      for (;;) {
        const pending = pendingNow();
        if (pending === 0 || pending <= leave) break;
        const item = nextItem(s);
        if (!item) break;
        let outcome: Outcome;
        if (item.scenario === 'confirmation' || item.scenario === 'callback') outcome = 'completed';
        else if (item.scenario === 'retry') outcome = item.customerId === neverAnswers ? 'no-answer' : rng.weighted([['completed', 8], ['no-answer', 1], ['busy', 1]] as const);
        else if (item.urgent || unhappy.has(item.customerId)) outcome = 'completed';
        else outcome = special.get(item.customerId) ?? rng.weighted([['completed', 18], ['no-answer', 1], ['busy', 1]] as const);
        if (dayIndex === 0 && outcome === 'no-answer' && neverAnswers === undefined) neverAnswers = item.customerId;
        const confirmation = item.scenario === 'confirmation' ? confirmationCalls++ : -1;
        const result = simulateCall(s, clock, rng, item, outcome, dayIndex, { confirmation, unhappy: unhappy.has(item.customerId) }, decks, templateOf);
        if (result === 'confirmed') confirmations.confirmed++;
        if (result === 'reopened') confirmations.reopened++;
        called++;
        clock.advance(rng.int(60, 240));
      }
    }

    // 3. In the afternoon the departments fix some of the problems: the next list has confirmation calls.
    let resolved = 0;
    const toResolve = dayIndex === 1 ? 3 : dayIndex === 3 ? 2 : 0;
    if (toResolve > 0) {
      const open = db
        .prepare(
          `SELECT i.id FROM issues i
            WHERE i.status = 'open' AND i.feedback_type <> 'praise'
              AND NOT EXISTS (SELECT 1 FROM plan_items p WHERE p.customer_id = i.customer_id AND p.plan_date = ? AND p.scenario = 'complaint-open')
            ORDER BY i.priority, i.id LIMIT ?`,
        )
        .all(date, toResolve) as { id: number }[];
      for (const [i, { id }] of open.entries()) {
        const template = templateOf.get(id);
        const note = m(`demo.fix.${template?.key ?? 'generic'}`);
        resolve(db, id, note, callTime(date, at(date, 16, 30 + i * 5)), date);
        resolved++;
      }
    }

    const progress = listProgress(db, date);
    const left = progress.reduce((n, r) => n + r.pending + r.claimed, 0);
    const urgent = list.items.filter((i) => i.urgent).length;
    days.push({ date, planned: list.items.length, urgent, called, left, resolved });
    say(t('demo.progress.day', { date, weekday: t(`weekday.${weekday(date)}` as MessageId), planned: list.items.length, called, left, resolved }));
  }

  return { imported, days, ...totals(db), confirmations, left: leftOn(db, DEMO_LAST_DAY, config), nextWorkingDay: calendarFrom(config).nextWorkingDay(DEMO_LAST_DAY) };
}

/**
 * One call, as an agent makes it on the screen: dial, and when the customer is reached, the
 * script's questions, the problems they raise, the end with its outcome. Returns what a
 * confirmation call decided.
 */
function simulateCall(
  s: CallSession,
  clock: Clock,
  rng: Rng,
  item: ClaimedItem,
  outcome: Outcome,
  dayIndex: number,
  how: { confirmation: number; unhappy: boolean },
  decks: Decks,
  templateOf: Map<number, IssueTemplate>,
): 'confirmed' | 'reopened' | null {
  clock.advance(rng.int(20, 60)); // reading the card, dialling
  const startedAt = callTime(s.date, clock.now);
  if (outcome !== 'completed') {
    clock.advance(outcome === 'no-answer' ? rng.int(30, 50) : rng.int(10, 90));
    const callbackAt = outcome === 'callback' ? parseCallbackAt(`${addDays(s.date, 2)} ${dayIndex === 0 ? '10:30' : '15:00'}`, s.date) : undefined;
    const notes = outcome === 'callback' || outcome === 'wrong-number' || outcome === 'refused' ? m(`demo.note.${outcome}`) : null;
    finishCall(s, item, outcome, { startedAt, callbackAt, notes });
    return null;
  }

  const script = scriptForItem(s, item);
  const callId = beginCall(s, item, startedAt);
  const forced: Record<string, Answer> = {};
  const waiting = item.scenario === 'complaint-open' && openIssuesOf(s.db, item.customerId).some((i) => i.status === 'open');
  let satisfaction: number;
  let template: IssueTemplate | null = null;
  if (item.scenario === 'confirmation') {
    // The second confirmation call of the week hears that the problem is back.
    const reopen = how.confirmation === 1;
    forced.fixed = !reopen;
    satisfaction = reopen ? 2 : rng.int(4, 5);
  } else if (waiting) {
    // An open complaint is called every day until the helpdesk closes it: the problem is on record already.
    satisfaction = decks.satisfaction.waiting();
  } else {
    const complaint = item.scenario === 'complaint-open';
    satisfaction = how.unhappy
      ? rng.int(1, 2)
      : complaint
        ? decks.satisfaction.complaint()
        : decks.satisfaction.usual();
    if (complaint || satisfaction <= 2 || (satisfaction === 3 && rng.chance(0.35))) template = decks.complaint();
    else if (satisfaction === 4 && rng.chance(0.2)) template = decks.suggestion();
    else if (satisfaction === 5 && rng.chance(0.12)) template = decks.praise();
  }
  const said =
    item.scenario === 'confirmation'
      ? satisfaction <= 3
        ? { words: m('demo.say.stillWrong'), expected: '', mood: 'dissatisfied' }
        : null
      : waiting
        ? { words: m('demo.say.waiting'), expected: '', mood: rng.pick(['calm', 'anxious']) }
        : template && template.feedbackType === 'complaint'
          ? { words: m(`demo.issue.${template.key}.words`), expected: m(`demo.issue.${template.key}.expected`), mood: template.mood }
          : null;

  for (const a of answersFor(script, rng, decks, satisfaction, said, forced)) {
    clock.advance(rng.int(15, 50));
    recordAnswer(s, callId, a.question, a.position, checkAnswer(a.question, a.raw));
  }
  if (template) {
    clock.advance(rng.int(60, 150));
    const input: IssueInput = {
      level1: template.level1,
      level2: template.level2,
      priority: template.priority,
      words: m(`demo.issue.${template.key}.words`),
      happenedOn: template.daysAgo === null ? null : addDays(s.date, -template.daysAgo),
      expected: m(`demo.issue.${template.key}.expected`),
      mood: template.mood,
      feedbackType: template.feedbackType,
    };
    const issue = checkIssue(s.config, s.calendar, s.date, input);
    templateOf.set(recordIssue(s, callId, item.customerId, issue), template);
  }
  clock.advance(rng.int(20, 45)); // the closing
  const done = finishCall(s, item, 'completed', { callId, startedAt, notes: null });
  return done.followUp.issue?.result ?? null;
}

function totals(db: Db): Pick<DemoResult, 'calls' | 'issues'> {
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const row of callsByOutcome(db)) byOutcome[row.outcome as Outcome] = row.n;
  const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
  return { calls: { total, byOutcome }, issues: issueTotals(db, DEMO_LAST_DAY) };
}

function leftOn(db: Db, date: string, config: Config): Record<string, number> {
  const left = Object.fromEntries(config.agents.map((a) => [a.name, 0]));
  for (const r of listProgress(db, date)) if (r.agent !== null) left[r.agent] = r.pending + r.claimed;
  return left;
}
