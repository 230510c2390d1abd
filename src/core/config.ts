// followup.config.yaml: the team's settings. Read from --config FILE, else ./followup.config.yaml
// when present; with no file the built-in defaults apply.
//
// Every figure in the domain rules is a default a team can change. A file holds only what the team
// changes and is merged over the defaults (lists, such as `agents`, replace the default as a whole).
// One schema below drives both the validation and the file `followup init` writes, so the two
// cannot drift apart. A bad setting is one UserError naming the file, the line, the key and what is
// expected, because a typo silently ignored is a rule silently not applied.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { readBounded, shownPath } from './files.js';
import { cachedSettings, keepSettings } from './config-cache.js';
import { UserError } from './errors.js';
import { currentLang, parseLang, t, type Lang, type MessageId, type Params } from '../messages/index.js';
import { detectEncoding, iconvLite } from '../import/decode.js';
import { inSupportedYears, SUPPORTED_YEARS } from '../domain/calendar.js';

export const CONFIG_FILE = 'followup.config.yaml';

// The YAML parser is loaded when there is a config file to read: a command run without one starts without it.
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
const isAlias = ((node) => yaml().isAlias(node)) as typeof Yaml.isAlias;
const isMap = ((node) => yaml().isMap(node)) as typeof Yaml.isMap;
const isScalar = ((node) => yaml().isScalar(node)) as typeof Yaml.isScalar;
const isSeq = ((node) => yaml().isSeq(node)) as typeof Yaml.isSeq;

// --- the settings, typed

/** The scenarios the planner schedules by itself; each has a section under `scenarios`. */
export const PLANNED_SCENARIO_IDS = [
  'after-sale',
  'complaint-open',
  'complaint-resolved',
  'usage-check',
  'churn-warning',
  'first-experience',
  'vip-care',
  'survey',
] as const;
export type PlannedScenarioId = (typeof PLANNED_SCENARIO_IDS)[number];

/** Every scenario a follow-up can have: the planned ones plus those that come from earlier calls. */
export const SCENARIO_IDS = [...PLANNED_SCENARIO_IDS, 'callback', 'retry', 'confirmation'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface DayWindow {
  enabled: boolean;
  /** Earliest day to call, counted from the triggering event (0 = the same day). */
  fromDays: number;
  /** Latest day to call; fromDays <= toDays. */
  toDays: number;
}

export interface ScenarioSettings {
  'after-sale': DayWindow;
  'complaint-open': { enabled: boolean; dueHours: number; repeatAfterDays: number; staleAfterDays: number };
  'complaint-resolved': { enabled: boolean; withinWorkingDays: number };
  'usage-check': DayWindow & { minOrderYuan: number };
  'churn-warning': { enabled: boolean; highValueDueHours: number; dueDays: number };
  'first-experience': DayWindow;
  'vip-care': { enabled: boolean; everyDays: number };
  survey: { enabled: boolean; everyDays: number };
  /** The confirmation call after an issue raised on a call is resolved (闭环回访). */
  confirmation: { enabled: boolean; withinWorkingDays: number };
}

/** Level-1 issue categories (问题一级分类): no overlaps, fixed ids. */
export const ISSUE_LEVEL1 = ['product-function', 'product-quality', 'service-experience', 'logistics', 'after-sales', 'price-fees', 'other'] as const;
export type IssueLevel1 = (typeof ISSUE_LEVEL1)[number];
export const PRIORITIES = ['P0', 'P1', 'P2'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The level-2 categories bundled for each level-1 one (ids with labels in the catalog: issue.l2.<id>). */
export const DEFAULT_LEVEL2: Record<IssueLevel1, string[]> = {
  'product-function': ['not-implemented', 'malfunction', 'too-complex'],
  'product-quality': ['defect', 'durability', 'workmanship', 'safety'],
  'service-experience': ['attitude', 'slow-service', 'unprofessional', 'communication'],
  logistics: ['late-delivery', 'damaged', 'wrong-item', 'courier'],
  'after-sales': ['slow-response', 'repair', 'return-refund', 'installation'],
  'price-fees': ['too-expensive', 'billing-error', 'hidden-fees', 'promotion'],
  other: ['other'],
};

export interface IssueSettings {
  /** Level-2 categories per level-1 id: bundled ids, or a team's own names as written. */
  categories: Record<IssueLevel1, string[]>;
  /** The department an issue of each level-1 category goes to unless the agent names another. */
  departments: Record<IssueLevel1, string>;
  /** The deadline promised to the customer, in working days, by priority. */
  dueWorkingDays: Record<Priority, number>;
}

export interface Agent {
  name: string;
  /** Calls a day, 1 or more. */
  capacity: number;
}

export interface Config {
  /** The file it was read from, or null for the built-in defaults. */
  file: string | null;
  lang?: Lang;
  /** Absolute; a relative path in the file is relative to the file's folder. */
  db?: string;
  /** The company name agents say in the call opening. */
  company: string;
  segments: {
    newWithinDays: number;
    vip: {
      /** Tier values that make a customer VIP, as written (compare case-insensitively: see isVipTier). */
      tiers: string[];
      spend12mYuan: number;
      orders12m: number;
    };
    churn: {
      inactiveDays: number;
      /** 0–1: orders in the last window <= this share of the window before. */
      frequencyDrop: number;
      windowDays: number;
    };
    complaintRecentDays: number;
    /** Bought before, nothing for this many days: lost (流失), no longer churn risk. */
    lostAfterDays: number;
  };
  scenarios: ScenarioSettings;
  contact: {
    minDaysBetween: number;
    exempt: ScenarioId[];
    maxAttempts: number;
    retryAfterWorkingDays: number;
    claimTimeoutMinutes: number;
  };
  /** Never empty; names are unique. */
  agents: Agent[];
  /** One of the agents' names, or null. */
  defaultAgent: string | null;
  /** "HH:MM", start < end. */
  workingHours: { start: string; end: string };
  /** YYYY-MM-DD dates, sorted. */
  calendar: { holidays: string[]; workdays: string[] };
  /** Absolute (relative to the config file's folder in the file), or null for the bundled scripts. */
  scriptsDir: string | null;
  issues: IssueSettings;
}

/**
 * The company name a script says in `lang`: the team's own name as written, but the built-in
 * placeholder ("our company" / "本公司") in the script's language, so a Chinese script never says
 * "我是our company的回访专员".
 */
export function companyName(config: Pick<Config, 'company'>, lang: Lang): string {
  const placeholders = (['en', 'zh-CN'] as Lang[]).map((l) => t('config.defaultCompany', undefined, l));
  return placeholders.includes(config.company.trim()) ? t('config.defaultCompany', undefined, lang) : config.company;
}

/** The built-in settings; only the company name depends on the language. */
export function defaultConfig(lang: Lang = currentLang()): Config {
  return {
    file: null,
    company: t('config.defaultCompany', undefined, lang),
    segments: {
      newWithinDays: 30,
      vip: { tiers: ['金卡会员', '钻石会员', 'VIP', '金卡', '钻石', 'gold', 'diamond', 'vip'], spend12mYuan: 10000, orders12m: 4 },
      churn: { inactiveDays: 90, frequencyDrop: 0.5, windowDays: 90 },
      complaintRecentDays: 30,
      lostAfterDays: 365,
    },
    scenarios: {
      'after-sale': { enabled: true, fromDays: 7, toDays: 15 },
      'complaint-open': { enabled: true, dueHours: 24, repeatAfterDays: 7, staleAfterDays: 90 },
      'complaint-resolved': { enabled: true, withinWorkingDays: 3 },
      'usage-check': { enabled: true, fromDays: 30, toDays: 40, minOrderYuan: 2000 },
      'churn-warning': { enabled: true, highValueDueHours: 24, dueDays: 7 },
      'first-experience': { enabled: true, fromDays: 3, toDays: 10 },
      'vip-care': { enabled: true, everyDays: 30 },
      survey: { enabled: false, everyDays: 90 },
      confirmation: { enabled: true, withinWorkingDays: 3 },
    },
    contact: {
      minDaysBetween: 30,
      exempt: ['complaint-open', 'complaint-resolved', 'callback', 'confirmation'],
      maxAttempts: 3,
      retryAfterWorkingDays: 1,
      claimTimeoutMinutes: 30,
    },
    agents: [
      { name: '小王', capacity: 40 },
      { name: '小李', capacity: 40 },
    ],
    defaultAgent: null,
    workingHours: { start: '09:00', end: '18:00' },
    calendar: { holidays: [], workdays: [] },
    scriptsDir: null,
    issues: {
      categories: Object.fromEntries(ISSUE_LEVEL1.map((id) => [id, [...DEFAULT_LEVEL2[id]]])) as Record<IssueLevel1, string[]>,
      departments: Object.fromEntries(ISSUE_LEVEL1.map((id) => [id, t(`config.department.${id}`, undefined, lang)])) as Record<IssueLevel1, string>,
      dueWorkingDays: { P0: 1, P1: 3, P2: 10 },
    },
  };
}

/** Does this tier value (from the customers export) make a customer VIP? Case and spaces do not matter. */
export function isVipTier(config: Config, tier: string | null | undefined): boolean {
  if (!tier) return false;
  const wanted = tier.trim().toLowerCase();
  return config.segments.vip.tiers.some((value) => value.trim().toLowerCase() === wanted);
}

// --- the schema: what each key holds and the comment `followup init` writes next to it

type Unit = 'days' | 'hours' | 'workingDays' | 'minutes' | 'orders' | 'attempts' | 'calls';

type Spec =
  | { kind: 'int'; unit: Unit; min: number }
  | { kind: 'yuan' }
  | { kind: 'share' }
  | { kind: 'bool' }
  | { kind: 'text' }
  | { kind: 'textOrNull' }
  | { kind: 'pathOrNull' }
  | { kind: 'lang' }
  | { kind: 'time' }
  | { kind: 'date' }
  | { kind: 'scenario' }
  | { kind: 'list'; item: Spec; check?: ListCheck; layout?: 'flow' | 'block' }
  | { kind: 'map'; fields: Record<string, Field>; check?: MapCheck; itemDefaults?: Record<string, unknown> };

interface Field {
  spec: Spec;
  comment: MessageId;
  /** Not in the defaults: `followup init` writes it commented out, with this example. */
  optional?: (lang: Lang) => unknown;
}

/** Where a value came from, for cross-field checks: its node (if written in the file) and key path. */
interface Seen {
  node: Node;
  key: string;
}
type MapCheck = (value: Record<string, unknown>, seen: Record<string, Seen>, mapNode: Node | null, key: string) => void;
type ListCheck = (items: unknown[], seen: Seen[], listNode: Node | null, key: string) => void;

const days = (min = 0): Spec => ({ kind: 'int', unit: 'days', min });
const hours = (min = 1): Spec => ({ kind: 'int', unit: 'hours', min });
const bool: Spec = { kind: 'bool' };
const f = (spec: Spec, comment: MessageId): Field => ({ spec, comment });

const ENABLED = f(bool, 'init.c.enabled');

/** A scenario section with fromDays..toDays, checked to be a window that can happen. */
function windowScenario(fields: Record<string, Field>): Spec {
  return { kind: 'map', fields: { enabled: ENABLED, ...fields }, check: checkWindow };
}

function checkWindow(value: Record<string, unknown>, seen: Record<string, Seen>, mapNode: Node | null, key: string): void {
  const from = value.fromDays as number;
  const to = value.toDays as number;
  if (from > to) {
    const at = seen.fromDays?.node ?? seen.toDays?.node ?? mapNode;
    throw new Problem(at, t('config.window', { key, from, to }));
  }
}

const SCHEMA: Spec = {
  kind: 'map',
  fields: {
    lang: { spec: { kind: 'lang' }, comment: 'init.c.lang', optional: (lang) => lang },
    db: { spec: { kind: 'pathOrNull' }, comment: 'init.c.db', optional: () => 'followup.db' },
    company: f({ kind: 'text' }, 'init.c.company'),
    segments: f(
      {
        kind: 'map',
        fields: {
          newWithinDays: f(days(1), 'init.c.newWithinDays'),
          vip: f(
            {
              kind: 'map',
              fields: {
                tiers: f({ kind: 'list', item: { kind: 'text' }, layout: 'flow' }, 'init.c.vipTiers'),
                spend12mYuan: f({ kind: 'yuan' }, 'init.c.vipSpend'),
                orders12m: f({ kind: 'int', unit: 'orders', min: 0 }, 'init.c.vipOrders'),
              },
            },
            'init.c.vip',
          ),
          churn: f(
            {
              kind: 'map',
              fields: {
                inactiveDays: f(days(1), 'init.c.churnInactive'),
                frequencyDrop: f({ kind: 'share' }, 'init.c.churnDrop'),
                windowDays: f(days(1), 'init.c.churnWindow'),
              },
            },
            'init.c.churn',
          ),
          complaintRecentDays: f(days(0), 'init.c.complaintRecent'),
          lostAfterDays: f(days(1), 'init.c.lostAfter'),
        },
      },
      'init.c.segments',
    ),
    scenarios: f(
      {
        kind: 'map',
        fields: {
          'after-sale': f(
            windowScenario({ fromDays: f(days(), 'init.c.afterSaleFrom'), toDays: f(days(), 'init.c.afterSaleTo') }),
            'init.c.afterSale',
          ),
          'complaint-open': f(
            {
              kind: 'map',
              fields: {
                enabled: ENABLED,
                dueHours: f(hours(), 'init.c.complaintOpenDue'),
                repeatAfterDays: f(days(1), 'init.c.complaintOpenRepeat'),
                staleAfterDays: f(days(1), 'init.c.complaintOpenStale'),
              },
            },
            'init.c.complaintOpen',
          ),
          'complaint-resolved': f(
            {
              kind: 'map',
              fields: { enabled: ENABLED, withinWorkingDays: f({ kind: 'int', unit: 'workingDays', min: 0 }, 'init.c.complaintResolvedWithin') },
            },
            'init.c.complaintResolved',
          ),
          'usage-check': f(
            windowScenario({
              fromDays: f(days(), 'init.c.usageFrom'),
              toDays: f(days(), 'init.c.usageTo'),
              minOrderYuan: f({ kind: 'yuan' }, 'init.c.usageMinOrder'),
            }),
            'init.c.usage',
          ),
          'churn-warning': f(
            {
              kind: 'map',
              fields: { enabled: ENABLED, highValueDueHours: f(hours(), 'init.c.churnHighValueDue'), dueDays: f(days(), 'init.c.churnDue') },
            },
            'init.c.churnWarning',
          ),
          'first-experience': f(
            windowScenario({ fromDays: f(days(), 'init.c.firstFrom'), toDays: f(days(), 'init.c.firstTo') }),
            'init.c.first',
          ),
          'vip-care': f({ kind: 'map', fields: { enabled: ENABLED, everyDays: f(days(1), 'init.c.vipCareEvery') } }, 'init.c.vipCare'),
          survey: f({ kind: 'map', fields: { enabled: ENABLED, everyDays: f(days(1), 'init.c.surveyEvery') } }, 'init.c.survey'),
          confirmation: f(
            {
              kind: 'map',
              fields: { enabled: ENABLED, withinWorkingDays: f({ kind: 'int', unit: 'workingDays', min: 0 }, 'init.c.confirmationWithin') },
            },
            'init.c.confirmation',
          ),
        },
      },
      'init.c.scenarios',
    ),
    contact: f(
      {
        kind: 'map',
        fields: {
          minDaysBetween: f(days(0), 'init.c.minDaysBetween'),
          exempt: f({ kind: 'list', item: { kind: 'scenario' }, layout: 'flow' }, 'init.c.exempt'),
          maxAttempts: f({ kind: 'int', unit: 'attempts', min: 1 }, 'init.c.maxAttempts'),
          retryAfterWorkingDays: f({ kind: 'int', unit: 'workingDays', min: 0 }, 'init.c.retryAfter'),
          claimTimeoutMinutes: f({ kind: 'int', unit: 'minutes', min: 1 }, 'init.c.claimTimeout'),
        },
      },
      'init.c.contact',
    ),
    agents: f(
      {
        kind: 'list',
        layout: 'block',
        item: {
          kind: 'map',
          fields: { name: f({ kind: 'text' }, 'init.c.agents'), capacity: f({ kind: 'int', unit: 'calls', min: 1 }, 'init.c.agents') },
          itemDefaults: { capacity: 40 },
          check: (value, _seen, mapNode, key) => {
            if (value.name === undefined) throw new Problem(mapNode, t('config.agentName', { key }));
          },
        },
        check: checkAgents,
      },
      'init.c.agents',
    ),
    defaultAgent: f({ kind: 'textOrNull' }, 'init.c.defaultAgent'),
    workingHours: f(
      {
        kind: 'map',
        fields: { start: f({ kind: 'time' }, 'init.c.hoursStart'), end: f({ kind: 'time' }, 'init.c.hoursEnd') },
        check: (value, seen, mapNode) => {
          if ((value.start as string) >= (value.end as string)) {
            throw new Problem(seen.start?.node ?? seen.end?.node ?? mapNode, t('config.hoursOrder', { start: value.start as string, end: value.end as string }));
          }
        },
      },
      'init.c.workingHours',
    ),
    calendar: f(
      {
        kind: 'map',
        fields: {
          holidays: f({ kind: 'list', item: { kind: 'date' }, layout: 'flow' }, 'init.c.holidays'),
          workdays: f({ kind: 'list', item: { kind: 'date' }, layout: 'flow' }, 'init.c.workdays'),
        },
        check: checkCalendar,
      },
      'init.c.calendar',
    ),
    scriptsDir: f({ kind: 'pathOrNull' }, 'init.c.scriptsDir'),
    issues: f(
      {
        kind: 'map',
        fields: {
          categories: f(
            {
              kind: 'map',
              fields: Object.fromEntries(
                ISSUE_LEVEL1.map((id) => [id, f({ kind: 'list', item: { kind: 'text' }, layout: 'flow', check: checkLevel2 }, 'init.c.level2')]),
              ),
            },
            'init.c.categories',
          ),
          departments: f(
            { kind: 'map', fields: Object.fromEntries(ISSUE_LEVEL1.map((id) => [id, f({ kind: 'text' }, 'init.c.department')])) },
            'init.c.departments',
          ),
          dueWorkingDays: f(
            {
              kind: 'map',
              fields: Object.fromEntries(PRIORITIES.map((p) => [p, f({ kind: 'int', unit: 'workingDays', min: 0 }, `init.c.due${p}`)])),
            },
            'init.c.dueWorkingDays',
          ),
        },
      },
      'init.c.issues',
    ),
  },
  check: (value, seen) => {
    const name = value.defaultAgent as string | null;
    const agents = value.agents as Agent[];
    if (name !== null && !agents.some((agent) => agent.name === name)) {
      throw new Problem(seen.defaultAgent.node, t('config.defaultAgentUnknown', { name, names: agents.map((a) => a.name).join(', ') }));
    }
  },
};

function checkLevel2(items: unknown[], seen: Seen[], listNode: Node | null, key: string): void {
  if (items.length === 0) throw new Problem(listNode, t('config.level2Empty', { key }));
  const names = (items as string[]).map((item) => item.trim());
  const twice = names.findIndex((name, index) => names.indexOf(name) !== index);
  if (twice >= 0) throw new Problem(seen[twice]?.node ?? listNode, t('config.level2Duplicate', { key, name: names[twice] }));
}

function checkAgents(items: unknown[], seen: Seen[], listNode: Node | null, key: string): void {
  if (items.length === 0) throw new Problem(listNode, t('config.agentsEmpty', { key }));
  const first = new Map<string, number>();
  (items as Agent[]).forEach((agent, index) => {
    const at = first.get(agent.name);
    if (at !== undefined) {
      const node = seen[index]?.node ?? listNode;
      const nameNode = isMap(node) ? (node.get('name', true) as Node | undefined) : undefined;
      throw new Problem(nameNode ?? node, t('config.agentDuplicate', { name: agent.name, key: `${key}[${index + 1}]`, first: `${key}[${at + 1}]` }));
    }
    first.set(agent.name, index);
  });
}

function checkCalendar(value: Record<string, unknown>, seen: Record<string, Seen>): void {
  const holidays = new Set(value.holidays as string[]);
  const workdays = value.workdays as string[];
  const both = workdays.find((day) => holidays.has(day));
  if (both !== undefined) {
    const listNode = seen.workdays?.node ?? seen.holidays?.node ?? null;
    const itemNode = isSeq(listNode) ? (listNode.items.find((item) => isScalar(item) && item.value === both) as Node | undefined) : undefined;
    throw new Problem(itemNode ?? listNode, t('config.dateBoth', { date: both }));
  }
  (value.holidays as string[]).sort();
  workdays.sort();
}

// --- reading

/** A problem with a node of the file; loadConfig turns it into a UserError with the file and line. */
class Problem extends Error {
  constructor(
    readonly node: Node | null | undefined,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface ReadContext {
  doc: Document;
  /** The config file's folder, for relative paths. */
  dir: string;
}

/** Configs read by this process, by file: the language is looked up before the command runs, and the command reads the file again. */
const loaded = new Map<string, { key: string; config?: Config; error?: unknown }>();

export function loadConfig(flag: string | undefined, cwd: string): Config {
  const file = path.resolve(cwd, flag ?? CONFIG_FILE);
  const shown = displayPath(file, cwd);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    if (flag) throw new UserError('config.notFound', { path: flag });
    return defaultConfig();
  }
  const key = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${currentLang()}:${shown}`;
  const seen = loaded.get(file);
  if (seen?.key === key && stat.isFile()) {
    if (seen.error) throw seen.error;
    return structuredClone(seen.config!);
  }
  let config: Config;
  try {
    config = readConfigFile(file, shown, stat);
  } catch (error) {
    if (stat.isFile() && error instanceof UserError) loaded.set(file, { key, error });
    throw error;
  }
  if (stat.isFile()) loaded.set(file, { key, config: structuredClone(config) });
  return config;
}

function readConfigFile(file: string, shown: string, stat: fs.Stats): Config {
  if (stat.isDirectory()) throw new UserError('file.isFolder', { flag: '--config', path: shown });
  let bytes: Buffer | null;
  try {
    // Read up to a bound: a device or a FIFO given as the config (/dev/zero) must not fill memory.
    bytes = readBounded(file, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new UserError('config.unreadable', { path: shown, reason: (error as Error).message });
  }
  if (bytes === null) throw new UserError('config.tooLarge', { file: shown, size: `> ${MAX_CONFIG_BYTES / 1048576}` });
  const cached = cachedSettings<Config>(file, bytes, currentLang());
  if (cached) return cached;
  // Notepad on Chinese Windows may save the file as GBK; any BOM is dropped by the decoder.
  const encoding = detectEncoding(bytes.subarray(0, 65536));
  const text = encoding === 'utf8' ? new TextDecoder('utf-8').decode(bytes) : iconvLite().decode(bytes, encoding);
  const deep = tooDeep(text);
  if (deep) throw new UserError('config.tooDeep', { file: shown, line: deep, limit: MAX_CONFIG_DEPTH });

  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const lineOf = (node: Node | null | undefined): number => {
    const offset = node?.range?.[0];
    return offset === undefined ? 1 : lines.linePos(offset).line;
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line;
    throw new UserError('config.where', { file: shown, line, reason: yamlReason(error.code, error.message, text, error.pos[0]) });
  }

  const defaults = defaultConfig();
  try {
    const root = doc.contents as Node | null;
    const read = readNode(root, SCHEMA, '', { ...defaults, file: undefined }, { doc, dir: path.dirname(file) }) as Config;
    const config: Config = { ...read, file };
    // The company name follows the file's language when the file sets one and not the company.
    if (config.lang && !hasKey(root, 'company')) config.company = t('config.defaultCompany', undefined, config.lang);
    keepSettings(file, bytes, currentLang(), config);
    return config;
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new UserError('config.where', { file: shown, line: lineOf(error.node), reason: error.reason });
  }
}

/** A config is a few KB: a file past this is not one (and is not parsed into memory). */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** followup's settings nest 4 deep; YAML's parser and the checks recurse, so depth is bounded before parsing. */
const MAX_CONFIG_DEPTH = 32;

/**
 * The first line where the text nests deeper than MAX_CONFIG_DEPTH, by indentation or by flow
 * brackets ([ {), or 0: one pass, before the parser sees it.
 */
function tooDeep(text: string): number {
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    // The line's indent, and the "- " and "? " marks before its content: each of those opens a
    // level of its own ("- - - x" is three lists deep on one line).
    let indent = 0;
    let marks = 0;
    for (;;) {
      const ch = text[at + indent];
      if (at + indent >= end || (ch !== ' ' && ch !== '-' && ch !== '?')) break;
      if (ch !== ' ') {
        const next = text[at + indent + 1];
        if (next !== ' ' && next !== '\r' && at + indent + 1 < end) break; // -5, -x: a value, not a mark
        marks++;
      }
      indent++;
    }
    const first = text[at + indent];
    if (at + indent < end && first !== '#' && first !== '\r') {
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      if (indents.length + marks > MAX_CONFIG_DEPTH) return line;
      let quote = '';
      for (let i = at + indent; i < end; i++) {
        const ch = text[i];
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '#' && (i === at || text[i - 1] === ' ')) break;
        else if (ch === '[' || ch === '{') {
          if (++flow > MAX_CONFIG_DEPTH) return line;
        } else if (ch === ']' || ch === '}') flow = Math.max(0, flow - 1);
      }
    }
    at = end + 1;
    line++;
  }
  return 0;
}

function hasKey(root: Node | null, key: string): boolean {
  return isMap(root) && root.has(key);
}

/** The file as the user knows it: relative to the current folder when it is inside it. */
export const displayPath = shownPath;

function readNode(node: Node | null | undefined, spec: Spec, key: string, fallback: unknown, ctx: ReadContext): unknown {
  if (isAlias(node)) node = node.resolve(ctx.doc) as Node | undefined;
  switch (spec.kind) {
    case 'map':
      return readMap(node, spec, key, fallback as Record<string, unknown> | undefined, ctx);
    case 'list':
      return readList(node, spec, key, fallback as unknown[] | undefined, ctx);
    default:
      return readScalar(node, spec, key, ctx);
  }
}

function readMap(
  node: Node | null | undefined,
  spec: Extract<Spec, { kind: 'map' }>,
  key: string,
  fallback: Record<string, unknown> | undefined,
  ctx: ReadContext,
): Record<string, unknown> {
  const value: Record<string, unknown> = structuredClone(fallback ?? spec.itemDefaults ?? {});
  delete value.file;
  const seen: Record<string, Seen> = Object.create(null);
  // An empty section (every line under it commented out) keeps the defaults.
  if (node && !(isScalar(node) && node.value === null)) {
    if (!isMap(node)) throw new Problem(node, key ? t('config.expectedMap', { key, found: found(node) }) : t('config.notSettings'));
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const name = isScalar(keyNode) ? String(keyNode.value) : '';
      const path = key ? `${key}.${name}` : name;
      // Duplicates are found here, in linear time (the YAML parser's own check is quadratic).
      if (Object.hasOwn(seen, name)) throw new Problem(keyNode ?? node, t('config.yaml.duplicateKey', { key: name }));
      const field = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
      if (!field) throw new Problem(keyNode ?? node, unknownKey(path, name, Object.keys(spec.fields)));
      const valueNode = (pair.value as Node | null) ?? keyNode;
      let read: unknown;
      try {
        read = readNode(pair.value as Node | null, field.spec, path, value[name], ctx);
      } catch (error) {
        // `key:` with nothing after it has no node of its own: point at the key.
        if (error instanceof Problem && !error.node) throw new Problem(valueNode, error.reason);
        throw error;
      }
      if (read === undefined) delete value[name];
      else value[name] = read;
      seen[name] = { node: valueNode as Node, key: path };
    }
  }
  spec.check?.(value, seen, node ?? null, key);
  return value;
}

function readList(
  node: Node | null | undefined,
  spec: Extract<Spec, { kind: 'list' }>,
  key: string,
  fallback: unknown[] | undefined,
  ctx: ReadContext,
): unknown[] {
  let items: unknown[];
  const seen: Seen[] = [];
  if (node === undefined) {
    items = structuredClone(fallback ?? []);
  } else if (node === null || (isScalar(node) && node.value === null)) {
    items = [];
  } else if (!isSeq(node)) {
    throw new Problem(node, t('config.expectedList', { key, found: found(node) }));
  } else {
    items = node.items.map((item, index) => {
      const itemKey = `${key}[${index + 1}]`;
      seen.push({ node: item as Node, key: itemKey });
      return readNode(item as Node | null, spec.item, itemKey, undefined, ctx);
    });
  }
  spec.check?.(items, seen, node ?? null, key);
  return items;
}

/**
 * The most each kind of number can be: past it a value is a typo (100000000 working days), and
 * would overflow the calendar's arithmetic or make a plan that never ends.
 */
const INT_MAX: Record<Unit, number> = {
  days: 3650,
  hours: 720,
  workingDays: 250,
  minutes: 1440,
  orders: 100_000,
  attempts: 100,
  calls: 10_000,
};
const YUAN_MAX = 1e9;

const INT_MESSAGES: Record<Unit, MessageId> = {
  days: 'config.int.days',
  hours: 'config.int.hours',
  workingDays: 'config.int.workingDays',
  minutes: 'config.int.minutes',
  orders: 'config.int.orders',
  attempts: 'config.int.attempts',
  calls: 'config.int.calls',
};

function readScalar(node: Node | null | undefined, spec: Spec, key: string, ctx: ReadContext): unknown {
  const raw = isScalar(node) ? node.value : node === null || node === undefined ? null : undefined;
  const fail = (id: MessageId, params: Params = {}): never => {
    throw new Problem(node, t(id, { key, found: found(node), ...params }));
  };
  switch (spec.kind) {
    case 'int':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < spec.min) fail(INT_MESSAGES[spec.unit], { min: spec.min });
      if ((raw as number) > INT_MAX[spec.unit]) fail('config.intMax', { max: INT_MAX[spec.unit] });
      return raw;
    case 'yuan':
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) fail('config.yuan');
      if ((raw as number) > YUAN_MAX) fail('config.intMax', { max: YUAN_MAX });
      return raw;
    case 'share':
      if (typeof raw !== 'number' || !(raw >= 0 && raw <= 1)) fail('config.share');
      return raw;
    case 'bool':
      if (typeof raw !== 'boolean') fail('config.bool');
      return raw;
    case 'text':
      if (typeof raw !== 'string' || raw.trim() === '') fail(typeof raw === 'number' ? 'config.textNumber' : 'config.text');
      return (raw as string).trim();
    case 'textOrNull':
      if (raw === null) return null;
      if (typeof raw !== 'string' || raw.trim() === '') fail('config.textOrNull');
      return (raw as string).trim();
    case 'pathOrNull':
      if (raw === null) return key === 'db' ? undefined : null;
      if (typeof raw !== 'string' || raw.trim() === '') fail('config.path');
      return path.resolve(ctx.dir, (raw as string).trim());
    case 'lang': {
      if (raw === null) return undefined;
      const lang = typeof raw === 'string' ? parseLang(raw) : undefined;
      if (!lang) fail('config.langValue');
      return lang;
    }
    case 'time': {
      const match = typeof raw === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(raw.trim()) : null;
      if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) fail('config.time');
      return `${match![1].padStart(2, '0')}:${match![2]}`;
    }
    case 'date': {
      const match = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim()) : null;
      const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
      if (!match || !day || day.getUTCFullYear() !== Number(match[1]) || day.getUTCMonth() !== Number(match[2]) - 1 || day.getUTCDate() !== Number(match[3])) {
        fail('config.date');
      }
      if (!inSupportedYears((raw as string).trim())) fail('config.dateRange', { from: SUPPORTED_YEARS.from, to: SUPPORTED_YEARS.to });
      return (raw as string).trim();
    }
    case 'scenario': {
      const id = typeof raw === 'string' ? raw.trim() : '';
      if (!(SCENARIO_IDS as readonly string[]).includes(id)) {
        const suggestion = typeof raw === 'string' ? closest(raw, SCENARIO_IDS) : undefined;
        fail(suggestion ? 'config.scenarioSuggest' : 'config.scenario', { suggestion, ids: SCENARIO_IDS.join(', ') });
      }
      return id;
    }
    default:
      throw new Error(`unhandled spec ${spec.kind}`);
  }
}

/** How a wrong value is quoted back: strings in quotes, numbers as written, lists and maps by kind. */
function found(node: Node | null | undefined): string {
  if (node === null || node === undefined) return t('config.found.nothing');
  if (isSeq(node)) return t('config.found.list');
  if (isMap(node)) return t('config.found.map');
  if (isScalar(node)) {
    if (node.value === null) return t('config.found.nothing');
    if (typeof node.value === 'string') return `"${node.value}"`;
    return node.source !== undefined && typeof node.source === 'string' ? node.source : String(node.value);
  }
  return String(node);
}

function unknownKey(path: string, name: string, known: readonly string[]): string {
  const suggestion = closest(name, known);
  return suggestion ? t('config.unknownKeySuggest', { key: path, suggestion }) : t('config.unknownKeyList', { key: path, known: known.join(', ') });
}

/** The known name a mistyped one most likely meant: same letters ignoring case and - or _, else within a few edits. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const wanted = squash(name);
  if (!wanted) return undefined;
  const same = known.find((k) => squash(k) === wanted);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(wanted, squash(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  if (bestDistance <= allowed) return best;
  // A prefix such as "after" for "after-sale" or "fromDay" for "fromDays".
  const prefixed = known.filter((k) => wanted.length >= 3 && squash(k).startsWith(wanted));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** A YAML syntax error in words a team lead can act on; the parser's English only as a last resort. */
function yamlReason(code: string, message: string, text: string, offset: number): string {
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = /^\s*["']?([^:"'\n]+?)["']?\s*:/.exec(text.slice(offset))?.[1] ?? '';
      return t('config.yaml.duplicateKey', { key });
    }
    case 'TAB_AS_INDENT':
      return t('config.yaml.tab');
    case 'BAD_INDENT':
      return t('config.yaml.indent');
    case 'MISSING_CHAR':
      return /quote/i.test(message) ? t('config.yaml.quote') : t('config.yaml.colon');
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return t('config.yaml.colon');
    case 'MULTIPLE_DOCS':
      return t('config.yaml.documents');
    default:
      return t('config.yaml.other', { detail: message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
  }
}

// --- writing: the file `followup init` creates

/**
 * The settings file with every setting, each with a one-line comment in `lang`. Written from the
 * schema, so it loads back to exactly `config` (by default, the defaults).
 */
export function renderConfig(lang: Lang, config: Config = defaultConfig(lang)): string {
  const c = (id: MessageId) => t(id, undefined, lang);
  const out: string[] = [c('init.c.header1'), c('init.c.header2'), c('init.c.header3')];
  const root = SCHEMA as Extract<Spec, { kind: 'map' }>;
  for (const [name, field] of Object.entries(root.fields)) {
    out.push('', `# ${c(field.comment)}`);
    const value = (config as unknown as Record<string, unknown>)[name];
    if (name === 'lang') {
      // Written out: the file's language is the one it was made in (--lang, else the locale).
      out.push(`lang: ${lang}`);
    } else if (field.optional) {
      out.push(`# ${name}: ${yamlValue(field.optional(lang))}`);
    } else if (field.spec.kind === 'map') {
      out.push(`${name}:`);
      renderFields(field.spec, value as Record<string, unknown>, 1, out, c);
    } else if (field.spec.kind === 'list' && field.spec.layout === 'block') {
      out.push(`${name}:`);
      for (const item of value as Record<string, unknown>[]) {
        out.push(`  - { ${Object.entries(item).map(([k, v]) => `${k}: ${yamlValue(v)}`).join(', ')} }`);
      }
    } else {
      out.push(`${name}: ${yamlValue(value)}`);
    }
  }
  return alignComments(out).join('\n') + '\n';
}

function renderFields(spec: Extract<Spec, { kind: 'map' }>, value: Record<string, unknown>, depth: number, out: string[], c: (id: MessageId) => string): void {
  const indent = '  '.repeat(depth);
  for (const [name, field] of Object.entries(spec.fields)) {
    if (field.spec.kind === 'map') {
      out.push(`${indent}${name}:\t# ${c(field.comment)}`);
      renderFields(field.spec, value[name] as Record<string, unknown>, depth + 1, out, c);
    } else {
      out.push(`${indent}${name}: ${yamlValue(value[name])}\t# ${c(field.comment)}`);
    }
  }
}

/** A value as YAML: plain when that reads back the same, else double-quoted (valid YAML, like JSON). */
export function yamlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`;
  if (typeof value !== 'string') return String(value);
  if (/^[\p{L}\p{N}][\p{L}\p{N}_.\- ]*$/u.test(value) && !value.endsWith(' ') && yaml().parse(value) === value) return value;
  return JSON.stringify(value);
}

/** Lines up the trailing comments (a tab marks where one starts), counting CJK characters as two columns. */
function alignComments(lines: string[]): string[] {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const column = Math.min(
    34,
    Math.max(...lines.filter((l) => l.includes('\t')).map((l) => width(l.split('\t')[0]) + 2)),
  );
  return lines.map((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) return line;
    const head = line.slice(0, tab);
    return head + ' '.repeat(Math.max(2, column - width(head))) + line.slice(tab + 1);
  });
}
