// Working the call list (回访执行): claiming the next customer, checking answers and issues against
// the script and the settings, and what each outcome of an attempt leads to.
//
//   completed     the script's answers and any issues; the item is done
//   no-answer     retried on a later working day (the planner's retry scenario) until the
//   busy          configured maximum attempts, then the item is closed as unreachable
//   callback      the customer chose a time: the planner lists it that day, for the same agent
//   wrong-number  the customer is flagged until the CRM has another number for them
//   refused       recorded; no retry
//   do-not-call   the customer is marked and never planned again
//
// The interactive screen (commands/call) and the non-interactive paths (--answers FILE, import
// calls) go through the same checks here, so a value the screen would refuse is refused everywhere.

import os from 'node:os';
import { DEFAULT_LEVEL2, ISSUE_LEVEL1, PRIORITIES, type Config, type IssueLevel1, type Priority } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { LANGS, t, type Lang } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import {
  abandonCall,
  answersOf,
  deleteAnswer,
  cardCustomer,
  claimCustomer,
  claimNext,
  endCall,
  issuesOfCall,
  itemById,
  openComplaints,
  openIssuesOf,
  previousCalls,
  recentOrders,
  saveAnswer,
  saveIssue,
  startCall,
  unansweredAttempts,
  ownIdleClaims,
  unclaim,
  callsOn,
  listProgress,
  type CallOfDay,
  type ClaimedItem,
  type ClaimParams,
  type FlagChange,
  type IssueRow,
} from '../storage/calls.js';
import { closeIssue, reopenIssue, resolvedIssues } from '../storage/issues.js';
import { addDays, type WorkingCalendar } from './calendar.js';
import { calendarFrom } from './plan.js';
import { loadScript, questionApplies, SATISFACTION, type Answer, type Answers, type Question, type Script } from './scripts.js';
import { halfWidth, isProblem, parseDate, parseDateTime, parseFlag } from './values.js';

export const OUTCOMES = ['completed', 'no-answer', 'busy', 'wrong-number', 'refused', 'callback', 'do-not-call'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const MOODS = ['calm', 'dissatisfied', 'anxious'] as const;
export const FEEDBACK_TYPES = ['praise', 'suggestion', 'complaint'] as const;

/** How long the screen keeps a claim alive between refreshes, and when its own old claims are dead. */
export const HEARTBEAT_MS = 30_000;
export const OWN_CLAIM_STALE_MS = 2 * 60_000;

// --- time -----------------------------------------------------------------------------------------

/**
 * A call's time: the list's day D with the clock's time of day (local), YYYY-MM-DDTHH:MM:SS. With
 * --date today (the usual case) that is simply now; with another --date the call lands on that
 * day's list, which keeps replays and tests reproducible.
 */
export function callTime(date: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/** This process, as a claim's owner. */
export const THIS_PROCESS = `${os.hostname()}:${process.pid}`;

/**
 * Is the process that owns a claim still running? On this machine the answer is exact; a claim
 * owned on another machine (a shared folder) is alive while its heartbeat is recent.
 */
export function ownerAlive(owner: string | null, claimedAt: string | null, now: Date): boolean {
  if (owner === null) return false;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host === os.hostname() && Number.isInteger(pid)) {
    if (pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return claimedAt !== null && Date.parse(claimedAt) > now.getTime() - OWN_CLAIM_STALE_MS;
}

export function claimParams(config: Config, agent: string, date: string, now: Date): ClaimParams {
  return {
    date,
    agent,
    owner: THIS_PROCESS,
    now: now.toISOString(),
    staleBefore: new Date(now.getTime() - config.contact.claimTimeoutMinutes * 60_000).toISOString(),
  };
}

// --- answers --------------------------------------------------------------------------------------

const fail = (id: Parameters<typeof t>[0], params: Record<string, string | number> = {}): never => {
  throw new UserError(id, params);
};

/**
 * One answer checked against its question: the stored value, or null when the customer declined
 * (not allowed for a required question). `raw` is a JSON value (the --answers file) or what the
 * agent typed (a string); a choice may be given by its id or by its number in the list.
 */
export function checkAnswer(question: Question, raw: unknown): Answer {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    if (question.required) fail('call.answerRequired', { question: questionName(question), expected: expectedOf(question) });
    return null;
  }
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const bad = () => fail('call.badAnswer', { question: questionName(question), value: typeof raw === 'string' ? raw : JSON.stringify(raw), expected: expectedOf(question) });
  switch (question.type) {
    case 'rating':
    case 'nps': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^\d{1,2}$/.test(text) ? Number(text) : NaN;
      const [min, max] = question.type === 'rating' ? [1, 5] : [0, 10];
      if (!Number.isInteger(n) || n < min || n > max) bad();
      return n;
    }
    case 'yes-no': {
      if (typeof text === 'boolean') return text;
      if (typeof text !== 'string') return bad();
      const flag = parseFlag(text);
      if (isProblem(flag) || flag.value === null) return bad();
      return flag.value;
    }
    case 'single': {
      const id = choiceId(question, text);
      return id ?? bad();
    }
    case 'multiple': {
      const parts = Array.isArray(text) ? text : typeof text === 'string' ? text.split(/[\s,，、]+/).filter(Boolean) : null;
      if (!parts || parts.length === 0) return bad();
      const ids = parts.map((part) => choiceId(question, part));
      if (ids.some((id) => id === undefined)) return bad();
      return [...new Set(ids as string[])];
    }
    case 'date': {
      if (typeof text !== 'string') return bad();
      const day = parseDate(text);
      return isProblem(day) ? bad() : day.value;
    }
    default:
      return typeof text === 'string' ? text : bad();
  }
}

/** A label compared as typed: full-width folded, case and spaces ignored. */
const labelKey = (text: string) => halfWidth(text).toLowerCase().replace(/\s+/g, '');

/** A choice by its number, its id, or its label as shown (退款, 不满 …). */
function choiceId(question: Question, value: unknown): string | undefined {
  const choices = question.choices ?? [];
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(halfWidth(value.trim())))) {
    return choices[Number(halfWidth(String(value).trim())) - 1]?.id;
  }
  if (typeof value !== 'string') return undefined;
  const key = labelKey(value);
  return (choices.find((c) => c.id === value.trim()) ?? choices.find((c) => labelKey(c.text) === key))?.id;
}

/** A level-1 category by its id or its label in either language (价格费用类, price and fees). */
function level1Of(value: string): IssueLevel1 | undefined {
  const text = value.trim();
  if ((ISSUE_LEVEL1 as readonly string[]).includes(text)) return text as IssueLevel1;
  const key = labelKey(text);
  return ISSUE_LEVEL1.find((id) => LANGS.some((lang) => labelKey(t(`issue.l1.${id}` as Parameters<typeof t>[0], undefined, lang)) === key));
}

/** A level-2 category among `allowed` by its id or its label (功能异常). */
function level2Matching(allowed: readonly string[], value: string): string | undefined {
  if (allowed.includes(value)) return value;
  const key = labelKey(value);
  return allowed.find((id) => LANGS.some((lang) => labelKey(t(`issue.l2.${id}` as Parameters<typeof t>[0], undefined, lang)) === key));
}

/** A question as the agent knows it: its text, with its id for the answers file. */
function questionName(question: Question): string {
  return question.text && question.text !== question.id ? `${question.text} (${question.id})` : question.id;
}

/** What a question accepts, for error messages and the screen's hint. */
export function expectedOf(question: Question): string {
  switch (question.type) {
    case 'rating':
      return t('call.expect.rating');
    case 'nps':
      return t('call.expect.nps');
    case 'yes-no':
      return t('call.expect.yesNo');
    case 'single':
    case 'multiple':
      return t(question.type === 'single' ? 'call.expect.single' : 'call.expect.multiple', {
        ids: (question.choices ?? []).map((c, i) => `${i + 1}=${c.text}`).join(', '),
      });
    case 'date':
      return t('call.expect.date');
    default:
      return t('call.expect.text');
  }
}

/** The next question to ask given the answers so far (asked ones, including declined), or undefined at the end. */
export function nextQuestion(script: Script, answered: ReadonlyMap<string, unknown>): { question: Question; position: number } | undefined {
  const answers = Object.fromEntries(answered) as Answers;
  for (const [position, question] of script.questions.entries()) {
    if (answered.has(question.id)) continue;
    if (!questionApplies(question, answers)) continue;
    return { question, position };
  }
  return undefined;
}

/**
 * A whole set of answers (the --answers file) checked against the script as the screen would ask
 * it: every id is a question of the script, a question whose condition is not met cannot be
 * answered, the required answer is there, every value is valid. Returns them in script order.
 */
export function checkAnswers(script: Script, given: Record<string, unknown>): { question: Question; position: number; value: Answer }[] {
  const ids = new Set(script.questions.map((q) => q.id));
  for (const id of Object.keys(given)) {
    if (!ids.has(id)) fail('call.unknownQuestion', { question: id, scenario: script.scenario, ids: [...ids].join(', ') });
  }
  const answers: Answers = {};
  const checked: { question: Question; position: number; value: Answer }[] = [];
  for (const [position, question] of script.questions.entries()) {
    const present = Object.prototype.hasOwnProperty.call(given, question.id);
    if (!questionApplies(question, answers)) {
      if (present && given[question.id] !== null) fail('call.notAsked', { question: question.id, when: question.when ?? '' });
      continue;
    }
    if (!present && !question.required) continue;
    const value = checkAnswer(question, given[question.id]);
    answers[question.id] = value;
    checked.push({ question, position, value });
  }
  return checked;
}

// --- issues ------------------------------------------------------------------------------------------

export interface IssueInput {
  level1?: unknown;
  level2?: unknown;
  priority?: unknown;
  words?: unknown;
  happenedOn?: unknown;
  expected?: unknown;
  mood?: unknown;
  feedbackType?: unknown;
  department?: unknown;
  dueWorkingDays?: unknown;
}

export interface Issue {
  level1: IssueLevel1;
  level2: string | null;
  priority: Priority;
  words: string;
  happenedOn: string | null;
  expected: string | null;
  mood: (typeof MOODS)[number] | null;
  feedbackType: (typeof FEEDBACK_TYPES)[number] | null;
  department: string;
  dueWorkingDays: number;
  /** The deadline promised to the customer: that many working days after the call. */
  dueBy: string;
}

const ISSUE_KEYS = ['level1', 'level2', 'priority', 'words', 'happenedOn', 'expected', 'mood', 'feedbackType', 'department', 'dueWorkingDays'];

const optionalText = (value: unknown, field: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail('issue.badField', { field, value: JSON.stringify(value) });
  const text = (value as string).trim();
  return text === '' ? null : text;
};

/** The level-2 categories of a level-1 one, as the settings list them. */
export function level2Of(config: Config, level1: IssueLevel1): string[] {
  return config.issues.categories[level1] ?? DEFAULT_LEVEL2[level1];
}

/** A level-2 category for people: a bundled id translated, a team's own name as written. */
export function level2Label(id: string | null): string {
  if (!id) return '';
  const label = t(`issue.l2.${id}` as Parameters<typeof t>[0]);
  return label === `issue.l2.${id}` ? id : label;
}

/** One issue checked against the settings, with its department and promised deadline filled in. */
export function checkIssue(config: Config, calendar: WorkingCalendar, callDay: string, input: IssueInput, index = 0): Issue {
  const at = index + 1;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('issue.notObject', { n: at });
  for (const key of Object.keys(input)) if (!ISSUE_KEYS.includes(key)) fail('issue.unknownKey', { n: at, key, keys: ISSUE_KEYS.join(', ') });
  const level1 = level1Of(String(input.level1 ?? '')) as IssueLevel1;
  if (!level1) fail('issue.level1', { n: at, value: String(input.level1 ?? ''), ids: ISSUE_LEVEL1.join(', ') });
  const level2Text = optionalText(input.level2, 'level2');
  const allowed = level2Of(config, level1);
  const level2 = level2Text === null ? null : (level2Matching(allowed, level2Text) ?? null);
  if (level2Text !== null && level2 === null) fail('issue.level2', { n: at, value: level2Text, level1, ids: allowed.join(', ') });
  const priority = String(input.priority ?? '').trim().toUpperCase() as Priority;
  if (!PRIORITIES.includes(priority)) fail('issue.priority', { n: at, value: String(input.priority ?? '') });
  const words = optionalText(input.words, 'words');
  if (words === null) fail('issue.words', { n: at });
  let happenedOn: string | null = null;
  const happened = optionalText(input.happenedOn, 'happenedOn');
  if (happened !== null) {
    const parsed = parseDate(happened);
    if (isProblem(parsed) || parsed.value > callDay) fail('issue.happenedOn', { n: at, value: happened, date: callDay });
    happenedOn = (parsed as { value: string }).value;
  }
  const mood = optionalText(input.mood, 'mood');
  if (mood !== null && !(MOODS as readonly string[]).includes(mood)) fail('issue.mood', { n: at, value: mood, ids: MOODS.join(', ') });
  const feedbackType = optionalText(input.feedbackType, 'feedbackType');
  if (feedbackType !== null && !(FEEDBACK_TYPES as readonly string[]).includes(feedbackType)) {
    fail('issue.feedbackType', { n: at, value: feedbackType, ids: FEEDBACK_TYPES.join(', ') });
  }
  let dueWorkingDays = config.issues.dueWorkingDays[priority];
  if (input.dueWorkingDays !== undefined && input.dueWorkingDays !== null) {
    const n = typeof input.dueWorkingDays === 'string' ? Number(input.dueWorkingDays) : input.dueWorkingDays;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 365) fail('issue.dueWorkingDays', { n: at, value: String(input.dueWorkingDays) });
    dueWorkingDays = n as number;
  }
  return {
    level1,
    level2,
    priority,
    words: words as string,
    happenedOn,
    expected: optionalText(input.expected, 'expected'),
    mood: mood as Issue['mood'],
    feedbackType: feedbackType as Issue['feedbackType'],
    department: optionalText(input.department, 'department') ?? config.issues.departments[level1],
    dueWorkingDays,
    dueBy: promisedBy(calendar, callDay, dueWorkingDays),
  };
}

/** N working days after the call (0: the call's day, or the next working day). */
export function promisedBy(calendar: WorkingCalendar, day: string, workingDays: number): string {
  return workingDays <= 0 ? calendar.onOrAfter(day) : calendar.addWorkingDays(day, workingDays);
}

// --- outcomes ----------------------------------------------------------------------------------------

export function parseOutcome(value: unknown): Outcome {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((OUTCOMES as readonly string[]).includes(text)) return text as Outcome;
  return fail('call.badOutcome', { value: typeof value === 'string' ? value : JSON.stringify(value ?? null), ids: OUTCOMES.join(', ') });
}

/** The time the customer chose for a callback: YYYY-MM-DDTHH:MM, on or after the call's day. */
export function parseCallbackAt(value: unknown, callDay: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const parsed = text === '' ? undefined : parseDateTime(text);
  if (!parsed || isProblem(parsed)) return fail('call.badCallbackAt', { value: text });
  const at = parsed.value.length === 10 ? `${parsed.value}T00:00` : parsed.value.slice(0, 16);
  if (at.slice(0, 10) < callDay) fail('call.callbackPast', { value: text, date: callDay });
  return at;
}

export interface FollowUp {
  outcome: Outcome;
  /** What became of the list item. */
  item: 'done' | 'closed';
  /** Why it was closed, or what comes next (retry, callback). */
  result: string | null;
  /** No answer / busy: the attempts so far without an answer, and the day of the retry (when there is one). */
  attempts?: number;
  retryOn?: string;
  callbackAt?: string;
  /** This attempt used up the last one allowed. */
  unreachable: boolean;
  flags: FlagChange | null;
  /** A completed confirmation call: the issue it confirmed (closed) or reopened. */
  issue?: { id: number; result: 'confirmed' | 'reopened' };
}

/** What an outcome leads to, given the customer's unanswered attempts before this one. */
export function followUpOf(
  config: Config,
  calendar: WorkingCalendar,
  date: string,
  outcome: Outcome,
  customer: { id: string; phone: string | null },
  attemptsBefore: number,
  at: string,
  callbackAt?: string,
): FollowUp {
  switch (outcome) {
    case 'completed':
      return { outcome, item: 'done', result: null, unreachable: false, flags: null };
    case 'no-answer':
    case 'busy': {
      const attempts = attemptsBefore + 1;
      if (attempts >= config.contact.maxAttempts) return { outcome, item: 'closed', result: 'unreachable', attempts, unreachable: true, flags: null };
      const n = config.contact.retryAfterWorkingDays;
      const retryOn = n <= 0 ? calendar.nextWorkingDay(date) : calendar.addWorkingDays(date, n);
      return { outcome, item: 'done', result: 'retry', attempts, retryOn, unreachable: false, flags: null };
    }
    case 'callback':
      return { outcome, item: 'done', result: 'callback', callbackAt, unreachable: false, flags: null };
    case 'wrong-number':
      return { outcome, item: 'closed', result: 'wrong-number', unreachable: false, flags: { customerId: customer.id, wrongNumberAt: at, wrongPhone: customer.phone } };
    case 'refused':
      return { outcome, item: 'closed', result: 'refused', unreachable: false, flags: null };
    default:
      return { outcome, item: 'closed', result: 'do-not-call', unreachable: false, flags: { customerId: customer.id, doNotCallAt: at } };
  }
}

// --- the session: what the screen and the file path share ------------------------------------------------

export interface CallSession {
  db: Db;
  config: Config;
  lang: Lang;
  agent: string;
  /** The list's day. */
  date: string;
  calendar: WorkingCalendar;
  clock: () => Date;
}

export function callSession(db: Db, config: Config, lang: Lang, agent: string, date: string, clock: () => Date = () => new Date()): CallSession {
  return { db, config, lang, agent, date, calendar: calendarFrom(config), clock };
}

/** The script for an item's scenario, in the session's language (the team's folder first). */
export function scriptFor(s: CallSession, scenario: string): Script {
  return loadScript(scenario, s.lang, s.config.scriptsDir);
}

/**
 * The issue a call on this item confirms: the item's own (a confirmation item), or an issue of the
 * customer's that is resolved and awaiting its confirmation — a customer with an open complaint is
 * called about the complaint first, and the fix of their issue is confirmed on the same call.
 */
export function confirmationOf(s: CallSession, item: Pick<ClaimedItem, 'scenario' | 'ref' | 'customerId'>): number | null {
  if (item.scenario === 'confirmation') return item.ref === null ? null : Number(item.ref);
  if (!s.config.scenarios.confirmation.enabled) return null;
  return resolvedIssues(s.db, addDays(s.date, 1), item.customerId)[0]?.id ?? null;
}

/**
 * What the agent asks on a call about this item: the scenario's script, and when the call also
 * confirms an issue's fix, the confirmation script's questions that it does not ask already
 * (satisfaction is asked once), after its own.
 */
export function scriptForItem(s: CallSession, item: Pick<ClaimedItem, 'scenario' | 'ref' | 'customerId'>): Script {
  const script = scriptFor(s, item.scenario);
  if (item.scenario === 'confirmation' || confirmationOf(s, item) === null) return script;
  const asked = new Set(script.questions.map((q) => q.id));
  const extra = scriptFor(s, 'confirmation').questions.filter((q) => !asked.has(q.id));
  return { ...script, questions: [...script.questions, ...extra] };
}

/**
 * The agent's next customer. First, the agent's own claims whose process is gone (a screen closed
 * or killed before dialling) go back on the list at once rather than after the claim timeout; a
 * claim with a call in progress stays, to be resumed.
 */
export function nextItem(s: CallSession): ClaimedItem | undefined {
  const now = s.clock();
  return s.db.transaction(() => {
    for (const claim of ownIdleClaims(s.db, s.date, s.agent)) {
      if (!ownerAlive(claim.claimOwner, claim.claimedAt, now)) unclaim(s.db, claim.id, now.toISOString());
    }
    return claimNext(s.db, claimParams(s.config, s.agent, s.date, now));
  }).immediate();
}

/** Claims one customer's item on the list, or explains (a UserError) why the agent cannot call them now. */
export function itemOfCustomer(s: CallSession, customerId: string): ClaimedItem {
  const claimed = claimCustomer(s.db, { ...claimParams(s.config, s.agent, s.date, s.clock()), customerId });
  if ('item' in claimed) return claimed.item;
  const r = claimed.refused;
  switch (r.code) {
    case 'not-on-list':
      if (!cardCustomer(s.db, customerId)) return fail('call.unknownCustomer', { id: customerId });
      return fail('call.notOnList', { id: customerId, date: s.date });
    case 'other-agent':
      return fail('call.otherAgent', { id: customerId, date: s.date, agent: r.agent ?? '-' });
    case 'busy':
      return fail('call.beingCalled', { id: customerId, agent: r.agent });
    default:
      return fail('call.finished', { id: customerId, date: s.date, result: r.result ?? r.status });
  }
}

/** Everything the card shows about the customer of an item. */
export function cardOf(s: CallSession, item: ClaimedItem, exceptCall: number | null = null) {
  const dNext = addDays(s.date, 1);
  const customer = cardCustomer(s.db, item.customerId);
  if (!customer) throw new Error(`plan item ${item.id}: customer ${item.customerId} is gone`);
  return {
    customer,
    orders: recentOrders(s.db, item.customerId, dNext, 3),
    complaints: openComplaints(s.db, item.customerId, dNext),
    calls: previousCalls(s.db, item.customerId, exceptCall, 3),
    issues: openIssuesOf(s.db, item.customerId),
  };
}
export type Card = ReturnType<typeof cardOf>;

/** The customer was reached: the call is in progress from here, and answers can be saved. */
export function beginCall(s: CallSession, item: ClaimedItem, startedAt: string, source: 'screen' | 'file' | 'sheet' = 'screen'): number {
  return startCall(s.db, {
    planItemId: item.id,
    customerId: item.customerId,
    agent: s.agent,
    scenario: item.scenario,
    planDate: item.planDate,
    startedAt,
    source,
  });
}

export function recordAnswer(s: CallSession, callId: number, question: Question, position: number, value: Answer): void {
  saveAnswer(s.db, callId, question.id, position, value, callTime(s.date, s.clock()));
}

export function recordIssue(s: CallSession, callId: number, customerId: string, issue: Issue): number {
  return saveIssue(s.db, toIssueRow(issue, callId, customerId, callTime(s.date, s.clock())));
}

function toIssueRow(issue: Issue, callId: number, customerId: string, createdAt: string): IssueRow {
  return {
    callId,
    customerId,
    level1: issue.level1,
    level2: issue.level2,
    priority: issue.priority,
    words: issue.words,
    happenedOn: issue.happenedOn,
    expected: issue.expected,
    mood: issue.mood,
    feedbackType: issue.feedbackType,
    department: issue.department,
    dueWorkingDays: issue.dueWorkingDays,
    dueBy: issue.dueBy,
    createdAt,
  };
}

/**
 * Ends an attempt: the call row (created here unless the call was in progress), its outcome and
 * what follows from it, in one transaction. A completed call needs the satisfaction answer.
 */
export function finishCall(
  s: CallSession,
  item: ClaimedItem,
  outcome: Outcome,
  opts: { callId?: number; startedAt: string; callbackAt?: string; notes?: string | null; source?: 'screen' | 'file' | 'sheet' },
): { callId: number; followUp: FollowUp } {
  return s.db.transaction(() => {
    const callId = opts.callId ?? beginCall(s, item, opts.startedAt, opts.source);
    if (outcome === 'completed') {
      const answers = answersOf(s.db, callId);
      if (answers.get(SATISFACTION) === undefined || answers.get(SATISFACTION) === null) {
        fail('call.answerRequired', { question: SATISFACTION, expected: t('call.expect.rating') });
      }
    }
    const customer = cardCustomer(s.db, item.customerId);
    const endedAt = callTime(s.date, s.clock());
    const attemptsBefore = outcome === 'no-answer' || outcome === 'busy' ? unansweredAttempts(s.db, item.customerId) : 0;
    const followUp = followUpOf(s.config, s.calendar, s.date, outcome, { id: item.customerId, phone: customer?.phone ?? null }, attemptsBefore, endedAt, opts.callbackAt);
    endCall(
      s.db,
      { callId, outcome, endedAt, callbackAt: opts.callbackAt ?? null, notes: opts.notes ?? null, unreachable: followUp.unreachable },
      { id: item.id, status: followUp.item, result: followUp.result, now: s.clock().toISOString() },
      followUp.flags,
    );
    const confirms = confirmationOf(s, item);
    if (outcome === 'completed' && confirms !== null) {
      const id = confirms;
      const result = confirmationResult(answersOf(s.db, callId));
      if (result === 'confirmed') closeIssue(s.db, id, endedAt);
      else reopenIssue(s.db, id, stillWrongWords(scriptForItem(s, item), answersOf(s.db, callId), endedAt.slice(0, 10)));
      followUp.issue = { id, result };
    }
    return { callId, followUp };
  }).immediate();
}

/**
 * What a completed confirmation call says about the fix: the customer's answer to "is it really
 * solved?" (`fixed`), or, when they did not say, their satisfaction with it (4–5 confirms).
 */
export function confirmationResult(answers: ReadonlyMap<string, unknown>): 'confirmed' | 'reopened' {
  const fixed = answers.get('fixed');
  if (typeof fixed === 'boolean') return fixed ? 'confirmed' : 'reopened';
  const satisfaction = answers.get(SATISFACTION);
  return typeof satisfaction === 'number' && satisfaction >= 4 ? 'confirmed' : 'reopened';
}

/**
 * What the customer says is still wrong, from a confirmation call's text answers, dated, to be
 * added to the reopened issue's words (so the department reads it there, not in a second issue).
 */
export function stillWrongWords(script: Script, answers: ReadonlyMap<string, unknown>, day: string): string | null {
  const said = wordsOfCall(script, answers);
  return said.length === 0 ? null : `[${day}] ${said.join(' / ')}`;
}

/** Answers of a call given as words (text questions), newest last: what the customer said. */
export function wordsOfCall(script: Script, answers: ReadonlyMap<string, unknown>): string[] {
  return script.questions.filter((q) => q.type === 'text').map((q) => answers.get(q.id)).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

/** The customer's mood as the script's own question recorded it (a question `mood` with the issue moods as choices). */
export function moodOfCall(answers: ReadonlyMap<string, unknown>): string | undefined {
  const mood = answers.get('mood');
  return typeof mood === 'string' && (MOODS as readonly string[]).includes(mood) ? mood : undefined;
}

/** Takes back a saved answer: the agent went back to its question. */
export function forgetAnswer(s: CallSession, callId: number, questionId: string): void {
  deleteAnswer(s.db, callId, questionId);
}

/** The agent stops before dialling: the customer goes back on the list. */
export function putBack(s: CallSession, item: ClaimedItem): void {
  unclaim(s.db, item.id, s.clock().toISOString(), s.agent);
}

/** Gives up a call in progress: it keeps its answers, has no outcome, and its item goes back on the list. */
export function dropCall(s: CallSession, callId: number, itemId: number | null): void {
  s.db.transaction(() => {
    abandonCall(s.db, callId, callTime(s.date, s.clock()));
    if (itemId !== null) {
      unclaim(s.db, itemId, s.clock().toISOString());
    }
  }).immediate();
}

// --- one whole call from a file ------------------------------------------------------------------------

export interface CallInput {
  outcome?: unknown;
  answers?: unknown;
  issues?: unknown;
  callbackAt?: unknown;
  notes?: unknown;
}

const INPUT_KEYS = ['outcome', 'answers', 'issues', 'callbackAt', 'notes'];

export interface RecordedCall {
  callId: number;
  date: string;
  agent: string;
  customerId: string;
  name: string;
  scenario: string;
  planItemId: number;
  outcome: Outcome;
  startedAt: string;
  answers: Record<string, Answer>;
  issues: (Issue & { id: number })[];
  callbackAt: string | null;
  notes: string | null;
  followUp: Omit<FollowUp, 'flags' | 'outcome'>;
}

/** How far the agent's list of the day is: left (pending, claimed), done (done, closed), in all. */
export function progress(s: CallSession): { left: number; done: number; total: number } {
  const rows = listProgress(s.db, s.date, s.agent);
  const sum = (k: 'pending' | 'claimed' | 'done' | 'closed') => rows.reduce((n, r) => n + r[k], 0);
  return { left: sum('pending') + sum('claimed'), done: sum('done') + sum('closed'), total: rows.reduce((n, r) => n + r.pending + r.claimed + r.done + r.closed, 0) };
}

/**
 * Records one whole call (the --answers file, a row of `import calls`): the next item of the
 * agent's list or the named customer's, checked exactly as the screen checks, then written in one
 * transaction. Anything wrong is a UserError and nothing is written, not even the claim.
 */
export function recordWholeCall(s: CallSession, input: CallInput, customerId?: string, source: 'file' | 'sheet' = 'file'): RecordedCall {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('call.fileNotObject');
  for (const key of Object.keys(input)) if (!INPUT_KEYS.includes(key)) fail('call.unknownKey', { key, keys: INPUT_KEYS.join(', ') });
  const outcome = parseOutcome(input.outcome);
  const given = input.answers ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) fail('call.answersNotObject');
  const issuesIn = input.issues ?? [];
  if (!Array.isArray(issuesIn)) fail('call.issuesNotList');
  if (outcome !== 'completed' && (Object.keys(given as object).length > 0 || (issuesIn as unknown[]).length > 0)) {
    fail('call.answersNotCompleted', { outcome });
  }
  const callbackAt = outcome === 'callback' ? parseCallbackAt(input.callbackAt, s.date) : undefined;
  if (outcome !== 'callback' && input.callbackAt !== undefined && input.callbackAt !== null) fail('call.callbackNotCallback', { outcome });
  const notes = optionalText(input.notes, 'notes');
  const issues = (issuesIn as IssueInput[]).map((issue, i) => checkIssue(s.config, s.calendar, s.date, issue, i));

  return s.db.transaction(() => {
    const item = customerId === undefined ? nextItem(s) : itemOfCustomer(s, customerId);
    // No list at all for the agent that day is not "nothing left": say so, as the screen does.
    if (!item) return fail(progress(s).total === 0 ? 'call.noList' : 'call.nothingLeft', { agent: s.agent, date: s.date });
    const script = scriptForItem(s, item);
    const answers = outcome === 'completed' ? checkAnswers(script, given as Record<string, unknown>) : [];
    const startedAt = callTime(s.date, s.clock());
    const callId = outcome === 'completed' ? beginCall(s, item, startedAt, source) : undefined;
    if (callId !== undefined) {
      for (const a of answers) recordAnswer(s, callId, a.question, a.position, a.value);
    }
    const done = finishCall(s, item, outcome, { callId, startedAt, callbackAt, notes, source });
    const saved = issues.map((issue) => ({ ...issue, id: recordIssue(s, done.callId, item.customerId, issue) }));
    const { flags: _flags, outcome: _outcome, ...followUp } = done.followUp;
    return {
      callId: done.callId,
      date: s.date,
      agent: s.agent,
      customerId: item.customerId,
      name: cardCustomer(s.db, item.customerId)?.name ?? '',
      scenario: item.scenario,
      planItemId: item.id,
      outcome,
      startedAt,
      answers: Object.fromEntries(answers.map((a) => [a.question.id, a.value])),
      issues: saved,
      callbackAt: callbackAt ?? null,
      notes,
      followUp,
    };
  }).immediate();
}

/** The answers and issues already saved for a call in progress (to resume it). */
export function savedSoFar(s: CallSession, callId: number) {
  return { answers: answersOf(s.db, callId), issues: issuesOfCall(s.db, callId) };
}

export { itemById };

// --- the day's calls (followup calls) ------------------------------------------------------------------

export interface DayOfCalls {
  date: string;
  agent: string | null;
  calls: CallOfDay[];
  /** Calls by outcome; `in-progress` for calls still on a screen, `abandoned` for calls given up without one. */
  outcomes: Record<Outcome | 'in-progress' | 'abandoned', number>;
  planned: number;
  remaining: number;
  inProgress: number;
  done: number;
  closed: number;
  byAgent: { agent: string | null; remaining: number; inProgress: number; done: number; closed: number }[];
}

export function callsOfDay(db: Db, date: string, agent?: string): DayOfCalls {
  const calls = callsOn(db, date, addDays(date, 1), agent);
  const outcomes = Object.fromEntries([...OUTCOMES, 'in-progress', 'abandoned'].map((o) => [o, 0])) as DayOfCalls['outcomes'];
  for (const k of calls) outcomes[(k.outcome ?? (k.endedAt === null ? 'in-progress' : 'abandoned')) as Outcome]++;
  const byAgent = listProgress(db, date, agent).map((r) => ({ agent: r.agent, remaining: r.pending, inProgress: r.claimed, done: r.done, closed: r.closed }));
  const sum = (k: 'remaining' | 'inProgress' | 'done' | 'closed') => byAgent.reduce((n, r) => n + r[k], 0);
  return {
    date,
    agent: agent ?? null,
    calls,
    outcomes,
    planned: sum('remaining') + sum('inProgress') + sum('done') + sum('closed'),
    remaining: sum('remaining'),
    inProgress: sum('inProgress'),
    done: sum('done'),
    closed: sum('closed'),
    byAgent,
  };
}

