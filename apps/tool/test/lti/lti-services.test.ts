import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, PlatformMode, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchContext, Score, ScoreTarget } from '../../src/domain/ports.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// AGS and NRPS through the adapter against the emulated LMS: scores sent with nothing but a
// ScoreTarget (as a background job would, long after the launch), each LMS's rules applied to
// them, and the roster of a course. On both databases, in both LMS modes.

interface Fixture {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly learner: User;
  readonly instructor: User;
  readonly link: ResourceLink;
}

const modes: readonly PlatformMode[] = ['moodle', 'canvas'];
let secondOffset = 0;
/** Whole, strictly increasing seconds: Moodle refuses a score not newer, at one-second resolution. */
const nextTimestamp = () => new Date((Math.floor(Date.now() / 1000) + ++secondOffset) * 1000).toISOString();

function aScore(userId: string, overrides: Partial<Score> = {}): Score {
  return { userId, scoreGiven: 80, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: nextTimestamp(), ...overrides };
}

describe.each(backends)('AGS and NRPS on %s', (backend) => {
  let tool: LtiTestServer;
  const fixtures = new Map<PlatformMode, Fixture>();

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    for (const mode of modes) {
      const lms = await startPlatformEmulator({ mode });
      const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
      const course = lms.createCourse({ title: 'Customer Service L2' });
      const learner = lms.createUser({ name: 'Lee Learner', email: 'lee@example.ac.uk' });
      const instructor = lms.createUser({ name: 'Ida Instructor' });
      lms.enrol(course.id, learner.id, 'learner');
      lms.enrol(course.id, instructor.id, 'instructor');
      const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' }, lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' } });
      fixtures.set(mode, { lms, registration, course, learner, instructor, link });
    }
  });

  afterAll(async () => {
    for (const { lms } of fixtures.values()) await lms.close();
    await tool?.close();
  });

  const targetOf = (f: Fixture): ScoreTarget => ({ issuer: f.lms.issuer, clientId: f.registration.clientId, deploymentId: f.registration.deploymentId, lineItemUrl: f.link.lineItemId! });
  const gradeOf = (f: Fixture) => f.lms.getGradebook(f.course.id).find((entry) => entry.userId === f.learner.id && entry.lineItemId === f.link.lineItemId);

  async function instructorLaunch(f: Fixture, at: { course: Course; instructor: User; link: ResourceLink } = f): Promise<LaunchContext> {
    const agent = new BrowserlessAgent();
    const end = await agent.walk(f.lms.launchUrl({ courseId: at.course.id, userId: at.instructor.id, resourceLinkId: at.link.id }), (url) => url.startsWith(`${tool.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik') ?? '';
    const response = await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
    return ((await response.json()) as { launch: LaunchContext }).launch;
  }

  describe.each(modes)('in %s', (mode) => {
    const f = () => fixtures.get(mode)!;

    it('puts a score sent with only a ScoreTarget into the LMS gradebook', async () => {
      const result = await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, { scoreGiven: 80, comment: 'All criteria met' }));
      expect(result).toEqual({ ok: true, status: expect.any(Number) });
      expect(gradeOf(f())).toMatchObject({ grade: 80, scoreGiven: 80, gradingProgress: 'FullyGraded', comment: 'All criteria met' });
    });

    it('names itself in a User-Agent on every call to the LMS', async () => {
      f().lms.clearRequestLog();
      await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id));
      const calls = f().lms.getRequestLog().filter((entry) => entry.area === 'ags' || entry.area === 'token');
      expect(calls.length).toBeGreaterThanOrEqual(1);
      for (const call of calls) expect(call.userAgent).toMatch(/\S/);
    });

    it('reports a throttled score with its status and Retry-After instead of throwing', async () => {
      f().lms.injectScoreFailures({ count: 1, status: 429, retryAfterSeconds: 7 });
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id))).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 7 });
      f().lms.injectScoreFailures({ count: 1, status: 503 });
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id))).toMatchObject({ ok: false, status: 503 });
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id))).toMatchObject({ ok: true });
    });

    it('sends nothing for a tenant that is not active, or a deployment it does not know', async () => {
      const { lms, registration } = f();
      f().lms.clearRequestLog();
      expect(await tool.adapter.scoreSender.send({ ...targetOf(f()), deploymentId: 'unknown-deployment' }, aScore(f().learner.id))).toMatchObject({ ok: false, status: null });
      await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, false);
      try {
        expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id))).toMatchObject({ ok: false, status: null });
      } finally {
        await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, true);
      }
      expect(f().lms.getRequestLog().filter((entry) => entry.area === 'ags')).toEqual([]);
    });

    it('fetches the roster of the launch’s course through NRPS', async () => {
      const members = await tool.adapter.rosterSource.membersOf(await instructorLaunch(f()));
      expect(members.map((member) => member.userId).sort()).toEqual([f().learner.id, f().instructor.id].sort());
      const learner = members.find((member) => member.userId === f().learner.id)!;
      expect(learner).toMatchObject({ name: 'Lee Learner', status: 'Active' });
      expect(learner.roles.some((role) => role.endsWith('#Learner'))).toBe(true);
    });

    it('reads the whole roster of a course of 2,000 learners, following the LMS’s pages', async () => {
      const { lms, registration } = f();
      const course = lms.createCourse({ title: 'Customer Service L2, all campuses' });
      const instructor = lms.createUser({ name: 'Ira Instructor' });
      lms.enrol(course.id, instructor.id, 'instructor');
      for (let n = 1; n <= 2_000; n++) lms.enrol(course.id, lms.createUser({ name: `Learner ${n}` }).id, 'learner');
      const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
      const launch = await instructorLaunch(f(), { course, instructor, link });

      lms.clearRequestLog();
      const started = performance.now();
      const members = await tool.adapter.rosterSource.membersOf(launch);
      const elapsedMs = performance.now() - started;
      const pages = lms.getRequestLog().filter((entry) => entry.area === 'nrps').length;

      expect(new Set(members.map((member) => member.userId)).size).toBe(2_001);
      expect(members.filter((member) => member.roles.some((role) => role.endsWith('#Learner')))).toHaveLength(2_000);
      // Canvas pages 50 members whatever the tool asks (memberships_provider.rb MAX_PAGE_SIZE);
      // Moodle sends every member in one answer when the tool sets no `limit` (contextmemberships.php).
      expect(pages).toBe(mode === 'canvas' ? Math.ceil(2_001 / 50) : 1);
      console.log(`NRPS roster on ${backend}, ${mode}: 2,001 members in ${pages} page(s), ${elapsedMs.toFixed(0)} ms`);
    });

    it('raises platform_unavailable when a launch offers no roster', async () => {
      const launch = { ...(await instructorLaunch(f())), membershipsUrl: null };
      await expect(tool.adapter.rosterSource.membersOf(launch)).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'platform_unavailable');
    });
  });

  describe('Moodle’s score rules', () => {
    const f = () => fixtures.get('moodle')!;

    it('refuses, with 409, a score not strictly newer at one-second resolution', async () => {
      const timestamp = nextTimestamp();
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, { timestamp }))).toMatchObject({ ok: true });
      const sameSecond = new Date(Date.parse(timestamp) + 400).toISOString();
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, { timestamp: sameSecond, scoreGiven: 10 }))).toMatchObject({ ok: false, status: 409 });
      expect(gradeOf(f())?.scoreGiven).not.toBe(10);
    });

    it('clears the grade for any gradingProgress other than FullyGraded', async () => {
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, { scoreGiven: 90 }))).toMatchObject({ ok: true });
      expect(gradeOf(f())?.grade).toBe(90);
      expect(await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, { scoreGiven: 95, gradingProgress: 'Pending' }))).toMatchObject({ ok: true });
      expect(gradeOf(f())).toMatchObject({ grade: null, gradingProgress: 'Pending' });
    });
  });

  describe('Canvas’s submission extension', () => {
    const f = () => fixtures.get('canvas')!;

    it('is accepted and recorded with the score', async () => {
      const submittedAt = nextTimestamp();
      const result = await tool.adapter.scoreSender.send(targetOf(f()), aScore(f().learner.id, {
        extensions: { 'https://canvas.instructure.com/lti/submission': { new_submission: true, submission_type: 'basic_lti_launch', submitted_at: submittedAt } },
      }));
      expect(result).toMatchObject({ ok: true });
      expect(gradeOf(f())?.canvasSubmission).toMatchObject({ newSubmission: true, submissionType: 'basic_lti_launch', submittedAt });
    });
  });
});
