// An issue's category in one step: every level-1/level-2 pair of the team's categories, found by
// what the agent types: Chinese words (延迟, 退款), an id (late-delivery), English words (refund),
// or pinyin initials (ysd for 延迟送达, wl for 物流) when the screen has a pinyin reader to give them.
import { ISSUE_LEVEL1, type Config, type IssueLevel1 } from '../core/config.js';
import { halfWidth } from './values.js';
import { LANGS, t, type MessageId } from '../messages/index.js';
import { level2Label, level2Of } from './call.js';

export interface CategoryPair {
  level1: IssueLevel1;
  level2: string;
  /** As the list shows it: 物流配送类 › 延迟送达. */
  label: string;
  /** What a search matches against, lower case: ids, labels in both languages, pinyin. */
  keys: string[];
}

/** Pinyin of a Chinese text: its initials (ysd) and its syllables run together (yanchisongda). */
export type Pinyin = (text: string) => { initials: string; full: string };

const key = (text: string) => halfWidth(text).toLowerCase().replace(/\s+/g, '');

function labelsOf(id: MessageId | null, fallback: string): string[] {
  if (id === null) return [fallback];
  return LANGS.map((lang) => {
    const label = t(id, undefined, lang);
    return label === id ? fallback : label;
  });
}

export function categoryPairs(config: Config, pinyin?: Pinyin): CategoryPair[] {
  const pairs: CategoryPair[] = [];
  for (const level1 of ISSUE_LEVEL1) {
    const l1Labels = labelsOf(`issue.l1.${level1}` as MessageId, level1);
    for (const level2 of level2Of(config, level1)) {
      const l2Labels = labelsOf(`issue.l2.${level2}` as MessageId, level2);
      const words = [level1, level2, ...l1Labels, ...l2Labels];
      const keys = words.map(key);
      if (pinyin) {
        for (const word of words.filter((w) => /\p{Script=Han}/u.test(w))) {
          const { initials, full } = pinyin(word);
          keys.push(key(initials), key(full));
        }
        // 物流延迟 → wlys…: the two levels' initials run together too.
        const zh = [l1Labels, l2Labels].map((labels) => labels.find((l) => /\p{Script=Han}/u.test(l)));
        if (zh[0] && zh[1]) keys.push(key(pinyin(zh[0]).initials + pinyin(zh[1]).initials));
      }
      pairs.push({ level1, level2, label: `${t(`issue.l1.${level1}` as MessageId)} › ${level2Label(level2)}`, keys: [...new Set(keys)] });
    }
  }
  return pairs;
}

/**
 * The pairs that match what was typed, best first: every word typed (split on spaces) must be
 * found in one of a pair's keys; a pair whose key starts with the text comes before one that only
 * contains it. Nothing typed: all pairs, in order.
 */
export function findCategories(pairs: CategoryPair[], typed: string): CategoryPair[] {
  const words = halfWidth(typed).toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return pairs;
  const scored = pairs
    .map((pair, index) => {
      let score = 0;
      for (const word of words) {
        if (pair.keys.some((k) => k === word)) score += 3;
        else if (pair.keys.some((k) => k.startsWith(word))) score += 2;
        else if (pair.keys.some((k) => k.includes(word))) score += 1;
        else return null;
      }
      return { pair, index, score };
    })
    .filter((x): x is { pair: CategoryPair; index: number; score: number } => x !== null);
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.map((x) => x.pair);
}
