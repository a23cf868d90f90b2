import type { EvidenceItem } from '../portfolio-facts-schema.ts';
import { combineStatuses, countStatus } from '../status.ts';
import type { Reason, Status } from '../verdict.ts';
import { NO_TARGETS, type RuleKind } from './rule-kind.ts';

// Shared by every verdict that gives it, so frozen.
const NO_PERFORMANCE_EVIDENCE: Reason = Object.freeze({ code: 'no_performance_evidence', params: Object.freeze({}) });

/**
 * "Different customers on different occasions over a sufficient period of time": the figures are
 * the centre's policy (two customers, two occasions, more than one day by default).
 * Reads: the performance evidence that counted: its occasions (an item without one stands for the
 * occasion of its date), customers and dates.
 * Gives: met when each measure the rule asks for reaches the policy's figure; a reason per measure.
 */
export const sufficiencyOverTime: RuleKind<'sufficiency-over-time'> = {
  targets: NO_TARGETS,
  judge(rule, _targets, { findings, policy }) {
    const { items, status, firstDay, lastDay } = findings.performance;
    if (items.length === 0) return { status, reasons: [NO_PERFORMANCE_EVIDENCE] };
    const statuses: Status[] = [];
    const reasons: Reason[] = [];
    if (rule.distinctOccasions) {
      const count = countOccasions(items);
      statuses.push(countStatus(count, policy.minDistinctOccasions));
      reasons.push({ code: 'distinct_occasions', params: { count, required: policy.minDistinctOccasions } });
    }
    if (rule.distinctCustomers) {
      const count = countCustomers(items);
      statuses.push(countStatus(count, policy.minDistinctCustomers));
      reasons.push({ code: 'distinct_customers', params: { count, required: policy.minDistinctCustomers } });
    }
    if (rule.overPeriod) {
      const days = lastDay - firstDay;
      statuses.push(days >= policy.minPeriodDays ? 'met' : 'partly-met');
      reasons.push({ code: 'evidence_period', params: { days, required: policy.minPeriodDays } });
    }
    return { status: combineStatuses(statuses), reasons };
  },
};

/** Distinct occasions: by occasion id, or by date for items without one. */
export function countOccasions(items: readonly EvidenceItem[]): number {
  const occasions = new Set<string>();
  const dates = new Set<string>();
  for (const item of items) {
    if (item.occasionId) occasions.add(item.occasionId);
    else dates.add(item.date);
  }
  return occasions.size + dates.size;
}

/** Distinct customers among the items that name one. */
export function countCustomers(items: readonly EvidenceItem[]): number {
  const customers = new Set<string>();
  for (const item of items) if (item.customerId) customers.add(item.customerId);
  return customers.size;
}
