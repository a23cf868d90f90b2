import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformRegistrations, recordLaunch } from '../../src/db/index.ts';
import { DEV_KEY_FILE } from '../../src/dev-encryption-key.ts';
import { EXIT_UNAVAILABLE, StartupError, startToolServer } from '../../src/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer, testCatalogue } from '../support/index.ts';
import { aLaunch } from '../support/test-lti-adapter.ts';

describe.each(backends)('the tool server on %s', (backend) => {
  let server: ToolServer;
  beforeAll(async () => {
    server = await startTestToolServer(backend);
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on the port it was given (0 → a free one) and reports it in its public URL', async () => {
    expect(server.url).toBe(`http://localhost:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(response.status).toBe(200);
  });

  it('guards the API with the LTI adapter: no launch token, no session', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/session`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('refuses a forged bearer token', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/catalogue`, { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoieCJ9.c2lnbmF0dXJl' } });
    expect(response.status).toBe(401);
  });

  it('mounts the LTI routes, publishing the tool keys', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/lti/keys`);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('keys');
  });

  it('answers 400 invalid_request to malformed JSON on the LTI routes too, without a stack trace', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/lti/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id_token":' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_request' } });
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'attest-restart-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = () => startToolServer({ catalogue: testCatalogue(), env: { databaseUrl: null, dataDir, pgliteDataDir: join(dataDir, 'pglite'), ltiEncryptionKey: null, port: 0, publicUrl: null }, log: () => {} });

  it('is created on first start and keeps its data and development key across a restart', async () => {
    const first = await start();
    let key: string;
    try {
      await recordLaunch(first.db, aLaunch({ issuer: 'https://restart.example' }));
      key = readFileSync(join(dataDir, DEV_KEY_FILE), 'utf8');
      expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await first.close();
    }
    const second = await start();
    try {
      const [row] = await second.db.select({ n: count() }).from(platformRegistrations);
      expect(row?.n).toBe(1);
      expect(readFileSync(join(dataDir, DEV_KEY_FILE), 'utf8')).toBe(key);
    } finally {
      await second.close();
    }
    // Two real PGlite initialisations (initdb from nothing, then a reopen): slow on a busy machine.
  }, 120_000);
});

describe('start-up failures', () => {
  it('refuses to open an embedded database another running server holds', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'attest-held-'));
    const env = { databaseUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), port: 0, publicUrl: null };
    const first = await startToolServer({ catalogue: testCatalogue(), env, log: () => {} });
    try {
      const error = await startToolServer({ catalogue: testCatalogue(), env, log: () => {} }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StartupError);
      expect((error as StartupError).exitCode).toBe(EXIT_UNAVAILABLE);
      expect((error as StartupError).message).toContain(`The embedded database in ${join(dataDir, 'pglite')} is in use by this process`);
      expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    } finally {
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('says which PostgreSQL server it could not reach, with an exit code for main', async () => {
    const attempt = startToolServer({
      catalogue: testCatalogue(),
      env: { databaseUrl: 'postgres://attest:hunter2@127.0.0.1:1/attest', port: 0, ltiEncryptionKey: randomBytes(32).toString('hex') },
      log: () => {},
    });
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(EXIT_UNAVAILABLE);
    expect((error as StartupError).message).toMatch(/Cannot connect to PostgreSQL at postgres:\/\/attest:\*\*\*@127\.0\.0\.1:1\/attest/);
    expect((error as StartupError).message).not.toContain('hunter2');
  });
});
