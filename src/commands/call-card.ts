// The customer's card on the call screen: who, why now, what they bought, complained about and said
// before, the issues still open (an overdue one flagged), and the opening to read. Laid out in the
// terminal's width: a long line wraps between words or Chinese characters, never inside a date, an
// amount or an id, and its continuation is indented under its label.
import { companyName } from '../core/config.js';
import { visible } from '../core/visible.js';
import { displayWidth, wrapToWidth } from '../core/width.js';
import { daysBetween } from '../domain/calendar.js';
import { cardOf, confirmationOf, level2Label, progress, type CallSession } from '../domain/call.js';
import { describeReasons, type StoredReason } from '../domain/plan.js';
import { segmentParams, segmentRulesFrom, segmentsOf } from '../domain/segments.js';
import { fillText, type Script, type Variables } from '../domain/scripts.js';
import { displayPhone, formatYuan } from '../domain/values.js';
import { t, type MessageId } from '../messages/index.js';
import type { ClaimedItem } from '../storage/calls.js';
import { customerFacts } from '../storage/segments.js';

/** The widest the card is drawn, however wide the terminal: long lines are hard to read. */
const MAX_WIDTH = 100;

export interface ShownCard {
  name: string;
  vars: Variables;
  /** Open issues past their promised day, by id: days late. */
  overdue: Map<number, number>;
}

/** A labelled line ("Recent orders: …") wrapped to `width`, its continuation under the text after the label. */
function labelled(line: string, width: number): string[] {
  const colon = Math.max(line.indexOf(': '), line.indexOf('：'));
  const indent = colon > 0 && colon < 24 ? ' '.repeat(Math.min(displayWidth(line.slice(0, colon + 1)) + (line[colon] === '：' ? 0 : 1), 24)) : '  ';
  return wrapToWidth(line, width, indent);
}

export function cardLines(s: CallSession, item: ClaimedItem, script: Script, exceptCall: number | null, columns: number): { lines: string[]; card: ShownCard } {
  const width = Math.max(30, Math.min(MAX_WIDTH, columns - 1));
  const rule = '─'.repeat(Math.min(width, 60));
  const card = cardOf(s, item, exceptCall);
  const c = card.customer;
  const facts = customerFacts(s.db, segmentParams(segmentRulesFrom(s.config), s.date), c.id);
  const segments = facts ? segmentsOf(facts).map((id) => t(`segment.${id}` as MessageId)) : [];
  const reasons = JSON.parse(item.reasons) as StoredReason[];
  const p = progress(s);
  const none = t('screen.none');
  const overdue = new Map<number, number>();
  for (const issue of card.issues) {
    if (issue.status === 'open' && issue.dueBy && issue.dueBy < s.date) overdue.set(issue.id, daysBetween(issue.dueBy, s.date));
  }
  const items = (parts: string[]) => parts.join(t('screen.listSeparator')) || none;
  const body = [
    `${c.name} (${c.id}) ☎ ${c.phone ? displayPhone(c.phone) : (c.phoneRaw ?? none)}`,
    ...(c.wrongPhone && c.wrongPhone === c.phone ? [t('screen.wrongNumberFlag')] : []),
    t('screen.segments', { segments: segments.join(t('screen.listSeparator')) || none }),
    t(item.urgent ? 'screen.scenarioUrgent' : 'screen.scenario', { scenario: t(`scenario.${item.scenario}` as MessageId), dueBy: item.dueBy }),
    t('screen.why', { reason: describeReasons(reasons) }),
    t('screen.orders', { orders: items(card.orders.map((o) => `${o.orderedAt.slice(0, 10)} ${o.id} ¥${formatYuan(o.amountFen)}${o.product ? ' ' + o.product : ''}`)) }),
    t('screen.complaints', { complaints: items(card.complaints.map((k) => `${k.id} ${k.openedAt.slice(0, 10)}${k.category ? ' ' + k.category : ''}`)) }),
    t('screen.calls', {
      calls: items(
        card.calls.map(
          (k) => `${k.startedAt.slice(0, 10)} ${t(`outcome.${k.outcome}` as MessageId)} (${k.agent}${k.satisfaction ? t('screen.listSeparator') + t('screen.sat', { n: k.satisfaction }) : ''})`,
        ),
      ),
    }),
    t('screen.issues', {
      issues: items(
        card.issues.map((i) => {
          const late = overdue.get(i.id);
          const state =
            i.status === 'resolved'
              ? ` ${t('screen.issueResolved', { resolution: i.resolution ?? '' })}`
              : late !== undefined
                ? ` ${t('screen.overdue', { date: i.dueBy, days: late })}`
                : i.dueBy
                  ? ` ${t('screen.dueBy', { date: i.dueBy })}`
                  : '';
          return `#${i.id} ${i.priority} ${t(`issue.l1.${i.level1}` as MessageId)}${i.level2 ? '/' + level2Label(i.level2) : ''} "${i.words.split('\n')[0]}"${state}`;
        }),
      ),
    }),
    t('screen.preferred', { time: c.preferredTime ?? none }),
  ];
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
    issue: (card.issues.find((i) => i.id === confirmationOf(s, item)) ?? card.issues[0])?.words.split('\n')[0] ?? '',
  };
  const lines = [
    '',
    rule,
    t('screen.header', { n: p.done + 1, total: p.total, agent: s.agent, date: s.date }),
    rule,
    // Control characters in customer text are shown as escapes before the line is measured and wrapped.
    ...body.flatMap((line) => labelled(visible(line), width)),
    rule,
    t('screen.opening'),
    ...spoken(fillText(script.opening, vars), width),
    t('screen.identity'),
    ...spoken(fillText(script.identity, vars), width),
    '',
  ];
  return { lines, card: { name: c.name, vars, overdue } };
}

/** Words for the agent to say: indented two spaces, wrapped to the screen. */
export function spoken(text: string, columns: number): string[] {
  return wrapToWidth(visible(text), columns - 2, '  ').map((l, i) => (i === 0 ? `  ${l}` : l));
}
