// Where output goes: data to stdout, messages and progress to stderr (so `--json > file` stays
// clean), colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
import type { ChalkInstance } from 'chalk';
import { visible } from './visible.js';

export interface Output {
  /** Data: the thing the user asked for (JSON, tables, CSV). */
  data(text: string): void;
  /** Messages: summaries, notes, warnings. */
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** Is stderr a terminal (progress bars, colour)? */
  readonly interactive: boolean;
  /** Colour for messages (stderr). */
  readonly colour: ChalkInstance;
  /** Colour for data (stdout): only when it is a terminal, never in a file or a pipe. */
  readonly dataColour: ChalkInstance;
  /** The width tables fit: the terminal's on stdout, else $COLUMNS; none for a file or a pipe. */
  readonly columns: number | undefined;
}

/** The columns data is laid out in: stdout's terminal width, or $COLUMNS when given. */
export function dataColumns(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const given = Number(env.COLUMNS);
  return Number.isInteger(given) && given >= 20 ? given : undefined;
}

/**
 * A value as JSON for standard output: JSON.stringify escapes C0 controls already; DEL, the C1
 * controls (U+009B is a CSI to many terminals) and the bidi marks are escaped too (\u009b), which
 * is the same JSON, so `--json` is safe to print and reads back exactly.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function colourEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/**
 * Text as it is, for output without colour: any chain of chalk's styles (`colour.bold.red(x)`) is
 * the text itself. chalk is loaded only when there is colour to show (a terminal), so that a piped
 * command or a script starts without it.
 */
export const plainColour: ChalkInstance = new Proxy(() => {}, {
  get: (_target, key) => (key === 'level' ? 0 : plainColour),
  apply: (_target, _this, args: unknown[]) => args.join(' '),
}) as unknown as ChalkInstance;

/** The screen's output: chalk (loaded now) when stderr is a terminal and colour is not turned off. */
export async function consoleOutputFor(env: NodeJS.ProcessEnv = process.env): Promise<Output> {
  const messages = colourEnabled(process.stderr, env);
  const data = colourEnabled(process.stdout, env);
  if (!messages && !data) return consoleOutput(plainColour, plainColour, env);
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return consoleOutput(messages ? chalk : plainColour, data ? chalk : plainColour, env);
}

export function consoleOutput(colour: ChalkInstance, dataColour: ChalkInstance = plainColour, env: NodeJS.ProcessEnv = process.env): Output {
  const coloured = colour.level > 0;
  // Messages always, data when it is going to a terminal: control characters from customer text
  // are shown, never obeyed. Data for a file or a pipe is written as it is (tables and text
  // reports have escaped their cells already; CSV and JSON keep the customer's text exact).
  const shown = (text: string) => visible(text, { lines: true, tabs: true, colour: coloured });
  const dataShown = (text: string) => visible(text, { lines: true, tabs: true, colour: dataColour.level > 0 });
  const data = (text: string) => (process.stdout.isTTY ? dataShown(text) : text);
  return {
    data: (text) => process.stdout.write(data(text.endsWith('\n') ? text : text + '\n')),
    info: (text) => process.stderr.write(shown(text) + '\n'),
    warn: (text) => process.stderr.write(colour.yellow(shown(text)) + '\n'),
    error: (text) => process.stderr.write(colour.red(shown(text)) + '\n'),
    interactive: Boolean(process.stderr.isTTY),
    colour,
    dataColour,
    columns: dataColumns(env),
  };
}
