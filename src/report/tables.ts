// The report as tables: the one model every format renders (terminal text, Markdown, CSV, HTML,
// one xlsx sheet per table), so the formats cannot disagree. Cells keep their raw values and each
// column its kind; a format decides how a rate or a duration looks.
import { ISSUE_LEVEL1, PRIORITIES } from '../core/config.js';
import { FEEDBACK_TYPES, level2Label } from '../domain/call.js';
import type { Figures, MonthReport, Report } from '../domain/report.js';
import { SATISFIED_MARK } from '../domain/report.js';
import { groupDigits, t, type MessageId } from '../messages/index.js';

export type Kind = 'text' | 'int' | 'rate' | 'mean' | 'score' | 'seconds' | 'delta' | 'pp' | 'deltaMean' | 'deltaScore' | 'deltaSeconds';

/** The kind of a month-over-month change of a figure of this kind: every change carries its sign. */
const CHANGE_KIND: Partial<Record<Kind, Kind>> = { rate: 'pp', int: 'delta', mean: 'deltaMean', score: 'deltaScore', seconds: 'deltaSeconds' };
/** A value, or a value with its own kind (the summary's rows are each of a different kind). */
export type Cell = string | number | null | { value: number | null; kind: Kind };

export interface Table {
  id: string;
  title: string;
  columns: { label: string; kind: Kind }[];
  rows: Cell[][];
  /** For a table of changes (the summary): which way each row's figure is better, for colour. */
  better?: ('up' | 'down' | null)[];
}

const m = (id: string, params?: Record<string, string | number>) => t(id as MessageId, params);
const l1 = (id: string) => m(`issue.l1.${id}`);
const scenario = (id: string) => (id === '-' ? m('report.none') : m(`scenario.${id}`));
const segment = (id: string) => (id === '-' ? m('report.none') : m(`segment.${id}`));
const agent = (id: string) => (id === '-' ? m('report.none') : id);

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((a - b) * 10000) / 10000);

/** The summary rows: label, this month, the month before, the change, of the kind given. */
function summary(r: MonthReport, p: MonthReport): Table {
  type Row = [MessageId | string, number | null, number | null, Kind];
  const rows: Row[] = [
    ['report.row.planned', r.calls.planned, p.calls.planned, 'int'],
    ['report.row.attempted', r.calls.attempted, p.calls.attempted, 'int'],
    ['report.row.reached', r.calls.reached, p.calls.reached, 'int'],
    ['report.row.completed', r.calls.completed, p.calls.completed, 'int'],
    ['report.row.coverage', r.coverage, p.coverage, 'rate'],
    ['report.row.contactRate', r.contactRate, p.contactRate, 'rate'],
    ['report.row.satResponses', r.satisfaction.responses, p.satisfaction.responses, 'int'],
    ['report.row.satMean', r.satisfaction.mean, p.satisfaction.mean, 'mean'],
    ['report.row.satisfiedShare', r.satisfaction.satisfiedShare, p.satisfaction.satisfiedShare, 'rate'],
    ['report.row.npsResponses', r.nps.responses, p.nps.responses, 'int'],
    ['report.row.npsScore', r.nps.score, p.nps.score, 'score'],
    ['report.row.promoters', r.nps.promoters, p.nps.promoters, 'int'],
    ['report.row.passives', r.nps.passives, p.nps.passives, 'int'],
    ['report.row.detractors', r.nps.detractors, p.nps.detractors, 'int'],
    ['report.row.issues', r.issues.total, p.issues.total, 'int'],
    ['report.row.repeatRate', r.issues.repeatRate, p.issues.repeatRate, 'rate'],
    ['report.row.resolutionRate', r.issues.resolutionRate, p.issues.resolutionRate, 'rate'],
    ['report.row.onTimeRate', r.issues.onTimeRate, p.issues.onTimeRate, 'rate'],
    ['report.row.overdue', r.issues.overdue, p.issues.overdue, 'int'],
    ['report.row.averageAttempts', r.averageAttempts, p.averageAttempts, 'mean'],
    ['report.row.averageDuration', r.averageDurationSeconds, p.averageDurationSeconds, 'seconds'],
  ];
  const label = (id: string) => (id === 'report.row.averageDuration' ? m(id, { count: r.durationCalls }) : m(id as MessageId));
  const LOWER_IS_BETTER = new Set(['report.row.detractors', 'report.row.repeatRate', 'report.row.overdue', 'report.row.averageAttempts']);
  const NEITHER = new Set(['report.row.averageDuration', 'report.row.issues', 'report.row.passives']);
  return {
    id: 'summary',
    better: rows.map(([id]) => (NEITHER.has(id) ? null : LOWER_IS_BETTER.has(id) ? 'down' : 'up')),
    title: m('report.t.summary', { month: r.month, previous: p.month }),
    columns: [
      { label: m('report.col.figure'), kind: 'text' },
      { label: r.month, kind: 'text' },
      { label: p.month, kind: 'text' },
      { label: m('report.col.change'), kind: 'text' },
    ],
    rows: rows.map(([id, a, b, kind]) => [label(id), cell(a, kind), cell(b, kind), cell(diff(a, b), CHANGE_KIND[kind] ?? kind)]),
  };
}

function cell(value: number | null, kind: Kind): Cell {
  return { value, kind };
}

function share(n: number, total: number): number | null {
  return total > 0 ? Math.round((n / total) * 10000) / 10000 : null;
}

/** One column of a breakdown: its label, how to show it, and its value from a key's figures this month and the month before. */
type BreakdownColumn = [MessageId, Kind, (now: Figures | undefined, before: Figures | undefined) => number | null];

/** A row per agent, segment or scenario (the keys of either month), a column per `columns`. */
function breakdown(
  id: string,
  title: string,
  keyLabel: string,
  name: (k: string) => string,
  now: Record<string, Figures>,
  before: Record<string, Figures>,
  columns: BreakdownColumn[],
): Table {
  const keys = [...new Set([...Object.keys(now), ...Object.keys(before)])].sort();
  return {
    id,
    title,
    columns: [{ label: keyLabel, kind: 'text' }, ...columns.map(([label, kind]) => ({ label: m(label), kind }))],
    rows: keys.map((k) => [name(k), ...columns.map(([, , value]) => value(now[k], before[k]))]),
  };
}

/** Calls, contact and satisfaction of each agent, segment or scenario. */
const CALL_COLUMNS: BreakdownColumn[] = [
  ['report.col.planned', 'int', (f) => f?.calls.planned ?? 0],
  ['report.col.attempted', 'int', (f) => f?.calls.attempted ?? 0],
  ['report.col.reached', 'int', (f) => f?.calls.reached ?? 0],
  ['report.col.completed', 'int', (f) => f?.calls.completed ?? 0],
  ['report.col.coverage', 'rate', (f) => f?.coverage ?? null],
  ['report.col.contactRate', 'rate', (f) => f?.contactRate ?? null],
  ['report.col.satMean', 'mean', (f) => f?.satisfaction.mean ?? null],
  ['report.col.satisfiedShare', 'rate', (f) => f?.satisfaction.satisfiedShare ?? null],
  ['report.col.npsScore', 'score', (f) => f?.nps.score ?? null],
  ['report.col.averageAttempts', 'mean', (f) => f?.averageAttempts ?? null],
  ['report.col.averageDuration', 'seconds', (f) => f?.averageDurationSeconds ?? null],
  ['report.col.prevCoverage', 'rate', (_, p) => p?.coverage ?? null],
  ['report.col.prevSatisfied', 'rate', (_, p) => p?.satisfaction.satisfiedShare ?? null],
];

/** The issues of each agent, segment or scenario: raised, repeats, resolved, deadlines kept, overdue. */
const ISSUE_COLUMNS: BreakdownColumn[] = [
  ['report.col.issues', 'int', (f) => f?.issues.total ?? 0],
  ['report.col.p0', 'int', (f) => f?.issues.byPriority.P0 ?? 0],
  ['report.col.complaints', 'int', (f) => f?.issues.byFeedbackType.complaint ?? 0],
  ['report.col.repeatRate', 'rate', (f) => f?.issues.repeatRate ?? null],
  ['report.col.resolutionRate', 'rate', (f) => f?.issues.resolutionRate ?? null],
  ['report.col.onTimeRate', 'rate', (f) => f?.issues.onTimeRate ?? null],
  ['report.col.overdue', 'int', (f) => f?.issues.overdue ?? 0],
  ['report.col.prevIssues', 'int', (_, p) => p?.issues.total ?? 0],
  ['report.col.prevResolution', 'rate', (_, p) => p?.issues.resolutionRate ?? null],
];

export function reportTables(report: Report): Table[] {
  const r = report;
  const p = report.previous;
  const total = r.issues.total;
  const countTable = (id: string, title: string, keyLabel: string, keys: string[], counts: Record<string, number>, before: Record<string, number>, name: (k: string) => string): Table => ({
    id,
    title,
    columns: [
      { label: keyLabel, kind: 'text' },
      { label: m('report.col.count'), kind: 'int' },
      { label: m('report.col.share'), kind: 'rate' },
      { label: m('report.col.prevCount'), kind: 'int' },
    ],
    rows: keys.map((k) => [name(k), counts[k] ?? 0, share(counts[k] ?? 0, total), before[k] ?? 0]),
  });
  const satTotal = Object.values(r.satisfactionDistribution).reduce((a, b) => a + b, 0);
  return [
    ...actionTables(r),
    summary(r, p),
    countTable('issuesByLevel1', m('report.t.byLevel1'), m('report.col.level1'), [...ISSUE_LEVEL1], r.issues.byLevel1, p.issues.byLevel1, l1),
    {
      id: 'issuesByLevel2',
      title: m('report.t.byLevel2'),
      columns: [
        { label: m('report.col.level1'), kind: 'text' },
        { label: m('report.col.level2'), kind: 'text' },
        { label: m('report.col.count'), kind: 'int' },
        { label: m('report.col.share'), kind: 'rate' },
      ],
      rows: r.issues.byLevel2.map((x) => [l1(x.level1), x.level2 ? level2Label(x.level2) : m('report.none'), x.count, x.share]),
    },
    countTable('issuesByPriority', m('report.t.byPriority'), m('report.col.priority'), [...PRIORITIES], r.issues.byPriority, p.issues.byPriority, (k) => m(`issue.priority.${k}`)),
    countTable('issuesByFeedbackType', m('report.t.byFeedbackType'), m('report.col.feedbackType'), [...FEEDBACK_TYPES], r.issues.byFeedbackType, p.issues.byFeedbackType, (k) => m(`issue.feedback.${k}`)),
    {
      id: 'topProblems',
      title: m('report.t.top'),
      columns: [
        { label: '#', kind: 'int' },
        { label: m('report.col.problem'), kind: 'text' },
        { label: m('report.col.count'), kind: 'int' },
        { label: m('report.col.share'), kind: 'rate' },
      ],
      rows: r.issues.top.map((x, i) => [i + 1, `${l1(x.level1)} / ${x.level2 ? level2Label(x.level2) : m('report.none')}`, x.count, x.share]),
    },
    {
      id: 'satisfaction',
      title: m('report.t.satisfaction'),
      columns: [
        { label: m('report.col.score'), kind: 'text' },
        { label: m('report.col.count'), kind: 'int' },
        { label: m('report.col.share'), kind: 'rate' },
      ],
      rows: (['5', '4', '3', '2', '1'] as const).map((s) => [m(`report.sat.${s}`), r.satisfactionDistribution[s], share(r.satisfactionDistribution[s], satTotal)]),
    },
    breakdown('byAgent', m('report.t.byAgent'), m('report.col.agent'), agent, r.byAgent, p.byAgent, CALL_COLUMNS),
    breakdown('bySegment', m('report.t.bySegment'), m('report.col.segment'), segment, r.bySegment, p.bySegment, CALL_COLUMNS),
    breakdown('byScenario', m('report.t.byScenario'), m('report.col.scenario'), scenario, r.byScenario, p.byScenario, CALL_COLUMNS),
    breakdown('issuesByAgent', m('report.t.issuesByAgent'), m('report.col.agent'), agent, r.byAgent, p.byAgent, ISSUE_COLUMNS),
    breakdown('issuesBySegment', m('report.t.issuesBySegment'), m('report.col.segment'), segment, r.bySegment, p.bySegment, ISSUE_COLUMNS),
    breakdown('issuesByScenario', m('report.t.issuesByScenario'), m('report.col.scenario'), scenario, r.byScenario, p.byScenario, ISSUE_COLUMNS),
    {
      id: 'trend',
      title: m('report.t.trend'),
      columns: [
        { label: m('report.col.month'), kind: 'text' },
        { label: m('report.col.completed'), kind: 'int' },
        { label: m('report.col.satMean'), kind: 'mean' },
        { label: m('report.col.satisfiedShare'), kind: 'rate' },
      ],
      rows: r.trend.map((x) => [x.month, x.completed, x.satisfactionMean, x.satisfiedShare]),
    },
    {
      id: 'definitions',
      title: m('report.t.definitions'),
      columns: [
        { label: m('report.col.figure'), kind: 'text' },
        { label: m('report.col.definition'), kind: 'text' },
      ],
      rows: DEFINED.map((id) => [m(`report.row.${id}`), m(`report.def.${id}`, { mark: Math.round(SATISFIED_MARK * 100) })]),
    },
  ];
}

export const DEFINED = [
  'planned',
  'attempted',
  'reached',
  'completed',
  'coverage',
  'contactRate',
  'satMean',
  'satisfiedShare',
  'npsScore',
  'issues',
  'repeatRate',
  'resolutionRate',
  'onTimeRate',
  'overdue',
  'averageAttempts',
  'averageDuration',
] as const;

/** A value for people: percentages, means, signed changes; "–" where there is no denominator. */
export function formatCell(value: Cell, kind: Kind): string {
  if (value !== null && typeof value === 'object') return formatCell(value.value, value.kind);
  if (typeof value === 'string') return value;
  if (value === null) return '–';
  switch (kind) {
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'pp':
      return `${arrow(value)}${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} pp`;
    case 'delta':
      return `${arrow(value)}${value > 0 ? '+' : ''}${groupDigits(value)}`;
    case 'mean':
      return value.toFixed(2);
    case 'score':
      return value.toFixed(1);
    case 'seconds':
      return duration(value);
    case 'deltaMean':
      return `${arrow(value)}${value > 0 ? '+' : value < 0 ? '-' : ''}${Math.abs(value).toFixed(2)}`;
    case 'deltaScore':
      return `${arrow(value)}${value > 0 ? '+' : value < 0 ? '-' : ''}${Math.abs(value).toFixed(1)}`;
    case 'deltaSeconds':
      return `${arrow(value)}${value > 0 ? '+' : value < 0 ? '-' : ''}${duration(Math.abs(value))}`;
    default:
      return kind === 'int' ? groupDigits(value) : String(value);
  }
}

/** ▲ for a rise, ▼ for a fall: a change reads at a glance (the sign is there too, and colour in HTML). */
const arrow = (value: number) => (value > 0 ? '▲ ' : value < 0 ? '▼ ' : '');

/** 95 → 1:35, 3725 → 1:02:05: a duration as people read it. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** The raw value of a cell and its kind (a summary cell carries its own). */
export function rawCell(value: Cell, kind: Kind): { value: string | number | null; kind: Kind } {
  if (value !== null && typeof value === 'object') return value;
  return { value, kind };
}

/** What needs doing: issues past their promised deadline, callbacks nobody made, figures under their mark. */
function actionTables(r: Report): Table[] {
  const a = r.actions;
  return [
    {
      id: 'actionsOverdue',
      title: m('report.t.actionsOverdue', { count: a.overdue.length }),
      columns: [
        { label: m('report.col.issue'), kind: 'text' },
        { label: m('report.col.customer'), kind: 'text' },
        { label: m('report.col.department'), kind: 'text' },
        { label: m('report.col.dueBy'), kind: 'text' },
        { label: m('report.col.daysLate'), kind: 'int' },
      ],
      rows: a.overdue.map((i) => [`#${i.id}`, `${i.name} (${i.customerId})`, i.department ?? m('report.none'), i.dueBy, i.daysLate]),
    },
    {
      id: 'actionsCallbacks',
      title: m('report.t.actionsCallbacks', { count: a.missedCallbacks.length }),
      columns: [
        { label: m('report.col.customer'), kind: 'text' },
        { label: m('report.col.agent'), kind: 'text' },
        { label: m('report.col.callbackAt'), kind: 'text' },
      ],
      rows: a.missedCallbacks.map((c) => [`${c.name} (${c.customerId})`, c.agent, c.callbackAt.replace('T', ' ')]),
    },
    {
      id: 'actionsTargets',
      title: m('report.t.actionsTargets', { count: a.belowTarget.length }),
      columns: [
        { label: m('report.col.figure'), kind: 'text' },
        { label: r.month, kind: 'rate' },
        { label: m('report.col.target'), kind: 'rate' },
      ],
      rows: a.belowTarget.map((b) => [m(`report.target.${b.figure}`), b.value, b.target]),
    },
  ];
}
