// The morning call list (回访清单): who to call on day D, why, how urgent, by when, and which agent.
//
//   reasons  order/complaint windows and earlier calls (few rows: classified here, with the
//            working-day calendar) + churn warning / VIP care / survey (set-based, in SQL)
//   rules    one SQL expression: already followed up, do-not-call, no phone, wrong number, contact interval
//   ranking  per customer the most urgent due reason wins (the others are kept as "also");
//            the list is ordered urgent first, then by due date, then by customer value
//   capacity shared among the agents; what does not fit rolls to the next working day
//
// Plain functions of the database, the settings and the date: the same data and date give the
// same list. Explain runs the very same reasons and rules for one customer.

import type { Config, ScenarioId } from '../core/config.js';
import { t, type MessageId } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import {
  addReasons,
  addSegmentReasons,
  closingWinners,
  countDueCustomers,
  dueAppointments,
  dueCustomersByScenario,
  dueReasonsInOrder,
  dueReasonsOf,
  endReasons,
  pendingBefore,
  planFacts,
  planFactsOf,
  planItemsOn,
  prefetchFacts,
  ruledReasons,
  savePlan,
  startReasons,
  unansweredCustomers,
  addWindowReasons,
  resolvedComplaints,
  type CandidateRow,
  type DueReasonRow,
  type ClosingParams,
  type ContactRuleParams,
  type NewPlanItem,
  type PlanItemRow,
  type ReasonRow,
  type RuledReasonRow,
  type SegmentScenarioParams,
  type WindowParams,
  type WinnerRow,
} from '../storage/plans.js';
import type { CustomerFacts } from '../storage/segments.js';
import { addDays, daysBetween, workingCalendar, type WorkingCalendar } from './calendar.js';
import { countOverdue, resolvedIssues } from '../storage/issues.js';
import { segmentParams, segmentRulesFrom, segmentsOf, type SegmentId, type SegmentRules } from './segments.js';

export { segmentRulesFrom };
import { formatYuan } from './values.js';

/** When two reasons are equally urgent and due the same day, the earlier scenario here wins. */
export const SCENARIO_ORDER: readonly ScenarioId[] = [
  'complaint-open',
  'callback',
  'confirmation',
  'retry',
  'churn-warning',
  'complaint-resolved',
  'after-sale',
  'first-experience',
  'usage-check',
  'vip-care',
  'survey',
];

export function calendarFrom(config: Config): WorkingCalendar {
  return workingCalendar({ holidays: config.calendar.holidays, workdays: config.calendar.workdays });
}

export type ExclusionCode =
  | 'do-not-call'
  | 'no-phone'
  | 'wrong-number'
  | 'contacted'
  | 'attempts-exhausted'
  | 'window-passed'
  | 'already-followed-up'
  | 'called-about'
  | 'stale'
  | 'unknown-calendar';

/** One reason to call, after the rules: the unit explain shows and the planner ranks. */
export interface Reason {
  scenario: ScenarioId;
  ref: string | null;
  urgent: boolean;
  dueBy: string;
  /** due: on the day's list; not-yet: from `from`; excluded: why in `exclusion`. */
  status: 'due' | 'not-yet' | 'excluded';
  from?: string;
  exclusion?: Exclusion;
  agent: string | null;
  /** Message parameters for the reason's text. */
  params: Record<string, string | number>;
}

export type Exclusion =
  | { code: 'do-not-call' }
  | { code: 'no-phone' }
  | { code: 'wrong-number' }
  | { code: 'contacted'; days: number; lastCall: string; minDays: number }
  | { code: 'attempts-exhausted'; attempts: number; max: number }
  | { code: 'window-passed'; until: string }
  | { code: 'already-followed-up'; on: string }
  /** An open complaint the customer was called about on `on`: not again before `again` unless resolved. */
  | { code: 'called-about'; on: string; again: string }
  /** A ticket open since `since` (`days` days): no daily urgent call; it is listed in followup issues. */
  | { code: 'stale'; since: string; days: number }
  | { code: 'unknown-calendar'; years: string };

export interface PlanOptions {
  date: string;
  /** The agents in today (default: all configured). */
  agents?: string[];
  /** Plan even on a day off. */
  force?: boolean;
  /** The clock for updated_at (tests). */
  now?: () => Date;
}

export interface StoredReason {
  scenario: ScenarioId;
  ref: string | null;
  params: Record<string, string | number>;
}

export interface CallListItem {
  id?: number;
  customerId: string;
  name: string;
  phone: string | null;
  segments: SegmentId[];
  scenario: ScenarioId;
  urgent: boolean;
  dueBy: string;
  agent: string | null;
  position: number;
  status: PlanItemRow['status'];
  reason: string;
  reasons: StoredReason[];
  valueFen: number;
  rolledFrom: string | null;
}

export interface CallList {
  date: string;
  workingDay: boolean;
  /** False when the day is off and --force was not given: no list was made. */
  planned: boolean;
  items: CallListItem[];
  /** Items that did not fit today's capacity, now on the list of `rolledTo`. */
  rolledOver: CallListItem[];
  /** How many did not fit in all (rolledOver lists the first RETURNED_OVERFLOW of them). */
  rolledOverCount: number;
  /**
   * The work due today against what fits: customers due (new and carried, not counting what was
   * already claimed or done), how many fit, the day's capacity, and the customers with a due reason
   * of each scenario with the days of capacity they take (a customer with several counts under each).
   */
  backlog: { due: number; fit: number; capacity: number; days: number; byScenario: Record<string, { customers: number; days: number }> };
  rolledTo: string | null;
  /** Years the calendar does not cover that a due date reached. */
  uncoveredYears: number[];
  agents: { name: string; capacity: number; assigned: number }[];
  /** Open issues past the deadline promised to the customer on day D: they stand out in the summary. */
  overdueIssues: number;
}

/** How many of the items that did not fit are returned in full (all are counted and kept). */
export const RETURNED_OVERFLOW = 500;

export interface PlanContext {
  db: Db;
  config: Config;
  date: string;
  calendar: WorkingCalendar;
  rules: SegmentRules;
}

export function planContext(db: Db, config: Config, date: string): PlanContext {
  return { db, config, date, calendar: calendarFrom(config), rules: segmentRulesFrom(config) };
}

function enabledScenarios(config: Config): Set<string> {
  const on = new Set<string>(['callback', 'retry']);
  for (const [id, settings] of Object.entries(config.scenarios)) if (settings.enabled) on.add(id);
  return on;
}

// -----------------------------------------------------------------------------------------------
// Reasons

/**
 * Finds every reason to call on the context's day — for all customers, or for one (explain) — and
 * leaves them with the customers' facts in the run's working tables (storage/plans.ts).
 */
function collectReasons(ctx: PlanContext, onlyCustomer?: string, carried: string[] = [], closing?: ClosingParams): void {
  const { db, config, date, calendar } = ctx;
  const s = config.scenarios;
  const enabled = enabledScenarios(config);
  startReasons(db);
  const churn = s['churn-warning'];
  const segmentScenarios: SegmentScenarioParams = {
    churnWarning: enabled.has('churn-warning'),
    vipCare: enabled.has('vip-care'),
    survey: enabled.has('survey'),
    churnUrgentDueBy: addDays(date, Math.max(0, Math.ceil(churn.highValueDueHours / 24) - 1)),
    churnDueBy: addDays(date, churn.dueDays),
    vipCareBefore: addDays(date, -s['vip-care'].everyDays + 1),
    vipCareDueBy: addDays(date, 7),
    vipCareEvery: s['vip-care'].everyDays,
    surveyBefore: addDays(date, -s.survey.everyDays + 1),
    surveyDueBy: addDays(date, 14),
    surveyEvery: s.survey.everyDays,
  };
  // The customers' facts for the segment reasons (the longest part) are computed on the other core meanwhile.
  if (onlyCustomer === undefined) prefetchFacts(db, segmentParams(ctx.rules, date), segmentScenarios);

  const windows: WindowParams = {
    date,
    dNext: addDays(date, 1),
    afterSaleFrom: s['after-sale'].fromDays,
    afterSaleTo: s['after-sale'].toDays,
    afterSaleSince: addDays(date, -s['after-sale'].toDays),
    afterSaleUntil: addDays(date, -s['after-sale'].fromDays + 1),
    usageFrom: s['usage-check'].fromDays,
    usageTo: s['usage-check'].toDays,
    usageSince: addDays(date, -s['usage-check'].toDays),
    usageUntil: addDays(date, -s['usage-check'].fromDays + 1),
    usageMinFen: Math.round(s['usage-check'].minOrderYuan * 100),
    firstFrom: s['first-experience'].fromDays,
    firstTo: s['first-experience'].toDays,
    firstSince: addDays(date, -s['first-experience'].toDays),
    firstUntil: addDays(date, -s['first-experience'].fromDays + 1),
    openDueDays: Math.max(0, Math.ceil(s['complaint-open'].dueHours / 24)),
    openDueHours: s['complaint-open'].dueHours,
    openRepeatDays: s['complaint-open'].repeatAfterDays,
    openRepeatSince: addDays(date, -s['complaint-open'].repeatAfterDays + 1),
    openStaleBefore: addDays(date, -s['complaint-open'].staleAfterDays),
    // N working days back is at most ~N+10 calendar days, even across 春节 or 国庆.
    resolvedSince: addDays(date, -(s['complaint-resolved'].withinWorkingDays + 15)),
  };
  addWindowReasons(db, windows, enabled, onlyCustomer);
  // Working days are the calendar's business, so resolved complaints (few) are classified here.
  const rows: ReasonRow[] = enabled.has('complaint-resolved')
    ? resolvedComplaints(db, windows, onlyCustomer).map((c) => toRow(resolvedReason(ctx, c), c.customerId, c.anchor))
    : [];
  if (enabled.has('confirmation')) {
    // An issue resolved by its department: call the customer to confirm the fix (闭环回访).
    const within = config.scenarios.confirmation.withinWorkingDays;
    for (const issue of resolvedIssues(db, addDays(date, 1), onlyCustomer)) {
      const dueBy = workingDaysAfter(calendar, issue.anchor, within);
      const reason: Reason = {
        scenario: 'confirmation',
        ref: String(issue.id),
        urgent: false,
        dueBy: dueBy < date ? date : dueBy,
        status: 'due',
        agent: null,
        params: { issue: `#${issue.id}`, level1: issue.level1, day: issue.anchor, words: issue.words },
      };
      rows.push(toRow(reason, issue.customerId, issue.anchor));
    }
  }
  if (enabled.has('retry')) {
    for (const r of unansweredCustomers(db, addDays(date, 1), onlyCustomer)) {
      const next = workingDaysAfter(calendar, r.lastAttemptAt.slice(0, 10), config.contact.retryAfterWorkingDays);
      const exhausted = r.attempts >= config.contact.maxAttempts;
      const reason: Reason = {
        scenario: 'retry',
        ref: r.planItemId === null ? null : String(r.planItemId),
        urgent: false,
        dueBy: next < date ? date : next,
        from: next,
        status: exhausted ? 'excluded' : next <= date ? 'due' : 'not-yet',
        exclusion: exhausted ? { code: 'attempts-exhausted', attempts: r.attempts, max: config.contact.maxAttempts } : undefined,
        agent: r.agent,
        params: { attempts: r.attempts, last: r.lastAttemptAt.slice(0, 10), original: r.scenario },
      };
      rows.push(toRow(reason, r.customerId, null));
    }
  }
  addReasons(db, rows);

  addSegmentReasons(db, segmentParams(ctx.rules, date), segmentScenarios, { ...contactRules(ctx), scenarioRank: SCENARIO_ORDER }, onlyCustomer, carried, closing);
}

function toRow(reason: Reason, customerId: string, anchor: string | null): ReasonRow {
  return {
    customerId,
    scenario: reason.scenario,
    ref: reason.ref,
    anchor,
    urgent: reason.urgent ? 1 : 0,
    dueBy: reason.dueBy,
    fromDay: reason.from ?? null,
    agent: reason.agent,
    status: reason.status,
    exclusion: reason.exclusion ? JSON.stringify(reason.exclusion) : null,
    params: JSON.stringify(reason.params),
  };
}

/** A resolved complaint: call back within N working days of the resolution (投诉处理后回访). */
function resolvedReason(ctx: PlanContext, c: CandidateRow): Reason {
  const { config, date, calendar } = ctx;
  const within = config.scenarios['complaint-resolved'].withinWorkingDays;
  const dueBy = workingDaysAfter(calendar, c.anchor, within);
  const reason: Reason = {
    scenario: 'complaint-resolved',
    ref: c.ref,
    agent: null,
    urgent: false,
    dueBy,
    status: 'due',
    params: { complaint: c.ref ?? '', day: c.anchor, category: c.detail ?? '', within },
  };
  if (dueBy < date) {
    reason.status = 'excluded';
    reason.exclusion = { code: 'window-passed', until: dueBy };
  }
  return reason;
}

/** The n-th working day after `day`; with n = 0 (allowed by the settings) the day itself, or the next working day. */
function workingDaysAfter(calendar: WorkingCalendar, day: string, n: number): string {
  return n <= 0 ? calendar.onOrAfter(day) : calendar.addWorkingDays(day, n);
}

function contactRules(ctx: PlanContext): ContactRuleParams {
  return {
    contactedSince: addDays(ctx.date, -ctx.config.contact.minDaysBetween + 1),
    exempt: ctx.config.contact.exempt,
  };
}

function toReason(ctx: PlanContext, row: RuledReasonRow): Reason {
  const params = JSON.parse(row.params) as Record<string, string | number>;
  const reason: Reason = {
    scenario: row.scenario as ScenarioId,
    ref: row.ref,
    urgent: row.urgent === 1,
    dueBy: row.dueBy,
    status: row.preStatus as Reason['status'],
    from: row.fromDay ?? undefined,
    agent: row.agent,
    params,
  };
  if (row.exclusion) {
    reason.status = 'excluded';
    switch (row.exclusion) {
      case 'already-followed-up':
        reason.exclusion = { code: 'already-followed-up', on: (row.lastAttemptAt ?? '').slice(0, 10) };
        break;
      case 'do-not-call':
      case 'no-phone':
      case 'wrong-number':
        reason.exclusion = { code: row.exclusion };
        break;
      case 'contacted': {
        const lastCall = (row.lastContactAt ?? '').slice(0, 10);
        reason.exclusion = { code: 'contacted', days: daysBetween(lastCall, ctx.date), lastCall, minDays: ctx.config.contact.minDaysBetween };
        break;
      }
      default:
        reason.exclusion = JSON.parse(row.exclusion) as Exclusion;
    }
  }
  if (reason.status === 'not-yet' && reason.from === undefined && (reason.scenario === 'vip-care' || reason.scenario === 'survey')) {
    const every = reason.scenario === 'vip-care' ? ctx.config.scenarios['vip-care'].everyDays : ctx.config.scenarios.survey.everyDays;
    if (params.last) reason.from = addDays(String(params.last), every);
  }
  return reason;
}

/** Every reason to call one customer on the context's day, due or not, with the customer's facts. */
export function reasonsOf(ctx: PlanContext, customerId: string): { facts: CustomerFacts | undefined; reasons: Reason[] } {
  collectReasons(ctx, customerId);
  try {
    const facts = planFacts(ctx.db, customerId);
    const reasons = ruledReasons(ctx.db, contactRules(ctx)).map((row) => toReason(ctx, row));
    return { facts, reasons };
  } finally {
    endReasons(ctx.db);
  }
}

/** For explain: the reasons of one customer, keyed by id (empty when the customer is unknown). */
export function reasonsByCustomer(ctx: PlanContext, customerId: string): Map<string, { facts: CustomerFacts; reasons: Reason[] }> {
  const { facts, reasons } = reasonsOf(ctx, customerId);
  return facts ? new Map([[customerId, { facts, reasons }]]) : new Map();
}

// -----------------------------------------------------------------------------------------------
// Ranking and capacity

const scenarioRank = (s: ScenarioId) => {
  const i = SCENARIO_ORDER.indexOf(s);
  return i < 0 ? SCENARIO_ORDER.length : i;
};

/** The order of a day's list: urgent first, then by due date, then by value, then stable by id. */
/** Segment reasons: their deadline moves with the day planned, so it never closes (LIST_ORDER too). */
const MOVING_DEADLINE: ReadonlySet<string> = new Set(['churn-warning', 'vip-care', 'survey']);

type Ranked = { urgent: boolean; dueBy: string; scenario: ScenarioId; valueFen: number; customerId: string };

/**
 * The list's order (the same as the SQL's LIST_ORDER): urgent first; then, among equally urgent,
 * what is due from `date` until the `next` working day before what is overdue or can wait (a
 * newly due 24-hour complaint before one carried for weeks, a window closing today before one that
 * stays open); then by due date, value, scenario and customer id.
 */
export function listComparator(date?: string, next?: string): (a: Ranked, b: Ranked) => number {
  const closing = (r: Ranked) =>
    date !== undefined && next !== undefined && r.dueBy >= date && r.dueBy < next && !MOVING_DEADLINE.has(r.scenario);
  return (a, b) => {
    if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
    const ca = closing(a);
    if (ca !== closing(b)) return ca ? -1 : 1;
    if (a.dueBy !== b.dueBy) return a.dueBy < b.dueBy ? -1 : 1;
    if (a.valueFen !== b.valueFen) return b.valueFen - a.valueFen;
    if (a.scenario !== b.scenario) return scenarioRank(a.scenario) - scenarioRank(b.scenario);
    return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
  };
}

/** The order without a day: urgent, due date, value, scenario, id. */
export const compareItems = listComparator();

/** A reason in the user's language; amounts and spend are formatted here, not stored formatted. */
export function reasonText(reason: StoredReason): string {
  const params: Record<string, string | number> = { ...reason.params };
  if (typeof params.amountFen === 'number') params.amount = formatYuan(params.amountFen);
  if (typeof params.spendFen === 'number') params.spend = formatYuan(params.spendFen);
  if (typeof params.level1 === 'string') params.category = t(`issue.l1.${params.level1}` as MessageId);
  if (params.last === '' || params.last === null || params.last === undefined) params.last = t('word.never');
  const text = t(`reason.${reason.scenario}` as MessageId, params);
  return typeof params.agreedWith === 'string' ? `${text} ${t('reason.agreedWith', { agent: params.agreedWith })}` : text;
}

export function describeReasons(reasons: StoredReason[]): string {
  const [first, ...others] = reasons;
  if (!first) return '';
  const main = reasonText(first);
  if (others.length === 0) return main;
  return `${main}${t('reason.also', { others: others.map(reasonText).join('; ') })}`;
}

interface Draft extends NewPlanItem {
  scenario: ScenarioId;
  name: string;
  phone: string | null;
  segments: SegmentId[];
  storedReasons: StoredReason[];
  pinnedAgent: string | null;
}

/** Builds (or rebuilds) the call list of `options.date` and saves it. */
export function planCallList(db: Db, config: Config, options: PlanOptions): CallList {
  const date = options.date;
  const ctx = planContext(db, config, date);
  const { calendar } = ctx;
  const workingDay = calendar.isWorkingDay(date);
  const agents = (options.agents ?? config.agents.map((a) => a.name)).map((name) => {
    const configured = config.agents.find((a) => a.name === name);
    return { name, capacity: configured?.capacity ?? 40, assigned: 0 };
  });
  const capacity = agents.reduce((sum, a) => sum + a.capacity, 0);
  const rolledTo = calendar.nextWorkingDay(date);
  const rank = listComparator(date, rolledTo);
  const order = { listDay: date, listNext: rolledTo };
  if (!workingDay && !options.force) {
    return {
      date,
      workingDay,
      planned: false,
      items: [],
      rolledOver: [],
      rolledOverCount: 0,
      backlog: backlogOf(0, 0, capacity, {}),
      rolledTo: null,
      uncoveredYears: [...calendar.uncoveredYears].sort(),
      agents,
      overdueIssues: countOverdue(db, date),
    };
  }

  // What is already on the day's list and cannot change: claimed or done.
  const existing = planItemsOn(db, date);
  const fixedCustomers = new Set(existing.filter((i) => i.status !== 'pending').map((i) => i.customerId));
  for (const item of existing) {
    if (item.status === 'pending') continue;
    const agent = agents.find((a) => a.name === item.agent);
    if (agent) agent.assigned++;
  }
  // Earlier days' items nobody took up carry over, with their first day kept.
  const carried = pendingBefore(db, date).filter((i) => !fixedCustomers.has(i.customerId));

  collectReasons(ctx, undefined, carried.map((c) => c.customerId), { next: rolledTo, persisting: PERSISTING });
  const factsParams = segmentParams(ctx.rules, date);
  const items: Draft[] = [];
  const overflow: Draft[] = [];
  let rolledOverCount = 0;
  let dueByScenario: Record<string, number> = {};
  const fixedSegments = new Map<string, SegmentId[]>();
  try {
    const known = planFactsOf(db, factsParams, [...fixedCustomers, ...carried.map((c) => c.customerId)]);
    for (const id of fixedCustomers) {
      const facts = known.get(id);
      if (facts) fixedSegments.set(id, segmentsOf(facts));
    }
    const carriedQueue: Draft[] = [];
    for (const item of carried) {
      const facts = known.get(item.customerId);
      // Do-not-call is absolute, even for an item planned before the customer opted out.
      if (facts?.doNotCall) continue;
      carriedQueue.push(
        draftOf(item, date, JSON.parse(item.reasons) as StoredReason[], {
          rolledFrom: item.rolledFrom ?? item.planDate,
          segments: facts ? segmentsOf(facts) : [],
        }),
      );
    }
    carriedQueue.sort(rank);

    // Callbacks are appointments the customer agreed: each is on its day's list whatever the day
    // holds, ahead of the capacity, with the agent who agreed it when they work today, else the
    // least loaded agent who does (flagged on the item).
    const baseAssigned = new Map(agents.map((a) => [a.name, a.assigned]));
    const appointments: Draft[] = [];
    const appointed = new Set<string>();
    for (const { winner, agreedWith } of dueAppointments(db, factsParams, order)) {
      if (fixedCustomers.has(winner.customerId)) continue;
      // The appointment is the call: an item carried for the customer rides along on it ("also").
      const draft = fromWinner(winner, date);
      const carriedDraft = carriedQueue.find((d) => d.customerId === winner.customerId);
      if (carriedDraft) carriedQueue.splice(carriedQueue.indexOf(carriedDraft), 1);
      const own = agents.find((a) => a.name === agreedWith);
      const agent = own ?? [...agents].sort((a, b) => a.assigned / a.capacity - b.assigned / b.capacity)[0];
      if (!agent) continue;
      if (!own && agreedWith) {
        draft.storedReasons[0] = { ...draft.storedReasons[0], params: { ...draft.storedReasons[0].params, agreedWith } };
        draft.reasons = JSON.stringify(draft.storedReasons);
      }
      agent.assigned++;
      draft.agent = agent.name;
      draft.position = agent.assigned;
      appointments.push(draft);
      appointed.add(draft.customerId);
    }

    const carriedCustomers = new Set(carriedQueue.map((d) => d.customerId));
    const carriedAll = [...carriedQueue];
    const fixedAssigned = new Map(agents.map((a) => [a.name, a.assigned]));

    // Walk the ranked winners and the carried items together, in list order, until the day is
    // full; the rest is counted, and kept on the next working day's list when it would not come
    // back by itself (a window that closes, a one-off reason).
    const place = (draft: Draft) => {
      // A callback is a promise: its agent takes it even when full. A retry goes back to the agent
      // who tried, when they have room.
      const own = draft.pinnedAgent ? agents.find((a) => a.name === draft.pinnedAgent) : undefined;
      const pinned = draft.scenario === 'callback' || (draft.scenario === 'retry' && own && own.assigned < own.capacity) ? own : undefined;
      const agent = pinned ?? agents.filter((a) => a.assigned < a.capacity).sort((a, b) => a.assigned / a.capacity - b.assigned / b.capacity)[0];
      if (!agent) {
        rolledOverCount++;
        overflow.push(draft);
        return;
      }
      agent.assigned++;
      draft.agent = agent.name;
      draft.position = agent.assigned;
      items.push(draft);
    };
    // Customers with a due reason, other than those already settled (claimed, done) or carried over.
    const dueCustomers = countDueCustomers(db, [...fixedCustomers, ...carriedCustomers]);
    let c = 0;
    let readCustomers = 0;
    const placedIds: string[] = [];
    const full = () => agents.every((a) => a.assigned >= a.capacity);
    // Read the due reasons in list order, a bounded number at a time; a customer's first reason is
    // their item. Stop once the day is full and enough of what did not fit is shown.
    const wanted = capacity + fixedCustomers.size + RETURNED_OVERFLOW;
    let limit = wanted * 4;
    const seen = new Set<string>();
    for (;;) {
      const rows = dueReasonsInOrder(db, factsParams, limit, order);
      let stopped = false;
      for (const row of rows) {
        if (seen.has(row.customerId)) continue;
        seen.add(row.customerId);
        if (fixedCustomers.has(row.customerId)) continue;
        if (appointed.has(row.customerId)) {
          readCustomers++;
          continue;
        }
        if (!carriedCustomers.has(row.customerId)) readCustomers++;
        const draft = fromWinner(row, date);
        if (carriedCustomers.has(row.customerId)) {
          // The carried item and today's reason are one call: keep whichever comes first.
          const carriedDraft = carriedQueue.find((d) => d.customerId === row.customerId)!;
          // The same reason found again keeps its first day's deadline (overdue, never silently);
          // a different one wins when it ranks higher.
          const same = carriedDraft.scenario === draft.scenario && carriedDraft.ref === draft.ref;
          if (same || rank(carriedDraft, draft) <= 0) continue;
          carriedQueue.splice(carriedQueue.indexOf(carriedDraft), 1);
        }
        while (c < carriedQueue.length && rank(carriedQueue[c], draft) <= 0) place(carriedQueue[c++]);
        place(draft);
        placedIds.push(row.customerId);
        if (full() && overflow.length >= RETURNED_OVERFLOW) {
          stopped = true;
          break;
        }
      }
      // Read again with a larger bound only if this one ran out before the day was settled.
      if (stopped || rows.length < limit) break;
      seen.clear();
      readCustomers = 0;
      items.length = 0;
      overflow.length = 0;
      rolledOverCount = 0;
      placedIds.length = 0;
      c = 0;
      for (const agent of agents) agent.assigned = fixedAssigned.get(agent.name) ?? 0;
      carriedQueue.splice(0, carriedQueue.length, ...carriedAll);
      limit *= 4;
    }
    while (c < carriedQueue.length) place(carriedQueue[c++]);
    rolledOverCount += dueCustomers - readCustomers;
    dueByScenario = dueCustomersByScenario(db);
    // The appointments join the list in its order: each agent's calling order is renumbered after
    // what they already hold (claimed, done).
    items.push(...appointments);
    for (const agent of agents) {
      const mine = items.filter((d) => d.agent === agent.name).sort(rank);
      mine.forEach((d, i) => (d.position = (baseAssigned.get(agent.name) ?? 0) + i + 1));
    }
    // Of the rest, what would not come back by itself tomorrow is kept on tomorrow's list.
    const inOverflow = new Set(overflow.map((d) => d.customerId));
    const closing = closingWinners(db, factsParams, rolledTo, PERSISTING, placedIds, order);
    for (const row of closing.winners) {
      if (!inOverflow.has(row.customerId)) overflow.push(fromWinner(row, date));
    }

    // The "also" reasons of the items that are kept (those of the closing ones were read with them).
    const kept = [...items, ...overflow];
    const also = new Map<string, StoredReason[]>();
    const toStored = (rows: DueReasonRow[]) => rows.map((row) => ({ scenario: row.scenario as ScenarioId, ref: row.ref, params: JSON.parse(row.params) }));
    const ids: string[] = [];
    for (const draft of kept) {
      if (draft.rolledFrom !== null) continue;
      const known = closing.dueReasons.get(draft.customerId);
      if (known) also.set(draft.customerId, toStored(known));
      else ids.push(draft.customerId);
    }
    for (let i = 0; i < ids.length; i += 5000) {
      for (const row of dueReasonsOf(db, ids.slice(i, i + 5000))) {
        const list = also.get(row.customerId) ?? [];
        list.push(...toStored([row]));
        also.set(row.customerId, list);
      }
    }
    for (const draft of kept) {
      const all = also.get(draft.customerId);
      if (draft.rolledFrom !== null || !all) continue;
      const main = draft.storedReasons[0];
      draft.storedReasons = [main, ...all.filter((r) => !(r.scenario === main.scenario && r.ref === main.ref))];
      draft.reasons = JSON.stringify(draft.storedReasons);
    }
  } finally {
    endReasons(db);
  }

  const overflowItems = overflow
    .filter((d) => !comesBack(d, rolledTo))
    .map((d, i) => ({ ...d, planDate: rolledTo, rolledFrom: date, agent: d.pinnedAgent, position: i + 1 }));
  const now = (options.now ?? (() => new Date()))().toISOString();
  savePlan(db, date, rolledTo, items, overflowItems, now);

  const drafts = new Map(items.map((d) => [d.customerId, d]));
  const saved = planItemsOn(db, date);
  const listItems = saved
    .map((row): CallListItem => {
      const reasons = JSON.parse(row.reasons) as StoredReason[];
      return {
        id: row.id,
        customerId: row.customerId,
        name: row.name,
        phone: row.phone,
        segments: drafts.get(row.customerId)?.segments ?? fixedSegments.get(row.customerId) ?? [],
        scenario: row.scenario as ScenarioId,
        urgent: row.urgent === 1,
        dueBy: row.dueBy,
        agent: row.agent,
        position: row.position,
        status: row.status,
        reason: describeReasons(reasons),
        reasons,
        valueFen: row.valueFen,
        rolledFrom: row.rolledFrom,
      };
    })
    .sort(rank);
  return {
    date,
    workingDay,
    planned: true,
    items: listItems,
    rolledOver: overflow.slice(0, RETURNED_OVERFLOW).map((d, i) => ({
      customerId: d.customerId,
      name: d.name,
      phone: d.phone,
      segments: d.segments,
      scenario: d.scenario,
      urgent: d.urgent,
      dueBy: d.dueBy,
      agent: d.pinnedAgent,
      // Its place in the order of what did not fit: the first would be the next to get a place.
      position: i + 1,
      status: 'pending' as const,
      reason: describeReasons(d.storedReasons),
      reasons: d.storedReasons,
      valueFen: d.valueFen,
      rolledFrom: date,
    })),
    rolledOverCount,
    backlog: backlogOf(items.length, rolledOverCount, capacity, dueByScenario),
    rolledTo: rolledOverCount > 0 ? rolledTo : null,
    uncoveredYears: [...calendar.uncoveredYears].sort(),
    agents,
    overdueIssues: countOverdue(db, date),
  };
}

function backlogOf(fit: number, rolledOver: number, capacity: number, byScenario: Record<string, number>): CallList['backlog'] {
  const days = (n: number) => (capacity > 0 ? Math.round((n / capacity) * 10) / 10 : 0);
  return {
    due: fit + rolledOver,
    fit,
    capacity,
    days: days(fit + rolledOver),
    byScenario: Object.fromEntries(Object.entries(byScenario).map(([id, n]) => [id, { customers: n, days: days(n) }])),
  };
}

/**
 * Will this reason be found again on `next` by itself? Segment reasons (churn warning, VIP care,
 * survey), open complaints, callbacks and retries persist until someone calls; a window reason
 * persists while its window is still open then. Only the others need keeping on the next list.
 */
function comesBack(draft: Draft, next: string): boolean {
  if (draft.rolledFrom !== null) return false;
  return persists(draft.scenario) || draft.dueBy >= next;
}

/** Reasons that stay until someone calls, whatever the day. */
const PERSISTING = ['churn-warning', 'vip-care', 'survey', 'complaint-open', 'callback', 'retry'];

function persists(scenario: string): boolean {
  return PERSISTING.includes(scenario);
}

/**
 * A list item in the making, from a carried-over item or from a ranked reason: both have the
 * customer, the winning reason's scenario, urgency, due day, ref and pinned agent, value and contact.
 */
function draftOf(
  source: { customerId: string; scenario: string; urgent: number; dueBy: string; agent: string | null; ref: string | null; valueFen: number; name: string; phone: string | null },
  date: string,
  storedReasons: StoredReason[],
  extra: { rolledFrom: string | null; segments: SegmentId[] },
): Draft {
  return {
    planDate: date,
    customerId: source.customerId,
    scenario: source.scenario as ScenarioId,
    urgent: source.urgent === 1,
    dueBy: source.dueBy,
    agent: null,
    pinnedAgent: source.agent,
    position: 0,
    reasons: JSON.stringify(storedReasons),
    storedReasons,
    ref: source.ref,
    valueFen: source.valueFen,
    name: source.name,
    phone: source.phone,
    ...extra,
  };
}

function fromWinner(row: WinnerRow, date: string): Draft {
  const stored: StoredReason = { scenario: row.scenario as ScenarioId, ref: row.ref, params: JSON.parse(row.params) };
  const segments = (JSON.parse(row.segmentsJson) as (SegmentId | null)[]).filter((s): s is SegmentId => s !== null);
  return draftOf(row, date, [stored], { rolledFrom: null, segments });
}
