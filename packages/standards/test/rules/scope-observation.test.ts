import { describe, expect, it } from 'vitest';
import { evidence } from '../factories.ts';
import { judgeRule, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'scope-observation', items: ['a.1', 'a.2', 'a.3', 'x'], min: 2 }]);

describe('scope-observation', () => {
  it('is met at the minimum number of observed items, and lists them', () => {
    expect(judgeRule(unit, [evidence({ method: 'O', scope: ['a.1', 'x'] })])).toEqual({ status: 'met', reasons: [{ code: 'scope_observed_count', params: { observed: 2, required: 2, items: ['a.1', 'x'] } }] });
  });

  it('does not count other methods towards the observed items', () => {
    expect(judgeRule(unit, [evidence({ method: 'O', scope: ['a.1'] }), evidence({ method: 'WT', scope: ['a.2', 'a.3'] })])).toEqual({ status: 'partly-met', reasons: [{ code: 'scope_observed_count', params: { observed: 1, required: 2, items: ['a.1'] } }] });
  });

  it('waits for the assessor when nothing is observed yet but an observation is pending', () => {
    expect(judgeRule(unit, [evidence({ method: 'O', scope: ['a.2'], decision: 'pending' })]).status).toBe('not-yet-assessed');
    expect(judgeRule(unit, []).status).toBe('not-met');
  });
});
