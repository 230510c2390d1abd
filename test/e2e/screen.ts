// Driving the call screen (inquirer's prompts) in a pseudo-terminal, as an agent does: the keys of
// each kind of question, and waiting for what the screen shows.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { query, ROOT, type Terminal } from './helpers.js';

export interface ScriptQuestion {
  id: string;
  type: string;
  text: string;
  required?: boolean;
  when?: string;
  choices?: { id: string; text: string }[];
}
export interface ScriptFile {
  opening: string;
  closing: string;
  questions: ScriptQuestion[];
}

export const KEY = { enter: '\r', esc: '\x1b', up: '\x1b[A', down: '\x1b[B', space: ' ', backspace: '\x7f', killLine: '\x15', ctrlC: '\x03' };

export function scriptOf(scenario: string, lang = 'en'): ScriptFile {
  return parse(fs.readFileSync(path.join(ROOT, `scripts/${lang}`, `${scenario}.yaml`), 'utf8')) as ScriptFile;
}

/** The keys an agent presses for a question, and the value the database must then hold. */
export function answerFor(q: ScriptQuestion): { keys: string; stored: unknown } {
  switch (q.type) {
    case 'rating':
      return { keys: '4\r', stored: 4 }; // the number key moves to "4. satisfied"
    case 'nps':
      return { keys: '9\r', stored: 9 };
    case 'yes-no':
      return { keys: '1\r', stored: true }; // "1. Yes"
    case 'single':
      return { keys: '1\r', stored: q.choices![0].id };
    case 'multiple':
      return { keys: ' \r', stored: [q.choices![0].id] }; // space ticks the first box
    case 'date':
      return { keys: '2026-11-20\r', stored: '2026-11-20' };
    default:
      return { keys: `words for ${q.id}\r`, stored: `words for ${q.id}` };
  }
}

/** A question of the script on screen: "? (n/N) text". */
export const QUESTION = /\? \((\d+)\/(\d+)\) ([^\n]*)/;
export const ISSUE_ASK = '? Did the customer raise a problem to record?';
/** The outcome question, its list shown to the end. */
export const OUTCOME_LIST = /\? Dial the number\. How did it go\?\n(?:[❯ ] \d\. [^\n]*\n)+\n?↑↓ move • ⏎ choose/;

/**
 * Answers the questions as they come until the issue question; `stopAfter` answers at most that
 * many. Returns the questions asked (id → stored value) and the positions in the order shown.
 */
export async function answerQuestions(term: Terminal, script: ScriptFile, stopAfter = Infinity, issueAsk = ISSUE_ASK) {
  const asked = new Map<string, unknown>();
  const positions: number[] = [];
  for (;;) {
    const found = await term.waitFor(new RegExp(`${QUESTION.source}|${escape(issueAsk)}`));
    if (found[0] === issueAsk) return { asked, positions, pending: undefined };
    const position = Number(found[1]);
    expect(Number(found[2])).toBe(script.questions.length);
    const question = script.questions[position - 1];
    // The screen shows the script's own question (variables filled in).
    expect(found[3].startsWith(question.text.split('{')[0].trim().slice(0, 20))).toBe(true);
    if (asked.size >= stopAfter) return { asked, positions, pending: question };
    positions.push(position);
    const { keys, stored } = answerFor(question);
    asked.set(question.id, stored);
    term.write(keys);
    // Past the question's own re-drawing as keys are pressed: to its answered line.
    await term.waitFor(`✔ (${position}/`);
  }
}

export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spaced form the card prints for a +86 mobile number. */
export function spacedMobile(e164: string): string {
  const n = e164.replace(/^\+86/, '');
  return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
}

export function answersOf(db: string, callId: number): Map<string, unknown> {
  const rows = query<{ question_id: string; value: string | null }>(db, 'SELECT question_id, value FROM call_answers WHERE call_id = ? ORDER BY position', callId);
  return new Map(rows.map((r) => [r.question_id, r.value === null ? null : JSON.parse(r.value)]));
}

/** Counts the keys of a keystroke string as a person presses them (an escape sequence is one key). */
export function keystrokes(keys: string): number {
  return [...keys.replace(/\x1b\[[A-D]/g, '↑')].length;
}
