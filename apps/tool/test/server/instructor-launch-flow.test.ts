import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, PlatformMode, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseloadSchema, SessionSchema } from '@attest/contracts';
import type { ToolServer } from '../../src/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { aUnit, backends, startTestToolServer, testCatalogue, registerWithTool } from '../support/index.ts';

// The walking skeleton's spine over real HTTP: an instructor launches from the emulated LMS and the
// UI's API calls carry the ltik. Scores reach the gradebook only from decisions (the candidate's
// declaration, the sign-off): test/assessment/passback.test.ts follows them through the queue and
// the adapter's AGS client into the emulator's gradebook, and shows that POST /api/scores is gone.
// The LTI details themselves are tested in test/lti/.

interface Fixture {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly learner: User;
  readonly instructor: User;
  readonly link: ResourceLink;
}

const modes: readonly PlatformMode[] = ['moodle', 'canvas'];

describe.each(backends)('an instructor’s launch to the caseload on %s', (backend) => {
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

  const api = (ltik: string, path: string) => fetch(`${tool.url}${path}`, { headers: { authorization: `Bearer ${ltik}` } });

  describe.each(modes)('in %s', (mode) => {
    const f = () => fixtures.get(mode)!;

    it('shows the instructor their caseload from the LMS roster', async () => {
      const ltik = await launchAs(f(), f().instructor);
      const session = SessionSchema.parse(await (await api(ltik, '/api/session')).json());
      expect(session).toMatchObject({ view: 'instructor-caseload', unitId: 'unit-201', canPostScores: true });
      const caseload = CaseloadSchema.parse(await (await api(ltik, '/api/caseload')).json());
      expect(caseload.members.filter((m) => m.isLearner).map((m) => m.userId)).toEqual([f().learner.id]);
    });
  });
});
