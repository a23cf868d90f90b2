import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { Scope } from '../src/lti-vocabulary.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { accessToken, authParams, setUpCourse, startLogin, type CourseFixture } from './course-fixture.ts';
import { readForm } from './html-form.ts';

// SpeedGrader's launch of a learner's `basic_lti_launch` submission: the grader launches the
// assignment's resource link with the submission URL as target_link_uri (src/submission-launch-url.ts).

const claim = (name: string) => `https://purl.imsglobal.org/spec/lti/claim/${name}`;

async function idTokenOf(lms: PlatformEmulator, fake: FakeTool, course: CourseFixture, launchUrl: string): Promise<Record<string, unknown>> {
  const login = await startLogin(launchUrl);
  const response = await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields).toString()}`);
  const form = readForm(await response.text());
  const { payload } = await jwtVerify(form.fields['id_token'] ?? '', createRemoteJWKSet(new URL(lms.jwksUrl)), { audience: course.tool.clientId });
  return payload;
}

describe('SpeedGrader submission launch (canvas mode)', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  let submissionUrl: string;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
    submissionUrl = `${fake.launchUrl}?attest_unit=unit-201&attest_learner=${encodeURIComponent(course.learnerId)}`;
    const token = await accessToken(lms, fake, course.tool.clientId, Object.values(Scope));
    const response = await fetch(`${course.link.lineItemId ?? ''}/scores`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json', 'user-agent': 'fake-tool/1.0' },
      body: JSON.stringify({
        userId: course.learnerId,
        scoreGiven: 100,
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-11-23T10:00:00Z',
        'https://canvas.instructure.com/lti/submission': { new_submission: true, submission_type: 'basic_lti_launch', submission_data: submissionUrl },
      }),
    });
    expect(response.status).toBe(200);
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  const target = (overrides: Partial<{ learnerId: string; graderId: string }> = {}) => ({ courseId: course.courseId, lineItemId: course.link.lineItemId ?? '', learnerId: course.learnerId, graderId: course.instructorId, ...overrides });

  it('launches the grader on the assignment’s resource link with the recorded submission URL as target_link_uri', async () => {
    const url = new URL(lms.submissionLaunchUrl(target()));
    expect(url.pathname).toBe('/external_tools/retrieve');
    expect(url.searchParams.get('url')).toBe(submissionUrl);
    const login = await startLogin(url.href);
    expect(login.fields).toMatchObject({ target_link_uri: submissionUrl, login_hint: course.instructorId });
    const payload = await idTokenOf(lms, fake, course, url.href);
    expect(payload).toMatchObject({
      sub: course.instructorId,
      [claim('target_link_uri')]: submissionUrl,
      [claim('resource_link')]: { id: course.link.id },
      [claim('custom')]: { attest_unit: 'unit-201' },
      [claim('roles')]: expect.arrayContaining(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']),
    });
  });

  it('lets a TA grade, but not a learner', () => {
    expect(lms.submissionLaunchUrl(target({ graderId: course.assistantId }))).toContain('/external_tools/retrieve');
    expect(() => lms.submissionLaunchUrl(target({ graderId: course.learnerId }))).toThrow(/does not grade/);
  });

  it('has nothing to open for a learner without a basic_lti_launch submission', () => {
    const other = lms.createUser({ name: 'Kim Newcomer' });
    lms.enrol(course.courseId, other.id, 'learner');
    expect(() => lms.submissionLaunchUrl(target({ learnerId: other.id }))).toThrow(/No basic_lti_launch submission/);
  });

  it('refuses a retrieve URL on another domain than the tool’s', async () => {
    const url = new URL(lms.launchUrl({ courseId: course.courseId, userId: course.instructorId, resourceLinkId: course.link.id }));
    url.searchParams.set('url', 'https://elsewhere.example/lti/launch');
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('url_not_for_tool');
  });
});

describe('SpeedGrader submission launch (moodle mode)', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('does not exist: Moodle has no SpeedGrader, and its launch page takes no URL', async () => {
    expect(() => lms.submissionLaunchUrl({ courseId: course.courseId, lineItemId: course.link.lineItemId ?? '', learnerId: course.learnerId, graderId: course.instructorId })).toThrow(/Only Canvas/);
    const url = new URL(lms.launchUrl({ courseId: course.courseId, userId: course.instructorId, resourceLinkId: course.link.id }));
    url.searchParams.set('url', `${fake.launchUrl}?attest_learner=x`);
    expect((await fetch(url)).status).toBe(400);
  });
});
