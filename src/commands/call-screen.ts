// The call screen: a card for the customer, the opening, the dial's outcome, the script one
// question at a time, issues, then straight on to the next customer.
//
// Each answer and each issue is written the moment the agent enters it (one statement, committed),
// so Ctrl-C, a closed terminal or a crash loses nothing; the next `followup call` of the agent
// offers to resume where the call stopped. Esc goes back a question: the answer given there is
// taken back and asked again (with the old answer offered), so a corrected answer replaces the
// first. While a customer is on screen the claim is refreshed every HEARTBEAT_MS, so only a claim
// whose process is gone can time out and pass to someone else.
import { ISSUE_LEVEL1, PRIORITIES, type IssueLevel1 } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { anyText, BACK, Interrupted, type Back, type Check, type Choice, type Prompter } from '../core/prompt.js';
import {
  beginCall,
  callTime,
  checkAnswer,
  checkIssue,
  dropCall,
  putBack,
  finishCall,
  forgetAnswer,
  HEARTBEAT_MS,
  itemById,
  MOODS,
  FEEDBACK_TYPES,
  nextQuestion,
  OUTCOMES,
  ownerAlive,
  progress,
  THIS_PROCESS,
  recordAnswer,
  recordIssue,
  savedSoFar,
  scriptForItem,
  confirmationOf,
  confirmationResult,
  wordsOfCall,
  moodOfCall,
  cardOf,
  nextItem,
  type CallSession,
  type FollowUp,
  type Issue,
  type Outcome,
} from '../domain/call.js';
import { categoryPairs, findCategories, type CategoryPair, type Pinyin } from '../domain/categories.js';
import { fillText, type Answer, type Question, type Script, type Variables } from '../domain/scripts.js';
import { spokenDate, spokenDateTime } from '../domain/spoken-dates.js';
import { t, type MessageId } from '../messages/index.js';
import { patiently } from '../storage/db.js';
import { keepClaim, openCallOf, type ClaimedItem, type OpenCall } from '../storage/calls.js';
import { cardLines, spoken, type ShownCard } from './call-card.js';

type Write = <T>(fn: () => T) => T;

export async function runScreen(s: CallSession, screen: Prompter, waiting: () => void): Promise<void> {
  const write: Write = (fn) => patiently(fn, waiting);
  // Pinyin initials for the category search: loaded while the first card is read.
  const pinyin = loadPinyin();
  let made = 0;
  const resumed = await offerResume(s, screen, write, pinyin);
  if (resumed) {
    made++;
    if (!(await nextOrQuit(s, screen))) return;
  }
  for (;;) {
    const item = write(() => nextItem(s));
    if (!item) {
      const p = progress(s);
      screen.say(t(p.total === 0 ? 'screen.noList' : 'screen.allDone', { date: s.date, agent: s.agent, done: p.done, made }));
      return;
    }
    const ended = await workItem(s, screen, write, item, null, pinyin);
    if (ended === 'quit') return;
    made++;
    if (!(await nextOrQuit(s, screen))) return;
  }
}

/** pinyin-pro, when it is installed and loads: initials and syllables of Chinese text. */
async function loadPinyin(): Promise<Pinyin | undefined> {
  try {
    const { pinyin } = await import('pinyin-pro');
    return (text) => ({
      initials: pinyin(text, { pattern: 'first', toneType: 'none', type: 'array' }).join(''),
      full: pinyin(text, { toneType: 'none', type: 'array' }).join(''),
    });
  } catch {
    return undefined;
  }
}

/** An unfinished call of this agent whose screen is gone: offer to carry on with it. */
async function offerResume(s: CallSession, screen: Prompter, write: Write, pinyin: Promise<Pinyin | undefined>): Promise<boolean> {
  const open = openCallOf(s.db, s.agent);
  if (!open || open.planItemId === null) return false;
  const item = itemById(s.db, open.planItemId);
  if (!item) return false;
  const ownLive = item.status === 'claimed' && item.claimedBy === s.agent && ownerAlive(item.claimOwner, item.claimedAt, s.clock());
  // Another screen of the same agent is on that call right now: leave it alone.
  if (ownLive) return false;
  const saved = savedSoFar(s, open.id);
  const name = cardOf(s, item, open.id).customer.name;
  if (item.status !== 'claimed' || item.claimedBy !== s.agent) {
    // The claim died and someone else took the customer: the answers stay, the call ends here.
    write(() => dropCall(s, open.id, null));
    screen.say(t('screen.resumeLost', { name, agent: item.claimedBy ?? '-', answers: saved.answers.size }));
    return false;
  }
  screen.say(t('screen.resumeOffer', { name, time: open.startedAt.slice(11, 16), answers: saved.answers.size, issues: saved.issues.length }));
  const yes = await yesNo(screen, t('screen.resumeAsk'), true);
  if (!yes) {
    write(() => dropCall(s, open.id, item.id));
    screen.say(t('screen.resumeDropped', { name }));
    return false;
  }
  // Take the claim afresh: it was older than the heartbeat.
  write(() => keepClaim(s.db, item.id, s.agent, s.clock().toISOString(), THIS_PROCESS));
  const ended = await workItem(s, screen, write, item, open, pinyin);
  return ended !== 'quit';
}

/** One customer: card, outcome, script, issues, end. 'quit' when the agent stops before dialling. */
async function workItem(
  s: CallSession,
  screen: Prompter,
  write: Write,
  item: ClaimedItem,
  resuming: OpenCall | null,
  pinyin: Promise<Pinyin | undefined>,
): Promise<'ended' | 'quit'> {
  const heartbeat = setInterval(() => {
    try {
      keepClaim(s.db, item.id, s.agent, s.clock().toISOString(), THIS_PROCESS);
    } catch {
      // Busy: the next beat will do; the timeout is many beats long.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const startedAt = resuming?.startedAt ?? callTime(s.date, s.clock());
    const script = scriptForItem(s, item);
    const { lines, card } = cardLines(s, item, script, resuming?.id ?? null, screen.columns);
    screen.say(...lines);
    let callId = resuming?.id;
    let outcome: Outcome = 'completed';
    let callbackAt: string | undefined;
    if (resuming) {
      screen.say(t('screen.resuming'));
    } else {
      const chosen = await stopping(askOutcome(s, screen), () => {
        // Ctrl-C before the number was dialled: nothing to resume, so the customer goes back on
        // the list at once (as with "stop") instead of staying held until the claim times out.
        write(() => putBack(s, item));
      });
      if (chosen === 'quit') {
        write(() => putBack(s, item));
        screen.say(t('screen.putBack', { name: card.name }));
        return 'quit';
      }
      outcome = chosen.outcome;
      callbackAt = chosen.callbackAt;
      if (outcome === 'completed') callId = write(() => beginCall(s, item, startedAt));
    }
    let issueCount = 0;
    if (outcome === 'completed' && callId !== undefined) {
      issueCount = await talk(s, screen, write, { script, callId, item, card, pinyin: await pinyin });
      screen.say('', t('screen.closing'), ...spoken(fillText(script.closing, card.vars), Math.max(30, Math.min(100, screen.columns - 1))));
    }
    const notes =
      outcome === 'do-not-call'
        ? null
        : (await stopping(screen.input(t('screen.note'), anyText), () => {
            // Ctrl-C at the note of an attempt that did not reach the customer: the outcome the
            // agent entered is saved (a reached call stays open, to resume).
            if (callId === undefined) write(() => finishCall(s, item, outcome, { startedAt, callbackAt, notes: null }));
          })) || null;
    const done = write(() => finishCall(s, item, outcome, { callId, startedAt, callbackAt, notes: notes === BACK ? null : notes }));
    const saved = callId === undefined ? undefined : savedSoFar(s, callId);
    if (done.followUp.issue?.result === 'reopened') screen.say(t('screen.reopenedSaved', { id: done.followUp.issue.id }));
    screen.say('', summaryLine(card.name, done.followUp, saved?.answers.get('satisfaction'), saved?.issues.length ?? issueCount));
    return 'ended';
  } finally {
    clearInterval(heartbeat);
  }
}

/** Runs `onStop` when the agent stops (Ctrl-C, closed input) while `asked` is pending; the stop goes on up. */
async function stopping<T>(asked: Promise<T>, onStop: () => void): Promise<T> {
  try {
    return await asked;
  } catch (error) {
    if (error instanceof Interrupted) onStop();
    throw error;
  }
}

async function nextOrQuit(s: CallSession, screen: Prompter): Promise<boolean> {
  const p = progress(s);
  screen.say(t('screen.progress', { left: p.left, done: p.done }));
  if (p.left === 0) {
    screen.say(t('screen.allDone', { date: s.date, agent: s.agent, done: p.done, made: p.done }));
    return false;
  }
  const next = await screen.select(t('screen.nextAsk'), [
    { value: true, label: t('screen.next') },
    { value: false, label: t('screen.stop') },
  ]);
  return next === true;
}

async function yesNo(screen: Prompter, message: string, byDefault: boolean, back = false): Promise<boolean | Back> {
  return screen.select(
    message,
    [
      { value: true, label: t('screen.yes') },
      { value: false, label: t('screen.no') },
    ],
    { default: byDefault, back },
  );
}

// --- the dial's outcome --------------------------------------------------------------------------------

async function askOutcome(s: CallSession, screen: Prompter): Promise<{ outcome: Outcome; callbackAt?: string } | 'quit'> {
  for (;;) {
    const choices: Choice<Outcome | 'quit'>[] = [...OUTCOMES.map((o) => ({ value: o, label: t(`screen.outcome.${o}` as MessageId) })), { value: 'quit', label: t('screen.outcome.quit') }];
    const outcome = await screen.select(t('screen.outcomeAsk'), choices);
    if (outcome === 'quit' || outcome === BACK) return 'quit';
    if (outcome === 'callback') {
      const at = await askCallback(s, screen);
      if (at === BACK) continue;
      return { outcome, callbackAt: at };
    }
    if (outcome === 'do-not-call' && (await yesNo(screen, t('screen.confirmDoNotCall'), false, true)) !== true) continue;
    return { outcome };
  }
}

/** The first working day after `date`, for an example that is in the future. */
function exampleDay(s: CallSession): string {
  return s.calendar.onOrAfter(addOneDay(s.date)).slice(5);
}
const addOneDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The moment the customer chose, in one answer (明天 15:00, 12-05 10:30); Esc goes back to the outcomes. */
async function askCallback(s: CallSession, screen: Prompter): Promise<string | Back> {
  const example = `${exampleDay(s)} 15:00`;
  const now = callTime(s.date, s.clock()).slice(0, 16);
  const check: Check<string> = (typed) => {
    const at = spokenDateTime(typed, s.date);
    if (at === undefined) return { error: t('screen.callbackBad', { example }) };
    if (at <= now) return { error: t('screen.callbackPast', { now: now.replace('T', ' ') }) };
    return { value: at };
  };
  const at = await screen.input(t('screen.callbackAt', { example }), check, { back: true });
  if (at === BACK) return BACK;
  const day = at.slice(0, 10);
  if (!s.calendar.isWorkingDay(day)) screen.say(t('screen.callbackDayOff', { date: day, next: s.calendar.onOrAfter(day) }));
  screen.say(t('screen.callbackSet', { at: at.replace('T', ' ') }));
  return at;
}

// --- the conversation: the script's questions and the issues, with going back ------------------------------

interface Talk {
  script: Script;
  callId: number;
  item: ClaimedItem;
  card: ShownCard;
  pinyin: Pinyin | undefined;
}

/**
 * The script's questions, then the customer's problems. Esc on a question takes back the answer
 * before it and asks that question again; Esc on "did the customer raise a problem?" goes back to
 * the last question. Returns the number of issues recorded.
 */
async function talk(s: CallSession, screen: Prompter, write: Write, call: Talk): Promise<number> {
  const { script, callId } = call;
  const answered = savedSoFar(s, callId).answers;
  // The questions answered, in the order asked: where Esc goes back to.
  const asked = script.questions.filter((q) => answered.has(q.id)).map((q) => q.id);
  // Answers taken back by Esc: offered again when their question comes round.
  const before = new Map<string, unknown>();
  const goBack = (): boolean => {
    const last = asked.pop();
    if (last === undefined) {
      screen.say(t('screen.firstQuestion'));
      return false;
    }
    before.set(last, answered.get(last));
    answered.delete(last);
    write(() => forgetAnswer(s, callId, last));
    return true;
  };
  let issues = savedSoFar(s, callId).issues.length;
  // The mood, once known in this call (an issue's, or the script's own question), is not asked again.
  let mood: string | null | undefined = savedSoFar(s, callId).issues.find((i) => i.mood)?.mood;
  for (;;) {
    const next = nextQuestion(script, answered);
    if (next) {
      const { question, position } = next;
      const value = await askQuestion(screen, s.date, question, `(${position + 1}/${script.questions.length}) ${fillText(question.text, call.card.vars)}`, before.get(question.id), asked.length > 0);
      if (value === BACK) {
        goBack();
        continue;
      }
      write(() => recordAnswer(s, callId, question, position, value));
      answered.set(question.id, value);
      asked.push(question.id);
      continue;
    }
    // A confirmation whose answers say "not fixed": the issue is reopened with what the customer
    // says now; no second issue for the same problem.
    const confirms = confirmationOf(s, call.item);
    const reopening = confirms !== null && confirmationResult(answered) === 'reopened' ? confirms : null;
    if (reopening !== null) screen.say('', t('screen.reopened', { id: reopening }));
    const ask = issues === 0 ? (reopening !== null ? t('screen.issueAskBesides', { id: reopening }) : t('screen.issueAsk')) : t('screen.issueAnother');
    const raise = await yesNo(screen, ask, false, true);
    if (raise === BACK) {
      if (issues === 0) goBack();
      else screen.say(t('screen.issueSavedNoBack'));
      continue;
    }
    if (!raise) return issues;
    const words = wordsOfCall(script, answered);
    const issue = await askIssue(s, screen, call, { words: words[words.length - 1], mood: mood !== undefined ? mood : moodOfCall(answered) });
    if (issue === BACK) continue;
    write(() => recordIssue(s, callId, call.item.customerId, issue));
    issues++;
    mood = issue.mood ?? mood ?? null;
    screen.say(t('screen.issueSaved', { department: issue.department, dueBy: issue.dueBy, days: issue.dueWorkingDays }));
  }
}

/** One question of the script, as the prompt that fits its type; BACK when the agent presses Esc. */
async function askQuestion(screen: Prompter, day: string, question: Question, message: string, previous: unknown, back: boolean): Promise<Answer | Back> {
  const skip = { value: null, label: t('screen.skip') };
  const skippable = !question.required;
  switch (question.type) {
    case 'rating': {
      const labels = [1, 2, 3, 4, 5].map((n) => ({ value: n as number | null, label: t(`screen.rating.${n}` as MessageId) }));
      return screen.select(message, skippable ? [...labels, skip] : labels, { back, default: typeof previous === 'number' ? previous : undefined });
    }
    case 'yes-no': {
      const choices: Choice<boolean | null>[] = [
        { value: true, label: t('screen.yes') },
        { value: false, label: t('screen.no') },
      ];
      return screen.select(message, skippable ? [...choices, skip] : choices, { back, default: typeof previous === 'boolean' ? previous : undefined });
    }
    case 'single': {
      const choices: Choice<string | null>[] = (question.choices ?? []).map((c) => ({ value: c.id, label: c.text }));
      return screen.select(message, skippable ? [...choices, skip] : choices, { back, default: typeof previous === 'string' ? previous : undefined });
    }
    case 'multiple': {
      const choices = (question.choices ?? []).map((c) => ({ value: c.id, label: c.text }));
      const ticked = await screen.checkbox(message, choices, {
        back,
        checked: Array.isArray(previous) ? (previous as string[]) : [],
        atLeastOne: question.required ? t('screen.tickOne') : undefined,
      });
      return ticked === BACK ? BACK : ticked.length === 0 ? null : ticked;
    }
    default: {
      // Text, a 0-10 score, a date: typed, and checked as the import and the answers file check them.
      const hint = t(question.required ? 'screen.hintRequired' : 'screen.hintSkippable', { expected: question.type === 'date' ? t('screen.expectDate') : expectedText(question) });
      const check: Check<Answer> = (typed) => {
        try {
          const text = question.type === 'date' && typed.trim() !== '' ? (spokenDate(typed, day, 'past') ?? typed) : typed;
          return { value: checkAnswer(question, text) };
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return { error: error.message };
        }
      };
      const initial = previous === undefined || previous === null ? undefined : String(previous);
      return screen.input(`${message}\n  ${hint}`, check, { back, initial });
    }
  }
}

function expectedText(question: Question): string {
  return question.type === 'nps' ? t('call.expect.nps') : t('call.expect.text');
}

// --- an issue, in the order the customer tells it -----------------------------------------------------------------

type IssueStep = 'category' | 'priority' | 'words' | 'when' | 'expected' | 'mood' | 'feedback' | 'department' | 'due';
const STEPS: IssueStep[] = ['category', 'priority', 'words', 'when', 'expected', 'mood', 'feedback', 'department', 'due'];

/**
 * The issue's fields one after another; Esc goes back a field (and from the first, out of the
 * issue). The customer's words from the script are offered as its words; the mood, once given in
 * this call, is not asked again.
 */
async function askIssue(s: CallSession, screen: Prompter, call: Talk, offered: { words?: string; mood: string | null | undefined }): Promise<Issue | Back> {
  const pairs = categoryPairs(s.config, call.pinyin);
  const answers: {
    category?: CategoryPair;
    priority?: string;
    words?: string;
    happenedOn?: string | null;
    expected?: string | null;
    mood?: string | null;
    feedbackType?: string | null;
    department?: string;
    due?: number;
  } = {};
  let step = 0;
  while (step < STEPS.length) {
    const name = STEPS[step];
    if (name === 'mood' && offered.mood !== undefined) {
      answers.mood = offered.mood;
      if (answers.mood) screen.say(t('screen.issue.moodKept', { mood: t(`issue.mood.${answers.mood}` as MessageId) }));
      step++;
      continue;
    }
    const answer = await askIssueField(s, screen, name, answers, pairs, offered.words);
    if (answer === BACK) {
      if (step === 0) return BACK;
      step--;
      // A kept mood is not a step to go back to.
      if (STEPS[step] === 'mood' && offered.mood !== undefined) step--;
      continue;
    }
    step++;
  }
  const category = answers.category!;
  return checkIssue(s.config, s.calendar, s.date, {
    level1: category.level1,
    level2: category.level2,
    priority: answers.priority,
    words: answers.words,
    happenedOn: answers.happenedOn,
    expected: answers.expected,
    mood: answers.mood,
    feedbackType: answers.feedbackType,
    department: answers.department,
    dueWorkingDays: answers.due,
  });
}

async function askIssueField(
  s: CallSession,
  screen: Prompter,
  name: IssueStep,
  answers: Record<string, unknown>,
  pairs: CategoryPair[],
  offeredWords: string | undefined,
): Promise<unknown> {
  const keep = <T>(key: string, value: T | Back): T | Back => {
    if (value !== BACK) answers[key] = value;
    return value;
  };
  const optional = (typed: string) => ({ value: typed.trim() === '' ? null : typed.trim() });
  switch (name) {
    case 'category':
      return keep(
        'category',
        await screen.search(t('screen.issue.category'), (typed) => findCategories(pairs, typed).map((p) => ({ value: p, label: p.label })), { back: true }),
      );
    case 'priority':
      return keep(
        'priority',
        await screen.select(
          t('screen.issue.priority'),
          PRIORITIES.map((p) => ({ value: p as string, label: t(`issue.priority.${p}` as MessageId) })),
          { back: true, default: (answers.priority as string | undefined) ?? 'P2' },
        ),
      );
    case 'words':
      return keep(
        'words',
        await screen.input(t(offeredWords ? 'screen.issue.wordsOffered' : 'screen.issue.words'), (typed) => (typed.trim() === '' ? { error: t('screen.issue.wordsNeeded') } : { value: typed.trim() }), {
          back: true,
          initial: (answers.words as string | undefined) ?? offeredWords,
          editable: true,
        }),
      );
    case 'when':
      return keep(
        'happenedOn',
        await screen.input(
          t('screen.issue.when'),
          (typed) => {
            if (typed.trim() === '') return { value: null };
            const day = spokenDate(typed, s.date, 'past');
            return day !== undefined && day <= s.date ? { value: day } : { error: t('screen.issue.whenBad', { date: s.date }) };
          },
          { back: true },
        ),
      );
    case 'expected':
      return keep('expected', await screen.input(t('screen.issue.expected'), optional, { back: true }));
    case 'mood':
      return keep(
        'mood',
        await screen.select(t('screen.issue.mood'), [...MOODS.map((m) => ({ value: m as string | null, label: t(`issue.mood.${m}` as MessageId) })), { value: null, label: t('screen.skip') }], {
          back: true,
          // Optional: Enter skips it.
          default: (answers.mood as string | null | undefined) ?? null,
        }),
      );
    case 'feedback':
      return keep(
        'feedbackType',
        await screen.select(
          t('screen.issue.feedbackType'),
          [...FEEDBACK_TYPES.map((f) => ({ value: f as string | null, label: t(`issue.feedback.${f}` as MessageId) })), { value: null, label: t('screen.skip') }],
          { back: true, default: (answers.feedbackType as string | null | undefined) ?? null },
        ),
      );
    case 'department': {
      const category = answers.category as CategoryPair;
      const suggested = s.config.issues.departments[category.level1 as IssueLevel1];
      return keep('department', await screen.input(t('screen.issue.department'), (typed) => ({ value: typed.trim() || suggested }), { back: true, initial: suggested }));
    }
    case 'due': {
      const defaultDays = s.config.issues.dueWorkingDays[answers.priority as 'P0' | 'P1' | 'P2'];
      return keep(
        'due',
        await screen.input(
          t('screen.issue.due'),
          (typed) => {
            const text = typed.trim();
            if (text === '') return { value: defaultDays };
            return /^\d{1,3}$/.test(text) && Number(text) <= 365 ? { value: Number(text) } : { error: t('screen.issue.badDue') };
          },
          { back: true, initial: String(defaultDays) },
        ),
      );
    }
  }
}

// --- after the call --------------------------------------------------------------------------------------------

function summaryLine(name: string, f: FollowUp, satisfaction: unknown, issues: number): string {
  const parts = [t(`outcome.${f.outcome}` as MessageId)];
  if (typeof satisfaction === 'number') parts.push(t('screen.sat', { n: satisfaction }));
  if (issues > 0) parts.push(t('screen.issueCount', { n: issues }));
  if (f.result === 'retry' && f.retryOn) parts.push(t('screen.followRetry', { date: f.retryOn, attempts: f.attempts ?? 0 }));
  if (f.result === 'unreachable') parts.push(t('screen.followUnreachable', { attempts: f.attempts ?? 0 }));
  if (f.result === 'callback' && f.callbackAt) parts.push(t('screen.followCallback', { at: f.callbackAt.replace('T', ' ') }));
  if (f.result === 'wrong-number') parts.push(t('screen.followWrongNumber'));
  if (f.result === 'do-not-call') parts.push(t('screen.followDoNotCall'));
  return t('screen.summary', { name, parts: parts.join(' · ') });
}

export { ISSUE_LEVEL1 };
export type { Variables };
