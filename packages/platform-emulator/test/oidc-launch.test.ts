import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { authParams, setUpCourse, startLogin, type CourseFixture } from './course-fixture.ts';
import { readForm } from './html-form.ts';

const claim = (name: string) => `https://purl.imsglobal.org/spec/lti/claim/${name}`;

describe('OIDC launch (moodle mode)', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  const learnerLaunch = () => lms.launchUrl({ courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id });

  it('hands the browser to the tool login URL with every login-initiation parameter', async () => {
    const login = await startLogin(learnerLaunch());
    expect(login.action).toBe(fake.loginUrl);
    expect(login.fields).toMatchObject({
      iss: lms.url,
      login_hint: course.learnerId,
      target_link_uri: fake.launchUrl,
      client_id: course.tool.clientId,
      lti_deployment_id: course.tool.deploymentId,
    });
    expect(login.fields['lti_message_hint']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('form-posts a signed id_token with the LTI 1.3 claims and the state to the redirect URI', async () => {
    const login = await startLogin(learnerLaunch());
    const response = await fetch(lms.authorizationUrl, { method: 'POST', body: authParams(course.tool, fake, login.fields) });
    const form = readForm(await response.text());
    expect(form.action).toBe(fake.launchUrl);
    expect(form.fields['state']).toBe('state-456');
    const { payload, protectedHeader } = await jwtVerify(form.fields['id_token'] ?? '', createRemoteJWKSet(new URL(lms.jwksUrl)), {
      issuer: lms.url,
      audience: course.tool.clientId,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: lms.kid });
    expect(payload).toMatchObject({
      sub: course.learnerId,
      nonce: 'nonce-123',
      name: 'Lee Learner',
      [claim('message_type')]: 'LtiResourceLinkRequest',
      [claim('version')]: '1.3.0',
      [claim('deployment_id')]: course.tool.deploymentId,
      [claim('target_link_uri')]: fake.launchUrl,
      [claim('resource_link')]: { id: course.link.id, title: 'Unit 201' },
      [claim('roles')]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [claim('context')]: { id: course.courseId, title: 'Plumbing Level 2', label: 'PLB2' },
      [claim('launch_presentation')]: { document_target: 'iframe' },
      [claim('custom')]: { attest_unit: 'unit-201', platform_flavour: 'test' },
      [claim('tool_platform')]: { product_family_code: 'moodle' },
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': { lineitem: course.link.lineItemId },
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': { service_versions: ['2.0'] },
    });
    expect((payload['exp'] ?? 0) - (payload['iat'] ?? 0)).toBe(60);
  });

  it.each([
    ['scope', { scope: 'profile' }, 'invalid_scope'],
    ['response_type', { response_type: 'code' }, 'unsupported_response_type'],
    ['login_hint', { login_hint: 'not-the-user' }, 'access_denied'],
    ['nonce', { nonce: null }, 'invalid_request'],
    ['response_mode', { response_mode: 'query' }, 'invalid_request'],
    ['missing response_mode', { response_mode: null }, 'invalid_request'],
    ['prompt', { prompt: 'login' }, 'invalid_request'],
  ] as [string, Record<string, string | null>, string][])('answers a request with a bad %s with the OIDC error posted back to the tool', async (_name, overrides, error) => {
    const login = await startLogin(learnerLaunch());
    const response = await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields, overrides).toString()}`);
    const form = readForm(await response.text());
    expect(form.action).toBe(fake.launchUrl);
    expect(form.fields['error']).toBe(error);
    expect(form.fields['id_token']).toBeUndefined();
    expect(form.fields['state']).toBe('state-456');
  });

  it('answers another registered client with unauthorized_client posted to that client', async () => {
    const other = lms.registerTool({ loginUrl: fake.loginUrl, redirectUris: [`${fake.url}/other-launch`], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
    const login = await startLogin(learnerLaunch());
    const params = authParams(course.tool, fake, login.fields, { client_id: other.clientId, redirect_uri: `${fake.url}/other-launch` });
    const form = readForm(await (await fetch(`${lms.authorizationUrl}?${params.toString()}`)).text());
    expect(form.fields['error']).toBe('unauthorized_client');
    expect(form.fields['id_token']).toBeUndefined();
  });

  it('refuses an unknown client id with an error page, having no redirect URI it may trust', async () => {
    const login = await startLogin(learnerLaunch());
    const response = await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields, { client_id: 'someone-else' }).toString()}`);
    expect(response.status).toBe(400);
  });

  it('refuses an unregistered redirect_uri with an error page instead of posting to it', async () => {
    const login = await startLogin(learnerLaunch());
    const response = await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields, { redirect_uri: 'https://evil.example/steal' }).toString()}`);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('evil.example');
  });

  it('spends the lti_message_hint, so a replayed authorization request gets no id_token', async () => {
    const login = await startLogin(learnerLaunch());
    const params = authParams(course.tool, fake, login.fields).toString();
    const first = readForm(await (await fetch(`${lms.authorizationUrl}?${params}`)).text());
    const second = readForm(await (await fetch(`${lms.authorizationUrl}?${params}`)).text());
    expect(first.fields['id_token']).toBeDefined();
    expect(second.fields['error']).toBe('invalid_request');
  });

  it('does not launch a dynamically registered tool until an administrator activates it', async () => {
    const pending = await lms.registerToolDynamically(fake.registrationUrl, { activate: false });
    expect(pending.active).toBe(false);
    const link = lms.placeResourceLink({ courseId: course.courseId, clientId: pending.clientId, title: 'Other' });
    const target = { courseId: course.courseId, userId: course.learnerId, resourceLinkId: link.id };
    expect((await fetch(lms.launchUrl(target))).status).toBe(403);
    lms.activateTool(pending.clientId);
    expect((await fetch(lms.launchUrl(target))).status).toBe(200);
  });

  it('refuses a launch by someone who is not in the course', async () => {
    const stranger = lms.createUser({ name: 'Stan Stranger' });
    const response = await fetch(lms.launchUrl({ courseId: course.courseId, userId: stranger.id, resourceLinkId: course.link.id }));
    expect(response.status).toBe(403);
  });
});

describe('OIDC launch (canvas mode)', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'canvas' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('answers an authorization error with 400 JSON rather than a post to the tool', async () => {
    const login = await startLogin(lms.launchUrl({ courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id }));
    const response = await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields, { scope: 'email' }).toString()}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'bad_request', message: expect.stringContaining('invalid_scope') });
  });
});
