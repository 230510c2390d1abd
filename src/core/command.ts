// What every command is built from: the shared context, and commander with the program's conventions.
import { Command, Help } from 'commander';
import type { Config } from './config.js';
import type { Output } from './output.js';
import { displayWidth, wrapToWidth } from './width.js';
import { t, type Lang, type MessageId } from '../messages/index.js';

/** What every command gets: where to write, where the database is, the settings. */
export interface Context {
  out: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  lang: Lang;
  /** The database path from --db, $FOLLOWUP_DB, the config, or ./followup.db. */
  dbPath(): string;
  config(): Config;
  debug(): boolean;
}

const TITLES: Record<string, MessageId> = {
  'Usage:': 'help.usage',
  'Arguments:': 'help.arguments',
  'Options:': 'help.options',
  'Global Options:': 'help.globalOptions',
  'Commands:': 'help.commands',
};

/** The usage line of a command that stands in for one not loaded (commands/registry.ts). */
export const stubTerm = new WeakMap<Command, string>();

/** Help headings in the user's language; everything else in help comes from the catalog already. */
class LocalisedHelp extends Help {
  override styleTitle(title: string): string {
    const id = TITLES[title];
    return id ? t(id) : title;
  }

  override subcommandTerm(command: Command): string {
    return stubTerm.get(command) ?? super.subcommandTerm(command);
  }

  /** Columns, not characters: a Chinese character takes two. */
  override displayWidth(text: string): number {
    return displayWidth(text);
  }

  /** Chinese has no spaces to break at: lines break between its characters, never before 。，). */
  override boxWrap(text: string, width: number): string {
    if (width < this.minWidthToWrap) return text;
    return text
      .split('\n')
      .map((line) => wrapToWidth(line, width).join('\n'))
      .join('\n');
  }
}

/** A command with the program's conventions: localised help, help flag text, usage errors thrown. */
export function newCommand(name: string): Command {
  const command = new Command(name);
  command.createHelp = () => Object.assign(new LocalisedHelp(), command.configureHelp());
  command.helpOption('-h, --help', t('option.help'));
  command.configureHelp({ showGlobalOptions: true });
  // Commander's own error text is English; main() prints a translated line from the error's code.
  command.configureOutput({ outputError: () => {} });
  command.exitOverride();
  return command;
}

