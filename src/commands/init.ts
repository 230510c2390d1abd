// followup init [--force] [--agents "小王:40,小李:35"]: writes the settings file with every setting
// at its default and a comment explaining it, and creates the database.
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { CONFIG_FILE, defaultConfig, displayPath, renderConfig, type Agent } from '../core/config.js';
import { UsageError, UserError } from '../core/errors.js';
import { FILE_MODE, FOLDER_MODE, plainFileOrNothing, replaceFile } from '../core/files.js';
import { halfWidth } from '../domain/values.js';
import { anyText, BACK, terminalPrompter } from '../core/prompt.js';
import { langFromEnv, parseLang, t, type Lang } from '../messages/index.js';
import { openDatabase, resolveDbPath } from '../storage/db.js';
import { shellQuote } from './common.js';

interface InitFlags {
  force?: boolean;
  agents?: string;
  company?: string;
}

/** Calls a day for an agent given without one ("小王" in --agents). */
const DEFAULT_CAPACITY = 40;

export function initCommand(ctx: Context) {
  return newCommand('init')
    .description(t('init.description'))
    .addOption(new Option('--force', t('init.option.force')))
    .addOption(new Option('--agents <list>', t('init.option.agents')))
    .addOption(new Option('--company <name>', t('init.option.company')))
    .addHelpText('after', '\n' + t('init.examples'))
    .action(async (flags: InitFlags, command: Command) => {
      // --lang and --config are the program's options; commander accepts them after `init` too.
      const globals = command.optsWithGlobals<{ lang?: string; config?: string; db?: string }>();
      // Validate every flag before writing anything.
      const lang = parseLang(globals.lang) ?? langFromEnv(ctx.env);
      const agents = flags.agents === undefined ? undefined : parseAgents(flags.agents);
      if (flags.company !== undefined && flags.company.trim() === '') throw new UsageError('init.badCompany');
      const file = path.resolve(ctx.cwd, globals.config ?? CONFIG_FILE);
      const shown = displayPath(file, ctx.cwd);

      // Not a link, a device or a folder, and never the database itself (init --force --config followup.db).
      const stat = plainFileOrNothing(file, '--config', shown, 'file.isFolder');
      const db = resolveDbPath(globals.db, ctx.env);
      for (const read of [db, `${db}-wal`, `${db}-shm`]) {
        const other = fs.statSync(read, { throwIfNoEntry: false });
        if (stat && other && other.ino === stat.ino && other.dev === stat.dev) throw new UserError('file.isInput', { flag: '--config', path: shown });
      }
      const configFlag = globals.config === undefined ? '' : ` --config ${shellQuote(globals.config)}`;
      if (stat && !flags.force) throw new UserError('init.exists', { path: shown, command: `followup init --force${configFlag}` });

      const defaults = defaultConfig(lang);
      // The company the scripts name: --company, else asked on a terminal, else the placeholder
      // in the file's language ("本公司" / "our company").
      let company = flags.company?.trim();
      if (company === undefined && process.stdin.isTTY && process.stdout.isTTY) company = await askCompany(lang, defaults.company);
      const config = { ...defaults, ...(agents ? { agents } : {}), ...(company ? { company } : {}) };
      writeConfig(file, shown, renderConfig(lang, config), flags.force ?? false, configFlag);
      ctx.out.info(t('init.wrote', { path: shown }));

      // After the file is written, so that a broken file it replaced is not read for the db path.
      const dbPath = ctx.dbPath();
      const existed = fs.existsSync(dbPath);
      openDatabase(dbPath, { create: true, emptyIsNew: true }).close();
      ctx.out.info(t(existed ? 'init.dbKept' : 'init.dbCreated', { path: displayPath(dbPath, ctx.cwd) }));
      ctx.out.info(t('init.next', { config: configFlag }));
    });
}

async function askCompany(lang: Lang, fallback: string): Promise<string | undefined> {
  const screen = terminalPrompter();
  try {
    const answer = await screen.input(t('init.askCompany', { default: fallback }, lang), anyText);
    return answer === BACK || answer === '' ? undefined : answer;
  } finally {
    screen.close();
  }
}

function writeConfig(file: string, shown: string, text: string, force: boolean, configFlag: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: FOLDER_MODE });
    if (!force) {
      // 'wx': another init that got there first is not overwritten.
      fs.writeFileSync(file, text, { flag: 'wx', mode: FILE_MODE });
      return;
    }
    // Replace in one step: a reader sees the old file or the new one, never half of it.
    replaceFile(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError('init.exists', { path: shown, command: `followup init --force${configFlag}` });
    throw new UserError('init.cannotWrite', { path: shown, reason: (error as Error).message });
  }
}

/** "小王:40,小李:35" (full-width ：，、 as a Chinese keyboard types them are fine; no capacity means 40). */
export function parseAgents(value: string): Agent[] {
  const agents: Agent[] = [];
  const parts = value.split(/[,，、;；]/).map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) throw new UsageError('init.badAgents', { value, part: value });
  for (const part of parts) {
    const match = /^(.*?)\s*(?:[:：]\s*(.*))?$/.exec(part)!;
    const name = match[1].trim();
    if (!name) throw new UsageError('init.badAgents', { value, part });
    const raw = match[2] === undefined ? String(DEFAULT_CAPACITY) : halfWidth(match[2]).trim();
    const capacity = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(capacity >= 1)) throw new UsageError('init.badCapacity', { name, value: match[2] ?? '' });
    if (agents.some((agent) => agent.name === name)) throw new UsageError('init.duplicateAgent', { name });
    agents.push({ name, capacity });
  }
  return agents;
}
