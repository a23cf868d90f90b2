import { methodsOf, observedIds, isObserved, type TargetEvidence } from '../evidence-findings.ts';
import type { Reason, Status } from '../verdict.ts';
import { combineStatuses } from '../status.ts';
import { reasonsOf } from '../target-verdicts.ts';
import { statementsNamed, type RuleKind } from './rule-kind.ts';

/**
 * "The assessor must assess PCs 3–7 by directly observing the candidate's work" (seed 001).
 * Reads: the usable and pending observations of each statement it names.
 * Gives: each such statement is only partly met until an observation counts for it; the rule is
 * met when every one has been observed, waiting while an observation awaits the assessor.
 */
export const observationRequired: RuleKind<'observation-required'> = {
  targets: (rule, unit, at) => statementsNamed(rule.statements, unit, at),
  demand(_rule, targets, demands) {
    for (const s of targets.indexes) (demands.statements[s] as { observationRequired: boolean }).observationRequired = true;
  },
  judge(_rule, targets, { findings }) {
    const evidence = targets.indexes.map((s) => findings.statements[s] as TargetEvidence);
    const statuses = evidence.map((e): Status => (isObserved(e) ? 'met' : e.hasPendingObservation ? 'not-yet-assessed' : 'not-met'));
    const unobserved = targets.keys.filter((_, t) => statuses[t] !== 'met');
    if (unobserved.length === 0) return { status: combineStatuses(statuses), reasons: [{ code: 'statements_met', params: { refs: targets.keys } }] };
    const reasons = targets.keys.flatMap((ref, t): Reason[] => (statuses[t] === 'met' ? [] : [{ code: 'observation_required', params: { ref, methods: methodsOf(evidence[t] as TargetEvidence) } }]));
    return { status: combineStatuses(statuses), reasons };
  },
};

/**
 * What the rule does to the verdict of a statement it names that its evidence has met: without an
 * observation the statement is partly met, and says so first; with one, it lists the observations last.
 * `head` and `own` are the reasons the statement gives anyway.
 */
export function observedStatement(evidence: TargetEvidence, key: string, head: Reason | null, own: readonly Reason[]): { status: Status; reasons: Reason[] } {
  if (isObserved(evidence)) return { status: 'met', reasons: reasonsOf(head, own, { code: 'observed', params: { evidenceIds: observedIds(evidence) } }) };
  const awaiting: Reason | null = evidence.hasPendingObservation ? { code: 'awaiting_assessment', params: { count: evidence.pending } } : null;
  const required: Reason = { code: 'observation_required', params: { ref: key, methods: methodsOf(evidence) } };
  return { status: 'partly-met', reasons: [required].concat(reasonsOf(head, own, awaiting)) };
}
