import { methodsOf, usableIds, type EvidenceFindings, type TargetEvidence } from './evidence-findings.ts';
import { observedStatement } from './rules/observation-required.ts';
import { combineStatuses } from './status.ts';
import type { PlannedRequirement, PlannedScopeItem, PlannedStatement, UnitPlan } from './unit-plan.ts';
import type { EvidenceRequirementVerdict, Reason, RuleVerdict, ScopeItemVerdict, StatementVerdict, Status } from './verdict.ts';

// Reasons without per-evaluation params, shared by every verdict: frozen, so no reader can change
// another verdict through them. Most targets of a fresh portfolio carry one.
const NO_EVIDENCE: Reason = Object.freeze({ code: 'no_evidence', params: Object.freeze({}) });
const NOT_REQUIRED: Reason = Object.freeze({ code: 'not_required', params: Object.freeze({}) });

/** From the target's own evidence: met when some counts, waiting when some awaits the assessor, else not met. */
export function evidenceStatus(e: TargetEvidence): Status {
  return e.usable.length > 0 ? 'met' : e.pending > 0 ? 'not-yet-assessed' : 'not-met';
}

/** The reason a target's verdict starts with; none when it is not met and its own reasons say why. */
function head(e: TargetEvidence, status: Status, evidenceIds: string[]): Reason | null {
  if (status === 'met') return { code: 'evidence_accepted', params: { count: evidenceIds.length, evidenceIds, methods: methodsOf(e) } };
  if (status === 'not-yet-assessed') return { code: 'awaiting_assessment', params: { count: e.pending } };
  return e.reasons.length > 0 ? null : NO_EVIDENCE;
}

/** `first`, then the target's own reasons, then `last`, leaving out what is null. */
export function reasonsOf(first: Reason | null, own: readonly Reason[], last: Reason | null = null): Reason[] {
  // Made at its size and filled: a spread goes through an iterator and grows the list as it goes,
  // and every target of every evaluation gives one.
  const reasons = new Array<Reason>((first === null ? 0 : 1) + own.length + (last === null ? 0 : 1));
  let r = 0;
  if (first !== null) reasons[r++] = first;
  // By index: `own` is sometimes the frozen shared empty list, and a for-of over both kinds of list
  // made V8 allocate an iterator result per reason.
  for (let i = 0; i < own.length; i++) reasons[r++] = own[i] as Reason;
  if (last !== null) reasons[r] = last;
  return reasons;
}

export function statementVerdict(s: PlannedStatement, e: TargetEvidence): StatementVerdict {
  const evidenceIds = usableIds(e);
  const base = evidenceStatus(e);
  const start = head(e, base, evidenceIds);
  if (s.demands.observationRequired && base === 'met') {
    const { status, reasons } = observedStatement(e, s.key, start, e.reasons);
    return { key: s.key, ref: s.ref, kind: s.kind, groupRef: s.groupRef, status, evidenceIds, reasons };
  }
  return { key: s.key, ref: s.ref, kind: s.kind, groupRef: s.groupRef, status: base, evidenceIds, reasons: reasonsOf(start, e.reasons) };
}

export function scopeItemVerdict(item: PlannedScopeItem, e: TargetEvidence): ScopeItemVerdict {
  const evidenceIds = usableIds(e);
  const status = evidenceStatus(e);
  return { key: item.key, groupRef: item.groupRef, ref: item.ref, isRequired: item.demands.isRequired, status, evidenceIds, reasons: reasonsOf(head(e, status, evidenceIds), e.reasons) };
}

/** Each requirement's status from its own evidence, a lettered requirement's from its items: what evidence-required rules read. */
export function requirementStatuses(plan: UnitPlan, findings: EvidenceFindings): Status[] {
  const own = findings.requirements.map(evidenceStatus);
  const statuses = new Array<Status>(own.length);
  for (let i = 0; i < own.length; i++) {
    const children = (plan.requirements[i] as PlannedRequirement).children;
    statuses[i] = children.length === 0 ? (own[i] as Status) : combineStatuses(children.map((c) => own[c] as Status));
  }
  return statuses;
}

/**
 * A requirement a rule decides (its `evidenceRequirement`) takes that rule's status; a lettered one
 * lists its items still missing; any other stands on its own evidence.
 */
export function requirementVerdict(q: PlannedRequirement, e: TargetEvidence, status: Status, rules: readonly RuleVerdict[], statuses: readonly Status[]): EvidenceRequirementVerdict {
  const evidenceIds = usableIds(e);
  const notRequired = q.demands.isRequired ? null : NOT_REQUIRED;
  let reasons: Reason[];
  if (q.decidingRules.length > 0) {
    status = combineStatuses(q.decidingRuleIndexes.map((r) => rules[r]?.status ?? 'not-met'));
    reasons = reasonsOf({ code: 'decided_by_rule', params: { rules: q.decidingRules, kinds: q.decidingKinds } }, e.reasons, notRequired);
  } else if (q.children.length > 0) {
    const missing: string[] = [];
    for (let c = 0; c < q.children.length; c++) if (statuses[q.children[c] as number] !== 'met') missing.push(q.childKeys[c] as string);
    reasons = reasonsOf({ code: status === 'met' ? 'requirements_met' : 'requirements_not_met', params: { missing } }, [], notRequired);
  } else reasons = reasonsOf(head(e, status, evidenceIds), e.reasons, notRequired);
  return { key: q.key, ref: q.ref, parentRef: q.parentRef, isRequired: q.demands.isRequired, status, evidenceIds, reasons };
}

