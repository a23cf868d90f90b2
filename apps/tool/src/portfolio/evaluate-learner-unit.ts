import { evaluateUnit, findRequirementsWithoutEvidence, toPortfolioFacts } from '@attest/standards';
import type { RequirementWithoutEvidence, Signature, SignOffRole, Unit, Verdict } from '@attest/standards';
import type { AssessorRecord } from '@attest/contracts';
import { unitSignOffs, whereLearnerUnit } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';
import { loadEvidenceRecords } from './load-evidence-items.ts';
import type { EvidenceRecord } from './load-evidence-items.ts';
import { loadAssessorRecords, toAssessorFactsSources } from './load-assessor-records.ts';

export interface LearnerUnitEvaluation {
  readonly evidence: EvidenceRecord[];
  readonly records: AssessorRecord[];
  readonly signatures: Signature[];
  readonly verdict: Verdict;
  /** What keeps the candidate's declaration from being accepted: requirements with no submitted item and no assessor's record. */
  readonly withoutEvidence: RequirementWithoutEvidence[];
}

/** The engine's verdict on one learner's unit over their items, the assessor's records and the signatures so far. */
export async function evaluateLearnerUnit(db: Executor, unit: Unit, scope: LearnerScope, asOf: string): Promise<LearnerUnitEvaluation> {
  const [evidence, records, signOffRows] = await Promise.all([
    loadEvidenceRecords(db, scope),
    loadAssessorRecords(db, scope),
    db
      .select()
      .from(unitSignOffs)
      .where(whereLearnerUnit(unitSignOffs, scope, unit.id)),
  ]);
  return toLearnerUnitEvaluation(unit, { evidence, records, signOffRows }, asOf);
}

export type UnitSignOffRow = typeof unitSignOffs.$inferSelect;

/** What the evaluation reads about one learner's unit, as the database holds it. */
export interface LearnerUnitFacts {
  readonly evidence: EvidenceRecord[];
  readonly records: AssessorRecord[];
  readonly signOffRows: readonly UnitSignOffRow[];
}

/**
 * The evaluation itself, pure: one learner's loaded facts in, the verdicts out. The one-learner
 * load above and the caseload's course-wide load (assess-course-learners.ts) both end here, so a
 * learner's row in the caseload and their own page can never disagree.
 */
export function toLearnerUnitEvaluation(unit: Unit, { evidence, records, signOffRows }: LearnerUnitFacts, asOf: string): LearnerUnitEvaluation {
  const signatures: Signature[] = signOffRows.map((row) => ({ role: row.role as SignOffRole, signerId: row.signerUserId, date: row.signedOn }));
  const learnerSources = evidence.map((record) => ({ ...record.item, authorUserId: record.authorUserId, authorRole: record.authorRole }));
  const assessorSources = toAssessorFactsSources(records);
  const verdict = evaluateUnit(unit, toPortfolioFacts(unit.id, [...learnerSources, ...assessorSources], signatures), { asOf });
  // The declaration's evidence: what the learner submitted and what the assessor recorded, never a draft.
  const declarable = [...learnerSources.filter((source) => source.state === 'submitted'), ...assessorSources];
  const declarableVerdict = evaluateUnit(unit, toPortfolioFacts(unit.id, declarable, signatures), { asOf });
  return { evidence, records, signatures, verdict, withoutEvidence: findRequirementsWithoutEvidence(unit, declarableVerdict) };
}
