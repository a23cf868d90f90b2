import { sql } from 'drizzle-orm';
import express from 'express';
import type { RequestHandler } from 'express';
import type { FileStore } from '@attest/evidence-files';
import type { ConsolePlatformRegistry } from './admin/create-admin-router.ts';
import type { CatalogueSource } from './catalogue/catalogue-source.ts';
import type { Database } from './db/index.ts';
import type { TrustProxy } from './env.ts';
import type { EvidenceQuota } from './evidence/learner-quota.ts';
import type { GradebookResultsReader, LaunchContext, RosterSource } from './domain/ports.ts';
import { createApiRouter } from './http/create-api-router.ts';
import { assignRequestId, errorMiddleware, notFound } from './http/error-middleware.ts';
import type { Logger } from './http/error-middleware.ts';
import { uiSecurityHeaders } from './http/security-headers.ts';
import { serveUi } from './http/serve-ui.ts';
import { requestLogging } from './http/request-logging.ts';
import { measureRequests, serveMetrics } from './http/serve-metrics.ts';
import { serveReadiness } from './http/serve-readiness.ts';
import type { JobQueue } from './jobs/index.ts';
import type { StructuredLogger } from './logging/create-logger.ts';
import type { ToolMetrics } from './metrics/create-tool-metrics.ts';

export interface AppDeps {
  /** The LTI adapter's parts the app mounts (src/lti/create-lti-adapter.ts). */
  readonly lti: {
    readonly router: RequestHandler;
    readonly authenticate: RequestHandler;
    readonly rosterSource: RosterSource;
    /** The AGS result service (the gradebook sync report); without it every grade reads as not checked. */
    readonly resultsReader?: GradebookResultsReader;
    /** The sites of the active registered LMSs: the `frame-ancestors` of /app/. */
    readonly platforms: { activeFrameOrigins(): Promise<readonly string[]> } & Partial<ConsolePlatformRegistry>;
    createDeepLinkingResponse(launch: LaunchContext, items: { unitId: string; title: string }[]): Promise<{ returnUrl: string; jwt: string }>;
  };
  readonly db: Database;
  readonly catalogue: CatalogueSource;
  /** With `isReady` (the real queue), /readyz checks the queue as well as the database. */
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback' | 'enqueueScorePassbacks'> & Partial<Pick<JobQueue, 'isReady'>>;
  /** Where learners' evidence files are stored; without one, file routes fail (tests of other routes). */
  readonly fileStore?: FileStore;
  /** The tool's public URL, for links the LMS opens later (Canvas SpeedGrader's launch of a learner's unit). */
  readonly publicUrl?: string;
  /** The built UI (apps/web/dist); a 503 page explains when it is missing. */
  readonly webDistDir: string;
  /** Each learner's evidence storage and item limits in a course; defaults to DEFAULT_EVIDENCE_QUOTA. */
  readonly evidenceQuota?: EvidenceQuota;
  readonly log: Logger;
  /** Express's `trust proxy` (TRUST_PROXY): which proxies' X-Forwarded-For names the client; default none. */
  readonly trustProxy?: TrustProxy;
  /** Parse every API reply with its route's response schema (development and tests, never production). */
  readonly checkResponses?: boolean;
  /** One JSON line per request (src/http/request-logging.ts); none without it. */
  readonly logger?: StructuredLogger;
  /** Request latencies by route; served at /metrics only with `metricsToken` (ATTEST_METRICS_TOKEN), else /metrics is 404. */
  readonly metrics?: ToolMetrics;
  readonly metricsToken?: string | null;
}

/** A tool without the LTI adapter's result service (some tests' stand-in adapter): nothing can be checked. */
const NO_RESULTS_SERVICE: GradebookResultsReader = { readResults: async () => ({ ok: false, isLineItemGone: false, message: 'no result service' }) };

/** Builds the Express app. It never listens: startToolServer (src/index.ts) does. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy (production) the LMS-facing URL is PUBLIC_URL, whatever X-Forwarded-Host says.
  // The client's address (req.ip, which the registration rate limit counts) is the socket's unless
  // TRUST_PROXY names the proxies allowed to report it in X-Forwarded-For.
  const trustProxy = deps.trustProxy ?? false;
  app.set('trust proxy', typeof trustProxy === 'object' ? [...trustProxy] : trustProxy);
  app.use(assignRequestId);
  if (deps.logger) app.use(requestLogging(deps.logger));
  if (deps.metrics) app.use(measureRequests(deps.metrics));
  if (deps.metrics && deps.metricsToken) app.get('/metrics', serveMetrics(deps.metrics, deps.metricsToken));
  const { jobs } = deps;
  app.get('/readyz', serveReadiness(deps.db, jobs.isReady ? { isReady: async () => (await jobs.isReady?.()) === true } : null));

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.db.execute(sql`select 1`);
      res.set('cache-control', 'no-store').json({ status: 'ok' });
    } catch {
      res.status(503).set('cache-control', 'no-store').json({ status: 'unavailable', reason: 'database' });
    }
  });
  app.get('/', (_req, res) => res.redirect(302, '/app/'));
  app.get('/app', (req, res, next) => {
    // Express matches '/app/' here too (non-strict routing); only the bare path needs the slash.
    if (req.path !== '/app') return next();
    const query = req.originalUrl.slice(req.originalUrl.indexOf('?') >= 0 ? req.originalUrl.indexOf('?') : req.originalUrl.length);
    res.redirect(301, `/app/${query}`);
  });
  app.use('/app/', uiSecurityHeaders(() => deps.lti.platforms.activeFrameOrigins()), serveUi(deps.webDistDir));
  app.use(
    '/api',
    createApiRouter({
      authenticate: deps.lti.authenticate,
      log: deps.log,
      createDeepLinkingResponse: (launch, items) => deps.lti.createDeepLinkingResponse(launch, items),
      rosterSource: deps.lti.rosterSource,
      catalogue: deps.catalogue,
      db: deps.db,
      jobs: deps.jobs,
      resultsReader: deps.lti.resultsReader ?? NO_RESULTS_SERVICE,
      fileStore: deps.fileStore,
      publicUrl: deps.publicUrl ?? null,
      evidenceQuota: deps.evidenceQuota,
      checkResponses: deps.checkResponses,
      // The real adapter's registry; API tests' stand-in adapter has none, and the console's changes then answer 500.
      platforms: deps.lti.platforms.setActive ? (deps.lti.platforms as ConsolePlatformRegistry) : undefined,
    }),
  );
  app.use(deps.lti.router);
  app.use(notFound);
  app.use(errorMiddleware(deps.log));
  return app;
}
