// Canvas mode's registration, placements, installs, client-assertion and NRPS rules
// (src/canvas/*.ts, each citing the canvas-lms file and method it follows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { startPlatformEmulator, type PlatformEmulator, type ToolRegistration } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { accessToken, launch, startLogin } from './course-fixture.ts';

const toolConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const deploymentClaim = 'https://purl.imsglobal.org/spec/lti/claim/deployment_id';
const scoreScope = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const lineItemScope = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

function registrationBody(fake: FakeTool, messages: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: fake.loginUrl,
    redirect_uris: [fake.launchUrl],
    client_name: 'Fake tool',
    jwks_uri: fake.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: `${scoreScope} ${lineItemScope} ${nrpsScope}`,
    [toolConfigurationClaim]: { domain: new URL(fake.url).host, target_link_uri: fake.launchUrl, claims: ['iss', 'sub'], messages },
    ...overrides,
  };
}

describe('canvas mode: Dynamic Registration', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  async function register(messages: unknown[], options: { registrationsNext?: boolean; overrides?: Record<string, unknown> } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const start = lms.startCanvasRegistration(fake.registrationUrl, options.registrationsNext === undefined ? {} : { registrationsNext: options.registrationsNext });
    const config = (await (await fetch(start.openidConfigurationUrl)).json()) as Record<string, string>;
    const response = await fetch(config['registration_endpoint'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${start.registrationToken}` },
      body: JSON.stringify(registrationBody(fake, messages, options.overrides)),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('returns the deployment id at the top level of the response, never inside the tool configuration claim', async () => {
    const { status, body } = await register([{ type: 'LtiResourceLinkRequest', target_link_uri: fake.launchUrl }]);
    expect(status).toBe(200);
    const tool = lms.getTool(String(body['client_id']));
    expect(body['deployment_id']).toBe(tool.deploymentId);
    expect(body[toolConfigurationClaim]).not.toHaveProperty('deployment_id');
    expect(String(body['scope']).split(' ')).toContain('openid');
  });

  it('returns no deployment id when its registration flow made no deployment (lti_registrations_next off)', async () => {
    const { status, body } = await register([{ type: 'LtiResourceLinkRequest' }], { registrationsNext: false });
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('deployment_id');
    expect(body[toolConfigurationClaim]).not.toHaveProperty('deployment_id');
  });

  it('makes a message without placements a link_selection placement and keeps the first message per placement', async () => {
    const { body } = await register([
      { type: 'LtiResourceLinkRequest', target_link_uri: `${fake.url}/first` },
      { type: 'LtiDeepLinkingRequest', target_link_uri: `${fake.url}/deep-link` },
      { type: 'LtiDeepLinkingRequest', target_link_uri: `${fake.url}/deep-link`, placements: ['assignment_selection', 'ContentArea', 'not_a_canvas_placement'] },
    ]);
    expect(lms.getTool(String(body['client_id'])).placements).toEqual([
      { placement: 'link_selection', messageType: 'LtiResourceLinkRequest', targetLinkUri: `${fake.url}/first`, label: null },
      { placement: 'assignment_selection', messageType: 'LtiDeepLinkingRequest', targetLinkUri: `${fake.url}/deep-link`, label: null },
    ]);
  });

  it('offers no deep linking for a tool whose deep-linking message fell to a link_selection resource link', async () => {
    const { body } = await register([{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', target_link_uri: `${fake.url}/deep-link` }]);
    const tool = lms.narrowToolScopes(String(body['client_id']), []);
    const course = lms.createCourse();
    const teacher = lms.createUser();
    lms.enrol(course.id, teacher.id, 'instructor');
    const response = await fetch(lms.deepLinkingLaunchUrl({ courseId: course.id, userId: teacher.id, clientId: tool.clientId }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'no_deep_linking_placement' } });
  });

  it('starts deep linking from an explicit assignment_selection placement, at that message’s URL', async () => {
    const { body } = await register([
      { type: 'LtiDeepLinkingRequest', target_link_uri: `${fake.url}/pick`, placements: ['assignment_selection', 'link_selection'] },
      { type: 'LtiResourceLinkRequest', placements: ['course_navigation'] },
    ]);
    const tool = lms.narrowToolScopes(String(body['client_id']), []);
    const course = lms.createCourse();
    const teacher = lms.createUser();
    lms.enrol(course.id, teacher.id, 'instructor');
    const login = await startLogin(lms.deepLinkingLaunchUrl({ courseId: course.id, userId: teacher.id, clientId: tool.clientId }));
    expect(login.fields['target_link_uri']).toBe(`${fake.url}/pick`);
  });

  it('refuses a registration missing what Canvas requires with 422 and a list of errors, registering nothing', async () => {
    const before = lms.listTools().length;
    const { status, body } = await register([], { overrides: { grant_types: ['implicit'], scope: `${scoreScope} https://example.test/scope/everything` } });
    expect(status).toBe(422);
    expect(body['errors']).toEqual(expect.arrayContaining(['grant_types must include client_credentials, implicit', 'Invalid scopes: https://example.test/scope/everything']));
    expect(lms.listTools()).toHaveLength(before);
  });

  it('refuses a registration token without the claims Canvas puts in it', async () => {
    const start = lms.startCanvasRegistration(fake.registrationUrl);
    const config = (await (await fetch(start.openidConfigurationUrl)).json()) as Record<string, string>;
    // A Moodle-shaped token signed by the platform itself: sub and scope, no uuid or account.
    const signed = await lms.signIdToken({ sub: 'x', scope: 'reg', exp: Math.floor(Date.now() / 1000) + 60 });
    const response = await fetch(config['registration_endpoint'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signed}` },
      body: JSON.stringify(registrationBody(fake, [])),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ errorMessage: 'JWT did not include expected contents' });
  });

  it('hands the tool an openid_configuration URL on the issuer’s host, not the admin page’s origin', () => {
    const start = lms.startCanvasRegistration(fake.registrationUrl);
    const configuration = new URL(new URL(start.toolRegistrationUrl).searchParams.get('openid_configuration') ?? '');
    expect(configuration.origin).not.toBe(new URL(start.pageUrl).origin);
    expect(configuration.searchParams.get('registration_token')).toBe(start.registrationToken);
  });

  it('takes the scopes the administrator unticked at review away from tokens and launches', async () => {
    const tool = await lms.registerToolDynamically(fake.registrationUrl, { disabledScopes: [nrpsScope] });
    expect(tool.active).toBe(true);
    expect(tool.scopes).not.toContain(nrpsScope);
    const response = await fetch(lms.tokenUrl, {
      method: 'POST',
      headers: { 'user-agent': 'fake-tool/1.0' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await fake.signAssertion({ clientId: tool.clientId, audience: lms.tokenUrl }),
        scope: nrpsScope,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('moves the admin page to review only after the close message, and enables the tool with the scopes left ticked', async () => {
    const start = lms.startCanvasRegistration(fake.registrationUrl);
    const session = start.pageUrl.split('/').pop() ?? '';
    expect(await (await fetch(start.pageUrl)).text()).toContain('data-state="open"');
    await fetch(start.toolRegistrationUrl);
    // Without the close message there is nothing to review.
    const early = await fetch(`${lms.url}/emulator/dynamic-registration/${session}/review`, { method: 'POST', body: new URLSearchParams({ scope: scoreScope }) });
    expect(early.status).toBe(409);
    await fetch(`${lms.url}/emulator/dynamic-registration/${session}/closed`, { method: 'POST' });
    expect(await (await fetch(start.pageUrl)).text()).toContain('data-state="review"');
    const reviewed = await fetch(`${lms.url}/emulator/dynamic-registration/${session}/review`, { method: 'POST', body: new URLSearchParams({ scope: scoreScope }), redirect: 'manual' });
    expect(reviewed.status).toBe(303);
    expect(await (await fetch(start.pageUrl)).text()).toContain('data-state="installed"');
    const tool = lms.listTools().at(-1) as ToolRegistration;
    expect(tool).toMatchObject({ active: true, scopes: [scoreScope] });
  });
});

describe('canvas mode: a deployment per install', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('gives each install a new deployment id, and a launch carries the one nearest its course', async () => {
    const tool = await lms.registerToolDynamically(fake.registrationUrl);
    const plain = lms.createCourse();
    const inSubAccount = lms.createCourse({ subAccountId: '7' });
    const installedHere = lms.createCourse({ subAccountId: '7' });
    const learner = lms.createUser();
    for (const course of [plain, inSubAccount, installedHere]) lms.enrol(course.id, learner.id, 'learner');
    const subAccount = lms.installTool(tool.clientId, { type: 'subAccount', subAccountId: '7' });
    const course = lms.installTool(tool.clientId, { type: 'course', courseId: installedHere.id });
    expect(new Set([tool.deploymentId, subAccount.deploymentId, course.deploymentId]).size).toBe(3);

    const deploymentIn = async (courseId: string) => {
      const link = lms.placeResourceLink({ courseId, clientId: tool.clientId, title: 'Unit' });
      const login = await startLogin(lms.launchUrl({ courseId, userId: learner.id, resourceLinkId: link.id }));
      const fields = await launch(lms, fake, tool, { courseId, userId: learner.id, resourceLinkId: link.id });
      const claims = JSON.parse(Buffer.from((fields['id_token'] ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
      expect(claims[deploymentClaim]).toBe(login.fields['lti_deployment_id']);
      return claims[deploymentClaim];
    };
    expect(await deploymentIn(plain.id)).toBe(tool.deploymentId);
    expect(await deploymentIn(inSubAccount.id)).toBe(subAccount.deploymentId);
    expect(await deploymentIn(installedHere.id)).toBe(course.deploymentId);
    expect(lms.listInstalls(tool.clientId).map((i) => i.deploymentId)).toEqual([subAccount.deploymentId, course.deploymentId]);
  });
});

describe('canvas mode: client assertions and NRPS pages', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let tool: ToolRegistration;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
    tool = lms.registerTool({ loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  async function tokenWith(claims: { iat: number; aud: string | string[] }): Promise<Response> {
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: JSON.parse(Buffer.from((await fake.signAssertion({ clientId: 'x', audience: 'y' })).split('.')[0] ?? '', 'base64url').toString()).kid as string })
      .setIssuer(tool.clientId)
      .setSubject(tool.clientId)
      .setAudience(claims.aud)
      .setIssuedAt(claims.iat)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
      .sign(fake.privateKey);
    return fetch(lms.tokenUrl, {
      method: 'POST',
      headers: { 'user-agent': 'fake-tool/1.0' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, scope: scoreScope }),
    });
  }
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts an iat up to 30 s ahead and refuses one further in the future', async () => {
    expect((await tokenWith({ iat: now() + 20, aud: lms.tokenUrl })).status).toBe(200);
    const ahead = await tokenWith({ iat: now() + 120, aud: lms.tokenUrl });
    expect(ahead.status).toBe(401);
    expect(((await ahead.json()) as Record<string, string>)['error_description']).toContain("the 'iat' must not be in the future");
  });

  it('refuses an iat more than 5 minutes old', async () => {
    const old = await tokenWith({ iat: now() - 400, aud: lms.tokenUrl });
    expect(old.status).toBe(401);
    expect(((await old.json()) as Record<string, string>)['error_description']).toContain("the 'iat' must be less than 300 seconds old");
  });

  it('checks aud against the token URL, alone or in a list', async () => {
    expect((await tokenWith({ iat: now(), aud: [lms.tokenUrl, 'https://other.example'] })).status).toBe(200);
    expect((await tokenWith({ iat: now(), aud: `${lms.url}/api/lti/authorize_redirect` })).status).toBe(401);
  });

  it('lists members 50 a page with a Link rel="next", and context roles only', async () => {
    const course = lms.createCourse();
    for (let i = 0; i < 120; i += 1) lms.enrol(course.id, lms.createUser().id, 'learner');
    const assistant = lms.createUser({ isAdministrator: true });
    lms.enrol(course.id, assistant.id, 'teachingAssistant');
    const token = await accessToken(lms, fake, tool.clientId, [nrpsScope]);
    const get = (url: string) => fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', 'user-agent': 'fake-tool/1.0' } });
    const pages: Record<string, unknown>[][] = [];
    let url: string | null = `${lms.url}/api/lti/courses/${course.id}/names_and_roles`;
    while (url) {
      const response = await get(url);
      expect(response.status).toBe(200);
      pages.push(((await response.json()) as { members: Record<string, unknown>[] }).members);
      url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 21]);
    const ta = pages.flat().find((m) => m['user_id'] === assistant.id);
    expect(ta?.['roles']).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']);
    const limited = await get(`${lms.url}/api/lti/courses/${course.id}/names_and_roles?limit=500`);
    expect(((await limited.json()) as { members: unknown[] }).members).toHaveLength(50);
  });
});
