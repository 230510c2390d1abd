// The program: global options, the commands, and the one place where failures become exit codes.
//
// A UserError (something the user can fix) prints its one line and exits 1 (2 for bad usage);
// anything else is a bug: one line saying so, and the stack only with --debug.

import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, type Config } from './core/config.js';
import { EXIT_OK, EXIT_USAGE, UserError } from './core/errors.js';
import { newCommand, type Context } from './core/command.js';
import { consoleOutput, type Output } from './core/output.js';
import { langFromEnv, parseLang, setLang, t, type Lang } from './messages/index.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { demoCommand } from './commands/demo.js';
import { segmentsCommand } from './commands/segments.js';
import { customersCommand } from './commands/customers.js';
import { explainCommand } from './commands/explain.js';
import { planCommand } from './commands/plan.js';
import { scriptsCommand } from './commands/scripts.js';
import { callCommand } from './commands/call.js';
import { callsCommand } from './commands/calls.js';
import { issuesCommand } from './commands/issues.js';
import { reportCommand } from './commands/report.js';
import { doctorCommand } from './commands/doctor.js';
import { mapSqliteError, resolveDbPath } from './storage/db.js';

export const EXIT_BUG = 70;

interface GlobalOptions {
  db?: string;
  lang?: string;
  config?: string;
  debug?: boolean;
}

export function buildProgram(ctx: Context): Command {
  const program = newCommand('followup')
    .description(t('program.description'))
    .version(packageVersion(), '-V, --version', t('option.version'))
    .addOption(new Option('--db <path>', t('option.db')))
    .addOption(new Option('--lang <lang>', t('option.lang')))
    .addOption(new Option('--config <file>', t('option.config')))
    .addOption(new Option('--debug', t('option.debug')))
    .helpCommand('help [command]', t('help.command'))
    .addHelpText('after', '\n' + t('program.examples'))
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError(false);
  program.addCommand(initCommand(ctx));
  program.addCommand(demoCommand(ctx));
  program.addCommand(importCommand(ctx));
  program.addCommand(segmentsCommand(ctx));
  program.addCommand(customersCommand(ctx));
  program.addCommand(explainCommand(ctx));
  program.addCommand(planCommand(ctx));
  program.addCommand(callCommand(ctx));
  program.addCommand(callsCommand(ctx));
  program.addCommand(issuesCommand(ctx));
  program.addCommand(reportCommand(ctx));
  program.addCommand(scriptsCommand(ctx));
  program.addCommand(doctorCommand(ctx));
  return program;
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

/** The language before commander runs, so that help and its errors are already translated. */
function earlyLang(argv: string[], env: NodeJS.ProcessEnv, cwd: string): { lang: Lang; badLang?: string } {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  if (at >= 0) {
    const value = argv[at].includes('=') ? argv[at].slice('--lang='.length) : argv[at + 1];
    const lang = parseLang(value);
    return lang ? { lang } : { lang: langFromEnv(env), badLang: value ?? '' };
  }
  try {
    const configAt = argv.findIndex((a) => a === '--config');
    const config = loadConfig(configAt >= 0 ? argv[configAt + 1] : undefined, cwd);
    if (config.lang) return { lang: config.lang };
  } catch {
    // A broken config is reported when a command reads it, in the environment's language.
  }
  return { lang: langFromEnv(env) };
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  // Everything followup writes holds customers' data: files 0600 and folders 0700 whatever the
  // umask, including those SQLite makes itself (-wal, -shm, temporary files).
  process.umask(0o077);
  const { lang, badLang } = earlyLang(argv, env, cwd);
  setLang(lang);
  const out = consoleOutput(env);
  const debugFlag = argv.includes('--debug');

  let program: Command | undefined;
  let config: Config | undefined;
  const ctx: Context = {
    out,
    env,
    cwd,
    lang,
    config: () => (config ??= loadConfig(globals().config, cwd)),
    dbPath: () => resolveDbPath(globals().db, env, ctx.config().db),
    debug: () => debugFlag,
  };
  const globals = () => (program?.opts() ?? {}) as GlobalOptions;

  try {
    if (badLang !== undefined) throw new UserError('error.lang', { value: badLang }, EXIT_USAGE);
    program = buildProgram(ctx);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (caught) {
    const error = mapSqliteError(caught, safeDbPath(ctx));
    if (error instanceof CommanderError) return commanderExit(error, out, program, argv);
    if (error instanceof UserError) {
      out.error(error.message);
      if (debugFlag) out.error(error.stack ?? '');
      return error.exitCode;
    }
    out.error(t('error.bug'));
    if (debugFlag) out.error((error as Error)?.stack ?? String(error));
    else out.error(String((error as Error)?.message ?? error));
    return EXIT_BUG;
  }
}

function safeDbPath(ctx: Context): string {
  try {
    return ctx.dbPath();
  } catch {
    return 'followup.db';
  }
}

function commanderExit(error: CommanderError, out: Output, program: Command | undefined, argv: string[]): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
    return EXIT_OK;
  }
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const command = findCommandName(program, argv) ?? '';
  const messages: Record<string, () => string> = {
    'commander.unknownOption': () => t('usage.unknownOption', { option: quoted, command }),
    'commander.unknownCommand': () => t('usage.unknownCommand', { name: quoted }),
    'commander.missingArgument': () => t('usage.missingArgument', { argument: quoted, command }),
    'commander.optionMissingArgument': () => t('usage.optionMissingArgument', { option: quoted }),
    'commander.excessArguments': () => t('usage.excessArguments', { command }),
  };
  out.error(messages[error.code]?.() ?? error.message.replace(/^error: /, ''));
  return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}

/** The subcommand the user was running, for "see followup X --help". */
function findCommandName(program: Command | undefined, argv: string[]): string | undefined {
  const names = new Set(program?.commands.map((c) => c.name()) ?? []);
  return argv.find((a) => names.has(a));
}

