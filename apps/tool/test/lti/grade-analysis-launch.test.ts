import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { SessionSchema } from '@attest/contracts';
import type { Session } from '@attest/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launches } from '../../src/db/schema/index.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Moodle's Grade analysis: a grader opening an Attest activity's grade sends an
// LtiSubmissionReviewRequest for that learner (the emulator's Moodle mode, src/grade-analysis.ts).
// Attest opens the learner's unit for an instructor, and refuses anyone else, or a learner who is
// not in the course, before ltijs or our records see the launch (src/lti/submission-review.ts).

describe.each(backends)('Moodle Grade analysis launch on %s', (backend) => {
  let tool: LtiTestServer;
  let lms: PlatformEmulator;
  let registration: ToolRegistration;
  let course: Course;
  let learner: User;
  let instructor: User;
  let nonEditingTeacher: User;
  let link: ResourceLink;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    lms = await startPlatformEmulator({ mode: 'moodle' });
    registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    course = lms.createCourse({ title: 'Customer Service L2' });
    learner = lms.createUser({ name: 'Lee Learner' });
    instructor = lms.createUser({ name: 'Ida Instructor' });
    nonEditingTeacher = lms.createUser({ name: 'Nia Assessor' });
    lms.enrol(course.id, learner.id, 'learner');
    lms.enrol(course.id, instructor.id, 'instructor');
    lms.enrol(course.id, nonEditingTeacher.id, 'teachingAssistant');
    link = await placeUnitByDeepLinking();
  });

  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  /** The instructor places Unit 201 the way Moodle's "Add an activity" does: Attest's own deep-linking answer. */
  async function placeUnitByDeepLinking(): Promise<ResourceLink> {
    const agent = new BrowserlessAgent();
    const ltik = await ltikAfter(agent, lms.deepLinkingLaunchUrl({ courseId: course.id, userId: instructor.id, clientId: registration.clientId }));
    const response = await fetch(`${tool.url}/api/deep-linking`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ unitId: 'unit-201', title: 'Unit 201' }] }),
    });
    expect(response.status).toBe(200);
    const { returnUrl, jwt } = (await response.json()) as { returnUrl: string; jwt: string };
    const returned = await agent.request(returnUrl, { form: { JWT: jwt } });
    expect(returned.status).toBe(200);
    // Moodle creates the activity when the teacher saves the form the return filled ("Save and return to course").
    const formId = /name="form" value="([^"]*)"/.exec(await returned.text())?.[1] ?? '';
    expect((await agent.request(`${lms.url}/course/modedit.php`, { form: { form: formId, submitbutton2: '1' } })).status).toBe(303);
    const placed = lms.getResourceLinks(course.id).find((candidate) => candidate.custom.attest_unit === 'unit-201');
    if (!placed) throw new Error('Unit 201 was not placed');
    return placed;
  }

  async function ltikAfter(agent: BrowserlessAgent, startUrl: string): Promise<string> {
    const end = await agent.walk(startUrl, (url) => url.startsWith(`${tool.url}/app/`));
    expect(end.url, `stopped at ${end.url} (${end.response.status}): ${end.body.slice(0, 300)}`).toMatch(/\/app\/\?ltik=/);
    return new URL(end.url).searchParams.get('ltik') ?? '';
  }

  async function sessionAfter(startUrl: string): Promise<Session> {
    const response = await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${await ltikAfter(new BrowserlessAgent(), startUrl)}` } });
    expect(response.status).toBe(200);
    return SessionSchema.parse(((await response.json()) as { session: unknown }).session);
  }

  /** Walks a launch that the tool refuses; returns the refusal page's status and text. */
  async function refusalAfter(startUrl: string): Promise<{ status: number; body: string }> {
    const end = await new BrowserlessAgent().walk(startUrl, (url) => url.startsWith(`${tool.url}/app/`));
    expect(end.url).toBe(`${tool.url}/lti/launch`);
    return { status: end.response.status, body: end.body };
  }

  const gradeAnalysis = (learnerId: string, graderId: string) => lms.gradeAnalysisLaunchUrl({ courseId: course.id, resourceLinkId: link.id, learnerId, graderId });

  it('places units whose line item declares submission review', () => {
    const lineItem = lms.getLineItems(course.id).find((item) => item.id === link.lineItemId);
    expect(lineItem?.submissionReview).toEqual({});
  });

  it('opens the learner’s unit for the instructor who opens their grade, and records the instructor’s launch', async () => {
    await sessionAfter(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }));
    const session = await sessionAfter(gradeAnalysis(learner.id, instructor.id));
    expect(session).toMatchObject({ view: 'instructor-caseload', user: { id: instructor.id }, unitId: 'unit-201', focusLearnerUserId: learner.id });
    const recorded = await tool.connection.db.select().from(launches).where(and(eq(launches.userId, instructor.id), eq(launches.resourceLinkId, link.id)));
    expect(recorded.length).toBeGreaterThan(0);
  });

  it('opens it for a non-editing teacher too, who launches as an Instructor', async () => {
    const session = await sessionAfter(gradeAnalysis(learner.id, nonEditingTeacher.id));
    expect(session).toMatchObject({ view: 'instructor-caseload', user: { id: nonEditingTeacher.id }, focusLearnerUserId: learner.id });
  });

  it('still opens the plain caseload when the instructor launches the activity itself afterwards', async () => {
    const session = await sessionAfter(lms.launchUrl({ courseId: course.id, userId: instructor.id, resourceLinkId: link.id }));
    expect(session).toMatchObject({ view: 'instructor-caseload', focusLearnerUserId: null });
  });

  it('opens a learner’s own Grade analysis as their own unit, and no assessor page', async () => {
    const session = await sessionAfter(gradeAnalysis(learner.id, learner.id));
    expect(session).toMatchObject({ view: 'learner-unit', user: { id: learner.id }, unitId: 'unit-201', focusLearnerUserId: null });
  });

  it('refuses a review for someone who is not a learner of the course with a 404 page, storing nothing', async () => {
    const stranger = lms.createUser({ name: 'Sam Stranger' });
    // Moodle's roster lists a non-editing teacher as a Learner; their own launch says Instructor.
    await sessionAfter(lms.launchUrl({ courseId: course.id, userId: nonEditingTeacher.id, resourceLinkId: link.id }));
    const before = await countLaunchRows(tool.connection);
    for (const notALearner of [stranger.id, nonEditingTeacher.id]) {
      const refused = await refusalAfter(gradeAnalysis(notALearner, instructor.id));
      expect(refused.status).toBe(404);
      expect(refused.body).toContain('The learner this gradebook link names is not a learner in this course.');
    }
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('refuses a review of an activity that is not an Attest unit', async () => {
    const other = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Welcome page' });
    const refused = await refusalAfter(lms.gradeAnalysisLaunchUrl({ courseId: course.id, resourceLinkId: other.id, learnerId: learner.id, graderId: instructor.id }));
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('(<code>review_without_unit</code>)');
  });
});
