import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { SessionSchema } from '@attest/contracts';
import type { Session } from '@attest/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graderLaunchUrl } from '../../src/assessment/sign-off-unit.ts';
import { CANVAS_SUBMISSION_EXTENSION } from '../../src/assessment/store-unit-score.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Canvas's SpeedGrader opens the unit a sign-off submitted: the tool sends the grader launch URL as a
// `basic_lti_launch` submission, the emulated Canvas launches it for a grader as target_link_uri,
// and the session tells the UI which learner to open. The URL is only a pointer, never a grant.

describe.each(backends)('SpeedGrader launch on %s', (backend) => {
  let tool: LtiTestServer;
  let lms: PlatformEmulator;
  let registration: ToolRegistration;
  let course: Course;
  let learner: User;
  let instructor: User;
  let link: ResourceLink;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    lms = await startPlatformEmulator({ mode: 'canvas' });
    registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    course = lms.createCourse({ title: 'Customer Service L2' });
    learner = lms.createUser({ name: 'Lee Learner' });
    instructor = lms.createUser({ name: 'Ida Instructor' });
    lms.enrol(course.id, learner.id, 'learner');
    lms.enrol(course.id, instructor.id, 'instructor');
    link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' }, lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' } });
  });

  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  async function sessionAfter(startUrl: string): Promise<Session> {
    const end = await new BrowserlessAgent().walk(startUrl, (url) => url.startsWith(`${tool.url}/app/`));
    expect(end.url, `stopped at ${end.url} (${end.response.status}): ${end.body.slice(0, 300)}`).toMatch(/\/app\/\?ltik=/);
    const ltik = new URL(end.url).searchParams.get('ltik') ?? '';
    const response = await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
    expect(response.status).toBe(200);
    return SessionSchema.parse(((await response.json()) as { session: unknown }).session);
  }

  /** The retrieve URL Canvas frames, for a URL the grader's or anyone's launch is for. */
  function retrieveUrl(userId: string, url: string): string {
    const retrieve = new URL(lms.launchUrl({ courseId: course.id, userId, resourceLinkId: link.id }));
    retrieve.searchParams.set('url', url);
    return retrieve.href;
  }

  it('opens the learner named by the submission URL when SpeedGrader launches it for the instructor', async () => {
    const submissionUrl = graderLaunchUrl(tool.url, 'unit-201', learner.id);
    const sent = await tool.adapter.scoreSender.send(
      { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, lineItemUrl: link.lineItemId! },
      {
        userId: learner.id,
        scoreGiven: 100,
        scoreMaximum: 100,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date().toISOString(),
        extensions: { [CANVAS_SUBMISSION_EXTENSION]: { new_submission: true, submission_type: 'basic_lti_launch', submission_data: submissionUrl } },
      },
    );
    expect(sent).toMatchObject({ ok: true });

    const session = await sessionAfter(lms.submissionLaunchUrl({ courseId: course.id, lineItemId: link.lineItemId!, learnerId: learner.id, graderId: instructor.id }));
    expect(session).toMatchObject({ view: 'instructor-caseload', user: { id: instructor.id }, unitId: 'unit-201', focusLearnerUserId: learner.id });
  });

  it('opens the caseload, naming no learner, when the instructor launches the activity itself', async () => {
    const session = await sessionAfter(lms.launchUrl({ courseId: course.id, userId: instructor.id, resourceLinkId: link.id }));
    expect(session).toMatchObject({ view: 'instructor-caseload', focusLearnerUserId: null });
  });

  it('names no learner for a learner whose launch carries attest_learner, so a learner never opens an assessor page', async () => {
    const session = await sessionAfter(retrieveUrl(learner.id, graderLaunchUrl(tool.url, 'unit-201', 'someone-else')));
    expect(session).toMatchObject({ view: 'learner-unit', user: { id: learner.id }, focusLearnerUserId: null });
  });

  it('names no learner when the URL was made for another unit than the activity’s', async () => {
    const session = await sessionAfter(retrieveUrl(instructor.id, graderLaunchUrl(tool.url, 'unit-999', learner.id)));
    expect(session).toMatchObject({ view: 'instructor-caseload', unitId: 'unit-201', focusLearnerUserId: null });
  });
});
