// Vitest global setup: runs once per `vitest run`, before any test file. It prepares the two
// migrated templates every test file clones (see ./index.ts) and tears them down at the end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase } from '../../src/db/index.ts';
import { startPostgresCluster } from './postgres-cluster.ts';
import type { PostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server. */
    attestPostgresAdminUrl: string;
    /** Name of the migrated template database each test database is created from. */
    attestPostgresTemplate: string;
    /** Path of a PGlite `dumpDataDir()` tarball with the migrations applied. */
    attestPgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const givenUrl = process.env['TEST_DATABASE_URL'];
  let cluster: PostgresCluster | null = null;
  const adminUrl = givenUrl || (cluster = await startPostgresCluster()).adminUrl;

  const template = `attest_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`create database "${template}"`);
  } catch (error) {
    await cluster?.stop();
    throw new Error(`Cannot prepare the PostgreSQL test template at ${adminUrl}: ${(error as Error).message}. Check TEST_DATABASE_URL (it needs CREATE DATABASE rights).`, { cause: error });
  } finally {
    await admin.end().catch(() => {});
  }
  const templateConnection = await openDatabase({ backend: 'postgres', url: withDatabase(adminUrl, template), maxConnections: 1 });
  await migrateDatabase(templateConnection);
  await templateConnection.close();

  const pgliteDir = mkdtempSync(join(tmpdir(), 'attest-test-pglite-'));
  const pgliteTemplate = join(pgliteDir, 'template.tar');
  const pglite = await openDatabase({ backend: 'pglite' });
  await migrateDatabase(pglite);
  const dump = await pglite.pglite!.dumpDataDir('none');
  writeFileSync(pgliteTemplate, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();

  project.provide('attestPostgresAdminUrl', adminUrl);
  project.provide('attestPostgresTemplate', template);
  project.provide('attestPgliteTemplate', pgliteTemplate);
  console.log(`[attest test harness] PostgreSQL ${cluster ? 'throwaway cluster' : 'from TEST_DATABASE_URL'} + PGlite templates ready in ${Date.now() - started} ms`);

  return async () => {
    rmSync(pgliteDir, { recursive: true, force: true });
    if (cluster) {
      await cluster.stop();
      return;
    }
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    try {
      const { rows } = await cleanup.query<{ datname: string }>(`select datname from pg_database where datname = $1 or datname like $2`, [template, `${template}_%`]);
      for (const { datname } of rows) await cleanup.query(`drop database if exists "${datname}" with (force)`);
    } finally {
      await cleanup.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
