import { buildUnitIndex } from './unit-index.ts';
import type { Statement, Unit } from './unit-schema.ts';
import type { Status, Verdict } from './verdict.ts';

// Two rules about where a unit stands before sign-off, both pure and read by the server (which
// decides) and the browser (which words them): the candidate declaration's rule, and the next step
// each side has to take.

/** The words the recording forms print for a statement's kind: "PC 4", not "performance-criterion 4". */
const STATEMENT_KIND_LABELS: Record<Statement['kind'], string> = { 'performance-criterion': 'PC', 'assessment-criterion': 'AC', knowledge: 'Knowledge', standard: 'Standard' };

export type RequirementWithoutEvidence = {
  target: 'statement' | 'scope-item' | 'evidence-requirement';
  /** The verdict's key (`pc:3`, `2.b`, `4.a`). */
  key: string;
  /** As the recording form prints it: "PC 4", "Knowledge 3", "Scope 2.b", "Evidence requirement 4.a". */
  label: string;
  /** The source wording; null only for an evidence requirement printed as a bare column. */
  text: string | null;
  /** Only an observation can meet it, so it is the assessor's record that covers it, not the candidate's. */
  isObservationOnly: boolean;
};

/**
 * The candidate declaration's rule: "this is my work, assess it" may be signed only when no
 * requirement of the unit is left without evidence. Evidence is what the candidate has submitted
 * and what the assessor has recorded; a draft is not yet evidence, so `declarable` must be the
 * engine's verdict over exactly those (the caller leaves drafts out of the facts).
 *
 * A requirement is without evidence when the verdict gives it the `no_evidence` reason: nothing is
 * mapped to it, neither accepted, waiting nor referred. Requirements are counted as the "N
 * requirements are still missing" line counts them: every statement, and the scope items and
 * evidence requirements the unit's rules require. An evidence requirement printed without wording
 * (a bare column of a recording form) is required only if a rule names it, so it is never asked for
 * on its own; one decided by a rule or made of lettered items carries the rule's or its items'
 * verdict instead, and its lettered items are asked for one by one.
 */
export function findRequirementsWithoutEvidence(unit: Unit, declarable: Verdict): RequirementWithoutEvidence[] {
  const index = buildUnitIndex(unit);
  const observationOnly = new Set<number>();
  for (const rule of unit.assessmentRules) {
    if (rule.kind !== 'observation-required') continue;
    for (const name of rule.statements) {
      const found = index.findStatement(name);
      if (typeof found === 'number') observationOnly.add(found);
    }
  }
  const hasNoEvidence = (entry: { reasons: readonly { code: string }[] }) => entry.reasons.some((reason) => reason.code === 'no_evidence');
  const found: RequirementWithoutEvidence[] = [];
  declarable.statements.forEach((s, i) => {
    if (!hasNoEvidence(s)) return;
    const indexed = index.statements[i];
    found.push({ target: 'statement', key: s.key, label: `${STATEMENT_KIND_LABELS[s.kind]} ${s.ref}`, text: indexed?.statement.text ?? null, isObservationOnly: observationOnly.has(i) });
  });
  for (const item of declarable.scopeItems) {
    if (!item.isRequired || !hasNoEvidence(item)) continue;
    const indexed = index.scopeItems[index.findScopeItem(item.key) ?? -1];
    found.push({ target: 'scope-item', key: item.key, label: `Scope ${item.key}`, text: indexed?.text ?? null, isObservationOnly: false });
  }
  for (const requirement of declarable.evidenceRequirements) {
    if (!requirement.isRequired || !hasNoEvidence(requirement)) continue;
    const indexed = index.requirements[index.findRequirement(requirement.key) ?? -1];
    found.push({ target: 'evidence-requirement', key: requirement.key, label: `Evidence requirement ${requirement.key}`, text: indexed?.text ?? null, isObservationOnly: false });
  }
  return found;
}

/** "PC 4 (Identify the options…)", with who supplies the evidence when only an observation will do. */
export function describeRequirementWithoutEvidence(requirement: RequirementWithoutEvidence): string {
  const wording = requirement.text === null ? requirement.label : `${requirement.label} (${requirement.text})`;
  return requirement.isObservationOnly ? `${wording}: only your assessor’s observation can cover it` : wording;
}

const PER_STATEMENT_RULES: ReadonlySet<string> = new Set(['observation-required', 'methods-allowed', 'knowledge-inference']);
const isMissing = (status: Status) => status === 'not-met' || status === 'partly-met';

/**
 * How many requirements are still missing, as the portfolio's "N requirements are still missing"
 * line counts them: statements, required scope items and required evidence requirements that are not
 * met or only partly met, and the unit's rules whose findings are not already a statement's. Items
 * waiting for the assessor's decision are not missing.
 */
export function countMissingRequirements(verdict: Verdict): number {
  let missing = 0;
  for (const s of verdict.statements) if (isMissing(s.status)) missing++;
  for (const s of verdict.scopeItems) if (s.isRequired && isMissing(s.status)) missing++;
  for (const r of verdict.evidenceRequirements) if (r.isRequired && isMissing(r.status)) missing++;
  for (const rule of verdict.rules) if (isMissing(rule.status) && !PER_STATEMENT_RULES.has(rule.kind)) missing++;
  return missing;
}

/** Where one learner's unit stands, as the server reads it from the decisions and signatures so far. */
export type UnitProgressFacts = {
  /** `completed`: signed off (and countersigned where needed). */
  signOffStage: 'none' | 'awaiting-countersignature' | 'completed';
  /** The sign-off gate, the very one the sign-off route applies, is open. */
  isGateOpen: boolean;
  /** The engine's verdict finds every statement, scope item, evidence requirement and rule met. */
  areRulesMet: boolean;
  hasCandidateDeclaration: boolean;
  /** The assessment report is saved and answers every check as sign-off needs. */
  isReportComplete: boolean;
  /** From findRequirementsWithoutEvidence: what keeps the declaration from being accepted. */
  requirementsWithoutEvidence: number;
  /** From countMissingRequirements. */
  missingRequirements: number;
  /** The learner's items mapped to this unit and not yet submitted. */
  draftItems: number;
  /** Submitted items with a mapping to this unit the assessor has not decided on. */
  itemsAwaitingDecision: number;
};

export const LEARNER_NEXT_STEPS = ['signed-off', 'awaiting-countersignature', 'ready-for-sign-off', 'submit-drafts', 'add-evidence', 'sign-declaration', 'wait-for-decisions', 'improve-evidence', 'wait-for-report', 'not-ready'] as const;
export const ASSESSOR_NEXT_STEPS = ['signed-off', 'awaiting-countersignature', 'ready-for-sign-off', 'decide-evidence', 'requirements-missing', 'wait-for-drafts', 'complete-report', 'wait-for-declaration', 'not-ready'] as const;
export type LearnerNextStep = { audience: 'learner'; code: (typeof LEARNER_NEXT_STEPS)[number]; count: number };
export type AssessorNextStep = { audience: 'assessor'; code: (typeof ASSESSOR_NEXT_STEPS)[number]; count: number };
export type NextStep = LearnerNextStep | AssessorNextStep;

/**
 * The one step each side has to take next. "Ready for sign-off" only while the gate is open: every
 * other answer names what still stands in the way, from the side that can move it. The learner's
 * declaration comes once nothing is without evidence; the assessor decides what waits for them,
 * then the report, then waits for the declaration.
 */
export function toNextSteps(facts: UnitProgressFacts): { learner: LearnerNextStep; assessor: AssessorNextStep } {
  const learner = (code: LearnerNextStep['code'], count = 0): LearnerNextStep => ({ audience: 'learner', code, count });
  const assessor = (code: AssessorNextStep['code'], count = 0): AssessorNextStep => ({ audience: 'assessor', code, count });
  if (facts.signOffStage === 'completed') return { learner: learner('signed-off'), assessor: assessor('signed-off') };
  if (facts.signOffStage === 'awaiting-countersignature') return { learner: learner('awaiting-countersignature'), assessor: assessor('awaiting-countersignature') };
  if (facts.isGateOpen) return { learner: learner('ready-for-sign-off'), assessor: assessor('ready-for-sign-off') };
  return { learner: learnerStep(facts, learner), assessor: assessorStep(facts, assessor) };
}

function learnerStep(f: UnitProgressFacts, step: (code: LearnerNextStep['code'], count?: number) => LearnerNextStep): LearnerNextStep {
  if (!f.hasCandidateDeclaration) {
    if (f.requirementsWithoutEvidence === 0) return step('sign-declaration');
    return f.draftItems > 0 ? step('submit-drafts', f.draftItems) : step('add-evidence', f.requirementsWithoutEvidence);
  }
  if (f.itemsAwaitingDecision > 0) return step('wait-for-decisions', f.itemsAwaitingDecision);
  if (!f.areRulesMet) {
    if (f.draftItems > 0) return step('submit-drafts', f.draftItems);
    if (f.missingRequirements > 0) return step('improve-evidence', f.missingRequirements);
    return step('not-ready');
  }
  if (!f.isReportComplete) return step('wait-for-report');
  return step('not-ready');
}

function assessorStep(f: UnitProgressFacts, step: (code: AssessorNextStep['code'], count?: number) => AssessorNextStep): AssessorNextStep {
  if (f.itemsAwaitingDecision > 0) return step('decide-evidence', f.itemsAwaitingDecision);
  if (!f.areRulesMet) {
    if (f.missingRequirements > 0) return step('requirements-missing', f.missingRequirements);
    if (f.draftItems > 0) return step('wait-for-drafts', f.draftItems);
    return step('not-ready');
  }
  if (!f.isReportComplete) return step('complete-report');
  if (!f.hasCandidateDeclaration) return step('wait-for-declaration');
  return step('not-ready');
}

const items = (n: number) => (n === 1 ? '1 item' : `${n} items`);
const requirements = (n: number) => (n === 1 ? '1 requirement' : `${n} requirements`);

/** The step in words, for the side it belongs to. */
export function describeNextStep(step: NextStep): string {
  const n = step.count;
  if (step.audience === 'learner') {
    switch (step.code) {
      case 'signed-off':
        return 'Signed off';
      case 'awaiting-countersignature':
        return 'Signed off by your assessor, waiting for a countersignature';
      case 'ready-for-sign-off':
        return 'Ready for sign-off by your assessor';
      case 'submit-drafts':
        return `Submit your draft evidence (${items(n)}) for assessment`;
      case 'add-evidence':
        return `Add evidence for ${n === 1 ? 'the 1 requirement that has' : `the ${n} requirements that have`} none yet`;
      case 'sign-declaration':
        return 'Sign your declaration';
      case 'wait-for-decisions':
        return `Waiting for your assessor’s decision on ${items(n)}`;
      case 'improve-evidence':
        return `${requirements(n)} ${n === 1 ? 'is' : 'are'} still missing: see what is still missing`;
      case 'wait-for-report':
        return 'Waiting for your assessor’s assessment report';
      case 'not-ready':
        return 'Not ready for sign-off yet';
    }
  }
  switch (step.code) {
    case 'signed-off':
      return 'Signed off';
    case 'awaiting-countersignature':
      return 'Signed, awaiting countersignature';
    case 'ready-for-sign-off':
      return 'Ready for sign-off';
    case 'decide-evidence':
      return `${items(n)} ${n === 1 ? 'is' : 'are'} waiting for your decision`;
    case 'requirements-missing':
      return `${requirements(n)} ${n === 1 ? 'is' : 'are'} still missing`;
    case 'wait-for-drafts':
      return `Waiting for the learner to submit their draft evidence (${items(n)})`;
    case 'complete-report':
      return 'Complete the assessment report';
    case 'wait-for-declaration':
      return 'Waiting for the learner’s declaration';
    case 'not-ready':
      return 'Not ready for sign-off yet';
  }
}
