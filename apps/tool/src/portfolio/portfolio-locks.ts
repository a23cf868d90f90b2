import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { evidenceItems, evidenceMappings } from '../db/index.ts';
import type { Transaction } from '../db/index.ts';
import { isUuid } from './learner-scope.ts';
import type { LearnerScope } from './learner-scope.ts';
import { inScope } from './load-evidence-items.ts';
import type { EvidenceItemRow } from './load-evidence-items.ts';

// The locks learner and assessor writes take on the same portfolio, in one place so both sides
// take them in the same order: the learner's items (by id), then the learner's unit. Each holds
// until the transaction ends.

/**
 * One of the learner's items, locked, so concurrent writes of it queue up and each sees the version
 * the previous one left; null for another learner's or tenant's id, or one that is not a UUID.
 */
export async function lockLearnerItem(tx: Transaction, scope: LearnerScope, itemId: string): Promise<EvidenceItemRow | null> {
  if (!isUuid(itemId)) return null;
  const [row] = await tx.select().from(evidenceItems).where(and(inScope(scope), eq(evidenceItems.id, itemId))).for('update');
  return row ?? null;
}

/**
 * Locks the learner's items mapped to the unit, in id order, before the unit's own lock (the order
 * every learner write takes them in too): a learner's edit either lands before the sign-off reads
 * the items or waits and then finds the unit signed.
 */
export async function lockUnitItems(tx: Transaction, scope: LearnerScope, unitId: string): Promise<void> {
  const mapped = tx.select({ itemId: evidenceMappings.itemId }).from(evidenceMappings).where(eq(evidenceMappings.unitId, unitId));
  await tx
    .select({ id: evidenceItems.id })
    .from(evidenceItems)
    .where(and(inScope(scope), inArray(evidenceItems.id, mapped)))
    .orderBy(asc(evidenceItems.id))
    .for('update');
}

/**
 * Serialises every signature of one learner's unit, so two assessors signing at once, or a
 * countersignature racing a sign-off, see each other's rows instead of both writing one; the
 * learner's mapping changes to the unit take it too, so none slips in beside a sign-off.
 */
export async function lockLearnerUnit(tx: Transaction, scope: LearnerScope, unitId: string): Promise<void> {
  const key = JSON.stringify(['unit-signatures', scope.issuer, scope.clientId, scope.deploymentId, scope.contextId, scope.learnerUserId, unitId]);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
