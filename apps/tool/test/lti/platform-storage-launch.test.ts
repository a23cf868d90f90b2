import { createHash } from 'node:crypto';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Cookie-less launches through LTI platform storage (decision 14), over real HTTP against the
// emulated Canvas. A BrowserlessAgent stands in for the browser: what the pages' scripts would read
// from the LMS's storage is posted by hand, so every way that post can be wrong is tried here; the
// scripts themselves run in Chromium in apps/e2e/test/canvas-cookieless-launch.test.ts.

const STORAGE_TARGET = 'post_message_forwarding';

let lms: PlatformEmulator;

beforeAll(async () => {
  lms = await startPlatformEmulator({ mode: 'canvas' });
});

afterAll(async () => {
  await lms?.close();
});

function dataAttribute(html: string, name: string): string {
  const match = new RegExp(`data-${name}="([^"]*)"`).exec(html);
  return (match?.[1] ?? '').replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

function inlineScriptHash(html: string): string {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

describe.each(backends)('cookie-less launches through platform storage on %s', (backend) => {
  let tool: LtiTestServer;
  let registration: ToolRegistration;
  let course: Course;
  let learner: User;
  let link: ResourceLink;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    course = lms.createCourse({ title: 'Customer Service L2' });
    learner = lms.createUser({ name: 'Lee Learner' });
    lms.enrol(course.id, learner.id, 'learner');
    link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
  });

  afterAll(async () => {
    await tool?.close();
  });

  function loginUrl(extra: Record<string, string> = { lti_storage_target: STORAGE_TARGET }): string {
    return `${tool.url}/lti/login?${new URLSearchParams({
      iss: lms.issuer,
      login_hint: learner.id,
      target_link_uri: `${tool.url}/lti/launch`,
      client_id: registration.clientId,
      lti_deployment_id: registration.deploymentId,
      ...extra,
    }).toString()}`;
  }

  /** A login through platform storage: the page's state and nonce, as its script would store them. */
  async function login(agent = new BrowserlessAgent()) {
    const response = await agent.request(loginUrl());
    const html = await response.text();
    return { agent, response, html, state: dataAttribute(html, 'state'), nonce: dataAttribute(html, 'nonce'), authUrl: dataAttribute(html, 'auth-url') };
  }

  async function idTokenFor(nonce: string): Promise<string> {
    return lms.signIdToken(lms.buildLaunchClaims({ clientId: registration.clientId, courseId: course.id, userId: learner.id, nonce, resourceLinkId: link.id }));
  }

  /** The launch page's second post, as our page in the tool's frame makes it. */
  function verifiedPost(agent: BrowserlessAgent, form: Record<string, string>, headers: Record<string, string> = { origin: tool.url, 'sec-fetch-site': 'same-origin' }) {
    return agent.request(`${tool.url}/lti/launch`, { form: { platform_storage: '1', ...form }, headers });
  }

  it('answers a login that names a storage target with a page that stores state and nonce, its script pinned by hash, and still sets the binding cookie', async () => {
    const { response, html, state, nonce, authUrl } = await login();
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`script-src ${inlineScriptHash(html)}`);
    expect(policy).toContain("form-action 'none'");
    expect(state).toMatch(/^[0-9a-f]{50}$/);
    expect(nonce).not.toBe('');
    const authorise = new URL(authUrl);
    expect(authorise.origin + authorise.pathname).toBe(lms.authorizationUrl);
    expect(authorise.searchParams.get('state')).toBe(state);
    expect(authorise.searchParams.get('nonce')).toBe(nonce);
    expect(dataAttribute(html, 'target')).toBe(STORAGE_TARGET);
    expect(dataAttribute(html, 'state-key')).toBe(`attest-state-${state}`);
    expect(dataAttribute(html, 'nonce-key')).toBe(`attest-nonce-${state}`);
    expect(response.headers.getSetCookie().find((cookie) => cookie.startsWith(`lti_nonce_${state}=`))).toMatch(/Partitioned/);
  });

  it('redirects a login without a storage target to the platform as before', async () => {
    const response = await new BrowserlessAgent().request(loginUrl({}));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${lms.authorizationUrl}\\?`));
  });

  it('ignores a storage target that is not a frame name and redirects as before', async () => {
    const response = await new BrowserlessAgent().request(loginUrl({ lti_storage_target: '"><script>alert(1)</script>' }));
    expect(response.status).toBe(302);
  });

  it('answers a launch without the cookie but with lti_storage_target with the checking page, storing nothing yet', async () => {
    const { state, nonce } = await login();
    const idToken = await idTokenFor(nonce);
    const before = await countLaunchRows(tool.connection);
    const response = await new BrowserlessAgent().request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state, lti_storage_target: STORAGE_TARGET } });
    const html = await response.text();
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`script-src ${inlineScriptHash(html)}`);
    expect(policy).toContain("form-action 'self'");
    expect(html).toContain('<meta name="referrer" content="same-origin">');
    expect(dataAttribute(html, 'platform-origin')).toBe(new URL(lms.authorizationUrl).origin);
    expect(dataAttribute(html, 'state-key')).toBe(`attest-state-${state}`);
    expect(dataAttribute(html, 'nonce-key')).toBe(`attest-nonce-${state}`);
    expect(html).toContain(`action="${tool.url}/lti/launch"`);
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('admits the launch posted again from the tool’s origin with the state and nonce read from platform storage', async () => {
    const { state, nonce } = await login();
    const agent = new BrowserlessAgent();
    const response = await verifiedPost(agent, { id_token: await idTokenFor(nonce), state, platform_storage_state: state, platform_storage_nonce: nonce });
    expect(response.status, await response.clone().text()).toBe(303);
    const ltik = new URL(response.headers.get('location') ?? '', tool.url).searchParams.get('ltik') ?? '';
    const session = await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { launch: { userId: string } }).launch.userId).toBe(learner.id);
    expect(agent.cookiesFor(tool.url)).toEqual([]);
  });

  type Fault = (ctx: { state: string; nonce: string; other: { state: string; nonce: string } }) => { form: Record<string, string>; headers?: Record<string, string> };
  const refusals: readonly (readonly [string, Fault])[] = [
    ['nothing in platform storage: the launch replayed in another browser', ({ state }) => ({ form: { state, platform_storage_state: '', platform_storage_nonce: '' } })],
    ['another login’s state in platform storage', ({ state, nonce, other }) => ({ form: { state, platform_storage_state: other.state, platform_storage_nonce: nonce } })],
    ['another login’s nonce in platform storage', ({ state, other }) => ({ form: { state, platform_storage_state: state, platform_storage_nonce: other.nonce } })],
    // Both logins in this browser: the page reads, under the other state, the other login's nonce.
    ['the other login’s state in the form (a state this token was not issued with)', ({ other }) => ({ form: { state: other.state, platform_storage_state: other.state, platform_storage_nonce: other.nonce } })],
    ['no state at all', ({ nonce }) => ({ form: { state: '', platform_storage_state: '', platform_storage_nonce: nonce } })],
    ['the second post without an Origin', ({ state, nonce }) => ({ form: { state, platform_storage_state: state, platform_storage_nonce: nonce }, headers: {} })],
    ['the second post from another site’s form', ({ state, nonce }) => ({ form: { state, platform_storage_state: state, platform_storage_nonce: nonce }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })],
    ['the tool’s Origin claimed by a cross-site request', ({ state, nonce }) => ({ form: { state, platform_storage_state: state, platform_storage_nonce: nonce }, headers: { origin: tool.url, 'sec-fetch-site': 'cross-site' } })],
  ];

  it.each(refusals)('refuses %s, storing nothing', async (_name, fault) => {
    const { state, nonce } = await login();
    const other = await login();
    const { form, headers } = fault({ state, nonce, other: { state: other.state, nonce: other.nonce } });
    const before = await countLaunchRows(tool.connection);
    const response = await verifiedPost(new BrowserlessAgent(), { id_token: await idTokenFor(nonce), ...form }, headers);
    expect(response.status, await response.clone().text()).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('refuses a launch without the cookie and without lti_storage_target (how Moodle launches), storing nothing', async () => {
    const { state, nonce } = await login();
    const before = await countLaunchRows(tool.connection);
    const response = await new BrowserlessAgent().request(`${tool.url}/lti/launch`, { form: { id_token: await idTokenFor(nonce), state } });
    expect(response.status).toBe(401);
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('refuses the verified post replayed after it launched (its nonce is spent)', async () => {
    const { state, nonce } = await login();
    const form = { id_token: await idTokenFor(nonce), state, platform_storage_state: state, platform_storage_nonce: nonce };
    expect((await verifiedPost(new BrowserlessAgent(), form)).status).toBe(303);
    const before = await countLaunchRows(tool.connection);
    const replay = await verifiedPost(new BrowserlessAgent(), form);
    expect(replay.status).toBe(401);
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('still launches by the cookie when the browser kept it, even with lti_storage_target', async () => {
    const { agent, state, nonce } = await login();
    const response = await agent.request(`${tool.url}/lti/launch`, { form: { id_token: await idTokenFor(nonce), state, lti_storage_target: STORAGE_TARGET } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/app\/\?ltik=/);
  });
});
