// followup issues [--status S] [--department D] [--json]: the closed loop's list.
// followup issues assign ID --department D / followup issues resolve ID --note TEXT.
import { Option, type Command } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { UsageError } from '../core/errors.js';
import { renderTable } from '../core/table.js';
import { level2Label } from '../domain/call.js';
import { calendarFrom } from '../domain/plan.js';
import { assign, ISSUE_STATUSES, issuesOn, resolve, staleComplaintsOn, type IssueStatusFilter, type IssueView } from '../domain/issues.js';
import { promisedBy } from '../domain/call.js';
import { callTime } from '../domain/call.js';
import { t, type MessageId } from '../messages/index.js';
import { patiently } from '../storage/db.js';
import { dateOption, jsonPhone, openExistingDatabase, parseDateFlag, shownPhone } from './common.js';

interface ListFlags {
  status?: string;
  department?: string;
  date?: string;
  json?: boolean;
  fullPhone?: boolean;
}

export function issuesCommand(ctx: Context) {
  const issues = newCommand('issues').description(t('issues.description'));
  const list = newCommand('list')
      .description(t('issues.list.description'))
      .addOption(new Option('--status <status>', t('issues.option.status')))
      .addOption(new Option('--department <name>', t('issues.option.department')))
      .addOption(dateOption())
      .addOption(new Option('--json', t('option.json')))
      .addOption(new Option('--full-phone', t('option.fullPhone')))
      .addHelpText('after', '\n' + t('issues.examples'))
      .action((flags: ListFlags) => {
        const date = parseDateFlag(flags.date);
        const status = parseStatus(flags.status);
        const department = flags.department?.trim() || undefined;
        const db = openExistingDatabase(ctx, { write: false });
        let all: IssueView[];
        let shown: IssueView[];
        let stale: ReturnType<typeof staleComplaintsOn> = [];
        try {
          all = issuesOn(db, { status: 'all', date });
          shown = issuesOn(db, { status, department, date });
          // Tickets open in the CRM too long for daily urgent calls: the closed loop's to follow up.
          if (status === 'open' || status === 'all' || status === 'overdue') {
            stale = staleComplaintsOn(db, date, ctx.config().scenarios['complaint-open'].staleAfterDays);
          }
        } finally {
          db.close();
        }
        const counts = {
          open: all.filter((i) => i.status === 'open').length,
          overdue: all.filter((i) => i.overdue).length,
          resolved: all.filter((i) => i.status === 'resolved').length,
          closed: all.filter((i) => i.status === 'closed').length,
        };
        const full = flags.fullPhone === true;
        if (flags.json) {
          ctx.out.data(
            jsonText({
              date,
              status,
              department: department ?? null,
              counts,
              issues: shown.map((i) => ({ ...i, phone: jsonPhone(i.phone, full) })),
              staleComplaints: stale.map((s) => ({ ...s, phone: jsonPhone(s.phone, full) })),
            }),
          );
          return;
        }
        const lines = [t('issues.title', { date, ...counts })];
        if (shown.length === 0) lines.push(t('issues.none'));
        else {
          const header = ['id', 'status', 'customer', 'phone', 'category', 'priority', 'department', 'dueBy', 'age', 'words'].map((c) =>
            t(`issues.col.${c}` as MessageId),
          );
          const rows = shown.map((i) => [
            `#${i.id}`,
            i.overdue ? t('issues.overdueMark', { days: i.daysOverdue ?? 0 }) : t(`issues.status.${i.status}` as MessageId),
            `${i.name} (${i.customerId})`,
            shownPhone(i.phone, full),
            `${t(`issue.l1.${i.level1}` as MessageId)}${i.level2 ? ' / ' + level2Label(i.level2) : ''}`,
            i.priority,
            i.department ?? '',
            i.dueBy ?? '',
            t('issues.age', { days: i.ageDays }),
            // On a terminal the words wrap to its width; in a file or a pipe a row stays one line.
            ctx.out.columns === undefined ? clip(i.words, 40) : clip(i.words, 200),
          ]);
          lines.push(
            ...renderTable(header, rows, {
              indent: 2,
              width: ctx.out.columns,
              flex: 9,
              // Overdue in red, and marked ⚠ in words too.
              style: (cell, row, column) => (column === 1 && shown[row].overdue ? ctx.out.dataColour.red(cell) : cell),
            }),
          );
        }
        if (stale.length > 0) {
          lines.push('', t('issues.staleTitle', { count: stale.length, days: ctx.config().scenarios['complaint-open'].staleAfterDays }));
          const header = ['ticket', 'customer', 'phone', 'opened', 'age', 'words'].map((c) => t(`issues.stale.${c}` as MessageId));
          const rows = stale.map((s) => [
            s.id,
            `${s.name} (${s.customerId})`,
            shownPhone(s.phone, full),
            s.openedAt.slice(0, 10),
            t('issues.age', { days: s.days }),
            clip(s.description ?? s.category ?? '', ctx.out.columns === undefined ? 40 : 200),
          ]);
          lines.push(...renderTable(header, rows, { indent: 2, width: ctx.out.columns, flex: 5 }));
        }
        ctx.out.data(lines.join('\n'));
      });
  issues.addCommand(list, { isDefault: true });
  // `followup issues` is `followup issues list`: its help shows the list's filters too.
  issues.addHelpText('after', () => `\n${filtersHelp(list)}\n\n${t('issues.examples')}`);
  issues.addCommand(
    newCommand('assign')
      .description(t('issues.assign.description'))
      .argument('<id>', t('issues.arg.id'))
      .addOption(new Option('--department <name>', t('issues.option.assignTo')))
      .addOption(dateOption())
      .addHelpText('after', '\n' + t('issues.assign.examples'))
      .action((idArg: string, flags: { department?: string; date?: string }) => {
        const id = parseId(idArg);
        const department = flags.department?.trim();
        if (!department) throw new UsageError('issues.departmentNeeded');
        const date = parseDateFlag(flags.date);
        const db = openExistingDatabase(ctx);
        try {
          const issue = patiently(() => assign(db, id, department, date));
          ctx.out.info(t('issues.assigned', { id: issue.id, department }));
        } finally {
          db.close();
        }
      }),
  );
  issues.addCommand(
    newCommand('resolve')
      .description(t('issues.resolve.description'))
      .argument('<id>', t('issues.arg.id'))
      .addOption(new Option('--note <text>', t('issues.option.note')))
      .addOption(dateOption())
      .addHelpText('after', '\n' + t('issues.resolve.examples'))
      .action((idArg: string, flags: { note?: string; date?: string }) => {
        const id = parseId(idArg);
        const note = flags.note?.trim();
        if (!note) throw new UsageError('issues.noteNeeded');
        const date = parseDateFlag(flags.date);
        const config = ctx.config();
        const db = openExistingDatabase(ctx);
        try {
          const issue = patiently(() => resolve(db, id, note, callTime(date, new Date()), date));
          const confirmBy = promisedBy(calendarFrom(config), date, config.scenarios.confirmation.withinWorkingDays);
          ctx.out.info(t(config.scenarios.confirmation.enabled ? 'issues.resolved' : 'issues.resolvedNoConfirmation', { id: issue.id, name: issue.name, by: confirmBy }));
        } finally {
          db.close();
        }
      }),
  );
  return issues;
}

/** The list's options, as its own help shows them, under their own title. */
function filtersHelp(list: Command): string {
  const help = list.createHelp();
  const options = list.options.filter((o) => o.long !== '--help');
  const width = Math.max(...options.map((o) => help.displayWidth(help.optionTerm(o))));
  return [t('issues.filtersTitle'), ...options.map((o) => help.formatItem(help.optionTerm(o), width, help.optionDescription(o), help))].join('\n');
}

function parseStatus(value: string | undefined): IssueStatusFilter {
  if (value === undefined) return 'open';
  const status = value.trim().toLowerCase();
  if ((ISSUE_STATUSES as readonly string[]).includes(status)) return status as IssueStatusFilter;
  throw new UsageError('issues.badStatus', { value, ids: ISSUE_STATUSES.join(', ') });
}

function parseId(value: string): number {
  const id = Number(value.trim().replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0) throw new UsageError('issues.badId', { value });
  return id;
}

function clip(text: string, width: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > width ? chars.slice(0, width - 1).join('') + '…' : chars.join('');
}
