import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ltijsDocuments } from '../../src/db/index.ts';
import { registrationHostPolicy } from '../../src/lti/create-lti-adapter.ts';
import { isCanvasSharedIssuer, OpenIdConfigurationSchema } from '../../src/lti/dynamic-registration.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// /lti/register fetches URLs chosen by whoever opens it. Each case here is an attempt to make the
// tool fetch where it should not, or to register a platform under a name it does not own; each is
// refused with a page that says why, and leaves no platform (ours or ltijs's) behind. The one
// allowed mismatch, hosted Canvas's shared issuer, registers inactive and never overwrites.

interface FakePlatform {
  readonly url: string;
  readonly requests: { method: string; path: string }[];
}

const fakes: Server[] = [];

async function fakePlatform(handle: (req: IncomingMessage, res: ServerResponse, self: string) => void): Promise<FakePlatform> {
  const requests: FakePlatform['requests'] = [];
  let self = '';
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '' });
    req.resume();
    req.on('end', () => handle(req, res, self));
  });
  fakes.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: self, requests };
}

/** An OpenID configuration as Moodle serves it, every endpoint on `origin` unless overridden. */
function configurationOn(origin: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/mod/lti/auth.php`,
    token_endpoint: `${origin}/mod/lti/token.php`,
    jwks_uri: `${origin}/mod/lti/certs.php`,
    registration_endpoint: `${origin}/mod/lti/openid-registration.php`,
    'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle', version: '5.1' },
    ...overrides,
  };
}

const sendJson = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

afterEach(async () => {
  for (const server of fakes.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Canvas's configuration on `origin`, naming `issuer` (hosted Canvas: the shared one). */
function canvasConfigurationOn(origin: string, issuer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return configurationOn(origin, { issuer, 'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'canvas', version: 'cloud' }, ...overrides });
}

let moodle: PlatformEmulator;

beforeAll(async () => {
  moodle = await startPlatformEmulator({ mode: 'moodle' });
});

afterAll(async () => {
  await moodle?.close();
});

const dynamicTools = (lms: PlatformEmulator) => lms.listTools().filter((tool) => tool.registeredBy === 'dynamic').length;

describe('registrationHostPolicy', () => {
  it('allows loopback by default only when the tool itself is on loopback, and obeys an explicit setting', () => {
    expect(registrationHostPolicy({ publicUrl: 'https://attest.example.ac.uk' })).toBe('public-only');
    expect(registrationHostPolicy({ publicUrl: 'http://localhost:3000' })).toBe('public-and-loopback');
    expect(registrationHostPolicy({ publicUrl: 'http://127.0.0.1:3000' })).toBe('public-and-loopback');
    expect(registrationHostPolicy({ publicUrl: 'http://[::1]:3000' })).toBe('public-and-loopback');
    expect(registrationHostPolicy({ publicUrl: 'http://localhost.example.ac.uk' })).toBe('public-only');
    expect(registrationHostPolicy({ publicUrl: 'http://localhost:3000', allowPrivateRegistrationHosts: false })).toBe('public-only');
    expect(registrationHostPolicy({ publicUrl: 'https://attest.example.ac.uk', allowPrivateRegistrationHosts: true })).toBe('any');
  });
});

describe('isCanvasSharedIssuer', () => {
  const configuration = (issuer: string, family: string | undefined) =>
    OpenIdConfigurationSchema.parse(family === undefined ? configurationOn('https://college.instructure.com', { issuer, 'https://purl.imsglobal.org/spec/lti-platform-configuration': undefined }) : canvasConfigurationOn('https://college.instructure.com', issuer, { 'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: family } }));

  it('accepts exactly the production, beta and test issuers Canvas documents, from a configuration that says it is Canvas', () => {
    for (const issuer of ['https://canvas.instructure.com', 'https://canvas.beta.instructure.com', 'https://canvas.test.instructure.com']) {
      expect(isCanvasSharedIssuer(configuration(issuer, 'canvas')), issuer).toBe(true);
    }
  });

  it('refuses a shared issuer from another product family or none, and any other issuer from Canvas', () => {
    expect(isCanvasSharedIssuer(configuration('https://canvas.instructure.com', 'moodle'))).toBe(false);
    expect(isCanvasSharedIssuer(configuration('https://canvas.instructure.com', 'Canvas'))).toBe(false);
    expect(isCanvasSharedIssuer(configuration('https://canvas.instructure.com', undefined))).toBe(false);
    for (const issuer of ['https://college.instructure.com', 'http://canvas.instructure.com', 'https://canvas.instructure.com:8443', 'https://canvas.instructure.com.attacker.example', 'https://canvas.instructure.com/x']) {
      expect(isCanvasSharedIssuer(configuration(issuer, 'canvas')), issuer).toBe(false);
    }
  });
});

describe.each(backends)('Dynamic Registration guard on %s', (backend) => {
  let tool: LtiTestServer;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend, { registrationFetchLimits: { timeoutMs: 500, maxBytes: 16 * 1024 } });
  });

  afterAll(async () => {
    await tool?.close();
  });

  async function storedPlatforms(server: LtiTestServer = tool): Promise<{ registrations: number; ltijsPlatforms: number }> {
    const [ltijs] = await server.connection.db.select({ n: count() }).from(ltijsDocuments).where(eq(ltijsDocuments.collection, 'platform'));
    return { registrations: (await server.adapter.platforms.list()).length, ltijsPlatforms: ltijs?.n ?? 0 };
  }

  /** Opens /lti/register as the LMS's iframe would and expects a refusal page that stored nothing. */
  async function expectRefused(openidConfiguration: string, status: number, saying: string | RegExp, server: LtiTestServer = tool): Promise<string> {
    const before = await storedPlatforms(server);
    const response = await fetch(`${server.url}/lti/register?${new URLSearchParams({ openid_configuration: openidConfiguration, registration_token: 'token-1' }).toString()}`, { headers: { accept: 'text/html' } });
    const page = await response.text();
    expect(response.status, page).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page).toContain('<h1>Attest could not be registered</h1>');
    expect(page).toMatch(saying);
    expect(page).not.toContain('<script>');
    expect(await storedPlatforms(server)).toEqual(before);
    return page;
  }

  it('refuses a configuration URL that is not http(s), or that carries credentials', async () => {
    await expectRefused('file:///etc/passwd', 400, 'must be an http or https URL');
    await expectRefused('gopher://127.0.0.1:6379/_FLUSHALL', 400, 'must be an http or https URL');
    const platform = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self)));
    await expectRefused(`${platform.url.replace('http://', 'http://admin:secret@')}/config`, 400, 'must not carry a user name or password');
    expect(platform.requests).toEqual([]);
  });

  it('refuses a configuration whose issuer is another site, without posting to its registration endpoint', async () => {
    // An impostor serves Moodle's own configuration: issuer, keys and registration endpoint all Moodle's.
    const moodleConfiguration = (await (await fetch(moodle.openidConfigurationUrl)).json()) as Record<string, unknown>;
    const impostor = await fakePlatform((_req, res) => sendJson(res, moodleConfiguration));
    const page = await expectRefused(`${impostor.url}/mod/lti/openid-configuration.php`, 400, 'is not on the site its OpenID configuration came from');
    expect(page).toContain(moodle.issuer);
    expect(dynamicTools(moodle)).toBe(0);
  });

  it('refuses a configuration that names Canvas’s shared issuer but calls itself Moodle, without posting to its registration endpoint', async () => {
    const platform = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self, { issuer: 'https://canvas.instructure.com' })));
    await expectRefused(`${platform.url}/config`, 400, 'https://canvas.instructure.com is not on the site its OpenID configuration came from');
    expect(platform.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /config']);
  });

  it('refuses a configuration that calls itself Canvas but names an issuer that is not a Canvas shared issuer', async () => {
    for (const issuer of ['https://college.instructure.com', 'https://canvas.instructure.com.attacker.example', 'http://canvas.instructure.com']) {
      const platform = await fakePlatform((_req, res, self) => sendJson(res, canvasConfigurationOn(self, issuer)));
      const page = await expectRefused(`${platform.url}/config`, 400, 'is not on the site its OpenID configuration came from');
      expect(page).toContain(issuer);
      expect(platform.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /config']);
    }
  });

  describe('from the emulated Canvas, whose configuration names https://canvas.instructure.com from the school’s own address', () => {
    // An emulator of its own per backend: each registration adds a tool on the Canvas side.
    let canvas: PlatformEmulator;
    let before: { registrations: number; ltijsPlatforms: number };
    let response: Response;
    let page: string;
    // Canvas serves its configuration from the issuer's host, not the admin page's (the emulator: localhost).
    let configurationHost: string;

    beforeAll(async () => {
      canvas = await startPlatformEmulator({ mode: 'canvas' });
      before = await storedPlatforms();
      // The tool generates its 4096-bit key for the platform inside this request: keep it out of the timed tests.
      const start = canvas.startDynamicRegistration(`${tool.url}/lti/register`);
      configurationHost = new URL(start.openidConfigurationUrl).host;
      response = await fetch(start.toolRegistrationUrl, { headers: { accept: 'text/html' } });
      page = await response.text();
    });

    afterAll(async () => {
      await canvas?.close();
    });

    it('registers it inactive under the shared issuer, named after the site it came from, with the deployment Canvas returned', async () => {
      expect(response.status, page).toBe(200);
      // No Referer here (fetch): named after the configuration's host. The close message goes to '*'
      // (canvas-lms doc/api/registration.md); this asserted the configuration's origin before.
      expect(page).toContain(`canvas at ${configurationHost}`);
      expect(page).toContain(`postMessage({ subject: 'org.imsglobal.lti.close' }, '*')`);
      const [registered] = canvas.listTools().filter((t) => t.registeredBy === 'dynamic');
      expect(dynamicTools(canvas)).toBe(1);
      expect(await tool.adapter.platforms.get('https://canvas.instructure.com', registered!.clientId)).toMatchObject({
        issuer: 'https://canvas.instructure.com',
        name: `canvas at ${configurationHost}`,
        isActive: false,
        deploymentIds: [registered!.deploymentId],
        jwksUrl: canvas.jwksUrl,
        accessTokenEndpoint: canvas.tokenUrl,
        authenticationEndpoint: canvas.authorizationUrl,
      });
      expect(await storedPlatforms()).toEqual({ registrations: before.registrations + 1, ltijsPlatforms: before.ltijsPlatforms + 1 });
    });

    it('refuses another Canvas configuration that answers with the client id already registered, leaving the first one’s keys and endpoints in place', async () => {
      const [registered] = canvas.listTools().filter((t) => t.registeredBy === 'dynamic');
      const stored = await tool.adapter.platforms.get('https://canvas.instructure.com', registered!.clientId);
      const forger = await fakePlatform((req, res, self) =>
        req.method === 'POST' ? sendJson(res, { client_id: registered!.clientId, 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: 'forged' } }) : sendJson(res, canvasConfigurationOn(self, 'https://canvas.instructure.com')),
      );
      const page = await expectRefused(`${forger.url}/config`, 409, 'this platform (issuer https://canvas.instructure.com) is already registered with the client id it answered');
      // The client id is the forger's text: in the log, not on the page.
      expect(page).not.toContain(registered!.clientId);
      expect(forger.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /config', 'POST /mod/lti/openid-registration.php']);
      expect(await tool.adapter.platforms.get('https://canvas.instructure.com', registered!.clientId)).toEqual(stored);
    });
  });

  it('refuses a configuration that points the registration or key endpoints at private addresses, calling none of them', async () => {
    // 0.0.0.0 would reach this machine if the guard let it through; 169.254.169.254 is never dialled.
    const trap = await fakePlatform((_req, res) => sendJson(res, { client_id: 'trapped' }));
    const trapPort = new URL(trap.url).port;
    const privateRegistration = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self, { registration_endpoint: `http://0.0.0.0:${trapPort}/register` })));
    await expectRefused(`${privateRegistration.url}/config`, 400, /0\.0\.0\.0 is a private, loopback or link-local address/);
    const metadataKeys = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self, { jwks_uri: 'http://169.254.169.254/latest/meta-data/' })));
    await expectRefused(`${metadataKeys.url}/config`, 400, /169\.254\.169\.254 is a private, loopback or link-local address/);
    expect(trap.requests).toEqual([]);
    expect(metadataKeys.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('does not follow a redirect from the configuration URL', async () => {
    const redirecting = await fakePlatform((_req, res) => res.writeHead(302, { location: moodle.openidConfigurationUrl }).end());
    await expectRefused(`${redirecting.url}/config`, 502, 'does not follow redirects');
    expect(dynamicTools(moodle)).toBe(0);
  });

  it('gives up on a platform that never answers, and on one that answers too much', async () => {
    const silent = await fakePlatform(() => {});
    const started = Date.now();
    await expectRefused(`${silent.url}/config`, 502, 'did not answer within 0.5 s');
    expect(Date.now() - started).toBeLessThan(3_000);
    const flooding = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self, { padding: 'x'.repeat(32 * 1024) })));
    await expectRefused(`${flooding.url}/config`, 502, 'sent more than 16 KiB');
  });

  it('says which step failed at which host, and never shows what the fetched URL answered', async () => {
    const failing = await fakePlatform((_req, res) => res.writeHead(500).end('<script>alert(1)</script> secret-of-the-intranet'));
    const host = new URL(failing.url).host;
    const failed = await expectRefused(`${failing.url}/config`, 502, `OpenID configuration at ${host} answered HTTP 500`);
    const notJson = await fakePlatform((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Router admin</h1> secret-of-the-intranet'));
    const html = await expectRefused(`${notJson.url}/config`, 502, `OpenID configuration at ${new URL(notJson.url).host} did not answer with JSON`);
    const incomplete = await fakePlatform((_req, res) => sendJson(res, { issuer: 'secret-of-the-intranet', note: 'secret-of-the-intranet' }));
    const partial = await expectRefused(`${incomplete.url}/config`, 400, /is incomplete \(missing or invalid: issuer, authorization_endpoint, token_endpoint, jwks_uri, registration_endpoint\)/);
    for (const page of [failed, html, partial]) {
      expect(page).not.toContain('secret-of-the-intranet');
      expect(page).not.toContain('alert(1)');
      expect(page).not.toContain('Router admin');
    }
  });

  describe('when private hosts are not allowed', () => {
    let strict: LtiTestServer;

    beforeAll(async () => {
      strict = await startLtiTestServer(backend, { allowPrivateRegistrationHosts: false });
    });

    afterAll(async () => {
      await strict?.close();
    });

    it('refuses an LMS on loopback, by address or by name, before fetching anything', async () => {
      const start = moodle.startDynamicRegistration(`${strict.url}/lti/register`);
      await expectRefused(start.openidConfigurationUrl, 400, 'ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS', strict);
      const platform = await fakePlatform((_req, res, self) => sendJson(res, configurationOn(self)));
      await expectRefused(`${platform.url.replace('127.0.0.1', 'localhost')}/config`, 400, 'localhost is a private, loopback or link-local address', strict);
      expect(platform.requests).toEqual([]);
      expect(dynamicTools(moodle)).toBe(0);
    });
  });
});

describe.each(backends)('the tool server’s registration setting on %s', (backend) => {
  // Three real tool servers; each is asked to register a loopback platform whose configuration names
  // another site as issuer, so the answer says how far the request got (host check, or issuer check)
  // without the cost of a 4096-bit platform key.
  let production: ToolServer;
  let productionAllowing: ToolServer;
  let local: ToolServer;

  beforeAll(async () => {
    production = await startTestToolServer(backend, { env: { nodeEnv: 'production' } });
    productionAllowing = await startTestToolServer(backend, { env: { nodeEnv: 'production', registrationAllowPrivateHosts: true } });
    local = await startTestToolServer(backend, { env: { nodeEnv: 'development', registrationAllowPrivateHosts: null } });
  });

  afterAll(async () => {
    await production?.close();
    await productionAllowing?.close();
    await local?.close();
  });

  async function registerAt(server: ToolServer, platform: FakePlatform): Promise<string> {
    const response = await fetch(`${server.url}/lti/register?${new URLSearchParams({ openid_configuration: `${platform.url}/config` }).toString()}`);
    expect(response.status).toBe(400);
    expect(await server.lti.platforms.list()).toEqual([]);
    return response.text();
  }

  const elsewhere = () => fakePlatform((_req, res) => sendJson(res, configurationOn('https://moodle.college.example')));

  it('in production refuses an LMS on loopback before fetching anything', async () => {
    const platform = await elsewhere();
    expect(await registerAt(production, platform)).toContain('ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS');
    expect(platform.requests).toEqual([]);
  });

  it('in production with ATTEST_REGISTRATION_ALLOW_PRIVATE_HOSTS=true fetches from an LMS on loopback', async () => {
    const platform = await elsewhere();
    expect(await registerAt(productionAllowing, platform)).toContain('is not on the site its OpenID configuration came from');
    expect(platform.requests.map((r) => r.path)).toEqual(['/config']);
  });

  it('outside production, on localhost, fetches from an LMS on loopback by default, as the demo needs', async () => {
    expect(local.url).toMatch(/^http:\/\/localhost:\d+$/);
    const platform = await elsewhere();
    expect(await registerAt(local, platform)).toContain('is not on the site its OpenID configuration came from');
    expect(platform.requests.map((r) => r.path)).toEqual(['/config']);
  });
});
