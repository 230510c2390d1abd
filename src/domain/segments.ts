// Customer segments (客户分层): new, VIP, churn-risk, complaint, plus ordinary, potential and lost.
// A customer can be in several; every membership comes with the facts that put them there.

import type { Config } from '../core/config.js';
import { t } from '../messages/index.js';
import type { Db } from '../storage/db.js';
import {
  customerFacts,
  customersInSegment,
  segmentCounts,
  type CustomerFacts,
  type SegmentCountsRow,
  type SegmentParams,
} from '../storage/segments.js';
import { addDays, daysBetween } from './calendar.js';
import { formatYuan } from './values.js';

export const SEGMENT_IDS = ['new', 'vip', 'churn-risk', 'complaint', 'ordinary', 'potential', 'lost'] as const;
export type SegmentId = (typeof SEGMENT_IDS)[number];

/** The thresholds, from the config's `segments` section. */
export interface SegmentRules {
  newWithinDays: number;
  vipTiers: string[];
  vipSpend12mYuan: number;
  vipOrders12m: number;
  churnInactiveDays: number;
  churnFrequencyDrop: number;
  churnWindowDays: number;
  lostAfterDays: number;
  complaintRecentDays: number;
}

/** Where each segment's flag is in CustomerFacts. */
export const SEGMENT_FLAG: Record<SegmentId, keyof CustomerFacts> = {
  new: 'isNew',
  vip: 'isVip',
  'churn-risk': 'isChurn',
  complaint: 'isComplaint',
  ordinary: 'isOrdinary',
  potential: 'isPotential',
  lost: 'isLost',
};

/** The segment rules of the config's `segments:` section. */
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
    lostAfterDays: s.lostAfterDays,
    complaintRecentDays: s.complaintRecentDays,
  };
}

export function segmentParams(rules: SegmentRules, date: string): SegmentParams {
  return {
    dNext: addDays(date, 1),
    d12m: addDays(date, -365),
    dNew: addDays(date, -rules.newWithinDays),
    dInactiveNext: addDays(date, -rules.churnInactiveDays + 1),
    dWindow: addDays(date, -rules.churnWindowDays + 1),
    dWindowBefore: addDays(date, -2 * rules.churnWindowDays + 1),
    dLostNext: addDays(date, -rules.lostAfterDays + 1),
    dComplaint: addDays(date, -rules.complaintRecentDays),
    vipTiers: rules.vipTiers,
    vipSpend12mFen: Math.round(rules.vipSpend12mYuan * 100),
    vipOrders12m: rules.vipOrders12m,
    churnFrequencyDrop: rules.churnFrequencyDrop,
  };
}

export function segmentsOf(facts: CustomerFacts): SegmentId[] {
  return SEGMENT_IDS.filter((segment) => Boolean(facts[SEGMENT_FLAG[segment]]));
}

export type SegmentCounts = Record<SegmentId, number> & { customers: number };

export function countSegments(db: Db, rules: SegmentRules, date: string): SegmentCounts {
  const row: SegmentCountsRow = segmentCounts(db, segmentParams(rules, date));
  return {
    customers: row.customers,
    new: row.new,
    vip: row.vip,
    'churn-risk': row.churnRisk,
    complaint: row.complaint,
    ordinary: row.ordinary,
    potential: row.potential,
    lost: row.lost,
  };
}

export function factsOf(db: Db, rules: SegmentRules, date: string, customerId: string): CustomerFacts | undefined {
  return customerFacts(db, segmentParams(rules, date), customerId);
}

export function listCustomers(db: Db, rules: SegmentRules, date: string, segment: SegmentId | null, limit: number): CustomerFacts[] {
  return customersInSegment(db, segmentParams(rules, date), segment ? SEGMENT_FLAG[segment] : null, limit);
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/** Why the customer is in each of their segments, in words, with the figures and the thresholds. */
export function segmentEvidence(facts: CustomerFacts, rules: SegmentRules, date: string): { segment: SegmentId; why: string }[] {
  const out: { segment: SegmentId; why: string }[] = [];
  const ago = (iso: string | null) => (iso ? daysBetween(day(iso), date) : 0);
  for (const segment of segmentsOf(facts)) {
    let why: string;
    switch (segment) {
      case 'new':
        why = t('segment.why.new', { first: day(facts.firstOrderAt), days: ago(facts.firstOrderAt), limit: rules.newWithinDays });
        break;
      case 'vip':
        why = facts.isVipByTier
          ? t('segment.why.vipTier', { tier: facts.tier ?? '' })
          : t('segment.why.vipSpend', {
              spend: formatYuan(facts.spend12mFen),
              orders: facts.orders12m,
              minSpend: formatYuan(rules.vipSpend12mYuan * 100),
              minOrders: rules.vipOrders12m,
            });
        break;
      case 'churn-risk':
        why = facts.isChurnInactive
          ? t('segment.why.churnInactive', { last: day(facts.lastInteractionAt), days: ago(facts.lastInteractionAt), limit: rules.churnInactiveDays })
          : t('segment.why.churnDrop', {
              recent: facts.ordersRecent,
              before: facts.ordersBefore,
              window: rules.churnWindowDays,
              share: Math.round(rules.churnFrequencyDrop * 100),
            });
        break;
      case 'complaint':
        why =
          facts.openComplaints > 0
            ? t('segment.why.complaintOpen', { count: facts.openComplaints })
            : t('segment.why.complaintResolved', { resolved: day(facts.lastResolvedAt), days: ago(facts.lastResolvedAt), limit: rules.complaintRecentDays });
        break;
      case 'ordinary':
        why = t('segment.why.ordinary', { orders: facts.ordersTotal, last: day(facts.lastOrderAt) });
        break;
      case 'potential':
        why = t('segment.why.potential');
        break;
      case 'lost':
        why = t('segment.why.lost', { last: day(facts.lastInteractionAt), days: ago(facts.lastInteractionAt), limit: rules.lostAfterDays });
        break;
    }
    out.push({ segment, why });
  }
  return out;
}
