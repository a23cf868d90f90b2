import { describe, expect, it } from 'vitest';
import { methodRefusal } from '../../src/rules/methods-allowed.ts';
import { evidence } from '../factories.ts';
import { judgeRule, ruleFactsFor, smallUnit } from './rule-facts.ts';

const unit = smallUnit([
  { kind: 'methods-allowed', statements: ['1.1', '1.2'], methods: ['O', 'WT', 'Q'] },
  { kind: 'methods-allowed', statements: ['1.2'], methods: ['WT', 'PE'] },
]);

describe('methods-allowed', () => {
  it('is met when every statement it names is met by an allowed method', () => {
    expect(judgeRule(unit, [evidence({ method: 'WT', statements: ['1.1', '1.2'] })])).toEqual({ status: 'met', reasons: [{ code: 'statements_met', params: { refs: ['1.1', '1.2'] } }] });
  });

  it('allows on a statement two rules name only the methods both list, and refuses the rest on the statement', () => {
    const { facts } = ruleFactsFor(unit, [evidence({ id: 'q-1', method: 'Q', statements: ['1.1', '1.2'] })]);
    expect(facts.statements[0]?.status).toBe('met');
    expect(facts.statements[1]?.status).toBe('not-met');
    expect(facts.statements[1]?.reasons).toContainEqual({ code: 'method_not_allowed', params: { evidenceId: 'q-1', method: 'Q', allowed: ['WT'] } });
    expect(judgeRule(unit, [evidence({ method: 'Q', statements: ['1.1', '1.2'] })])).toEqual({ status: 'partly-met', reasons: [{ code: 'statements_not_met', params: { refs: ['1.2'] } }] });
  });

  it('refuses nothing where no rule limits the methods', () => {
    expect(methodRefusal(evidence({ method: 'CS' }), null)).toBeNull();
    expect(methodRefusal(evidence({ id: 'cs', method: 'CS' }), ['O'])).toEqual({ code: 'method_not_allowed', params: { evidenceId: 'cs', method: 'CS', allowed: ['O'] } });
  });
});
