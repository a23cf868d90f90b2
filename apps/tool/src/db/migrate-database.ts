import { fileURLToPath } from 'node:url';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DatabaseConnection } from './open-database.ts';

/** The SQL files drizzle-kit generates from src/db/schema; the same files run on both backends. */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Any fixed number, shared by every tool server, so only one of them migrates at a time.
const MIGRATION_LOCK_ID = 0x61747465; // "atte"

/** Applies pending migrations. Safe to call from several tool servers starting at once. */
export async function migrateDatabase(connection: DatabaseConnection): Promise<void> {
  if (connection.pglite) {
    // PGlite is one in-process connection: nobody else can be migrating it.
    await migratePglite(drizzlePglite(connection.pglite), { migrationsFolder });
    return;
  }
  if (!connection.pool) throw new Error('migrateDatabase: connection has neither a pool nor a PGlite instance');
  // The advisory lock belongs to a session, so the migration must run on the client that holds it.
  const client = await connection.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrateNodePg(drizzleNodePg(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}
