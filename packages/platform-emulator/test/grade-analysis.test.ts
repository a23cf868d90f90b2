import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, type JWTPayload } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { authParams, setUpCourse, startLogin, type CourseFixture } from './course-fixture.ts';
import { readForm } from './html-form.ts';
import { pressInActivityForm } from './activity-form.ts';

// Moodle's Grade analysis (src/grade-analysis.ts): grade.php → view.php → launch.php?action=gradeReport
// sends an LtiSubmissionReviewRequest of the activity for the graded learner, shaped by the line
// item's submissionReview (mod/lti/locallib.php, gradebookservices.php override_endpoint).

const lti = (name: string) => `https://purl.imsglobal.org/spec/lti/claim/${name}`;
const dl = (name: string) => `https://purl.imsglobal.org/spec/lti-dl/claim/${name}`;

describe('Grade analysis (moodle mode)', () => {
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

  const target = (overrides: Partial<{ resourceLinkId: string; learnerId: string; graderId: string }> = {}) => ({
    courseId: course.courseId,
    resourceLinkId: course.link.id,
    learnerId: course.learnerId,
    graderId: course.instructorId,
    ...overrides,
  });

  /** The id_token a launch URL ends in, through the browser's hand-overs. */
  async function idTokenOf(launchUrl: string): Promise<{ login: Record<string, string>; claims: JWTPayload }> {
    const login = await startLogin(launchUrl);
    const form = readForm(await (await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields).toString()}`)).text());
    return { login: login.fields, claims: decodeJwt(form.fields['id_token'] ?? '') };
  }

  it('sends the grader an LtiSubmissionReviewRequest of the activity with for_user naming the learner', async () => {
    const { login, claims } = await idTokenOf(lms.gradeAnalysisLaunchUrl(target()));
    expect(login).toMatchObject({ login_hint: course.instructorId, target_link_uri: fake.launchUrl });
    expect(claims).toMatchObject({
      sub: course.instructorId,
      [lti('message_type')]: 'LtiSubmissionReviewRequest',
      [lti('for_user')]: { user_id: course.learnerId },
      [lti('resource_link')]: { id: course.link.id },
      [lti('target_link_uri')]: fake.launchUrl,
      [lti('custom')]: { attest_unit: 'unit-201' },
      [lti('roles')]: expect.arrayContaining(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']),
    });
    expect(claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toMatchObject({ lineitem: course.link.lineItemId });
  });

  it('keeps a deep-linked line item’s submissionReview, shows it on the line item, and launches its url and custom parameters', async () => {
    const login = await startLogin(lms.deepLinkingLaunchUrl({ courseId: course.courseId, userId: course.instructorId, clientId: course.tool.clientId }));
    const dlForm = readForm(await (await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields).toString()}`)).text());
    const settings = decodeJwt(dlForm.fields['id_token'] ?? '')[dl('deep_linking_settings')] as { deep_link_return_url: string; data: string };
    const reviewUrl = `${fake.url}/review`;
    const jwt = await fake.sign({
      iss: course.tool.clientId,
      aud: lms.issuer,
      nonce: 'review-nonce',
      [lti('message_type')]: 'LtiDeepLinkingResponse',
      [lti('version')]: '1.3.0',
      [lti('deployment_id')]: course.tool.deploymentId,
      [dl('data')]: settings.data,
      [dl('content_items')]: [
        { type: 'ltiResourceLink', title: 'Unit 305', custom: { attest_unit: 'unit-305' }, lineItem: { scoreMaximum: 100, label: 'Unit 305', submissionReview: { label: 'Open', url: reviewUrl, custom: { review: 'yes' } } } },
        { type: 'ltiResourceLink', title: 'Unit 306', custom: { attest_unit: 'unit-306' }, lineItem: { scoreMaximum: 100, label: 'Unit 306', submissionReview: { label: 'Open' } } },
        { type: 'ltiResourceLink', title: 'Unit 307', custom: { attest_unit: 'unit-307' }, lineItem: { scoreMaximum: 100, label: 'Unit 307' } },
      ],
    });
    const before = lms.getResourceLinks(course.courseId).length;
    const returned = await fetch(settings.deep_link_return_url, { method: 'POST', body: new URLSearchParams({ JWT: jwt }) });
    expect(returned.status).toBe(200);
    // Moodle creates the activities when the teacher saves the form the return filled.
    expect((await pressInActivityForm(lms.url, await returned.text(), 'submitbutton2')).status).toBe(303);
    const [withUrl, withDefault, without] = lms.getResourceLinks(course.courseId).slice(before);
    const items = lms.getLineItems(course.courseId);
    // Moodle keeps the url (or "DEFAULT") and the custom parameters, not the label.
    expect(items.find((item) => item.id === withUrl?.lineItemId)?.submissionReview).toEqual({ url: reviewUrl, custom: { review: 'yes' } });
    expect(items.find((item) => item.id === withDefault?.lineItemId)?.submissionReview).toEqual({});
    expect(items.find((item) => item.id === without?.lineItemId)?.submissionReview).toBeNull();

    const review = await idTokenOf(lms.gradeAnalysisLaunchUrl(target({ resourceLinkId: withUrl?.id ?? '' })));
    expect(review.login['target_link_uri']).toBe(reviewUrl);
    expect(review.claims).toMatchObject({ [lti('target_link_uri')]: reviewUrl, [lti('custom')]: { attest_unit: 'unit-305', review: 'yes' } });
    // A line item without submissionReview still gets the review launch, at the activity's URL.
    const plain = await idTokenOf(lms.gradeAnalysisLaunchUrl(target({ resourceLinkId: without?.id ?? '' })));
    expect(plain.claims).toMatchObject({ [lti('message_type')]: 'LtiSubmissionReviewRequest', [lti('target_link_uri')]: fake.launchUrl, [lti('custom')]: { attest_unit: 'unit-307' } });
  });

  it('lets teachers and TAs open anyone’s grade and a learner only their own, as view.php requires gradereport/grader:view', async () => {
    expect(lms.gradeAnalysisLaunchUrl(target({ graderId: course.assistantId }))).toContain('action=gradeReport');
    expect(() => lms.gradeAnalysisLaunchUrl(target({ graderId: course.learnerId, learnerId: course.instructorId }))).toThrow(/may not view other people/);
    const own = await idTokenOf(lms.gradeAnalysisLaunchUrl(target({ graderId: course.learnerId })));
    expect(own.claims).toMatchObject({ sub: course.learnerId, [lti('for_user')]: { user_id: course.learnerId } });
    // The launch page itself refuses the same, whatever URL is typed.
    const typed = new URL(lms.gradeAnalysisLaunchUrl(target({ learnerId: course.assistantId })));
    typed.searchParams.set('user', course.learnerId);
    expect((await fetch(typed, { redirect: 'manual' })).status).toBe(403);
  });

  it('does not check that the graded learner is in the course, as Moodle does not', async () => {
    const stranger = lms.createUser({ name: 'Sam Stranger' });
    const { claims } = await idTokenOf(lms.gradeAnalysisLaunchUrl(target({ learnerId: stranger.id })));
    expect(claims[lti('for_user')]).toEqual({ user_id: stranger.id });
  });

  it('serves grade.php as the activity page framing the review launch', async () => {
    const page = await fetch(lms.gradeAnalysisPageUrl(target()));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="lti-frame"');
    expect(html).toContain('action=gradeReport');
    expect(html).toContain(`for_user=${course.learnerId}`);
  });
});

describe('Grade analysis (canvas mode)', () => {
  it('is Moodle’s only', async () => {
    const lms = await startPlatformEmulator({ mode: 'canvas' });
    const fake = await startFakeTool();
    try {
      const course = setUpCourse(lms, fake);
      expect(() => lms.gradeAnalysisLaunchUrl({ courseId: course.courseId, resourceLinkId: course.link.id, learnerId: course.learnerId, graderId: course.instructorId })).toThrow(/Only Moodle/);
    } finally {
      await lms.close();
      await fake.close();
    }
  });
});
