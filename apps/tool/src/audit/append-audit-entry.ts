import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { AuditActionSchema } from '@attest/contracts';
import type { AuditAction, AuditActorType } from '@attest/contracts';
import { digestOf } from '../db/digest-of.ts';
import { auditEntries } from '../db/index.ts';
import type { Transaction } from '../db/index.ts';
import { GENESIS_HASH, auditEntryHash } from './audit-entry-hash.ts';
import type { AuditEntryRow } from './audit-entry-hash.ts';

/** A transaction, never the pool: the entry must commit or roll back with the change it records. */
export type AuditTransaction = Transaction;

export interface AuditActor {
  readonly type: AuditActorType;
  readonly userId?: string | null;
  /** The role the act was done in: 'learner', 'assessor', 'administrator', or what the system did it as. */
  readonly role?: string | null;
  readonly name?: string | null;
}

export interface NewAuditEntry {
  /** The chain is the registration's (issuer + client id); the deployment is recorded when the act has one. */
  readonly tenant: { readonly issuer: string; readonly clientId: string; readonly deploymentId?: string | null };
  readonly contextId?: string | null;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly subject: { readonly type: string; readonly id: string; readonly label?: string | null; readonly learnerUserId?: string | null; readonly unitId?: string | null };
  /** The content as the act left it; only its digest is stored. */
  readonly content: unknown;
}

/**
 * Takes the tenant's chain lock until the transaction ends (taking it again is free). Appending
 * takes it too; a transaction that will append and must also take another advisory lock after the
 * append takes this one first, so two transactions never hold the two in opposite orders.
 */
export async function lockAuditChain(tx: AuditTransaction, tenant: { readonly issuer: string; readonly clientId: string }): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify(['audit', tenant.issuer, tenant.clientId])}, 0))`);
}

/**
 * Appends one entry to the tenant's chain, inside the caller's transaction. A transaction-scoped
 * advisory lock on the tenant makes appends of one tenant queue up, so each reads the entry the
 * previous one wrote and the chain never forks; other tenants' appends do not wait.
 */
export async function appendAuditEntry(tx: AuditTransaction, entry: NewAuditEntry): Promise<AuditEntryRow> {
  const [row] = await appendAuditEntries(tx, entry.tenant, [entry]);
  if (!row) throw new Error('appendAuditEntry: insert returned no row');
  return row;
}

/**
 * Appends entries of one tenant in order, under one lock, one read of the chain's head and one
 * insert: a course resync appends two per grade, 80,000 for a college-sized course (bench:resync).
 */
export async function appendAuditEntries(tx: AuditTransaction, tenant: { readonly issuer: string; readonly clientId: string }, entries: readonly NewAuditEntry[]): Promise<AuditEntryRow[]> {
  if (entries.length === 0) return [];
  const { issuer, clientId } = tenant;
  if (entries.some((entry) => entry.tenant.issuer !== issuer || entry.tenant.clientId !== clientId)) throw new Error('appendAuditEntries: every entry must be of the one tenant whose chain is appended to');
  await lockAuditChain(tx, tenant);
  const [last] = await tx
    .select({ sequence: auditEntries.sequence, entryHash: auditEntries.entryHash })
    .from(auditEntries)
    .where(and(eq(auditEntries.issuer, issuer), eq(auditEntries.clientId, clientId)))
    .orderBy(desc(auditEntries.sequence))
    .limit(1);
  // Read after the lock, so times follow the sequence within a tenant (on one server's clock).
  const recordedAt = new Date();
  let sequence = last?.sequence ?? 0;
  let previousHash = last?.entryHash ?? GENESIS_HASH;
  const values = entries.map((entry) => {
    sequence += 1;
    const fields = {
      id: randomUUID(),
      issuer,
      clientId,
      sequence,
      deploymentId: entry.tenant.deploymentId ?? null,
      contextId: entry.contextId ?? null,
      actorType: entry.actor.type,
      actorUserId: entry.actor.userId ?? null,
      actorRole: entry.actor.role ?? null,
      actorName: entry.actor.name ?? null,
      action: AuditActionSchema.parse(entry.action),
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      subjectLabel: entry.subject.label ?? null,
      learnerUserId: entry.subject.learnerUserId ?? null,
      unitId: entry.subject.unitId ?? null,
      contentDigest: digestOf(entry.content),
      recordedAt,
      previousHash,
    };
    const entryHash = auditEntryHash(fields);
    previousHash = entryHash;
    return { ...fields, entryHash };
  });
  const rows = await tx.insert(auditEntries).values(values).returning();
  if (rows.length !== values.length) throw new Error('appendAuditEntries: the insert returned fewer rows than it was given');
  return rows.sort((a, b) => a.sequence - b.sequence);
}
