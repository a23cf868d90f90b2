import type { Database } from '../db/index.ts';
import { placedUnits } from '../db/index.ts';
import type { LaunchContext } from '../domain/ports.ts';

/**
 * Remembers the units an instructor offered to place in their course by deep linking. They count as
 * placed (learners can map evidence to them before anyone has launched them) once the LMS shows the
 * activity exists: confirm-placed-units.ts, decision 0020. Placing a unit again keeps the first
 * record. A launch without a course (no context claim) places nothing Attest can list.
 */
export async function recordPlacedUnits(db: Database, launch: Pick<LaunchContext, 'issuer' | 'clientId' | 'deploymentId' | 'contextId' | 'userId'>, unitIds: readonly string[]): Promise<void> {
  if (launch.contextId === null || unitIds.length === 0) return;
  const { issuer, clientId, deploymentId, contextId } = launch;
  await db
    .insert(placedUnits)
    .values(unitIds.map((unitId) => ({ issuer, clientId, deploymentId, contextId, unitId, placedByUserId: launch.userId })))
    .onConflictDoNothing();
}
