import { combineStatuses } from '../status.ts';
import { requirementsNamed, type RuleKind } from './rule-kind.ts';

/**
 * "Examples of resolving problems involving each of" a–e (seed 002): evidence for each requirement
 * it names. A named lettered item makes its requirement required too.
 * Reads: each named requirement's status from its own evidence (a lettered one's from its items).
 * Gives: met when all are met; the ones that are not, by key.
 */
export const evidenceRequired: RuleKind<'evidence-required'> = {
  targets: (rule, unit, at) => requirementsNamed(rule.requirements, unit, at),
  demand(_rule, targets, demands, unit) {
    for (const i of targets.indexes) {
      (demands.requirements[i] as { isRequired: boolean }).isRequired = true;
      const parentRef = unit.requirements[i]?.parentRef;
      const parent = parentRef === null || parentRef === undefined ? undefined : unit.findRequirement(parentRef);
      if (parent !== undefined) (demands.requirements[parent] as { isRequired: boolean }).isRequired = true;
    }
  },
  judge(_rule, targets, { requirementStatuses }) {
    const statuses = targets.indexes.map((i) => requirementStatuses[i] ?? 'not-met');
    const missing = targets.keys.filter((_, t) => statuses[t] !== 'met');
    if (missing.length === 0) return { status: combineStatuses(statuses), reasons: [{ code: 'requirements_met', params: { count: targets.indexes.length } }] };
    return { status: combineStatuses(statuses), reasons: [{ code: 'requirements_not_met', params: { missing } }] };
  },
};
