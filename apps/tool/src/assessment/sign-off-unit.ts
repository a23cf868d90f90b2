import { describeRequirementWithoutEvidence } from '@attest/standards';
import type { Unit } from '@attest/standards';
import { ASSESSOR_UNIT_DECLARATION, CANDIDATE_UNIT_DECLARATION } from '@attest/contracts';
import type { Database, Transaction } from '../db/index.ts';
import { digestOf } from '../db/digest-of.ts';
import { AppError } from '../errors/app-error.ts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import { evaluateLearnerUnit } from '../portfolio/evaluate-learner-unit.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import type { EvidenceRecord } from '../portfolio/load-evidence-items.ts';
import { loadUnitSignatures, stageOf } from '../portfolio/load-unit-signatures.ts';
import { lockLearnerUnit, lockUnitItems } from '../portfolio/portfolio-locks.ts';
import type { JobQueue } from '../jobs/index.ts';
import type { ScorePassbackRow } from '../scores/create-score-passback.ts';
import type { AssessorScope } from './assessor-scope.ts';
import { getAssessorProfile } from './assessor-profiles.ts';
import { getGradeStatus } from './get-grade-status.ts';
import { storeUnitScore } from './store-unit-score.ts';
import { appendUnitSignature, withdrawUnitSignatures } from './unit-signatures.ts';

export interface SignOffDeps {
  readonly db: Database;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback'>;
  /** The tool's public URL, for the launch URL Canvas's SpeedGrader opens; null leaves the extension off. */
  readonly publicUrl: string | null;
}

/** The URL SpeedGrader launches to open this learner's unit (Canvas `basic_lti_launch` submission). */
export function graderLaunchUrl(publicUrl: string, unitId: string, learnerUserId: string): string {
  const url = new URL('/lti/launch', publicUrl);
  url.searchParams.set('attest_unit', unitId);
  url.searchParams.set('attest_learner', learnerUserId);
  return url.toString();
}

const COMPLETION_COMMENT = (unit: Unit) => `Unit ${[...unit.codes, unit.title].join(' ')} signed off as competent.`.slice(0, 1000);

/**
 * What the sign-off rests on, item by item: each item mapped to the unit at its version, a digest of
 * its text, its mappings to the unit with their decisions, and each file's id, name, SHA-256 and
 * size, so a verifier can check the stored bytes against the signature.
 */
export function toSignedEvidence(evidence: readonly EvidenceRecord[], unitId: string) {
  return evidence
    .filter(({ item }) => item.mappings.some((m) => m.unitId === unitId))
    .map(({ item }) => ({
      id: item.id,
      version: item.version,
      state: item.state,
      draftDigest: digestOf({ title: item.title, description: item.description, evidenceType: item.evidenceType, activityDate: item.activityDate, customerRef: item.customerRef, occasionRef: item.occasionRef, workSetting: item.workSetting }),
      files: item.files.map((f) => ({ id: f.id, name: f.name, sha256: f.sha256, size: f.size })),
      mappings: item.mappings.filter((m) => m.unitId === unitId).map((m) => ({ target: m.target, ref: m.ref, decision: m.decision, method: m.method })),
    }));
}

async function queue(deps: SignOffDeps, row: ScorePassbackRow | null): Promise<void> {
  // After commit: a crash before this line leaves a pending row that start-up re-queues.
  if (row) await deps.jobs.enqueueScorePassback(row);
}

/**
 * The assessor signs the unit off. The engine's verdict gates it (422 with every blocking reason in
 * plain English); the report signed is the version the assessor read (409 otherwise). Signed by an
 * assessor marked not yet qualified, the unit waits for a countersignature; otherwise it is complete
 * and its score is stored with the signature and queued for the gradebook.
 */
export async function signOffUnit(deps: SignOffDeps, unit: Unit, assessor: AssessorScope, scope: LearnerScope, reportVersion: number, now: Date): Promise<void> {
  const asOf = now.toISOString().slice(0, 10);
  const passback = await deps.db.transaction(async (tx) => {
    await lockUnitItems(tx, scope, unit.id);
    await lockLearnerUnit(tx, scope, unit.id);
    const state = await assessLearnerUnit(tx, unit, scope, asOf);
    if (state.unitSignatures.has('assessor')) throw new AppError('conflict', 'This unit is already signed off for this learner.');
    if (state.report !== null && state.report.version !== reportVersion) {
      throw new AppError('conflict', 'The assessment report changed after you read it. Read it again before signing.', { details: { current: state.report } });
    }
    if (!state.gate.isOpen) {
      const first = state.gate.blocking[0]?.message ?? '';
      throw new AppError('rule_violation', `This unit cannot be signed off yet. ${first}`.trim(), { details: { gate: state.gate } });
    }
    const profile = await getAssessorProfile(tx, assessor, assessor.userId, assessor.userName);
    const isCountersignatureRequired = profile.qualification === 'not-yet-qualified';
    const signer = { issuer: assessor.issuer, userId: assessor.userId, name: assessor.userName };
    await appendUnitSignature(tx, scope, unit.id, {
      role: 'assessor',
      signer,
      signedAt: now,
      isCountersignatureRequired,
      signedContent: {
        type: 'unit-sign-off',
        declaration: ASSESSOR_UNIT_DECLARATION,
        tenant: { issuer: scope.issuer, clientId: scope.clientId, deploymentId: scope.deploymentId },
        contextId: scope.contextId,
        learnerUserId: scope.learnerUserId,
        unit: { id: unit.id, codes: unit.codes, title: unit.title, version: unit.version },
        report: state.report,
        // What the judgement rested on: each item at the version judged, with its files' digests, and each signed record by its digest.
        evidence: toSignedEvidence(state.evidence, unit.id),
        records: state.records.filter((r) => r.signature !== null && r.supersededBy === null).map((r) => ({ id: r.id, digest: r.signature?.digest ?? null })),
        candidateDeclarationDigest: state.unitSignatures.get('candidate')?.signedDigest ?? null,
        verdict: { asOf: state.verdict.asOf, state: state.verdict.state, summary: state.verdict.summary },
        signer,
        signedAt: now.toISOString(),
        isCountersignatureRequired,
      },
    });
    if (isCountersignatureRequired || assessor.lineItemUrl === null) return null;
    return storeCompletion(deps, tx, unit, assessor, scope, now);
  });
  await queue(deps, passback);
}

function storeCompletion(deps: SignOffDeps, tx: Transaction, unit: Unit, assessor: AssessorScope, scope: LearnerScope, now: Date) {
  if (assessor.lineItemUrl === null) return null;
  return storeUnitScore(tx, {
    target: { issuer: assessor.issuer, clientId: assessor.clientId, deploymentId: assessor.deploymentId, lineItemUrl: assessor.lineItemUrl },
    learnerUserId: scope.learnerUserId,
    requestedBy: assessor.userId,
    kind: 'completed',
    comment: COMPLETION_COMMENT(unit),
    canvasLaunchUrl: assessor.isCanvas && deps.publicUrl !== null ? graderLaunchUrl(deps.publicUrl, unit.id, scope.learnerUserId) : null,
    at: now,
    course: { contextId: scope.contextId, unitId: unit.id },
  });
}

/** A qualified assessor, not the one who signed, countersigns; the unit is then complete and its score queued. */
export async function countersignUnit(deps: SignOffDeps, unit: Unit, assessor: AssessorScope, scope: LearnerScope, now: Date): Promise<void> {
  const passback = await deps.db.transaction(async (tx) => {
    await lockLearnerUnit(tx, scope, unit.id);
    const signatures = await loadUnitSignatures(tx, scope, unit.id);
    const signed = signatures.get('assessor');
    if (!signed) throw new AppError('rule_violation', 'There is no assessor’s sign-off to countersign yet.');
    if (!signed.isCountersignatureRequired) throw new AppError('rule_violation', 'This sign-off needs no countersignature: the assessor who signed it is qualified.');
    if (signatures.has('assessor-countersignature')) throw new AppError('conflict', 'This sign-off is already countersigned.');
    if (signed.signerIssuer === assessor.issuer && signed.signerUserId === assessor.userId) throw new AppError('forbidden', 'You signed this unit off; a different, qualified assessor must countersign it.');
    const profile = await getAssessorProfile(tx, assessor, assessor.userId, assessor.userName);
    if (profile.qualification !== 'qualified') throw new AppError('forbidden', 'Only a qualified assessor can countersign. You are marked as not yet qualified.');
    const signer = { issuer: assessor.issuer, userId: assessor.userId, name: assessor.userName };
    await appendUnitSignature(tx, scope, unit.id, {
      role: 'assessor-countersignature',
      signer,
      signedAt: now,
      signedContent: { type: 'unit-countersignature', declaration: ASSESSOR_UNIT_DECLARATION, contextId: scope.contextId, learnerUserId: scope.learnerUserId, unitId: unit.id, assessorSignatureDigest: signed.signedDigest, signer, signedAt: now.toISOString() },
    });
    return storeCompletion(deps, tx, unit, assessor, scope, now);
  });
  await queue(deps, passback);
}

/**
 * An assessor who may sign the unit off reopens it with a reason. Every active signature of the
 * unit is withdrawn (the candidate's declaration and any countersignature with the assessor's: the
 * learner may change the evidence, so they declare it their own work again); the rows stay, marked
 * withdrawn, and the engine stops counting them. A grade already sent is taken back through the
 * same durable passback: on Moodle a score that is not FullyGraded, which clears the grade; on
 * Canvas the submission goes back to Submitted / PendingManual, needing grading.
 */
export async function reopenUnit(deps: SignOffDeps, unit: Unit, assessor: AssessorScope, scope: LearnerScope, reason: string, now: Date): Promise<void> {
  const passback = await deps.db.transaction(async (tx) => {
    await lockLearnerUnit(tx, scope, unit.id);
    const signatures = await loadUnitSignatures(tx, scope, unit.id);
    if (!signatures.has('assessor')) throw new AppError('conflict', `The unit ${[...unit.codes, unit.title].join(' ')} is not signed off for this learner, so there is nothing to reopen.`);
    const wasGraded = stageOf(signatures) === 'completed';
    await withdrawUnitSignatures(tx, scope, unit.id, { by: { issuer: assessor.issuer, userId: assessor.userId, name: assessor.userName }, at: now, reason });
    if (!wasGraded || assessor.lineItemUrl === null) return null;
    return storeUnitScore(tx, {
      target: { issuer: assessor.issuer, clientId: assessor.clientId, deploymentId: assessor.deploymentId, lineItemUrl: assessor.lineItemUrl },
      learnerUserId: scope.learnerUserId,
      requestedBy: assessor.userId,
      kind: assessor.isCanvas ? 'submitted' : 'reopened',
      comment: `Sign-off of unit ${[...unit.codes, unit.title].join(' ')} withdrawn: the unit is being assessed again.`.slice(0, 1000),
      canvasLaunchUrl: assessor.isCanvas && deps.publicUrl !== null ? graderLaunchUrl(deps.publicUrl, unit.id, scope.learnerUserId) : null,
      at: now,
      course: { contextId: scope.contextId, unitId: unit.id },
    });
  });
  await queue(deps, passback);
}

export interface CandidateLaunch {
  readonly scope: LearnerScope;
  readonly userName: string | null;
  readonly lineItemUrl: string | null;
  readonly isCanvas: boolean;
}

/**
 * The candidate's declaration on the unit, asking for assessment: accepted only when no requirement
 * is left without evidence (findRequirementsWithoutEvidence), else 422 naming each one and nothing
 * stored. On Canvas it also posts a
 * Submitted / PendingManual score so the unit shows as needing grading, with the SpeedGrader launch
 * URL; on Moodle nothing is sent, since any score but FullyGraded would clear a grade there.
 */
export async function declareCandidateWork(deps: SignOffDeps, unit: Unit, candidate: CandidateLaunch, now: Date): Promise<void> {
  const { scope } = candidate;
  const passback = await deps.db.transaction(async (tx) => {
    await lockLearnerUnit(tx, scope, unit.id);
    const signatures = await loadUnitSignatures(tx, scope, unit.id);
    if (signatures.has('candidate')) throw new AppError('conflict', 'You have already signed the declaration for this unit.');
    const { withoutEvidence } = await evaluateLearnerUnit(tx, unit, scope, now.toISOString().slice(0, 10));
    if (withoutEvidence.length > 0) {
      const count = withoutEvidence.length === 1 ? '1 requirement has' : `${withoutEvidence.length} requirements have`;
      throw new AppError('rule_violation', `You cannot sign the declaration yet: ${count} no submitted evidence and no record from your assessor: ${withoutEvidence.map(describeRequirementWithoutEvidence).join('; ')}.`, { details: { requirements: withoutEvidence } });
    }
    const signer = { issuer: scope.issuer, userId: scope.learnerUserId, name: candidate.userName };
    await appendUnitSignature(tx, scope, unit.id, {
      role: 'candidate',
      signer,
      signedAt: now,
      signedContent: { type: 'candidate-declaration', declaration: CANDIDATE_UNIT_DECLARATION, contextId: scope.contextId, learnerUserId: scope.learnerUserId, unitId: unit.id, signer, signedAt: now.toISOString() },
    });
    if (!candidate.isCanvas || candidate.lineItemUrl === null || stageOf(signatures) !== 'none') return null;
    // Never a "needs grading" score over a grade the gradebook already holds (e.g. one an instructor sent by hand).
    const grade = await getGradeStatus(tx, scope, candidate.lineItemUrl, scope.learnerUserId);
    if (grade.gradingProgress === 'FullyGraded') return null;
    return storeUnitScore(tx, {
      target: { issuer: scope.issuer, clientId: scope.clientId, deploymentId: scope.deploymentId, lineItemUrl: candidate.lineItemUrl },
      learnerUserId: scope.learnerUserId,
      requestedBy: scope.learnerUserId,
      kind: 'submitted',
      comment: 'Submitted for assessment.',
      canvasLaunchUrl: deps.publicUrl === null ? null : graderLaunchUrl(deps.publicUrl, unit.id, scope.learnerUserId),
      at: now,
      course: { contextId: scope.contextId, unitId: unit.id },
    });
  });
  await queue(deps, passback);
}
