import type { EvidenceFindings } from '../evidence-findings.ts';
import type { Policy } from '../portfolio-facts-schema.ts';
import type { UnitDemands } from '../unit-plan.ts';
import type { UnitIndex } from '../unit-index.ts';
import type { AssessmentRule, AssessmentRuleKind } from '../unit-schema.ts';
import type { Reason, ScopeItemVerdict, StatementVerdict, Status } from '../verdict.ts';

export type RuleOf<K extends AssessmentRuleKind> = Extract<AssessmentRule, { kind: K }>;

/** Which rule of which unit is being resolved, for the error a unit the standards check would refuse gets. */
export type RuleAt = { unitId: string; ruleIndex: number };

/** What a rule names (statements, scope items or evidence requirements, by kind), by place in the unit index and by key as printed. */
export type RuleTargets = { indexes: number[]; keys: string[] };

/** What a rule's verdict may read: what the evidence showed, the verdicts of the targets, and the centre's policy. */
export type RuleFacts = {
  findings: EvidenceFindings;
  statements: readonly StatementVerdict[];
  scopeItems: readonly ScopeItemVerdict[];
  /** Each evidence requirement's status from its own evidence (a lettered one's from its items), before any rule decides it. */
  requirementStatuses: readonly Status[];
  policy: Policy;
};

export type RuleOutcome = { status: Status; reasons: Reason[] };

/**
 * One kind of assessment rule, in three steps. `targets` and `demand` run once per unit, when the
 * unit is planned; `judge` runs for every evaluation and gives the rule's own verdict.
 */
export interface RuleKind<K extends AssessmentRuleKind> {
  /** What the rule names; throws when the unit has no such statement, scope item or requirement. */
  targets(rule: RuleOf<K>, unit: UnitIndex, at: RuleAt): RuleTargets;
  /** What the rule asks of its targets while the evidence is read (which methods count, which settings): most rules ask nothing. */
  demand?(rule: RuleOf<K>, targets: RuleTargets, demands: UnitDemands, unit: UnitIndex): void;
  /** The rule's verdict and the reasons it gives. */
  judge(rule: RuleOf<K>, targets: RuleTargets, facts: RuleFacts): RuleOutcome;
}

export const NO_TARGETS = (): RuleTargets => ({ indexes: [], keys: [] });

export function statementsNamed(names: readonly string[], unit: UnitIndex, at: RuleAt): RuleTargets {
  const indexes = names.map((name) => {
    const found = unit.findStatement(name);
    if (typeof found !== 'number') throw new Error(`unit ${at.unitId}: assessmentRules[${at.ruleIndex}] names ${found === 'ambiguous' ? 'an ambiguous' : 'no such'} statement ${name}; run the standards check`);
    return found;
  });
  return { indexes, keys: indexes.map((i) => unit.statements[i]?.key ?? '') };
}

export function scopeItemsNamed(keys: readonly string[] | 'all', unit: UnitIndex, at: RuleAt): RuleTargets {
  const indexes = keys === 'all' ? unit.scopeItems.map((_, i) => i) : keys.map((key) => found(unit.findScopeItem(key), 'scope item', key, at));
  return { indexes, keys: indexes.map((i) => unit.scopeItems[i]?.key ?? '') };
}

export function requirementsNamed(keys: readonly string[], unit: UnitIndex, at: RuleAt): RuleTargets {
  const indexes = keys.map((key) => found(unit.findRequirement(key), 'evidence requirement', key, at));
  return { indexes, keys: indexes.map((i) => unit.requirements[i]?.key ?? '') };
}

export function found(index: number | undefined, what: string, key: string, at: RuleAt): number {
  if (index === undefined) throw new Error(`unit ${at.unitId}: assessmentRules[${at.ruleIndex}] names no such ${what} ${key}; run the standards check`);
  return index;
}

/** Only the methods both lists allow, in the order the first gives them; the first list alone when there is no earlier one. */
export function narrowMethods(earlier: readonly string[] | null, next: readonly string[]): string[] {
  return earlier === null ? [...new Set(next)] : earlier.filter((method) => next.includes(method));
}
