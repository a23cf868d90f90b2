import type { EvidenceItem } from '../portfolio-facts-schema.ts';
import type { Reason } from '../verdict.ts';
import { combineStatuses } from '../status.ts';
import { narrowMethods, statementsNamed, type RuleKind, type RuleTargets, type RuleFacts, type RuleOutcome } from './rule-kind.ts';

/**
 * Only the listed methods may evidence the statements it names; two such rules on one statement
 * allow only the methods both list.
 * Reads: each named statement's verdict (evidence of another method was refused while reading it).
 * Gives: met when every named statement is met; the ones that are not, by key.
 */
export const methodsAllowed: RuleKind<'methods-allowed'> = {
  targets: (rule, unit, at) => statementsNamed(rule.statements, unit, at),
  demand(rule, targets, demands) {
    for (const s of targets.indexes) {
      const d = demands.statements[s] as { allowedMethods: readonly string[] | null };
      d.allowedMethods = narrowMethods(d.allowedMethods, rule.methods);
    }
  },
  judge: (_rule, targets, facts) => namedStatementsMet(targets, facts),
};

/** The refusal of accepted evidence whose method the target does not allow (this rule's, or a scope-coverage rule's methods); null when allowed. */
export function methodRefusal(item: EvidenceItem, allowed: readonly string[] | null): Reason | null {
  if (allowed === null || allowed.includes(item.method)) return null;
  return { code: 'method_not_allowed', params: { evidenceId: item.id, method: item.method, allowed } };
}

/** Met when every statement a rule names is met; shared with knowledge-inference, which judges its statements the same way. */
export function namedStatementsMet(targets: RuleTargets, { statements }: RuleFacts): RuleOutcome {
  const statuses = targets.indexes.map((s) => statements[s]?.status ?? 'not-met');
  const missing = targets.keys.filter((_, t) => statuses[t] !== 'met');
  const status = combineStatuses(statuses);
  if (missing.length === 0) return { status, reasons: [{ code: 'statements_met', params: { refs: targets.keys } }] };
  return { status, reasons: [{ code: 'statements_not_met', params: { refs: missing } }] };
}
