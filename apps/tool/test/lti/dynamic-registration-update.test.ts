import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator, ToolRegistration } from '@attest/platform-emulator';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ltijsDocuments } from '../../src/db/index.ts';
import { backends } from '../support/index.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// Moodle's "Update" of a registration (issue 14, item 3). Moodle 5.1 starts it with a registration
// token whose scope is `reg-update` and whose `sub` is the tool type id, which is the deployment id
// it gave Attest (mod/lti/startltiadvregistration.php, registration_helper.php). Attest must know
// before it posts anything, because Moodle applies whatever is posted: an update keeps the client
// id, keys and deployment and stores nothing new; a conflicting registration is refused before any
// POST reaches the platform and changes nothing on either side.

const REGISTRATION_PATH = '/mod/lti/openid-registration.php';

describe.each(backends)('Dynamic Registration "Update" from Moodle on %s', (backend) => {
  let tool: LtiTestServer;
  let moodle: PlatformEmulator;
  let registered: ToolRegistration;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    moodle = await startPlatformEmulator({ mode: 'moodle' });
    // The tool makes its 4096-bit key for the platform inside this request: done once, here.
    registered = await moodle.registerToolDynamically(`${tool.url}/lti/register`);
    await tool.adapter.platforms.setActive(moodle.issuer, registered.clientId, true);
  });

  afterAll(async () => {
    await moodle?.close();
    await tool?.close();
  });

  /** Everything the tool holds about platforms: our rows and ltijs's platform and key documents. */
  async function toolSide() {
    const documents = async (collection: string) => (await tool.connection.db.select({ n: count() }).from(ltijsDocuments).where(eq(ltijsDocuments.collection, collection)))[0]?.n ?? 0;
    return { platforms: await tool.adapter.platforms.list(), ltijsPlatforms: await documents('platform'), privateKeys: await documents('privatekey'), publicKeys: await documents('publickey') };
  }

  const registrationPosts = () => moodle.getRequestLog().filter((entry) => entry.method === 'POST' && entry.path === REGISTRATION_PATH).length;

  /** Opens /lti/register as Moodle's frame would, with this registration token. */
  async function openRegistration(registrationToken: string): Promise<{ status: number; page: string }> {
    const query = new URLSearchParams({ openid_configuration: moodle.openidConfigurationUrl, registration_token: registrationToken });
    const response = await fetch(`${tool.url}/lti/register?${query.toString()}`, { headers: { accept: 'text/html' } });
    return { status: response.status, page: await response.text() };
  }

  async function expectRefusedBeforePosting(registrationToken: string, status: number, saying: string): Promise<string> {
    const before = { tool: await toolSide(), moodle: moodle.listTools(), posts: registrationPosts() };
    const { status: answered, page } = await openRegistration(registrationToken);
    expect(answered, page).toBe(status);
    expect(page).toContain('<h1>Attest could not be registered</h1>');
    expect(page).toContain(saying);
    expect(page).not.toContain('org.imsglobal.lti.close');
    expect(registrationPosts()).toBe(before.posts);
    expect(moodle.listTools()).toEqual(before.moodle);
    expect(await toolSide()).toEqual(before.tool);
    return page;
  }

  it('recognises the update before answering, keeps the client id, keys, deployment and activation, and posts nothing when Moodle already holds its configuration, so the tool stays in the activity chooser', async () => {
    const before = await toolSide();
    const held = await tool.adapter.platforms.get(moodle.issuer, registered.clientId);
    moodle.showInActivityChooser(registered.clientId);
    const moodleBefore = moodle.listTools();
    const posts = registrationPosts();

    const start = moodle.startDynamicRegistration(`${tool.url}/lti/register`, { updateClientId: registered.clientId });
    const { status, page } = await openRegistration(start.registrationToken);

    expect(status, page).toBe(200);
    expect(page).toContain("<h1>Attest's registration is up to date</h1>");
    expect(page).toContain(`client id <code>${registered.clientId}</code>`);
    expect(page).toContain('still active');
    expect(page).toContain(`postMessage({ subject: 'org.imsglobal.lti.close' }, '*')`);
    // Moodle was asked what it holds (GET, which changes nothing) and sent nothing to apply.
    expect(moodle.getRequestLog().filter((entry) => entry.method === 'GET' && entry.path === REGISTRATION_PATH).at(-1)).toMatchObject({ status: 200 });
    expect(registrationPosts()).toBe(posts);
    expect(moodle.listTools()).toEqual(moodleBefore);
    expect(moodle.getTool(registered.clientId).courseVisible).toBe('activityChooser');
    // Attest: the same row (key id, endpoints, deployment, active) and not one document more.
    expect(await tool.adapter.platforms.get(moodle.issuer, registered.clientId)).toEqual(held);
    expect(await toolSide()).toEqual(before);
  });

  it('refuses, before posting, a new registration whose token names a client id Attest already holds for the platform', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await moodle.signIdToken({ sub: registered.clientId, scope: 'reg', iat: now, exp: now + 3600 });
    const page = await expectRefusedBeforePosting(token, 409, `this platform (issuer ${moodle.issuer}) is already registered with the client id its registration token names`);
    expect(page).not.toContain(registered.clientId);
  });

  it('refuses, before posting, an update whose token the platform did not sign or that has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await moodle.signIdToken({ sub: registered.deploymentId, scope: 'reg-update', iat: now, exp: now + 3600 }, { key: 'foreign' });
    await expectRefusedBeforePosting(forged, 400, 'the registration token for this update is not one the platform');
    const expired = await moodle.signIdToken({ sub: registered.deploymentId, scope: 'reg-update', iat: now - 7200, exp: now - 3600 });
    await expectRefusedBeforePosting(expired, 400, 'or it has expired');
  });

  it('registers as new, inactive, an update of a Moodle tool Attest does not hold, with the client id Moodle keeps', async () => {
    // A tool type Attest never registered (or has deleted): Moodle keeps that type's client id.
    const unknown = moodle.registerTool({ loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch` });
    const before = await toolSide();
    const start = moodle.startDynamicRegistration(`${tool.url}/lti/register`, { updateClientId: unknown.clientId });
    const { status, page } = await openRegistration(start.registrationToken);
    expect(status, page).toBe(200);
    expect(page).toContain('<h1>Attest is registered</h1>');
    expect(moodle.getTool(unknown.clientId)).toMatchObject({ clientId: unknown.clientId, deploymentId: unknown.deploymentId });
    expect(await tool.adapter.platforms.get(moodle.issuer, unknown.clientId)).toMatchObject({ isActive: false, deploymentIds: [unknown.deploymentId] });
    const after = await toolSide();
    expect(after.platforms).toHaveLength(before.platforms.length + 1);
    expect(after.privateKeys).toBe(before.privateKeys + 1);
  });
});

describe.each(backends)('Dynamic Registration "Update" naming other endpoints on %s', (backend) => {
  let tool: LtiTestServer;
  let moodle: PlatformEmulator;
  let platform: Server;
  let platformUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    moodle = await startPlatformEmulator({ mode: 'moodle' });
    // A Moodle-like site serving its own configuration (issuer = its origin) whose keys have moved.
    platform = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: platformUrl,
          authorization_endpoint: `${platformUrl}/mod/lti/auth.php`,
          token_endpoint: `${platformUrl}/mod/lti/token.php`,
          jwks_uri: `${platformUrl}/elsewhere/certs.php`,
          registration_endpoint: `${platformUrl}${REGISTRATION_PATH}`,
          'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '5.1' },
        }),
      );
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
    // Held by Attest (registered by hand: makes its key once, here) with deployment 7 = tool type 7.
    await tool.adapter.platforms.register({
      issuer: platformUrl,
      clientId: 'moodle-client-7',
      name: 'Moodle by hand',
      authenticationEndpoint: `${platformUrl}/mod/lti/auth.php`,
      accessTokenEndpoint: `${platformUrl}/mod/lti/token.php`,
      jwksUrl: `${platformUrl}/mod/lti/certs.php`,
      deploymentIds: ['7'],
    });
  });

  afterAll(async () => {
    platform?.closeAllConnections();
    await new Promise<void>((resolve) => (platform ? platform.close(() => resolve()) : resolve()));
    await moodle?.close();
    await tool?.close();
  });

  it('refuses, before posting or fetching keys, an update whose configuration names other key endpoints than Attest holds', async () => {
    const held = await tool.adapter.platforms.list();
    const now = Math.floor(Date.now() / 1000);
    // Signed by some platform key: the endpoint check comes first, so whose does not matter here.
    const token = await moodle.signIdToken({ sub: '7', scope: 'reg-update', iat: now, exp: now + 3600 });
    const query = new URLSearchParams({ openid_configuration: `${platformUrl}/mod/lti/openid-configuration.php`, registration_token: token });
    const response = await fetch(`${tool.url}/lti/register?${query.toString()}`, { headers: { accept: 'text/html' } });
    const page = await response.text();
    expect(response.status, page).toBe(409);
    expect(page).toContain(`this platform (issuer ${platformUrl}) is updating its Attest registration but names other endpoints than Attest holds for it (jwks_uri)`);
    expect(requests).toEqual(['GET /mod/lti/openid-configuration.php']);
    expect(await tool.adapter.platforms.list()).toEqual(held);
  });

  it('refuses, before posting, an update of a deployment that two Attest registrations of the platform list', async () => {
    await tool.adapter.platforms.register({
      issuer: platformUrl,
      clientId: 'moodle-client-7b',
      name: 'Moodle by hand, again',
      authenticationEndpoint: `${platformUrl}/mod/lti/auth.php`,
      accessTokenEndpoint: `${platformUrl}/mod/lti/token.php`,
      jwksUrl: `${platformUrl}/mod/lti/certs.php`,
      deploymentIds: ['7'],
    });
    const held = await tool.adapter.platforms.list();
    requests.length = 0;
    const now = Math.floor(Date.now() / 1000);
    const token = await moodle.signIdToken({ sub: '7', scope: 'reg-update', iat: now, exp: now + 3600 });
    const query = new URLSearchParams({ openid_configuration: `${platformUrl}/mod/lti/openid-configuration.php`, registration_token: token });
    const response = await fetch(`${tool.url}/lti/register?${query.toString()}`, { headers: { accept: 'text/html' } });
    const page = await response.text();
    expect(response.status, page).toBe(409);
    expect(page).toContain(`this platform (issuer ${platformUrl}) is updating a deployment that 2 Attest registrations list`);
    expect(requests).toEqual(['GET /mod/lti/openid-configuration.php']);
    expect(await tool.adapter.platforms.list()).toEqual(held);
  });
});

describe.each(backends)('Dynamic Registration "Update" of a Moodle tool that differs from Attest’s configuration on %s', (backend) => {
  let tool: LtiTestServer;
  let moodle: PlatformEmulator;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    moodle = await startPlatformEmulator({ mode: 'moodle' });
  });

  afterAll(async () => {
    await moodle?.close();
    await tool?.close();
  });

  it('posts its configuration, keeps the client id, keys and row, and tells the administrator Moodle has taken the tool out of the activity chooser', async () => {
    // Configured by hand on both sides, Moodle granting only the score scope: an update has something to apply.
    const typed = moodle.registerTool({ loginUrl: `${tool.url}/lti/login`, redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/lti/keys`, targetLinkUri: `${tool.url}/lti/launch`, scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'] });
    moodle.showInActivityChooser(typed.clientId);
    await tool.adapter.platforms.register({ issuer: moodle.issuer, clientId: typed.clientId, name: 'Moodle by hand', authenticationEndpoint: moodle.authorizationUrl, accessTokenEndpoint: moodle.tokenUrl, jwksUrl: moodle.jwksUrl, deploymentIds: [typed.deploymentId] });
    const held = await tool.adapter.platforms.list();

    const start = moodle.startDynamicRegistration(`${tool.url}/lti/register`, { updateClientId: typed.clientId });
    const response = await fetch(start.toolRegistrationUrl, { headers: { accept: 'text/html' } });
    const page = await response.text();

    expect(response.status, page).toBe(200);
    expect(page).toContain("<h1>Attest's registration is updated</h1>");
    expect(page).toContain('Show in activity chooser and as a preconfigured tool');
    expect(moodle.getRequestLog().filter((entry) => entry.method === 'POST' && entry.path === REGISTRATION_PATH)).toHaveLength(1);
    expect(moodle.listTools()).toHaveLength(1);
    const updated = moodle.getTool(typed.clientId);
    expect(updated).toMatchObject({ clientId: typed.clientId, deploymentId: typed.deploymentId, active: true, courseVisible: 'preconfigured' });
    expect(updated.scopes).toContain('https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly');
    expect(await tool.adapter.platforms.list()).toEqual(held);
  });
});
