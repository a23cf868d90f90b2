import { eq, sql } from 'drizzle-orm';
import type { EvidenceItem, EvidenceMappingTarget } from '@attest/contracts';
import { findCoveringUnit, refuseIfUnitsSigned } from '../portfolio/signed-off-guard.ts';
import type { Database } from '../db/index.ts';
import { addItemMappings, evidenceItems, loadItemMappings, removeItemMapping } from '../db/index.ts';
import { lockLearnerUnit } from '../portfolio/portfolio-locks.ts';
import type { MappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems, toDraft } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { appendRevision, conflictError, lockEvidenceItem } from './lock-evidence-item.ts';

const identity = (m: { unitId: string; target: string; ref: string }) => `${m.unitId}\u0000${m.target}\u0000${m.ref}`;

/**
 * Replaces the item's mappings. Mappings that stay keep their decision, method and feedback; new
 * ones are pending under the item's method. A stale write is kept as a conflict copy (the draft as
 * it is, with the mappings the learner asked for) and answered 409. Changing the mappings of a
 * submitted item reopens it, as changing its text does. Mappings to a signed-off unit can be neither
 * added nor removed (409, nothing kept); an item a signed-off unit rests on can still be mapped to
 * other units, and stays submitted, so what the signature covers does not change.
 */
export async function updateEvidenceMappings(
  db: Database,
  scope: LearnerScope,
  itemId: string,
  request: { baseVersion: number; mappings: readonly EvidenceMappingTarget[] },
  checkTargets: MappingTargetCheck,
): Promise<EvidenceItem> {
  const outcome = await db.transaction(async (tx) => {
    const row = await lockEvidenceItem(tx, scope, itemId);
    // Checked after the lock, so an unknown item is 404 whatever the body says.
    const targets = await checkTargets(request.mappings);
    const existing = await loadItemMappings(tx, itemId);
    const wanted = new Set(targets.map(identity));
    const had = new Set(existing.map(identity));
    const removed = existing.filter((m) => !wanted.has(identity(m)));
    const added = targets.filter((t) => !had.has(identity(t)));
    const touchedUnits = [...new Set([...removed, ...added].map((m) => m.unitId))].sort();
    // The sign-off holds this lock while it reads the unit's items, so a mapping cannot slip in beside it.
    for (const unitId of touchedUnits) await lockLearnerUnit(tx, scope, unitId);
    await refuseIfUnitsSigned(tx, scope, touchedUnits);
    if (row.version !== request.baseVersion) {
      const conflictCopyId = await appendRevision(tx, {
        itemId,
        version: request.baseVersion,
        kind: 'conflict-copy',
        draft: toDraft(row),
        savedBy: scope.learnerUserId,
        mappings: targets.map((t) => ({ ...t, decision: 'pending' })),
      });
      return { conflictCopyId };
    }
    if (removed.length === 0 && added.length === 0) return { conflictCopyId: null };

    const before = existing.map(({ unitId, target, ref, decision }) => ({ unitId, target, ref, decision }));
    for (const m of removed) await removeItemMapping(tx, itemId, m);
    await addItemMappings(tx, itemId, added, row.method);
    const isCovered = (await findCoveringUnit(tx, scope, itemId)) !== null;
    const isReopening = row.state === 'submitted' && !isCovered;
    const version = row.version + 1;
    await tx
      .update(evidenceItems)
      .set(isCovered ? { version, updatedAt: sql`now()` } : { version, state: 'draft', submittedAt: null, updatedAt: sql`now()` })
      .where(eq(evidenceItems.id, itemId));
    // Only a reopening is a new entry in the history the learner reads; every mapping change is
    // still a new version, so a tab holding the old mappings cannot save over the new ones.
    if (isReopening) await appendRevision(tx, { itemId, version, kind: 'reopened', draft: toDraft(row), savedBy: scope.learnerUserId, mappings: before });
    const subject = { type: 'evidence', id: itemId, label: row.title } as const;
    if (isReopening) await auditEvidence(tx, scope, 'evidence.reopened', subject, { draft: toDraft(row), version });
    await auditEvidence(tx, scope, 'evidence.mappings-changed', subject, { mappings: targets.map(({ unitId, target, ref }) => ({ unitId, target, ref })), version });
    return { conflictCopyId: null };
  });
  const [item] = await loadEvidenceItems(db, scope, [itemId]);
  if (!item) throw new Error('updateEvidenceMappings: the item vanished');
  if (outcome.conflictCopyId !== null) throw conflictError(item, outcome.conflictCopyId);
  return item;
}
