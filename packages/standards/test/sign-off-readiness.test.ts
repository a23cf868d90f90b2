import { describe, expect, it } from 'vitest';
import { countMissingRequirements, describeNextStep, describeRequirementWithoutEvidence, evaluateUnit, findRequirementsWithoutEvidence, toNextSteps, type Unit, type UnitProgressFacts } from '../src/index.ts';
import { AS_OF, completeEvidence, evidence, facts, getSeedUnit } from './factories.ts';

const pcUnit = getSeedUnit('cs-pc-resolve-problems'); // seed 001
const qcfUnit = getSeedUnit('qcf2-resolve-problems'); // seed 002
const unit201 = getSeedUnit('nvq2-cs-201'); // seed 004: evidence requirements printed as bare columns

const evaluate = (unit: Unit, items: ReturnType<typeof evidence>[]) => evaluateUnit(unit, facts(unit, items), { asOf: AS_OF });
const without = (unit: Unit, items: ReturnType<typeof evidence>[]) => findRequirementsWithoutEvidence(unit, evaluate(unit, items));

describe('the candidate declaration’s rule: no requirement left without evidence', () => {
  it('lists every statement and required scope item of seed 001 when nothing is mapped, with the statement’s wording', () => {
    const found = without(pcUnit, []);
    const statements = pcUnit.groups.flatMap((g) => g.statements).length;
    expect(found.filter((r) => r.target === 'statement')).toHaveLength(statements);
    expect(found.find((r) => r.key === 'pc:4')).toMatchObject({ label: 'PC 4', isObservationOnly: true, text: expect.any(String) });
    expect(found.find((r) => r.key === 'pc:1')).toMatchObject({ label: 'PC 1', isObservationOnly: false });
    expect(found.filter((r) => r.target === 'scope-item').map((r) => r.label)).toEqual(pcUnit.scope.flatMap((g) => g.items.map((i) => `Scope ${g.ref === null ? i.ref : `${g.ref}.${i.ref}`}`)));
  });

  it('finds nothing missing once every requirement of seed 002 has some evidence', () => {
    expect(without(qcfUnit, completeEvidence(qcfUnit))).toEqual([]);
  });

  it.each([
    ['accepted', 'accepted'],
    ['waiting for a decision', 'pending'],
    ['referred back', 'referred'],
  ] as const)('counts evidence %s as evidence: the assessor has something to assess', (_, decision) => {
    const found = without(pcUnit, [evidence({ statements: ['pc:1'], decision })]);
    expect(found.map((r) => r.key)).not.toContain('pc:1');
    expect(found.map((r) => r.key)).toContain('pc:2');
  });

  it('leaves exactly the one uncovered statement when all the others have evidence (boundary: one short)', () => {
    const all = completeEvidence(qcfUnit);
    const keys = evaluate(qcfUnit, all).statements.map((s) => s.key);
    const last = keys[keys.length - 1] as string;
    const items = all.map((item) => ({ ...item, mappings: item.mappings.filter((m) => !(m.target === 'statement' && m.ref === last)) }));
    expect(without(qcfUnit, items).map((r) => r.key)).toEqual([last]);
  });

  it('asks for each lettered item of an evidence requirement a rule names, not for the requirement the rule decides', () => {
    const all = completeEvidence(qcfUnit);
    const items = all.map((item) => ({ ...item, mappings: item.mappings.filter((m) => !(m.target === 'evidence-requirement' && m.ref === '4.b')) }));
    expect(without(qcfUnit, items).map((r) => `${r.target} ${r.key}`)).toEqual(['evidence-requirement 4.b']);
  });

  it('never asks for an evidence requirement printed as a bare column (seed 004), as the “still missing” line does not count it', () => {
    expect(unit201.evidenceRequirements.some((r) => r.text === null)).toBe(true);
    const verdict = evaluate(unit201, []);
    const found = findRequirementsWithoutEvidence(unit201, verdict);
    expect(found.filter((r) => r.target === 'evidence-requirement')).toEqual([]);
    expect(found).toHaveLength(countMissingRequirements(verdict));
  });

  it('words a requirement as its label and wording, saying who covers an observation-only statement', () => {
    expect(describeRequirementWithoutEvidence({ target: 'statement', key: '3', label: 'PC 3', text: 'Work with others', isObservationOnly: false })).toBe('PC 3 (Work with others)');
    expect(describeRequirementWithoutEvidence({ target: 'statement', key: 'pc:4', label: 'PC 4', text: 'Identify options', isObservationOnly: true })).toBe('PC 4 (Identify options): only your assessor’s observation can cover it');
    expect(describeRequirementWithoutEvidence({ target: 'evidence-requirement', key: '1', label: 'Evidence requirement 1', text: null, isObservationOnly: false })).toBe('Evidence requirement 1');
  });
});

const base: UnitProgressFacts = {
  signOffStage: 'none',
  isGateOpen: false,
  areRulesMet: false,
  hasCandidateDeclaration: false,
  isReportComplete: false,
  requirementsWithoutEvidence: 13,
  missingRequirements: 13,
  draftItems: 0,
  itemsAwaitingDecision: 0,
};
const declaredAndCovered = { hasCandidateDeclaration: true, requirementsWithoutEvidence: 0 };
const rulesMet = { areRulesMet: true, missingRequirements: 0 };

describe('toNextSteps: the next step for each side, “Ready for sign-off” only while the gate is open', () => {
  it.each<[string, Partial<UnitProgressFacts>, string, string]>([
    ['nothing yet', {}, 'Add evidence for the 13 requirements that have none yet', '13 requirements are still missing'],
    ['one requirement without evidence (boundary)', { requirementsWithoutEvidence: 1, missingRequirements: 1 }, 'Add evidence for the 1 requirement that has none yet', '1 requirement is still missing'],
    ['drafts while requirements lack evidence', { draftItems: 2 }, 'Submit your draft evidence (2 items) for assessment', '13 requirements are still missing'],
    ['everything has evidence, two items waiting, no declaration', { requirementsWithoutEvidence: 0, missingRequirements: 0, itemsAwaitingDecision: 2 }, 'Sign your declaration', '2 items are waiting for your decision'],
    ['declared, one item waiting', { ...declaredAndCovered, missingRequirements: 0, itemsAwaitingDecision: 1 }, 'Waiting for your assessor’s decision on 1 item', '1 item is waiting for your decision'],
    ['declared, evidence referred back', { ...declaredAndCovered, missingRequirements: 3 }, '3 requirements are still missing: see what is still missing', '3 requirements are still missing'],
    ['declared, only drafts left to assess', { ...declaredAndCovered, missingRequirements: 0, draftItems: 1 }, 'Submit your draft evidence (1 item) for assessment', 'Waiting for the learner to submit their draft evidence (1 item)'],
    ['rules met, declaration and report missing', { ...rulesMet, requirementsWithoutEvidence: 0 }, 'Sign your declaration', 'Complete the assessment report'],
    ['rules met and report complete, declaration missing', { ...rulesMet, requirementsWithoutEvidence: 0, isReportComplete: true }, 'Sign your declaration', 'Waiting for the learner’s declaration'],
    ['rules met and declared, report missing', { ...rulesMet, ...declaredAndCovered }, 'Waiting for your assessor’s assessment report', 'Complete the assessment report'],
    ['everything in place but the gate still shut', { ...rulesMet, ...declaredAndCovered, isReportComplete: true }, 'Not ready for sign-off yet', 'Not ready for sign-off yet'],
    ['the gate open', { ...rulesMet, ...declaredAndCovered, isReportComplete: true, isGateOpen: true }, 'Ready for sign-off by your assessor', 'Ready for sign-off'],
    ['signed by an assessor not yet qualified', { signOffStage: 'awaiting-countersignature' }, 'Signed off by your assessor, waiting for a countersignature', 'Signed, awaiting countersignature'],
    ['signed off', { signOffStage: 'completed' }, 'Signed off', 'Signed off'],
  ])('%s → learner “%s”, assessor “%s”', (_, overrides, learnerWords, assessorWords) => {
    const steps = toNextSteps({ ...base, ...overrides });
    expect(describeNextStep(steps.learner)).toBe(learnerWords);
    expect(describeNextStep(steps.assessor)).toBe(assessorWords);
  });

  it('never says ready for sign-off while the gate is shut, whatever else holds', () => {
    const flags = [true, false];
    for (const areRulesMet of flags)
      for (const hasCandidateDeclaration of flags)
        for (const isReportComplete of flags) {
          const steps = toNextSteps({ ...base, areRulesMet, hasCandidateDeclaration, isReportComplete, requirementsWithoutEvidence: 0, missingRequirements: 0 });
          expect(steps.learner.code).not.toBe('ready-for-sign-off');
          expect(steps.assessor.code).not.toBe('ready-for-sign-off');
        }
  });
});
