// Every question the program asks goes through this one small wrapper, so that the call screen can
// be driven by tests with scripted answers and by people through a terminal alike.
//
// Questions are line-based (type, then Enter): agents type digits and short words all day, and a
// line is what a pseudo-terminal test can send reliably. Ctrl-C and Ctrl-D (or a closed terminal)
// end the session with Interrupted; whatever was saved before stays saved.
import readline from 'node:readline';
import { visible } from './visible.js';

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

export interface Prompter {
  /** Shows `question` and resolves with the line typed (trimmed). Rejects with Interrupted. */
  ask(question: string): Promise<string>;
  /** Writes lines of the screen. */
  say(...lines: string[]): void;
  close(): void;
}

export function terminalPrompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stdout): Prompter {
  const rl = readline.createInterface({ input, output, terminal: true, historySize: 0 });
  let pending: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  // Lines typed ahead, before the question they answer was asked (fast typing, or keys pressed
  // while a write waited for the database): kept in order for the next questions, as a shell would.
  // Not an empty one: an Enter pressed while waiting must not decline a question nobody has read.
  const typedAhead: string[] = [];
  // The screen shows customer text: its control characters are shown, never obeyed.
  const shown = (text: string) => visible(text, { lines: true, tabs: true, colour: true });
  let ended = false;
  const end = () => {
    ended = true;
    typedAhead.length = 0; // Ctrl-C means stop now, not after the answers typed ahead
    const waiting = pending;
    pending = null;
    waiting?.reject(new Interrupted());
  };
  rl.on('SIGINT', () => {
    rl.close();
  });
  rl.on('close', end);
  rl.on('line', (line) => {
    const waiting = pending;
    pending = null;
    if (waiting) waiting.resolve(line.trim());
    else if (line.trim() !== '') typedAhead.push(line.trim());
  });
  return {
    ask(question) {
      const ahead = typedAhead.shift();
      if (ahead !== undefined) {
        // Shown with its answer, so the screen reads as if it had been typed there.
        output.write(`${shown(question)}${visible(ahead)}\n`);
        return Promise.resolve(ahead);
      }
      if (ended) return Promise.reject(new Interrupted());
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        rl.setPrompt(shown(question));
        rl.prompt();
      });
    },
    say(...lines) {
      output.write(lines.map((line) => shown(line) + '\n').join(''));
    },
    close() {
      rl.close();
    },
  };
}

/** A prompter that answers from a list (tests): each ask() takes the next line; running out is Interrupted. */
export function scriptedPrompter(lines: string[], transcript: string[] = []): Prompter {
  const queue = [...lines];
  return {
    ask(question) {
      transcript.push(question);
      const next = queue.shift();
      return next === undefined ? Promise.reject(new Interrupted()) : Promise.resolve(next.trim());
    },
    say(...lines) {
      transcript.push(...lines);
    },
    close() {},
  };
}
