import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';

describe('HTTP admin API', () => {
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

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${lms.url}/emulator/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  it('describes the emulator', async () => {
    const { body } = await call<Record<string, string>>('GET', '/info');
    expect(body).toMatchObject({ mode: 'canvas', url: lms.url, issuer: 'https://canvas.instructure.com', tokenUrl: lms.tokenUrl, kid: lms.kid });
  });

  it('sets up a tool, a course, people and an activity, and hands back the course page URL', async () => {
    const tool = await call<{ clientId: string }>('POST', '/tools', { loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
    expect(tool.status).toBe(201);
    const course = await call<{ id: string }>('POST', '/courses', { title: 'Electrical L3' });
    const user = await call<{ id: string }>('POST', '/users', { name: 'Lee Learner' });
    expect((await call('POST', `/courses/${course.body.id}/enrolments`, { userId: user.body.id, role: 'learner' })).status).toBe(201);
    const link = await call<{ id: string; lineItemId: string }>('POST', `/courses/${course.body.id}/resource-links`, {
      clientId: tool.body.clientId,
      title: 'Unit 301',
      custom: { attest_unit: 'unit-301' },
      lineItem: { scoreMaximum: 100, label: 'Unit 301', resourceId: 'unit-301', tag: 'attest-unit' },
    });
    expect(link.status).toBe(201);
    expect((await call<unknown[]>('GET', `/courses/${course.body.id}/line-items`)).body).toEqual([expect.objectContaining({ id: link.body.lineItemId, label: 'Unit 301' })]);
    const page = await call<{ url: string }>('POST', '/course-page-url', { courseId: course.body.id, userId: user.body.id, resourceLinkId: link.body.id });
    const html = await (await fetch(page.body.url)).text();
    expect(html).toContain('id="lti-frame"');
    expect(html).toContain(`id=${link.body.id}`);
    expect((await call<unknown[]>('GET', `/courses/${course.body.id}/gradebook`)).body).toEqual([]);
  });

  it('answers a malformed body with 400 and an error code', async () => {
    const { status, body } = await call('POST', '/tools', { loginUrl: fake.loginUrl });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'invalid_body', message: expect.stringContaining('redirectUris') } });
  });

  it('answers an unknown course with 404 and an error code', async () => {
    expect(await call('GET', '/courses/999/gradebook')).toMatchObject({ status: 404, body: { error: { code: 'unknown_course' } } });
  });

  it('injects score failures and exposes and clears the request log', async () => {
    expect((await call('POST', '/score-failures', { count: 1, status: 429, retryAfterSeconds: 3 })).status).toBe(204);
    expect((await call('POST', '/score-failures', { count: 1, status: 500 })).status).toBe(400);
    const log = await call<{ area: string }[]>('GET', '/request-log');
    expect(log.body.some((entry) => entry.area === 'admin')).toBe(true);
    expect((await call('DELETE', '/request-log')).status).toBe(204);
    expect(lms.getRequestLog().filter((entry) => entry.method !== 'DELETE')).toEqual([]);
  });

  it('signs id_tokens with the platform key, a foreign key, no algorithm or HS256 keyed with the public key', async () => {
    const claims = { iss: lms.issuer, aud: 'client', sub: 'user', exp: Math.floor(Date.now() / 1000) + 60 };
    const jwks = createRemoteJWKSet(new URL(lms.jwksUrl));
    const sign = async (options: Record<string, unknown>) => (await call<{ jwt: string }>('POST', '/sign-id-token', { claims, ...options })).body.jwt;

    await expect(jwtVerify(await sign({}), jwks)).resolves.toMatchObject({ payload: { sub: 'user' } });
    await expect(jwtVerify(await sign({ key: 'foreign' }), jwks)).rejects.toThrow();
    const unsigned = await sign({ key: 'none' });
    expect(decodeProtectedHeader(unsigned)).toEqual({ alg: 'none' });
    expect(unsigned.endsWith('.')).toBe(true);
    const confused = await sign({ key: 'hs256-public-key' });
    expect(decodeProtectedHeader(confused)).toMatchObject({ alg: 'HS256', kid: lms.kid });
    expect(decodeProtectedHeader(await sign({ kid: 'rotated-away' }))).toMatchObject({ alg: 'RS256', kid: 'rotated-away' });
    expect(decodeProtectedHeader(await sign({ kid: null }))).not.toHaveProperty('kid');
  });

  it('registers a tool dynamically, leaves it pending when asked, and activates it', async () => {
    const pending = await call<{ clientId: string; active: boolean; registeredBy: string }>('POST', '/tools/dynamic', { toolRegistrationUrl: fake.registrationUrl, activate: false });
    expect(pending).toMatchObject({ status: 201, body: { active: false, registeredBy: 'dynamic' } });
    expect((await call<{ active: boolean }>('POST', `/tools/${pending.body.clientId}/activate`)).body.active).toBe(true);
    expect((await call<{ active: boolean }>('GET', `/tools/${pending.body.clientId}`)).body.active).toBe(true);
    const started = await call<{ pageUrl: string; registrationToken: string }>('POST', '/tools/dynamic/start', { toolRegistrationUrl: fake.registrationUrl });
    expect(started.status).toBe(201);
    expect(started.body.pageUrl).toMatch(new RegExp(`^${lms.url}/emulator/dynamic-registration/`));
  });

  it('hands out launch and deep-linking launch URLs on the emulator itself', async () => {
    const tool = lms.registerTool({ loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
    const course = lms.createCourse();
    const teacher = lms.createUser();
    lms.enrol(course.id, teacher.id, 'instructor');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: tool.clientId, title: 'A' });
    const launchUrl = (await call<{ url: string }>('POST', '/launch-url', { courseId: course.id, userId: teacher.id, resourceLinkId: link.id })).body.url;
    const dlUrl = (await call<{ url: string }>('POST', '/deep-linking-launch-url', { courseId: course.id, userId: teacher.id, clientId: tool.clientId })).body.url;
    expect(launchUrl).toBe(lms.launchUrl({ courseId: course.id, userId: teacher.id, resourceLinkId: link.id }));
    expect(new URL(dlUrl).origin).toBe(lms.url);
    expect((await fetch(dlUrl)).status).toBe(200);
  });

  it('builds a correct launch for a nonce the tool chose', async () => {
    const tool = lms.registerTool({ loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
    const course = lms.createCourse();
    const user = lms.createUser();
    lms.enrol(course.id, user.id, 'instructor');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: tool.clientId, title: 'A' });
    const { body } = await call<Record<string, unknown>>('POST', '/launch-claims', { clientId: tool.clientId, courseId: course.id, userId: user.id, nonce: 'chosen-nonce', resourceLinkId: link.id });
    expect(body).toMatchObject({ nonce: 'chosen-nonce', aud: tool.clientId, sub: user.id, 'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest' });
  });
});

describe('course page', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('frames the launch cross-site with allow attributes and resizes on lti.frameResize from that frame only', async () => {
    const tool = lms.registerTool({ loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, targetLinkUri: fake.launchUrl });
    const course = lms.createCourse({ title: 'Gas Safe' });
    const teacher = lms.createUser({ name: 'Ida Instructor' });
    lms.enrol(course.id, teacher.id, 'instructor');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: tool.clientId, title: 'Unit 1' });
    const html = await (await fetch(lms.coursePageUrl({ courseId: course.id, userId: teacher.id, resourceLinkId: link.id }))).text();
    const src = /<iframe id="lti-frame"[^>]*src="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(src).toBe(lms.launchUrl({ courseId: course.id, userId: teacher.id, resourceLinkId: link.id }));
    expect(html).toMatch(/<iframe id="lti-frame"[^>]*allow="[^"]*clipboard-write \*/);
    expect(html).toContain("data.subject !== 'lti.frameResize'");
    expect(html).toContain('event.source !== frame.contentWindow');
    expect(html).toContain(`data-client-id="${tool.clientId}"`);
  });
});
