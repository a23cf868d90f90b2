import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { setUpCourse, type CourseFixture } from './course-fixture.ts';

const scoreScope = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

describe('OAuth2 token endpoint', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake, { scopes: [scoreScope] });
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  async function requestToken(fields: Record<string, string>): Promise<Response> {
    return fetch(lms.tokenUrl, { method: 'POST', headers: { 'user-agent': 'fake-tool/1.0' }, body: new URLSearchParams(fields) });
  }

  async function goodFields(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await fake.signAssertion({ clientId: course.tool.clientId, audience: lms.tokenUrl }),
      scope: scoreScope,
      ...overrides,
    };
  }

  it('issues a bearer token for an assertion signed with the key in the tool JWKS', async () => {
    const response = await requestToken(await goodFields());
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: scoreScope });
    expect(typeof body['access_token']).toBe('string');
  });

  it('grants only the requested scopes the registration allows', async () => {
    const response = await requestToken(await goodFields({ scope: `${scoreScope} ${nrpsScope}` }));
    expect(((await response.json()) as Record<string, unknown>)['scope']).toBe(scoreScope);
  });

  it('answers invalid_scope when none of the requested scopes is allowed', async () => {
    const response = await requestToken(await goodFields({ scope: nrpsScope }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses an assertion signed with a key the tool JWKS does not list', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const assertion = await fake.signAssertion({ clientId: course.tool.clientId, audience: lms.tokenUrl, key: privateKey });
    const response = await requestToken(await goodFields({ client_assertion: assertion }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an assertion addressed to another audience', async () => {
    const assertion = await fake.signAssertion({ clientId: course.tool.clientId, audience: 'https://other.example/token' });
    expect((await requestToken(await goodFields({ client_assertion: assertion }))).status).toBe(401);
  });

  it('refuses an assertion whose jti was already used', async () => {
    const assertion = await fake.signAssertion({ clientId: course.tool.clientId, audience: lms.tokenUrl, jti: 'only-once' });
    expect((await requestToken(await goodFields({ client_assertion: assertion }))).status).toBe(200);
    expect((await requestToken(await goodFields({ client_assertion: assertion }))).status).toBe(401);
  });

  it('refuses an assertion from an unknown client', async () => {
    const assertion = await fake.signAssertion({ clientId: 'nobody', audience: lms.tokenUrl });
    expect((await requestToken(await goodFields({ client_assertion: assertion }))).status).toBe(401);
  });

  it('refuses a grant type other than client_credentials', async () => {
    const response = await requestToken(await goodFields({ grant_type: 'password' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('refuses a client assertion of another type', async () => {
    const response = await requestToken(await goodFields({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});
