import express from 'express';
import type { RequestHandler } from 'express';
import { DeepLinkingRequestSchema, ScoreRequestSchema } from '@attest/contracts';
import type { Caseload, DeepLinkingResponse, PassbackStatus } from '@attest/contracts';
import { createAssessorRouter } from '../assessment/index.ts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { createEvidenceRouter } from '../evidence/index.ts';
import type { EvidenceQuota } from '../evidence/learner-quota.ts';
import type { FileStore } from '@attest/evidence-files';
import type { LaunchContext, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobQueue } from '../jobs/index.ts';
import { createScorePassback } from '../scores/create-score-passback.ts';
import { findScorePassback, toPassbackStatus } from '../scores/find-score-passback.ts';
import { launchOf, requireInstructor } from './launch-of.ts';
import { parseBody } from './parse-body.ts';
import { AGS_SCORE_SCOPE, toSession } from './to-session.ts';
import { recordPlacedUnits } from '../evidence/record-placed-units.ts';

export interface ApiDeps {
  /** The LTI adapter's bearer-ltik check: sets `res.locals.launch` or fails with 'unauthenticated'. */
  readonly authenticate: RequestHandler;
  readonly createDeepLinkingResponse: (launch: LaunchContext, items: { unitId: string; title: string }[]) => Promise<{ returnUrl: string; jwt: string }>;
  readonly rosterSource: RosterSource;
  readonly catalogue: CatalogueSource;
  readonly db: Database;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback'>;
  readonly fileStore?: FileStore | undefined;
  readonly publicUrl?: string | null;
  /** Each learner's evidence storage and item limits in a course (EVIDENCE_QUOTA_MB, EVIDENCE_ITEM_CAP). */
  readonly evidenceQuota?: EvidenceQuota | undefined;
}

const LEARNER_ROLE = /(^|#|\/)Learner$/;

/** /api/*: thin routes. Every one is authenticated first; bodies are parsed with the contracts' schemas. */
export function createApiRouter(deps: ApiDeps): express.Router {
  const api = express.Router();
  api.use((_req, res, next) => {
    // Launch-scoped data: never cached, never sniffed.
    res.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    next();
  });
  api.use(deps.authenticate);
  // Before the JSON parser: evidence uploads are raw bodies, streamed as they arrive.
  api.use(createEvidenceRouter({ db: deps.db, catalogue: deps.catalogue, fileStore: deps.fileStore, quota: deps.evidenceQuota }));
  api.use(express.json({ limit: '100kb' }));
  api.use(createAssessorRouter({ db: deps.db, catalogue: deps.catalogue, rosterSource: deps.rosterSource, jobs: deps.jobs, fileStore: deps.fileStore, publicUrl: deps.publicUrl ?? null }));

  api.get('/session', (_req, res) => {
    res.json(toSession(launchOf(res)));
  });

  api.get('/catalogue', async (_req, res) => {
    res.json(await deps.catalogue.list());
  });

  api.get('/units/:unitId', async (req, res) => {
    const unit = await deps.catalogue.findUnit(req.params['unitId'] ?? '');
    if (!unit) throw new AppError('not_found', 'There is no unit with this id.');
    res.json(unit);
  });

  api.post('/deep-linking', async (req, res) => {
    const launch = launchOf(res);
    requireInstructor(launch);
    if (launch.messageType !== 'LtiDeepLinkingRequest') throw new AppError('forbidden', 'Units can only be placed from the LMS’s “add activity” flow.');
    const { unitIds } = parseBody(DeepLinkingRequestSchema, req.body);
    const items = [];
    for (const unitId of new Set(unitIds)) {
      const unit = await deps.catalogue.findUnit(unitId);
      if (!unit) throw new AppError('not_found', 'One of the chosen units does not exist.', { details: { unitId } });
      items.push({ unitId: unit.id, title: unit.title });
    }
    const response: DeepLinkingResponse = await deps.createDeepLinkingResponse(launch, items);
    // Only once the response is signed: a refused placement lists nothing.
    await recordPlacedUnits(deps.db, launch, items.map((item) => item.unitId));
    res.json(response);
  });

  api.get('/caseload', async (_req, res) => {
    const launch = launchOf(res);
    requireInstructor(launch);
    const members = await deps.rosterSource.membersOf(launch);
    const caseload: Caseload = {
      unitId: launch.unitId,
      members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, roles: [...m.roles], isLearner: m.roles.some((role) => LEARNER_ROLE.test(role)) })),
    };
    res.json(caseload);
  });

  api.post('/scores', async (req, res) => {
    const launch = launchOf(res);
    requireInstructor(launch);
    const request = parseBody(ScoreRequestSchema, req.body);
    if (launch.lineItemUrl === null || !launch.agsScopes.includes(AGS_SCORE_SCOPE)) {
      throw new AppError('rule_violation', 'This activity has no gradebook column Attest may post scores to.');
    }
    if (request.scoreGiven !== undefined && request.scoreGiven > 100) throw new AppError('invalid_request', 'A score is out of 100.', { details: [{ path: 'scoreGiven', code: 'too_big' }] });
    const row = await createScorePassback(deps.db, {
      target: { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, lineItemUrl: launch.lineItemUrl },
      requestedBy: launch.userId,
      request,
    });
    await deps.jobs.enqueueScorePassback(row);
    const status: PassbackStatus = toPassbackStatus(row);
    res.status(202).location(`/api/scores/${row.id}`).json(status);
  });

  api.get('/scores/:id', async (req, res) => {
    const launch = launchOf(res);
    requireInstructor(launch);
    const row = await findScorePassback(deps.db, launch, launch.lineItemUrl, req.params['id'] ?? '');
    if (!row) throw new AppError('not_found', 'There is no score with this id.');
    res.json(toPassbackStatus(row));
  });

  return api;
}
