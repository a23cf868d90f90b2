import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { Scope } from '../src/lti-vocabulary.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { accessToken, setUpCourse, type CourseFixture } from './course-fixture.ts';

// Canvas's submissions as its Score API keeps them (src/canvas/submission-rules.ts, citing
// canvas-lms app/controllers/lti/ims/scores_controller.rb): the launch URL only on a new submission,
// attempts, a comment per score, a tutor's SpeedGrader grade and the flags that protect it, and
// scores older than the stored result refused.

const extension = 'https://canvas.instructure.com/lti/submission';

describe('Canvas submissions and grades (canvas mode)', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  let token: string;
  let tutorId: string;
  let clock = Date.parse('2026-11-23T10:00:00.000Z');

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
    token = await accessToken(lms, fake, course.tool.clientId, Object.values(Scope));
    const tutor = lms.createUser({ name: 'Tia Tutor' });
    lms.enrol(course.courseId, tutor.id, 'teachingAssistant');
    tutorId = tutor.id;
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  /** A learner and a line item of their own, so no test depends on another's scores. */
  function freshLearner(): { learnerId: string; lineItemId: string } {
    const learner = lms.createUser({ name: 'Lee Learner' });
    lms.enrol(course.courseId, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.courseId, clientId: course.tool.clientId, title: 'Unit 301', lineItem: { scoreMaximum: 100, label: 'Unit 301' } });
    return { learnerId: learner.id, lineItemId: link.lineItemId ?? '' };
  }

  /** Each score a second after the last unless told otherwise: Canvas refuses older ones. */
  function nextTimestamp(): string {
    clock += 1000;
    return new Date(clock).toISOString();
  }

  async function postScore(lineItemId: string, body: Record<string, unknown>): Promise<Response> {
    return fetch(`${lineItemId}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json', 'user-agent': 'fake-tool/1.0' },
      body: JSON.stringify({ activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: nextTimestamp(), ...body }),
    });
  }

  const entryOf = (learnerId: string, lineItemId: string) => lms.getGradebook(course.courseId).find((e) => e.userId === learnerId && e.lineItemId === lineItemId);
  const launchOf = (learnerId: string, lineItemId: string) => () => lms.submissionLaunchUrl({ courseId: course.courseId, lineItemId, learnerId, graderId: tutorId });

  it('stores the basic_lti_launch URL only when the score makes a new submission, so SpeedGrader has nothing after new_submission: false', async () => {
    const { learnerId, lineItemId } = freshLearner();
    const url = `${fake.launchUrl}?attest_learner=${learnerId}`;
    const notNew = await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, [extension]: { new_submission: false, submission_type: 'basic_lti_launch', submission_data: url } });
    expect(notNew.status).toBe(200);
    expect(entryOf(learnerId, lineItemId)?.submission).toMatchObject({ attempt: 0, url: null, score: 100 });
    expect(launchOf(learnerId, lineItemId)).toThrow(/No basic_lti_launch submission/);

    // new_submission defaults to true: the same extension without the flag submits.
    expect((await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, [extension]: { submission_type: 'basic_lti_launch', submission_data: url } })).status).toBe(200);
    expect(entryOf(learnerId, lineItemId)?.submission).toMatchObject({ attempt: 1, url, submissionType: 'basic_lti_launch' });
    expect(new URL(launchOf(learnerId, lineItemId)()).searchParams.get('url')).toBe(url);
    // SpeedGrader's page frames that launch on the LMS's own origin.
    const page = await fetch(lms.speedGraderPageUrl({ courseId: course.courseId, lineItemId, learnerId, graderId: tutorId }));
    expect(page.status).toBe(200);
    const src = /<iframe id="lti-frame"[^>]* src="([^"]+)"/.exec(await page.text())?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(src).toBe(launchOf(learnerId, lineItemId)());
  });

  it('has no SpeedGrader page for a learner without a basic_lti_launch submission (404)', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, [extension]: { new_submission: false, submission_type: 'basic_lti_launch', submission_data: fake.launchUrl } });
    const url = new URL(lms.url);
    url.pathname = `/courses/${course.courseId}/gradebook/speed_grader`;
    url.search = new URLSearchParams({ assignment_id: lineItemId, student_id: learnerId, user: tutorId }).toString();
    expect((await fetch(url)).status).toBe(404);
  });

  it('makes no submission for submission_type none, and counts an attempt for every new one (external_tool by default, which clears the URL)', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted', [extension]: { new_submission: true, submission_type: 'none' } });
    expect(entryOf(learnerId, lineItemId)?.submission).toMatchObject({ attempt: 0, submissionType: null });
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted', [extension]: { new_submission: 'true', submission_type: 'basic_lti_launch', submission_data: fake.launchUrl } });
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted', [extension]: { new_submission: true, submission_type: 'basic_lti_launch', submission_data: fake.launchUrl } });
    expect(entryOf(learnerId, lineItemId)?.submission).toMatchObject({ attempt: 2, url: fake.launchUrl });
    // A score with no extension is a new external_tool submission (Assignment#submit_homework clears the prior URL).
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted' });
    expect(entryOf(learnerId, lineItemId)?.submission).toMatchObject({ attempt: 3, submissionType: 'external_tool', url: null });
  });

  it('adds a new student-visible comment for every score that carries one, never replacing the last', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted', comment: 'Submitted for assessment.' });
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, comment: 'Signed off.' });
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100 });
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, comment: 'Signed off.' });
    expect(entryOf(learnerId, lineItemId)?.submission?.comments.map((c) => c.text)).toEqual(['Submitted for assessment.', 'Signed off.', 'Signed off.']);
    // The result keeps the last comment sent, also through a score that sent none.
    expect(entryOf(learnerId, lineItemId)?.comment).toBe('Signed off.');
  });

  it('lets a tool score overwrite a tutor’s SpeedGrader grade without flags, and keeps it with prioritize_non_tool_grade', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted' });
    expect(lms.gradeAsTutor({ courseId: course.courseId, lineItemId, learnerId, graderId: tutorId, score: 85 })).toMatchObject({ grade: 85, submission: { gradedBy: 'tutor', graderId: tutorId } });

    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, [extension]: { new_submission: false, prioritize_non_tool_grade: true } });
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: 85, scoreGiven: 100, submission: { gradedBy: 'tutor' } });

    await postScore(lineItemId, { userId: learnerId, scoreGiven: 90, scoreMaximum: 100, [extension]: { new_submission: false } });
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: 90, submission: { gradedBy: 'tool' } });
  });

  it('clears a tutor’s grade with a score that is not FullyGraded (or has no scoreGiven) unless preserve_score is true', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted' });
    lms.gradeAsTutor({ courseId: course.courseId, lineItemId, learnerId, graderId: tutorId, score: 70 });
    await postScore(lineItemId, { userId: learnerId, gradingProgress: 'PendingManual', activityProgress: 'Submitted', [extension]: { new_submission: true, preserve_score: true } });
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: 70, submission: { gradedBy: 'tutor', attempt: 2 } });
    // preserve_score keeps the grade even against a FullyGraded score.
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, [extension]: { new_submission: false, preserve_score: 'true' } });
    expect(entryOf(learnerId, lineItemId)?.grade).toBe(70);
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 60, scoreMaximum: 100, gradingProgress: 'Pending', [extension]: { new_submission: false } });
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: null, submission: { gradedBy: null } });
  });

  it('shows the tutor’s grade through the result service', async () => {
    const { learnerId, lineItemId } = freshLearner();
    await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100 });
    lms.gradeAsTutor({ courseId: course.courseId, lineItemId, learnerId, graderId: tutorId, score: 55 });
    const response = await fetch(`${lineItemId}/results?user_id=${encodeURIComponent(learnerId)}`, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'fake-tool/1.0' } });
    expect(await response.json()).toMatchObject([{ userId: learnerId, resultScore: 55, resultMaximum: 100 }]);
  });

  it('refuses a score older than the stored result with 400, and accepts one with the same timestamp', async () => {
    const { learnerId, lineItemId } = freshLearner();
    const at = nextTimestamp();
    expect((await postScore(lineItemId, { userId: learnerId, scoreGiven: 50, scoreMaximum: 100, timestamp: at })).status).toBe(200);
    const older = await postScore(lineItemId, { userId: learnerId, scoreGiven: 60, scoreMaximum: 100, timestamp: new Date(Date.parse(at) - 1).toISOString() });
    expect(older.status).toBe(400);
    expect(((await older.json()) as { message: string }).message).toMatch(/before last updated timestamp/);
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: 50, acceptedScores: 1 });
    expect((await postScore(lineItemId, { userId: learnerId, scoreGiven: 70, scoreMaximum: 100, timestamp: at })).status).toBe(200);
    expect(entryOf(learnerId, lineItemId)?.grade).toBe(70);
  });

  it('stores a score whose answer is lost when a failure is injected after processing', async () => {
    const { learnerId, lineItemId } = freshLearner();
    lms.injectScoreFailures({ count: 1, status: 503, afterProcessing: true });
    expect((await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100, comment: 'Signed off.' })).status).toBe(503);
    expect(entryOf(learnerId, lineItemId)).toMatchObject({ grade: 100, submission: { comments: [{ text: 'Signed off.' }] } });
  });

  it('refuses a score with an injected 422 and stores nothing', async () => {
    const { learnerId, lineItemId } = freshLearner();
    lms.injectScoreFailures({ count: 1, status: 422 });
    expect((await postScore(lineItemId, { userId: learnerId, scoreGiven: 100, scoreMaximum: 100 })).status).toBe(422);
    expect(entryOf(learnerId, lineItemId)).toBeUndefined();
  });

  it('refuses a tutor grade from someone who does not grade the course (403) or for a non-student (404)', () => {
    const { learnerId, lineItemId } = freshLearner();
    expect(() => lms.gradeAsTutor({ courseId: course.courseId, lineItemId, learnerId, graderId: learnerId, score: 10 })).toThrow(/does not grade/);
    expect(() => lms.gradeAsTutor({ courseId: course.courseId, lineItemId, learnerId: tutorId, graderId: tutorId, score: 10 })).toThrow(/not a student/);
    expect(entryOf(learnerId, lineItemId)).toBeUndefined();
  });
});

describe('Moodle mode keeps no Canvas submission', () => {
  it('has no tutor grades and no submission on gradebook entries', async () => {
    const lms = await startPlatformEmulator({ mode: 'moodle' });
    try {
      const fake = await startFakeTool();
      try {
        const course = setUpCourse(lms, fake);
        expect(() => lms.gradeAsTutor({ courseId: course.courseId, lineItemId: course.link.lineItemId ?? '', learnerId: course.learnerId, graderId: course.instructorId, score: 1 })).toThrow(/Only the Canvas emulator/);
      } finally {
        await fake.close();
      }
    } finally {
      await lms.close();
    }
  });
});
