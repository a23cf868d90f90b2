import type { AssessmentActionPlan, AssessmentReport, SignOffGate } from '@attest/contracts';
import { countMissingRequirements, toNextSteps } from '@attest/standards';
import type { AssessorNextStep, LearnerNextStep, Unit } from '@attest/standards';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';
import { findActionPlan, findReport } from './load-assessment-documents.ts';
import { evaluateLearnerUnit } from './evaluate-learner-unit.ts';
import type { LearnerUnitEvaluation } from './evaluate-learner-unit.ts';
import { toSignOffGate } from './to-sign-off-gate.ts';
import { loadUnitSignatures, loadWithdrawnSignatures, stageOf } from './load-unit-signatures.ts';
import type { UnitSignatureRole, UnitSignatureRow } from './load-unit-signatures.ts';

export interface LearnerUnitAssessment extends LearnerUnitEvaluation {
  readonly signatures: LearnerUnitEvaluation['signatures'];
  readonly unitSignatures: Map<UnitSignatureRole, UnitSignatureRow>;
  /** Signatures withdrawn by reopening the unit, newest first; they count for nothing. */
  readonly withdrawnSignatures: UnitSignatureRow[];
  readonly actionPlan: AssessmentActionPlan | null;
  readonly report: AssessmentReport | null;
  readonly gate: SignOffGate;
  /** The next step each side has to take, from the same gate the sign-off route applies. */
  readonly nextSteps: { readonly learner: LearnerNextStep; readonly assessor: AssessorNextStep };
}

/** Everything the assessor's screens and the sign-off gate read about one learner's unit, read once. */
export async function assessLearnerUnit(db: Executor, unit: Unit, scope: LearnerScope, asOf: string): Promise<LearnerUnitAssessment> {
  const [evaluation, unitSignatures, withdrawnSignatures, actionPlan] = await Promise.all([
    evaluateLearnerUnit(db, unit, scope, asOf),
    loadUnitSignatures(db, scope, unit.id),
    loadWithdrawnSignatures(db, scope, unit.id),
    findActionPlan(db, scope, unit.id),
  ]);
  const report = await findReport(db, scope, unit.id, unitSignatures.has('assessor'));
  return toLearnerUnitAssessment(unit, evaluation, { unitSignatures, withdrawnSignatures, actionPlan, report });
}

/** The assessor's documents and the signature chain of one learner's unit, as loaded. */
export interface LearnerUnitDocuments {
  readonly unitSignatures: Map<UnitSignatureRole, UnitSignatureRow>;
  readonly withdrawnSignatures: UnitSignatureRow[];
  readonly actionPlan: AssessmentActionPlan | null;
  readonly report: AssessmentReport | null;
}

/**
 * The gate and the next steps, pure, from the evaluation and the loaded documents: shared by the
 * one-learner load above and the caseload's course-wide load (assess-course-learners.ts).
 */
export function toLearnerUnitAssessment(unit: Unit, evaluation: LearnerUnitEvaluation, { unitSignatures, withdrawnSignatures, actionPlan, report }: LearnerUnitDocuments): LearnerUnitAssessment {
  const gate = toSignOffGate(evaluation.verdict, { hasCandidateDeclaration: unitSignatures.has('candidate'), report: report?.report ?? null });
  const mapped = evaluation.evidence.map(({ item }) => ({ state: item.state, decisions: item.mappings.filter((m) => m.unitId === unit.id).map((m) => m.decision) })).filter((item) => item.decisions.length > 0);
  const nextSteps = toNextSteps({
    signOffStage: stageOf(unitSignatures),
    isGateOpen: gate.isOpen,
    areRulesMet: evaluation.verdict.isReadyForSignOff,
    hasCandidateDeclaration: unitSignatures.has('candidate'),
    isReportComplete: !gate.blocking.some((reason) => reason.where === 'sign-off' && reason.ref === 'report'),
    requirementsWithoutEvidence: evaluation.withoutEvidence.length,
    missingRequirements: countMissingRequirements(evaluation.verdict),
    draftItems: mapped.filter((item) => item.state !== 'submitted').length,
    itemsAwaitingDecision: mapped.filter((item) => item.state === 'submitted' && item.decisions.includes('pending')).length,
  });
  return { ...evaluation, unitSignatures, withdrawnSignatures, actionPlan, report, gate, nextSteps };
}
