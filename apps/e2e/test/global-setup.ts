// Once per run: the PostgreSQL server the browser suites create their databases on.
import type { TestProject } from 'vitest/node';
import { env } from '../src/env.ts';
import { startPostgresServer } from '../src/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    attestE2ePostgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer(env.testDatabaseUrl);
  project.provide('attestE2ePostgresAdminUrl', server.adminUrl);
  return () => server.stop();
}
