// followup scripts check [DIR] | scripts show SCENARIO [--lang L]: checks the call scripts (every
// problem as file:line: message, exit 1) and shows one as the agent will read it on a call.
import fs from 'node:fs';
import path from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { companyName, displayPath, SCENARIO_IDS } from '../core/config.js';
import { EXIT_USER_ERROR, UsageError, UserError } from '../core/errors.js';
import {
  BUNDLED_SCRIPTS_DIR,
  checkScripts,
  DEFAULT_SCRIPT,
  fillText,
  loadScript,
  scriptFiles,
  type Condition,
  type Question,
  type Script,
} from '../domain/scripts.js';
import { parseLang, t, type Lang, type MessageId } from '../messages/index.js';

const SHOWN_IDS = [...SCENARIO_IDS, DEFAULT_SCRIPT] as readonly string[];

export function scriptsCommand(ctx: Context) {
  const scripts = newCommand('scripts').description(t('scripts.description'))
    .helpCommand('help [command]', t('help.command'))
    .addHelpText('after', '\n' + t('scripts.examples'));

  scripts.addCommand(
    newCommand('check')
      .description(t('scripts.check.description'))
      .addArgument(new Argument('[dir]', t('scripts.check.arg.dir')))
      .addOption(new Option('--json', t('option.json')))
      .addHelpText('after', '\n' + t('scripts.check.examples'))
      .action((dirArg: string | undefined, flags: { json?: boolean }) => {
        const dir = dirArg !== undefined ? path.resolve(ctx.cwd, dirArg) : (ctx.config().scriptsDir ?? BUNDLED_SCRIPTS_DIR);
        const shownDir = displayPath(dir, ctx.cwd);
        if (!isDir(dir)) throw new UserError('scripts.noDir', { path: shownDir });
        const files = scriptFiles(dir);
        if (files.length === 0) throw new UserError('scripts.noFiles', { dir: shownDir });
        const problems = checkScripts(dir);
        if (flags.json) {
          ctx.out.data(jsonText({ dir, files: files.length, problems: problems.map((p) => ({ file: p.file, line: p.line, message: p.message })) }));
          if (problems.length > 0) throw new UserError('scripts.problems', { count: problems.length, dir: shownDir }, EXIT_USER_ERROR);
          return;
        }
        for (const p of problems) ctx.out.error(`${displayPath(p.file, ctx.cwd)}:${p.line}: ${p.message}`);
        if (problems.length > 0) {
          throw new UserError('scripts.problems', { count: problems.length, dir: shownDir }, EXIT_USER_ERROR);
        }
        ctx.out.info(t('scripts.ok', { count: files.length, dir: shownDir }));
      }),
  );

  scripts.addCommand(
    newCommand('show')
      .description(t('scripts.show.description'))
      .addArgument(new Argument('<scenario>', t('scripts.show.arg.scenario')))
      .addOption(new Option('--json', t('scripts.show.option.json')))
      .addHelpText('after', '\n' + t('scripts.show.examples'))
      .action((scenario: string, showFlags: { json?: boolean }, command: Command) => {
        // Validate first. --lang is the program's option (commander takes it after `show` too): the
        // script's language, also when messages are in another one (`--lang zh-CN ... --lang en`).
        if (!SHOWN_IDS.includes(scenario)) throw new UsageError('scripts.unknownScenario', { scenario, ids: SHOWN_IDS.join(', ') });
        const flags = command.optsWithGlobals<{ lang?: string }>();
        let lang: Lang = ctx.lang;
        if (flags.lang !== undefined) {
          const parsed = parseLang(flags.lang);
          if (!parsed) throw new UsageError('scripts.badLang', { value: flags.lang });
          lang = parsed;
        }
        const config = ctx.config();
        const script = loadScript(scenario, lang, config.scriptsDir);
        if (showFlags.json) {
          ctx.out.data(jsonText(scriptAsJson(script, lang)));
          return;
        }
        ctx.out.data(render(script, lang, companyName(config, lang), config.defaultAgent, ctx.cwd).join('\n'));
      }),
  );
  return scripts;
}

function isDir(dir: string): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

const OPS: Record<string, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** The script as the agent reads it, in the script's language, with sample details filled in. */
function render(script: Script, lang: Lang, company: string, agent: string | null, cwd: string): string[] {
  const m = (id: MessageId, params?: Record<string, string | number>) => t(id, params, lang);
  const vars = {
    customer: m('scripts.sample.customer'),
    company,
    agent: agent ?? m('scripts.sample.agent'),
    minutes: script.minutes,
    orderDay: m('scripts.sample.orderDay'),
    product: m('scripts.sample.product'),
    complaint: m('scripts.sample.complaint'),
    issue: m('scripts.sample.issue'),
  };
  const fill = (text: string) => fillText(text, vars);
  const section = (id: MessageId) => m('scripts.show.section', { label: m(id) });
  const lines = [m('scripts.show.title', { title: script.title, scenario: script.scenario, minutes: m('scripts.show.minutes', { minutes: script.minutes }) })];
  lines.push(m('scripts.show.file', { file: displayPath(script.file, cwd) }), '');
  lines.push(section('scripts.show.opening'), `  ${fill(script.opening)}`, '');
  lines.push(section('scripts.show.identity'), `  ${fill(script.identity)}`, '');
  lines.push(section('scripts.show.questions'));
  script.questions.forEach((q, i) => {
    const kind = m('scripts.show.kind', { type: m(`scripts.type.${q.type}` as MessageId), required: m(q.required ? 'scripts.show.required' : 'scripts.show.skippable') });
    lines.push(`  ${i + 1}. [${q.id}] ${fill(q.text)}`, `     ${kind}`);
    if (q.choices) lines.push(`     ${m('scripts.show.choices', { choices: q.choices.map((c) => c.text).join(' / ') })}`);
    if (q.condition) lines.push(`     ${m('scripts.show.when', { condition: describe(q.condition, script.questions, m) })}`);
  });
  lines.push('', section('scripts.show.closing'), `  ${fill(script.closing)}`);
  return lines;
}

/** The script as data: its texts as written (placeholders such as {customer} kept), its questions and conditions. */
function scriptAsJson(script: Script, lang: Lang) {
  return {
    scenario: script.scenario,
    lang,
    title: script.title,
    minutes: script.minutes,
    file: script.file,
    opening: script.opening,
    identity: script.identity,
    questions: script.questions.map((q) => ({
      id: q.id,
      type: q.type,
      text: q.text,
      required: q.required,
      choices: q.choices ?? null,
      when: q.when ?? null,
    })),
    closing: script.closing,
  };
}

function describe(condition: Condition, questions: Question[], m: (id: MessageId, params?: Record<string, string | number>) => string): string {
  if (condition.kind === 'and' || condition.kind === 'or') {
    return condition.parts.map((p) => describe(p, questions, m)).join(m(condition.kind === 'and' ? 'scripts.show.and' : 'scripts.show.or'));
  }
  const at = questions.findIndex((q) => q.id === condition.id);
  const target = questions[at];
  const question = m('scripts.show.qrefId', { question: m('scripts.show.qref', { n: at + 1 }), id: condition.id });
  const valueText = (value: string) => {
    if (target?.type === 'yes-no') return m(value === 'yes' ? 'scripts.show.yes' : 'scripts.show.no');
    return target?.choices?.find((c) => c.id === value)?.text ?? value;
  };
  if (condition.kind === 'in') return m('scripts.show.isOneOf', { question, values: condition.values.map(valueText).join(' / ') });
  return m('scripts.show.cmp', { question, op: OPS[condition.op], value: valueText(condition.value) });
}
