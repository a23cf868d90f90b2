import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/index.ts';
import * as schema from '../../src/db/schema/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { backends, openTestDatabase } from '../support/index.ts';

describe.each(backends)('migrations on %s', (backend) => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('creates exactly the tables the Drizzle schema declares, no fewer and no strays', async () => {
    // The schema is the source of truth; a table declared without a migration (or left behind by
    // one) shows up here as a difference.
    const declared = Object.values(schema).filter((value) => is(value, PgTable)).map((table) => getTableName(table)).sort();
    const { rows } = await connection.executeSql(`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
    expect(declared).toContain('evidence_items');
    expect(rows.map((r) => r['table_name'])).toEqual(declared);
  });

  it('records each applied migration once and applies nothing twice when run again', async () => {
    const before = await connection.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await migrateDatabase(connection);
    const after = await connection.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const count = (result: unknown) => (result as { rows: { n: number }[] }).rows[0]?.n;
    expect(count(before)).toBeGreaterThan(0);
    expect(count(after)).toBe(count(before));
  });
});
