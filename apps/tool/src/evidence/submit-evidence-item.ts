import { eq, sql } from 'drizzle-orm';
import type { EvidenceItem } from '@attest/contracts';
import { refuseIfItemCovered } from '../portfolio/signed-off-guard.ts';
import type { Database } from '../db/index.ts';
import { evidenceItems } from '../db/index.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems, toDraft } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { appendRevision, conflictError, lockEvidenceItem } from './lock-evidence-item.ts';

/**
 * Submits the version the learner read (and declared their own work) for assessment. Submitting
 * a version already submitted changes nothing; a stale version is a conflict with nothing to keep.
 */
export async function submitEvidenceItem(db: Database, scope: LearnerScope, itemId: string, request: { baseVersion: number }): Promise<EvidenceItem> {
  const isStale = await db.transaction(async (tx) => {
    const row = await lockEvidenceItem(tx, scope, itemId);
    if (row.version !== request.baseVersion) return true;
    if (row.state === 'submitted') return false;
    await refuseIfItemCovered(tx, scope, itemId);
    const version = row.version + 1;
    await tx.update(evidenceItems).set({ version, state: 'submitted', submittedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(evidenceItems.id, itemId));
    await appendRevision(tx, { itemId, version, kind: 'submitted', draft: toDraft(row), savedBy: scope.learnerUserId });
    await auditEvidence(tx, scope, 'evidence.submitted', { type: 'evidence', id: itemId, label: row.title }, { draft: toDraft(row), version });
    return false;
  });
  const [item] = await loadEvidenceItems(db, scope, [itemId]);
  if (!item) throw new Error('submitEvidenceItem: the item vanished');
  if (isStale) throw conflictError(item, null);
  return item;
}
