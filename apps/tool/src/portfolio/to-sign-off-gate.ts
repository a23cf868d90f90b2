import { ASSESSMENT_REPORT_CHECKS, renderReason } from '@attest/standards';
import type { Reason, ReasonCode, Verdict } from '@attest/standards';
import type { AssessmentReportBody, BlockingReason, ReportChecks, SignOffGate } from '@attest/contracts';

/** Reasons that say why something counts; on an unmet row they explain nothing that blocks. */
const PASSING: ReadonlySet<ReasonCode> = new Set([
  'evidence_accepted',
  'observed',
  'knowledge_inferred',
  'scope_covered',
  'work_setting_met',
  'statements_met',
  'requirements_met',
  'signature_present',
  'not_required',
  'decided_by_rule',
  'signature_not_sampled',
  'signature_not_required',
  'assessor_step_assumed',
]);

/** Each report check with the answer sign-off needs, in ASSESSMENT_REPORT_CHECKS order. */
const REPORT_CHECKS: readonly [keyof ReportChecks, boolean][] = [
  ['moreSkillsEvidenceRequired', false],
  ['moreKnowledgeEvidenceRequired', false],
  ['morePortfolioEvidenceRequired', false],
  ['skillsMet', true],
  ['knowledgeMet', true],
  ['evidenceValidSufficientCurrentAuthentic', true],
  ['properlyAuthenticated', true],
];

export interface GateInputs {
  readonly hasCandidateDeclaration: boolean;
  readonly report: AssessmentReportBody | null;
}

/**
 * Whether the assessor may sign the unit off, and if not, every reason in plain English: the
 * engine's verdict first (the rules decide, not the assessor's report), then the candidate's
 * declaration and the report's own answers. Pure: the verdict comes in already evaluated.
 */
export function toSignOffGate(verdict: Verdict, inputs: GateInputs): SignOffGate {
  const blocking: BlockingReason[] = [];
  const add = (where: BlockingReason['where'], ref: string | null, reasons: readonly Reason[], fallback: string) => {
    const explaining = reasons.filter((reason) => !PASSING.has(reason.code));
    if (explaining.length === 0) blocking.push({ where, ref, code: 'not_met', message: fallback });
    for (const reason of explaining) blocking.push({ where, ref, code: reason.code, message: renderReason(reason) });
  };
  for (const s of verdict.statements) if (s.status !== 'met') add('statement', s.key, s.reasons, `${s.ref} is not met yet.`);
  for (const s of verdict.scopeItems) if (s.isRequired && s.status !== 'met') add('scope-item', s.key, s.reasons, `Scope item ${s.key} is not covered yet.`);
  for (const r of verdict.evidenceRequirements) if (r.isRequired && r.status !== 'met') add('evidence-requirement', r.key, r.reasons, `Evidence requirement ${r.key} is not met yet.`);
  for (const r of verdict.rules) if (r.status !== 'met') add('rule', String(r.index), r.reasons, `The unit’s ${r.kind} rule is not met yet.`);
  if (!verdict.isReadyForSignOff && blocking.length === 0) blocking.push({ where: 'unit', ref: null, code: 'not_ready', message: 'The unit’s rules are not all met yet.' });

  if (!inputs.hasCandidateDeclaration) {
    blocking.push({ where: 'sign-off', ref: 'candidate', code: 'candidate_declaration_missing', message: 'The candidate has not yet confirmed that the evidence is their own work.' });
  }
  const report = inputs.report;
  if (report === null) {
    blocking.push({ where: 'sign-off', ref: 'report', code: 'report_missing', message: 'Complete the assessment report before signing the unit off.' });
  } else {
    REPORT_CHECKS.forEach(([key, needed], index) => {
      if (report.checks[key] !== needed) {
        blocking.push({ where: 'sign-off', ref: 'report', code: 'report_check', message: `The assessment report answers “${ASSESSMENT_REPORT_CHECKS[index]}” with ${needed ? 'no' : 'yes'}.` });
      }
    });
    if (report.outcome !== 'competent') blocking.push({ where: 'sign-off', ref: 'report', code: 'report_not_competent', message: 'The assessment report’s outcome is not yet competent.' });
  }
  return { isOpen: blocking.length === 0, blocking };
}
