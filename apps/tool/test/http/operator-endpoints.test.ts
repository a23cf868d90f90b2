import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { AppDeps } from '../../src/app.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { startJobQueue } from '../../src/jobs/index.ts';
import { createLogger } from '../../src/logging/create-logger.ts';
import { createToolMetrics } from '../../src/metrics/create-tool-metrics.ts';
import { backends, openTestDatabase, testCatalogue } from '../support/index.ts';
import { createTestLtiAdapter } from '../support/test-lti-adapter.ts';

// The configuration side of the operator's endpoints, on createApp alone: /metrics is not there
// without ATTEST_METRICS_TOKEN, a proxy's request id is taken only from a proxy TRUST_PROXY names,
// and /readyz says which of the database and the queue stopped answering. The scrape with counters
// moving is test/server/operator-view.test.ts.

const servers: ReturnType<typeof createServer>[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

async function listen(app: ReturnType<typeof createApp>): Promise<string> {
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function appOn(connection: DatabaseConnection, deps: Partial<AppDeps> = {}) {
  return createApp({ lti: createTestLtiAdapter(), db: connection.db, catalogue: testCatalogue(), jobs: { enqueueScorePassback: async () => {}, enqueueScorePassbacks: async () => {} }, webDistDir: mkdtempSync(join(tmpdir(), 'attest-no-ui-')), log: () => {}, ...deps });
}

describe.each(backends)('operator endpoints on %s', (backend) => {
  it('has no /metrics without ATTEST_METRICS_TOKEN, even with metrics collected', async () => {
    const connection = await openTestDatabase(backend);
    try {
      const url = await listen(appOn(connection, { metrics: createToolMetrics(), metricsToken: null }));
      const response = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer anything-at-all-anything-at-all-1234' } });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('attest_');
    } finally {
      await connection.close();
    }
  });

  it('takes a well-formed X-Request-Id only from a proxy TRUST_PROXY names, and logs under the id it answered', async () => {
    const connection = await openTestDatabase(backend);
    try {
      const lines: Record<string, unknown>[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter((l) => l !== '')) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      const logger = createLogger({ level: 'info', destination });
      const trusting = await listen(appOn(connection, { logger, trustProxy: ['loopback'] }));
      const untrusting = await listen(appOn(connection, { logger }));

      const fromProxy = await fetch(`${trusting}/healthz`, { headers: { 'x-request-id': 'proxy-7f3a9c01' } });
      expect(fromProxy.headers.get('x-request-id')).toBe('proxy-7f3a9c01');
      expect(lines.find((line) => line.requestId === 'proxy-7f3a9c01')).toMatchObject({ route: '/healthz', res: { statusCode: 200 } });

      // Too short, or with characters that could break a log line or a header: our own id instead.
      for (const forged of ['abc', 'proxy id with spaces', 'x'.repeat(129)]) {
        const response = await fetch(`${trusting}/healthz`, { headers: { 'x-request-id': forged } });
        expect(response.headers.get('x-request-id')).not.toBe(forged);
      }
      const direct = await fetch(`${untrusting}/healthz`, { headers: { 'x-request-id': 'proxy-7f3a9c01' } });
      const ownId = direct.headers.get('x-request-id');
      expect(ownId).not.toBe('proxy-7f3a9c01');
      expect(lines.filter((line) => line.requestId === ownId)).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  it('answers /readyz 503 naming the database once it stops answering', async () => {
    const connection = await openTestDatabase(backend);
    const queue = await startJobQueue(connection, { pollingIntervalSeconds: 0.5, onError: () => {} });
    const url = await listen(appOn(connection, { jobs: queue }));
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    } finally {
      await queue.stop();
    }
    await connection.close();
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'unavailable', checks: { database: 'unavailable', queue: 'unavailable' } });
  });
});
