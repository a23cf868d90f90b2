import type { AssessmentReportBody, EvidenceMappingTarget, RecordContent, SignOffGate } from '@attest/contracts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import { createMappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import type { AssessorScope } from './assessor-scope.ts';
import { learnerScopeIn } from './assessor-scope.ts';
import { saveReport } from './assessment-documents.ts';
import { canonicalJson } from '../db/digest-of.ts';
import { judgeEvidenceItem, loadAssessorItems } from './judge-evidence-item.ts';
import { declareCandidateWork } from './sign-off-unit.ts';
import { createAssessorRecord } from './write-assessor-record.ts';

export interface SeedAssessorWorkInput {
  /** The assessor as their launch would carry them, and the unit they assess. */
  readonly assessor: { issuer: string; clientId: string; deploymentId: string; contextId: string; unitId: string; userId: string; userName: string | null };
  readonly learnerUserId: string;
  readonly learnerName?: string | null;
  /** Accept every pending mapping to the unit on the learner's submitted items, by the item's method. */
  readonly acceptSubmitted?: boolean;
  /** Signed records of the assessor's own (observation, questioning…). */
  readonly records?: readonly { readonly content: RecordContent; readonly targets: readonly EvidenceMappingTarget[] }[];
  readonly report?: AssessmentReportBody;
  /** Sign the candidate's declaration for the learner (as their own launch would). */
  readonly candidateDeclaration?: boolean;
  readonly now?: Date;
}

/**
 * Takes a learner's unit towards sign-off through the same use cases as the assessor API, for the
 * demo ("launch as assessor" shows a learner ready for sign-off) and tests. Idempotent: pending
 * mappings only are judged, a record identical to a signed one is not made twice, and the report
 * and declaration are written only when missing. Sends nothing to any LMS. Returns the gate.
 */
export async function seedAssessorWork(tool: { readonly db: Database; readonly catalogue: CatalogueSource }, input: SeedAssessorWorkInput): Promise<SignOffGate> {
  const now = input.now ?? new Date();
  const unit = await tool.catalogue.findUnit(input.assessor.unitId);
  if (!unit) throw new AppError('not_found', `There is no unit ${input.assessor.unitId} in the catalogue.`);
  const assessor: AssessorScope = { ...input.assessor, isAdministrator: false, lineItemUrl: null, isCanvas: false };
  const scope = learnerScopeIn(assessor, input.learnerUserId);
  const asOf = now.toISOString().slice(0, 10);

  if (input.acceptSubmitted) {
    for (const item of await loadAssessorItems(tool.db, scope)) {
      const pending = item.mappings.filter((m) => m.unitId === unit.id && m.decision === 'pending');
      if (item.state !== 'submitted' || pending.length === 0) continue;
      await judgeEvidenceItem(tool.db, assessor, item.id, { baseVersion: item.judgementVersion, itemVersion: item.version, mappings: pending.map((m) => ({ unitId: m.unitId, target: m.target, ref: m.ref, decision: 'accepted', method: m.method, feedback: null })) });
    }
  }
  let state = await assessLearnerUnit(tool.db, unit, scope, asOf);
  const signedContents = new Set(state.records.filter((r) => r.signature !== null && r.supersededBy === null).map((r) => canonicalJson([r.content, r.targets])));
  const check = createMappingTargetCheck(tool.catalogue, null);
  for (const record of input.records ?? []) {
    const targets = await check(record.targets);
    if (signedContents.has(canonicalJson([record.content, targets]))) continue;
    await createAssessorRecord(tool.db, assessor, scope, { content: record.content, targets, sign: true, supersedes: null }, check, now);
  }
  if (input.report && state.report === null) await saveReport(tool.db, assessor, scope, { baseVersion: 0, report: input.report });
  if (input.candidateDeclaration && !state.unitSignatures.has('candidate')) {
    await declareCandidateWork({ db: tool.db, jobs: { enqueueScorePassback: async () => {} }, publicUrl: null }, unit, { scope, userName: input.learnerName ?? null, lineItemUrl: null, isCanvas: false }, now);
  }
  state = await assessLearnerUnit(tool.db, unit, scope, asOf);
  return state.gate;
}
