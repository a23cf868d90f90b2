import { eq } from 'drizzle-orm';
import { PgBoss, fromPglite } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorePassbacks } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { SCORE_PASSBACK_QUEUE, startJobQueue } from '../../src/jobs/index.ts';
import type { JobQueue } from '../../src/jobs/index.ts';
import { createScorePassback } from '../../src/scores/create-score-passback.ts';
import { backends, httpScoreSender, openTestDatabase, startScoreEndpoint } from '../support/index.ts';
import type { ScoreEndpoint } from '../support/index.ts';
import { waitFor } from '../assessment/assessment-fixture.ts';

describe.each(backends)('a passback whose job pg-boss itself failed, on %s', (backend) => {
  let connection: DatabaseConnection;
  let queue: JobQueue;
  let endpoint: ScoreEndpoint;

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    endpoint = await startScoreEndpoint();
    queue = await startJobQueue(connection, { retryLimit: 0, pollingIntervalSeconds: 0.5, onError: () => {} });
  });
  afterAll(async () => {
    await queue.stop();
    await endpoint.close();
    await connection.close();
  });

  const passbackFor = async (scoreGiven: number) => {
    const row = await createScorePassback(connection.db, {
      target: { issuer: 'https://lms.example', clientId: 'c', deploymentId: 'd', lineItemUrl: `${endpoint.url}/lineitems/blocked` },
      requestedBy: 'teacher',
      request: { learnerUserId: 'learner-x', scoreGiven, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });
    await queue.enqueueScorePassback(row);
    return row;
  };
  const stateOf = async (id: string) => (await connection.db.select().from(scorePassbacks).where(eq(scorePassbacks.id, id)))[0];

  it('is recorded as failed and stops holding back that learner’s later scores', async () => {
    const stuck = await passbackFor(10);
    // Another process takes the job and dies on it: pg-boss marks it failed with no retries left.
    const other = connection.pglite ? new PgBoss({ db: fromPglite(connection.pglite), backend: 'pglite', supervise: false, schedule: false }) : new PgBoss({ connectionString: connection.url!, max: 1, supervise: false, schedule: false });
    other.on('error', () => {});
    await other.start();
    const [job] = await other.fetch(SCORE_PASSBACK_QUEUE);
    expect(job?.id).toBe(stuck.id);
    await other.fail(SCORE_PASSBACK_QUEUE, job!.id);
    await other.stop({ graceful: false, close: !connection.pglite });

    const later = await passbackFor(20);
    await queue.startScorePassbackWorker(httpScoreSender);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await stateOf(later.id))?.state).toBe('pending');

    expect(await queue.releaseBlockedPassbacks()).toBe(1);
    expect(await stateOf(stuck.id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/did not finish/) });
    await waitFor(async () => (await stateOf(later.id))?.state !== 'pending', 60_000, 'the later passback to be delivered');
    expect((await stateOf(later.id))?.state).toBe('sent');
    expect(endpoint.received.map((r) => r.score.scoreGiven)).toEqual([20]);
  });
});
