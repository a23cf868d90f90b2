import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { backends, openTestDatabase, testCatalogue } from '../support/index.ts';
import { createTestLtiAdapter } from '../support/test-lti-adapter.ts';

describe.each(backends)('/healthz on %s', (backend) => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('answers 503 once the database stops answering', async () => {
    const connection = await openTestDatabase(backend);
    const app = createApp({ lti: createTestLtiAdapter(), db: connection.db, catalogue: testCatalogue(), jobs: { enqueueScorePassback: async () => {}, enqueueScorePassbacks: async () => {} }, webDistDir: mkdtempSync(join(tmpdir(), 'attest-no-ui-')), log: () => {} });
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
    expect((await fetch(url)).status).toBe(200);
    await connection.close();
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database' });
  });
});
