import { describe, expect, it } from 'vitest';
import { evaluateUnit } from '../../src/index.ts';
import { AS_OF, evidence } from '../factories.ts';
import { judgeRule, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'observation-required', statements: ['1.1', '1.2'] }]);

describe('observation-required', () => {
  it('is met once every statement it names has a usable observation', () => {
    const outcome = judgeRule(unit, [evidence({ method: 'O', statements: ['1.1', '1.2'] })]);
    expect(outcome).toEqual({ status: 'met', reasons: [{ code: 'statements_met', params: { refs: ['1.1', '1.2'] } }] });
  });

  it('names each statement still unobserved, with the methods that evidenced it', () => {
    const outcome = judgeRule(unit, [evidence({ method: 'O', statements: ['1.1'] }), evidence({ method: 'WT', statements: ['1.2'] })]);
    expect(outcome).toEqual({ status: 'partly-met', reasons: [{ code: 'observation_required', params: { ref: '1.2', methods: ['WT'] } }] });
  });

  it('waits for the assessor while the only observation is pending', () => {
    const outcome = judgeRule(unit, [evidence({ method: 'O', statements: ['1.1', '1.2'], decision: 'pending' })]);
    expect(outcome.status).toBe('not-yet-assessed');
  });

  it('leaves a statement it names partly met until observed, and lists the observations once it is', () => {
    const byWitness = evaluateUnit(unit, { unitId: unit.id, evidence: [evidence({ id: 'wt', method: 'WT', statements: ['1.1'] })] }, { asOf: AS_OF });
    expect(byWitness.statements[0]).toMatchObject({ key: '1.1', status: 'partly-met' });
    expect(byWitness.statements[0]?.reasons[0]).toEqual({ code: 'observation_required', params: { ref: '1.1', methods: ['WT'] } });
    const observed = evaluateUnit(unit, { unitId: unit.id, evidence: [evidence({ id: 'obs', method: 'O', statements: ['1.1'] })] }, { asOf: AS_OF });
    expect(observed.statements[0]?.status).toBe('met');
    expect(observed.statements[0]?.reasons.at(-1)).toEqual({ code: 'observed', params: { evidenceIds: ['obs'] } });
  });

  it('refuses a unit whose rule names a statement it does not have', () => {
    expect(() => judgeRule(smallUnit([{ kind: 'observation-required', statements: ['9.9'] }]), [])).toThrow('unit small: assessmentRules[0] names no such statement 9.9; run the standards check');
  });
});
