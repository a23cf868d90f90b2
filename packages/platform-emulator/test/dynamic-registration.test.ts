import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';

describe.each(['moodle', 'canvas'] as const)('Dynamic Registration (%s mode)', (mode) => {
  let lms: PlatformEmulator;
  let fake: FakeTool;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode });
    fake = await startFakeTool();
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('publishes an openid configuration with the LTI platform configuration claim', async () => {
    const config = (await (await fetch(lms.openidConfigurationUrl)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: lms.issuer,
      authorization_endpoint: lms.authorizationUrl,
      token_endpoint: lms.tokenUrl,
      jwks_uri: lms.jwksUrl,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: mode,
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
        variables: expect.arrayContaining(['Context.id']),
      },
    });
    expect(config['scopes_supported']).toEqual(expect.arrayContaining(['openid', 'https://purl.imsglobal.org/spec/lti-ags/scope/score']));
  });

  it('leaves a registered tool pending when asked not to activate it', async () => {
    const tool = await lms.registerToolDynamically(fake.registrationUrl, { activate: false });
    expect(tool.active).toBe(false);
    expect(lms.activateTool(tool.clientId).active).toBe(true);
  });

});

// Moodle's response shape and error texts (registration_helper, openid-registration.php). Canvas's
// differ — deployment_id at the top level, 401/422 JSON errors, a configuration URL on the issuer's
// host — and are tested in canvas-registration.test.ts; these once ran in canvas mode too, asserting
// Moodle's shape of Canvas, which was the emulator's defect (issue 10).
describe('Dynamic Registration (moodle shape)', () => {
  const mode = 'moodle' as const;
  let lms: PlatformEmulator;
  let fake: FakeTool;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode });
    fake = await startFakeTool();
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  it('registers the tool, returns client id and deployment id, and grants only the requested scopes', async () => {
    const tool = await lms.registerToolDynamically(fake.registrationUrl);
    expect(tool).toMatchObject({ registeredBy: 'dynamic', active: true, loginUrl: fake.loginUrl, redirectUris: [fake.launchUrl], jwksUrl: fake.jwksUrl, deepLinkingUrl: `${fake.url}/deep-link` });
    expect(tool.scopes).toEqual(expect.arrayContaining(['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly']));
    expect(tool.scopes).not.toContain('https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly');
    expect(fake.lastRegistration).toMatchObject({
      status: 200,
      body: { client_id: tool.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: tool.deploymentId } },
    });
  });

  it('accepts a registration token once only', async () => {
    const start = lms.startDynamicRegistration(fake.registrationUrl);
    expect((await fetch(start.toolRegistrationUrl)).status).toBe(200);
    expect(fake.lastRegistration?.status).toBe(200);
    expect((await fetch(start.toolRegistrationUrl)).status).toBe(200);
    expect(fake.lastRegistration).toEqual({ status: 401, body: 'token_already_used' });
  });

  it('refuses a registration without a bearer token', async () => {
    const registrationEndpoint = ((await (await fetch(lms.openidConfigurationUrl)).json()) as Record<string, string>)['registration_endpoint'] ?? '';
    const response = await fetch(registrationEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('missing_registration_token');
  });

  it('refuses a registration token the platform did not sign', async () => {
    const registrationEndpoint = ((await (await fetch(lms.openidConfigurationUrl)).json()) as Record<string, string>)['registration_endpoint'] ?? '';
    const forged = await fake.sign({ sub: 'forged-client', scope: 'reg' });
    const response = await fetch(registrationEndpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` }, body: '{}' });
    expect(response.status).toBe(401);
  });

  it('refuses a registration whose target_link_uri is not on the declared domain', async () => {
    const start = lms.startDynamicRegistration(fake.registrationUrl);
    const config = (await (await fetch(start.openidConfigurationUrl)).json()) as Record<string, string>;
    const response = await fetch(config['registration_endpoint'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${start.registrationToken}` },
      body: JSON.stringify({
        application_type: 'web',
        response_types: ['id_token'],
        initiate_login_uri: fake.loginUrl,
        redirect_uris: [fake.launchUrl],
        client_name: 'Fake tool',
        jwks_uri: fake.jwksUrl,
        token_endpoint_auth_method: 'private_key_jwt',
        'https://purl.imsglobal.org/spec/lti-tool-configuration': { domain: 'elsewhere.example', target_link_uri: fake.launchUrl },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('domain_targetlinkuri_mismatch');
  });

  it('serves a page that frames the tool registration URL and waits for the close message', async () => {
    const start = lms.startDynamicRegistration(fake.registrationUrl);
    const html = await (await fetch(start.pageUrl)).text();
    expect(html).toContain(`src="${start.toolRegistrationUrl.replaceAll('&', '&amp;')}"`);
    expect(html).toContain('org.imsglobal.lti.close');
    expect(new URL(start.toolRegistrationUrl).searchParams.get('openid_configuration')).toBe(lms.openidConfigurationUrl);
  });
});

// Moodle's "Update" on a registered tool (mod/lti/startltiadvregistration.php with `type`,
// registration_helper::validate_registration_token(), openid-registration.php → lti_update_type()).
describe('Dynamic Registration "Update" (moodle)', () => {
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

  async function registrationEndpoint(): Promise<string> {
    return ((await (await fetch(lms.openidConfigurationUrl)).json()) as Record<string, string>)['registration_endpoint'] ?? '';
  }

  it('names the tool type (its deployment id) in a reg-update token and keeps the client id, deployment id and state, back to a preconfigured tool', async () => {
    const registered = await lms.registerToolDynamically(fake.registrationUrl);
    expect(registered.courseVisible).toBe('preconfigured');
    expect(lms.showInActivityChooser(registered.clientId).courseVisible).toBe('activityChooser');

    const start = lms.startDynamicRegistration(fake.registrationUrl, { updateClientId: registered.clientId });
    const [, claims] = start.registrationToken.split('.');
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({ sub: registered.deploymentId, scope: 'reg-update' });

    const updated = await lms.registerToolDynamically(fake.registrationUrl, { updateClientId: registered.clientId });
    expect(updated).toMatchObject({ clientId: registered.clientId, deploymentId: registered.deploymentId, active: true, courseVisible: 'preconfigured' });
    expect(lms.listTools()).toHaveLength(1);
    expect(fake.lastRegistration).toMatchObject({
      status: 200,
      body: { client_id: registered.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: registered.deploymentId } },
    });
  });

  it('refuses a reg-update token for a tool type it does not have (400 Unknown client), and any other scope (403 Incorrect scope)', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [claims, status, text] of [
      [{ sub: '999', scope: 'reg-update', iat: now, exp: now + 3600 }, 400, 'Unknown client'],
      [{ sub: 'some-client', scope: 'admin', iat: now, exp: now + 3600 }, 403, 'Incorrect scope'],
    ] as const) {
      const token = await lms.signIdToken(claims);
      const response = await fetch(await registrationEndpoint(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
      expect(response.status).toBe(status);
      expect(await response.text()).toBe(text);
    }
    expect(lms.listTools()).toHaveLength(1);
  });

  it('answers GET with an update token with the type’s registration as it stands, changing nothing; a new-registration token gets a server error', async () => {
    const [tool] = lms.listTools();
    if (!tool) throw new Error('no tool');
    const update = lms.startDynamicRegistration(fake.registrationUrl, { updateClientId: tool.clientId });
    const response = await fetch(await registrationEndpoint(), { headers: { authorization: `Bearer ${update.registrationToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      client_id: tool.clientId,
      initiate_login_uri: tool.loginUrl,
      jwks_uri: tool.jwksUrl,
      redirect_uris: tool.redirectUris,
      'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: tool.deploymentId, target_link_uri: tool.targetLinkUri, messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUrl }] },
    });
    expect(lms.listTools()).toEqual([tool]);
    const fresh = lms.startDynamicRegistration(fake.registrationUrl);
    expect((await fetch(await registrationEndpoint(), { headers: { authorization: `Bearer ${fresh.registrationToken}` } })).status).toBe(500);
    expect(lms.listTools()).toEqual([tool]);
  });
});
