import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator, ResourceLink, ToolRegistration, User, Course } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, registerWithTool } from '../support/index.ts';
import { BROWSER_ACCEPT, BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows, startLogin, tamperSignature } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// What a learner sees when Attest refuses a login or launch: inside the LMS's iframe a browser gets
// a short HTML page (same status as before, no script allowed to run, whatever the request carried
// shown only escaped); an API client asking for JSON still gets `{ error: { code, message } }`.

const INJECTED = '<script>alert(document.cookie)</script>';

let lms: PlatformEmulator;

beforeAll(async () => {
  lms = await startPlatformEmulator({ mode: 'moodle' });
});

afterAll(async () => {
  await lms?.close();
});

/** The page a browser should get: complete, accessible, scriptless, and saying what to do. */
async function expectRefusalPage(response: Response, status: number, code: string): Promise<string> {
  const page = await response.text();
  expect(response.status, page).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'none'");
  expect(policy).not.toContain('script-src');
  expect(policy).not.toContain('unsafe-inline');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('location')).toBeNull();
  expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(page).toContain('<title>Attest could not open this activity</title>');
  expect(page).toContain('<h1>Attest could not open this activity</h1>');
  expect(page).toContain('Open the activity again from your course; if this keeps happening, tell your college’s LMS administrator.');
  expect(page).toContain(`error code <code>${code}</code>`);
  expect(page).not.toMatch(/<script/i);
  return page;
}

async function expectJsonRefusal(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await response.json()).toEqual({ error: { code, message: expect.stringMatching(/\S/) } });
}

describe.each(backends)('refusal pages on %s', (backend) => {
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

  async function login(agent = new BrowserlessAgent()) {
    const started = await startLogin(agent, tool.url, { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId });
    expect(started.status).toBe(302);
    return { agent, ...started };
  }

  const claimsFor = (nonce: string) => lms.buildLaunchClaims({ clientId: registration.clientId, courseId: course.id, userId: learner.id, nonce, resourceLinkId: link.id });
  const loginUrl = (params: Record<string, string>) => `${tool.url}/lti/login?${new URLSearchParams(params).toString()}`;

  it('shows a forged launch’s form_post a page, whatever Accept the browser sent, and stores nothing', async () => {
    const before = await countLaunchRows(tool.connection);
    for (const accept of [undefined, BROWSER_ACCEPT, '*/*']) {
      const { agent, state, nonce } = await login();
      const idToken = tamperSignature(await lms.signIdToken(claimsFor(nonce)));
      const response = await agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state }, ...(accept ? { headers: { accept } } : {}) });
      const page = await expectRefusalPage(response, 401, 'unauthenticated');
      expect(page).toContain('Attest could not verify this launch from your LMS.');
    }
    expect(await countLaunchRows(tool.connection)).toEqual(before);
  });

  it('keeps the JSON error for a client that asks for JSON', async () => {
    const { agent, state, nonce } = await login();
    const idToken = tamperSignature(await lms.signIdToken(claimsFor(nonce)));
    await expectJsonRefusal(await agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state }, headers: { accept: 'application/json' } }), 401, 'unauthenticated');
    await expectJsonRefusal(await fetch(loginUrl({ iss: 'https://lms.unknown.example', client_id: 'x', login_hint: 'x', target_link_uri: `${tool.url}/lti/launch` }), { headers: { accept: 'application/json' } }), 400, 'invalid_request');
    await expectJsonRefusal(await fetch(`${tool.url}/lti/nothing-here`, { headers: { accept: 'application/json' } }), 404, 'not_found');
  });

  it('shows a replayed id_token a page', async () => {
    const first = await login();
    const idToken = await lms.signIdToken(claimsFor(first.nonce));
    expect((await first.agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state: first.state } })).status).toBe(303);
    const second = await login(first.agent);
    await expectRefusalPage(await second.agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state: second.state } }), 401, 'unauthenticated');
  });

  it('names an unregistered LMS on the page for the administrator, escaping the script injected into it', async () => {
    const issuer = `https://lms.unknown.example/${INJECTED}`;
    const response = await fetch(loginUrl({ iss: issuer, client_id: `client"${INJECTED}`, login_hint: 'x', target_link_uri: `${tool.url}/lti/launch` }), { headers: { accept: BROWSER_ACCEPT } });
    const page = await expectRefusalPage(response, 400, 'invalid_request');
    expect(page).toContain('This LMS is not registered with Attest.');
    expect(page).toContain('LMS issuer <code>https://lms.unknown.example/&#60;script&#62;alert(document.cookie)&#60;/script&#62;</code>');
    expect(page).toContain('client id <code>client&#34;&#60;script&#62;');
  });

  // A signed launch from a new deployment of this active platform now waits for approval
  // (docs/decisions/0013); it used to be refused as unknown_deployment (401).
  it('escapes a new deployment carried inside a verified id_token, and says it waits for approval', async () => {
    const { agent, state, nonce } = await login();
    const idToken = await lms.signIdToken({ ...claimsFor(nonce), 'https://purl.imsglobal.org/spec/lti/claim/deployment_id': `dep-${INJECTED}` });
    const page = await expectRefusalPage(await agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state } }), 403, 'forbidden');
    expect(page).toContain('Attest has just been added to this part of your LMS (a new deployment).');
    expect(page).toContain('(<code>deployment_pending</code>)');
    expect(page).toContain('deployment id <code>dep-&#60;script&#62;alert(document.cookie)&#60;/script&#62;</code>');
  });

  it('names an issuer the id_token claims but Attest does not know, escaped', async () => {
    const { agent, state, nonce } = await login();
    const idToken = await lms.signIdToken({ ...claimsFor(nonce), iss: `https://lms.unknown.example/${INJECTED}` });
    const page = await expectRefusalPage(await agent.request(`${tool.url}/lti/launch`, { form: { id_token: idToken, state } }), 401, 'unauthenticated');
    expect(page).toContain('This launch comes from an LMS Attest does not know.');
    expect(page).toContain('LMS issuer <code>https://lms.unknown.example/&#60;script&#62;alert(document.cookie)&#60;/script&#62;</code>');
  });

  it('answers a login that lacks its parameters itself, and one aimed at another tool, with a page', async () => {
    await expectRefusalPage(await fetch(loginUrl({ iss: lms.issuer, client_id: registration.clientId }), { headers: { accept: BROWSER_ACCEPT } }), 400, 'invalid_request');
    const foreign = await fetch(loginUrl({ iss: lms.issuer, client_id: registration.clientId, login_hint: 'x', target_link_uri: `https://tool.evil.example/${INJECTED}` }), { headers: { accept: BROWSER_ACCEPT } });
    const page = await expectRefusalPage(foreign, 400, 'invalid_request');
    expect(page).toContain('This sign-in request is not for Attest.');
  });

  it('tells a learner of an inactive registration so with 403, at login and at launch', async () => {
    const earlier = await login();
    await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, false);
    try {
      const atLogin = await fetch(loginUrl({ iss: lms.issuer, client_id: registration.clientId, login_hint: 'x', target_link_uri: `${tool.url}/lti/launch` }), { headers: { accept: BROWSER_ACCEPT } });
      expect(await expectRefusalPage(atLogin, 403, 'forbidden')).toContain('waiting for an Attest administrator to activate it');
      const atLaunch = await earlier.agent.request(`${tool.url}/lti/launch`, { form: { id_token: await lms.signIdToken(claimsFor(earlier.nonce)), state: earlier.state } });
      await expectRefusalPage(atLaunch, 403, 'forbidden');
    } finally {
      await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, true);
    }
  });

  it('walks a real browser-like launch from the LMS to the page when the registration is inactive', async () => {
    await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, false);
    try {
      const agent = new BrowserlessAgent();
      const end = await agent.walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
      expect(end.response.status).toBe(403);
      expect(end.body).toContain('<h1>Attest could not open this activity</h1>');
    } finally {
      await tool.adapter.platforms.setActive(lms.issuer, registration.clientId, true);
    }
  });
});
