// followup call [--agent NAME] [--date D]: the agent's screen, one customer after another.
// followup call --no-input --answers FILE [--customer ID]: one whole call from a JSON file.
// followup call --release: frees what the agent holds at once.
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import type { Config } from '../core/config.js';
import { UsageError, UserError } from '../core/errors.js';
import { readBounded } from '../core/files.js';
import { BACK, Interrupted, terminalPrompter, type Prompter } from '../core/prompt.js';
import { callSession, recordWholeCall, type CallInput, type CallSession } from '../domain/call.js';
import { t } from '../messages/index.js';
import { patiently } from '../storage/db.js';
import { disownClaims, releaseClaims } from '../storage/calls.js';
import { callTime, THIS_PROCESS } from '../domain/call.js';
import { dateOption, openExistingDatabase, parseDateFlag } from './common.js';
import { runScreen } from './call-screen.js';

interface CallFlags {
  agent?: string;
  date?: string;
  input?: boolean;
  answers?: string;
  customer?: string;
  release?: boolean;
}

/** Exit code after Ctrl-C, as shells expect (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

export function callCommand(ctx: Context, prompter: () => Prompter = () => terminalPrompter(process.stdin, process.stdout, ctx.out.colour)) {
  return newCommand('call')
    .description(t('call.description'))
    .addOption(new Option('--agent <name>', t('call.option.agent')))
    .addOption(dateOption())
    .addOption(new Option('--no-input', t('call.option.noInput')))
    .addOption(new Option('--answers <file>', t('call.option.answers')))
    .addOption(new Option('--customer <id>', t('call.option.customer')))
    .addOption(new Option('--release', t('call.option.release')))
    .addHelpText('after', '\n' + t('call.examples'))
    .action(async (flags: CallFlags) => {
      // Every flag is checked before the database is opened.
      const date = parseDateFlag(flags.date);
      const config = ctx.config();
      const noInput = flags.input === false || flags.answers !== undefined;
      if (noInput && flags.answers === undefined && !flags.release) throw new UsageError('call.noInputNeedsAnswers');
      if (flags.customer !== undefined && !noInput) throw new UsageError('call.customerNeedsAnswers');
      if (flags.release && flags.answers !== undefined) throw new UsageError('call.releaseAlone');
      const interactive = !noInput && !flags.release;
      // An unknown agent is the first thing to say, whatever the terminal.
      let agent = flags.agent !== undefined ? checkAgent(flags.agent, config) : (config.defaultAgent ?? undefined);
      if (interactive && !process.stdin.isTTY) throw new UserError('call.needsTerminal');
      if (agent === undefined && !interactive) throw new UsageError('call.agentNeeded', { agents: config.agents.map((a) => a.name).join(', ') });
      const input = flags.answers !== undefined ? readAnswersFile(flags.answers) : undefined;

      const db = openExistingDatabase(ctx);
      const waiting = () => ctx.out.info(t('call.waitingForLock'));
      try {
        if (flags.release) {
          const s = callSession(db, config, ctx.lang, agent as string, date);
          const now = new Date();
          const freed = patiently(() => releaseClaims(db, s.agent, now.toISOString(), callTime(date, now)), waiting);
          ctx.out.info(t('call.released', { agent: s.agent, items: freed.items, calls: freed.calls }));
          return;
        }
        if (input !== undefined) {
          const s = callSession(db, config, ctx.lang, agent as string, date);
          const recorded = patiently(() => recordWholeCall(s, input as CallInput, flags.customer?.trim()), waiting);
          ctx.out.data(jsonText(recorded));
          return;
        }
        const screen = prompter();
        try {
          if (agent === undefined) agent = await askAgent(screen, config);
          await runScreen(callSession(db, config, ctx.lang, agent, date), screen, waiting);
        } catch (error) {
          if (!(error instanceof Interrupted)) throw error;
          // The claim stays the agent's, to resume; but this process no longer works it.
          disownClaims(db, THIS_PROCESS);
          screen.say('');
          throw new UserError('call.interrupted', {}, EXIT_INTERRUPTED);
        } finally {
          screen.close();
        }
      } finally {
        db.close();
      }
    });
}

function checkAgent(name: string, config: Config): string {
  const trimmed = name.trim();
  if (!config.agents.some((a) => a.name === trimmed)) {
    throw new UsageError('call.unknownAgent', { name, agents: config.agents.map((a) => a.name).join(', ') });
  }
  return trimmed;
}

/** No --agent and no defaultAgent: asked once, from the configured agents. */
async function askAgent(screen: Prompter, config: Config): Promise<string> {
  const chosen = await screen.select(
    t('screen.whoAreYou'),
    config.agents.map((a) => ({ value: a.name, label: a.name })),
  );
  // There is no question before this one to go back to.
  return chosen === BACK ? askAgent(screen, config) : chosen;
}

const MAX_ANSWERS_BYTES = 1024 * 1024;

/** The --answers file (or - for stdin): one JSON object. */
function readAnswersFile(file: string): unknown {
  let text: string;
  try {
    // One call's answers are a few KB: a device or an endless stream stops at the bound.
    const bytes = readBounded(file === '-' ? 0 : file, MAX_ANSWERS_BYTES);
    if (bytes === null) throw Object.assign(new Error(`larger than ${MAX_ANSWERS_BYTES / 1048576} MB`), { code: `larger than ${MAX_ANSWERS_BYTES / 1048576} MB` });
    text = bytes.toString('utf8');
  } catch (error) {
    throw new UserError('call.answersUnreadable', { path: file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new UserError('call.answersNotJson', { path: file, reason: (error as Error).message });
  }
}

export type { CallSession };
