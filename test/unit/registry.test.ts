// Only the command being run is loaded; the others are stubs. The stubs must say what the real
// commands say, or `followup --help` would drift from `followup X --help`.
import { describe, expect, it } from 'vitest';
import { buildProgram, commandIn } from '../../src/cli.js';
import type { Context } from '../../src/core/command.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { setLang } from '../../src/messages/index.js';

const ctx = { out: {}, env: {}, cwd: '.', lang: 'en', config: () => ({}), dbPath: () => 'x.db', debug: () => false } as unknown as Context;

describe('the command registry', () => {
  it('has a stub for every command that matches the real one in the program help', async () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      setLang(lang);
      const real = await buildProgram(ctx, [], { all: true });
      const stubbed = await buildProgram(ctx, []);
      expect(stubbed.commands.map((c) => c.name())).toEqual(real.commands.map((c) => c.name()));
      expect(stubbed.helpInformation()).toBe(real.helpInformation());
      const help = real.createHelp();
      for (const command of real.commands) {
        const entry = COMMANDS[command.name() as keyof typeof COMMANDS];
        expect(entry.term, command.name()).toBe(help.subcommandTerm(command));
      }
    }
    setLang('en');
  });

  it('loads the command named on the command line, past the global options', async () => {
    expect(commandIn(['segments', '--json'])).toBe('segments');
    expect(commandIn(['--db', 'plan', 'report', '--month', '2026-11'])).toBe('report');
    expect(commandIn(['--lang', 'zh-CN', '--debug', 'issues', 'list'])).toBe('issues');
    expect(commandIn(['help', 'call'])).toBe('call');
    expect(commandIn(['--help'])).toBeUndefined();
    expect(commandIn(['segmnts'])).toBeUndefined();
    const program = await buildProgram(ctx, ['--db', 'x.db', 'issues', 'list']);
    const issues = program.commands.find((c) => c.name() === 'issues')!;
    const plan = program.commands.find((c) => c.name() === 'plan')!;
    expect(issues.commands.map((c) => c.name())).toEqual(['list', 'assign', 'resolve']);
    expect(plan.options).toHaveLength(0);
  });
});
