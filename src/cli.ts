// The program: global options, the commands, and the one place where failures become exit codes.
//
// A UserError (something the user can fix) prints its one line and exits 1 (2 for bad usage);
// anything else is a bug: one line saying so, and the stack only with --debug.

import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, type Config } from './core/config.js';
import { EXIT_OK, EXIT_USAGE, UserError } from './core/errors.js';
import { newCommand, type Context } from './core/command.js';
import { consoleOutputFor, type Output } from './core/output.js';
import { langFromEnv, parseLang, setLang, t, type Lang } from './messages/index.js';
import { COMMANDS, commandStub, loadCommand, type CommandName } from './commands/registry.js';
import { mapSqliteError, resolveDbPath } from './storage/location.js';

export const EXIT_BUG = 70;

interface GlobalOptions {
  db?: string;
  lang?: string;
  config?: string;
  debug?: boolean;
}

/**
 * The program. Only the command being run is loaded (its module and what it imports: the database
 * driver, exceljs, the YAML parser …); the others are stubs with their name, usage and description,
 * which is all that top-level help and "did you mean" need. `all` loads every command (tests).
 */
export async function buildProgram(ctx: Context, argv: string[] = [], { all = false } = {}): Promise<Command> {
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
  const wanted = all ? undefined : commandIn(argv);
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    program.addCommand(all || name === wanted ? await loadCommand(name, ctx) : commandStub(name));
  }
  return program;
}

const GLOBAL_WITH_VALUE = new Set(['--db', '--lang', '--config']);

/** The command named on the command line (after the global options; `help X` names X), if any. */
export function commandIn(argv: string[]): CommandName | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    const name = arg === 'help' ? argv[i + 1] : arg;
    return name !== undefined && Object.hasOwn(COMMANDS, name) ? (name as CommandName) : undefined;
  }
  return undefined;
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
  const out = await consoleOutputFor(env);
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
    program = await buildProgram(ctx, argv);
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
  // Commander's guess at what was meant (the nearest command or option by edit distance).
  const suggestion = /\(Did you mean (?:one of )?([^?]+)\?\)/.exec(error.message)?.[1];
  const messages: Record<string, () => string> = {
    'commander.unknownOption': () =>
      suggestion ? t('usage.unknownOptionSuggest', { option: quoted, command, suggestion }) : t('usage.unknownOption', { option: quoted, command }),
    // A subcommand's suggestion (scripts shw → show) is said with its command: followup scripts show.
    'commander.unknownCommand': () =>
      suggestion ? t('usage.unknownCommandSuggest', { name: quoted, suggestion: command ? `${command} ${suggestion}` : suggestion }) : t('usage.unknownCommand', { name: quoted }),
    'commander.missingArgument': () => t('usage.missingArgument', { argument: quoted, command }),
    'commander.optionMissingArgument': () => t('usage.optionMissingArgument', { option: quoted }),
    'commander.excessArguments': () => {
      // `followup issues lst`: the default subcommand took a mistyped one as its argument.
      const sub = nearestSubcommand(program, argv, command);
      return sub ? t('usage.unknownCommandSuggest', { name: sub.typed, suggestion: `${command} ${sub.name}` }) : t('usage.excessArguments', { command });
    },
  };
  out.error(messages[error.code]?.() ?? error.message.replace(/^error: /, ''));
  return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}

/** The subcommand the user was running, for "see followup X --help". */
function findCommandName(program: Command | undefined, argv: string[]): string | undefined {
  const names = new Set(program?.commands.map((c) => c.name()) ?? []);
  return argv.find((a) => names.has(a));
}


/** A subcommand of `command` the word after it is one or two letters away from (lst → list). */
function nearestSubcommand(program: Command | undefined, argv: string[], command: string): { typed: string; name: string } | undefined {
  const parent = program?.commands.find((c) => c.name() === command);
  const typed = argv[argv.indexOf(command) + 1];
  if (!parent || parent.commands.length === 0 || typed === undefined || typed.startsWith('-')) return undefined;
  const names = parent.commands.map((c) => c.name()).filter((n) => n !== 'help');
  if (names.includes(typed)) return undefined;
  const best = names.map((name) => ({ name, distance: editDistance(typed, name) })).sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= 2 && best.distance < best.name.length ? { typed, name: best.name } : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
