import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes, FILE_DOWNLOAD, NO_BODY } from '@attest/contracts';
import type { ApiRoute } from '@attest/contracts';
import { createApp } from '../../src/app.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { errorMiddleware } from '../../src/http/error-middleware.ts';
import { anyLaunch, registerRoute } from '../../src/http/register-route.ts';
import type { RouteOptions } from '../../src/http/register-route.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { aLaunch, createTestLtiAdapter } from '../support/test-lti-adapter.ts';
import { testCatalogue } from '../support/units.ts';

// The route table is the wire: the app must serve every route of it, and no /api route that is
// not in it (a route added by hand, outside the table, would answer a shape no schema describes).
// The app's Express router stack is walked, so the check does not depend on what a route answers.

interface StackLayer {
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly StackLayer[] };
}

/** Every `METHOD /path` an Express router (and the routers mounted in it) registers, with its mount paths. */
function registeredRoutes(stack: readonly StackLayer[], prefix = ''): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, isOn] of Object.entries(layer.route.methods)) if (isOn && method !== '_all') found.push(`${method.toUpperCase()} ${prefix}${String(layer.route.path)}`);
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      found.push(...registeredRoutes(layer.handle.stack, `${prefix}${mount}`));
    }
  }
  return found;
}

const tableRoutes = () => Object.values(apiRoutes as Record<string, ApiRoute>).map((route) => `${route.method} ${route.path}`).sort();

describe.each(backends)('the route table and the app on %s', (backend) => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('registers every route of the table, and no /api route outside it', () => {
    const app = createApp({ lti: createTestLtiAdapter(), db: connection.db, catalogue: testCatalogue(), jobs: { enqueueScorePassback: async () => {}, enqueueScorePassbacks: async () => {} }, webDistDir: mkdtempSync(join(tmpdir(), 'attest-no-ui-')), log: () => {} });
    const registered = registeredRoutes((app as unknown as { router: { stack: StackLayer[] } }).router.stack);
    const api = registered.filter((route) => / \/api(\/|$)/.test(route)).sort();
    expect(api).toHaveLength(Object.keys(apiRoutes).length);
    expect(api).toEqual(tableRoutes());
  });
});

describe('registerRoute', () => {
  const launch: LaunchContext = aLaunch();
  const logged: string[] = [];
  let baseUrl = '';
  let close: () => Promise<void> = async () => {};

  // A route of the table's shape, served by a router of its own, so each step can be seen alone.
  const echo = { method: 'POST', path: '/api/things/:thingId', params: z.strictObject({ thingId: z.string().regex(/^t-\d+$/) }), request: z.strictObject({ name: z.string().min(1) }), response: z.object({ id: z.string(), name: z.string() }), status: 201, errors: {} } as const satisfies ApiRoute;
  const download = { method: 'GET', path: '/api/files/:fileId', params: z.strictObject({ fileId: z.string() }), request: NO_BODY, response: FILE_DOWNLOAD, status: 200, errors: {} } as const satisfies ApiRoute;

  function serve(options: RouteOptions, handlers: { echo: (input: { thingId: string; name: string }) => unknown; refuse?: boolean }) {
    const api = express.Router();
    api.use((_req, res, next) => {
      res.locals['launch'] = launch;
      next();
    });
    const authorise = (l: LaunchContext) => {
      if (handlers.refuse) throw new AppError('forbidden', 'Not for you.');
      return l;
    };
    registerRoute(api, echo, authorise, async ({ params, body }) => handlers.echo({ thingId: params.thingId, name: body.name }) as { id: string; name: string }, options);
    registerRoute(api, download, anyLaunch, async ({ params, res }) => {
      if (params.fileId === 'silent') return;
      res.type('text/plain').send(`file ${params.fileId}`);
    }, options);
    const app = express();
    app.use('/api', api);
    app.use(errorMiddleware((message, details) => logged.push(`${message} ${JSON.stringify(details)}`)));
    return app;
  }

  async function start(app: express.Express) {
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  }
  const post = (path: string, body: unknown) => fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  afterAll(async () => {
    await close();
  });

  it('answers with the table’s status and the handler’s reply, the path and body parsed with the table’s schemas', async () => {
    await start(serve({ checkResponses: true }, { echo: ({ thingId, name }) => ({ id: thingId, name }) }));
    const response = await post('/api/things/t-1', { name: 'Ada' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 't-1', name: 'Ada' });
    await close();
  });

  it('answers 400 naming the parameter or the field that fails its schema, before the handler runs', async () => {
    let calls = 0;
    await start(serve({}, { echo: ({ thingId, name }) => { calls += 1; return { id: thingId, name }; } }));
    const badParam = await post('/api/things/x-1', { name: 'Ada' });
    expect(badParam.status).toBe(400);
    expect(await badParam.json()).toEqual({ error: { code: 'invalid_request', message: 'The address is not in the expected format.', details: [{ path: 'url.thingId', code: 'invalid_format' }] } });
    const badBody = await post('/api/things/t-1', { name: '', extra: 1 });
    expect(badBody.status).toBe(400);
    expect(((await badBody.json()) as { error: { details: unknown } }).error.details).toEqual([{ path: 'name', code: 'too_small' }, { path: '', code: 'unrecognized_keys' }]);
    expect(calls).toBe(0);
    await close();
  });

  it('authorises before it reads the body: a caller who may not use the route gets 403, not the body’s findings', async () => {
    await start(serve({}, { echo: () => ({}), refuse: true }));
    const response = await post('/api/things/t-1', { wrong: true });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    await close();
  });

  it('with checkResponses, answers 500 and logs the failing paths when a reply drifts from its schema; without, sends it', async () => {
    const drifting = { echo: ({ thingId }: { thingId: string }) => ({ id: thingId, title: 'not the contract' }) };
    await start(serve({ checkResponses: true }, drifting));
    const checked = await post('/api/things/t-2', { name: 'Ada' });
    expect(checked.status).toBe(500);
    expect(logged.join('\n')).toContain('POST /api/things/:thingId answered outside its contract: name: invalid_type');
    await close();
    await start(serve({ checkResponses: false }, drifting));
    expect((await post('/api/things/t-2', { name: 'Ada' })).status).toBe(201);
    await close();
  });

  it('leaves a download to its handler, and answers 500 when the handler sent nothing', async () => {
    await start(serve({ checkResponses: true }, { echo: () => ({}) }));
    const file = await fetch(`${baseUrl}/api/files/a%20b`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('file a b');
    expect((await fetch(`${baseUrl}/api/files/silent`)).status).toBe(500);
    await close();
  });

  it('refuses to register a route outside /api', () => {
    expect(() => registerRoute(express.Router(), { ...download, path: '/lti/files/:fileId' } as unknown as ApiRoute, anyLaunch, async () => undefined as never)).toThrow(/not under \/api/);
  });
});
