// The morning call list (回访清单): who to call on day D, why, how urgent, by when, and which agent.
//
//   candidates (SQL: order/complaint windows, earlier calls, segments)
//     → per scenario: due / not yet due / excluded, by the scenario windows and contact rules
//     → per customer: the most urgent due reason wins, the others are kept as "also"
//     → ordered: urgent first, then by due date, then by customer value
//     → shared among the agents up to their capacity; the rest rolls to the next working day.
//
// Everything here is a plain function of the database, the settings and the date: the same data
// and date give the same list.

import type { Config, ScenarioId } from '../core/config.js';
import { t, type MessageId } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import {
  factsForPlanning,
  pendingBefore,
  planItemsOn,
  savePlan,
  unansweredCustomers,
  windowCandidates,
  type CandidateRow,
  type NewPlanItem,
  type PlanItemRow,
} from '../storage/plans.js';
import type { CustomerFacts } from '../storage/segments.js';
import { addDays, daysBetween, workingCalendar, type WorkingCalendar } from './calendar.js';
import { segmentParams, segmentsOf, type SegmentId, type SegmentRules } from './segments.js';
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

export function segmentRulesFrom(config: Config): SegmentRules {
  const s = config.segments;
  return {
    newWithinDays: s.newWithinDays,
    vipTiers: s.vip.tiers,
    vipSpend12mYuan: s.vip.spend12mYuan,
    vipOrders12m: s.vip.orders12m,
    churnInactiveDays: s.churn.inactiveDays,
    churnFrequencyDrop: s.churn.frequencyDrop,
    churnWindowDays: s.churn.windowDays,
    lostAfterDays: (s as { lostAfterDays?: number }).lostAfterDays ?? 365,
    complaintRecentDays: s.complaintRecentDays,
  };
}

export function calendarFrom(config: Config): WorkingCalendar {
  return workingCalendar({ holidays: config.calendar.holidays, workdays: config.calendar.workdays });
}

/** One reason to call, after the rules: the unit `explain` shows and the planner ranks. */
export interface Reason {
  scenario: ScenarioId;
  ref: string | null;
  urgent: boolean;
  dueBy: string;
  /** due: on today's list; not-yet: from `from`; excluded: why in `exclusion`. */
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
  | { code: 'contacted'; days: number; lastCall: string; minDays: number }
  | { code: 'attempts-exhausted'; attempts: number; max: number }
  | { code: 'window-passed'; until: string }
  | { code: 'already-followed-up'; on: string }
  | { code: 'unknown-calendar'; years: string };

export interface PlanOptions {
  date: string;
  /** The agents in today (default: all configured). */
  agents?: string[];
  /** Plan even on a day off. */
  force?: boolean;
  /** For tests and the import log: the clock for updated_at. */
  now?: () => Date;
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

export interface StoredReason {
  scenario: ScenarioId;
  ref: string | null;
  params: Record<string, string | number>;
}

export interface CallList {
  date: string;
  workingDay: boolean;
  /** False when the day is off and --force was not given: no list was made. */
  planned: boolean;
  items: CallListItem[];
  /** Items that did not fit today's capacity: on the list of `rolledTo`. */
  rolledOver: CallListItem[];
  rolledTo: string | null;
  /** Years the calendar does not cover that a due date reached. */
  uncoveredYears: number[];
  agents: { name: string; capacity: number; assigned: number }[];
}

// -----------------------------------------------------------------------------------------------
// Candidates → reasons

export interface PlanContext {
  db: Db;
  config: Config;
  date: string;
  calendar: WorkingCalendar;
  rules: SegmentRules;
}

function enabledScenarios(config: Config): Set<string> {
  const on = new Set<string>(['callback', 'retry', 'confirmation']);
  for (const [id, settings] of Object.entries(config.scenarios)) if (settings.enabled) on.add(id);
  return on;
}

/** Every reason to call each customer on `date`, due or not, with the customer's facts. */
export function reasonsByCustomer(ctx: PlanContext, onlyCustomer?: string): Map<string, { facts: CustomerFacts; reasons: Reason[] }> {
  const { db, config, date, calendar } = ctx;
  const s = config.scenarios;
  const enabled = enabledScenarios(config);
  // A complaint resolved N working days ago is at most ~N+10 calendar days ago, even across 春节.
  const resolvedSince = addDays(date, -(s['complaint-resolved'].withinWorkingDays + 15));
  const windows = windowCandidates(
    db,
    {
      afterSaleFrom: addDays(date, -s['after-sale'].toDays),
      afterSaleTo: addDays(date, -s['after-sale'].fromDays + 1),
      usageFrom: addDays(date, -s['usage-check'].toDays),
      usageTo: addDays(date, -s['usage-check'].fromDays + 1),
      usageMinFen: Math.round(s['usage-check'].minOrderYuan * 100),
      firstFrom: addDays(date, -s['first-experience'].toDays),
      firstTo: addDays(date, -s['first-experience'].fromDays + 1),
      resolvedSince,
      dNext: addDays(date, 1),
    },
    enabled,
    onlyCustomer,
  );
  const retries = enabled.has('retry')
    ? unansweredCustomers(db, addDays(date, 1)).filter((r) => onlyCustomer === undefined || r.customerId === onlyCustomer)
    : [];

  const ids = [...new Set([...windows.map((c) => c.customerId), ...retries.map((r) => r.customerId), ...(onlyCustomer ? [onlyCustomer] : [])])];
  const params = segmentParams(ctx.rules, date);
  const facts = factsForPlanning(db, params, ids, enabled.has('survey'));
  const out = new Map<string, { facts: CustomerFacts; reasons: Reason[] }>();
  for (const f of facts) if (onlyCustomer === undefined || f.id === onlyCustomer) out.set(f.id, { facts: f, reasons: [] });

  for (const c of windows) {
    const entry = out.get(c.customerId);
    if (entry) entry.reasons.push(windowReason(ctx, c));
  }
  for (const r of retries) {
    const entry = out.get(r.customerId);
    if (!entry) continue;
    const next = calendar.addWorkingDays(r.lastAttemptAt.slice(0, 10), config.contact.retryAfterWorkingDays);
    const reason: Reason = {
      scenario: 'retry',
      ref: r.planItemId === null ? null : String(r.planItemId),
      urgent: false,
      dueBy: next,
      status: next <= date ? 'due' : 'not-yet',
      from: next,
      agent: r.agent,
      params: { attempts: r.attempts, last: r.lastAttemptAt.slice(0, 10), original: r.scenario },
    };
    if (r.attempts >= config.contact.maxAttempts) {
      reason.status = 'excluded';
      reason.exclusion = { code: 'attempts-exhausted', attempts: r.attempts, max: config.contact.maxAttempts };
    }
    entry.reasons.push(reason);
  }
  for (const { facts: f, reasons } of out.values()) segmentReasons(ctx, f, reasons, enabled);
  for (const { facts: f, reasons } of out.values()) applyContactRules(ctx, f, reasons);
  return out;
}

function windowReason(ctx: PlanContext, c: CandidateRow): Reason {
  const { config, date, calendar } = ctx;
  const s = config.scenarios;
  const scenario = c.scenario as ScenarioId;
  const base = { scenario, ref: c.ref, agent: c.agent, urgent: false };
  switch (scenario) {
    case 'after-sale':
    case 'usage-check':
    case 'first-experience': {
      const window = s[scenario];
      const from = addDays(c.anchor, window.fromDays);
      const dueBy = addDays(c.anchor, window.toDays);
      const reason: Reason = {
        ...base,
        dueBy,
        from,
        status: from <= date ? 'due' : 'not-yet',
        params: { order: c.ref ?? '', day: c.anchor, days: daysBetween(c.anchor, date), amount: formatYuan(c.amountFen ?? 0) },
      };
      if (dueBy < date) {
        reason.status = 'excluded';
        reason.exclusion = { code: 'window-passed', until: dueBy };
      }
      return reason;
    }
    case 'complaint-open': {
      const hours = s['complaint-open'].dueHours;
      return {
        ...base,
        urgent: true,
        dueBy: addDays(c.anchor, Math.max(0, Math.ceil(hours / 24))),
        status: 'due',
        params: { complaint: c.ref ?? '', day: c.anchor, category: c.detail ?? '' },
      };
    }
    case 'complaint-resolved': {
      const dueBy = calendar.addWorkingDays(c.anchor, s['complaint-resolved'].withinWorkingDays);
      const reason: Reason = {
        ...base,
        dueBy,
        status: 'due',
        params: { complaint: c.ref ?? '', day: c.anchor, category: c.detail ?? '', within: s['complaint-resolved'].withinWorkingDays },
      };
      if (dueBy < date) {
        reason.status = 'excluded';
        reason.exclusion = { code: 'window-passed', until: dueBy };
      }
      return reason;
    }
    case 'callback':
      return {
        ...base,
        dueBy: c.anchor < date ? date : c.anchor,
        status: c.anchor <= date ? 'due' : 'not-yet',
        from: c.anchor,
        params: { day: c.anchor, time: c.detail ?? '' },
      };
    default:
      return { ...base, dueBy: date, status: 'due', params: {} };
  }
}

function segmentReasons(ctx: PlanContext, f: CustomerFacts, reasons: Reason[], enabled: Set<string>): void {
  const { config, date } = ctx;
  const s = config.scenarios;
  const lastCall = f.lastCallAt ? f.lastCallAt.slice(0, 10) : null;
  if (enabled.has('churn-warning') && f.isChurn) {
    const urgent = Boolean(f.isVip);
    const dueBy = urgent ? addDays(date, Math.max(0, Math.ceil(s['churn-warning'].highValueDueHours / 24) - 1)) : addDays(date, s['churn-warning'].dueDays);
    reasons.push({
      scenario: 'churn-warning',
      ref: null,
      urgent,
      dueBy,
      status: 'due',
      agent: null,
      params: { last: (f.lastInteractionAt ?? '').slice(0, 10), days: f.lastInteractionAt ? daysBetween(f.lastInteractionAt.slice(0, 10), date) : 0, spend: formatYuan(f.spend12mFen) },
    });
  }
  if (enabled.has('vip-care') && f.isVip) {
    const every = s['vip-care'].everyDays;
    const from = lastCall ? addDays(lastCall, every) : date;
    reasons.push({
      scenario: 'vip-care',
      ref: null,
      urgent: false,
      dueBy: from > date ? from : addDays(date, 7),
      from,
      status: from <= date ? 'due' : 'not-yet',
      agent: null,
      params: { every, last: lastCall ?? '' },
    });
  }
  if (enabled.has('survey') && f.ordersTotal > 0) {
    const every = s.survey.everyDays;
    const from = lastCall ? addDays(lastCall, every) : date;
    reasons.push({
      scenario: 'survey',
      ref: null,
      urgent: false,
      dueBy: from > date ? from : addDays(date, 14),
      from,
      status: from <= date ? 'due' : 'not-yet',
      agent: null,
      params: { every, last: lastCall ?? '' },
    });
  }
}

/** Do-not-call, no phone, the interval between follow-ups, a call already made about it. */
function applyContactRules(ctx: PlanContext, f: CustomerFacts, reasons: Reason[]): void {
  const { config, date } = ctx;
  const exempt = new Set<string>(config.contact.exempt);
  const lastCall = f.lastCallAt ? f.lastCallAt.slice(0, 10) : null;
  for (const reason of reasons) {
    if (reason.status === 'excluded') continue;
    // A completed call on or after the day the reason arose has already dealt with it.
    const anchor = (reason.params.day as string | undefined) ?? null;
    if (lastCall && anchor && reason.scenario !== 'callback' && lastCall >= anchor && reason.scenario !== 'complaint-open') {
      reason.status = 'excluded';
      reason.exclusion = { code: 'already-followed-up', on: lastCall };
      continue;
    }
    if (f.doNotCall) {
      reason.status = 'excluded';
      reason.exclusion = { code: 'do-not-call' };
    } else if (!f.phone) {
      reason.status = 'excluded';
      reason.exclusion = { code: 'no-phone' };
    } else if (!exempt.has(reason.scenario) && lastCall && daysBetween(lastCall, date) < config.contact.minDaysBetween) {
      reason.status = 'excluded';
      reason.exclusion = { code: 'contacted', days: daysBetween(lastCall, date), lastCall, minDays: config.contact.minDaysBetween };
    }
  }
}

// -----------------------------------------------------------------------------------------------
// Ranking and capacity

const scenarioRank = (s: ScenarioId) => {
  const i = SCENARIO_ORDER.indexOf(s);
  return i < 0 ? SCENARIO_ORDER.length : i;
};

/** The order of a day's list: urgent first, then by due date, then by value, then stable by id. */
export function compareItems(
  a: { urgent: boolean; dueBy: string; scenario: ScenarioId; valueFen: number; customerId: string },
  b: typeof a,
): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  if (a.dueBy !== b.dueBy) return a.dueBy < b.dueBy ? -1 : 1;
  if (a.valueFen !== b.valueFen) return b.valueFen - a.valueFen;
  if (a.scenario !== b.scenario) return scenarioRank(a.scenario) - scenarioRank(b.scenario);
  return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
}

function compareReasons(a: Reason, b: Reason): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  if (a.dueBy !== b.dueBy) return a.dueBy < b.dueBy ? -1 : 1;
  return scenarioRank(a.scenario) - scenarioRank(b.scenario);
}

export function reasonText(reason: StoredReason): string {
  return t(`reason.${reason.scenario}` as MessageId, reason.params);
}

export function describeReasons(reasons: StoredReason[]): string {
  const [first, ...others] = reasons;
  if (!first) return '';
  const main = reasonText(first);
  if (others.length === 0) return main;
  return `${main}${t('reason.also', { others: others.map(reasonText).join('; ') })}`;
}

export function parseDayOff(calendar: WorkingCalendar, date: string): boolean {
  return !calendar.isWorkingDay(date);
}

/** Builds (or rebuilds) the call list of `options.date` and saves it. */
export function planCallList(db: Db, config: Config, options: PlanOptions): CallList {
  const date = options.date;
  const calendar = calendarFrom(config);
  const rules = segmentRulesFrom(config);
  const workingDay = calendar.isWorkingDay(date);
  const agents = (options.agents ?? config.agents.map((a) => a.name)).map((name) => {
    const configured = config.agents.find((a) => a.name === name);
    return { name, capacity: configured?.capacity ?? config.agents[0]?.capacity ?? 40, assigned: 0 };
  });
  const empty: CallList = { date, workingDay, planned: false, items: [], rolledOver: [], rolledTo: null, uncoveredYears: [], agents };
  if (!workingDay && !options.force) return empty;

  const ctx: PlanContext = { db, config, date, calendar, rules };
  const byCustomer = reasonsByCustomer(ctx);

  // What is already on the day's list and cannot change: claimed or done.
  const existing = planItemsOn(db, date);
  const fixed = existing.filter((i) => i.status !== 'pending');
  const fixedCustomers = new Set(fixed.map((i) => i.customerId));
  for (const item of fixed) {
    const agent = agents.find((a) => a.name === item.agent);
    if (agent) agent.assigned++;
  }

  // Earlier days' items nobody took up carry over.
  const carried = pendingBefore(db, date);

  interface Draft extends NewPlanItem {
    scenario: ScenarioId;
    name: string;
    phone: string | null;
    segments: SegmentId[];
    storedReasons: StoredReason[];
    pinnedAgent: string | null;
  }
  const drafts = new Map<string, Draft>();
  for (const [customerId, { facts, reasons }] of byCustomer) {
    if (fixedCustomers.has(customerId)) continue;
    const due = reasons.filter((r) => r.status === 'due').sort(compareReasons);
    if (due.length === 0) continue;
    const stored = due.map((r) => ({ scenario: r.scenario, ref: r.ref, params: r.params }));
    drafts.set(customerId, {
      planDate: date,
      customerId,
      scenario: due[0].scenario,
      urgent: due[0].urgent,
      dueBy: due[0].dueBy,
      agent: null,
      pinnedAgent: due[0].agent,
      position: 0,
      reasons: JSON.stringify(stored),
      storedReasons: stored,
      ref: due[0].ref,
      valueFen: facts.spend12mFen,
      rolledFrom: null,
      name: facts.name,
      phone: facts.phone,
      segments: segmentsOf(facts),
    });
  }
  for (const item of carried) {
    if (fixedCustomers.has(item.customerId)) continue;
    const entry = byCustomer.get(item.customerId);
    const facts = entry?.facts;
    if (facts?.doNotCall) continue; // do-not-call is absolute, even for a carried item
    const previous = drafts.get(item.customerId);
    const storedReasons = JSON.parse(item.reasons) as StoredReason[];
    const carriedDraft: Draft = {
      planDate: date,
      customerId: item.customerId,
      scenario: item.scenario as ScenarioId,
      urgent: item.urgent === 1,
      dueBy: item.dueBy,
      agent: null,
      pinnedAgent: item.agent,
      position: 0,
      reasons: item.reasons,
      storedReasons,
      ref: item.ref,
      valueFen: item.valueFen,
      rolledFrom: item.rolledFrom ?? item.planDate,
      name: item.name,
      phone: item.phone,
      segments: facts ? segmentsOf(facts) : [],
    };
    if (!previous || compareItems(carriedDraft, previous) < 0) drafts.set(item.customerId, carriedDraft);
  }

  const ordered = [...drafts.values()].sort(compareItems);
  const items: Draft[] = [];
  const overflow: Draft[] = [];
  for (const draft of ordered) {
    // A callback is an appointment the customer made with that agent: it stays theirs, over capacity if need be.
    const pinned = draft.pinnedAgent && draft.scenario === 'callback' ? agents.find((a) => a.name === draft.pinnedAgent) : undefined;
    const agent =
      pinned ??
      agents.filter((a) => a.assigned < a.capacity).sort((a, b) => a.assigned / a.capacity - b.assigned / b.capacity)[0];
    if (!agent) {
      overflow.push(draft);
      continue;
    }
    agent.assigned++;
    draft.agent = agent.name;
    draft.position = agent.assigned;
    items.push(draft);
  }
  const rolledTo = calendar.nextWorkingDay(date);
  const overflowItems = overflow.map((d, i) => ({ ...d, planDate: rolledTo, rolledFrom: date, agent: d.pinnedAgent, position: i + 1 }));

  const now = (options.now ?? (() => new Date()))().toISOString();
  savePlan(
    db,
    date,
    rolledTo,
    carried.map((c) => c.id),
    items,
    overflowItems,
    now,
  );

  const saved = planItemsOn(db, date);
  const toItem = (row: PlanItemRow, draft: Draft | undefined): CallListItem => {
    const reasons = JSON.parse(row.reasons) as StoredReason[];
    return {
      id: row.id,
      customerId: row.customerId,
      name: row.name,
      phone: row.phone,
      segments: draft?.segments ?? [],
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
  };
  const listItems = saved.map((row) => toItem(row, drafts.get(row.customerId))).sort((a, b) => compareItems(a, b));
  return {
    date,
    workingDay,
    planned: true,
    items: listItems,
    rolledOver: overflowItems.map((d) => ({
      customerId: d.customerId,
      name: d.name,
      phone: d.phone,
      segments: d.segments,
      scenario: d.scenario,
      urgent: d.urgent,
      dueBy: d.dueBy,
      agent: d.agent,
      position: d.position,
      status: 'pending' as const,
      reason: describeReasons(d.storedReasons),
      reasons: d.storedReasons,
      valueFen: d.valueFen,
      rolledFrom: date,
    })),
    rolledTo: overflow.length > 0 ? rolledTo : null,
    uncoveredYears: [...calendar.uncoveredYears].sort(),
    agents,
  };
}
