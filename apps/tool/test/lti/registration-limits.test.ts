import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LtijsStore, ltijsDocuments, platformRegistrations } from '../../src/db/index.ts';
import { createLtiAdapter } from '../../src/lti/create-lti-adapter.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { startLtiTestServer, TEST_ENCRYPTION_KEY } from './lti-test-server.ts';
import type { LtiTestServer, LtiTestServerOptions } from './lti-test-server.ts';

// /lti/register is open to anyone who can reach the tool, and each registration costs a key pair
// and leaves a row. Three limits keep that from being used against the tool: a budget of requests
// per client address (429), a cap on dynamically registered platforms that wait, never activated,
// for an administrator (503), and the deletion of those nobody activates in time.

const DAY_MS = 24 * 60 * 60_000;
const fakes: Server[] = [];

/** A server that answers every request with `handle`, and records the requests it got. */
async function fakePlatform(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handle(req, res));
  });
  fakes.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

afterEach(async () => {
  for (const server of fakes.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

let moodle: PlatformEmulator;

beforeAll(async () => {
  moodle = await startPlatformEmulator({ mode: 'moodle' });
});

afterAll(async () => {
  await moodle?.close();
});

const dynamicTools = () => moodle.listTools().filter((tool) => tool.registeredBy === 'dynamic').length;

describe.each(backends)('registration limits on %s', (backend) => {
  const servers: LtiTestServer[] = [];
  const logged: { message: string; details: Record<string, unknown> | undefined }[] = [];

  async function startTool(options: LtiTestServerOptions): Promise<LtiTestServer> {
    const server = await startLtiTestServer(backend, { log: (message, details) => logged.push({ message, details }), ...options });
    servers.push(server);
    return server;
  }

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function stored(tool: LtiTestServer): Promise<{ registrations: number; ltijsPlatforms: number; keys: number }> {
    const [registrations] = await tool.connection.db.select({ n: count() }).from(platformRegistrations);
    const [platforms] = await tool.connection.db.select({ n: count() }).from(ltijsDocuments).where(eq(ltijsDocuments.collection, 'platform'));
    const [keys] = await tool.connection.db.select({ n: count() }).from(ltijsDocuments).where(eq(ltijsDocuments.collection, 'privatekey'));
    return { registrations: registrations?.n ?? 0, ltijsPlatforms: platforms?.n ?? 0, keys: keys?.n ?? 0 };
  }

  const openRegister = (tool: LtiTestServer, openidConfiguration: string) =>
    fetch(`${tool.url}/lti/register?${new URLSearchParams({ openid_configuration: openidConfiguration, registration_token: 'token-1' }).toString()}`, { headers: { accept: 'text/html' } });

  /** A platform row as Dynamic Registration leaves it, without the ltijs documents (the cap counts rows). */
  async function insertRegistration(tool: LtiTestServer, row: { clientId: string; registeredVia: 'manual' | 'dynamic'; activatedAt?: Date | null; isActive?: boolean; ageDays?: number }): Promise<void> {
    await tool.connection.db.insert(platformRegistrations).values({
      issuer: 'https://moodle.college.example',
      clientId: row.clientId,
      name: `moodle ${row.clientId}`,
      isActive: row.isActive ?? false,
      registeredVia: row.registeredVia,
      activatedAt: row.activatedAt ?? null,
      createdAt: sql`now() - make_interval(secs => ${((row.ageDays ?? 0) * DAY_MS) / 1000})`,
    });
  }

  describe('the rate limit per client address', () => {
    let tool: LtiTestServer;

    beforeAll(async () => {
      tool = await startTool({ registrationRateLimit: { limit: 3, windowMs: 60 * 60_000 } });
    });

    it('answers the fourth request of three allowed with 429 and a page saying so, fetching and storing nothing', async () => {
      const failing = await fakePlatform((_req, res) => res.writeHead(500).end());
      for (let i = 1; i <= 3; i++) {
        const response = await openRegister(tool, `${failing.url}/config`);
        await response.text();
        expect(response.status, `request ${i}`).toBe(502);
      }
      expect(failing.requests).toHaveLength(3);
      const before = await stored(tool);
      const toolsBefore = dynamicTools();
      const start = moodle.startDynamicRegistration(`${tool.url}/lti/register`);
      const response = await fetch(start.toolRegistrationUrl, { headers: { accept: 'text/html' } });
      const page = await response.text();
      expect(response.status, page).toBe(429);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('ratelimit-policy')).toContain('q=3');
      expect(page).toContain('<h1>Too many registration attempts</h1>');
      expect(page).toMatch(/Try again in \d+ minutes/);
      expect(page).toContain('Nothing was registered.');
      expect(await stored(tool)).toEqual(before);
      expect(dynamicTools()).toBe(toolsBefore);
      expect(failing.requests).toHaveLength(3);
      expect(logged.some((entry) => entry.message === 'dynamic registration refused: rate limit')).toBe(true);
    });
  });

  describe('the cap on registrations never activated', () => {
    let tool: LtiTestServer;

    beforeAll(async () => {
      tool = await startTool({ registrationMaxInactive: 2 });
    });

    it('refuses a registration with 503 when the cap is reached, fetching and storing nothing, and counts only dynamic ones never activated', async () => {
      await insertRegistration(tool, { clientId: 'waiting-1', registeredVia: 'dynamic' });
      await insertRegistration(tool, { clientId: 'waiting-2', registeredVia: 'dynamic' });
      // Not counted: an administrator's inactive platform, and a dynamic one activated once and since switched off.
      await insertRegistration(tool, { clientId: 'manual-off', registeredVia: 'manual' });
      await insertRegistration(tool, { clientId: 'was-active', registeredVia: 'dynamic', activatedAt: new Date(), isActive: false });
      expect(await tool.adapter.platforms.countNeverActivated()).toBe(2);
      const before = await stored(tool);
      const platform = await fakePlatform((_req, res) => res.writeHead(500).end());
      const response = await openRegister(tool, `${platform.url}/config`);
      const page = await response.text();
      expect(response.status, page).toBe(503);
      expect(page).toContain('Too many registrations are waiting for an Attest administrator to activate them. Nothing was registered.');
      expect(platform.requests).toEqual([]);
      expect(await stored(tool)).toEqual(before);
    });

    it('registers again, inactive, once one below the cap', async () => {
      await tool.connection.db.delete(platformRegistrations).where(eq(platformRegistrations.clientId, 'waiting-2'));
      const known = new Set(moodle.listTools().map((t) => t.clientId));
      const start = moodle.startDynamicRegistration(`${tool.url}/lti/register`);
      const response = await fetch(start.toolRegistrationUrl, { headers: { accept: 'text/html' } });
      const page = await response.text();
      expect(response.status, page).toBe(200);
      const [registered] = moodle.listTools().filter((t) => t.registeredBy === 'dynamic' && !known.has(t.clientId));
      expect(await tool.adapter.platforms.get(moodle.issuer, registered!.clientId)).toMatchObject({ isActive: false, deploymentIds: [registered!.deploymentId] });
      expect(await tool.adapter.platforms.countNeverActivated()).toBe(2);
      // Activating it takes it out of the count for good, even if it is switched off again.
      await tool.adapter.platforms.setActive(moodle.issuer, registered!.clientId, true);
      await tool.adapter.platforms.setActive(moodle.issuer, registered!.clientId, false);
      expect(await tool.adapter.platforms.countNeverActivated()).toBe(1);
      await tool.adapter.platforms.remove(moodle.issuer, registered!.clientId);
    });
  });

  describe('pruning registrations nobody activated', () => {
    let tool: LtiTestServer;

    beforeAll(async () => {
      tool = await startTool({ registrationInactiveMs: 7 * DAY_MS });
    });

    it('deletes a dynamic registration never activated for longer than the limit, with its ltijs platform and keys, and logs it; keeps recent, activated and manual ones', async () => {
      // A real registration (ltijs's platform document and key pair too), then made eight days old.
      await tool.adapter.platforms.register({
        issuer: 'https://stale.college.example',
        clientId: 'stale',
        name: 'moodle at stale.college.example',
        authenticationEndpoint: 'https://stale.college.example/auth',
        accessTokenEndpoint: 'https://stale.college.example/token',
        jwksUrl: 'https://stale.college.example/certs',
        deploymentIds: ['1'],
        isActive: false,
        registeredVia: 'dynamic',
      });
      await tool.connection.db.update(platformRegistrations).set({ createdAt: sql`now() - interval '8 days'` }).where(eq(platformRegistrations.clientId, 'stale'));
      await insertRegistration(tool, { clientId: 'recent', registeredVia: 'dynamic', ageDays: 6.9 });
      await insertRegistration(tool, { clientId: 'activated-long-ago', registeredVia: 'dynamic', ageDays: 30, activatedAt: new Date(Date.now() - 29 * DAY_MS), isActive: false });
      await insertRegistration(tool, { clientId: 'manual-old', registeredVia: 'manual', ageDays: 30 });
      expect(await stored(tool)).toEqual({ registrations: 4, ltijsPlatforms: 1, keys: 1 });

      // Any registration attempt prunes first (as the hourly sweep and start-up do).
      const failing = await fakePlatform((_req, res) => res.writeHead(500).end());
      expect((await openRegister(tool, `${failing.url}/config`)).status).toBe(502);

      const kept = await tool.connection.db.select({ clientId: platformRegistrations.clientId }).from(platformRegistrations).orderBy(platformRegistrations.clientId);
      expect(kept.map((row) => row.clientId)).toEqual(['activated-long-ago', 'manual-old', 'recent']);
      expect(await stored(tool)).toEqual({ registrations: 3, ltijsPlatforms: 0, keys: 0 });
      const lines = logged.filter((entry) => entry.message === 'pruned a dynamically registered platform never activated');
      expect(lines).toEqual([{ message: 'pruned a dynamically registered platform never activated', details: expect.objectContaining({ issuer: 'https://stale.college.example', clientId: 'stale', name: 'moodle at stale.college.example' }) }]);
    });

    it('prunes when the adapter starts, too', async () => {
      await insertRegistration(tool, { clientId: 'stale-at-start', registeredVia: 'dynamic', ageDays: 8 });
      const second = await createLtiAdapter(
        { publicUrl: tool.url, encryptionKey: TEST_ENCRYPTION_KEY, uiPath: '/app/', registrationInactiveMs: 7 * DAY_MS, log: (message, details) => logged.push({ message, details }) },
        { store: new LtijsStore(tool.connection.db), db: tool.connection.db },
      );
      try {
        const rows = await tool.connection.db.select().from(platformRegistrations).where(eq(platformRegistrations.clientId, 'stale-at-start'));
        expect(rows).toEqual([]);
        expect(logged.filter((entry) => entry.details?.clientId === 'stale-at-start')).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });
});

describe.each(backends)('the client address the rate limit counts, on %s', (backend) => {
  // Requests without an openid_configuration are refused at once (400) and still count: cheap probes.
  let direct: ToolServer;
  let behindProxy: ToolServer;

  beforeAll(async () => {
    direct = await startTestToolServer(backend, { env: { registrationRateLimit: 1 } });
    behindProxy = await startTestToolServer(backend, { env: { registrationRateLimit: 1, trustProxy: ['loopback'] } });
  });

  afterAll(async () => {
    await direct?.close();
    await behindProxy?.close();
  });

  const probe = async (tool: ToolServer, forwardedFor: string) => {
    const response = await fetch(`${tool.url}/lti/register`, { headers: { accept: 'text/html', 'x-forwarded-for': forwardedFor } });
    await response.text();
    return response.status;
  };

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy, so a client cannot pick a fresh address per request', async () => {
    expect(await probe(direct, '192.0.2.1')).toBe(400);
    expect(await probe(direct, '192.0.2.2')).toBe(429);
  });

  it('behind a trusted proxy, counts each client address the proxy reports', async () => {
    expect(await probe(behindProxy, '192.0.2.1')).toBe(400);
    expect(await probe(behindProxy, '192.0.2.2')).toBe(400);
    expect(await probe(behindProxy, '192.0.2.1')).toBe(429);
  });
});
