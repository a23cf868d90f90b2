import type { EvidenceItem, Policy } from '../portfolio-facts-schema.ts';
import type { Reason } from '../verdict.ts';
import { namedStatementsMet } from './methods-allowed.ts';
import { statementsNamed, type RuleKind } from './rule-kind.ts';

/**
 * Knowledge may be inferred from performance evidence of the listed methods (seed 001: "how to"
 * knowledge from observed performance). Without such a rule, or where the centre's policy forbids
 * inference, evidence that can only imply knowledge (observation, product evidence, work products)
 * does not count for a knowledge statement; questioning and the like always do.
 * Reads: each named statement's verdict. Gives: met when every named statement is met.
 */
export const knowledgeInference: RuleKind<'knowledge-inference'> = {
  targets: (rule, unit, at) => statementsNamed(rule.statements, unit, at),
  demand(rule, targets, demands) {
    for (const s of targets.indexes) {
      const d = demands.statements[s] as { inferenceMethods: ReadonlySet<string> | null };
      d.inferenceMethods = new Set([...(d.inferenceMethods ?? []), ...rule.fromMethods]);
    }
  },
  judge: (_rule, targets, facts) => namedStatementsMet(targets, facts),
};

/**
 * For accepted inference-only evidence mapped to a knowledge statement, the reason the statement
 * gives: `knowledge_inferred` when it counts, `knowledge_inference_not_allowed` when it does not.
 * `inferenceMethods` is null when no rule names the statement.
 */
export function inferenceReason(item: EvidenceItem, inferenceMethods: ReadonlySet<string> | null, policy: Policy): Reason {
  if (!policy.allowKnowledgeInference || inferenceMethods === null || !inferenceMethods.has(item.method)) {
    const byPolicy = inferenceMethods !== null && !policy.allowKnowledgeInference;
    return { code: 'knowledge_inference_not_allowed', params: { evidenceId: item.id, method: item.method, byPolicy } };
  }
  return { code: 'knowledge_inferred', params: { evidenceId: item.id, method: item.method } };
}
