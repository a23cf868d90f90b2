import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { withDatabase } from './global-setup.ts';

export const backends = ['postgres', 'pglite'] as const;
export type Backend = (typeof backends)[number];

let pgliteTemplate: Blob | null = null;

/** A new, migrated, empty database on the given backend; `close()` releases (and drops) it. */
export async function openTestDatabase(backend: Backend): Promise<DatabaseConnection> {
  if (backend === 'pglite') {
    pgliteTemplate ??= new Blob([readFileSync(inject('attestPgliteTemplate'))]);
    return openDatabase({ backend: 'pglite', loadDataDir: pgliteTemplate });
  }
  const adminUrl = inject('attestPostgresAdminUrl');
  const template = inject('attestPostgresTemplate');
  const name = `${template}_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}" template "${template}"`);
  const connection = await openDatabase({ backend: 'postgres', url: withDatabase(adminUrl, name), maxConnections: 5 });
  return {
    ...connection,
    async close() {
      await connection.close();
      await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  // Two files cloning the template at the same instant can collide ("source database is being
  // accessed by other users"); a short retry is all it takes.
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.query(text);
      return;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
