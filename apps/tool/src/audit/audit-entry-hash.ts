import { digestOf } from '../db/digest-of.ts';
import type { auditEntries } from '../db/index.ts';

export type AuditEntryRow = typeof auditEntries.$inferSelect;

/** What a tenant's first entry names as its previous hash. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The entry's hash: SHA-256 of the canonical JSON of every stored field but the hash itself,
 * previous hash included, so changing any field, or any earlier entry, changes it.
 */
export function auditEntryHash(entry: Omit<AuditEntryRow, 'entryHash'>): string {
  return digestOf({
    id: entry.id,
    tenant: { issuer: entry.issuer, clientId: entry.clientId },
    sequence: entry.sequence,
    deploymentId: entry.deploymentId,
    contextId: entry.contextId,
    actor: { type: entry.actorType, userId: entry.actorUserId, role: entry.actorRole, name: entry.actorName },
    action: entry.action,
    subject: { type: entry.subjectType, id: entry.subjectId, label: entry.subjectLabel, learnerUserId: entry.learnerUserId, unitId: entry.unitId },
    contentDigest: entry.contentDigest,
    recordedAt: entry.recordedAt.toISOString(),
    previousHash: entry.previousHash,
  });
}
