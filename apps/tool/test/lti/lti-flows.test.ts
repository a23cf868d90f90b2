import { createHash } from 'node:crypto';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, PlatformMode, ToolRegistration, User } from '@attest/platform-emulator';
import { and, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placedUnits, whereCourse } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { recordPlacedUnits } from '../../src/evidence/record-placed-units.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Whole LTI flows over real HTTP between the adapter and the emulated LMS, as a browser walks them:
// launch (login → authorise → form_post → /app/?ltik), the API with the bearer ltik, deep linking
// back into the course, and Dynamic Registration. On both databases and, for launches, both LMSs.

interface Session {
  view: string;
  launch: { issuer: string; clientId: string; deploymentId: string; userId: string; roles: string[]; isTeachingAssistant: boolean; unitId: string | null; lineItemUrl: string | null; contextId: string | null };
}

const isUi = (toolUrl: string) => (url: string) => url.startsWith(`${toolUrl}/app/`);

async function registerManually(lms: PlatformEmulator, tool: LtiTestServer): Promise<ToolRegistration> {
  const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
  return registration;
}

async function launchToUi(agent: BrowserlessAgent, startUrl: string, toolUrl: string): Promise<string> {
  const end = await agent.walk(startUrl, isUi(toolUrl));
  expect(end.url, `stopped at ${end.url} (${end.response.status}): ${end.body.slice(0, 300)}`).toMatch(/\/app\/\?ltik=/);
  return new URL(end.url).searchParams.get('ltik') ?? '';
}

async function sessionOf(toolUrl: string, ltik: string): Promise<Session> {
  const response = await fetch(`${toolUrl}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Session;
}

const modes: readonly PlatformMode[] = ['moodle', 'canvas'];

/** Moodle's activity form, as the return page holds it: press Save or Cancel as the teacher would. */
async function pressInActivityForm(agent: BrowserlessAgent, lmsUrl: string, html: string, button: 'submitbutton2' | 'cancel'): Promise<Response> {
  const formId = /name="form" value="([^"]*)"/.exec(html)?.[1];
  if (!formId) throw new Error(`No activity form in: ${html.slice(0, 300)}`);
  return agent.request(`${lmsUrl}/course/modedit.php`, { form: { form: formId, [button]: '1' } });
}

/** The course's placed units Attest counts as placed (confirmed by the LMS), decision 0020. */
async function confirmedUnits(tool: LtiTestServer, launch: Pick<LaunchContext, 'issuer' | 'clientId' | 'deploymentId' | 'contextId'>): Promise<string[]> {
  const rows = await tool.connection.db.select({ unitId: placedUnits.unitId }).from(placedUnits).where(and(whereCourse(placedUnits, { ...launch, contextId: launch.contextId ?? '' }), isNotNull(placedUnits.confirmedAt)));
  return rows.map((row) => row.unitId).sort();
}

describe.each(backends)('LTI flows on %s', (backend) => {
  let tool: LtiTestServer;
  const lms = new Map<PlatformMode, { lms: PlatformEmulator; registration: ToolRegistration; course: Course; learner: User; instructor: User; ta: User }>();

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    for (const mode of modes) {
      const emulator = await startPlatformEmulator({ mode });
      const registration = await registerManually(emulator, tool);
      const course = emulator.createCourse({ title: 'Customer Service L2' });
      const learner = emulator.createUser({ name: 'Lee Learner' });
      const instructor = emulator.createUser({ name: 'Ida Instructor' });
      const ta = emulator.createUser({ name: 'Tam Assistant' });
      emulator.enrol(course.id, learner.id, 'learner');
      emulator.enrol(course.id, instructor.id, 'instructor');
      emulator.enrol(course.id, ta.id, 'teachingAssistant');
      lms.set(mode, { lms: emulator, registration, course, learner, instructor, ta });
    }
  });

  afterAll(async () => {
    for (const { lms: emulator } of lms.values()) await emulator.close();
    await tool?.close();
  });

  describe.each(modes)('from %s', (mode) => {
    const the = () => lms.get(mode)!;

    it('walks a learner from the LMS launch to the UI, and the bearer ltik opens their unit', async () => {
      const { lms: emulator, registration, course, learner } = the();
      const link = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' }, lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' } });
      const before = await countLaunchRows(tool.connection);
      const agent = new BrowserlessAgent();
      const ltik = await launchToUi(agent, emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), tool.url);
      const session = await sessionOf(tool.url, ltik);
      expect(session.view).toBe('learner-unit');
      expect(session.launch).toMatchObject({ issuer: emulator.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, userId: learner.id, roles: ['learner'], unitId: 'unit-201' });
      expect(session.launch.lineItemUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
      const after = await countLaunchRows(tool.connection);
      expect(after.launches).toBe(before.launches + 1);
      expect(after.idtoken).toBeGreaterThanOrEqual(1);
    });

    it('sets only partitioned, SameSite=None, Secure cookies and no frame-blocking or CORS headers on the way', async () => {
      const { lms: emulator, registration, course, learner } = the();
      const link = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 202', custom: { attest_unit: 'unit-202' } });
      const agent = new BrowserlessAgent();
      await launchToUi(agent, emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), tool.url);
      const toolHops = agent.hops.filter((hop) => hop.url.startsWith(tool.url));
      expect(toolHops.map((hop) => new URL(hop.url).pathname)).toEqual(['/lti/login', '/lti/launch']);
      const cookies = toolHops.flatMap((hop) => hop.setCookies);
      expect(cookies.length).toBeGreaterThanOrEqual(2);
      for (const cookie of cookies) expect(cookie).toMatch(/; SameSite=None; Secure; Partitioned$/);
      for (const hop of toolHops) {
        for (const header of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy', 'x-frame-options', 'access-control-allow-origin']) {
          expect(hop.headers.get(header), `${header} on ${hop.url}`).toBeNull();
        }
      }
      const preflight = await fetch(`${tool.url}/lti/keys`, { headers: { origin: emulator.url } });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await preflight.json()) as { keys: { kty: string; alg: string; kid: string }[] }).keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    });

    it('opens the caseload for an instructor, and marks a TA as an instructor who is a TA', async () => {
      const { lms: emulator, registration, course, instructor, ta } = the();
      const link = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 203', custom: { attest_unit: 'unit-203' } });
      const asInstructor = await sessionOf(tool.url, await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: instructor.id, resourceLinkId: link.id }), tool.url));
      expect(asInstructor.view).toBe('instructor-caseload');
      expect(asInstructor.launch.isTeachingAssistant).toBe(false);
      const asTa = await sessionOf(tool.url, await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: ta.id, resourceLinkId: link.id }), tool.url));
      expect(asTa.view).toBe('instructor-caseload');
      expect(asTa.launch.roles).toContain('instructor');
    });

    it('places units by deep linking: the LMS accepts the signed response and creates activities with line items', async () => {
      const { lms: emulator, registration, course, instructor, learner } = the();
      const agent = new BrowserlessAgent();
      const ltik = await launchToUi(agent, emulator.deepLinkingLaunchUrl({ courseId: course.id, userId: instructor.id, clientId: registration.clientId }), tool.url);
      expect((await sessionOf(tool.url, ltik)).view).toBe('deep-linking');
      const response = await fetch(`${tool.url}/api/deep-linking`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ unitId: 'unit-301', title: 'Unit 301 Deal with customers' }, { unitId: 'unit-302', title: 'Unit 302 Resolve complaints' }] }),
      });
      expect(response.status).toBe(200);
      const { returnUrl, jwt } = (await response.json()) as { returnUrl: string; jwt: string };
      expect(returnUrl.startsWith(emulator.url)).toBe(true);
      const returned = await agent.request(returnUrl, { form: { JWT: jwt } });
      expect(returned.status, await returned.clone().text()).toBeLessThan(400);
      const dlLaunch = (await sessionOf(tool.url, ltik)).launch;
      await recordPlacedUnits(tool.connection.db, dlLaunch, ['unit-301', 'unit-302']);
      if (mode === 'moodle') {
        // Moodle only filled the activity form: nothing exists until the teacher saves it.
        expect(emulator.getResourceLinks(course.id).filter((link) => link.placedBy === 'deepLinking')).toEqual([]);
        expect((await pressInActivityForm(agent, emulator.url, await returned.text(), 'submitbutton2')).status).toBe(303);
      }

      // A learner opening Attest from another activity: the course's line items show both, so both count as placed.
      const other = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 399', custom: { attest_unit: 'unit-399' } });
      await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: other.id }), tool.url);
      expect(await confirmedUnits(tool, dlLaunch)).toEqual(['unit-301', 'unit-302']);

      const placed = emulator.getResourceLinks(course.id).filter((link) => link.placedBy === 'deepLinking');
      expect(placed.map((link) => link.custom.attest_unit).sort()).toEqual(['unit-301', 'unit-302']);
      const lineItems = emulator.getLineItems(course.id).filter((item) => item.tag === 'attest-unit' && item.resourceId?.startsWith('unit-30'));
      expect(lineItems.map((item) => [item.resourceId, item.label, item.scoreMaximum]).sort()).toEqual([
        ['unit-301', 'Unit 301 Deal with customers', 100],
        ['unit-302', 'Unit 302 Resolve complaints', 100],
      ]);
      // A learner launching a placed activity arrives at that unit, with its line item.
      const activity = placed.find((link) => link.custom.attest_unit === 'unit-301')!;
      const learnerSession = await sessionOf(tool.url, await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: activity.id }), tool.url));
      expect(learnerSession.launch.unitId).toBe('unit-301');
      expect(learnerSession.launch.lineItemUrl).toBe(activity.lineItemId);
    });

    if (mode === 'moodle') {
      it('counts nothing as placed when the teacher cancels the activity form deep linking filled', async () => {
        const { lms: emulator, registration, course, instructor, learner } = the();
        const agent = new BrowserlessAgent();
        const ltik = await launchToUi(agent, emulator.deepLinkingLaunchUrl({ courseId: course.id, userId: instructor.id, clientId: registration.clientId }), tool.url);
        const response = await fetch(`${tool.url}/api/deep-linking`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items: [{ unitId: 'unit-311', title: 'Unit 311' }] }),
        });
        const { returnUrl, jwt } = (await response.json()) as { returnUrl: string; jwt: string };
        const dlLaunch = (await sessionOf(tool.url, ltik)).launch;
        await recordPlacedUnits(tool.connection.db, dlLaunch, ['unit-311']);
        const returned = await agent.request(returnUrl, { form: { JWT: jwt } });
        expect((await pressInActivityForm(agent, emulator.url, await returned.text(), 'cancel')).status).toBe(303);

        const other = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 398', custom: { attest_unit: 'unit-398' } });
        await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: other.id }), tool.url);
        expect(emulator.getLineItems(course.id).filter((item) => item.resourceId === 'unit-311')).toEqual([]);
        expect(await confirmedUnits(tool, dlLaunch)).not.toContain('unit-311');
      });
    }

    it('refuses to build a deep-linking response for a resource-link launch or a learner', async () => {
      const { lms: emulator, registration, course, learner } = the();
      const link = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 204', custom: { attest_unit: 'unit-204' } });
      const ltik = await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), tool.url);
      const response = await fetch(`${tool.url}/api/deep-linking`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ unitId: 'unit-301', title: 'Unit 301' }] }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    });
  });

  // Both register: the emulated Canvas, like hosted Canvas, names the shared issuer
  // https://canvas.instructure.com from its own address, the one mismatch the guard accepts.
  describe.each(modes)('Dynamic Registration from %s (openid_configuration + registration_token)', (mode) => {
    let emulator: PlatformEmulator;
    let registration: ToolRegistration;
    let registrationPage: string;
    let registrationPolicy: string;
    // A tool of its own: two emulated Canvases share the issuer https://canvas.instructure.com and
    // number client ids alike, so the Canvas launches above would collide with this registration.
    let tool: LtiTestServer;

    beforeAll(async () => {
      tool = await startLtiTestServer(backend);
      emulator = await startPlatformEmulator({ mode });
      // The tool generates its 4096-bit key for the platform inside this request: keep it out of the timed tests.
      const start = emulator.startDynamicRegistration(`${tool.url}/lti/register`);
      const response = await fetch(start.toolRegistrationUrl);
      registrationPage = await response.text();
      registrationPolicy = response.headers.get('content-security-policy') ?? '';
      expect(response.status, registrationPage).toBe(200);
      registration = emulator.listTools().find((t) => t.registeredBy === 'dynamic')!;
    });

    afterAll(async () => {
      await emulator?.close();
      await tool?.close();
    });

    it('registers resource-link and deep-linking messages with the AGS and NRPS scopes, and tells the platform page it is done', () => {
      expect(registration.loginUrl).toBe(`${tool.url}/lti/login`);
      expect(registration.redirectUris).toEqual([`${tool.url}/lti/launch`]);
      expect(registration.jwksUrl).toBe(`${tool.url}/lti/keys`);
      expect([...registration.scopes].sort()).toEqual([
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
        'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      ]);
      // To '*', as Canvas's doc/api/registration.md says: the framing admin page is on the college's
      // own Canvas, not the configuration URL's host (this asserted the platform's origin before).
      expect(registrationPage).toContain(`postMessage({ subject: 'org.imsglobal.lti.close' }, '*')`);
    });

    it('lets the done page run only its own close script, pinned by hash', () => {
      const script = /<script>([\s\S]*?)<\/script>/.exec(registrationPage)?.[1] ?? '';
      expect(script).toContain('org.imsglobal.lti.close');
      const hash = createHash('sha256').update(script, 'utf8').digest('base64');
      expect(registrationPolicy).toContain(`script-src 'sha256-${hash}'`);
      expect(registrationPolicy).toContain("default-src 'none'");
      expect(registrationPolicy).not.toContain('unsafe-inline');
    });

    it('keeps the platform inactive, with the deployment the platform returned, until an administrator activates it', async () => {
      const summary = await tool.adapter.platforms.get(emulator.issuer, registration.clientId);
      expect(summary).toMatchObject({ isActive: false, deploymentIds: [registration.deploymentId], jwksUrl: emulator.jwksUrl });
    });

    it('refuses launches while inactive and admits them once activated', async () => {
      // The LMS side is active (the admin enabled the tool in the LMS); Attest's side is not yet.
      emulator.activateTool(registration.clientId);
      const course = emulator.createCourse();
      const learner = emulator.createUser();
      emulator.enrol(course.id, learner.id, 'learner');
      const link = emulator.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
      const refused = await new BrowserlessAgent().walk(emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), isUi(tool.url));
      expect(refused.response.status).toBe(403);
      expect(refused.url.startsWith(`${tool.url}/lti/login`)).toBe(true);

      await tool.adapter.platforms.setActive(emulator.issuer, registration.clientId, true);
      const ltik = await launchToUi(new BrowserlessAgent(), emulator.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), tool.url);
      expect((await sessionOf(tool.url, ltik)).launch.deploymentId).toBe(registration.deploymentId);
    });

    it('refuses a registration request without a usable openid_configuration, registering nothing', async () => {
      const before = await tool.adapter.platforms.list();
      const malformed = await fetch(`${tool.url}/lti/register?${new URLSearchParams({ openid_configuration: 'not a url' }).toString()}`);
      expect(malformed.status).toBe(400);
      const unreachable = await fetch(`${tool.url}/lti/register?${new URLSearchParams({ openid_configuration: `${emulator.url}/no/such/configuration` }).toString()}`);
      expect(unreachable.status).toBe(502);
      expect(await unreachable.text()).toContain('could not be registered');
      expect(await tool.adapter.platforms.list()).toEqual(before);
    });
  });
});
