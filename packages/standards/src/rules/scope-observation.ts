import { isObserved, type TargetEvidence } from '../evidence-findings.ts';
import { countStatus } from '../status.ts';
import { scopeItemsNamed, type RuleKind } from './rule-kind.ts';

/**
 * "Two from (a)–(d) must be directly observed" (seed 001).
 * Reads: the usable and pending observations of each scope item it names.
 * Gives: met at `min` observed items, partly met below, waiting when none is observed yet but one
 * awaits the assessor; the reason lists the observed items.
 */
export const scopeObservation: RuleKind<'scope-observation'> = {
  targets: (rule, unit, at) => scopeItemsNamed(rule.items, unit, at),
  judge(rule, targets, { findings }) {
    const evidence = targets.indexes.map((i) => findings.scopeItems[i] as TargetEvidence);
    const observed = targets.keys.filter((_, t) => isObserved(evidence[t] as TargetEvidence));
    const isPending = evidence.some((e) => !isObserved(e) && e.hasPendingObservation);
    const status = countStatus(observed.length, rule.min);
    return {
      status: status === 'not-met' && isPending ? 'not-yet-assessed' : status,
      reasons: [{ code: 'scope_observed_count', params: { observed: observed.length, required: rule.min, items: observed } }],
    };
  },
};
