// followup explain CUSTOMER [--date D] [--json]: why a customer is (or is not) on day D's call list.
import { calendarLinesFor } from '../domain/calendar.js';
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { UserError } from '../core/errors.js';
import { renderTable } from '../core/table.js';
import { explainCustomer, type CustomerExplanation, type ScenarioFinding, type SegmentMiss } from '../domain/explain.js';
import { reasonText, type Exclusion } from '../domain/plan.js';
import { t, type MessageId } from '../messages/index.js';
import { dateOption, jsonPhone, openExistingDatabase, parseDateFlag, shownPhone } from './common.js';

interface ExplainFlags {
  date?: string;
  json?: boolean;
}

export function explainCommand(ctx: Context) {
  return newCommand('explain')
    .description(t('explain.description'))
    .argument('<customer>', t('explain.arg.customer'))
    .addOption(dateOption())
    .addOption(new Option('--json', t('option.json')))
    .addHelpText('after', '\n' + t('explain.examples'))
    .action((customerArg: string, flags: ExplainFlags) => {
      const date = parseDateFlag(flags.date);
      const customerId = customerArg.trim();
      const config = ctx.config();
      const db = openExistingDatabase(ctx, { write: false });
      let explanation: CustomerExplanation | undefined;
      try {
        explanation = explainCustomer(db, config, date, customerId);
      } finally {
        db.close();
      }
      if (!explanation) throw new UserError('explain.unknownCustomer', { id: customerId });
      if (explanation.uncoveredYears.length > 0) ctx.out.warn(t('cmd.uncoveredYears', { years: explanation.uncoveredYears.join(', '), lines: calendarLinesFor(explanation.uncoveredYears.map(Number)) }));
      if (flags.json) ctx.out.data(jsonText(toJson(explanation)));
      else ctx.out.data(render(ctx, explanation).join('\n'));
    });
}

const scenarioName = (id: string) => t(`scenario.${id}` as MessageId);
const segmentName = (id: string) => t(`segment.${id}` as MessageId);

function exclusionText(exclusion: Exclusion): string {
  const { code, ...params } = exclusion;
  return t(`explain.ex.${code}` as MessageId, params as Record<string, string | number>);
}

/** What one finding says, in a sentence. */
function findingText(f: ScenarioFinding): string {
  const reason = f.reason ? reasonText(f.reason) : '';
  switch (f.state) {
    case 'due':
      return t(f.urgent ? 'explain.dueUrgent' : 'explain.due', { dueBy: f.dueBy ?? '', reason });
    case 'not-yet':
      return t('explain.notYet', { from: f.from ?? '', dueBy: f.dueBy ?? '', reason });
    case 'excluded':
      return t('explain.excluded', { why: f.exclusion ? exclusionText(f.exclusion) : '', reason });
    case 'off':
      return t('explain.off', f.params);
    case 'not-applicable':
      return t(`explain.na.${f.notApplicable}` as MessageId, f.params);
  }
}

function missText(miss: SegmentMiss): string {
  return t(`explain.notIn.${miss.code}` as MessageId, miss.params);
}

/** The answer to "is X on D's list, and why (not)?", in one or two sentences. */
function listSummary(e: CustomerExplanation): string[] {
  const { entry, later, made } = e.list;
  const due = e.scenarios.filter((f) => f.state === 'due');
  const out: string[] = [];
  if (entry) {
    out.push(
      t('explain.list.on', {
        date: e.date,
        agent: entry.agent ?? t('explain.list.noAgent'),
        position: entry.position,
        scenario: scenarioName(entry.scenario),
        status: t(`status.${entry.status}` as MessageId),
      }),
    );
    if (e.customer.doNotCall && entry.status === 'pending') out.push(t('explain.list.staleDoNotCall', { date: e.date }));
    else if (due.length === 0 && entry.status === 'pending') out.push(t('explain.list.staleNothingDue', { date: e.date }));
    return out;
  }
  if (e.customer.doNotCall) out.push(t('explain.list.doNotCall', { date: e.date }));
  else if (due.length > 0) {
    const scenarios = [...new Set(due.map((f) => scenarioName(f.scenario)))].join(t('explain.separator'));
    if (later && later.rolledFrom === e.date) {
      out.push(t('explain.list.rolled', { date: e.date, day: later.planDate, position: later.position, agent: later.agent ?? t('explain.list.noAgent') }));
    } else if (!made) out.push(t('explain.list.notMadeDue', { date: e.date, scenarios }));
    else if (e.list.size >= e.list.capacity) out.push(t('explain.list.full', { scenarios, size: e.list.size, capacity: e.list.capacity }));
    else out.push(t('explain.list.dueNotOn', { date: e.date, scenarios }));
  } else {
    out.push(t(made ? 'explain.list.nothingDue' : 'explain.list.notMadeNothingDue', { date: e.date }));
    const next = e.scenarios.filter((f) => f.state === 'not-yet' && f.from).sort((a, b) => (a.from! < b.from! ? -1 : a.from! > b.from! ? 1 : 0))[0];
    if (next) out.push(t('explain.list.next', { scenario: scenarioName(next.scenario), from: next.from! }));
  }
  return out;
}

function render(ctx: Context, e: CustomerExplanation): string[] {
  const colour = ctx.out.dataColour;
  const width = ctx.out.columns;
  const c = e.customer;
  const lines: string[] = [];
  lines.push(
    colour.bold(
      t('explain.who', {
        id: c.id,
        name: c.name,
        phone: shownPhone(c.phone, false) || t('explain.noPhone'),
        tier: c.tier ?? t('explain.noTier'),
      }),
    ),
  );
  lines.push(c.doNotCall ? colour.red(t('explain.doNotCallYes')) : t('explain.doNotCallNo'));
  lines.push(t('explain.asOf', { date: e.date }));

  lines.push('', colour.bold(t('explain.segments')));
  const segmentRows = e.segments.map((s) => [segmentName(s.segment), s.why]);
  lines.push(...renderTable(null, segmentRows, { indent: 2, width }));
  if (e.notIn.length > 0) {
    lines.push('', colour.bold(t('explain.notInTitle')));
    lines.push(...renderTable(null, e.notIn.map((m) => [segmentName(m.segment), missText(m)]), { indent: 2, width }));
  }

  lines.push('', colour.bold(t('explain.scenarios')));
  const rows = e.scenarios.map((f) => [scenarioName(f.scenario), t(`explain.state.${f.state}` as MessageId) + (f.onList ? t('explain.onListMark') : ''), findingText(f)]);
  lines.push(
    ...renderTable(null, rows, {
      indent: 2,
      width,
      style: (cell, row, column) => {
        if (column !== 1) return cell;
        const state = e.scenarios[row].state;
        return state === 'due' ? colour.green(cell) : state === 'excluded' ? colour.yellow(cell) : cell;
      },
    }),
  );

  lines.push('', colour.bold(t('explain.listTitle', { date: e.date })));
  for (const line of listSummary(e)) lines.push(`  ${line}`);
  return lines;
}

function toJson(e: CustomerExplanation) {
  return {
    date: e.date,
    customer: { ...e.customer, phone: jsonPhone(e.customer.phone, false) },
    segments: e.segments,
    notIn: e.notIn.map((m) => ({ segment: m.segment, code: m.code, why: missText(m) })),
    scenarios: e.scenarios.map((f) => ({
      scenario: f.scenario,
      state: f.state,
      urgent: f.urgent,
      dueBy: f.dueBy,
      from: f.from,
      ref: f.ref,
      exclusion: f.exclusion,
      notApplicable: f.notApplicable,
      onList: f.onList,
      text: findingText(f),
    })),
    list: {
      made: e.list.made,
      entry: e.list.entry && { ...e.list.entry, urgent: e.list.entry.urgent === 1 },
      later: e.list.later && { ...e.list.later, urgent: e.list.later.urgent === 1 },
    },
    summary: listSummary(e).join(' '),
    uncoveredYears: e.uncoveredYears,
  };
}
