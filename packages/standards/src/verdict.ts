import type { AssessmentRuleKind, Statement } from './unit-schema.ts';
import type { SignOffRole } from './vocabularies.ts';

export const REASON_CODES = [
  'evidence_accepted',
  'no_evidence',
  'awaiting_assessment',
  'evidence_referred',
  'observation_required',
  'observed',
  'method_not_allowed',
  'simulation_not_allowed',
  'rwe_not_allowed',
  'evidence_not_current',
  'evidence_dated_after_as_of',
  'knowledge_inference_not_allowed',
  'knowledge_inferred',
  'scope_observed_count',
  'scope_not_covered',
  'scope_covered',
  'distinct_occasions',
  'distinct_customers',
  'evidence_period',
  'no_performance_evidence',
  'work_setting_met',
  'statements_met',
  'statements_not_met',
  'requirements_met',
  'requirements_not_met',
  'decided_by_rule',
  'not_required',
  'unknown_target',
  'signature_present',
  'signature_missing',
  'signature_dated_after_as_of',
  'signature_not_sampled',
  'signature_not_required',
  'signed_before_requirements_met',
  'assessor_step_assumed',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export type ReasonParam = string | number | boolean | readonly string[];
export type Reason = { code: ReasonCode; params: Readonly<Record<string, ReasonParam>> };

export type Status = 'met' | 'partly-met' | 'not-met' | 'not-yet-assessed';
export type UnitState = 'not-started' | 'in-progress' | 'ready-for-sign-off' | 'signed-off' | 'verified';

export type StatementVerdict = {
  key: string;
  ref: string;
  kind: Statement['kind'];
  groupRef: string | null;
  status: Status;
  evidenceIds: string[];
  reasons: Reason[];
};

export type ScopeItemVerdict = {
  key: string;
  groupRef: string | null;
  ref: string;
  isRequired: boolean;
  status: Status;
  evidenceIds: string[];
  reasons: Reason[];
};

export type EvidenceRequirementVerdict = {
  key: string;
  ref: string;
  parentRef: string | null;
  isRequired: boolean;
  status: Status;
  evidenceIds: string[];
  reasons: Reason[];
};

export type RuleVerdict = { index: number; kind: AssessmentRuleKind; status: Status; reasons: Reason[] };

export type SignOffVerdict = {
  role: SignOffRole;
  ifSampled: boolean;
  stage: 'sign-off' | 'verification';
  status: 'signed' | 'awaiting' | 'not-required';
  signedOn: string | null;
  reasons: Reason[];
};

export type Tally = { met: number; total: number };

export type Verdict = {
  unitId: string;
  asOf: string;
  state: UnitState;
  isReadyForSignOff: boolean;
  statements: StatementVerdict[];
  scopeItems: ScopeItemVerdict[];
  evidenceRequirements: EvidenceRequirementVerdict[];
  rules: RuleVerdict[];
  signOff: SignOffVerdict[];
  summary: { statements: Tally; scopeItems: Tally; evidenceRequirements: Tally; rules: Tally };
  /** Findings about the portfolio as a whole, e.g. a mapping to a ref the unit does not have. */
  reasons: Reason[];
};
