import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LtijsStore } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { createLtiAdapter, LtiStorageError } from '../../src/lti/create-lti-adapter.ts';
import { openTestDatabase } from '../support/index.ts';
import { TEST_ENCRYPTION_KEY } from './lti-test-server.ts';

// The adapter's own life cycle: what it does to the process (nothing) and how it fails.

describe('createLtiAdapter', () => {
  let connection: DatabaseConnection;
  const config = { publicUrl: 'http://localhost:3999', encryptionKey: TEST_ENCRYPTION_KEY, uiPath: '/app/' };

  beforeAll(async () => {
    connection = await openTestDatabase('pglite');
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('raises a clear error, instead of exiting the process, when the storage cannot be set up', async () => {
    const store = new LtijsStore(connection.db);
    const broken = Object.assign(Object.create(store) as LtijsStore, { setup: async () => { throw new Error('disk on fire'); } });
    const exitsBefore = process.exitCode;
    await expect(createLtiAdapter(config, { store: broken, db: connection.db })).rejects.toSatisfy(
      (error) => error instanceof LtiStorageError && /could not be set up: disk on fire/.test(error.message),
    );
    expect(process.exitCode).toBe(exitsBefore);
  });

  it('refuses a store that is not an ltijs storage plugin', async () => {
    await expect(createLtiAdapter(config, { store: {}, db: connection.db })).rejects.toThrow(/not an ltijs storage plugin/);
  });

  it('leaves no SIGINT handler behind, so shutting down stays the host’s decision', async () => {
    const before = process.listenerCount('SIGINT');
    const adapter = await createLtiAdapter(config, { store: new LtijsStore(connection.db), db: connection.db });
    expect(process.listenerCount('SIGINT')).toBe(before);
    await adapter.close();
  });

  it('gives each adapter its own ltijs provider, so two can run in one process', async () => {
    const first = await createLtiAdapter(config, { store: new LtijsStore(connection.db), db: connection.db });
    const second = await createLtiAdapter({ ...config, publicUrl: 'http://localhost:3998' }, { store: new LtijsStore(connection.db), db: connection.db });
    try {
      expect(first.router).not.toBe(second.router);
      expect(await first.platforms.list()).toEqual(await second.platforms.list());
    } finally {
      await first.close();
      await second.close();
    }
  });
});
