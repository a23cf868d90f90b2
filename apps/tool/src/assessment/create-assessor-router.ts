import express from 'express';
import { apiRoutes, pathOf } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import { latestLaunchMembers, type Database } from '../db/index.ts';
import type { LaunchContext, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { learnerScopeOf } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { toFeedback } from '../portfolio/load-evidence-items.ts';
import { routesOn } from '../http/register-route.ts';
import type { Authorise } from '../http/register-route.ts';
import type { JobQueue } from '../jobs/index.ts';
import { getAssessorProfile, setAssessorQualification } from './assessor-profiles.ts';
import { assessorScopeOf, learnerScopeIn } from './assessor-scope.ts';
import { saveActionPlan, saveReport } from './assessment-documents.ts';
import { createAssessorUseCases } from './assessor-use-cases.ts';
import type { AssessorOfLearner } from './assessor-use-cases.ts';
import { getGradeStatus } from './get-grade-status.ts';
import { getLearnerHistory } from './get-learner-history.ts';
import { addAssessorFeedback, judgeEvidenceItem } from './judge-evidence-item.ts';
import { createRosterCache } from './roster-cache.ts';
import { signAssessorRecord, updateAssessorRecord } from './write-assessor-record.ts';

export interface AssessorRouterDeps {
  readonly db: Database;
  readonly catalogue: CatalogueSource;
  readonly rosterSource: RosterSource;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback'>;
  /** Where learners' files are; without one the assessor's file route fails loudly. */
  readonly fileStore?: FileStore | undefined;
  /** The tool's public URL (SpeedGrader's launch URL on Canvas); null leaves that extension off. */
  readonly publicUrl: string | null;
  /** The clock, read here at the edge: signatures' times and the verdict's `asOf`. */
  readonly now?: () => Date;
  readonly rosterTtlMs?: number;
  /** Parse every JSON reply with its route's response schema (development and tests). */
  readonly checkResponses?: boolean | undefined;
}

/** A learner's launch of a unit activity: the candidate's side of the assessment. */
const learnerOnUnit: Authorise<{ scope: LearnerScope; unitId: string }> = (launch: LaunchContext) => {
  const scope = learnerScopeOf(launch);
  if (launch.unitId === null) throw new AppError('not_found', 'This activity does not name a unit.');
  return { scope, unitId: launch.unitId };
};

/**
 * /api/assessor/* (Instructor launches) and the candidate's /api/learner/* routes of issue 4,
 * registered from the contracts' table behind `authenticate`. Each route parses (the table's
 * schemas), authorises (assessorScopeOf: 403 for a learner; every learner id checked against the
 * course's NRPS roster, 404 otherwise) and calls one use case.
 */
export function createAssessorRouter(deps: AssessorRouterDeps): express.Router {
  const router = express.Router();
  const route = routesOn(router, { checkResponses: deps.checkResponses ?? false });
  const now = deps.now ?? (() => new Date());
  const roster = createRosterCache(deps.rosterSource, { ...(deps.rosterTtlMs === undefined ? {} : { ttlMs: deps.rosterTtlMs }), launchedMembers: (launch) => latestLaunchMembers(deps.db, launch) });
  const use = createAssessorUseCases({ ...deps, roster, now });
  const { db } = deps;

  const assessor: Authorise<ReturnType<typeof assessorScopeOf>> = (launch) => assessorScopeOf(launch);
  /** The assessor's scope and the learner named in the path, who must be on the course's roster. */
  const assessorOfLearner: Authorise<AssessorOfLearner, { userId: string }> = async (launch, params) => {
    const scope = assessorScopeOf(launch);
    const member = await roster.getLearner(launch, params.userId);
    return { assessor: scope, member, scope: learnerScopeIn(scope, member.userId) };
  };

  route(apiRoutes.getAssessorCaseload, assessor, async ({ launch, scope }) => use.getCaseload(launch, scope));
  route(apiRoutes.getAssessorProfile, assessor, async ({ scope }) => getAssessorProfile(db, scope, scope.userId, scope.userName));
  route(apiRoutes.setOwnQualification, assessor, async ({ scope, body }) => setAssessorQualification(db, scope, { userId: scope.userId, name: scope.userName }, body.qualification));
  route(apiRoutes.setAssessorQualification, administrator, async ({ launch, scope, params, body }) => use.setMemberQualification(launch, scope, params.userId, body.qualification));
  route(apiRoutes.getAssessorPortfolio, assessorOfLearner, async ({ scope }) => use.getPortfolio(scope));
  // The learner's unit's audit trail, in plain words on the assessor's learner view.
  route(apiRoutes.getLearnerHistory, assessorOfLearner, async ({ scope }) => getLearnerHistory(db, scope.assessor, scope.member));
  route(apiRoutes.judgeEvidence, assessor, async ({ scope, params, body }) => judgeEvidenceItem(db, scope, params.itemId, body));
  route(apiRoutes.getAssessorEvidenceFile, assessor, async ({ scope, params, res }) => use.serveFile(res, scope, params.itemId, params.fileId));
  route(apiRoutes.createRecord, assessorOfLearner, async ({ scope, body, res }) => {
    const record = await use.createRecord(scope, body);
    res.location(pathOf(apiRoutes.updateRecord, { userId: scope.scope.learnerUserId, recordId: record.id }));
    return record;
  });
  route(apiRoutes.updateRecord, assessorOfLearner, async ({ scope: { assessor: by, scope }, params, body }) => updateAssessorRecord(db, by, scope, params.recordId, body, await use.targetCheck(by, scope)));
  route(apiRoutes.signRecord, assessorOfLearner, async ({ scope: { assessor: by, scope }, params, body }) => signAssessorRecord(db, by, scope, params.recordId, body.baseVersion, now()));
  route(apiRoutes.saveActionPlan, assessorOfLearner, async ({ scope: { assessor: by, scope }, body }) => saveActionPlan(db, by, scope, body));
  route(apiRoutes.addFeedback, assessorOfLearner, async ({ scope: { assessor: by, scope }, body }) => toFeedback(await addAssessorFeedback(db, by, scope, body)));
  route(apiRoutes.saveReport, assessorOfLearner, async ({ scope: { assessor: by, scope }, body }) => saveReport(db, by, scope, body));
  route(apiRoutes.signOffUnit, assessorOfLearner, async ({ scope, body }) => use.signOff(scope, body.reportVersion));
  route(apiRoutes.countersignUnit, assessorOfLearner, async ({ scope }) => use.countersign(scope));
  // Who may sign the unit off may reopen it: an Instructor launch on that unit (assessorScopeOf).
  route(apiRoutes.reopenUnit, assessorOfLearner, async ({ scope, body }) => use.reopen(scope, body.reason));
  route(apiRoutes.getGradeStatus, assessorOfLearner, async ({ scope: { assessor: by, scope } }) => getGradeStatus(db, by, by.lineItemUrl, scope.learnerUserId));

  route(apiRoutes.getLearnerAssessment, learnerOnUnit, async ({ scope: { scope, unitId } }) => use.getLearnerAssessment(scope, unitId));
  route(apiRoutes.declareCandidateWork, learnerOnUnit, async ({ launch, scope: { scope, unitId } }) => use.declare(launch, scope, unitId));

  return router;
}

/** Only an Administrator launch sets another assessor's qualification. */
const administrator: Authorise<ReturnType<typeof assessorScopeOf>> = (launch) => {
  const scope = assessorScopeOf(launch);
  if (!scope.isAdministrator) throw new AppError('forbidden', 'Only an administrator can set another assessor’s qualification.');
  return scope;
};
