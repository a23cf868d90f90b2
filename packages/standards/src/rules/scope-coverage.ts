import { combineStatuses } from '../status.ts';
import { narrowMethods, scopeItemsNamed, type RuleKind } from './rule-kind.ts';

/**
 * Every scope item it names (or all of them) must be covered, by the listed methods when it lists any.
 * Reads: each named scope item's verdict (evidence of another method was refused while reading it).
 * Gives: met when every named item is met; the covered count and the items still missing.
 */
export const scopeCoverage: RuleKind<'scope-coverage'> = {
  targets: (rule, unit, at) => scopeItemsNamed(rule.items, unit, at),
  demand(rule, targets, demands) {
    for (const i of targets.indexes) {
      const d = demands.scopeItems[i] as { isRequired: boolean; allowedMethods: readonly string[] | null };
      d.isRequired = true;
      if (rule.methods) d.allowedMethods = narrowMethods(d.allowedMethods, rule.methods);
    }
  },
  judge(_rule, targets, { scopeItems }) {
    const statuses = targets.indexes.map((i) => scopeItems[i]?.status ?? 'not-met');
    const missing = targets.keys.filter((_, t) => statuses[t] !== 'met');
    const covered = targets.indexes.length - missing.length;
    const total = targets.indexes.length;
    if (missing.length === 0) return { status: combineStatuses(statuses), reasons: [{ code: 'scope_covered', params: { covered, total } }] };
    return { status: combineStatuses(statuses), reasons: [{ code: 'scope_not_covered', params: { missing, covered, total } }] };
  },
};
