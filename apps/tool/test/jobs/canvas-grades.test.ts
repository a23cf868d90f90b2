import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATE_UNIT_DECLARATION, GradeStatusSchema } from '@attest/contracts';
import type { User } from '@attest/platform-emulator';
import { scorePassbacks } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { aLearner, assessmentCatalogue, coverUnitS, launch, setUpLms, signOffBody, waitFor } from '../assessment/assessment-fixture.ts';
import type { Api, Course2 } from '../assessment/assessment-fixture.ts';

// Grades as Canvas keeps them (src/jobs/canvas-score-flags.ts), against the emulator's canvas mode,
// which follows canvas-lms scores_controller.rb: new_submission decided by what Canvas holds, no
// comment twice for one score, and a tutor's own SpeedGrader grade never overwritten or cleared.

const entryOf = (lms: Course2, userId: string) => lms.lms.getGradebook(lms.course.id).find((e) => e.userId === userId && e.lineItemId === lms.link.lineItemId);

describe.each(backends)('Canvas submissions and grades on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  let tutor: User;

  beforeAll(async () => {
    // One retry only, so a passback Canvas refuses twice fails for good within the test.
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue(), jobs: { retryLimit: 1 } });
    lms = await setUpLms(tool, 'canvas');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
    tutor = lms.lms.createUser({ name: 'Tia Tutor' });
    lms.lms.enrol(lms.course.id, tutor.id, 'teachingAssistant');
  });
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  async function declare(learnerApi: Api): Promise<void> {
    const declared = await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
  }
  async function signOff(learner: User, reportVersion: number): Promise<void> {
    const signed = await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(reportVersion));
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
  }
  const rowsOf = (learner: User) => tool.db.select().from(scorePassbacks).where(eq(scorePassbacks.learnerUserId, learner.id));
  const settled = async (learner: User, count: number, what: string) => waitFor(async () => {
    const rows = await rowsOf(learner);
    return rows.length === count && rows.every((row) => row.state !== 'pending');
  }, 30_000, what);

  it('gives SpeedGrader the learner’s unit when the first passback failed for good: the next score Canvas accepts is the new submission', async () => {
    const learner = aLearner(lms);
    const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessor, learner);
    lms.lms.injectScoreFailures({ count: 2, status: 503 });
    await declare(learnerApi);
    await settled(learner, 1, 'the declaration’s passback to fail');
    expect((await rowsOf(learner))[0]).toMatchObject({ state: 'failed', attempts: 2 });
    expect(entryOf(lms, learner.id)).toBeUndefined();

    await signOff(learner, reportVersion);
    await waitFor(() => entryOf(lms, learner.id)?.gradingProgress === 'FullyGraded', 20_000, 'the completion in Canvas');
    expect(entryOf(lms, learner.id)).toMatchObject({ grade: 100, canvasSubmission: { newSubmission: true, submissionType: 'basic_lti_launch' }, submission: { attempt: 1 } });
    const url = new URL(lms.lms.submissionLaunchUrl({ courseId: lms.course.id, lineItemId: lms.link.lineItemId ?? '', learnerId: learner.id, graderId: lms.assessor.id }));
    const opened = new URL(url.searchParams.get('url') ?? '');
    expect(opened.searchParams.get('attest_learner')).toBe(learner.id);
  });

  it('keeps a tutor’s own SpeedGrader grade through the completion and a reopen, and tells the assessor so', async () => {
    const learner = aLearner(lms);
    const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessor, learner);
    await declare(learnerApi);
    await waitFor(() => entryOf(lms, learner.id)?.gradingProgress === 'PendingManual', 20_000, 'the submission in Canvas');
    lms.lms.gradeAsTutor({ courseId: lms.course.id, lineItemId: lms.link.lineItemId ?? '', learnerId: learner.id, graderId: tutor.id, score: 85 });

    await signOff(learner, reportVersion);
    await settled(learner, 2, 'the completion');
    expect(entryOf(lms, learner.id)).toMatchObject({ grade: 85, gradingProgress: 'FullyGraded', submission: { gradedBy: 'tutor', attempt: 1 } });
    const status = GradeStatusSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/grade-status`)).body);
    expect(status).toMatchObject({ state: 'sent', gradingProgress: 'FullyGraded', keptGraderScore: 85 });

    // The reopen asks Canvas to grade a new attempt, and clears nothing.
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/reopen`, { reason: 'The evidence must be checked again.' })).status).toBe(201);
    await settled(learner, 3, 'the reopen');
    expect(entryOf(lms, learner.id)).toMatchObject({ grade: 85, gradingProgress: 'PendingManual', submission: { gradedBy: 'tutor', attempt: 2 } });
    expect(GradeStatusSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/grade-status`)).body)).toMatchObject({ state: 'sent', keptGraderScore: 85 });
  });

  it('grades the submission itself when no tutor has graded it, and says nothing about a tutor', async () => {
    const learner = aLearner(lms);
    const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessor, learner);
    await declare(learnerApi);
    await signOff(learner, reportVersion);
    await settled(learner, 2, 'the completion');
    expect(entryOf(lms, learner.id)).toMatchObject({ grade: 100, submission: { gradedBy: 'tool', attempt: 1 } });
    expect(GradeStatusSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/grade-status`)).body)).toMatchObject({ state: 'sent', keptGraderScore: null });
  });

  it('adds the sign-off comment once when Canvas stored the score but its answer was lost, and counts no extra attempt', async () => {
    const learner = aLearner(lms);
    const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessor, learner);
    await declare(learnerApi);
    await settled(learner, 1, 'the declaration');
    lms.lms.injectScoreFailures({ count: 1, status: 503, afterProcessing: true });
    await signOff(learner, reportVersion);
    await settled(learner, 2, 'the completion');
    const completion = (await rowsOf(learner)).find((row) => row.gradingProgress === 'FullyGraded');
    expect(completion).toMatchObject({ state: 'sent', attempts: 1 });
    const comments = entryOf(lms, learner.id)?.submission?.comments.map((c) => c.text) ?? [];
    expect(comments).toHaveLength(2);
    expect(comments.filter((text) => text === completion?.comment)).toHaveLength(1);
    expect(entryOf(lms, learner.id)).toMatchObject({ grade: 100, acceptedScores: 2, submission: { attempt: 1 } });
  });

  it('sends every score of a learner with a timestamp no older than Canvas’s stored one, retries included', async () => {
    const learner = aLearner(lms);
    const { learnerApi, reportVersion } = await coverUnitS(tool, lms, assessor, learner);
    lms.lms.injectScoreFailures({ count: 1, status: 503 });
    await declare(learnerApi);
    await signOff(learner, reportVersion);
    await settled(learner, 2, 'both scores');
    const rows = (await rowsOf(learner)).sort((a, b) => a.scoreTimestamp.getTime() - b.scoreTimestamp.getTime());
    expect(rows.map((row) => row.state)).toEqual(['sent', 'sent']);
    expect(rows[1]!.scoreTimestamp.getTime()).toBeGreaterThan(rows[0]!.scoreTimestamp.getTime());
    expect(entryOf(lms, learner.id)).toMatchObject({ acceptedScores: 2, timestamp: rows[1]!.scoreTimestamp.toISOString() });
    expect(lms.lms.getRequestLog().filter((r) => r.area === 'ags' && r.status === 400)).toEqual([]);
  });
});
