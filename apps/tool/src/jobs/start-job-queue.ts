// The tool's durable work queue: pg-boss on the tool's own database (decision 0007). On a
// PostgreSQL server pg-boss opens its own small pool from the connection URL (and can LISTEN);
// on PGlite it shares the single in-process connection through pg-boss's PGlite adapter.
import { and, eq, sql } from 'drizzle-orm';
import { PgBoss, fromPglite } from 'pg-boss';
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { DatabaseConnection } from '../db/index.ts';
import { deleteExpiredLtijsDocuments, scorePassbacks } from '../db/index.ts';
import type { ScoreSender } from '../domain/ports.ts';
import { describeError } from '../errors/describe-error.ts';
import { createLogger } from '../logging/create-logger.ts';
import type { PassbackOutcome, QueueDepth } from '../metrics/create-tool-metrics.ts';
import { passbackOrderingKey } from '../scores/create-score-passback.ts';
import { auditScoreOutcome } from '../scores/audit-score-outcome.ts';
import { deliverScorePassback } from './deliver-score-passback.ts';

export const SCORE_PASSBACK_QUEUE = 'score-passback';
export const MAINTENANCE_QUEUE = 'tool-maintenance';
/**
 * A delivery still active this long after it started is given up by pg-boss (its worker died or
 * hung) and retried by any server; pg-boss notices within its supervision interval (60 s), so a
 * killed server's deliveries are taken up again within about three minutes.
 */
export const JOB_EXPIRE_SECONDS = 120;
/** Passbacks one server delivers at once (each one learner + line item, key_strict_fifo). */
export const PASSBACK_CONCURRENCY = 8;
/** Jobs per fetch from pg-boss, delivered at once; PASSBACK_CONCURRENCY / PASSBACK_BATCH fetches run side by side. */
const PASSBACK_BATCH = 4;
/** pg-boss's default schema, where its job table lives. */
const PG_BOSS_SCHEMA = 'pgboss';

export interface JobQueueOptions {
  /** Retries after the first attempt before a passback is recorded as failed. */
  readonly retryLimit?: number;
  /** First retry delay; later ones back off exponentially (pg-boss `retryBackoff`) up to `retryDelayMaxSeconds`. */
  readonly retryDelaySeconds?: number;
  readonly retryDelayMaxSeconds?: number;
  /** A `Retry-After` up to this long is waited out before the retry; longer ones fall back to backoff. */
  readonly maxRetryAfterWaitSeconds?: number;
  /**
   * How long one delivery keeps trying again while the LMS throttles it (waiting as asked, or
   * `throttledRetrySeconds` plus up to as much again at random when it names no wait, as Canvas
   * does not) before the attempt counts as failed and goes back to pg-boss's backoff. Must stay
   * well inside the job's expiry (JOB_EXPIRE_SECONDS). Decision 23.
   */
  readonly throttledBudgetSeconds?: number;
  readonly throttledRetrySeconds?: number;
  readonly pollingIntervalSeconds?: number;
  readonly onError?: (error: Error) => void;
  /** Every delivery's outcome with the LMS's HTTP status (null: no answer, or no request made), for /metrics. */
  readonly onPassbackOutcome?: (outcome: PassbackOutcome, lmsStatus: number | null) => void;
}

interface ScorePassbackJob {
  readonly passbackId: string;
}

/** What a passback's job is made from: the stored row's id and its learner + line item. */
export interface QueuedPassback {
  readonly id: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly lineItemUrl: string;
  readonly learnerUserId: string;
}

export interface JobQueue {
  /** Queues delivery of a stored passback. Idempotent: the job id is the passback id. */
  enqueueScorePassback(passback: QueuedPassback): Promise<void>;
  /** Queues many stored passbacks in a few inserts (a course resync queues thousands); idempotent as one is. */
  enqueueScorePassbacks(passbacks: readonly QueuedPassback[]): Promise<void>;
  /** Starts delivering passbacks through `sender` (the LTI adapter's AGS client). */
  startScorePassbackWorker(sender: ScoreSender): Promise<void>;
  /** Re-queues passbacks still pending, e.g. when a crash came between storing a row and queueing it. */
  requeuePendingPassbacks(): Promise<number>;
  /**
   * A delivery pg-boss itself failed (the worker died or hung past its expiry on the last try) would
   * hold back that learner's later scores for good under key_strict_fifo: record it as failed and
   * remove the job so the key flows again. Runs with the maintenance schedule; returns how many.
   */
  releaseBlockedPassbacks(): Promise<number>;
  /** Each queue's waiting and active jobs and its oldest waiting job's age, read now (for /metrics). */
  readQueueDepths(): Promise<QueueDepth[]>;
  /**
   * Runs `work` every `everyMinutes` (a cron step) on one server however many share the database,
   * e.g. the gradebook reconciliation (src/scores/reconcile-gradebooks.ts).
   */
  scheduleRecurring(queueName: string, everyMinutes: number, work: () => Promise<void>): Promise<void>;
  /** Whether pg-boss answers on its own connection and has not been stopped (for /readyz). */
  isReady(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startJobQueue(connection: DatabaseConnection, options: JobQueueOptions = {}): Promise<JobQueue> {
  const retryLimit = options.retryLimit ?? 8;
  // startToolServer passes its own; a queue started alone logs to stdout as the server would.
  const onError = options.onError ?? ((error: Error) => createLogger({ level: 'warn' }).error({ error: describeError(error) }, 'job queue error'));
  const onPassbackOutcome = options.onPassbackOutcome ?? (() => {});
  // Supervision (job expiry, and the backlog figures that start a worker's burst, below) and its
  // cached copy every 10 s rather than 60: a dead server's deliveries are retried sooner too.
  const statsIntervals = { superviseIntervalSeconds: 10, monitorIntervalSeconds: 10, queueCacheIntervalSeconds: 10 };
  const boss = connection.pglite
    ? new PgBoss({ db: fromPglite(connection.pglite), backend: 'pglite', ...statsIntervals })
    : // Room for both fetches, their completions, supervision and a resync's inserts at once: with 4,
      // a course resync's job insert waited past pg-boss's 10 s connection timeout (bench:resync).
      new PgBoss({ connectionString: requireUrl(connection), max: 8, application_name: 'attest-jobs', ...statsIntervals });
  boss.on('error', onError);
  await boss.start();
  // key_strict_fifo: one learner + line item at a time, in order, and a job waiting to be retried
  // holds back that learner's later scores (other learners are not blocked).
  await boss.createQueue(SCORE_PASSBACK_QUEUE, {
    policy: 'key_strict_fifo',
    retryLimit,
    retryDelay: options.retryDelaySeconds ?? 5,
    retryBackoff: true,
    retryDelayMax: options.retryDelayMaxSeconds ?? 600,
    expireInSeconds: JOB_EXPIRE_SECONDS,
  });
  const { db } = connection;
  let isStopped = false;

  const queue: JobQueue = {
    async enqueueScorePassback(passback) {
      const { data, ...options } = scorePassbackJob(passback);
      await boss.send(SCORE_PASSBACK_QUEUE, data, options);
    },
    async startScorePassbackWorker(sender) {
      const maxWait = options.maxRetryAfterWaitSeconds ?? 30;
      const throttledBudgetMs = (options.throttledBudgetSeconds ?? 60) * 1000;
      const throttledRetryMs = (options.throttledRetrySeconds ?? 1) * 1000;
      /** One job's delivery: a retry or a throttled answer past the budget fails it back to pg-boss's backoff; the row stays pending. */
      const deliverJob = async (job: JobWithMetadata<ScorePassbackJob>): Promise<JobResult> => {
        const startedAt = Date.now();
        const isLastJobAttempt = job.retryCount >= job.retryLimit;
        let delivery: Awaited<ReturnType<typeof deliverScorePassback>>;
        try {
          // A throttled answer is the LMS saying "later", not a failure: wait as asked and try again
          // within this attempt, so throttling spends none of the job's retries (decision 23).
          for (;;) {
            delivery = await deliverScorePassback(db, sender, {
              passbackId: job.data.passbackId,
              isLastAttempt: isLastJobAttempt,
              canWaitOutThrottling: Date.now() - startedAt < throttledBudgetMs,
            });
            onPassbackOutcome(delivery.outcome, delivery.lmsStatus);
            if (delivery.outcome !== 'throttled') break;
            const waitMs = delivery.retryAfterSeconds !== null ? Math.min(delivery.retryAfterSeconds, maxWait) * 1000 : throttledRetryMs * (1 + Math.random());
            if (Date.now() - startedAt + waitMs > throttledBudgetMs && !isLastJobAttempt) break;
            await delay(waitMs);
          }
        } catch (error) {
          // The database, not the LMS: said to the operator, and pg-boss retries the job with backoff.
          onError(error instanceof Error ? error : new Error(String(error)));
          return { id: job.id, status: 'failed', output: describeError(error) };
        }
        const { outcome, retryAfterSeconds } = delivery;
        if (outcome !== 'retry' && outcome !== 'throttled') return { id: job.id, status: 'completed' };
        // The LMS asked us to wait: do so (bounded) so the retry does not arrive early.
        if (retryAfterSeconds !== null && retryAfterSeconds > 0) await delay(Math.min(retryAfterSeconds, maxWait) * 1000);
        return { id: job.id, status: 'failed', output: { message: `score passback ${job.data.passbackId} will be retried` } };
      };
      await boss.work<ScorePassbackJob, JobResult[], { includeMetadata: true; perJobResults: true; batchSize: number; localConcurrency: number; pollingIntervalSeconds: number; burstWhenReadyExceeds: number }>(
        SCORE_PASSBACK_QUEUE,
        // A few jobs per fetch, delivered at once, and two fetches in flight: key_strict_fifo's fetch
        // sorts every waiting job to find each key's head, 0.37 s with a course resync's 40,000 waiting
        // (bench:resync), so one job per fetch spent the database on fetching. Each job is settled on its
        // own (perJobResults), so one learner's retry or Retry-After wait holds up no one else's score;
        // key_strict_fifo still keeps each learner + line item to one at a time.
        // pg-boss waits the polling interval after every fetch, full or not; while a backlog is waiting,
        // fetch again at once (a short fetch ends the burst, so an idle queue is polled as before).
        {
          includeMetadata: true,
          perJobResults: true,
          batchSize: PASSBACK_BATCH,
          localConcurrency: PASSBACK_CONCURRENCY / PASSBACK_BATCH,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
          burstWhenReadyExceeds: 1,
        },
        async (jobs: JobWithMetadata<ScorePassbackJob>[]) => Promise.all(jobs.map(deliverJob)),
      );
    },
    async enqueueScorePassbacks(passbacks) {
      // pg-boss's insert skips a job id it already holds, as send does.
      for (let start = 0; start < passbacks.length; start += INSERT_BATCH) {
        await boss.insert(SCORE_PASSBACK_QUEUE, passbacks.slice(start, start + INSERT_BATCH).map(scorePassbackJob));
      }
    },
    async requeuePendingPassbacks() {
      const pending = await db.select().from(scorePassbacks).where(eq(scorePassbacks.state, 'pending'));
      // In batches, not one send per row: a server restarted halfway through a course resync found
      // 20,000 pending rows and spent minutes re-sending them one by one beside its own deliveries
      // (bench:resync).
      await queue.enqueueScorePassbacks(pending);
      return pending.length;
    },
    async releaseBlockedPassbacks() {
      let released = 0;
      for (const key of await boss.getBlockedKeys(SCORE_PASSBACK_QUEUE)) {
        const jobs = await boss.findJobs<ScorePassbackJob>(SCORE_PASSBACK_QUEUE, { key });
        for (const job of jobs.filter((j) => j.state === 'failed')) {
          await db.transaction(async (tx) => {
            const lastError = 'The delivery did not finish (the worker stopped or timed out). Send the score again.';
            const failed = await tx
              .update(scorePassbacks)
              .set({ state: 'failed', lastError, updatedAt: sql`now()` })
              .where(and(eq(scorePassbacks.id, job.data.passbackId), eq(scorePassbacks.state, 'pending')))
              .returning();
            for (const row of failed) await auditScoreOutcome(tx, row, 'failed', { status: null, error: lastError });
          });
          await boss.deleteJob(SCORE_PASSBACK_QUEUE, job.id);
          onPassbackOutcome('failed', null);
          released++;
        }
      }
      return released;
    },
    async readQueueDepths() {
      // Straight from pg-boss's job table, through its own connection: getQueueStats may answer
      // from a cache pg-boss refreshes only while monitoring, and has no ages.
      const { rows } = await boss.getDb().executeSql(
        `select name, count(*) filter (where state in ('created', 'retry'))::int as waiting, count(*) filter (where state = 'active')::int as active,
                coalesce(extract(epoch from now() - min(created_on) filter (where state in ('created', 'retry'))), 0)::float8 as oldest
           from ${PG_BOSS_SCHEMA}.job where name = any($1::text[]) group by name`,
        [[SCORE_PASSBACK_QUEUE, MAINTENANCE_QUEUE]],
      );
      const found = new Map((rows as { name: string; waiting: number; active: number; oldest: number }[]).map((row) => [row.name, row]));
      return [SCORE_PASSBACK_QUEUE, MAINTENANCE_QUEUE].map((queue) => {
        const row = found.get(queue);
        return { queue, waiting: row?.waiting ?? 0, active: row?.active ?? 0, oldestWaitingSeconds: Math.max(0, row?.oldest ?? 0) };
      });
    },
    async scheduleRecurring(queueName, everyMinutes, work) {
      await boss.createQueue(queueName, { policy: 'singleton', retryLimit: 0 });
      await boss.schedule(queueName, everyMinutes < 60 ? `*/${everyMinutes} * * * *` : `0 */${everyMinutes / 60} * * *`);
      await boss.work(queueName, { pollingIntervalSeconds: 30 }, work);
    },
    async isReady() {
      if (isStopped) return false;
      await boss.getDb().executeSql('select 1');
      return true;
    },
    async stop() {
      if (isStopped) return;
      isStopped = true;
      // Waits for an in-flight delivery, so its result is recorded before the database closes.
      await boss.stop({ graceful: true, timeout: 15_000, close: true });
    },
  };
  // Housekeeping every 10 minutes; pg-boss's cron runs it on one server however many share the
  // database. ltijs leaves a state, a nonce and an id token per launch behind.
  await boss.createQueue(MAINTENANCE_QUEUE, { policy: 'singleton', retryLimit: 0 });
  await boss.schedule(MAINTENANCE_QUEUE, '*/10 * * * *');
  await boss.work(MAINTENANCE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    await deleteExpiredLtijsDocuments(db);
    await queue.releaseBlockedPassbacks();
  });
  return queue;
}

/** Jobs per insert when many are queued at once. */
const INSERT_BATCH = 1000;

/** A passback's job: its id is the passback's (so queueing twice is harmless), its key the learner + line item's. */
function scorePassbackJob(passback: QueuedPassback) {
  const target = { issuer: passback.issuer, clientId: passback.clientId, deploymentId: passback.deploymentId, lineItemUrl: passback.lineItemUrl };
  return { id: passback.id, data: { passbackId: passback.id } satisfies ScorePassbackJob, singletonKey: passbackOrderingKey(target, passback.learnerUserId) };
}

function requireUrl(connection: DatabaseConnection): string {
  if (!connection.url) throw new Error('startJobQueue: a PostgreSQL connection without a URL');
  return connection.url;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
