import express from 'express';
import type { RequestHandler } from 'express';
import { DeepLinkingRequestSchema, textRefusalOf } from '@attest/contracts';
import type { Caseload, DeepLinkingResponse } from '@attest/contracts';
import { createAssessorRouter } from '../assessment/index.ts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import type { Database } from '../db/index.ts';
import { createEvidenceRouter } from '../evidence/index.ts';
import type { EvidenceQuota } from '../evidence/learner-quota.ts';
import type { FileStore } from '@attest/evidence-files';
import type { LaunchContext, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobQueue } from '../jobs/index.ts';
import { launchOf, requireInstructor } from './launch-of.ts';
import { parseBody } from './parse-body.ts';
import { toSession } from './to-session.ts';
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

/**
 * Route parameters (ids, unit ids) are text too: one holding U+0000 or a lone surrogate would reach
 * a query as it does in a body. Every segment of the path is checked once, here, before any router
 * reads it; the finding names the path, never the value.
 */
const refuseUnsafePath: RequestHandler = (req, _res, next) => {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return next(new AppError('invalid_request', 'The address is not correctly encoded.', { details: [{ path: 'url', code: 'text_not_valid_utf8' }] }));
    }
    const refusal = textRefusalOf(decoded);
    if (refusal) return next(new AppError('invalid_request', 'The address contains characters Attest does not accept.', { details: [{ path: 'url', code: refusal }] }));
  }
  next();
};

/** /api/*: thin routes. Every one is authenticated first; bodies are parsed with the contracts' schemas. */
export function createApiRouter(deps: ApiDeps): express.Router {
  const api = express.Router();
  api.use((_req, res, next) => {
    // Launch-scoped data: never cached, never sniffed.
    res.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    next();
  });
  api.use(refuseUnsafePath);
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

  return api;
}
