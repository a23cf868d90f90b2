import { toDayNumber } from './day-number.ts';
import { readEvidence, type TargetEvidence } from './evidence-findings.ts';
import type { Policy, PortfolioFactsInput } from './portfolio-facts-schema.ts';
import { DEFAULT_POLICY } from './portfolio-facts-schema.ts';
import { ruleKindOf } from './rules/index.ts';
import type { RuleFacts } from './rules/rule-kind.ts';
import { evaluateSignOff } from './sign-off.ts';
import { requirementStatuses, requirementVerdict, scopeItemVerdict, statementVerdict } from './target-verdicts.ts';
import { planUnit } from './unit-plan.ts';
import type { Unit } from './unit-schema.ts';
import type { RuleVerdict, Status, Tally, UnitState, Verdict } from './verdict.ts';

export type EvaluateOptions = { asOf: string; policy?: Partial<Policy> };

/** How many of the entries are met, of how many; an entry marked not required does not count. */
function tally(entries: readonly { status: Status; isRequired?: boolean }[]): Tally {
  let met = 0;
  let total = 0;
  for (const entry of entries) {
    if (entry.isRequired === false) continue;
    total++;
    if (entry.status === 'met') met++;
  }
  return { met, total };
}

const isAllMet = (t: Tally): boolean => t.met === t.total;

/**
 * Decides, for one candidate's portfolio and one unit, which statement, scope item, evidence
 * requirement and rule is met and why. Pure: the same unit, facts and options always give the
 * same verdict, whatever the order of the evidence.
 *
 * In order: the unit is planned once (keys resolved, what each rule asks of each target); the
 * evidence is read once against that plan; each statement and scope item gets its verdict; each
 * rule judges (src/rules/, one module per kind); evidence requirements follow the rules that decide
 * them; then the sign-off chain and the unit's state.
 */
export function evaluateUnit(unit: Unit, facts: PortfolioFactsInput, options: EvaluateOptions): Verdict {
  const plan = planUnit(unit);
  const policy: Policy = options.policy ? { ...DEFAULT_POLICY, ...options.policy } : DEFAULT_POLICY;
  const asOfDay = toDayNumber(options.asOf);
  const findings = readEvidence(plan, facts, policy, asOfDay);

  const statements = plan.statements.map((s, i) => statementVerdict(s, findings.statements[i] as TargetEvidence));
  const scopeItems = plan.scopeItems.map((item, i) => scopeItemVerdict(item, findings.scopeItems[i] as TargetEvidence));
  const ruleFacts: RuleFacts = { findings, statements, scopeItems, requirementStatuses: requirementStatuses(plan, findings), policy };
  const rules = plan.rules.map(({ index, rule, targets }): RuleVerdict => {
    const { status, reasons } = ruleKindOf(rule).judge(rule, targets, ruleFacts);
    return { index, kind: rule.kind, status, reasons };
  });
  const evidenceRequirements = plan.requirements.map((q, i) => requirementVerdict(q, findings.requirements[i] as TargetEvidence, ruleFacts.requirementStatuses[i] as Status, rules, ruleFacts.requirementStatuses));

  const summary = {
    statements: tally(statements),
    scopeItems: tally(scopeItems),
    evidenceRequirements: tally(evidenceRequirements),
    rules: tally(rules),
  };
  const isReady = isAllMet(summary.statements) && isAllMet(summary.scopeItems) && isAllMet(summary.evidenceRequirements) && isAllMet(summary.rules);

  const unitReasons = findings.unitReasons;
  const { signOff, isSignedOff, isVerified, hasSignature } = evaluateSignOff(plan.signOff, facts, asOfDay, unitReasons);
  const signedEarly = signOff.filter((s) => s.stage === 'sign-off' && s.status === 'signed').map((s) => s.role);
  if (!isReady && hasSignature && signedEarly.length > 0) unitReasons.push({ code: 'signed_before_requirements_met', params: { roles: signedEarly } });
  const state: UnitState = isReady ? (isVerified && isSignedOff ? 'verified' : isSignedOff ? 'signed-off' : 'ready-for-sign-off') : findings.hasActivity || hasSignature ? 'in-progress' : 'not-started';

  return { unitId: plan.unitId, asOf: options.asOf, state, isReadyForSignOff: isReady, statements, scopeItems, evidenceRequirements, rules, signOff, summary, reasons: unitReasons };
}
