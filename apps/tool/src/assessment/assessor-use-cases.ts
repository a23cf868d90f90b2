import type { AssessorCaseload, AssessorProfile, AssessorRecord, LearnerAssessment, SignOffState } from '@attest/contracts';
import type { CreateRecordRequestSchema } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { Unit } from '@attest/standards';
import type { Response } from 'express';
import type { z } from 'zod';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import type { LaunchContext, RosterMember, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { createMappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import { findCourseUnitIds } from '../portfolio/find-course-units.ts';
import { getEvidenceFile } from '../portfolio/find-evidence-file.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { serveEvidenceFile } from '../portfolio/serve-evidence-file.ts';
import type { JobQueue } from '../jobs/index.ts';
import { setAssessorQualification } from './assessor-profiles.ts';
import type { AssessorScope } from './assessor-scope.ts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import { getAssessorCaseload, getAssessorPortfolio, getLearnerAssessment } from './get-assessor-views.ts';
import { getGradeStatus } from './get-grade-status.ts';
import { findItemLearner } from '../portfolio/find-item-learner.ts';
import { rosterIsShared, type RosterCache } from './roster-cache.ts';
import { countersignUnit, declareCandidateWork, reopenUnit, signOffUnit } from './sign-off-unit.ts';
import { toSignOffState } from './unit-signatures.ts';
import { createAssessorRecord } from './write-assessor-record.ts';

// The assessment routes' use cases that need more than one step (the unit from the catalogue, the
// course's units for a target check, the sign-off state after a signature), so that each route of
// create-assessor-router.ts parses, authorises and calls one function. The clock is read here,
// from `now`, at the edge.

export interface AssessorUseCaseDeps {
  readonly db: Database;
  readonly catalogue: CatalogueSource;
  readonly rosterSource: RosterSource;
  readonly roster: RosterCache;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback'>;
  readonly fileStore?: FileStore | undefined;
  readonly publicUrl: string | null;
  readonly now: () => Date;
}

/** An assessor acting on one learner of the launch's course roster. */
export interface AssessorOfLearner {
  readonly assessor: AssessorScope;
  readonly member: RosterMember;
  readonly scope: LearnerScope;
}

export function createAssessorUseCases(deps: AssessorUseCaseDeps) {
  const { db, now } = deps;
  const today = () => now().toISOString().slice(0, 10);
  const signOffDeps = { db, jobs: deps.jobs, publicUrl: deps.publicUrl };

  async function unitOf(unitId: string): Promise<Unit> {
    const unit = await deps.catalogue.findUnit(unitId);
    if (!unit) throw new AppError('not_found', 'The unit this activity assesses is not in Attest’s catalogue. Place it again.');
    return unit;
  }
  async function targetCheck(assessor: AssessorScope, scope: LearnerScope) {
    const units = await findCourseUnitIds(db, scope);
    units.add(assessor.unitId);
    return createMappingTargetCheck(deps.catalogue, units);
  }
  async function signOffStateOf(assessor: AssessorScope, scope: LearnerScope): Promise<SignOffState> {
    const state = await assessLearnerUnit(db, await unitOf(assessor.unitId), scope, today());
    return toSignOffState(state.unitSignatures, state.withdrawnSignatures, state.gate, await getGradeStatus(db, assessor, assessor.lineItemUrl, scope.learnerUserId));
  }

  return {
    today,
    unitOf,

    /** Every learner of the course's roster on the launched unit, and one queue of items awaiting assessment. */
    async getCaseload(launch: LaunchContext, assessor: AssessorScope): Promise<AssessorCaseload> {
      const learners = await deps.roster.learnersOf(launch);
      return { ...(await getAssessorCaseload(db, await unitOf(assessor.unitId), assessor, learners, today())), rosterIsShared: rosterIsShared(launch) };
    },

    /** An administrator sets another member's qualification; the member must be on the course's roster (404 otherwise). */
    async setMemberQualification(launch: LaunchContext, assessor: AssessorScope, userId: string, qualification: AssessorProfile['qualification']): Promise<AssessorProfile> {
      const members = await deps.rosterSource.membersOf(launch);
      const member = members.find((m) => m.userId === userId);
      if (!member) throw new AppError('not_found', 'There is no member with this id in your course.');
      return setAssessorQualification(db, assessor, { userId: member.userId, name: member.name }, qualification);
    },

    getPortfolio: ({ assessor, member }: AssessorOfLearner) => unitOf(assessor.unitId).then((unit) => getAssessorPortfolio(db, unit, assessor, member, today())),

    /**
     * The learner's file as the assessor opens it: inline where a browser can show it safely
     * (images, PDF, audio, video: the type found by content, never the name), a download otherwise.
     */
    async serveFile(res: Response, assessor: AssessorScope, itemId: string, fileId: string): Promise<void> {
      const scope = await findItemLearner(db, assessor, itemId);
      if (!scope) throw new AppError('not_found', 'There is no evidence with this id in your course.');
      const file = await getEvidenceFile(db, scope, itemId, fileId);
      if (!deps.fileStore) throw new AppError('internal', 'Files cannot be read on this server.', { logMessage: 'createApp was given no fileStore' });
      await serveEvidenceFile(res, deps.fileStore, file, 'view-where-safe');
    },

    async createRecord({ assessor, scope }: AssessorOfLearner, request: z.output<typeof CreateRecordRequestSchema>): Promise<AssessorRecord> {
      return createAssessorRecord(db, assessor, scope, request, await targetCheck(assessor, scope), now());
    },
    targetCheck,

    async signOff({ assessor, scope }: AssessorOfLearner, reportVersion: number): Promise<SignOffState> {
      await signOffUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, reportVersion, now());
      return signOffStateOf(assessor, scope);
    },
    async countersign({ assessor, scope }: AssessorOfLearner): Promise<SignOffState> {
      await countersignUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, now());
      return signOffStateOf(assessor, scope);
    },
    async reopen({ assessor, scope }: AssessorOfLearner, reason: string): Promise<SignOffState> {
      await reopenUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, reason, now());
      return signOffStateOf(assessor, scope);
    },

    getLearnerAssessment: (scope: LearnerScope, unitId: string): Promise<LearnerAssessment> => unitOf(unitId).then((unit) => getLearnerAssessment(db, unit, scope, today())),

    /** The candidate signs their declaration; the reply is their sign-off as they now see it. */
    async declare(launch: LaunchContext, scope: LearnerScope, unitId: string): Promise<LearnerAssessment['signOff']> {
      const unit = await unitOf(unitId);
      await declareCandidateWork(signOffDeps, unit, { scope, userName: launch.userName, lineItemUrl: launch.canPostScores ? launch.lineItemUrl : null, isCanvas: launch.platformFamily === 'canvas' }, now());
      const { signOff } = await getLearnerAssessment(db, unit, scope, today());
      return signOff;
    },
  };
}
