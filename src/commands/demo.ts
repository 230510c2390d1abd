// followup demo [--dir DIR] [--json]: the whole tool on the bundled fixtures in a few seconds — a
// new folder with a database, a settings file, a working week of lists and calls, issues raised and
// fixed, the month's report — then the commands to try next against it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { CONFIG_FILE, loadConfig, renderConfig } from '../core/config.js';
import { UsageError, UserError } from '../core/errors.js';
import { DEMO_DAYS, DEMO_LAST_DAY, DEMO_MONTH, runDemo, type DemoResult } from '../domain/demo.js';
import { OUTCOMES } from '../domain/call.js';
import { monthReport } from '../domain/report.js';
import { toHtml, toText } from '../report/formats.js';
import { langFromEnv, t, type Lang, type MessageId } from '../messages/index.js';
import { cardCustomer } from '../storage/calls.js';
import { DEFAULT_DB_FILE, openDatabase } from '../storage/db.js';
import { shellQuote } from './common.js';

interface DemoFlags {
  dir?: string;
  json?: boolean;
}

/** The files the demo writes; a folder holding any of them is not used (the demo never overwrites). */
const REPORT_HTML = `report-${DEMO_MONTH}.html`;
const REPORT_TEXT = `report-${DEMO_MONTH}.txt`;
const DEMO_FILES = [DEFAULT_DB_FILE, CONFIG_FILE, REPORT_HTML, REPORT_TEXT];

/** The customer whose explanation the demo suggests: an open complaint puts them first on Monday's list. */
const EXPLAIN_CUSTOMER = 'C1033';

export function demoCommand(ctx: Context) {
  return newCommand('demo')
    .description(t('demo.description'))
    .addOption(new Option('--dir <folder>', t('demo.option.dir')))
    .addOption(new Option('--json', t('option.json')))
    .addHelpText('after', '\n' + t('demo.examples'))
    .action(async (flags: DemoFlags, command: Command) => {
      const globals = command.optsWithGlobals<{ db?: string }>();
      if (globals.db !== undefined) throw new UsageError('demo.noDb');
      const lang = ctx.lang;

      const folder = prepareFolder(ctx, flags.dir);
      const { dir } = folder;
      const dbPath = path.join(dir, DEFAULT_DB_FILE);
      const configPath = path.join(dir, CONFIG_FILE);
      const htmlPath = path.join(dir, REPORT_HTML);
      const textPath = path.join(dir, REPORT_TEXT);
      ctx.out.info(t('demo.progress.folder', { dir }));

      let result: DemoResult;
      let explainName = '';
      try {
        // The settings the folder's commands will read: the defaults, in the demo's language.
        writeNew(configPath, renderConfig(lang).replace(/^# lang: .*$/m, `lang: ${lang}`), 0o600);
        const config = loadConfig(configPath, dir);
        const db = openDatabase(dbPath, { create: true });
        try {
          result = await runDemo({ db, config, lang, dir, progress: (line) => ctx.out.info(line) });
          const report = monthReport(db, DEMO_MONTH, DEMO_LAST_DAY);
          writeNew(htmlPath, toHtml(report, lang), 0o600);
          writeNew(textPath, toText(report) + '\n', 0o600);
          explainName = cardCustomer(db, EXPLAIN_CUSTOMER)?.name ?? EXPLAIN_CUSTOMER;
        } finally {
          db.close();
        }
        ctx.out.info(t('demo.progress.report', { html: REPORT_HTML, text: REPORT_TEXT }));
      } catch (error) {
        // Whatever went wrong, the demo leaves nothing half-made behind.
        folder.undo();
        throw error;
      }

      if (flags.json) {
        ctx.out.data(
          jsonText({
            dir,
            db: dbPath,
            config: configPath,
            reports: { html: htmlPath, text: textPath },
            lang,
            month: DEMO_MONTH,
            days: result.days,
            imported: result.imported,
            calls: result.calls,
            issues: result.issues,
            confirmations: result.confirmations,
            left: result.left,
            nextWorkingDay: result.nextWorkingDay,
          }),
        );
        return;
      }
      ctx.out.data(summary(ctx, lang, result, { dir, dbPath, configPath, htmlPath, explainName }).join('\n'));
    });
}

interface Folder {
  dir: string;
  /** Removes what the demo created: the whole folder when it made it, else only its own files. */
  undo(): void;
}

function prepareFolder(ctx: Context, flag: string | undefined): Folder {
  if (flag === undefined) {
    let dir: string;
    try {
      dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'followup-demo-')));
    } catch (error) {
      throw new UserError('demo.cannotCreate', { path: path.join(os.tmpdir(), 'followup-demo-…'), reason: reasonOf(error) });
    }
    return { dir, undo: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const dir = path.resolve(ctx.cwd, flag);
  const suggestion = suggestFolder(flag, ctx.cwd);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new UserError('demo.notFolder', { path: flag, suggestion });
  if (stat) {
    const taken = DEMO_FILES.find((file) => fs.existsSync(path.join(dir, file)));
    if (taken) throw new UserError('demo.exists', { path: flag, file: taken, suggestion });
  }
  // The topmost folder mkdir creates, so that a failure removes all it made.
  let made: string | undefined;
  try {
    made = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UserError('demo.cannotCreate', { path: flag, reason: reasonOf(error) });
  }
  return {
    dir,
    undo: () => {
      if (made !== undefined) fs.rmSync(made, { recursive: true, force: true });
      else for (const file of [...DEMO_FILES, `${DEFAULT_DB_FILE}-wal`, `${DEFAULT_DB_FILE}-shm`]) fs.rmSync(path.join(dir, file), { force: true });
    },
  };
}

/** A folder name next to the one given that holds none of the demo's files: demo-2, demo-3, … */
function suggestFolder(flag: string, cwd: string): string {
  const base = flag.replace(/[\\/]+$/, '') || 'demo';
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    const dir = path.resolve(cwd, candidate);
    if (!fs.existsSync(dir) || !DEMO_FILES.some((file) => fs.existsSync(path.join(dir, file)))) return candidate;
  }
}

/** A new file ('wx': another process's file of the same name is never overwritten). */
function writeNew(file: string, text: string, mode: number): void {
  try {
    fs.writeFileSync(file, text, { flag: 'wx', mode });
  } catch (error) {
    throw new UserError('demo.cannotWrite', { path: file, reason: reasonOf(error) });
  }
}

const reasonOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** How the user started followup: through npx (from the repository) or as an installed command. */
function programName(env: NodeJS.ProcessEnv): string {
  return env.npm_command === 'exec' ? 'npx followup' : 'followup';
}

function openCommand(): string {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return 'start ""';
  return 'xdg-open';
}

function summary(
  ctx: Context,
  lang: Lang,
  r: DemoResult,
  p: { dir: string; dbPath: string; configPath: string; htmlPath: string; explainName: string },
): string[] {
  const sep = t('demo.listSeparator');
  const outcomes = OUTCOMES.filter((o) => r.calls.byOutcome[o] > 0)
    .map((o) => t('demo.outcomeCount', { count: r.calls.byOutcome[o], outcome: t(`outcome.${o}` as MessageId) }))
    .join(sep);
  const leftCount = Object.values(r.left).reduce((a, b) => a + b, 0);
  const agents = Object.entries(r.left)
    .map(([agent, count]) => t('demo.agentCount', { agent, count }))
    .join(sep);
  const planned = r.days.reduce((n, d) => n + d.planned, 0);
  const urgent = r.days.reduce((n, d) => n + d.urgent, 0);
  // The agent with the most left on Friday, for the call screen.
  const agent = Object.entries(r.left).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';

  const { bold } = ctx.out.colour;
  const lines = [
    bold(t('demo.ready', { dir: p.dir })),
    `  ${t('demo.summary.imported', { customers: r.imported.customers, orders: r.imported.orders, complaints: r.imported.complaints })}`,
    `  ${t('demo.summary.planned', { days: r.days.length, from: DEMO_DAYS[0], to: DEMO_LAST_DAY, items: planned, urgent })}`,
    `  ${t('demo.summary.calls', { total: r.calls.total, outcomes })}`,
    `  ${t('demo.summary.issues', { ...r.issues })}`,
    `  ${t('demo.summary.left', { date: DEMO_LAST_DAY, count: leftCount, agents })}`,
    `  ${t('demo.summary.reports', { month: DEMO_MONTH, html: REPORT_HTML, text: REPORT_TEXT })}`,
    `  ${t('demo.summary.config', { config: CONFIG_FILE })}`,
    '',
    bold(t('demo.next.title')),
  ];
  // Outside the folder its settings file is not read: the language is given when the environment's differs.
  const langFlag = lang === langFromEnv(ctx.env) ? '' : ` --lang ${lang}`;
  const followup = `${programName(ctx.env)} --db ${shellQuote(p.dbPath)}${langFlag}`;
  const next: [string, string][] = [
    [t('demo.next.calls'), `${followup} calls --date ${DEMO_LAST_DAY}`],
    [t('demo.next.explain', { name: p.explainName, id: EXPLAIN_CUSTOMER }), `${followup} explain ${EXPLAIN_CUSTOMER} --date ${DEMO_DAYS[0]}`],
    [t('demo.next.issues'), `${followup} issues --status all --date ${DEMO_LAST_DAY}`],
    [t('demo.next.report', { file: REPORT_HTML }), `${followup} report --month ${DEMO_MONTH} --date ${DEMO_LAST_DAY} --format text`],
    [t('demo.next.call', { agent }), `${followup} call --agent ${shellQuote(agent)} --date ${DEMO_LAST_DAY}`],
    [t('demo.next.plan'), `${followup} plan --date ${r.nextWorkingDay}`],
    [t('demo.next.open'), `${openCommand()} ${shellQuote(p.htmlPath)}`],
  ];
  for (const [what, command] of next) lines.push(`  # ${what}`, `  ${command}`);
  // `npx followup` in another folder would look for a package of that name on the registry: there, followup must be installed.
  lines.push('', t(programName(ctx.env) === 'followup' ? 'demo.next.cd' : 'demo.next.cdNpx', { dir: shellQuote(p.dir) }));
  return lines;
}
