// The composition root: env → database → migrations → job queue → LTI adapter → app → listen.
//
//   startToolServer(options?) → ToolServer { url, port, db, connection, jobs, lti, close() }
//
// options.env overrides parsed configuration (e.g. { port: 0, dataDir }), options.connection
// supplies an already-open database (the caller keeps ownership), options.catalogue the units.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { FileStore } from '@attest/evidence-files';
import { createApp } from './app.ts';
import type { CatalogueSource } from './catalogue/catalogue-source.ts';
import { loadStandardsCatalogue } from './catalogue/load-standards-catalogue.ts';
import { DatabaseUnavailableError, LtijsStore, migrateDatabase, openDatabase } from './db/index.ts';
import type { Database, DatabaseConnection } from './db/index.ts';
import { ensureDevEncryptionKey } from './dev-encryption-key.ts';
import { FileStoreUnavailableError, openFileStore } from './evidence/open-file-store.ts';
import { describeError } from './errors/describe-error.ts';
import { EnvError, parseEnv, repoRoot } from './env.ts';
import type { Env } from './env.ts';
import type { Logger } from './http/error-middleware.ts';
import { startJobQueue } from './jobs/index.ts';
import type { JobQueue, JobQueueOptions } from './jobs/index.ts';
import { createLogger, logFunctionOf } from './logging/create-logger.ts';
import type { StructuredLogger } from './logging/create-logger.ts';
import { createLtiAdapter } from './lti/create-lti-adapter.ts';
import { RECONCILIATION_QUEUE, reconcileGradebooks } from './scores/reconcile-gradebooks.ts';
import type { LtiAdapter } from './lti/create-lti-adapter.ts';
import { createToolMetrics } from './metrics/create-tool-metrics.ts';
import type { ToolMetrics } from './metrics/create-tool-metrics.ts';

export { createApp } from './app.ts';
export type { AppDeps } from './app.ts';
export { parseEnv, EnvError } from './env.ts';
export type { Env } from './env.ts';
export { createLogger } from './logging/create-logger.ts';
export type { LogLevel, StructuredLogger } from './logging/create-logger.ts';
export { catalogueFromUnits } from './catalogue/catalogue-source.ts';
export { loadStandardsCatalogue } from './catalogue/load-standards-catalogue.ts';
export type { CatalogueSource } from './catalogue/catalogue-source.ts';
export type { Database, DatabaseConnection } from './db/index.ts';
// The learner portfolio's use cases, for the demo and tests: seedLearnerEvidence(tool, { learner, items }).
export { seedLearnerEvidence } from './evidence/index.ts';
export type { SeedEvidenceItem, SeedLearnerEvidenceInput } from './evidence/index.ts';
export type { LearnerScope } from './portfolio/index.ts';
// The assessor's side, for the demo: seedAssessorWork(tool, { assessor, learnerUserId, acceptSubmitted, records, report, candidateDeclaration }) → the sign-off gate.
export { seedAssessorWork, digestOf, canonicalJson } from './assessment/index.ts';
export type { SeedAssessorWorkInput } from './assessment/index.ts';
// The audit trail, for the demo's check that its seeded acts leave every chain intact (the CLI is src/cli/audit.ts).
export { verifyAuditChains } from './audit/index.ts';
export { grantAttestAdministrator } from './admin/attest-administrators.ts';
export { CLI_ACTOR } from './audit/index.ts';
export type { TenantChainReport } from './audit/index.ts';

export interface ToolServerOptions {
  /** Overrides for the configuration parsed from the environment. */
  readonly env?: Partial<Env>;
  /** An open, migrated-or-not database to use instead of opening one from `env`; not closed by close(). */
  readonly connection?: DatabaseConnection;
  /** The units served by the API; defaults to the repository's `standards/` folder. */
  readonly catalogue?: CatalogueSource;
  readonly jobs?: JobQueueOptions;
  /** The JSON logger for request lines and everything else; by default one on stdout at LOG_LEVEL. */
  readonly logger?: StructuredLogger;
  /** Overrides where the adapter's and use cases' messages go (the e2e stack keeps them); by default the logger, at warn. */
  readonly log?: Logger;
}

export interface ToolServer {
  /** The public URL (PUBLIC_URL, or http://localhost:<port>). */
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly connection: DatabaseConnection;
  readonly jobs: JobQueue;
  readonly lti: LtiAdapter;
  /** The units the API serves (what seedLearnerEvidence checks mappings against). */
  readonly catalogue: CatalogueSource;
  /** Where evidence files are kept (ATTEST_FILE_STORE: EVIDENCE_FILES_DIR or an S3 bucket). */
  readonly fileStore: FileStore;
  readonly logger: StructuredLogger;
  /** What /metrics serves (when ATTEST_METRICS_TOKEN is set). */
  readonly metrics: ToolMetrics;
  close(): Promise<void>;
}

/** A start-up failure with a message for the operator and the exit code main.ts should use. */
export class StartupError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'StartupError';
    this.exitCode = exitCode;
  }
}

/** sysexits.h: configuration error / bad standards data / a service we need is unavailable / anything else. */
export const EXIT_CONFIG = 78;
export const EXIT_DATA = 65;
export const EXIT_UNAVAILABLE = 69;
export const EXIT_SOFTWARE = 70;

export async function startToolServer(options: ToolServerOptions = {}): Promise<ToolServer> {
  let env: Env;
  try {
    env = { ...parseEnv(), ...options.env };
    // A data dir given alone carries its PGlite directory with it, as DATA_DIR does.
    if (options.env?.dataDir && !options.env.pgliteDataDir) env = { ...env, pgliteDataDir: join(options.env.dataDir, 'pglite') };
    // Evidence files sit beside the PGlite data by default; with a server database, in the working directory.
    env = { ...env, evidenceFilesDir: env.evidenceFilesDir ?? (env.databaseUrl ? resolve(process.cwd(), '.attest-files') : join(env.dataDir, 'files')) };
  } catch (error) {
    if (error instanceof EnvError) throw new StartupError(error.message, EXIT_CONFIG, { cause: error });
    throw error;
  }
  const logger = options.logger ?? createLogger({ level: env.logLevel });
  const log = options.log ?? logFunctionOf(logger);
  const metrics = createToolMetrics();

  // Everything started so far, stopped in reverse if a later step fails.
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  let catalogue: CatalogueSource;
  try {
    catalogue = options.catalogue ?? loadStandardsCatalogue();
  } catch (error) {
    throw new StartupError(`The standards catalogue cannot be loaded: ${(error as Error).message}`, EXIT_DATA, { cause: error });
  }
  try {
    let connection = options.connection;
    if (!connection) {
      const opened = await openDatabase(env.databaseUrl ? { backend: 'postgres', url: env.databaseUrl } : { backend: 'pglite', dataDir: env.pgliteDataDir });
      cleanups.push(() => opened.close());
      connection = opened;
    }
    await migrateDatabase(connection);
    const encryptionKey = env.ltiEncryptionKey ?? ensureDevEncryptionKey(env.dataDir);

    const jobs = await startJobQueue(connection, {
      onError: (error) => log('job queue error', { error: describeError(error) }),
      onPassbackOutcome: (outcome, lmsStatus) => metrics.countPassbackOutcome(outcome, lmsStatus),
      ...options.jobs,
    });
    cleanups.push(() => jobs.stop());
    metrics.readQueueDepthsFrom(() => jobs.readQueueDepths());

    // Listen before the adapter exists so PORT=0 has a real port for the public URL; until the app
    // is ready every request gets 503.
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Attest is starting.');
    };
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.port, env.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const url = env.publicUrl ?? `http://localhost:${port}`;

    // Unset, the adapter lets registration reach loopback only when its own URL is on loopback
    // (the local demo); production never reaches private hosts unless told to.
    const allowPrivateRegistrationHosts = env.registrationAllowPrivateHosts ?? (env.nodeEnv === 'production' ? false : undefined);
    const lti = await createLtiAdapter(
      {
        publicUrl: url,
        encryptionKey,
        uiPath: '/app/',
        log,
        allowPrivateRegistrationHosts,
        registrationRateLimit: { limit: env.registrationRateLimit, windowMs: 60 * 60_000 },
        registrationMaxInactive: env.registrationMaxInactive,
        registrationInactiveMs: env.registrationInactiveDays * 24 * 60 * 60_000,
        launchTokenLifetimeSeconds: env.launchTokenLifetimeSeconds,
        onRefusal: (kind) => metrics.countLaunchRefusal(kind),
      },
      { store: new LtijsStore(connection.db), db: connection.db },
    );
    cleanups.push(() => lti.close());
    // Stop delivering before the adapter the worker sends through is closed (stop is idempotent).
    cleanups.push(() => jobs.stop());

    const openedFileStore = await openFileStore(env);
    cleanups.push(() => openedFileStore.close());
    const fileStore = openedFileStore.store;

    const app = createApp({ lti, db: connection.db, catalogue, jobs, fileStore, publicUrl: url, webDistDir: join(repoRoot, 'apps/web/dist'), evidenceQuota: env.evidenceQuota, log, trustProxy: env.trustProxy, checkResponses: env.nodeEnv !== 'production', logger, metrics, metricsToken: env.metricsToken });
    handler = app;
    // Only once the app answers: the LMS's token endpoint fetches our keys (/lti/keys) to check the
    // first delivery's client assertion, and a restarted server's "starting" 503 there was a 401
    // that failed the score (bench:resync, decision 23).
    await jobs.startScorePassbackWorker(lti.scoreSender);
    const requeued = await jobs.requeuePendingPassbacks();
    if (requeued > 0) log(`re-queued ${requeued} pending score passback(s)`);
    if (env.reconcileEveryMinutes !== null) {
      await jobs.scheduleRecurring(RECONCILIATION_QUEUE, env.reconcileEveryMinutes, async () => {
        await reconcileGradebooks({ db: connection.db, resultsReader: lti.resultsReader, jobs }, (drift) => {
          if (Object.keys(drift.drift).length > 0) log('gradebook drift', { contextId: drift.course.contextId, issuer: drift.course.issuer, drift: drift.drift, repaired: drift.repaired });
        });
      });
    }

    const ownConnection = connection;
    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      db: ownConnection.db,
      connection: ownConnection,
      jobs,
      lti,
      catalogue,
      fileStore,
      logger,
      metrics,
      close() {
        closing ??= unwind();
        return closing;
      },
    };
  } catch (error) {
    await unwind();
    if (error instanceof StartupError) throw error;
    if (error instanceof FileStoreUnavailableError) throw new StartupError(error.message, EXIT_UNAVAILABLE, { cause: error });
    if (error instanceof DatabaseUnavailableError) {
      const hint = env.databaseUrl ? '\nCheck DATABASE_URL, or unset it to use the embedded database.' : '';
      throw new StartupError(`${error.message}${hint}`, EXIT_UNAVAILABLE, { cause: error });
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`Port ${env.port} on ${env.host} is already in use. Set PORT to a free port.`, EXIT_UNAVAILABLE, { cause: error });
    throw new StartupError(`Attest could not start: ${(error as Error).message}`, EXIT_SOFTWARE, { cause: error });
  }
}
