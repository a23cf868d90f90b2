import { sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import type { Database } from '../db/index.ts';

/** The job queue's side of readiness: pg-boss answers on its own connection and has not been stopped. */
export interface QueueReadiness {
  isReady(): Promise<boolean>;
}

/**
 * GET /readyz, for a load balancer deciding whether to send this server requests: 200 when the
 * database answers `select 1` and the job queue answers, else 503 naming what failed
 * (`{ status: 'unavailable', checks: { database: 'ok', queue: 'unavailable' } }`). /healthz stays
 * as it was (the database only). Both checks run every time, so the body names every failure.
 */
export function serveReadiness(db: Database, queue: QueueReadiness | null): RequestHandler {
  return async (_req, res) => {
    const [database, jobs] = await Promise.all([
      db.execute(sql`select 1`).then(
        () => true,
        () => false,
      ),
      queue === null
        ? Promise.resolve(true)
        : queue.isReady().then(
            (isReady) => isReady,
            () => false,
          ),
    ]);
    const checks = { database: database ? 'ok' : 'unavailable', ...(queue === null ? {} : { queue: jobs ? 'ok' : 'unavailable' }) };
    res
      .status(database && jobs ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: database && jobs ? 'ready' : 'unavailable', checks });
  };
}
