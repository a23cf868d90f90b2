// Factories with defaults: a registered fake tool, a course with a learner, an instructor and a TA,
// and one activity with a line item, as most tests need.
import type { FakeTool } from './fake-tool.ts';
import type { PlatformEmulator, ResourceLink, ToolRegistration } from '../src/index.ts';
import { readForm } from './html-form.ts';

export interface CourseFixture {
  readonly tool: ToolRegistration;
  readonly courseId: string;
  readonly learnerId: string;
  readonly instructorId: string;
  readonly assistantId: string;
  readonly link: ResourceLink;
}

export function setUpCourse(lms: PlatformEmulator, fake: FakeTool, overrides: { scopes?: readonly string[] } = {}): CourseFixture {
  const tool = lms.registerTool({
    loginUrl: fake.loginUrl,
    redirectUris: [fake.launchUrl],
    jwksUrl: fake.jwksUrl,
    targetLinkUri: fake.launchUrl,
    deepLinkingUrl: `${fake.url}/deep-link`,
    ...(overrides.scopes ? { scopes: overrides.scopes } : {}),
    customParameters: { platform_flavour: 'test' },
  });
  const course = lms.createCourse({ title: 'Plumbing Level 2', label: 'PLB2' });
  const learner = lms.createUser({ name: 'Lee Learner' });
  const instructor = lms.createUser({ name: 'Ida Instructor' });
  const assistant = lms.createUser({ name: 'Tam Assistant' });
  lms.enrol(course.id, learner.id, 'learner');
  lms.enrol(course.id, instructor.id, 'instructor');
  lms.enrol(course.id, assistant.id, 'teachingAssistant');
  const link = lms.placeResourceLink({
    courseId: course.id,
    clientId: tool.clientId,
    title: 'Unit 201',
    custom: { attest_unit: 'unit-201' },
    lineItem: { scoreMaximum: 100, label: 'Unit 201', resourceId: 'unit-201', tag: 'attest-unit' },
  });
  return { tool, courseId: course.id, learnerId: learner.id, instructorId: instructor.id, assistantId: assistant.id, link };
}

/** The tool's authorization request parameters, as a correct tool sends them (Security Framework §5.1.1.2). */
export function authParams(tool: ToolRegistration, fake: FakeTool, loginFields: Record<string, string>, overrides: Record<string, string | null> = {}): URLSearchParams {
  const params: Record<string, string | null> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: tool.clientId,
    redirect_uri: fake.launchUrl,
    login_hint: loginFields['login_hint'] ?? '',
    lti_message_hint: loginFields['lti_message_hint'] ?? '',
    nonce: 'nonce-123',
    state: 'state-456',
    ...overrides,
  };
  return new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** Opens a launch URL as the browser does and returns the fields the tool's login URL receives. */
export async function startLogin(launchUrl: string): Promise<{ action: string; fields: Record<string, string> }> {
  const response = await fetch(launchUrl);
  if (response.status !== 200) throw new Error(`launch page answered ${response.status}: ${await response.text()}`);
  return readForm(await response.text());
}

/** A whole launch up to the id_token form_post; returns the fields posted to the tool. */
export async function launch(lms: PlatformEmulator, fake: FakeTool, tool: ToolRegistration, target: { courseId: string; userId: string; resourceLinkId: string }): Promise<Record<string, string>> {
  const login = await startLogin(lms.launchUrl(target));
  const response = await fetch(`${lms.authorizationUrl}?${authParams(tool, fake, login.fields).toString()}`);
  return readForm(await response.text()).fields;
}

/** An access token from the platform's token endpoint for the given scopes. */
export async function accessToken(lms: PlatformEmulator, fake: FakeTool, clientId: string, scopes: readonly string[]): Promise<string> {
  const response = await fetch(lms.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'fake-tool/1.0' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await fake.signAssertion({ clientId, audience: lms.tokenUrl }),
      scope: scopes.join(' '),
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}
