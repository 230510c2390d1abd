// followup plan [--date D] [--agents A,B] [--force] [--json] [--out FILE] [--full-phone]: builds
// (or rebuilds) day D's call list, prints a summary and the list by agent, and can write it as CSV.
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { SCENARIO_IDS, type Config } from '../core/config.js';
import { writeCsvFile } from '../core/csv.js';
import { isDiskFull, replaceFile } from '../core/files.js';
import { CALL_LIST_COLUMNS, callListRow, callListWorkbook } from './call-list-file.js';
import { removeStaleScratch } from '../core/scratch.js';
import { UsageError, UserError } from '../core/errors.js';
import { renderTable } from '../core/table.js';
import { calendarLinesFor, daysBetween, weekday } from '../domain/calendar.js';
import { calendarFrom, planCallList, SCENARIO_ORDER, type CallList, type CallListItem } from '../domain/plan.js';
import { groupDigits, t, type MessageId } from '../messages/index.js';
import { checkOutFile, dateOption, jsonPhone, openExistingDatabase, parseDateFlag, shownPhone } from './common.js';

interface PlanFlags {
  date?: string;
  agents?: string;
  force?: boolean;
  json?: boolean;
  out?: string;
  fullPhone?: boolean;
}

export function planCommand(ctx: Context) {
  return newCommand('plan')
    .description(t('plan.description'))
    .addOption(dateOption())
    .addOption(new Option('--agents <names>', t('plan.option.agents')))
    .addOption(new Option('--force', t('plan.option.force')))
    .addOption(new Option('--json', t('option.json')))
    .addOption(new Option('--out <file>', t('plan.option.out')))
    .addOption(new Option('--full-phone', t('option.fullPhone')))
    .addHelpText('after', '\n' + t('plan.examples'))
    .action(async (flags: PlanFlags) => {
      // Validate every flag before touching the database.
      const date = parseDateFlag(flags.date);
      const config = ctx.config();
      const agents = flags.agents === undefined ? undefined : parseAgentNames(flags.agents, config);
      const out = flags.out === undefined ? undefined : checkOutFile(ctx, flags.out);
      const full = flags.fullPhone ?? false;

      const db = openExistingDatabase(ctx);
      // What an earlier plan killed part-way left behind goes now, whether or not this one needs a scratch folder.
      removeStaleScratch();
      let list: CallList;
      try {
        list = planCallList(db, config, { date, agents, force: flags.force ?? false });
      } finally {
        db.close();
      }

      if (!list.planned) {
        const next = calendarFrom(config).nextWorkingDay(date);
        ctx.out.info(t('plan.dayOff', { date, weekday: t(`weekday.${weekday(date)}` as MessageId), next }));
        if (flags.json) ctx.out.data(jsonText({ date, workingDay: false, items: [] }));
        return;
      }
      if (list.uncoveredYears.length > 0) ctx.out.warn(t('cmd.uncoveredYears', { years: list.uncoveredYears.join(', '), lines: calendarLinesFor(list.uncoveredYears.map(Number)) }));
      if (!list.workingDay) ctx.out.info(t('plan.forcedDayOff', { date }));
      if (out) {
        try {
          if (!out.stdout && /\.xlsx$/i.test(out.file)) writeWorkbook(out.file, out.shown, await callListWorkbook(list, full));
          else writeCsvFile(out, CALL_LIST_COLUMNS.map((id) => t(id)), list.items.map((item) => callListRow(list.date, item, full)));
        } catch (error) {
          // The list itself is saved; only its file could not be written. Planning again gives the same list.
          if (error instanceof UserError && error.id === 'file.noSpace') throw new UserError('plan.outNoSpace', { path: out.shown, date: list.date });
          throw error;
        }
        // The list went to standard output: that is the data, and nothing else is printed there.
        if (out.stdout) return;
        ctx.out.info(t('plan.wrote', { path: out.shown, count: list.items.length }));
      }
      if (flags.json) ctx.out.data(jsonText(toJson(list, full)));
      else ctx.out.data(render(ctx, list, full).join('\n'));
    });
}

/** "小王,小李" (full-width ，、 too): every name must be a configured agent. */
export function parseAgentNames(value: string, config: Config): string[] {
  const names = [...new Set(value.split(/[,，、;；]/).map((n) => n.trim()).filter((n) => n !== ''))];
  const configured = config.agents.map((a) => a.name);
  if (names.length === 0) throw new UsageError('plan.noAgents', { agents: configured.join(', ') });
  const unknown = names.filter((n) => !configured.includes(n));
  if (unknown.length > 0) throw new UsageError('plan.unknownAgents', { names: unknown.join(', '), agents: configured.join(', ') });
  return names;
}

const scenarioName = (id: string) => t(`scenario.${id}` as MessageId);

function counts(list: CallList) {
  const byScenario = Object.fromEntries(SCENARIO_IDS.map((id) => [id, list.items.filter((i) => i.scenario === id).length]));
  const urgent = list.items.filter((i) => i.urgent).length;
  const byAgent = Object.fromEntries(list.agents.map((a) => [a.name, { assigned: a.assigned, capacity: a.capacity }]));
  return { byScenario, byUrgency: { urgent, normal: list.items.length - urgent }, byAgent };
}

/** Days past its deadline on the list's day (0 when not overdue): a carried item keeps its real deadline. */
function overdueDays(i: CallListItem, date: string): number {
  return i.dueBy < date ? daysBetween(i.dueBy, date) : 0;
}

function toJson(list: CallList, full: boolean) {
  const item = (i: CallListItem) => ({
    id: i.id ?? null,
    customerId: i.customerId,
    name: i.name,
    phone: jsonPhone(i.phone, full),
    scenario: i.scenario,
    urgent: i.urgent,
    dueBy: i.dueBy,
    overdueDays: overdueDays(i, list.date),
    agent: i.agent,
    position: i.position,
    status: i.status,
    reason: i.reason,
    segments: i.segments,
    rolledFrom: i.rolledFrom,
  });
  return {
    date: list.date,
    workingDay: list.workingDay,
    items: list.items.map(item),
    rolledOver: list.rolledOver.map(item),
    rolledOverCount: list.rolledOverCount,
    rolledTo: list.rolledTo,
    backlog: list.backlog,
    counts: counts(list),
    uncoveredYears: list.uncoveredYears,
    overdueIssues: list.overdueIssues,
  };
}

/** The summary, then each agent's list in calling order, then what rolled over. */
function render(ctx: Context, list: CallList, full: boolean): string[] {
  const colour = ctx.out.dataColour;
  const c = counts(list);
  const lines: string[] = [];
  lines.push(colour.bold(t('plan.title', { date: list.date, count: list.items.length, urgent: c.byUrgency.urgent, normal: c.byUrgency.normal })));
  if (list.items.length === 0) {
    lines.push(t('plan.empty'));
  } else {
    lines.push('', t('plan.byScenario'));
    const scenarioRows = SCENARIO_ORDER.filter((id) => c.byScenario[id] > 0).map((id) => [scenarioName(id), groupDigits(c.byScenario[id])]);
    lines.push(...renderTable(null, scenarioRows, { indent: 2, align: ['left', 'right'] }));
  }
  lines.push('', t('plan.byAgent'));
  lines.push(...renderTable(null, list.agents.map((a) => [a.name, `${a.assigned} / ${a.capacity}`]), { indent: 2, align: ['left', 'right'] }));
  lines.push('', list.rolledOverCount > 0 ? t('plan.rolledOver', { count: list.rolledOverCount, day: list.rolledTo ?? '' }) : t('plan.noneRolledOver'));
  const b = list.backlog;
  if (b.due > b.fit) {
    // When far more is due than fits (a first import finds weeks of work), say how much, and where.
    lines.push(t('plan.backlog', { due: b.due, fit: b.fit, capacity: b.capacity, days: b.days }));
    const rows = SCENARIO_ORDER.filter((id) => (b.byScenario[id]?.customers ?? 0) > 0).map((id) => [
      scenarioName(id),
      groupDigits(b.byScenario[id].customers),
      t('plan.backlogDays', { days: b.byScenario[id].days }),
    ]);
    lines.push(...renderTable(null, rows, { indent: 2, align: ['left', 'right', 'right'] }));
  }
  if (list.overdueIssues > 0) lines.push('', colour.bold(t('plan.overdueIssues', { count: list.overdueIssues })));

  // Each agent's list: today's agents in order, then anyone else holding an item (claimed before a re-plan).
  const names = [...list.agents.map((a) => a.name)];
  for (const i of list.items) if (i.agent && !names.includes(i.agent)) names.push(i.agent);
  const groups: [string, CallListItem[]][] = names.map((name) => [name, list.items.filter((i) => i.agent === name)]);
  const unassigned = list.items.filter((i) => !i.agent);
  if (unassigned.length > 0) groups.push([t('plan.unassigned'), unassigned]);
  const showStatus = list.items.some((i) => i.status !== 'pending');
  for (const [name, items] of groups) {
    if (items.length === 0) continue;
    lines.push('', colour.bold(t('plan.agentTitle', { agent: name, count: items.length })));
    lines.push(...itemTable(ctx, [...items].sort((a, b) => a.position - b.position), full, showStatus, list.date));
  }
  if (list.rolledOver.length > 0) {
    lines.push('', colour.bold(t('plan.rolledTitle', { day: list.rolledTo ?? '', count: list.rolledOverCount })));
    lines.push(...itemTable(ctx, list.rolledOver, full, false, list.date));
    if (list.rolledOver.length < list.rolledOverCount) {
      lines.push(t('plan.partial', { shown: list.rolledOver.length, total: list.rolledOverCount }));
    }
  }
  return lines;
}

function itemTable(ctx: Context, items: CallListItem[], full: boolean, showStatus: boolean, date: string): string[] {
  const header = ['position', 'customer', 'name', 'phone', 'scenario', 'urgent', 'dueBy', ...(showStatus ? ['status'] : []), 'reason'].map((k) =>
    t(`plan.col.${k}` as MessageId),
  );
  const rows = items.map((i) => [
    String(i.position),
    i.customerId,
    i.name,
    shownPhone(i.phone, full) || '—',
    scenarioName(i.scenario),
    i.urgent ? t('plan.urgentMark') : '',
    overdueDays(i, date) > 0 ? t('plan.overdueBy', { dueBy: i.dueBy, days: overdueDays(i, date) }) : i.dueBy,
    ...(showStatus ? [t(`status.${i.status}` as MessageId)] : []),
    i.reason,
  ]);
  return renderTable(header, rows, {
    indent: 2,
    align: ['right'],
    width: ctx.out.columns,
    // Urgent and overdue in red; the words say it too ("urgent", "overdue 2 d") for those who cannot see red.
    style: (cell, row, column) => ((column === 5 && items[row].urgent) || (column === 6 && overdueDays(items[row], date) > 0) ? ctx.out.dataColour.red(cell) : cell),
  });
}

/** The workbook, replaced in one step (0600, as every file followup writes). */
function writeWorkbook(file: string, shown: string, body: Buffer): void {
  try {
    replaceFile(file, body);
  } catch (error) {
    if (isDiskFull(error)) throw new UserError('file.noSpace', { path: shown });
    throw new UserError('csv.cannotWrite', { path: shown, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
}
