import { and, asc, eq, gt } from 'drizzle-orm';
import { auditEntries } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import { GENESIS_HASH, auditEntryHash } from './audit-entry-hash.ts';

export type ChainCheck = 'sequence' | 'previous_hash' | 'entry_hash';

export interface BrokenEntry {
  readonly sequence: number;
  readonly id: string;
  /** The first check the entry failed, in the order they run. */
  readonly check: ChainCheck;
  readonly detail: string;
}

export interface TenantChainReport {
  readonly issuer: string;
  readonly clientId: string;
  readonly entries: number;
  /** The last entry's hash: kept outside the database, it also shows if entries were cut off the end. */
  readonly headHash: string;
  readonly broken: BrokenEntry | null;
}

const PAGE = 1000;

/**
 * Walks one tenant's chain in sequence order. Each entry must have the next number (a gap is a
 * deleted entry), name the previous entry's hash, and hash to what it says once recomputed from
 * its own fields. Stops at the first entry that fails.
 */
export async function verifyTenantChain(db: Executor, issuer: string, clientId: string): Promise<TenantChainReport> {
  let expectedSequence = 1;
  let previousHash = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.issuer, issuer), eq(auditEntries.clientId, clientId), gt(auditEntries.sequence, expectedSequence - 1)))
      .orderBy(asc(auditEntries.sequence))
      .limit(PAGE);
    for (const entry of page) {
      const broken = (check: ChainCheck, detail: string) => ({ issuer, clientId, entries, headHash: previousHash, broken: { sequence: entry.sequence, id: entry.id, check, detail } });
      if (entry.sequence !== expectedSequence) {
        return broken('sequence', expectedSequence === entry.sequence - 1 ? `entry ${expectedSequence} is missing` : `entries ${expectedSequence} to ${entry.sequence - 1} are missing`);
      }
      if (entry.previousHash !== previousHash) return broken('previous_hash', `it names ${entry.previousHash} as the previous entry's hash, but that entry's hash is ${previousHash}`);
      const recomputed = auditEntryHash(entry);
      if (recomputed !== entry.entryHash) return broken('entry_hash', `its fields hash to ${recomputed}, not the stored ${entry.entryHash}: the entry was changed after it was written`);
      previousHash = entry.entryHash;
      expectedSequence++;
      entries++;
    }
    if (page.length < PAGE) return { issuer, clientId, entries, headHash: previousHash, broken: null };
  }
}

/** Every tenant's chain, in issuer and client id order. */
export async function verifyAuditChains(db: Executor): Promise<TenantChainReport[]> {
  const tenants = await db
    .selectDistinct({ issuer: auditEntries.issuer, clientId: auditEntries.clientId })
    .from(auditEntries)
    .orderBy(asc(auditEntries.issuer), asc(auditEntries.clientId));
  const reports: TenantChainReport[] = [];
  for (const tenant of tenants) reports.push(await verifyTenantChain(db, tenant.issuer, tenant.clientId));
  return reports;
}
