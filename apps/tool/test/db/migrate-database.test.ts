import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/index.ts';
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

  it('creates every table the tool stores data in', async () => {
    const { rows } = await connection.executeSql(`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
    expect(rows.map((r) => r['table_name'])).toEqual(['launches', 'lti_contexts', 'lti_users', 'ltijs_documents', 'platform_registrations', 'score_passbacks']);
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
