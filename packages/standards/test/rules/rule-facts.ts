import { readEvidence } from '../../src/evidence-findings.ts';
import { DEFAULT_POLICY, type EvidenceItem, type Policy } from '../../src/portfolio-facts-schema.ts';
import { ruleKindOf } from '../../src/rules/index.ts';
import type { RuleFacts, RuleOutcome } from '../../src/rules/rule-kind.ts';
import { requirementStatuses, scopeItemVerdict, statementVerdict } from '../../src/target-verdicts.ts';
import { planUnit, type UnitPlan } from '../../src/unit-plan.ts';
import { UnitSchema, type Unit } from '../../src/unit-schema.ts';
import { AS_OF } from '../factories.ts';
import { toDayNumber } from '../../src/day-number.ts';

/**
 * A small unit for one rule kind's tests: performance criteria 1.1–1.4, knowledge k1–k3, scope
 * items a.1–a.3 and x, evidence requirements 1, 2 and 3 (with items 3.a–3.c).
 */
export function smallUnit(assessmentRules: unknown[]): Unit {
  return UnitSchema.parse({
    id: 'small',
    qualification: 'test',
    awardingBody: null,
    codes: ['S1'],
    title: 'Small unit',
    level: 2,
    creditValue: null,
    guidedLearningHours: null,
    purpose: null,
    version: null,
    format: 'element',
    source: { document: 'test', section: 'test' },
    groups: [
      { ref: '1', title: 'element', kind: 'element', statements: ['1.1', '1.2', '1.3', '1.4'].map((ref) => ({ ref, kind: 'performance-criterion', text: `criterion ${ref}` })) },
      { ref: null, title: 'knowledge', kind: 'knowledge', statements: ['k1', 'k2', 'k3'].map((ref) => ({ ref, kind: 'knowledge', text: `knowledge ${ref}` })) },
    ],
    scope: [
      { ref: 'a', title: 'scope', items: ['1', '2', '3'].map((ref) => ({ ref, text: `scope ${ref}` })) },
      { ref: null, title: null, items: [{ ref: 'x', text: 'scope x' }] },
    ],
    evidenceRequirements: [
      { ref: '1', text: 'one' },
      { ref: '2', text: 'two' },
      { ref: '3', text: 'three', items: ['a', 'b', 'c'].map((ref) => ({ ref, text: `item ${ref}` })) },
    ],
    assessmentRules: assessmentRules.map((rule) => ({ basis: 'test', ...(rule as object) })),
    signOff: [{ role: 'candidate' }, { role: 'assessor' }],
  });
}

/** What the unit's first rule reads, from real evidence passed through the engine's own steps. */
export function ruleFactsFor(unit: Unit, evidence: EvidenceItem[], policy: Partial<Policy> = {}): { plan: UnitPlan; facts: RuleFacts } {
  const plan = planUnit(unit);
  const fullPolicy = { ...DEFAULT_POLICY, ...policy };
  const findings = readEvidence(plan, { unitId: unit.id, evidence }, fullPolicy, toDayNumber(AS_OF));
  const statements = plan.statements.map((s, i) => statementVerdict(s, findings.statements[i]!));
  const scopeItems = plan.scopeItems.map((s, i) => scopeItemVerdict(s, findings.scopeItems[i]!));
  return { plan, facts: { findings, statements, scopeItems, requirementStatuses: requirementStatuses(plan, findings), policy: fullPolicy } };
}

/** The verdict of the unit's rule number `r` (the first by default) on the evidence. */
export function judgeRule(unit: Unit, evidence: EvidenceItem[], policy: Partial<Policy> = {}, r = 0): RuleOutcome {
  const { plan, facts } = ruleFactsFor(unit, evidence, policy);
  const planned = plan.rules[r]!;
  return ruleKindOf(planned.rule).judge(planned.rule, planned.targets, facts);
}
