import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator, ToolRegistration } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCanvasDeveloperKey } from '../../src/lti/canvas-developer-key.ts';
import { deploymentIdOf, RegistrationResponseSchema, toToolConfiguration } from '../../src/lti/dynamic-registration.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BROWSER_ACCEPT, BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows, startLogin } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Attest on the emulated Canvas: what Dynamic Registration sends and stores (the deployment id at
// the top level of Canvas's answer, explicit placements), the developer-key JSON for manual set-up,
// and a new deployment (a course install) of an active registration waiting for approval
// (docs/decisions/0013-canvas-deployments.md). On both databases.

const urls = { publicUrl: 'https://attest.example', loginUrl: 'https://attest.example/lti/login', launchUrl: 'https://attest.example/lti/launch', jwksUrl: 'https://attest.example/lti/keys' };
const isUi = (toolUrl: string) => (url: string) => url.startsWith(`${toolUrl}/app/`);

describe('the configuration Attest registers with', () => {
  it('names placements Canvas would otherwise collapse: deep linking in assignment and link selection, the caseload in course navigation', () => {
    const tool = toToolConfiguration(urls)['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<string, unknown>;
    expect(tool['https://canvas.instructure.com/lti/privacy_level']).toBe('public');
    expect(tool['messages']).toEqual([
      { type: 'LtiDeepLinkingRequest', target_link_uri: urls.launchUrl, label: 'Attest unit', placements: ['assignment_selection', 'link_selection'] },
      { type: 'LtiResourceLinkRequest', target_link_uri: urls.launchUrl, label: 'Attest caseload', placements: ['course_navigation'], 'https://canvas.instructure.com/lti/visibility': 'admins' },
    ]);
  });

  it('reads the deployment id at the top level (Canvas) or in the tool configuration claim (Moodle), and none when neither has one', () => {
    const parse = (body: unknown) => deploymentIdOf(RegistrationResponseSchema.parse(body));
    expect(parse({ client_id: '1', deployment_id: '7:abc', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { domain: 'x' } })).toBe('7:abc');
    expect(parse({ client_id: '1', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '12' } })).toBe('12');
    expect(parse({ client_id: '1' })).toBeUndefined();
  });

  it('serves the same configuration as Canvas developer-key JSON', () => {
    const key = toCanvasDeveloperKey(urls);
    expect(key).toMatchObject({
      title: 'Attest',
      oidc_initiation_url: urls.loginUrl,
      target_link_uri: urls.launchUrl,
      public_jwk_url: urls.jwksUrl,
      redirect_uris: [urls.launchUrl],
      scopes: expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly']),
      extensions: [{ domain: 'attest.example', platform: 'canvas.instructure.com', privacy_level: 'public' }],
    });
    const placements = ((key['extensions'] as Record<string, unknown>[])[0]?.['settings'] as { placements: Record<string, unknown>[] }).placements;
    expect(placements.map((p) => [p['placement'], p['message_type']])).toEqual([
      ['assignment_selection', 'LtiDeepLinkingRequest'],
      ['link_selection', 'LtiDeepLinkingRequest'],
      ['course_navigation', 'LtiResourceLinkRequest'],
    ]);
  });
});

describe.each(backends)('Attest on the emulated Canvas (%s)', (backend) => {
  let tool: LtiTestServer;
  let lms: PlatformEmulator;
  let registration: ToolRegistration;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    lms = await startPlatformEmulator({ mode: 'canvas' });
    // The tool makes its 4096-bit key for the platform inside this request: out of the timed tests.
    registration = await lms.registerToolDynamically(`${tool.url}/lti/register`);
  });
  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  it('stores the deployment id Canvas returns at the top level of its registration response', async () => {
    expect(await tool.adapter.platforms.get(lms.issuer, registration.clientId)).toMatchObject({ isActive: false, deploymentIds: [registration.deploymentId], pendingDeployments: [] });
  });

  it('gets deep linking in assignment and link selection and the caseload in course navigation from Canvas', () => {
    expect(registration.placements?.map((p) => [p.placement, p.messageType])).toEqual([
      ['assignment_selection', 'LtiDeepLinkingRequest'],
      ['link_selection', 'LtiDeepLinkingRequest'],
      ['course_navigation', 'LtiResourceLinkRequest'],
    ]);
  });

  it('serves the developer-key JSON for manual set-up at /lti/canvas-developer-key.json', async () => {
    const response = await fetch(`${tool.url}/lti/canvas-developer-key.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ oidc_initiation_url: `${tool.url}/lti/login`, target_link_uri: `${tool.url}/lti/launch`, public_jwk_url: `${tool.url}/lti/keys` });
  });

  describe('a second install (a course deployment) once the registration is active', () => {
    let learnerId: string;
    let courseId: string;
    let linkId: string;
    let courseDeployment: string;

    beforeAll(async () => {
      await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, true);
      const course = lms.createCourse({ title: 'Carpentry L3' });
      const learner = lms.createUser({ name: 'Lee Learner' });
      lms.enrol(course.id, learner.id, 'learner');
      courseDeployment = lms.installTool(registration.clientId, { type: 'course', courseId: course.id }).deploymentId;
      linkId = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 301', custom: { attest_unit: 'unit-201' } }).id;
      learnerId = learner.id;
      courseId = course.id;
    });

    it('waits for approval: the launch page says so, the deployment is recorded for the administrator, and nothing else is stored', async () => {
      const before = await countLaunchRows(tool.connection);
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId, userId: learnerId, resourceLinkId: linkId }), isUi(tool.url));
        expect(end.response.status).toBe(403);
        expect(end.body).toContain('Attest has just been added to this part of your LMS (a new deployment).');
        expect(end.body).toContain(`deployment id <code>${courseDeployment}</code>`);
      }
      const summary = await tool.adapter.platforms.get(lms.issuer, registration.clientId);
      expect(summary.deploymentIds).toEqual([registration.deploymentId]);
      expect(summary.pendingDeployments).toEqual([expect.objectContaining({ deploymentId: courseDeployment, contextTitle: 'Carpentry L3', launches: 2 })]);
      expect(await countLaunchRows(tool.connection)).toEqual(before);
    });

    it('records nothing for a token the platform did not sign, naming a new deployment', async () => {
      const agent = new BrowserlessAgent();
      const { state, nonce } = await startLogin(agent, tool.url, { issuer: lms.issuer, clientId: registration.clientId });
      const claims = { ...lms.buildLaunchClaims({ clientId: registration.clientId, courseId, userId: learnerId, nonce, resourceLinkId: linkId }), 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'forged-deployment' };
      const response = await agent.request(`${tool.url}/lti/launch`, { form: { id_token: await lms.signIdToken(claims, { key: 'foreign', kid: lms.kid }), state }, headers: { accept: BROWSER_ACCEPT } });
      expect(response.status).toBe(401);
      const summary = await tool.adapter.platforms.get(lms.issuer, registration.clientId);
      expect(summary.pendingDeployments.map((p) => p.deploymentId)).not.toContain('forged-deployment');
    });

    it('launches from the new deployment once an administrator approves it, which clears it from the waiting list', async () => {
      await tool.adapter.platforms.addDeployment(lms.issuer, registration.clientId, courseDeployment);
      const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId, userId: learnerId, resourceLinkId: linkId }), isUi(tool.url));
      expect(end.url, end.body.slice(0, 300)).toMatch(/\/app\/\?ltik=/);
      const summary = await tool.adapter.platforms.get(lms.issuer, registration.clientId);
      expect(summary).toMatchObject({ deploymentIds: [registration.deploymentId, courseDeployment], pendingDeployments: [] });
    });
  });
});

describe.each(backends)('Canvas without lti_registrations_next (%s)', (backend) => {
  let tool: LtiTestServer;
  let lms: PlatformEmulator;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    lms = await startPlatformEmulator({ mode: 'canvas' });
  });
  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  it('stores no deployment when Canvas returned none, and records the root deployment on its first verified launch', async () => {
    const registration = await lms.registerToolDynamically(`${tool.url}/lti/register`, { registrationsNext: false });
    expect((await tool.adapter.platforms.get(lms.issuer, registration.clientId)).deploymentIds).toEqual([]);
    await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, true);
    const course = lms.createCourse({ title: 'Bricklaying L2' });
    const teacher = lms.createUser();
    lms.enrol(course.id, teacher.id, 'instructor');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201' });
    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: teacher.id, resourceLinkId: link.id }), isUi(tool.url));
    expect(end.response.status).toBe(403);
    expect((await tool.adapter.platforms.get(lms.issuer, registration.clientId)).pendingDeployments).toEqual([expect.objectContaining({ deploymentId: registration.deploymentId, contextTitle: 'Bricklaying L2', launches: 1 })]);
  });
});

describe.each(backends)('the roster from the emulated Canvas (%s)', (backend) => {
  let tool: LtiTestServer;
  let lms: PlatformEmulator;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    lms = await startPlatformEmulator({ mode: 'canvas' });
  });
  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  it('follows Canvas’s pages of 50 (Link rel="next") to the whole course, each member with their context role', async () => {
    const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    const course = lms.createCourse();
    const teacher = lms.createUser({ name: 'Ida Instructor' });
    lms.enrol(course.id, teacher.id, 'instructor');
    const learners = Array.from({ length: 60 }, (_, i) => lms.createUser({ name: `Learner ${i + 1}` }));
    for (const learner of learners) lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
    const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: teacher.id, resourceLinkId: link.id }), isUi(tool.url));
    const ltik = new URL(end.url).searchParams.get('ltik') ?? '';
    const launch = ((await (await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } })).json()) as { launch: LaunchContext }).launch;
    lms.clearRequestLog();
    const members = await tool.adapter.rosterSource.membersOf(launch);
    expect(members).toHaveLength(61);
    expect(lms.getRequestLog().filter((entry) => entry.area === 'nrps').map((entry) => entry.status)).toEqual([200, 200]);
    expect(members.find((m) => m.userId === teacher.id)?.roles).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']);
  });
});
