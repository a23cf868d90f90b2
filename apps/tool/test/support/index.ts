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
//                                   template: `create database … template …` on PostgreSQL (~0.4 s),
//                                   a PGlite instance loaded from a migrated dump (~0.5–0.8 s, in memory)
//   startTestToolServer(backend, { env?, catalogue?, jobs? }) → ToolServer { url, db, lti, jobs, close }:
//                                   the real server (real ltijs adapter, real jobs) on 127.0.0.1, port 0,
//                                   over a fresh database; url is http://localhost:<port>
//   aUnit(overrides) / testCatalogue(units?)    small valid units and a catalogue over them
//   startScoreEndpoint() / httpScoreSender      a real loopback AGS score endpoint and a sender for it
//   registerWithTool(lms, toolUrl, platforms)   the tool registered in an emulator and the emulator in the tool, by hand
//   (test-lti-adapter.ts: an in-process adapter for API authorisation tests only; not for LTI tests)
//
// Where PostgreSQL comes from (global-setup.ts, once per run): TEST_DATABASE_URL if set (CI sets
// it; it needs CREATE DATABASE rights), otherwise a throwaway cluster started from
// /usr/lib/postgresql/<v>/bin as the `postgres` user in a temp dir on a free port. If neither works
// the run fails with a message saying how to fix it; nothing is ever skipped.
// Run: npx pnpm@10.34.9 --filter @attest/tool exec vitest run [file]
export { backends, openTestDatabase } from './test-database.ts';
export type { Backend } from './test-database.ts';
export { startTestToolServer } from './test-tool-server.ts';
export type { TestToolServerOptions } from './test-tool-server.ts';
export { aUnit, testCatalogue } from './units.ts';
export { startScoreEndpoint, httpScoreSender } from './score-endpoint.ts';
export type { ScoreEndpoint, ReceivedScore } from './score-endpoint.ts';
export { registerWithTool } from './register-with-tool.ts';
