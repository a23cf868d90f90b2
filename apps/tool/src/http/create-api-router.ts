import express from 'express';
import type { Logger } from './error-middleware.ts';
import type { RequestHandler } from 'express';
import { apiRoutes, textRefusalOf } from '@attest/contracts';
import { canAdminister } from '../admin/administrator-scope.ts';
import { createAdminRouter } from '../admin/create-admin-router.ts';
import type { ConsolePlatformRegistry } from '../admin/create-admin-router.ts';
import { createAssessorRouter } from '../assessment/index.ts';
import { getCourseMembers } from '../assessment/get-course-members.ts';
import type { CatalogueSource } from '../catalogue/catalogue-source.ts';
import { getUnit } from '../catalogue/get-unit.ts';
import { placeUnits } from '../catalogue/place-units.ts';
import type { Database } from '../db/index.ts';
import { createEvidenceRouter } from '../evidence/index.ts';
import type { EvidenceQuota } from '../evidence/learner-quota.ts';
import type { FileStore } from '@attest/evidence-files';
import type { GradebookResultsReader, LaunchContext, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobQueue } from '../jobs/index.ts';
import { createSyncRouter } from '../scores/create-sync-router.ts';
import { requireDeepLinkingLaunch, requireInstructor } from './launch-of.ts';
import { anyLaunch, routesOn } from './register-route.ts';
import type { Authorise } from './register-route.ts';
import { toSession } from './to-session.ts';

export interface ApiDeps {
  /** The LTI adapter's bearer-ltik check: sets `res.locals.launch` or fails with 'unauthenticated'. */
  readonly authenticate: RequestHandler;
  /** Where errors answered outside the error middleware (the resumable uploads') are logged. */
  readonly log?: Logger | undefined;
  readonly createDeepLinkingResponse: (launch: LaunchContext, items: { unitId: string; title: string }[]) => Promise<{ returnUrl: string; jwt: string }>;
  readonly rosterSource: RosterSource;
  readonly catalogue: CatalogueSource;
  readonly db: Database;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback' | 'enqueueScorePassbacks'>;
  /** The AGS result service, for the gradebook sync report (src/scores/create-sync-router.ts). */
  readonly resultsReader: GradebookResultsReader;
  readonly fileStore?: FileStore | undefined;
  readonly publicUrl?: string | null;
  /** Each learner's evidence storage and item limits in a course (EVIDENCE_QUOTA_MB, EVIDENCE_ITEM_CAP). */
  readonly evidenceQuota?: EvidenceQuota | undefined;
  /** Parse every JSON reply with its route's response schema (development and tests; see RouteOptions). */
  readonly checkResponses?: boolean | undefined;
  /** What the administration console changes (the LTI adapter's platform registry). */
  readonly platforms?: ConsolePlatformRegistry | undefined;
}

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

const instructor: Authorise<LaunchContext> = (launch) => {
  requireInstructor(launch);
  return launch;
};
const deepLinkingInstructor: Authorise<LaunchContext> = (launch) => {
  requireInstructor(launch);
  requireDeepLinkingLaunch(launch);
  return launch;
};

/**
 * /api/*: every route is registered from the contracts' table (routesOn), after `authenticate`;
 * each parses (the table's schemas), authorises and calls one use case.
 */
export function createApiRouter(deps: ApiDeps): express.Router {
  const api = express.Router();
  api.use((_req, res, next) => {
    // Launch-scoped data: never cached, never sniffed.
    res.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    next();
  });
  api.use(refuseUnsafePath);
  api.use(deps.authenticate);
  const options = { checkResponses: deps.checkResponses ?? false };
  api.use(createEvidenceRouter({ db: deps.db, catalogue: deps.catalogue, fileStore: deps.fileStore, quota: deps.evidenceQuota, log: deps.log, ...options }));
  api.use(createAssessorRouter({ db: deps.db, catalogue: deps.catalogue, rosterSource: deps.rosterSource, jobs: deps.jobs, fileStore: deps.fileStore, publicUrl: deps.publicUrl ?? null, ...options }));
  api.use(createSyncRouter({ db: deps.db, resultsReader: deps.resultsReader, jobs: deps.jobs, ...options }));

  api.use(createAdminRouter({ db: deps.db, platforms: deps.platforms, evidenceQuota: deps.evidenceQuota, ...options }));

  const route = routesOn(api, options);
  route(apiRoutes.getSession, anyLaunch, async ({ launch }) => toSession(launch, await canAdminister(deps.db, launch)));
  route(apiRoutes.getCatalogue, anyLaunch, async () => [...(await deps.catalogue.list())]);
  route(apiRoutes.getUnit, anyLaunch, async ({ params }) => getUnit(deps.catalogue, params.unitId));
  route(apiRoutes.placeUnits, deepLinkingInstructor, async ({ launch, body }) => placeUnits(deps, launch, body.unitIds));
  route(apiRoutes.getCaseload, instructor, async ({ launch }) => getCourseMembers(deps.rosterSource, launch));
  return api;
}
