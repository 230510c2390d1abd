// The call screen: a card for the customer, the opening, the dial's outcome, the script one
// question at a time, issues, then straight on to the next customer.
//
// Each answer and each issue is written the moment the agent enters it (one statement, committed),
// so Ctrl-C, a closed terminal or a crash loses nothing; the next `followup call` of the agent
// offers to resume where the call stopped. While a customer is on screen the claim is refreshed
// every HEARTBEAT_MS, so only a claim whose process is gone can time out and pass to someone else.
import { companyName, ISSUE_LEVEL1, PRIORITIES, type IssueLevel1 } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { Interrupted, type Prompter } from '../core/prompt.js';
import {
  beginCall,
  callTime,
  cardOf,
  checkAnswer,
  checkIssue,
  dropCall,
  putBack,
  expectedOf,
  FEEDBACK_TYPES,
  finishCall,
  HEARTBEAT_MS,
  itemById,
  level2Label,
  level2Of,
  MOODS,
  nextItem,
  nextQuestion,
  OUTCOMES,
  ownerAlive,
  progress,
  THIS_PROCESS,
  parseCallbackAt,
  recordAnswer,
  recordIssue,
  savedSoFar,
  scriptForItem,
  confirmationOf,
  type CallSession,
  type FollowUp,
  type Issue,
  type IssueInput,
  type Outcome,
} from '../domain/call.js';
import { describeReasons, type StoredReason } from '../domain/plan.js';
import { segmentsOf } from '../domain/segments.js';
import { fillText, type Question, type Script, type Variables } from '../domain/scripts.js';
import { displayPhone, formatYuan, isProblem, parseDate } from '../domain/values.js';
import { segmentParams } from '../domain/segments.js';
import { segmentRulesFrom } from '../domain/plan.js';
import { t, type MessageId } from '../messages/index.js';
import { patiently } from '../storage/db.js';
import { keepClaim, openCallOf, type ClaimedItem, type OpenCall } from '../storage/calls.js';
import { customerFacts } from '../storage/segments.js';

const RULE = '─'.repeat(48);

export async function runScreen(s: CallSession, screen: Prompter, waiting: () => void): Promise<void> {
  const write = <T>(fn: () => T) => patiently(fn, waiting);
  let made = 0;
  const resumed = await offerResume(s, screen, write);
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
    const ended = await workItem(s, screen, write, item, null);
    if (ended === 'quit') return;
    made++;
    if (!(await nextOrQuit(s, screen))) return;
  }
}

/** An unfinished call of this agent whose screen is gone: offer to carry on with it. */
async function offerResume(s: CallSession, screen: Prompter, write: <T>(fn: () => T) => T): Promise<boolean> {
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
  const yes = await askYesNo(screen, t('screen.resumeAsk'), true);
  if (!yes) {
    write(() => dropCall(s, open.id, item.id));
    screen.say(t('screen.resumeDropped', { name }));
    return false;
  }
  // Take the claim afresh: it was older than the heartbeat.
  write(() => keepClaim(s.db, item.id, s.agent, s.clock().toISOString(), THIS_PROCESS));
  const ended = await workItem(s, screen, write, item, open);
  return ended !== 'quit';
}

/** One customer: card, outcome, script, issues, end. 'quit' when the agent stops before dialling. */
async function workItem(
  s: CallSession,
  screen: Prompter,
  write: <T>(fn: () => T) => T,
  item: ClaimedItem,
  resuming: OpenCall | null,
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
    const card = showCard(s, screen, item, script, resuming?.id ?? null);
    let callId = resuming?.id;
    let outcome: Outcome = 'completed';
    let callbackAt: string | undefined;
    if (resuming) {
      screen.say(t('screen.resuming'));
    } else {
      const chosen = await stopping(askOutcome(s, screen), () => {
        // Ctrl-C before the number was dialled: nothing to resume, so the customer goes back on
        // the list at once (as with q) instead of staying held until the claim times out.
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
    let issues: Issue[] = [];
    if (outcome === 'completed' && callId !== undefined) {
      const id = callId;
      await askQuestions(s, screen, write, script, id, card.vars);
      issues = await askIssues(s, screen, write, id, item.customerId);
      screen.say('', t('screen.closing'), `  ${fillText(script.closing, card.vars)}`);
    }
    const notes =
      outcome === 'do-not-call'
        ? null
        : (await stopping(screen.ask(t('screen.note')), () => {
            // Ctrl-C at the note of an attempt that did not reach the customer: the outcome the
            // agent entered is saved (a reached call stays open, to resume).
            if (callId === undefined) write(() => finishCall(s, item, outcome, { startedAt, callbackAt, notes: null }));
          })) || null;
    const done = write(() => finishCall(s, item, outcome, { callId, startedAt, callbackAt, notes }));
    const saved = callId === undefined ? undefined : savedSoFar(s, callId);
    screen.say('', summaryLine(card.name, done.followUp, saved?.answers.get('satisfaction'), saved?.issues.length ?? issues.length));
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
  const answer = (await screen.ask(t('screen.nextOrQuit'))).toLowerCase();
  return !(answer === 'q' || answer === 'quit' || answer === '退出');
}

// --- the card ---------------------------------------------------------------------------------------

function showCard(s: CallSession, screen: Prompter, item: ClaimedItem, script: Script, exceptCall: number | null) {
  const card = cardOf(s, item, exceptCall);
  const c = card.customer;
  const facts = customerFacts(s.db, segmentParams(segmentRulesFrom(s.config), s.date), c.id);
  const segments = facts ? segmentsOf(facts).map((id) => t(`segment.${id}` as MessageId)) : [];
  const reasons = JSON.parse(item.reasons) as StoredReason[];
  const p = progress(s);
  const none = t('screen.none');
  const lines = [
    '',
    `${RULE}`,
    t('screen.header', { n: p.done + 1, total: p.total, agent: s.agent, date: s.date }),
    RULE,
    `${c.name}  (${c.id})    ☎ ${c.phone ? displayPhone(c.phone) : (c.phoneRaw ?? none)}`,
  ];
  if (c.wrongPhone && c.wrongPhone === c.phone) lines.push(t('screen.wrongNumberFlag'));
  lines.push(t('screen.segments', { segments: segments.join(', ') || none }));
  lines.push(
    t(item.urgent ? 'screen.scenarioUrgent' : 'screen.scenario', { scenario: t(`scenario.${item.scenario}` as MessageId), dueBy: item.dueBy }),
    t('screen.why', { reason: describeReasons(reasons) }),
  );
  lines.push(
    t('screen.orders', {
      orders: card.orders.map((o) => `${o.orderedAt.slice(0, 10)} ${o.id} ¥${formatYuan(o.amountFen)}${o.product ? ' ' + o.product : ''}`).join('; ') || none,
    }),
    t('screen.complaints', {
      complaints: card.complaints.map((k) => `${k.id} ${k.openedAt.slice(0, 10)}${k.category ? ' ' + k.category : ''}`).join('; ') || none,
    }),
    t('screen.calls', {
      calls:
        card.calls
          .map((k) => `${k.startedAt.slice(0, 10)} ${t(`outcome.${k.outcome}` as MessageId)} (${k.agent}${k.satisfaction ? ', ' + t('screen.sat', { n: k.satisfaction }) : ''})`)
          .join('; ') || none,
    }),
    t('screen.issues', {
      issues:
        card.issues
          .map(
            (i) =>
              `#${i.id} ${i.priority} ${t(`issue.l1.${i.level1}` as MessageId)}${i.level2 ? '/' + level2Label(i.level2) : ''} "${i.words}"` +
              (i.status === 'resolved' ? ` ${t('screen.issueResolved', { resolution: i.resolution ?? '' })}` : i.dueBy ? ` ${t('screen.dueBy', { date: i.dueBy })}` : ''),
          )
          .join('; ') || none,
    }),
    t('screen.preferred', { time: c.preferredTime ?? none }),
    RULE,
  );
  const firstOrder = card.orders[0];
  const complaint = card.complaints[0];
  const params = reasons[0]?.params ?? {};
  const vars: Variables = {
    customer: c.name,
    company: companyName(s.config, s.lang),
    agent: s.agent,
    minutes: script.minutes,
    orderDay: String(params.day ?? firstOrder?.orderedAt.slice(0, 10) ?? ''),
    product: firstOrder?.product ?? '',
    complaint: String(params.category || complaint?.category || params.complaint || ''),
    // A confirmation call is about the issue its item names; otherwise the first open one.
    issue: (card.issues.find((i) => i.id === confirmationOf(s, item)) ?? card.issues[0])?.words ?? '',
  };
  lines.push(t('screen.opening'), `  ${fillText(script.opening, vars)}`, t('screen.identity'), `  ${fillText(script.identity, vars)}`, '');
  for (const line of lines) screen.say(line);
  return { name: c.name, vars };
}

// --- the dial's outcome --------------------------------------------------------------------------------

async function askOutcome(s: CallSession, screen: Prompter): Promise<{ outcome: Outcome; callbackAt?: string } | 'quit'> {
  for (;;) {
    screen.say(t('screen.outcomeAsk'));
    OUTCOMES.forEach((o, i) => screen.say(`  ${i + 1}  ${t(`screen.outcome.${o}` as MessageId)}`));
    screen.say(`  q  ${t('screen.outcome.quit')}`);
    const answer = (await screen.ask('> ')).toLowerCase();
    if (answer === 'q') return 'quit';
    const outcome = /^\d$/.test(answer) ? OUTCOMES[Number(answer) - 1] : OUTCOMES.find((o) => o === answer);
    if (!outcome) {
      screen.say(t('screen.pickNumber', { max: OUTCOMES.length }));
      continue;
    }
    if (outcome === 'callback') {
      const at = await askCallback(s, screen);
      if (at === undefined) continue;
      return { outcome, callbackAt: at };
    }
    if (outcome === 'do-not-call' && !(await askYesNo(screen, t('screen.confirmDoNotCall'), false))) continue;
    return { outcome };
  }
}

/** The date and time the customer chose; Enter on the date goes back to the outcomes. */
async function askCallback(s: CallSession, screen: Prompter): Promise<string | undefined> {
  for (;;) {
    const day = await screen.ask(t('screen.callbackDate'));
    if (day === '') return undefined;
    const time = await screen.ask(t('screen.callbackTime'));
    try {
      const at = parseCallbackAt(`${day} ${time || '09:00'}`, s.date);
      const d = at.slice(0, 10);
      if (!s.calendar.isWorkingDay(d)) screen.say(t('screen.callbackDayOff', { date: d, next: s.calendar.onOrAfter(d) }));
      screen.say(t('screen.callbackSet', { at: at.replace('T', ' ') }));
      return at;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      screen.say(error.message);
    }
  }
}

// --- the script ------------------------------------------------------------------------------------------

async function askQuestions(
  s: CallSession,
  screen: Prompter,
  write: <T>(fn: () => T) => T,
  script: Script,
  callId: number,
  vars: Variables,
): Promise<void> {
  const answered = savedSoFar(s, callId).answers;
  for (;;) {
    const next = nextQuestion(script, answered);
    if (!next) return;
    const { question, position } = next;
    screen.say('', `(${position + 1}/${script.questions.length}) ${fillText(question.text, vars)}`);
    if (question.choices) question.choices.forEach((c, i) => screen.say(`  ${i + 1}  ${c.text}`));
    const value = await askValidated(screen, question);
    write(() => recordAnswer(s, callId, question, position, value));
    answered.set(question.id, value);
  }
}

async function askValidated(screen: Prompter, question: Question) {
  const hint = question.required ? t('screen.hintRequired', { expected: expectedOf(question) }) : t('screen.hintSkippable', { expected: expectedOf(question) });
  for (;;) {
    const typed = await screen.ask(`${hint} > `);
    try {
      return checkAnswer(question, typed);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      screen.say(error.message);
    }
  }
}

// --- issues ------------------------------------------------------------------------------------------------

async function askIssues(s: CallSession, screen: Prompter, write: <T>(fn: () => T) => T, callId: number, customerId: string): Promise<Issue[]> {
  const issues: Issue[] = [];
  let ask = t('screen.issueAsk');
  while (await askYesNo(screen, ask, false)) {
    const input = await askIssue(s, screen);
    const issue = checkIssue(s.config, s.calendar, s.date, input);
    write(() => recordIssue(s, callId, customerId, issue));
    issues.push(issue);
    screen.say(
      t('screen.issueSaved', {
        department: issue.department,
        dueBy: issue.dueBy,
        days: issue.dueWorkingDays,
      }),
    );
    ask = t('screen.issueAnother');
  }
  return issues;
}

async function askIssue(s: CallSession, screen: Prompter): Promise<IssueInput> {
  const level1 = await pick<IssueLevel1>(screen, t('screen.issue.level1'), [...ISSUE_LEVEL1], (id) => t(`issue.l1.${id}` as MessageId), false);
  const level2 = await pick(screen, t('screen.issue.level2'), level2Of(s.config, level1 as IssueLevel1), level2Label, true);
  const priority = await pick(screen, t('screen.issue.priority'), [...PRIORITIES], (p) => t(`issue.priority.${p}` as MessageId), false);
  let words = '';
  while (words === '') {
    words = await screen.ask(t('screen.issue.words'));
    if (words === '') screen.say(t('screen.issue.wordsNeeded'));
  }
  let happenedOn: string | null = null;
  for (;;) {
    const typed = await screen.ask(t('screen.issue.when'));
    if (typed === '') break;
    const day = parseDate(typed);
    if (!isProblem(day) && day.value <= s.date) {
      happenedOn = day.value;
      break;
    }
    screen.say(t('screen.issue.badWhen', { date: s.date }));
  }
  const expected = (await screen.ask(t('screen.issue.expected'))) || null;
  const mood = await pick(screen, t('screen.issue.mood'), [...MOODS], (m) => t(`issue.mood.${m}` as MessageId), true);
  const feedbackType = await pick(screen, t('screen.issue.feedbackType'), [...FEEDBACK_TYPES], (f) => t(`issue.feedback.${f}` as MessageId), true);
  const suggested = s.config.issues.departments[level1 as IssueLevel1];
  const department = (await screen.ask(t('screen.issue.department', { department: suggested }))) || suggested;
  const defaultDays = s.config.issues.dueWorkingDays[priority as 'P0' | 'P1' | 'P2'];
  let dueWorkingDays = defaultDays;
  for (;;) {
    const typed = await screen.ask(t('screen.issue.due', { days: defaultDays }));
    if (typed === '') break;
    if (/^\d{1,3}$/.test(typed)) {
      dueWorkingDays = Number(typed);
      break;
    }
    screen.say(t('screen.issue.badDue'));
  }
  return { level1, level2, priority, words, happenedOn, expected, mood, feedbackType, department, dueWorkingDays };
}

/** A numbered list; returns the id picked (or null on Enter when skippable). */
async function pick<T extends string>(screen: Prompter, title: string, ids: T[], label: (id: T) => string, skippable: boolean): Promise<T | null> {
  screen.say(title);
  ids.forEach((id, i) => screen.say(`  ${i + 1}  ${label(id)}`));
  for (;;) {
    const answer = await screen.ask(skippable ? t('screen.pickSkippable') : '> ');
    if (answer === '' && skippable) return null;
    const byNumber = /^\d+$/.test(answer) ? ids[Number(answer) - 1] : ids.find((id) => id === answer);
    if (byNumber !== undefined) return byNumber;
    screen.say(t('screen.pickNumber', { max: ids.length }));
  }
}

async function askYesNo(screen: Prompter, question: string, byDefault: boolean): Promise<boolean> {
  for (;;) {
    const answer = (await screen.ask(`${question} ${byDefault ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
    if (answer === '') return byDefault;
    if (['y', 'yes', '是', '1'].includes(answer)) return true;
    if (['n', 'no', '否', '2'].includes(answer)) return false;
    screen.say(t('screen.yesNo'));
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
  return `✓ ${name}: ${parts.join(' · ')}`;
}
