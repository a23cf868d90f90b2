import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATE_UNIT_DECLARATION, GradeStatusSchema } from '@attest/contracts';
import type { PlatformMode, User } from '@attest/platform-emulator';
import { launches, scorePassbacks } from '../../src/db/index.ts';
import { createScorePassback } from '../../src/scores/create-score-passback.ts';
import { startToolServer } from '../../src/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, openTestDatabase, startTestToolServer } from '../support/index.ts';
import { aLearner, assessmentCatalogue, coverUnitS, launch, readyForSignOff, setUpLms, signOffBody, waitFor } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';

// The unit's completion on its way to the LMS gradebook through the durable queue, against the
// emulator in both modes: the happy paths, the LMS down for a while, 429 with Retry-After, the tool
// stopped between sign-off and send, and sign-offs within one second of each other.

const completed = (lms: Course2, userId: string) => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === userId && e.gradingProgress === 'FullyGraded' && e.activityProgress === 'Completed');
// The logged path keeps the query string Moodle's line item URLs carry (?type_id=…).
const scorePosts = (lms: Course2) => lms.lms.getRequestLog().filter((r) => r.method === 'POST' && new URL(r.path, 'http://emulator').pathname.endsWith('/scores'));

describe.each(backends)('unit completion to the gradebook on %s', (backend) => {
  let tool: ToolServer;
  const lmss = new Map<PlatformMode, Course2>();
  const assessors = new Map<PlatformMode, Api>();

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    for (const mode of ['moodle', 'canvas'] as const) {
      const lms = await setUpLms(tool, mode);
      lmss.set(mode, lms);
      assessors.set(mode, await launch(tool, lms.lms, lms.assessor, lms.link));
    }
  });
  afterAll(async () => {
    for (const lms of lmss.values()) await lms.lms.close();
    await tool?.close();
  });
  const lmsOf = (mode: PlatformMode) => lmss.get(mode) as Course2;
  const assessorOf = (mode: PlatformMode) => assessors.get(mode) as Api;

  it('sends nothing to Moodle when the candidate asks for assessment, then the completion with full marks at sign-off', async () => {
    const lms = lmsOf('moodle');
    const learner = aLearner(lms);
    const version = await readyForSignOff(tool, lms, assessorOf('moodle'), learner);
    // The declaration was signed inside readyForSignOff: Moodle would clear a grade with a non-FullyGraded score.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toBeUndefined();
    expect((await assessorOf('moodle').post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
    await waitFor(() => completed(lms, learner.id), 20_000, 'the Moodle completion');
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toMatchObject({ grade: 100, acceptedScores: 1, canvasSubmission: null });
  });

  it('shows Canvas a submission needing grading with the SpeedGrader launch URL, then the completion a second later in order, with no 409', async () => {
    const lms = lmsOf('canvas');
    const assessor = assessorOf('canvas');
    const learner = aLearner(lms);
    const { learnerApi } = await coverUnitS(tool, lms, assessor, learner);
    const declared = await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION });
    expect(declared.status).toBe(201);
    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id), 20_000, 'the Canvas submission');
    const submitted = lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id);
    expect(submitted).toMatchObject({ activityProgress: 'Submitted', gradingProgress: 'PendingManual', scoreGiven: null, canvasSubmission: { newSubmission: true, submissionType: 'basic_lti_launch' } });
    const launchUrl = new URL(submitted?.canvasSubmission?.submissionData ?? '');
    expect(`${launchUrl.origin}${launchUrl.pathname}`).toBe(`${tool.url}/lti/launch`);
    expect(Object.fromEntries(launchUrl.searchParams)).toEqual({ attest_unit: 'unit-s', attest_learner: learner.id });

    // A second learner: declaration and sign-off inside one second; both scores reach Canvas, in order.
    const quick = aLearner(lms);
    const version = await readyForSignOff(tool, lms, assessor, quick);
    expect((await assessor.post(`/api/assessor/learners/${quick.id}/sign-off`, signOffBody(version))).status).toBe(201);
    await waitFor(() => completed(lms, quick.id), 20_000, 'the Canvas completion');
    const entry = lms.lms.getGradebook(lms.course.id).find((e) => e.userId === quick.id);
    expect(entry).toMatchObject({ scoreGiven: 100, scoreMaximum: 100, acceptedScores: 2, canvasSubmission: { newSubmission: false, submissionType: 'basic_lti_launch' } });
    expect(scorePosts(lms).map((r) => r.status)).not.toContain(409);
  });

  it.each(['moodle', 'canvas'] as const)('refuses POST /api/scores (404) to every role on %s, and the gradebook receives nothing', async (mode) => {
    const lms = lmsOf(mode);
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const assistant = lms.lms.createUser({ name: 'Tia Assistant' });
    lms.lms.enrol(lms.course.id, assistant.id, 'teachingAssistant');
    const assistantApi = await launch(tool, lms.lms, assistant, lms.link);
    const fullMarks = { scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' };
    const attempts: [string, Api, string][] = [
      ['the assessor', assessorOf(mode), learner.id],
      ['a teaching assistant', assistantApi, learner.id],
      ['the learner', learnerApi, learner.id],
      ['the assessor, for a user not on the roster', assessorOf(mode), 'not-on-the-roster'],
    ];
    for (const [who, api, learnerUserId] of attempts) expect((await api.post('/api/scores', { learnerUserId, ...fullMarks })).status, who).toBe(404);
    // A score accepted before would now be on its way: wait until nothing is pending for these users, then look.
    const rowsFor = () => tool.db.select().from(scorePassbacks).where(inArray(scorePassbacks.learnerUserId, [learner.id, 'not-on-the-roster']));
    await waitFor(async () => (await rowsFor()).every((row) => row.state !== 'pending'), 30_000, 'the passback queue to drain');
    expect(await rowsFor()).toEqual([]);
    expect(lms.lms.getGradebook(lms.course.id).filter((e) => e.userId === learner.id || e.userId === 'not-on-the-roster')).toEqual([]);
  });

  it('sends Canvas no “needs grading” score over a grade it already holds', async () => {
    const lms = lmsOf('canvas');
    const learner = aLearner(lms);
    const { learnerApi } = await coverUnitS(tool, lms, assessorOf('canvas'), learner);
    // A grade the gradebook already holds (no route takes one any more): stored and queued as a decision's would be.
    const [target] = await tool.db.select().from(launches).where(eq(launches.userId, learner.id)).orderBy(desc(launches.createdAt)).limit(1);
    const held = await createScorePassback(tool.db, {
      target: { issuer: target?.issuer ?? '', clientId: target?.clientId ?? '', deploymentId: target?.deploymentId ?? '', lineItemUrl: target?.lineItemUrl ?? '' },
      requestedBy: lms.assessor.id,
      request: { learnerUserId: learner.id, scoreGiven: 80, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });
    await tool.jobs.enqueueScorePassback(held);
    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id), 20_000, 'the grade already held');
    expect((await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toMatchObject({ grade: 80, gradingProgress: 'FullyGraded', acceptedScores: 1 });
  });

  it('delivers every grade signed off while Moodle was down once it is back, and tells the assessor why each was pending', async () => {
    const lms = lmsOf('moodle');
    const assessor = assessorOf('moodle');
    const learners: { learner: User; version: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const learner = aLearner(lms);
      learners.push({ learner, version: await readyForSignOff(tool, lms, assessor, learner) });
    }
    lms.lms.clearRequestLog();
    lms.lms.injectScoreFailures({ count: 10_000, status: 503 });
    for (const { learner, version } of learners) expect((await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
    await waitFor(() => scorePosts(lms).filter((r) => r.status === 503).length >= learners.length * 2, 30_000, 'every learner’s score refused twice');
    for (const { learner } of learners) {
      const status = GradeStatusSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/grade-status`)).body);
      expect(status).toMatchObject({ state: 'pending', activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
      expect(status.lastError).toMatch(/^LMS answered 503/);
    }
    const caseload = (await assessor.get('/api/assessor/caseload')).body as { learners: { userId: string; grade: { state: string } }[] };
    for (const { learner } of learners) expect(caseload.learners.find((l) => l.userId === learner.id)?.grade.state).toBe('pending');

    const refused = scorePosts(lms).filter((r) => r.status === 503).length;
    lms.lms.injectScoreFailures({ count: 0, status: 503 });
    const recoveredAt = Date.now();
    await waitFor(() => learners.every(({ learner }) => completed(lms, learner.id)), 60_000, 'every grade after recovery');
    const lastArrivedMs = Date.now() - recoveredAt;
    const arrived = learners.filter(({ learner }) => completed(lms, learner.id)).length;
    console.log(`[passback outage, ${backend}] ${learners.length} sign-offs during the outage, ${refused} score POSTs refused with 503; after recovery ${arrived}/${learners.length} grades arrived, the last ${lastArrivedMs} ms after the LMS came back`);
    expect(arrived).toBe(learners.length);
    for (const { learner } of learners) {
      expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toMatchObject({ grade: 100, acceptedScores: 1 });
      await waitFor(async () => (await assessor.get(`/api/assessor/learners/${learner.id}/grade-status`)).body.state === 'sent', 10_000, 'grade status sent');
    }
  });

  it('waits out a 429’s Retry-After before sending again', async () => {
    const lms = lmsOf('moodle');
    const learner = aLearner(lms);
    const version = await readyForSignOff(tool, lms, assessorOf('moodle'), learner);
    lms.lms.clearRequestLog();
    lms.lms.injectScoreFailures({ count: 1, status: 429, retryAfterSeconds: 3 });
    expect((await assessorOf('moodle').post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
    await waitFor(() => completed(lms, learner.id), 30_000, 'the completion after a 429');
    const posts = scorePosts(lms);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    const waitedMs = Date.parse(posts[1]?.at ?? '') - Date.parse(posts[0]?.at ?? '');
    console.log(`[passback 429, ${backend}] Retry-After 3 s; the retry came ${waitedMs} ms after the 429`);
    expect(waitedMs).toBeGreaterThanOrEqual(2900);
  });

  it('sends two sign-offs on the same line item within one second, both in order with no 409', async () => {
    const lms = lmsOf('moodle');
    const assessor = assessorOf('moodle');
    const a = aLearner(lms);
    const b = aLearner(lms);
    const versionA = await readyForSignOff(tool, lms, assessor, a);
    const versionB = await readyForSignOff(tool, lms, assessor, b);
    lms.lms.clearRequestLog();
    const [signedA, signedB] = await Promise.all([
      assessor.post(`/api/assessor/learners/${a.id}/sign-off`, signOffBody(versionA)),
      assessor.post(`/api/assessor/learners/${b.id}/sign-off`, signOffBody(versionB)),
    ]);
    expect([signedA.status, signedB.status]).toEqual([201, 201]);
    await waitFor(() => completed(lms, a.id) && completed(lms, b.id), 20_000, 'both completions');
    expect(scorePosts(lms).map((r) => r.status)).toEqual([200, 200]);
    // The LMS holds the score before the worker records its answer: wait for the rows to settle.
    const rowsOf = () => tool.db.select().from(scorePassbacks).where(inArray(scorePassbacks.learnerUserId, [a.id, b.id]));
    await waitFor(async () => (await rowsOf()).every((r) => r.state !== 'pending'), 20_000, 'both rows recorded');
    const rows = await rowsOf();
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
    for (const learner of [a, b]) expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toMatchObject({ grade: 100, acceptedScores: 1 });
  });
});

describe.each(backends)('a completion signed off just before the tool stops, on %s', (backend) => {
  it('reaches the gradebook after the tool starts again on the same database', async () => {
    const connection = await openTestDatabase(backend);
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-restart-'));
    const env = { host: '127.0.0.1', publicUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), nodeEnv: 'test' as const };
    const jobs = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 };
    let first: ToolServer | null = await startToolServer({ connection, catalogue: assessmentCatalogue(), env: { ...env, port: 0 }, jobs, log: () => {} });
    let second: ToolServer | null = null;
    const lms = await setUpLms(first, 'moodle');
    try {
      const assessor = await launch(first, lms.lms, lms.assessor, lms.link);
      const learner = aLearner(lms);
      const version = await readyForSignOff(first, lms, assessor, learner);
      // The LMS refuses until the tool is gone, so the score is still waiting when the process stops.
      lms.lms.injectScoreFailures({ count: 10_000, status: 503 });
      expect((await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(version))).status).toBe(201);
      await waitFor(() => scorePosts(lms).some((r) => r.status === 503), 20_000, 'the first refused delivery');
      const port = first.port;
      await first.close();
      first = null;
      lms.lms.injectScoreFailures({ count: 0, status: 503 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(completed(lms, learner.id)).toBe(false);

      // Same port: the LMS fetches the tool's keys from the URL it registered.
      const restartedAt = Date.now();
      second = await startToolServer({ connection, catalogue: assessmentCatalogue(), env: { ...env, port }, jobs, log: () => {} });
      await waitFor(() => completed(lms, learner.id), 30_000, 'the completion after the restart');
      console.log(`[passback restart, ${backend}] the grade arrived ${Date.now() - restartedAt} ms after the tool started again`);
      expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toMatchObject({ grade: 100, acceptedScores: 1 });
    } finally {
      await lms.lms.close();
      await first?.close();
      await second?.close();
      await connection.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
