import { describe, expect, it } from 'vitest';
import { evaluateUnit } from '../../src/index.ts';
import { AS_OF, evidence } from '../factories.ts';
import { judgeRule, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'evidence-required', requirements: ['3.a', '3.b', '1'], evidenceRequirement: '3' }]);

describe('evidence-required', () => {
  it('is met when every requirement it names has evidence', () => {
    expect(judgeRule(unit, [evidence({ requirements: ['3.a', '3.b', '1'] })])).toEqual({ status: 'met', reasons: [{ code: 'requirements_met', params: { count: 3 } }] });
  });

  it('names the requirements still missing', () => {
    expect(judgeRule(unit, [evidence({ requirements: ['3.b'] })])).toEqual({ status: 'partly-met', reasons: [{ code: 'requirements_not_met', params: { missing: ['3.a', '1'] } }] });
  });

  it('makes the requirements it names, and the parent of a lettered one, required; the others are not', () => {
    const verdict = evaluateUnit(unit, { unitId: unit.id, evidence: [] }, { asOf: AS_OF });
    expect(verdict.evidenceRequirements.map((q) => [q.key, q.isRequired])).toEqual([['1', true], ['2', false], ['3', true], ['3.a', true], ['3.b', true], ['3.c', false]]);
    expect(verdict.evidenceRequirements.find((q) => q.key === '3')?.reasons[0]).toEqual({ code: 'decided_by_rule', params: { rules: ['0'], kinds: ['evidence-required'] } });
  });
});
