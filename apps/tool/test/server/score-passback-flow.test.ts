import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, PlatformMode, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseloadSchema, PassbackStatusSchema, SessionSchema } from '@attest/contracts';
import type { PassbackStatus } from '@attest/contracts';
import type { ToolServer } from '../../src/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { aUnit, backends, startTestToolServer, testCatalogue, registerWithTool } from '../support/index.ts';

// The walking skeleton's spine over real HTTP: an instructor launches from the emulated LMS, the UI's
// API calls carry the ltik, a score goes through the queue and the adapter's AGS client into the
// LMS gradebook. The LTI details themselves are tested in test/lti/.

interface Fixture {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly learner: User;
  readonly instructor: User;
  readonly link: ResourceLink;
}

const modes: readonly PlatformMode[] = ['moodle', 'canvas'];

describe.each(backends)('score passback from launch to gradebook on %s', (backend) => {
  let tool: ToolServer;
  const fixtures = new Map<PlatformMode, Fixture>();

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: testCatalogue([aUnit({ id: 'unit-201', title: 'Unit 201' })]) });
    for (const mode of modes) {
      const lms = await startPlatformEmulator({ mode });
      const registration = await registerWithTool(lms, tool.url, tool.lti.platforms);
      const course = lms.createCourse({ title: 'Customer Service L2' });
      const learner = lms.createUser({ name: 'Lee Learner', email: 'lee@example.ac.uk' });
      const instructor = lms.createUser({ name: 'Ida Instructor' });
      lms.enrol(course.id, learner.id, 'learner');
      lms.enrol(course.id, instructor.id, 'instructor');
      const link = lms.placeResourceLink({
        courseId: course.id,
        clientId: registration.clientId,
        title: 'Unit 201',
        custom: { attest_unit: 'unit-201' },
        lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' },
      });
      fixtures.set(mode, { lms, registration, course, learner, instructor, link });
    }
  });
  afterAll(async () => {
    for (const { lms } of fixtures.values()) await lms.close();
    await tool?.close();
  });

  async function launchAs(f: Fixture, user: User): Promise<string> {
    const agent = new BrowserlessAgent();
    const end = await agent.walk(f.lms.launchUrl({ courseId: f.course.id, userId: user.id, resourceLinkId: f.link.id }), (url) => url.startsWith(`${tool.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik');
    if (!ltik) throw new Error(`the launch ended at ${end.url} (${end.response.status}) without an ltik`);
    return ltik;
  }

  const api = (ltik: string, path: string, json?: unknown) =>
    fetch(`${tool.url}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ltik}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });

  async function untilSettled(ltik: string, id: string): Promise<PassbackStatus> {
    for (let i = 0; i < 200; i++) {
      const status = PassbackStatusSchema.parse(await (await api(ltik, `/api/scores/${id}`)).json());
      if (status.state !== 'pending') return status;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`score ${id} still pending after 20 s`);
  }

  describe.each(modes)('in %s', (mode) => {
    const f = () => fixtures.get(mode)!;

    it('shows the instructor their caseload from the LMS roster', async () => {
      const ltik = await launchAs(f(), f().instructor);
      const session = SessionSchema.parse(await (await api(ltik, '/api/session')).json());
      expect(session).toMatchObject({ view: 'instructor-caseload', unitId: 'unit-201', canPostScores: true });
      const caseload = CaseloadSchema.parse(await (await api(ltik, '/api/caseload')).json());
      expect(caseload.members.filter((m) => m.isLearner).map((m) => m.userId)).toEqual([f().learner.id]);
    });

    it('delivers a score the instructor posts into the LMS gradebook', async () => {
      const ltik = await launchAs(f(), f().instructor);
      const response = await api(ltik, '/api/scores', { learnerUserId: f().learner.id, scoreGiven: 70, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'PC 1.1 observed' });
      expect(response.status).toBe(202);
      const status = await untilSettled(ltik, PassbackStatusSchema.parse(await response.json()).id);
      expect(status).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
      const entry = f().lms.getGradebook(f().course.id).find((e) => e.userId === f().learner.id && e.lineItemId === f().link.lineItemId);
      expect(entry).toMatchObject({ scoreGiven: 70, grade: 70, comment: 'PC 1.1 observed', gradingProgress: 'FullyGraded' });
    });

    it('retries through an LMS outage and keeps the later of two quick scores', async () => {
      const ltik = await launchAs(f(), f().instructor);
      f().lms.injectScoreFailures({ count: 1, status: 503 });
      const first = PassbackStatusSchema.parse(await (await api(ltik, '/api/scores', { learnerUserId: f().learner.id, scoreGiven: 40, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })).json());
      const second = PassbackStatusSchema.parse(await (await api(ltik, '/api/scores', { learnerUserId: f().learner.id, scoreGiven: 90, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })).json());
      expect(await untilSettled(ltik, first.id)).toMatchObject({ state: 'sent', attempts: 2 });
      expect(await untilSettled(ltik, second.id)).toMatchObject({ state: 'sent', attempts: 1 });
      const entry = f().lms.getGradebook(f().course.id).find((e) => e.userId === f().learner.id && e.lineItemId === f().link.lineItemId);
      expect(entry?.scoreGiven).toBe(90);
    });

    it('refuses a learner who tries to post a score', async () => {
      const ltik = await launchAs(f(), f().learner);
      const response = await api(ltik, '/api/scores', { learnerUserId: f().learner.id, scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' });
      expect(response.status).toBe(403);
    });
  });
});
