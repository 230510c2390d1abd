// The keys of the terminal, passed to one question at a time.
//
// Inquirer's prompts each read the terminal while they are on screen; a key pressed between two of
// them (typing ahead, or while an answer is being saved) would be lost. The gate keeps the terminal
// in raw mode for the whole session and holds what is typed: a question on screen gets the keys up
// to and including an Enter, the rest wait for the next question. Enters typed ahead at the start of
// a question are dropped: an Enter pressed while waiting must not decline a question nobody has read.
// Ctrl-C and Ctrl-D are never held: they stop the session at once, and the keys typed ahead with them.
import { PassThrough } from 'node:stream';

export interface KeyGate {
  /** What the prompts read: a stream that behaves as a terminal in raw mode. */
  readonly keys: NodeJS.ReadStream;
  /** A question is on screen: keys typed ahead go to it. */
  open(): void;
  /** The question has its answer: keys wait for the next one. */
  shut(): void;
  /** Was Ctrl-C or Ctrl-D pressed, or the terminal closed? */
  readonly stopped: boolean;
  /** Runs `listener` when the session is stopped (Ctrl-C, Ctrl-D, the terminal closed); returns its removal. */
  onStop(listener: () => void): () => void;
  close(): void;
}

/** Milliseconds after an Enter before the keys flow again to a question that did not take it (an answer it refused). */
const REFUSED_ENTER_MS = 80;

export function keyGate(terminal: NodeJS.ReadStream): KeyGate {
  const keys = new PassThrough() as unknown as NodeJS.ReadStream;
  // readline asks for raw mode on each prompt and drops it after: the gate holds it for the session.
  Object.assign(keys, { isTTY: true, isRaw: true, setRawMode: () => keys });
  let held = '';
  let state: 'waiting' | 'open' | 'held' = 'waiting';
  let turn = 0;
  let stopped = false;
  const stopListeners = new Set<() => void>();

  const stop = () => {
    stopped = true;
    held = '';
    for (const listener of [...stopListeners]) listener();
  };
  const pass = () => {
    if (state !== 'open' || held === '') return;
    const enter = held.search(/[\r\n]/);
    if (enter < 0) {
      keys.write(held);
      held = '';
      return;
    }
    keys.write(held.slice(0, enter + 1));
    held = held.slice(enter + 1);
    state = 'held';
    // An answer the question refused leaves it on screen: the keys after the Enter are for it.
    const mine = turn;
    setTimeout(() => {
      if (turn === mine && state === 'held') {
        state = 'open';
        pass();
      }
    }, REFUSED_ENTER_MS).unref();
  };
  const onData = (chunk: string) => {
    const stopKey = /[\x03\x04]/.exec(chunk);
    if (stopKey) {
      // Ctrl-C goes to the question on screen (inquirer stops on it); either key stops the session.
      if (state !== 'waiting') keys.write(stopKey[0]);
      stop();
      return;
    }
    held += chunk;
    pass();
  };
  const onEnd = () => stop();

  if (terminal.isTTY) terminal.setRawMode(true);
  terminal.setEncoding('utf8');
  terminal.on('data', onData);
  terminal.once('end', onEnd);
  terminal.resume();

  return {
    keys,
    get stopped() {
      return stopped;
    },
    open() {
      turn++;
      held = held.replace(/^[\r\n]+/, '');
      state = 'open';
      pass();
    },
    shut() {
      turn++;
      state = 'waiting';
    },
    onStop(listener) {
      stopListeners.add(listener);
      return () => stopListeners.delete(listener);
    },
    close() {
      terminal.off('data', onData);
      terminal.off('end', onEnd);
      if (terminal.isTTY) terminal.setRawMode(false);
      terminal.pause();
      keys.end();
    },
  };
}
