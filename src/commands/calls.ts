// followup calls [--date D] [--agent A] [--json]: what was done on day D, what is left, outcome counts.
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { UsageError } from '../core/errors.js';
import { renderTable } from '../core/table.js';
import { callsOfDay, OUTCOMES, type DayOfCalls } from '../domain/call.js';
import { t, type MessageId } from '../messages/index.js';
import { dateOption, jsonPhone, openExistingDatabase, parseDateFlag, shownPhone } from './common.js';

interface CallsFlags {
  date?: string;
  agent?: string;
  json?: boolean;
  fullPhone?: boolean;
}

export function callsCommand(ctx: Context) {
  return newCommand('calls')
    .description(t('calls.description'))
    .addOption(dateOption())
    .addOption(new Option('--agent <name>', t('calls.option.agent')))
    .addOption(new Option('--json', t('option.json')))
    .addOption(new Option('--full-phone', t('option.fullPhone')))
    .addHelpText('after', '\n' + t('calls.examples'))
    .action((flags: CallsFlags) => {
      const date = parseDateFlag(flags.date);
      const config = ctx.config();
      const agent = flags.agent?.trim();
      if (agent !== undefined && !config.agents.some((a) => a.name === agent)) {
        throw new UsageError('call.unknownAgent', { name: agent, agents: config.agents.map((a) => a.name).join(', ') });
      }
      const db = openExistingDatabase(ctx, { write: false });
      let day: DayOfCalls;
      try {
        day = callsOfDay(db, date, agent);
      } finally {
        db.close();
      }
      const full = flags.fullPhone === true;
      if (flags.json) ctx.out.data(jsonText(toJson(day, full)));
      else ctx.out.data(render(day, full, ctx.out.columns).join('\n'));
    });
}

function toJson(day: DayOfCalls, full: boolean) {
  return {
    ...day,
    calls: day.calls.map((k) => ({
      id: k.id,
      customerId: k.customerId,
      name: k.name,
      phone: jsonPhone(k.phone, full),
      agent: k.agent,
      scenario: k.scenario,
      outcome: k.outcome,
      startedAt: k.startedAt,
      endedAt: k.endedAt,
      durationSeconds: k.durationSeconds,
      callbackAt: k.callbackAt,
      satisfaction: k.satisfaction,
      nps: k.nps,
      issues: k.issues,
      source: k.source,
    })),
  };
}

function render(day: DayOfCalls, full: boolean, width: number | undefined): string[] {
  const lines = [t(day.agent ? 'calls.titleAgent' : 'calls.title', { date: day.date, agent: day.agent ?? '' })];
  if (day.calls.length === 0) lines.push(t('calls.none'));
  else {
    const rows = day.calls.map((k) => [
      k.startedAt.slice(11, 16),
      k.agent,
      `${k.name} (${k.customerId})`,
      shownPhone(k.phone, full),
      t(`scenario.${k.scenario}` as MessageId),
      k.outcome ? t(`outcome.${k.outcome}` as MessageId) : t(k.endedAt === null ? 'outcome.in-progress' : 'outcome.abandoned'),
      k.satisfaction === null ? '' : String(k.satisfaction),
      k.issues > 0 ? String(k.issues) : '',
    ]);
    const header = ['time', 'agent', 'customer', 'phone', 'scenario', 'outcome', 'satisfaction', 'issues'].map((c) => t(`calls.col.${c}` as MessageId));
    lines.push(...renderTable(header, rows, { indent: 2, width, align: ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right'] }));
  }
  const counts = [...OUTCOMES, 'in-progress' as const, 'abandoned' as const]
    .filter((o) => day.outcomes[o] > 0)
    .map((o) => `${t(`outcome.${o}` as MessageId)} ${day.outcomes[o]}`);
  lines.push('', t('calls.outcomes', { counts: counts.join(' · ') || t('screen.none') }));
  lines.push(t('calls.list', { planned: day.planned, remaining: day.remaining, inProgress: day.inProgress, done: day.done, closed: day.closed }));
  if (day.byAgent.length > 1 || day.agent === null) {
    for (const a of day.byAgent) {
      lines.push(`  ${t('calls.agentLine', { agent: a.agent ?? '-', remaining: a.remaining, inProgress: a.inProgress, done: a.done + a.closed })}`);
    }
  }
  return lines;
}
