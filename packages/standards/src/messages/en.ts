import type { ReasonCode, ReasonParam } from '../verdict.ts';

type Params = Readonly<Record<string, ReasonParam>>;
const list = (value: ReasonParam | undefined): string => (Array.isArray(value) ? (value.length > 0 ? value.join(', ') : 'none') : String(value ?? ''));
const plural = (n: ReasonParam | undefined, one: string, many: string): string => `${String(n)} ${Number(n) === 1 ? one : many}`;

const ROLE_NAMES: Record<string, string> = {
  candidate: 'candidate',
  assessor: 'assessor',
  'assessor-countersignature': 'countersigning assessor',
  'internal-verifier': 'internal verifier',
  'internal-verifier-countersignature': 'countersigning internal verifier',
  'external-verifier': 'external verifier',
};
const role = (value: ReasonParam | undefined): string => ROLE_NAMES[String(value)] ?? String(value);

export const en: Record<ReasonCode, (p: Params) => string> = {
  evidence_accepted: (p) => `${plural(p.count, 'accepted piece', 'accepted pieces')} of evidence (${list(p.evidenceIds)}).`,
  no_evidence: () => 'No evidence has been mapped to this yet.',
  awaiting_assessment: (p) => `${plural(p.count, 'piece', 'pieces')} of evidence ${Number(p.count) === 1 ? 'is' : 'are'} waiting for the assessor’s decision.`,
  evidence_referred: (p) => `The assessor referred evidence ${list(p.evidenceId)}: it does not count until it is resubmitted and accepted.`,
  observation_required: (p) =>
    Array.isArray(p.methods) && p.methods.length > 0 ? `${list(p.ref)} must be directly observed by the assessor; so far it is evidenced only by ${list(p.methods)}.` : `${list(p.ref)} must be directly observed by the assessor; it has no accepted evidence yet.`,
  observed: (p) => `Directly observed (${list(p.evidenceIds)}).`,
  method_not_allowed: (p) => `Evidence ${list(p.evidenceId)} uses method ${list(p.method)}, which this unit does not accept here (allowed: ${list(p.allowed)}).`,
  simulation_not_allowed: (p) => `Evidence ${list(p.evidenceId)} comes from a simulation, which this unit does not allow for performance evidence.`,
  rwe_not_allowed: (p) => `Evidence ${list(p.evidenceId)} comes from a realistic working environment, which this unit does not allow: it needs a real job.`,
  evidence_not_current: (p) => `Evidence ${list(p.evidenceId)} is ${String(p.ageDays)} days old; the centre accepts evidence up to ${String(p.maxAgeDays)} days old.`,
  evidence_dated_after_as_of: (p) => `Evidence ${list(p.evidenceId)} is dated ${list(p.date)}, after the date of this evaluation.`,
  knowledge_inference_not_allowed: (p) =>
    p.byPolicy ? `Evidence ${list(p.evidenceId)} (${list(p.method)}) would infer knowledge from performance, which the centre does not allow.` : `Evidence ${list(p.evidenceId)} (${list(p.method)}) cannot show this knowledge: the unit does not let it be inferred from performance, so it needs questioning or another direct method.`,
  knowledge_inferred: (p) => `Knowledge inferred from ${list(p.method)} evidence ${list(p.evidenceId)}, as the unit allows.`,
  scope_observed_count: (p) => `${String(p.observed)} of ${String(p.required)} required scope items directly observed${Array.isArray(p.items) && p.items.length > 0 ? ` (${list(p.items)})` : ''}.`,
  scope_not_covered: (p) => `${String(p.covered)} of ${String(p.total)} scope items covered; still missing: ${list(p.missing)}.`,
  scope_covered: (p) => `All ${String(p.total)} scope items covered.`,
  distinct_occasions: (p) => `Evidence from ${plural(p.count, 'distinct occasion', 'distinct occasions')}; at least ${String(p.required)} needed.`,
  distinct_customers: (p) => `Evidence with ${plural(p.count, 'distinct customer', 'distinct customers')}; at least ${String(p.required)} needed.`,
  evidence_period: (p) => `Evidence spans ${plural(p.days, 'day', 'days')}; at least ${String(p.required)} needed.`,
  no_performance_evidence: () => 'No accepted performance evidence yet.',
  work_setting_met: (p) => `${plural(p.count, 'piece', 'pieces')} of performance evidence from an allowed setting (${list(p.allowed)}).`,
  statements_met: (p) => `Met for ${list(p.refs)}.`,
  statements_not_met: (p) => `Not yet met for ${list(p.refs)}.`,
  requirements_met: () => 'Every listed evidence requirement is evidenced.',
  requirements_not_met: (p) => `Still to evidence: ${list(p.missing)}.`,
  decided_by_rule: (p) => `Decided by the unit’s ${list(p.kinds)} rule.`,
  not_required: () => 'No rule of this unit requires this on its own; it is recorded for reference.',
  unknown_target: (p) => `Evidence ${list(p.evidenceId)} is mapped to ${list(p.target)} ${list(p.ref)}, which this unit does not have.`,
  signature_present: (p) => `Signed by the ${role(p.role)} on ${list(p.date)}.`,
  signature_missing: (p) => `Waiting for the ${role(p.role)}’s signature.`,
  signature_dated_after_as_of: (p) => `The ${role(p.role)}’s signature is dated ${list(p.date)}, after the date of this evaluation, and is ignored.`,
  signature_not_sampled: (p) => `The ${role(p.role)} signs only if this unit is sampled, and it was not.`,
  signature_not_required: (p) => `No ${role(p.role)} is needed for this candidate.`,
  assessor_step_assumed: () => 'The unit’s form prints no assessor sign-off; the assessor’s signature is still required.',
  signed_before_requirements_met: (p) => `Signed by ${list(Array.isArray(p.roles) ? p.roles.map((r) => role(r)) : p.roles)} before every requirement was met.`,
};
