import {
  AssessmentActionPlanSchema,
  AssessmentReportSchema,
  AssessorCaseloadSchema,
  AssessorEvidenceItemSchema,
  AssessorPortfolioSchema,
  AssessorRecordSchema,
  CANDIDATE_UNIT_DECLARATION,
  SignOffStateSchema,
  type AssessorPortfolio,
  type AssessorRecord,
  type CaseloadLearner,
  type EvidenceMappingTarget,
  type SignOffGate,
} from '@attest/contracts';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { launchToolApi } from './launch-tool-api.ts';
import type { ReadyLearnerAssessment } from './ready-learner-assessment.ts';
import { seedLearnerEvidence } from './seed-learner-evidence.ts';

export interface SeedReadyForSignOffInput {
  readonly emulator: PlatformEmulator;
  readonly toolUrl: string;
  readonly courseId: string;
  readonly learnerId: string;
  readonly assessorId: string;
  /** The unit's activity: the learner's evidence and the assessor's work are both done through it. */
  readonly resourceLinkId: string;
  readonly otherResourceLinkIds: readonly string[];
  readonly assessment: ReadyLearnerAssessment;
}

export interface SeededReadyForSignOff {
  /** What this call wrote; all zero when everything was already in place. */
  readonly written: { readonly items: number; readonly judgements: number; readonly records: number; readonly actionPlan: number; readonly report: number; readonly declaration: number };
  /** The learner's row of the assessor's caseload after seeding. */
  readonly caseloadRow: CaseloadLearner;
  /** The sign-off gate as the assessor's API reports it: open, unless the engine says otherwise. */
  readonly gate: SignOffGate;
}

const targetKey = (target: EvidenceMappingTarget) => `${target.unitId}|${target.target}|${target.ref}`;
const sameTargets = (a: readonly EvidenceMappingTarget[], b: readonly EvidenceMappingTarget[]) => {
  const have = new Set(a.map(targetKey));
  return have.size === b.length && b.every((target) => have.has(targetKey(target)));
};

/** A signed, current record of the same kind over the same targets is the one the seed would write. */
function hasRecord(records: readonly AssessorRecord[], kind: string, targets: readonly EvidenceMappingTarget[]): boolean {
  return records.some((record) => record.kind === kind && record.signature !== null && record.supersededBy === null && sameTargets(record.targets, targets));
}

/**
 * Takes a learner to "ready for sign-off" through the tool's public API, each side as its own
 * browser would: the learner's launch submits their evidence (seedLearnerEvidence) and signs the
 * candidate declaration; the assessor's Instructor launch accepts that evidence, signs their own
 * records, and writes the action plan and a competent report. It stops short of the assessor's
 * signature: that is left to whoever opens the demo. Each step checks what the server already holds
 * first, so running it again writes nothing.
 */
export async function seedReadyForSignOff(input: SeedReadyForSignOffInput): Promise<SeededReadyForSignOff> {
  const { emulator, toolUrl, courseId, learnerId, assessorId, resourceLinkId, assessment } = input;
  const learnerSeed = await seedLearnerEvidence({ emulator, toolUrl, courseId, learnerId, resourceLinkId, otherResourceLinkIds: input.otherResourceLinkIds, evidence: assessment.evidence });

  const { api: assessor } = await launchToolApi(emulator.launchUrl({ courseId, userId: assessorId, resourceLinkId }), toolUrl);
  const learnerPath = `/api/assessor/learners/${encodeURIComponent(learnerId)}`;
  const portfolioNow = () => assessor.get(`${learnerPath}/portfolio`, AssessorPortfolioSchema);
  let portfolio: AssessorPortfolio = await portfolioNow();
  const unitId = portfolio.unitId;

  let judgements = 0;
  for (const item of portfolio.items) {
    if (item.state !== 'submitted' || !learnerSeed.items.some((seeded) => seeded.id === item.id)) continue;
    const pending = item.mappings.filter((mapping) => mapping.unitId === unitId && mapping.decision === 'pending');
    if (pending.length === 0) continue;
    await assessor.put(
      `/api/assessor/evidence/${encodeURIComponent(item.id)}/judgement`,
      { baseVersion: item.judgementVersion, itemVersion: item.version, mappings: pending.map(({ unitId: unit, target, ref, method }) => ({ unitId: unit, target, ref, decision: 'accepted', method, feedback: null })) },
      AssessorEvidenceItemSchema,
    );
    judgements += 1;
  }

  let records = 0;
  for (const record of assessment.records) {
    if (hasRecord(portfolio.records, record.content.kind, record.targets)) continue;
    await assessor.post(`${learnerPath}/records`, { content: record.content, targets: record.targets, sign: true, supersedes: null }, AssessorRecordSchema);
    records += 1;
  }

  let actionPlan = 0;
  if (portfolio.actionPlan === null) {
    await assessor.put(`${learnerPath}/action-plan`, { baseVersion: 0, plan: assessment.actionPlan }, AssessmentActionPlanSchema);
    actionPlan = 1;
  }
  let report = 0;
  if (portfolio.report === null) {
    await assessor.put(`${learnerPath}/report`, { baseVersion: 0, report: assessment.report }, AssessmentReportSchema);
    report = 1;
  }

  let declaration = 0;
  if (portfolio.signOff.candidate === null) {
    const { api: learner } = await launchToolApi(emulator.launchUrl({ courseId, userId: learnerId, resourceLinkId }), toolUrl);
    await learner.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION }, SignOffStateSchema.omit({ grade: true }));
    declaration = 1;
  }

  portfolio = await portfolioNow();
  const caseload = await assessor.get('/api/assessor/caseload', AssessorCaseloadSchema);
  const caseloadRow = caseload.learners.find((learner) => learner.userId === learnerId);
  if (!caseloadRow) throw new Error(`Learner ${learnerId} is not on the assessor's caseload`);
  return {
    written: { items: learnerSeed.created, judgements, records, actionPlan, report, declaration },
    caseloadRow,
    gate: portfolio.signOff.gate,
  };
}
