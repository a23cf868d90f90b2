import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startToolServer } from '../../src/index.ts';
import type { CatalogueSource, Env, StructuredLogger, ToolServer } from '../../src/index.ts';
import type { JobQueueOptions } from '../../src/jobs/index.ts';
import type { Backend } from './test-database.ts';
import { openTestDatabase } from './test-database.ts';
import { testCatalogue } from './units.ts';

export interface TestToolServerOptions {
  readonly env?: Partial<Env>;
  readonly catalogue?: CatalogueSource;
  /** Defaults poll every 0.5 s and retry after 1 s, so tests need not wait long. */
  readonly jobs?: JobQueueOptions;
  /** Where the JSON log goes (test/server/operator-view.test.ts reads it back); by default stdout at LOG_LEVEL (warn under test). */
  readonly logger?: StructuredLogger;
}

/**
 * The real tool server (startToolServer: real ltijs adapter, real jobs) on port 0 over a fresh
 * database of the given backend, with its own temp data dir and encryption key. close() stops the
 * server and drops the database.
 */
export async function startTestToolServer(backend: Backend, options: TestToolServerOptions = {}): Promise<ToolServer> {
  const connection = await openTestDatabase(backend);
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-test-data-'));
  try {
    const server = await startToolServer({
      connection,
      catalogue: options.catalogue ?? testCatalogue(),
      env: { host: '127.0.0.1', port: 0, publicUrl: null, dataDir, ltiEncryptionKey: randomBytes(32).toString('hex'), nodeEnv: 'test', ...options.env },
      jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2, ...options.jobs },
      // Quiet unless a test reads the log: then the tool's own messages go to that logger too.
      ...(options.logger ? { logger: options.logger } : { log: () => {} }),
    });
    return {
      ...server,
      async close() {
        await server.close();
        await connection.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await connection.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
