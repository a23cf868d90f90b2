import express from 'express';
import type { Request, Response } from 'express';
import {
  ActionPlanRequestSchema,
  CandidateDeclarationRequestSchema,
  CountersignRequestSchema,
  CreateRecordRequestSchema,
  FeedbackRequestSchema,
  JudgementRequestSchema,
  QualificationRequestSchema,
  ReopenUnitRequestSchema,
  ReportRequestSchema,
  SignOffRequestSchema,
  SignRecordRequestSchema,
  UpdateRecordRequestSchema,
} from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { Unit } from '@attest/standards';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import type { RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import { createMappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import { findCourseUnitIds } from '../portfolio/find-course-units.ts';
import { getEvidenceFile } from '../portfolio/find-evidence-file.ts';
import { findItemLearner } from '../portfolio/find-item-learner.ts';
import { learnerScopeOf } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { toFeedback } from '../portfolio/load-evidence-items.ts';
import { serveEvidenceFile } from '../portfolio/serve-evidence-file.ts';
import { launchOf } from '../http/launch-of.ts';
import { parseBody } from '../http/parse-body.ts';
import type { JobQueue } from '../jobs/index.ts';
import { getAssessorProfile, setAssessorQualification } from './assessor-profiles.ts';
import { assessorScopeOf, learnerScopeIn } from './assessor-scope.ts';
import type { AssessorScope } from './assessor-scope.ts';
import { saveActionPlan, saveReport } from './assessment-documents.ts';
import { getAssessorCaseload, getAssessorPortfolio, getLearnerAssessment } from './get-assessor-views.ts';
import { getGradeStatus } from './get-grade-status.ts';
import { getLearnerHistory } from './get-learner-history.ts';
import { addAssessorFeedback, judgeEvidenceItem } from './judge-evidence-item.ts';
import { createRosterCache } from './roster-cache.ts';
import { countersignUnit, declareCandidateWork, reopenUnit, signOffUnit } from './sign-off-unit.ts';
import { toSignOffState } from './unit-signatures.ts';
import { createAssessorRecord, signAssessorRecord, updateAssessorRecord } from './write-assessor-record.ts';

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
}

/**
 * /api/assessor/* (Instructor launches) and the candidate's /api/learner/* routes of issue 4,
 * mounted behind `authenticate` and the JSON parser. Thin: each route parses, authorises and calls
 * one use case; every learner id is checked against the course's NRPS roster (404 otherwise).
 */
export function createAssessorRouter(deps: AssessorRouterDeps): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const roster = createRosterCache(deps.rosterSource, deps.rosterTtlMs === undefined ? {} : { ttlMs: deps.rosterTtlMs });
  const signOffDeps = { db: deps.db, jobs: deps.jobs, publicUrl: deps.publicUrl };

  const assessorOf = (res: Response) => assessorScopeOf(launchOf(res));
  async function unitOf(unitId: string): Promise<Unit> {
    const unit = await deps.catalogue.findUnit(unitId);
    if (!unit) throw new AppError('not_found', 'The unit this activity assesses is not in Attest’s catalogue. Place it again.');
    return unit;
  }
  /** The assessor's scope and the learner named in the path, who must be on the course's roster. */
  async function learnerOf(req: Request, res: Response) {
    const assessor = assessorOf(res);
    const member = await roster.getLearner(launchOf(res), String(req.params['userId'] ?? ''));
    return { assessor, member, scope: learnerScopeIn(assessor, member.userId) };
  }
  async function targetCheck(assessor: AssessorScope, scope: LearnerScope) {
    const units = await findCourseUnitIds(deps.db, scope);
    units.add(assessor.unitId);
    return createMappingTargetCheck(deps.catalogue, units);
  }
  async function signOffStateOf(assessor: AssessorScope, scope: LearnerScope) {
    const state = await assessLearnerUnit(deps.db, await unitOf(assessor.unitId), scope, today());
    return toSignOffState(state.unitSignatures, state.withdrawnSignatures, state.gate, await getGradeStatus(deps.db, assessor, assessor.lineItemUrl, scope.learnerUserId));
  }

  router.get('/assessor/caseload', async (_req, res) => {
    const assessor = assessorOf(res);
    const learners = await roster.learnersOf(launchOf(res));
    res.json(await getAssessorCaseload(deps.db, await unitOf(assessor.unitId), assessor, learners, today()));
  });

  router.get('/assessor/me', async (_req, res) => {
    const assessor = assessorOf(res);
    res.json(await getAssessorProfile(deps.db, assessor, assessor.userId, assessor.userName));
  });

  router.put('/assessor/me/qualification', async (req, res) => {
    const assessor = assessorOf(res);
    const { qualification } = parseBody(QualificationRequestSchema, req.body);
    res.json(await setAssessorQualification(deps.db, assessor, { userId: assessor.userId, name: assessor.userName }, qualification));
  });

  router.put('/assessor/assessors/:userId/qualification', async (req, res) => {
    const assessor = assessorOf(res);
    if (!assessor.isAdministrator) throw new AppError('forbidden', 'Only an administrator can set another assessor’s qualification.');
    const { qualification } = parseBody(QualificationRequestSchema, req.body);
    const members = await deps.rosterSource.membersOf(launchOf(res));
    const member = members.find((m) => m.userId === String(req.params['userId'] ?? ''));
    if (!member) throw new AppError('not_found', 'There is no member with this id in your course.');
    res.json(await setAssessorQualification(deps.db, assessor, { userId: member.userId, name: member.name }, qualification));
  });

  router.get('/assessor/learners/:userId/portfolio', async (req, res) => {
    const { assessor, member } = await learnerOf(req, res);
    res.json(await getAssessorPortfolio(deps.db, await unitOf(assessor.unitId), assessor, member, today()));
  });

  // The learner's unit's audit trail, in plain words on the assessor's learner view.
  router.get('/assessor/learners/:userId/history', async (req, res) => {
    const { assessor, member } = await learnerOf(req, res);
    res.json(await getLearnerHistory(deps.db, assessor, member));
  });

  router.put('/assessor/evidence/:itemId/judgement', async (req, res) => {
    const assessor = assessorOf(res);
    const request = parseBody(JudgementRequestSchema, req.body);
    res.json(await judgeEvidenceItem(deps.db, assessor, String(req.params['itemId'] ?? ''), request));
  });

  // The learner's file as the assessor opens it: inline where a browser can show it safely (images,
  // PDF, audio, video: the type found by content, never the name), a download otherwise.
  router.get('/assessor/evidence/:itemId/files/:fileId', async (req, res) => {
    const assessor = assessorOf(res);
    const itemId = String(req.params['itemId'] ?? '');
    const scope = await findItemLearner(deps.db, assessor, itemId);
    if (!scope) throw new AppError('not_found', 'There is no evidence with this id in your course.');
    const file = await getEvidenceFile(deps.db, scope, itemId, String(req.params['fileId'] ?? ''));
    if (!deps.fileStore) throw new AppError('internal', 'Files cannot be read on this server.', { logMessage: 'createApp was given no fileStore' });
    await serveEvidenceFile(res, deps.fileStore, file, 'view-where-safe');
  });

  router.post('/assessor/learners/:userId/records', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const request = parseBody(CreateRecordRequestSchema, req.body);
    const record = await createAssessorRecord(deps.db, assessor, scope, request, await targetCheck(assessor, scope), now());
    res.status(201).location(`/api/assessor/learners/${encodeURIComponent(scope.learnerUserId)}/records/${record.id}`).json(record);
  });

  router.put('/assessor/learners/:userId/records/:recordId', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const request = parseBody(UpdateRecordRequestSchema, req.body);
    res.json(await updateAssessorRecord(deps.db, assessor, scope, String(req.params['recordId'] ?? ''), request, await targetCheck(assessor, scope)));
  });

  router.post('/assessor/learners/:userId/records/:recordId/sign', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const { baseVersion } = parseBody(SignRecordRequestSchema, req.body);
    res.json(await signAssessorRecord(deps.db, assessor, scope, String(req.params['recordId'] ?? ''), baseVersion, now()));
  });

  router.put('/assessor/learners/:userId/action-plan', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    res.json(await saveActionPlan(deps.db, assessor, scope, parseBody(ActionPlanRequestSchema, req.body)));
  });

  router.post('/assessor/learners/:userId/feedback', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const row = await addAssessorFeedback(deps.db, assessor, scope, parseBody(FeedbackRequestSchema, req.body));
    res.status(201).json(toFeedback(row));
  });

  router.put('/assessor/learners/:userId/report', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    res.json(await saveReport(deps.db, assessor, scope, parseBody(ReportRequestSchema, req.body)));
  });

  router.post('/assessor/learners/:userId/sign-off', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const { reportVersion } = parseBody(SignOffRequestSchema, req.body);
    await signOffUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, reportVersion, now());
    res.status(201).json(await signOffStateOf(assessor, scope));
  });

  router.post('/assessor/learners/:userId/countersign', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    parseBody(CountersignRequestSchema, req.body);
    await countersignUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, now());
    res.status(201).json(await signOffStateOf(assessor, scope));
  });

  // Who may sign the unit off may reopen it: an Instructor launch on that unit (assessorOf).
  router.post('/assessor/learners/:userId/reopen', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    const { reason } = parseBody(ReopenUnitRequestSchema, req.body);
    await reopenUnit(signOffDeps, await unitOf(assessor.unitId), assessor, scope, reason, now());
    res.status(201).json(await signOffStateOf(assessor, scope));
  });

  router.get('/assessor/learners/:userId/grade-status', async (req, res) => {
    const { assessor, scope } = await learnerOf(req, res);
    res.json(await getGradeStatus(deps.db, assessor, assessor.lineItemUrl, scope.learnerUserId));
  });

  router.get('/learner/assessment', async (_req, res) => {
    const launch = launchOf(res);
    const scope = learnerScopeOf(launch);
    if (launch.unitId === null) throw new AppError('not_found', 'This activity does not name a unit.');
    res.json(await getLearnerAssessment(deps.db, await unitOf(launch.unitId), scope, today()));
  });

  router.post('/learner/sign-off-declaration', async (req, res) => {
    const launch = launchOf(res);
    const scope = learnerScopeOf(launch);
    parseBody(CandidateDeclarationRequestSchema, req.body);
    if (launch.unitId === null) throw new AppError('not_found', 'This activity does not name a unit.');
    const unit = await unitOf(launch.unitId);
    await declareCandidateWork(signOffDeps, unit, { scope, userName: launch.userName, lineItemUrl: launch.canPostScores ? launch.lineItemUrl : null, isCanvas: launch.platformFamily === 'canvas' }, now());
    const { signOff } = await getLearnerAssessment(deps.db, unit, scope, today());
    res.status(201).json(signOff);
  });

  return router;
}
