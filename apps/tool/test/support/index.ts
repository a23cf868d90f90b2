// Test harness for apps/tool (used by test/** including the LTI adapter's tests in test/lti/).
//
// Every suite runs on BOTH backends, each test file on its own fresh, migrated database:
//
//   import { backends, openTestDatabase } from '../support/index.ts';
//   describe.each(backends)('on %s', (backend) => {
//     let connection: DatabaseConnection;
//     beforeAll(async () => { connection = await openTestDatabase(backend); });
//     afterAll(async () => { await connection.close(); });   // also drops the PostgreSQL database
//     it('…', async () => { await connection.db.select()… });
//   });
//
//   backends                      ['postgres', 'pglite']
//   openTestDatabase(backend)     → DatabaseConnection (src/db): a new database cloned from a migrated
//                                   template: `create database … template …` on PostgreSQL (~100 ms),
//                                   a PGlite instance loaded from a migrated dump (~0.5 s, in memory)
//   startTestToolServer(backend, overrides?) → the real tool server (startToolServer) on port 0 over
//                                   a fresh database, with an in-memory PGlite or cloned PostgreSQL db
//
// Where PostgreSQL comes from (global-setup.ts, once per run): TEST_DATABASE_URL if set (CI sets
// it; it needs CREATE DATABASE rights), otherwise a throwaway cluster started from
// /usr/lib/postgresql/<v>/bin as the `postgres` user in a temp dir on a free port. If neither works
// the run fails with a message saying how to fix it; nothing is ever skipped.
// Run: npx pnpm@10.34.9 --filter @attest/tool exec vitest run [file]
export { backends, openTestDatabase } from './test-database.ts';
export type { Backend } from './test-database.ts';
