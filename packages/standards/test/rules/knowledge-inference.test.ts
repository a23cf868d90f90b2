import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/portfolio-facts-schema.ts';
import { inferenceReason } from '../../src/rules/knowledge-inference.ts';
import { evidence } from '../factories.ts';
import { judgeRule, ruleFactsFor, smallUnit } from './rule-facts.ts';

const unit = smallUnit([{ kind: 'knowledge-inference', statements: ['k1', 'k2'], fromMethods: ['O'] }]);

describe('knowledge-inference', () => {
  it('counts an observation for the knowledge statements it names, saying the knowledge was inferred', () => {
    const { facts } = ruleFactsFor(unit, [evidence({ id: 'obs', method: 'O', statements: ['k1', 'k2', 'k3'] })]);
    expect(facts.statements.find((s) => s.key === 'k1')?.reasons).toContainEqual({ code: 'knowledge_inferred', params: { evidenceId: 'obs', method: 'O' } });
    expect(facts.statements.find((s) => s.key === 'k3')?.status).toBe('not-met');
    expect(judgeRule(unit, [evidence({ method: 'O', statements: ['k1', 'k2'] })])).toEqual({ status: 'met', reasons: [{ code: 'statements_met', params: { refs: ['k1', 'k2'] } }] });
  });

  it('counts nothing inferred where the centre’s policy forbids inference, and says it is the policy', () => {
    expect(judgeRule(unit, [evidence({ method: 'O', statements: ['k1', 'k2'] })], { allowKnowledgeInference: false })).toEqual({ status: 'not-met', reasons: [{ code: 'statements_not_met', params: { refs: ['k1', 'k2'] } }] });
    expect(inferenceReason(evidence({ id: 'o', method: 'O' }), new Set(['O']), { ...DEFAULT_POLICY, allowKnowledgeInference: false })).toEqual({ code: 'knowledge_inference_not_allowed', params: { evidenceId: 'o', method: 'O', byPolicy: true } });
  });

  it('refuses inference from a method the rule does not list, or for a statement no rule names', () => {
    expect(inferenceReason(evidence({ id: 'pe', method: 'PE' }), new Set(['O']), DEFAULT_POLICY).code).toBe('knowledge_inference_not_allowed');
    expect(inferenceReason(evidence({ id: 'o', method: 'O' }), null, DEFAULT_POLICY)).toEqual({ code: 'knowledge_inference_not_allowed', params: { evidenceId: 'o', method: 'O', byPolicy: false } });
  });
});
