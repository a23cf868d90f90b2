import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { accessToken, setUpCourse, type CourseFixture } from './course-fixture.ts';

const Scope = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  result: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
};
const scoreType = 'application/vnd.ims.lis.v1.score+json';

/** AGS §3.4: the scores URL is the line item URL with /scores appended to its path, query kept. */
function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname += '/scores';
  return url.href;
}

function resultsUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname += '/results';
  return url.href;
}

describe('AGS in moodle mode', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  let token: string;
  let lineItemUrl: string;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
    token = await accessToken(lms, fake, course.tool.clientId, Object.values(Scope));
    lineItemUrl = course.link.lineItemId ?? '';
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  const postScore = (body: Record<string, unknown>, options: { url?: string; bearer?: string; contentType?: string } = {}) =>
    fetch(options.url ?? scoresUrl(lineItemUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.bearer ?? token}`, 'content-type': options.contentType ?? scoreType },
      body: JSON.stringify(body),
    });
  /** A learner of their own and an activity of its own, so no test depends on another's scores. */
  function freshActivity(): { learnerId: string; lineItemUrl: string } {
    const learner = lms.createUser({ name: 'Lee Learner' });
    lms.enrol(course.courseId, learner.id, 'learner');
    const link = lms.placeResourceLink({
      courseId: course.courseId,
      clientId: course.tool.clientId,
      title: 'Unit 202',
      lineItem: { scoreMaximum: 100, label: 'Unit 202', resourceId: 'unit-202', tag: 'attest-unit' },
    });
    return { learnerId: learner.id, lineItemUrl: link.lineItemId ?? '' };
  }
  const entryOf = (learnerId: string) => lms.getGradebook(course.courseId).find((entry) => entry.userId === learnerId);
  const learnerScore = (overrides: Record<string, unknown> = {}) => ({
    userId: course.learnerId,
    scoreGiven: 7,
    scoreMaximum: 10,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    comment: 'Well evidenced',
    timestamp: '2026-11-23T10:00:00Z',
    ...overrides,
  });

  it('puts the type_id in the line item URL, as Moodle does', () => {
    expect(lineItemUrl).toMatch(new RegExp(`/mod/lti/services\\.php/${course.courseId}/lineitems/\\d+/lineitem\\?type_id=${course.tool.deploymentId}$`));
  });

  it('lists the course line items of the tool and reads one', async () => {
    const containerUrl = lineItemUrl.replace(/\/\d+\/lineitem\?/, '?');
    const list = await fetch(containerUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(list.headers.get('content-type')).toContain('application/vnd.ims.lis.v2.lineitemcontainer+json');
    expect(await list.json()).toEqual([{ id: lineItemUrl, scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit', resourceLinkId: course.link.id }]);
    const one = await fetch(lineItemUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(await one.json()).toMatchObject({ id: lineItemUrl, label: 'Unit 201' });
  });

  it('creates a line item with POST to the container', async () => {
    const containerUrl = lineItemUrl.replace(/\/\d+\/lineitem\?/, '?');
    const response = await fetch(containerUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
      body: JSON.stringify({ scoreMaximum: 50, label: 'Extra', tag: 'attest-unit' }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string };
    expect(lms.getLineItems(course.courseId).map((item) => item.id)).toContain(created.id);
  });

  it('records a fully graded score in the gradebook on the line item scale', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    expect((await postScore(learnerScore({ userId: learnerId }), { url: scoresUrl(itemUrl) })).status).toBe(200);
    expect(entryOf(learnerId)).toMatchObject({ lineItemId: itemUrl, activity: 'Unit 202', grade: 70, scoreGiven: 7, gradingProgress: 'FullyGraded', comment: 'Well evidenced' });
    const results = await fetch(resultsUrl(itemUrl), { headers: { authorization: `Bearer ${token}` } });
    expect(await results.json()).toEqual([expect.objectContaining({ userId: learnerId, resultScore: 70, resultMaximum: 100, comment: 'Well evidenced' })]);
  });

  it('refuses a score in the same second as the stored one with 409 and keeps the stored grade', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    expect((await postScore(learnerScore({ userId: learnerId }), { url: scoresUrl(itemUrl) })).status).toBe(200);
    const response = await postScore(learnerScore({ userId: learnerId, scoreGiven: 1, timestamp: '2026-11-23T10:00:00.500Z' }), { url: scoresUrl(itemUrl) });
    expect(response.status).toBe(409);
    expect(entryOf(learnerId)).toMatchObject({ grade: 70, acceptedScores: 1 });
  });

  it('clears the grade when a newer score is not FullyGraded', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    expect((await postScore(learnerScore({ userId: learnerId }), { url: scoresUrl(itemUrl) })).status).toBe(200);
    expect((await postScore(learnerScore({ userId: learnerId, gradingProgress: 'PendingManual', timestamp: '2026-11-23T10:00:01Z' }), { url: scoresUrl(itemUrl) })).status).toBe(200);
    expect(entryOf(learnerId)).toMatchObject({ grade: null, scoreGiven: null, gradingProgress: 'PendingManual' });
  });

  it('refuses a score without activityProgress with 400', async () => {
    const body: Record<string, unknown> = learnerScore({ timestamp: '2026-11-23T11:00:00Z' });
    delete body['activityProgress'];
    expect((await postScore(body)).status).toBe(400);
  });

  it('refuses a score sent as plain application/json with 400', async () => {
    expect((await postScore(learnerScore({ timestamp: '2026-11-23T11:00:00Z' }), { contentType: 'application/json' })).status).toBe(400);
  });

  it('refuses a score for an instructor, who is not gradable, with 400', async () => {
    expect((await postScore(learnerScore({ userId: course.instructorId, timestamp: '2026-11-23T11:00:00Z' }))).status).toBe(400);
  });

  it('refuses a scores URL that lost its type_id', async () => {
    const url = new URL(scoresUrl(lineItemUrl));
    url.search = '';
    expect((await postScore(learnerScore({ timestamp: '2026-11-23T11:00:00Z' }), { url: url.href })).status).toBe(403);
  });

  it('refuses a score posted with a token that lacks the score scope', async () => {
    const readOnly = await accessToken(lms, fake, course.tool.clientId, [Scope.lineItemReadOnly]);
    const response = await postScore(learnerScore({ timestamp: '2026-11-23T11:00:00Z' }), { bearer: readOnly });
    expect(response.status).toBe(401);
    expect((await fetch(lineItemUrl, { headers: { authorization: `Bearer ${readOnly}` } })).status).toBe(200);
  });

  it('refuses a service call without a bearer token', async () => {
    expect((await fetch(lineItemUrl)).status).toBe(401);
  });

  it('answers injected 503s and 429s with Retry-After, then accepts again', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    const send = () => postScore(learnerScore({ userId: learnerId, timestamp: '2026-11-23T12:00:00Z' }), { url: scoresUrl(itemUrl) });
    lms.injectScoreFailures({ count: 1, status: 503 });
    expect((await send()).status).toBe(503);
    lms.injectScoreFailures({ count: 2, status: 429, retryAfterSeconds: 7 });
    const throttled = await send();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await send()).status).toBe(429);
    expect((await send()).status).toBe(200);
    expect(entryOf(learnerId)).toMatchObject({ grade: 70, acceptedScores: 1 });
    const logged = lms.getRequestLog().filter((entry) => entry.area === 'ags' && entry.path.startsWith(new URL(scoresUrl(itemUrl)).pathname));
    expect(logged.map((entry) => entry.status)).toEqual([503, 429, 429, 200]);
  });

  it('holds the next score until released, then processes it as usual', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    const hold = lms.holdNextScore();
    const sent = postScore(learnerScore({ userId: learnerId, timestamp: '2026-11-23T12:30:00Z' }), { url: scoresUrl(itemUrl) });
    await hold.arrived;
    expect(entryOf(learnerId)).toBeUndefined();
    hold.release();
    expect((await sent).status).toBe(200);
    expect(entryOf(learnerId)).toMatchObject({ grade: 70, acceptedScores: 1 });
  });

  it('prints the gradebook as an HTML page', async () => {
    const { learnerId, lineItemUrl: itemUrl } = freshActivity();
    await postScore(learnerScore({ userId: learnerId, comment: 'Printed <b>safely</b>' }), { url: scoresUrl(itemUrl) });
    const html = await (await fetch(lms.gradebookPageUrl(course.courseId))).text();
    expect(html).toMatch(new RegExp(`<tr data-user-id="${learnerId}"[^>]*><td>Lee Learner</td><td>Unit 202</td><td class="grade">70</td><td>Completed</td><td>FullyGraded</td><td>Printed &lt;b&gt;safely&lt;/b&gt;</td>`));
  });

  it('shows a teacher’s override in the result service, kept through later scores, an emptied grade without resultScore, a lost grade not at all, and a deleted line item as 404', async () => {
    const overridden = freshActivity();
    const emptied = freshActivity();
    const lost = freshActivity();
    for (const { learnerId, lineItemUrl: url } of [overridden, emptied, lost]) expect((await postScore(learnerScore({ userId: learnerId }), { url: scoresUrl(url) })).status).toBe(200);
    // A line item's id is its URL.
    lms.overrideGrade({ courseId: course.courseId, lineItemId: overridden.lineItemUrl, learnerId: overridden.learnerId, score: 55 });
    lms.overrideGrade({ courseId: course.courseId, lineItemId: emptied.lineItemUrl, learnerId: emptied.learnerId, score: null });
    lms.loseGrade({ courseId: course.courseId, lineItemId: lost.lineItemUrl, learnerId: lost.learnerId });
    const read = async (url: string) => (await fetch(resultsUrl(url), { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as Record<string, unknown>[];
    expect(await read(overridden.lineItemUrl)).toEqual([expect.objectContaining({ userId: overridden.learnerId, resultScore: 55, resultMaximum: 100 })]);
    const [emptiedResult] = await read(emptied.lineItemUrl);
    expect(emptiedResult).toMatchObject({ userId: emptied.learnerId });
    expect(emptiedResult).not.toHaveProperty('resultScore');
    expect(await read(lost.lineItemUrl)).toEqual([]);
    // The override is dated by Moodle's clock: a tool's score dated before it is refused as older.
    expect((await postScore(learnerScore({ userId: overridden.learnerId }), { url: scoresUrl(overridden.lineItemUrl) })).status).toBe(409);
    // A later one is accepted, and the overridden grade and its feedback stay as the teacher left them.
    const later = new Date(Date.now() + 2000).toISOString();
    expect((await postScore(learnerScore({ userId: overridden.learnerId, scoreGiven: 10, comment: 'Sent again', timestamp: later }), { url: scoresUrl(overridden.lineItemUrl) })).status).toBe(200);
    expect(await read(overridden.lineItemUrl)).toEqual([expect.objectContaining({ resultScore: 55, comment: 'Well evidenced' })]);
    lms.deleteLineItem(lost.lineItemUrl);
    expect((await fetch(resultsUrl(lost.lineItemUrl), { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    expect(() => lms.deleteLineItem(lost.lineItemUrl)).toThrow(/No line item/);
  });
});

describe('AGS in canvas mode', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  let token: string;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
    token = await accessToken(lms, fake, course.tool.clientId, Object.values(Scope));
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('records the Canvas submission extension with the score', async () => {
    const response = await fetch(scoresUrl(course.link.lineItemId ?? ''), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': scoreType, 'user-agent': 'fake-tool/1.0' },
      body: JSON.stringify({
        userId: course.learnerId,
        scoreGiven: 100,
        scoreMaximum: 100,
        activityProgress: 'Submitted',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-11-23T10:00:00Z',
        'https://canvas.instructure.com/lti/submission': { new_submission: true, submission_type: 'basic_lti_launch', submission_data: 'http://localhost:3000/app/', submitted_at: '2026-11-23T09:59:00Z' },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('resultUrl');
    expect(lms.getGradebook(course.courseId)[0]).toMatchObject({
      grade: 100,
      canvasSubmission: { newSubmission: true, submissionType: 'basic_lti_launch', submissionData: 'http://localhost:3000/app/', submittedAt: '2026-11-23T09:59:00Z' },
    });
    expect(await (await fetch(lms.gradebookPageUrl(course.courseId))).text()).toContain('basic_lti_launch http://localhost:3000/app/');
  });

  it('refuses API calls that carry no User-Agent header', async () => {
    // fetch always adds a User-Agent unless told otherwise; an empty one is what "none" looks like on the wire.
    const withoutAgent = await fetch(course.link.lineItemId ?? '', { headers: { authorization: `Bearer ${token}`, 'user-agent': '' } });
    expect(withoutAgent.status).toBe(403);
    const tokenWithoutAgent = await fetch(lms.tokenUrl, { method: 'POST', headers: { 'user-agent': '' }, body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(tokenWithoutAgent.status).toBe(403);
    const withAgent = await fetch(course.link.lineItemId ?? '', { headers: { authorization: `Bearer ${token}`, 'user-agent': 'fake-tool/1.0' } });
    expect(withAgent.status).toBe(200);
  });

  it('has no grader report override: a Canvas grade is changed in SpeedGrader (gradeAsTutor)', () => {
    expect(() => lms.overrideGrade({ courseId: course.courseId, lineItemId: course.link.lineItemId ?? '', learnerId: course.learnerId, score: 50 })).toThrow(/Only the Moodle emulator/);
  });

  it('uses Canvas line item URLs without a type_id', () => {
    expect(course.link.lineItemId).toMatch(new RegExp(`/api/lti/courses/${course.courseId}/line_items/\\d+$`));
  });
});
