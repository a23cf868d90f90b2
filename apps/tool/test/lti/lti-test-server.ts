import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { LtijsStore } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { createLtiAdapter } from '../../src/lti/create-lti-adapter.ts';
import type { LtiAdapter, LtiAdapterConfig } from '../../src/lti/create-lti-adapter.ts';
import { toSession } from '../../src/http/to-session.ts';
import { toLaunchView } from '../../src/lti/to-launch-context.ts';
import { openTestDatabase } from '../support/index.ts';
import type { Backend } from '../support/index.ts';

// The adapter on real HTTP, as small as the tool server will mount it: the LTI router at '/',
// /api/session and /api/deep-linking behind `authenticate`, and the one error shape. The full tool server has more
// routes; these tests are about the adapter, so they stand up only what it needs.

export interface LtiTestServer {
  /** http://localhost:<port>: a different site from the emulator on 127.0.0.1. */
  readonly url: string;
  readonly adapter: LtiAdapter;
  readonly connection: DatabaseConnection;
  close(): Promise<void>;
}

export const TEST_ENCRYPTION_KEY = 'test-encryption-key-0123456789abcdef';

/** Adapter settings a test may change; the rest is what the tool server uses. */
export type LtiTestServerOptions = Pick<LtiAdapterConfig, 'allowPrivateRegistrationHosts' | 'registrationFetchLimits' | 'registrationRateLimit' | 'registrationMaxInactive' | 'registrationInactiveMs' | 'log' | 'launchTokenLifetimeSeconds' | 'now'>;

/** Suites that register many times from 127.0.0.1 are not about the rate limit; the ones that are set their own. */
const UNLIMITED_REGISTRATIONS = { limit: 10_000, windowMs: 60 * 60_000 };

export async function startLtiTestServer(backend: Backend, options: LtiTestServerOptions = {}): Promise<LtiTestServer> {
  const connection = await openTestDatabase(backend);
  const app = express();
  let adapter: LtiAdapter | null = null;
  app.use((req, res, next) => (adapter ? adapter.router(req, res, next) : next()));
  app.get('/api/session', (req, res, next) => adapter!.authenticate(req, res, next), (_req, res) => {
    const launch = res.locals.launch as LaunchContext;
    // `session` is what the tool's own /api/session answers, for tests of what the UI is told.
    res.json({ view: toLaunchView(launch), launch, session: toSession(launch, false) });
  });
  app.post('/api/deep-linking', express.json(), (req, res, next) => adapter!.authenticate(req, res, next), async (req, res, next) => {
    try {
      const items = (req.body as { items: { unitId: string; title: string }[] }).items;
      res.json(await adapter!.createDeepLinkingResponse(res.locals.launch as LaunchContext, items));
    } catch (error) {
      next(error);
    }
  });
  app.get('/app/', (_req, res) => {
    res.type('html').send('<!doctype html><title>Attest</title>');
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const appError = error instanceof AppError ? error : new AppError('internal', 'Something went wrong.');
    res.status(appError.status).json({ error: { code: appError.code, message: appError.userMessage } });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  adapter = await createLtiAdapter({ publicUrl: url, encryptionKey: TEST_ENCRYPTION_KEY, uiPath: '/app/', registrationRateLimit: UNLIMITED_REGISTRATIONS, ...options }, { store: new LtijsStore(connection.db), db: connection.db });
  return {
    url,
    adapter,
    connection,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter?.close();
      await connection.close();
    },
  };
}
