// The import's progress line, drawn by cli-progress in its own thread (see progress.ts): it writes
// to the terminal directly (fd 2, synchronously), so it keeps moving while the main thread is busy
// in one long SQLite call.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import type { ProgressMessage, ProgressSetup } from './progress.js';
import { displayWidth, padStart, truncateToWidth } from './width.js';
import { groupDigits } from '../messages/index.js';

const setup = workerData as ProgressSetup;
const width = Math.max(30, setup.columns - 1);
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** stderr as cli-progress needs it, written without the main thread's help. */
const terminal = {
  isTTY: true,
  columns: width,
  write(text: string, callback?: () => void) {
    try {
      fs.writeSync(2, text);
    } catch {
      // The terminal went away: nothing to draw on.
    }
    callback?.();
    return true;
  },
  on() {
    return terminal;
  },
  once() {
    return terminal;
  },
  removeListener() {
    return terminal;
  },
};

let rows = 0;
let saving: { rows: number; since: number } | undefined;
const started = Date.now();
let frame = 0;

/** 75 → "1:15", 3725 → "1:02:05". */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The line: name, bar, share, rows, rows a second, time left; the parts that do not fit are left out, the bar first. */
function line(progress: number, total: number): string {
  const name = setup.name;
  if (saving) {
    const text = `${SPINNER[frame++ % SPINNER.length]} ${setup.texts.saving.replace('{rows}', groupDigits(saving.rows))} ${clock((Date.now() - saving.since) / 1000)}`;
    return truncateToWidth(`${name}  ${text}`, width);
  }
  const seconds = (Date.now() - started) / 1000;
  const rate = seconds > 0.5 ? rows / seconds : 0;
  const known = total > 0 && progress > 0;
  const left = known ? (seconds / progress) * (1 - progress) : undefined;
  const share = known ? `${padStart(String(Math.floor(progress * 100)), 3)}%` : '';
  const facts = [
    `${groupDigits(rows)} ${setup.texts.rows}`,
    rate > 0 ? `${groupDigits(Math.round(rate))} ${setup.texts.perSecond}` : '',
    left !== undefined && seconds > 1 ? setup.texts.left.replace('{time}', clock(left)) : '',
  ].filter(Boolean);
  const tail = [share, ...facts].filter(Boolean).join('  ');
  const room = width - displayWidth(name) - displayWidth(tail) - 4;
  if (known && room >= 10) {
    const size = Math.min(30, room);
    const filled = Math.round(progress * size);
    return `${name}  ${'█'.repeat(filled)}${'░'.repeat(size - filled)}  ${tail}`;
  }
  return truncateToWidth(`${truncateToWidth(name, Math.max(10, width - displayWidth(tail) - 2))}  ${tail}`, width);
}

const bar = new cliProgress.SingleBar({
  stream: terminal as unknown as NodeJS.WritableStream,
  format: (_options, params) => line(params.progress, params.total),
  fps: 10,
  hideCursor: true,
  clearOnComplete: true,
  linewrap: false,
  etaBuffer: 50,
});
let begun = false;

parentPort?.on('message', (message: ProgressMessage) => {
  if (message.type === 'reading') {
    rows = message.rows;
    const total = message.total ?? 0;
    if (!begun) {
      bar.start(total > 0 ? total : 1, 0);
      begun = true;
    }
    if (total > 0) bar.update(Math.min(message.bytes, total));
    else bar.update(0);
  } else if (message.type === 'saving') {
    saving = { rows: message.rows, since: Date.now() };
    if (!begun) {
      bar.start(1, 1);
      begun = true;
    }
  } else {
    if (begun) bar.stop();
    terminal.write('\r\x1b[K\x1b[?25h');
    const cleared = new Int32Array(setup.cleared);
    Atomics.store(cleared, 0, 1);
    Atomics.notify(cleared, 0);
  }
});
