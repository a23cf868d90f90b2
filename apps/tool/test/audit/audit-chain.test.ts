import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '@attest/contracts';
import { appendAuditEntries, appendAuditEntry, verifyAuditChains } from '../../src/audit/index.ts';
import { runAuditCli } from '../../src/cli/audit.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { backends, openTestDatabase } from '../support/index.ts';

/** A tenant of its own per test, so tests share a database without sharing a chain. */
function aTenant() {
  return { issuer: `https://lms-${randomUUID().slice(0, 8)}.example`, clientId: `client-${randomUUID().slice(0, 8)}`, deploymentId: 'deployment-1' };
}

async function append(connection: DatabaseConnection, tenant: ReturnType<typeof aTenant>, n: number, action: AuditAction = 'evidence.saved') {
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      await connection.db.transaction((tx) =>
        appendAuditEntry(tx, {
          tenant,
          contextId: 'course-1',
          actor: { type: 'user', userId: 'learner-1', role: 'learner' },
          action,
          subject: { type: 'evidence', id: randomUUID(), label: `Item ${i + 1}`, learnerUserId: 'learner-1' },
          content: { title: `Item ${i + 1}`, n: i },
        }),
      ),
    );
  }
  return rows;
}

async function reportOf(connection: DatabaseConnection, tenant: { issuer: string; clientId: string }) {
  const reports = await verifyAuditChains(connection.db);
  const report = reports.find((r) => r.issuer === tenant.issuer && r.clientId === tenant.clientId);
  if (!report) throw new Error('no report for the tenant');
  return report;
}

async function cli(connection: DatabaseConnection) {
  const lines: string[] = [];
  const code = await runAuditCli(['verify'], { db: connection.db, out: (line) => lines.push(line) });
  return { code, text: lines.join('\n') };
}

/** Changes the table as an attacker with the owner's rights would: the append-only trigger switched off meanwhile. */
async function withTriggersOff(connection: DatabaseConnection, sql: string, values: unknown[]) {
  await connection.executeSql('alter table audit_entries disable trigger audit_entries_append_only');
  try {
    await connection.executeSql(sql, values);
  } finally {
    await connection.executeSql('alter table audit_entries enable trigger audit_entries_append_only');
  }
}

describe.each(backends)('the audit chain on %s', (backend) => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('numbers a tenant’s entries 1, 2, 3 and links each to the hash of the one before', async () => {
    const tenant = aTenant();
    const rows = await append(connection, tenant, 3);
    expect(rows.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(rows[0]?.previousHash).toBe('0'.repeat(64));
    expect(rows[1]?.previousHash).toBe(rows[0]?.entryHash);
    expect(rows[2]?.previousHash).toBe(rows[1]?.entryHash);
    expect(await reportOf(connection, tenant)).toMatchObject({ entries: 3, broken: null, headHash: rows[2]?.entryHash });
  });

  it('keeps a chain per tenant: another registration starts at 1', async () => {
    const [first] = await append(connection, aTenant(), 1);
    expect(first?.sequence).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries in the database itself', async () => {
    const [row] = await append(connection, aTenant(), 1);
    await expect(connection.executeSql(`update audit_entries set action = 'evidence.created' where id = $1`, [row?.id])).rejects.toThrow(/append-only/);
    await expect(connection.executeSql(`delete from audit_entries where id = $1`, [row?.id])).rejects.toThrow(/append-only/);
    await expect(connection.executeSql(`truncate audit_entries`)).rejects.toThrow(/append-only/);
    const { rows } = await connection.executeSql(`select action from audit_entries where id = $1`, [row?.id]);
    expect(rows).toEqual([{ action: 'evidence.saved' }]);
  });

  it('says an intact database is intact, per tenant and in total, and exits 0', async () => {
    const own = await openTestDatabase(backend);
    try {
      const [a, b] = [aTenant(), aTenant()];
      await append(own, a, 3);
      await append(own, b, 2);
      const { code, text } = await cli(own);
      expect(code).toBe(0);
      expect(text).toContain(`${a.issuer} client ${a.clientId}: 3 entries, chain intact`);
      expect(text).toContain(`${b.issuer} client ${b.clientId}: 2 entries, chain intact`);
      expect(text).toMatch(/^Total: 5 entries in 2 tenants, chain intact$/m);
    } finally {
      await own.close();
    }
  });

  it('names an entry whose content was changed behind the trigger’s back, and exits 1', async () => {
    const tenant = aTenant();
    const rows = await append(connection, tenant, 4);
    const target = rows[2]!;
    await withTriggersOff(connection, `update audit_entries set actor_user_id = 'someone-else' where id = $1`, [target.id]);
    expect((await reportOf(connection, tenant)).broken).toMatchObject({ sequence: 3, id: target.id, check: 'entry_hash' });
    const { code, text } = await cli(connection);
    expect(code).toBe(1);
    expect(text).toContain(`${tenant.issuer} client ${tenant.clientId}: BROKEN at entry 3 (id ${target.id}), entry_hash check failed`);
    expect(text).toMatch(/^Total: [1-9]\d* of \d+ tenants have a broken chain$/m);
  });

  it('names the entry after a changed one that was re-hashed to hide the change', async () => {
    const tenant = aTenant();
    const rows = await append(connection, tenant, 3);
    await withTriggersOff(connection, `update audit_entries set entry_hash = $2 where id = $1`, [rows[0]!.id, 'f'.repeat(64)]);
    // Entry 1 now fails its own hash; had the forger also made that fit, entry 2's link would still name the old hash.
    expect((await reportOf(connection, tenant)).broken).toMatchObject({ sequence: 1, check: 'entry_hash' });
  });

  it('names the entry after a deleted one', async () => {
    const tenant = aTenant();
    const rows = await append(connection, tenant, 4);
    await withTriggersOff(connection, `delete from audit_entries where id = $1`, [rows[1]!.id]);
    const report = await reportOf(connection, tenant);
    expect(report.broken).toMatchObject({ sequence: 3, id: rows[2]!.id, check: 'sequence', detail: 'entry 2 is missing' });
    expect(report.entries).toBe(1);
    expect((await cli(connection)).text).toContain(`BROKEN at entry 3 (id ${rows[2]!.id}), sequence check failed: entry 2 is missing`);
  });

  it('names an entry renumbered into a deleted one’s place by its broken link', async () => {
    const tenant = aTenant();
    const rows = await append(connection, tenant, 3);
    await withTriggersOff(connection, `delete from audit_entries where id = $1`, [rows[1]!.id]);
    await withTriggersOff(connection, `update audit_entries set sequence = 2 where id = $1`, [rows[2]!.id]);
    expect((await reportOf(connection, tenant)).broken).toMatchObject({ sequence: 2, id: rows[2]!.id, check: 'previous_hash' });
  });

  it('keeps one unbroken chain when many writes of one tenant append at once', async () => {
    const tenant = aTenant();
    await Promise.all(Array.from({ length: 40 }, () => append(connection, tenant, 1)));
    const report = await reportOf(connection, tenant);
    expect(report).toMatchObject({ entries: 40, broken: null });
    const { rows } = await connection.executeSql(`select count(distinct previous_hash)::int as links from audit_entries where issuer = $1 and client_id = $2`, [tenant.issuer, tenant.clientId]);
    expect(rows[0]).toEqual({ links: 40 });
  });

  it('appends a batch in its order onto the chain, interleaved with single appends, and verifies', async () => {
    const tenant = aTenant();
    await append(connection, tenant, 1);
    const batch = await connection.db.transaction((tx) =>
      appendAuditEntries(
        tx,
        tenant,
        Array.from({ length: 3 }, (_, n) => ({ tenant, contextId: 'course-1', actor: { type: 'system' as const, role: 'score-worker' }, action: 'score.sent' as const, subject: { type: 'score', id: randomUUID() }, content: { n } })),
      ),
    );
    const [after] = await append(connection, tenant, 1);
    expect(batch.map((r) => r.sequence)).toEqual([2, 3, 4]);
    expect(batch[1]?.previousHash).toBe(batch[0]?.entryHash);
    expect(after).toMatchObject({ sequence: 5, previousHash: batch[2]?.entryHash });
    expect(await reportOf(connection, tenant)).toMatchObject({ entries: 5, broken: null });
  });

  it('refuses a batch that mixes tenants, appending none of it', async () => {
    const [tenant, other] = [aTenant(), aTenant()];
    const entry = (of: typeof tenant) => ({ tenant: of, actor: { type: 'cli' as const }, action: 'platform.activated' as const, subject: { type: 'platform', id: 'p' }, content: {} });
    await expect(connection.db.transaction((tx) => appendAuditEntries(tx, tenant, [entry(tenant), entry(other)]))).rejects.toThrow(/one tenant/);
    const { rows } = await connection.executeSql(`select count(*)::int as n from audit_entries where issuer = any($1::text[])`, [[tenant.issuer, other.issuer]]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('rolls an entry back with the transaction of the change it records, leaving no gap', async () => {
    const tenant = aTenant();
    await expect(
      connection.db.transaction(async (tx) => {
        await appendAuditEntry(tx, { tenant, actor: { type: 'cli' }, action: 'platform.activated', subject: { type: 'platform', id: 'p' }, content: { isActive: true } });
        throw new Error('the change failed after its entry was appended');
      }),
    ).rejects.toThrow(/the change failed/);
    const [next] = await append(connection, tenant, 1);
    expect(next).toMatchObject({ sequence: 1, previousHash: '0'.repeat(64) });
  });

  it('refuses an action outside the closed vocabulary', async () => {
    await expect(append(connection, aTenant(), 1, 'evidence.burned' as AuditAction)).rejects.toThrow();
  });
});
