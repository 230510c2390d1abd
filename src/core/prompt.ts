// Every question the program asks goes through this one small wrapper, so that the call screen can
// be driven by tests with scripted answers and by people through a terminal alike.
//
// On a terminal the questions are inquirer's prompts (@inquirer/prompts): a list to move through
// with ↑↓ or a number key, boxes to tick, a line of text checked as it is entered (a mistake is said
// under it and the text stays there to correct), a search that narrows a long list as letters are
// typed. Esc goes back to the previous question (BACK). Ctrl-C and Ctrl-D (or a closed terminal)
// end the session with Interrupted; whatever was saved before stays saved. Inquirer's own words
// (its key hints, its few error messages) are shown in the user's language.
import type { ChalkInstance } from 'chalk';
import { keyGate, type KeyGate } from './key-gate.js';
import { plainColour } from './output.js';
import { visible } from './visible.js';
import { t, type MessageId } from '../messages/index.js';

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** The answer "go back to the previous question" (Esc on a terminal, `<` in a script). */
export const BACK = Symbol('back');
export type Back = typeof BACK;

export interface Choice<T> {
  value: T;
  /** What the list shows (a number is put before it). */
  label: string;
  /** A line shown under the list while this choice is highlighted. */
  hint?: string;
}

/** A check of a typed line: the value it means, or what is wrong with it (shown under the line). */
export type Check<T> = (typed: string) => { value: T } | { error: string };

export interface AskOptions {
  /** Esc (or `<`) goes back: the promise resolves with BACK. */
  back?: boolean;
}

export interface Prompter {
  /** Writes lines of the screen. */
  say(...lines: string[]): void;
  /** One of the choices: ↑↓ or its number, then Enter. */
  select<T>(message: string, choices: Choice<T>[], options?: AskOptions & { default?: T }): Promise<T | Back>;
  /** Any number of the choices: space ticks, Enter takes them. `atLeastOne` is the message when none is ticked. */
  checkbox<T>(message: string, choices: Choice<T>[], options?: AskOptions & { checked?: T[]; atLeastOne?: string }): Promise<T[] | Back>;
  /**
   * A line of text, checked when Enter is pressed. `initial` is offered: shown beside the question
   * (Enter accepts it, Tab takes it to edit), or with `editable` already typed in, to edit.
   */
  input<T = string>(message: string, check: Check<T>, options?: AskOptions & { initial?: string; editable?: boolean }): Promise<T | Back>;
  /** One of many, narrowed as the agent types (`find` gives the choices for what is typed so far). */
  search<T>(message: string, find: (typed: string) => Choice<T>[], options?: AskOptions): Promise<T | Back>;
  /** The width of the screen in columns. */
  readonly columns: number;
  close(): void;
}

/** A check that takes any line as it is (trimmed). */
export const anyText: Check<string> = (typed) => ({ value: typed.trim() });

/** Inquirer's words and ours: its key hints and error messages, by their English text. */
const INQUIRER_WORDS: Record<string, MessageId> = {
  navigate: 'prompt.key.navigate',
  select: 'prompt.key.select',
  submit: 'prompt.key.submit',
  all: 'prompt.key.all',
  invert: 'prompt.key.invert',
  'No results found': 'prompt.noResults',
  'You must provide a value': 'prompt.required',
  'You must provide a valid value': 'prompt.invalid',
  'At least one choice must be selected': 'prompt.atLeastOne',
  'You must provide a valid numeric value': 'prompt.invalid',
};

function inquirerWords(text: string): string {
  const id = INQUIRER_WORDS[text];
  return id ? t(id) : text;
}

/** A key hint's word: "select" is ticking a box with space, choosing with Enter. */
function keyWord(key: string, action: string): string {
  if (action === 'back') return t('prompt.key.back');
  if (action === 'select' && key !== 'space') return t('prompt.key.submit');
  return inquirerWords(action);
}

type Key = { name?: string; ctrl?: boolean; sequence?: string };

export function terminalPrompter(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stdout,
  colour: ChalkInstance = plainColour,
): Prompter {
  // The screen shows customer text: its control characters are shown, never obeyed.
  const shown = (text: string) => visible(text, { lines: true, tabs: true, colour: true });
  let closed = false;
  const style = {
    answer: (text: string) => colour.cyan(text),
    message: (text: string) => colour.bold(text),
    error: (text: string) => colour.red(`> ${inquirerWords(text)}`),
    defaultAnswer: (text: string) => colour.dim(`(${text})`),
    help: (text: string) => colour.dim(text),
    highlight: (text: string) => colour.cyan(text),
    key: (text: string) => colour.cyan(colour.bold(`<${text}>`)),
    description: (text: string) => colour.cyan(text),
    disabled: (text: string) => colour.dim(text),
  };
  /** Inquirer's look, in the user's language; the key line says Esc goes back where it does. */
  const themeFor = (back: boolean) => ({
    prefix: { idle: colour.blue('?'), done: colour.green('✔') },
    style: {
      ...style,
      keysHelpTip: (keys: [string, string][]) =>
        [...keys, ...(back ? [['Esc', 'back'] as [string, string]] : [])]
          .map(([key, action]) => `${colour.bold(key === 'space' ? t('prompt.key.space') : key)} ${colour.dim(keyWord(key, action))}`)
          .join(colour.dim(' • ')),
    },
    i18n: { disabledError: t('prompt.invalid') },
    indexMode: 'number' as const,
  });

  // Made at the first question: until then the terminal is left as it is.
  let gate: KeyGate | undefined;

  /** Runs one inquirer prompt: Esc aborts it as BACK (when allowed), Ctrl-C and Ctrl-D as Interrupted. */
  async function ask<T>(run: (context: { input: NodeJS.ReadStream; output: NodeJS.WriteStream; signal: AbortSignal }) => Promise<T>, back: boolean): Promise<T | Back> {
    gate ??= keyGate(input);
    if (closed || gate.stopped) throw new Interrupted();
    const keys = gate.keys;
    const controller = new AbortController();
    const onKey = (_: unknown, key: Key | undefined) => {
      if (key?.name === 'escape' && back) controller.abort(BACK);
      else if (key?.ctrl && key.name === 'd') controller.abort(new Interrupted());
    };
    keys.on('keypress', onKey);
    const forget = gate.onStop(() => controller.abort(new Interrupted()));
    const asked = run({ input: keys, output, signal: controller.signal });
    // Inquirer starts listening one turn of the event loop later (and drops keys sent before):
    // the keys typed ahead go to the question once it is listening.
    const opening = setImmediate(() => gate!.open());
    try {
      return await asked;
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'AbortPromptError') {
        if (controller.signal.reason === BACK) return BACK;
        closed = true;
        throw new Interrupted();
      }
      if (name === 'ExitPromptError' || name === 'CancelPromptError') {
        closed = true;
        throw new Interrupted();
      }
      throw error;
    } finally {
      clearImmediate(opening);
      gate.shut();
      forget();
      keys.off('keypress', onKey);
    }
  }

  const prompts = () => import('@inquirer/prompts');
  const names = <T>(choices: Choice<T>[]) => choices.map((c) => ({ value: c.value, name: shown(c.label), short: shown(c.label), description: c.hint === undefined ? undefined : shown(c.hint) }));
  const pageSize = () => Math.max(5, Math.min(15, (output.rows ?? 24) - 6));

  return {
    get columns() {
      return output.columns || 80;
    },
    say(...lines) {
      output.write(lines.map((line) => shown(line) + '\n').join(''));
    },
    async select(message, choices, options = {}) {
      const { select } = await prompts();
      return ask((context) => select({ message: shown(message), choices: names(choices), default: options.default, pageSize: pageSize(), loop: false, theme: themeFor(options.back === true) }, context), options.back === true);
    },
    async checkbox(message, choices, options = {}) {
      const { checkbox } = await prompts();
      const checked = new Set(options.checked ?? []);
      return ask(
        (context) =>
          checkbox(
            {
              message: shown(message),
              choices: names(choices).map((c) => ({ ...c, checked: checked.has(c.value) })),
              pageSize: pageSize(),
              loop: false,
              validate: (ticked: readonly unknown[]) => (options.atLeastOne && ticked.length === 0 ? options.atLeastOne : true),
              theme: themeFor(options.back === true),
            },
            context,
          ),
        options.back === true,
      );
    },
    async input(message, check, options = {}) {
      const { input: line } = await prompts();
      const typed = await ask(
        (context) =>
          line(
            {
              message: shown(message),
              default: options.initial,
              prefill: options.editable ? 'editable' : 'tab',
              validate: (text: string) => {
                const checked = check(text);
                return 'error' in checked ? checked.error : true;
              },
              theme: themeFor(options.back === true),
            },
            context,
          ),
        options.back === true,
      );
      if (typed === BACK) return BACK;
      const checked = check(typed);
      if ('error' in checked) throw new Error(`a checked answer failed its check: ${checked.error}`);
      return checked.value;
    },
    async search(message, find, options = {}) {
      const { search } = await prompts();
      return ask((context) => search({ message: shown(message), source: (typed?: string) => names(find(typed ?? '')), pageSize: pageSize(), theme: themeFor(options.back === true) }, context), options.back === true);
    },
    close() {
      closed = true;
      gate?.close();
    },
  };
}

/**
 * A prompter that answers from a list (tests): each question takes the next line. A list's answer
 * is its number or its label, ticked boxes are numbers with commas, a search takes the first of
 * what the typed text finds, `<` is BACK. Running out is Interrupted. What was asked goes to `transcript`.
 */
export function scriptedPrompter(lines: string[], transcript: string[] = [], columns = 100): Prompter {
  const queue = [...lines];
  const next = (message: string): string => {
    transcript.push(message);
    const line = queue.shift();
    if (line === undefined) throw new Interrupted();
    return line.trim();
  };
  const pickOne = <T>(typed: string, choices: Choice<T>[]): Choice<T> | undefined =>
    /^\d+$/.test(typed) ? choices[Number(typed) - 1] : choices.find((c) => c.label === typed || String(c.value) === typed);
  return {
    columns,
    say(...lines) {
      transcript.push(...lines);
    },
    async select(message, choices, options = {}) {
      for (;;) {
        const typed = next(message);
        if (typed === '<' && options.back) return BACK;
        if (typed === '' && options.default !== undefined) return options.default;
        const choice = pickOne(typed, choices);
        if (choice) return choice.value;
        transcript.push(`! no choice ${typed}`);
      }
    },
    async checkbox(message, choices, options = {}) {
      for (;;) {
        const typed = next(message);
        if (typed === '<' && options.back) return BACK;
        const picked = typed === '' ? [] : typed.split(/[\s,]+/).map((part) => pickOne(part, choices));
        if (picked.every((c) => c !== undefined) && (picked.length > 0 || !options.atLeastOne)) return picked.map((c) => c!.value);
        transcript.push(`! ${options.atLeastOne ?? 'no such choice'}`);
      }
    },
    async input(message, check, options = {}) {
      for (;;) {
        const typed = next(message);
        if (typed === '<' && options.back) return BACK;
        const checked = check(typed === '' && options.initial !== undefined ? options.initial : typed);
        if ('value' in checked) return checked.value;
        transcript.push(`! ${checked.error}`);
      }
    },
    async search(message, find, options = {}) {
      for (;;) {
        const typed = next(message);
        if (typed === '<' && options.back) return BACK;
        const found = find(typed);
        if (found.length > 0) return found[0].value;
        transcript.push(`! ${t('prompt.noResults')}`);
      }
    },
    close() {},
  };
}
