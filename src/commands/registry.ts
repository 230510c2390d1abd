// The commands, by name, each loaded only when it is run: a command's module imports what it needs
// (the database driver, exceljs, the YAML parser, the call screen's prompts), and `followup --help`
// or `followup segments` should not pay for the others. A stub stands in for each command that is
// not run: its name, its usage and its description are all the top-level help and "did you mean" need.
// test/unit/registry.test.ts checks every stub against its real command.
import { Command } from 'commander';
import { newCommand, stubTerm, type Context } from '../core/command.js';
import { t, type MessageId } from '../messages/index.js';

interface Entry {
  /** Its line in the top-level help: name, [options] and arguments, as commander writes it. */
  term: string;
  description: MessageId;
  load(ctx: Context): Promise<Command>;
}

export const COMMANDS = {
  init: { term: 'init [options]', description: 'init.description', load: async (ctx) => (await import('./init.js')).initCommand(ctx) },
  demo: { term: 'demo [options]', description: 'demo.description', load: async (ctx) => (await import('./demo.js')).demoCommand(ctx) },
  import: {
    term: 'import [options] <kind> <file>',
    description: 'import.description',
    load: async (ctx) => (await import('./import.js')).importCommand(ctx),
  },
  segments: { term: 'segments [options]', description: 'segments.description', load: async (ctx) => (await import('./segments.js')).segmentsCommand(ctx) },
  customers: {
    term: 'customers [options]',
    description: 'customers.description',
    load: async (ctx) => (await import('./customers.js')).customersCommand(ctx),
  },
  explain: {
    term: 'explain [options] <customer>',
    description: 'explain.description',
    load: async (ctx) => (await import('./explain.js')).explainCommand(ctx),
  },
  plan: { term: 'plan [options]', description: 'plan.description', load: async (ctx) => (await import('./plan.js')).planCommand(ctx) },
  call: { term: 'call [options]', description: 'call.description', load: async (ctx) => (await import('./call.js')).callCommand(ctx) },
  calls: { term: 'calls [options]', description: 'calls.description', load: async (ctx) => (await import('./calls.js')).callsCommand(ctx) },
  issues: { term: 'issues', description: 'issues.description', load: async (ctx) => (await import('./issues.js')).issuesCommand(ctx) },
  report: { term: 'report [options]', description: 'report.description', load: async (ctx) => (await import('./report.js')).reportCommand(ctx) },
  scripts: { term: 'scripts', description: 'scripts.description', load: async (ctx) => (await import('./scripts.js')).scriptsCommand(ctx) },
  doctor: { term: 'doctor [options]', description: 'doctor.description', load: async (ctx) => (await import('./doctor.js')).doctorCommand(ctx) },
} satisfies Record<string, Entry>;

export type CommandName = keyof typeof COMMANDS;

export function loadCommand(name: CommandName, ctx: Context): Promise<Command> {
  return (COMMANDS[name] as Entry).load(ctx);
}

/** A command that is not being run: enough of it for the program's help and its suggestions. */
export function commandStub(name: CommandName): Command {
  const entry: Entry = COMMANDS[name];
  const stub = newCommand(name).description(t(entry.description));
  stubTerm.set(stub, entry.term);
  return stub;
}
