// Text meeting a terminal: control characters made visible.
//
// A customer name, an agent, a header or a file name comes from someone else's file. Printed as it
// is, `\x1b]0;pwned\x07` retitles the window, `\x1b[2J` clears the screen, a CR overwrites the line
// and U+202E turns the rest of it round. So every such character is written as an escape people
// can read (`\x1b`, `\r`, `\u202e`) by this one function, wherever text reaches a terminal: the
// Output (messages, tables, data on a terminal), the call screen, message parameters and cells.

/** C0 controls, DEL, C1 controls, and the invisible marks that reorder or hide text (bidi marks, line and paragraph separators). */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_TEST = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The colour sequences followup writes itself (SGR), kept when colour is on. */
const SGR = /\x1b\[[0-9;]*m/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface VisibleOptions {
  /** Keep line breaks (a block of lines); otherwise the text is one line and `\n` is shown as such. */
  lines?: boolean;
  /** Keep tabs as they are. */
  tabs?: boolean;
  /** Keep SGR colour sequences (followup's own colour, when colour is on). */
  colour?: boolean;
}

/** `text` with every control character shown as an escape; by default on one line. */
export function visible(text: string, options: VisibleOptions = {}): string {
  if (!CONTROL_TEST.test(text)) return text;
  if (options.colour) {
    let out = '';
    let last = 0;
    for (const match of text.matchAll(SGR)) {
      out += visible(text.slice(last, match.index), { ...options, colour: false }) + match[0];
      last = match.index + match[0].length;
    }
    return out + visible(text.slice(last), { ...options, colour: false });
  }
  return text.replace(CONTROL, (ch) => ((options.lines && ch === '\n') || (options.tabs && ch === '\t') ? ch : escapeOne(ch)));
}

/** Does `text` hold a character that a terminal would act on rather than show? */
export function hasControl(text: string): boolean {
  return CONTROL_TEST.test(text);
}
