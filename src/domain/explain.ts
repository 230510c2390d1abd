// `followup explain CUSTOMER`: everything the planner knows about one customer on day D, so that a
// team lead can answer "why is (or isn't) X on today's list?": their segments and the figures behind
// them, the segments they just miss, every scenario (due, not yet due, excluded and why, switched off,
// or not applicable), and where they are on D's saved list.
//
// A plain function of the database, the settings, the date and the id; it changes nothing.

import { PLANNED_SCENARIO_IDS, SCENARIO_IDS, type Config, type PlannedScenarioId, type ScenarioId } from '../core/config.js';
import type { Db } from '../storage/db.js';
import { listEntryOn, listSize, nextListEntryAfter, type ListEntry } from '../storage/lookups.js';
import type { CustomerFacts } from '../storage/segments.js';
import { daysBetween } from './calendar.js';
import { calendarFrom, reasonsByCustomer, segmentRulesFrom, type Exclusion, type Reason, type StoredReason } from './plan.js';
import { factsOf, segmentEvidence, type SegmentId, type SegmentRules } from './segments.js';
import { formatYuan } from './values.js';

/** Why the customer is not in one of the main segments, with the figures (a code and message params). */
export type SegmentMissCode =
  | 'new-no-order'
  | 'new-old'
  | 'vip'
  | 'churn-no-order'
  | 'churn-lost'
  | 'churn-active'
  | 'churn-active-orders'
  | 'complaint-none'
  | 'complaint-old';

export interface SegmentMiss {
  segment: SegmentId;
  code: SegmentMissCode;
  params: Record<string, string | number>;
}

/** Why a scenario does not concern the customer at all. */
export type NotApplicableCode =
  | 'no-order'
  | 'no-large-order'
  | 'no-open-complaint'
  | 'no-resolved-complaint'
  | 'not-churn-risk'
  | 'not-vip'
  | 'no-callback'
  | 'no-unanswered-call'
  | 'no-fixed-issue';

export type FindingState = 'due' | 'not-yet' | 'excluded' | 'off' | 'not-applicable';

export interface ScenarioFinding {
  scenario: ScenarioId;
  state: FindingState;
  urgent: boolean;
  /** due, not-yet, excluded: the day the call is due by. */
  dueBy: string | null;
  /** not-yet: the first day it is due. */
  from: string | null;
  /** The order, complaint or call behind it. */
  ref: string | null;
  /** due, not-yet, excluded: the reason in the planner's words (see reasonText). */
  reason: StoredReason | null;
  exclusion: Exclusion | null;
  notApplicable: NotApplicableCode | null;
  /** Parameters of the not-applicable or switched-off message. */
  params: Record<string, string | number>;
  /** The customer's item on D's saved list is for this reason. */
  onList: boolean;
}

export interface CustomerExplanation {
  date: string;
  customer: {
    id: string;
    name: string;
    /** E.164 or null; the command masks it. */
    phone: string | null;
    tier: string | null;
    doNotCall: boolean;
  };
  segments: { segment: SegmentId; why: string }[];
  /** The main segments (new, VIP, churn risk, complaint) the customer is not in, and why not. */
  notIn: SegmentMiss[];
  /** Every scenario, in SCENARIO_IDS order; a scenario with several reasons (two open complaints) appears once per reason. */
  scenarios: ScenarioFinding[];
  list: {
    /** Whether a list was saved for D at all, how many calls it has, and the agents' places. */
    made: boolean;
    size: number;
    capacity: number;
    entry: ListEntry | null;
    /** The first later list the customer is on (rolled over), if any. */
    later: ListEntry | null;
  };
  /** Years the calendar does not cover that a due date reached. */
  uncoveredYears: number[];
}

/** The explanation, or undefined when the customer is not in the database. */
export function explainCustomer(db: Db, config: Config, date: string, customerId: string): CustomerExplanation | undefined {
  const rules = segmentRulesFrom(config);
  const facts = factsOf(db, rules, date, customerId);
  if (!facts) return undefined;

  const calendar = calendarFrom(config);
  const found = reasonsByCustomer({ db, config, date, calendar, rules }, customerId).get(customerId);
  const reasons = found?.reasons ?? [];
  const entry = listEntryOn(db, date, customerId) ?? null;

  const scenarios: ScenarioFinding[] = [];
  let listed = false;
  for (const scenario of SCENARIO_IDS) {
    if (isPlanned(scenario) && !config.scenarios[scenario].enabled) {
      scenarios.push(finding(scenario, 'off', { params: { key: `scenarios.${scenario}.enabled` } }));
      continue;
    }
    const mine = reasons.filter((r) => r.scenario === scenario);
    if (mine.length === 0) {
      const [code, params] = notApplicable(scenario, config);
      scenarios.push(finding(scenario, 'not-applicable', { notApplicable: code, params }));
      continue;
    }
    for (const reason of mine) {
      const onList = !listed && entry !== null && entry.scenario === scenario && (entry.ref === null || entry.ref === reason.ref);
      if (onList) listed = true;
      scenarios.push(fromReason(reason, onList));
    }
  }

  return {
    date,
    customer: { id: facts.id, name: facts.name, phone: facts.phone, tier: facts.tier, doNotCall: Boolean(facts.doNotCall) },
    segments: segmentEvidence(facts, rules, date),
    notIn: segmentMisses(facts, rules, date),
    scenarios,
    list: {
      made: listSize(db, date) > 0,
      size: listSize(db, date),
      capacity: config.agents.reduce((sum, a) => sum + a.capacity, 0),
      entry,
      later: nextListEntryAfter(db, date, customerId) ?? null,
    },
    uncoveredYears: [...calendar.uncoveredYears].sort((a, b) => a - b),
  };
}

function isPlanned(scenario: ScenarioId): scenario is PlannedScenarioId {
  return (PLANNED_SCENARIO_IDS as readonly string[]).includes(scenario);
}

function finding(scenario: ScenarioId, state: FindingState, more: Partial<ScenarioFinding> = {}): ScenarioFinding {
  return {
    scenario,
    state,
    urgent: false,
    dueBy: null,
    from: null,
    ref: null,
    reason: null,
    exclusion: null,
    notApplicable: null,
    params: {},
    onList: false,
    ...more,
  };
}

function fromReason(reason: Reason, onList: boolean): ScenarioFinding {
  return finding(reason.scenario, reason.status, {
    urgent: reason.urgent,
    dueBy: reason.dueBy,
    from: reason.status === 'not-yet' ? (reason.from ?? null) : null,
    ref: reason.ref,
    reason: { scenario: reason.scenario, ref: reason.ref, params: reason.params },
    exclusion: reason.exclusion ?? null,
    onList,
  });
}

/** For one customer the planner looks at every order, complaint and call, so no reason means none exists. */
function notApplicable(scenario: ScenarioId, config: Config): [NotApplicableCode, Record<string, string | number>] {
  switch (scenario) {
    case 'after-sale':
    case 'first-experience':
    case 'survey':
      return ['no-order', {}];
    case 'usage-check':
      return ['no-large-order', { min: formatYuan(Math.round(config.scenarios['usage-check'].minOrderYuan * 100)) }];
    case 'complaint-open':
      return ['no-open-complaint', {}];
    case 'complaint-resolved':
      return ['no-resolved-complaint', {}];
    case 'churn-warning':
      return ['not-churn-risk', {}];
    case 'vip-care':
      return ['not-vip', {}];
    case 'callback':
      return ['no-callback', {}];
    case 'retry':
      return ['no-unanswered-call', {}];
    case 'confirmation':
      return ['no-fixed-issue', {}];
  }
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/** Why not new, VIP, churn risk or complaint, each with the customer's figures and the threshold. */
export function segmentMisses(facts: CustomerFacts, rules: SegmentRules, date: string): SegmentMiss[] {
  const out: SegmentMiss[] = [];
  const ago = (iso: string | null) => (iso ? daysBetween(day(iso), date) : 0);
  if (!facts.isNew) {
    out.push(
      facts.firstOrderAt
        ? { segment: 'new', code: 'new-old', params: { first: day(facts.firstOrderAt), days: ago(facts.firstOrderAt), limit: rules.newWithinDays } }
        : { segment: 'new', code: 'new-no-order', params: {} },
    );
  }
  if (!facts.isVip) {
    out.push({
      segment: 'vip',
      code: 'vip',
      params: {
        tier: facts.tier ?? '',
        spend: formatYuan(facts.spend12mFen),
        orders: facts.orders12m,
        minSpend: formatYuan(Math.round(rules.vipSpend12mYuan * 100)),
        minOrders: rules.vipOrders12m,
      },
    });
  }
  if (!facts.isChurn) {
    if (!facts.lastOrderAt) out.push({ segment: 'churn-risk', code: 'churn-no-order', params: {} });
    else if (facts.isLost) {
      out.push({
        segment: 'churn-risk',
        code: 'churn-lost',
        params: { last: day(facts.lastInteractionAt), days: ago(facts.lastInteractionAt), limit: rules.lostAfterDays },
      });
    } else {
      // The frequency comparison only says something when there were orders in the window before.
      out.push({
        segment: 'churn-risk',
        code: facts.ordersBefore > 0 ? 'churn-active-orders' : 'churn-active',
        params: {
          last: day(facts.lastInteractionAt),
          days: ago(facts.lastInteractionAt),
          limit: rules.churnInactiveDays,
          recent: facts.ordersRecent,
          before: facts.ordersBefore,
          window: rules.churnWindowDays,
          share: Math.round(rules.churnFrequencyDrop * 100),
        },
      });
    }
  }
  if (!facts.isComplaint) {
    out.push(
      facts.lastResolvedAt
        ? {
            segment: 'complaint',
            code: 'complaint-old',
            params: { resolved: day(facts.lastResolvedAt), days: ago(facts.lastResolvedAt), limit: rules.complaintRecentDays },
          }
        : { segment: 'complaint', code: 'complaint-none', params: {} },
    );
  }
  return out;
}
