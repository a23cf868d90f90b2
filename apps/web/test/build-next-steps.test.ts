import { describe, expect, it } from 'vitest';
import { buildLearnerNextSteps } from '../src/portfolio/build-next-steps.ts';
import { labelItems } from '../src/portfolio/build-recording-grid.ts';
import { makeItem, makePortfolio, makeUnit, mapping } from './portfolio-factories.ts';
import type { LearnerNextStep } from '@attest/standards';

const unit = makeUnit();
const step = (code: LearnerNextStep['code'], count = 0): LearnerNextStep => ({ audience: 'learner', code, count });
const stepsFor = (items: ReturnType<typeof makeItem>[], next: LearnerNextStep) => buildLearnerNextSteps(unit, items, makePortfolio(unit, items).verdict, next, labelItems(items)).map((s) => s.text);

describe('the learner’s next steps', () => {
  it('tells a fresh learner which statements need evidence and which need observing, in words', () => {
    const steps = stepsFor([], step('add-evidence', 4));
    expect(steps[0]).toBe('Add evidence for PC 209.1.1 “operate the telephone equipment”, PC 3 “greet the caller” and Knowledge 3 “why greetings matter”.');
    expect(steps[1]).toMatch(/^Your assessor needs to observe you: PC 209\.1\.2 “keep your customer informed” has to be observed\. Agree a time with them\.$/);
    expect(steps.join(' ')).not.toMatch(/draft|Sign your declaration|Waiting/);
  });

  it('names three requirements and counts the rest, so the step stays short', () => {
    const big = makeUnit({ assessmentRules: [], groups: [{ ref: '1', title: null, kind: 'element', statements: ['1.1', '1.2', '1.3', '1.4', '1.5'].map((ref) => ({ ref, kind: 'standard' as const, text: `do ${ref}` })) }] });
    const [first] = buildLearnerNextSteps(big, [], makePortfolio(big, []).verdict, step('add-evidence', 5), new Map()).map((s) => s.text);
    expect(first).toBe('Add evidence for Standard 1.1 “do 1.1”, Standard 1.2 “do 1.2”, Standard 1.3 “do 1.3” and 2 more (see what is still missing).');
  });

  it('asks for a draft to be submitted, saying how many statements rest on it alone, and tells drafts from items with the assessor', () => {
    const draft = makeItem({ title: 'Returns desk log', createdAt: '2026-05-01T10:00:00Z', mappings: [mapping('209.1.1'), mapping('209.1.2')] });
    const submitted = makeItem({ title: 'Call recording', state: 'submitted', createdAt: '2026-05-02T10:00:00Z', mappings: [mapping('209.1.2')] });
    const steps = stepsFor([draft, submitted], step('submit-drafts', 1));
    expect(steps).toContain('Submit your draft E1 “Returns desk log” (it is the only evidence for 1 statement): until you submit it, your assessor cannot see it.');
    expect(steps).toContain('Waiting for your assessor to decide on E2 “Call recording”.');
    expect(steps.join(' ')).not.toContain('Submit your draft E2');
  });

  it('puts a referred item first, as a reply to the assessor, and does not count it as waiting for them', () => {
    const referred = makeItem({ title: 'Complaint about a kettle', state: 'submitted', mappings: [mapping('209.1.1', { decision: 'referred', feedback: 'Say what you did next.' })] });
    const steps = stepsFor([referred], step('improve-evidence', 3));
    expect(steps[0]).toBe('Reply to your assessor on E1 “Complaint about a kettle”: they referred it back. Read their feedback, reopen it, change it and submit it again.');
    expect(steps.join(' ')).not.toContain('Waiting for your assessor');
  });

  it('asks for the declaration when nothing is left without evidence, and says only the headline once the unit is ready or signed off', () => {
    const all = makeItem({ state: 'submitted', mappings: unitKeys().map((key) => mapping(key, { decision: 'accepted' })) });
    expect(stepsFor([all], step('sign-declaration'))).toContain('Sign your declaration that the evidence is your own work, so your assessor can assess the unit.');
    expect(stepsFor([all], step('ready-for-sign-off'))).toEqual(['Ready for sign-off by your assessor.']);
    expect(stepsFor([all], step('signed-off'))).toEqual(['Signed off.']);
  });
});

function unitKeys(): string[] {
  return ['209.1.1', '209.1.2', 'pc:3', 'k:3'];
}
