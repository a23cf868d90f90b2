import { ruleKindOf } from './rules/index.ts';
import type { RuleTargets } from './rules/rule-kind.ts';
import { found } from './rules/rule-kind.ts';
import { planSignOff, type SignOffPlan } from './sign-off.ts';
import { buildUnitIndex, type UnitIndex } from './unit-index.ts';
import type { EvidenceMapping } from './portfolio-facts-schema.ts';
import type { AssessmentRule, Statement, Unit } from './unit-schema.ts';

/** What the unit's rules ask of each target while the evidence is read; filled in by the rule kinds' `demand`. */
export type StatementDemands = { observationRequired: boolean; allowedMethods: readonly string[] | null; inferenceMethods: ReadonlySet<string> | null };
export type ScopeItemDemands = { isRequired: boolean; allowedMethods: readonly string[] | null };
export type RequirementDemands = { isRequired: boolean };
export type UnitDemands = {
  statements: StatementDemands[];
  scopeItems: ScopeItemDemands[];
  requirements: RequirementDemands[];
  /** The work settings performance evidence may come from; null when no rule limits them. */
  allowedSettings: readonly string[] | null;
};

export type PlannedStatement = { key: string; ref: string; kind: Statement['kind']; groupRef: string | null; isKnowledge: boolean; demands: StatementDemands };
export type PlannedScopeItem = { key: string; groupRef: string | null; ref: string; demands: ScopeItemDemands };
export type PlannedRequirement = {
  key: string;
  ref: string;
  parentRef: string | null;
  /** A lettered requirement's items, by place in the list of requirements. */
  children: number[];
  /** Their keys, in the same order. */
  childKeys: readonly string[];
  /** The rules whose `evidenceRequirement` names this requirement, by number, and their kinds. */
  decidingRules: readonly string[];
  decidingRuleIndexes: readonly number[];
  decidingKinds: readonly string[];
  demands: RequirementDemands;
};
export type PlannedRule = { index: number; rule: AssessmentRule; targets: RuleTargets };

/**
 * Where a mapping's ref leads: its target's place among all the unit's targets (statements, then
 * scope items, then evidence requirements), and what the rules demand of it there.
 */
export type MappingTarget = { slot: number; allowedMethods: readonly string[] | null; knowledge: StatementDemands | null };

/** A unit with its keys resolved and its rules' demands on each target worked out: what every evaluation of it reads. */
export type UnitPlan = {
  unitId: string;
  index: UnitIndex;
  statements: PlannedStatement[];
  scopeItems: PlannedScopeItem[];
  requirements: PlannedRequirement[];
  rules: PlannedRule[];
  allowedSettings: readonly string[] | null;
  /** Every ref a mapping may name, as assessors write it (pc:3, 2.b, 4.a), by kind of target; an ambiguous bare ref is missing. */
  statementRefs: ReadonlyMap<string, MappingTarget>;
  scopeItemRefs: ReadonlyMap<string, MappingTarget>;
  requirementRefs: ReadonlyMap<string, MappingTarget>;
  signOff: SignOffPlan;
};

// Keyed by the unit object, so two unit objects under one id (a draft and the published unit)
// never share a plan; a unit is planned once, not at every evaluation.
const plans = new WeakMap<Unit, UnitPlan>();

export function planUnit(unit: Unit): UnitPlan {
  const cached = plans.get(unit);
  if (cached) return cached;
  const index = buildUnitIndex(unit);
  const demands: UnitDemands = {
    statements: index.statements.map(() => ({ observationRequired: false, allowedMethods: null, inferenceMethods: null })),
    scopeItems: index.scopeItems.map(() => ({ isRequired: false, allowedMethods: null })),
    requirements: index.requirements.map(() => ({ isRequired: false })),
    allowedSettings: null,
  };
  const decidedBy = index.requirements.map((): number[] => []);
  const rules = unit.assessmentRules.map((rule, r): PlannedRule => {
    const at = { unitId: unit.id, ruleIndex: r };
    const kind = ruleKindOf(rule);
    const targets = kind.targets(rule, index, at);
    kind.demand?.(rule, targets, demands, index);
    if (rule.evidenceRequirement !== undefined) {
      const decided = found(index.findRequirement(rule.evidenceRequirement), 'evidence requirement', rule.evidenceRequirement, at);
      decidedBy[decided]?.push(r);
      (demands.requirements[decided] as RequirementDemands).isRequired = true;
    }
    return { index: r, rule, targets };
  });
  // Lists that verdicts hand out (allowed methods in a refusal, a requirement's deciding rules) are
  // shared by every verdict of the unit, so frozen: no reader can change another's.
  for (const d of [...demands.statements, ...demands.scopeItems]) if (d.allowedMethods) d.allowedMethods = Object.freeze(d.allowedMethods);
  const plan: UnitPlan = {
    unitId: unit.id,
    index,
    statements: index.statements.map((s, i) => ({ key: s.key, ref: s.ref, kind: s.kind, groupRef: s.groupRef, isKnowledge: s.isKnowledge, demands: demands.statements[i] as StatementDemands })),
    scopeItems: index.scopeItems.map((item, i) => ({ key: item.key, groupRef: item.groupRef, ref: item.ref, demands: demands.scopeItems[i] as ScopeItemDemands })),
    requirements: index.requirements.map((q, i) => ({
      key: q.key,
      ref: q.ref,
      parentRef: q.parentRef,
      children: q.childKeys.map((k) => index.findRequirement(k) ?? 0),
      childKeys: q.childKeys,
      decidingRules: Object.freeze((decidedBy[i] ?? []).map(String)),
      decidingRuleIndexes: decidedBy[i] ?? [],
      decidingKinds: Object.freeze((decidedBy[i] ?? []).map((r) => unit.assessmentRules[r]?.kind ?? '')),
      demands: demands.requirements[i] as RequirementDemands,
    })),
    rules,
    allowedSettings: demands.allowedSettings,
    ...mappingTargetsOf(index, demands),
    signOff: planSignOff(unit),
  };
  plans.set(unit, plan);
  return plan;
}

function mappingTargetsOf(index: UnitIndex, demands: UnitDemands): Pick<UnitPlan, 'statementRefs' | 'scopeItemRefs' | 'requirementRefs'> {
  const statementRefs = new Map<string, MappingTarget>();
  for (const [name, i] of index.statementByName) {
    if (i === 'ambiguous') continue;
    const d = demands.statements[i] as StatementDemands;
    statementRefs.set(name, { slot: i, allowedMethods: d.allowedMethods, knowledge: index.statements[i]?.isKnowledge ? d : null });
  }
  const scopeBase = index.statements.length;
  const requirementBase = scopeBase + index.scopeItems.length;
  return {
    statementRefs,
    scopeItemRefs: new Map([...index.scopeItemByKey].map(([key, i]) => [key, { slot: scopeBase + i, allowedMethods: demands.scopeItems[i]?.allowedMethods ?? null, knowledge: null }])),
    requirementRefs: new Map([...index.requirementByKey].map(([key, i]) => [key, { slot: requirementBase + i, allowedMethods: null, knowledge: null }])),
  };
}

/** The target a mapping names, if the unit has it. */
export function mappingTarget(plan: UnitPlan, mapping: EvidenceMapping): MappingTarget | undefined {
  switch (mapping.target) {
    case 'statement':
      return plan.statementRefs.get(mapping.ref);
    case 'scope-item':
      return plan.scopeItemRefs.get(mapping.ref);
    default:
      return plan.requirementRefs.get(mapping.ref);
  }
}
