// One server under test for the launch-storm bench (launch-storm.bench.ts forks it, one process per
// app, so the server's CPU is its own and not shared with the emulator and the simulated browsers):
//
//   attest  Attest as it starts in production (startToolServer, NODE_ENV production: no response
//           schema checks; a JSON log line per request at LOG_LEVEL info unless LOG_LEVEL=warn),
//           on the bench's PostgreSQL database. The parent discards its standard output.
//   ltijs   A bare ltijs 5.9.9 app, as its README sets one up, on the same database through the same
//           storage plugin (LtijsStore): login, launch, a redirect to /app/ with the ltik, and
//           `GET /api/session` answered from ltijs's own ltik check. The same round trips as Attest.
//
// It reads its settings from the environment (STORM_* below), registers the emulated platform and
// sends `{ ready: url }` to the parent; asked `stats`, it answers the SQL statements its pg clients
// have sent so far and its memory use after a full GC.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import pg from 'pg';
import { LtijsStore, openDatabase } from '../../src/db/index.ts';
import { startToolServer } from '../../src/index.ts';
import { createLtijsProvider } from '../../src/lti/ltijs-types.ts';

export interface StormPlatform {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly name: string;
  readonly authenticationEndpoint: string;
  readonly accessTokenEndpoint: string;
  readonly jwksUrl: string;
}

export interface StormStats {
  readonly statements: number;
  /** CPU time this process has used so far (user and system), in milliseconds. */
  readonly cpuMs: number;
  readonly rss: number;
  readonly heapUsed: number;
}

export type StormMessage = { ready: string } | { stats: StormStats };

// Every statement either app sends goes through pg.Client#query (drizzle's and ltijs's storage
// plugin's alike); pg-boss's polling in Attest's process is counted too, a few a second.
let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const app = required('STORM_APP');
const port = Number(required('STORM_PORT'));
const databaseUrl = required('STORM_DATABASE_URL');
const platform = JSON.parse(required('STORM_PLATFORM')) as StormPlatform;
const publicUrl = `http://127.0.0.1:${port}`;
const send = (message: StormMessage) => process.send?.(message);

async function startAttest(): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-storm-'));
  const tool = await startToolServer({
    env: { host: '127.0.0.1', port, publicUrl, dataDir, databaseUrl, ltiEncryptionKey: required('LTI_ENCRYPTION_KEY'), nodeEnv: 'production', logLevel: process.env['LOG_LEVEL'] === 'warn' ? 'warn' : 'info', reconcileEveryMinutes: null },
  });
  await tool.lti.platforms.register({ ...platform, deploymentIds: [platform.deploymentId] });
  return async () => {
    await tool.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

async function startBareLtijs(): Promise<() => Promise<void>> {
  const connection = await openDatabase({ backend: 'postgres', url: databaseUrl });
  const provider = createLtijsProvider();
  provider.setup(randomBytes(32).toString('hex'), { plugin: new LtijsStore(connection.db) }, {
    appRoute: '/lti/launch',
    loginRoute: '/lti/login',
    keysetRoute: '/lti/keys',
    dynRegRoute: '/lti/register',
    // ltijs's own defaults for the rest.
    cors: true,
    tokenMaxAge: 10,
    cookies: { secure: true, sameSite: 'None' },
    devMode: false,
    // As Attest: the ltik alone authenticates API calls, no platform session cookie.
    ltiaas: true,
  });
  await provider.deploy({ serverless: true, silent: true });
  provider.onConnect((_token: unknown, _req: Request, res: Response) => res.redirect(303, `/app/?ltik=${encodeURIComponent(res.locals.ltik as string)}`));
  const express = provider.app;
  if (!express) throw new Error('ltijs did not create its app');
  (express as unknown as { get(path: string, handler: (req: Request, res: Response) => void): void }).get('/api/session', (_req, res) => {
    const token = res.locals.token as { user: string; userInfo?: { name?: string }; platformContext?: { context?: { id?: string; title?: string }; roles?: string[] } };
    res.json({ user: { id: token.user, name: token.userInfo?.name ?? null, roles: token.platformContext?.roles ?? [] }, context: token.platformContext?.context ?? null });
  });
  await provider.registerPlatform({
    url: platform.issuer,
    name: platform.name,
    clientId: platform.clientId,
    authenticationEndpoint: platform.authenticationEndpoint,
    accesstokenEndpoint: platform.accessTokenEndpoint,
    authConfig: { method: 'JWK_SET', key: platform.jwksUrl },
  });
  const server = createServer(express as unknown as Parameters<typeof createServer>[1]);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await provider.close({ silent: true });
    await connection.close();
  };
}

const stop = app === 'attest' ? await startAttest() : app === 'ltijs' ? await startBareLtijs() : null;
if (!stop) throw new Error(`STORM_APP must be attest or ltijs, got ${app}`);
process.on('message', (message) => {
  if (message === 'stats') {
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({ stats: { statements, cpuMs: (cpu.user + cpu.system) / 1000, rss: usage.rss, heapUsed: usage.heapUsed } });
  } else if (message === 'stop') {
    void stop().finally(() => process.exit(0));
  }
});
send({ ready: publicUrl });
