import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorePassbacks } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { ScoreTarget } from '../../src/domain/ports.ts';
import { startJobQueue } from '../../src/jobs/index.ts';
import type { JobQueue } from '../../src/jobs/index.ts';
import { createScorePassback } from '../../src/scores/create-score-passback.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { httpScoreSender, startScoreEndpoint } from '../support/score-endpoint.ts';
import type { ScoreEndpoint } from '../support/score-endpoint.ts';

describe.each(backends)('score passback queue on %s', (backend) => {
  let connection: DatabaseConnection;
  let queue: JobQueue;
  let endpoint: ScoreEndpoint;

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    endpoint = await startScoreEndpoint();
    queue = await startJobQueue(connection, { retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, pollingIntervalSeconds: 0.5, throttledRetrySeconds: 0.2, onError: () => {} });
    await queue.startScorePassbackWorker(httpScoreSender);
  });
  afterAll(async () => {
    await queue.stop();
    await endpoint.close();
    await connection.close();
  });

  const targetFor = (lineItem: string): ScoreTarget => ({ issuer: 'https://lms.example', clientId: 'client-1', deploymentId: 'dep-1', lineItemUrl: `${endpoint.url}/lineitems/${lineItem}` });

  const create = (lineItem: string, learnerUserId: string, scoreGiven = 80) =>
    createScorePassback(connection.db, {
      target: targetFor(lineItem),
      requestedBy: 'teacher-1',
      request: { learnerUserId, scoreGiven, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });

  async function enqueue(lineItem: string, learnerUserId: string, scoreGiven = 80) {
    const row = await create(lineItem, learnerUserId, scoreGiven);
    await queue.enqueueScorePassback(row);
    return row;
  }

  async function settled(id: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await connection.db.select().from(scorePassbacks).where(eq(scorePassbacks.id, id));
      if (row && row.state !== 'pending') return row;
      if (Date.now() > deadline) throw new Error(`passback ${id} still pending after ${timeoutMs} ms (attempts ${row?.attempts}, ${row?.lastError})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('delivers a queued score to the line item over HTTP and records it as sent', async () => {
    const lineItem = randomUUID();
    const row = await enqueue(lineItem, 'learner-a', 75);
    const done = await settled(row.id);
    expect(done).toMatchObject({ state: 'sent', attempts: 1, lastError: null, lastStatus: 200 });
    expect(done.sentAt).toBeInstanceOf(Date);
    const delivered = endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`);
    expect(delivered.map((r) => r.score)).toEqual([
      { userId: 'learner-a', scoreGiven: 75, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: row.scoreTimestamp.toISOString() },
    ]);
  });

  it('retries after a server error and records the attempts it took', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 503 });
    const row = await enqueue(lineItem, 'learner-b');
    const done = await settled(row.id);
    expect(done).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    expect(endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`)).toHaveLength(1);
  });

  it('waits at least as long as the LMS asks in Retry-After before trying again', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 429, retryAfter: 3 });
    const row = await enqueue(lineItem, 'learner-g');
    expect(await settled(row.id)).toMatchObject({ state: 'sent', attempts: 2 });
    const attempts = endpoint.requests.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(3000);
  });

  it('keeps delivering other learners’ scores while one learner waits to be retried', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 429, retryAfter: 4 });
    const waiting = await enqueue(lineItem, 'learner-h');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const queuedAt = Date.now();
    const other = await enqueue(lineItem, 'learner-i');
    const otherDone = await settled(other.id);
    // Well inside the 4 s the first learner's delivery is still waiting out.
    expect(Date.now() - queuedAt).toBeLessThan(2500);
    const waitingRow = await connection.db.select().from(scorePassbacks).where(eq(scorePassbacks.id, waiting.id));
    expect(otherDone.state).toBe('sent');
    expect(waitingRow[0]?.state).toBe('pending');
    expect((await settled(waiting.id)).state).toBe('sent');
  });

  // Decision 23: throttling is the LMS saying "later". Five throttled answers are more than the three
  // attempts this queue allows (retryLimit 2), yet the score is sent and none of them is a failure.
  it('keeps trying a score Canvas throttles with 403 Rate Limit Exceeded, spending none of its retries, until it is accepted', async () => {
    const lineItem = randomUUID();
    const canvasThrottle = { status: 403, body: '403 Forbidden (Rate Limit Exceeded)\n' };
    endpoint.respondWith(canvasThrottle, canvasThrottle, canvasThrottle, canvasThrottle, canvasThrottle);
    const row = await enqueue(lineItem, 'learner-m');
    expect(await settled(row.id, 60_000)).toMatchObject({ state: 'sent', attempts: 6, lastError: null, lastStatus: 200 });
    expect(endpoint.requests.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`).map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 200]);
  });

  it('treats 429s beyond the retry limit the same way', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith(...Array.from({ length: 4 }, () => ({ status: 429, retryAfter: 0 })));
    const row = await enqueue(lineItem, 'learner-n');
    expect(await settled(row.id, 60_000)).toMatchObject({ state: 'sent', attempts: 5 });
  });

  it('gives up at once on a 403 that is not throttling', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 403, body: 'unauthorized: the tool is not allowed to post scores' });
    const row = await enqueue(lineItem, 'learner-o');
    expect(await settled(row.id)).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 403 });
  });

  it('gives up at once when the LMS refuses the score as invalid', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 400 });
    const row = await enqueue(lineItem, 'learner-c');
    const done = await settled(row.id);
    expect(done.state).toBe('failed');
    expect(done.attempts).toBe(1);
    expect(done.lastError).toMatch(/^LMS answered 400/);
  });

  // Moodle's 409: the score is not dated after the grade it holds (its own clock where that grade
  // was written without a score or edited by hand). A decision is never dropped for that.
  it('sends a score the LMS refused as older (409) again, dated now, and records it as sent', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 409 });
    const row = await enqueue(lineItem, 'learner-j', 64);
    expect(await settled(row.id)).toMatchObject({ state: 'sent', attempts: 1, lastStatus: 200 });
    expect(endpoint.requests.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`).map((r) => r.status)).toEqual([409, 200]);
    const [delivered] = endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`);
    expect(delivered?.score.scoreGiven).toBe(64);
    const resentAt = Date.parse(delivered!.score.timestamp);
    expect(resentAt).toBeGreaterThan(row.scoreTimestamp.getTime());
    expect(resentAt % 1000).toBe(0);
  });

  it('says why, once the retries are used up, when the LMS refuses the score as older even dated now', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith(...Array.from({ length: 6 }, () => ({ status: 409 })));
    const row = await enqueue(lineItem, 'learner-k');
    const done = await settled(row.id);
    expect(done).toMatchObject({ state: 'failed', attempts: 3, lastStatus: 409 });
    expect(done.lastError).toMatch(/dated later than Attest's clock.*Check the LMS server's clock/);
    expect(endpoint.requests.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`)).toHaveLength(6);
  });

  it('lets a refused score go only for a newer decision of the same learner, which is then sent', async () => {
    const lineItem = randomUUID();
    const older = await create(lineItem, 'learner-l', 40);
    const newer = await create(lineItem, 'learner-l', 90);
    endpoint.respondWith({ status: 409 });
    await queue.enqueueScorePassback(older);
    expect(await settled(older.id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^Superseded by a newer score/) });
    await queue.enqueueScorePassback(newer);
    expect(await settled(newer.id)).toMatchObject({ state: 'sent' });
    expect(endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`).map((r) => r.score.scoreGiven)).toEqual([90]);
  });

  it('records a failure once the retries are used up', async () => {
    const lineItem = randomUUID();
    endpoint.respondWith({ status: 502 }, { status: 502 }, { status: 502 });
    const row = await enqueue(lineItem, 'learner-d');
    const done = await settled(row.id);
    expect(done).toMatchObject({ state: 'failed', attempts: 3 });
    expect(done.lastError).toMatch(/^LMS answered 502/);
  });

  it('gives one learner strictly increasing whole-second timestamps and delivers them in order', async () => {
    const lineItem = randomUUID();
    const rows = [];
    for (const score of [10, 20, 30]) rows.push(await enqueue(lineItem, 'learner-e', score));
    const times = rows.map((r) => r.scoreTimestamp.getTime());
    expect(times.every((t) => t % 1000 === 0)).toBe(true);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000);
    for (const row of rows) expect((await settled(row.id)).state).toBe('sent');
    const delivered = endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`).map((r) => r.score.scoreGiven);
    expect(delivered).toEqual([10, 20, 30]);
  });

  it('re-queues stored passbacks that never reached the queue, each once, in one pass', async () => {
    // A crash between storing a row and queueing it: the rows are pending with no job.
    const lineItem = randomUUID();
    const rows = await Promise.all(Array.from({ length: 3 }, (_, n) => create(lineItem, `learner-lost-${n}`, 50 + n)));
    await queue.enqueueScorePassback(rows[0]!);
    expect(await queue.requeuePendingPassbacks()).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect((await settled(row.id)).state).toBe('sent');
    const delivered = endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`).map((r) => r.score.scoreGiven);
    expect(delivered.sort()).toEqual([50, 51, 52]);
  });

  it('queues the same passback only once however often it is enqueued', async () => {
    const lineItem = randomUUID();
    const row = await enqueue(lineItem, 'learner-f');
    await queue.enqueueScorePassback(row);
    await queue.requeuePendingPassbacks();
    await settled(row.id);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(endpoint.received.filter((r) => r.lineItemPath === `/lineitems/${lineItem}`)).toHaveLength(1);
  });
});
