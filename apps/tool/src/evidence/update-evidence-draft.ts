import { eq, sql } from 'drizzle-orm';
import { methodOfEvidenceType } from '@attest/contracts';
import type { EvidenceDraft, EvidenceItem } from '@attest/contracts';
import { refuseIfItemCovered } from '../portfolio/signed-off-guard.ts';
import type { Database } from '../db/index.ts';
import { evidenceItems, followItemMethod, loadItemMappings, withdrawMappingDecisions } from '../db/index.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems, toDraft } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { appendRevision, conflictError, lockEvidenceItem, sameDraft } from './lock-evidence-item.ts';

/**
 * Saves the learner's draft if it was based on the current version. A stale save changes nothing
 * but is kept as a conflict copy in the history, then answered 409 with the server's copy. Editing
 * a submitted item takes it back out of assessment (state draft, a `reopened` revision): never a
 * silent change to something an assessor may be reading. An item a signed-off unit rests on is
 * frozen: any change to it, a stale one included, is refused (409) and nothing is kept.
 */
export async function updateEvidenceDraft(db: Database, scope: LearnerScope, itemId: string, request: { baseVersion: number; draft: EvidenceDraft }): Promise<EvidenceItem> {
  const outcome = await db.transaction(async (tx) => {
    const row = await lockEvidenceItem(tx, scope, itemId);
    if (row.version !== request.baseVersion || !sameDraft(toDraft(row), request.draft)) await refuseIfItemCovered(tx, scope, itemId);
    if (row.version !== request.baseVersion) {
      const conflictCopyId = await appendRevision(tx, { itemId, version: request.baseVersion, kind: 'conflict-copy', draft: request.draft, savedBy: scope.learnerUserId });
      return { conflictCopyId };
    }
    // Autosave repeats itself; an unchanged draft is not a new version (and does not reopen).
    if (!sameDraft(toDraft(row), request.draft)) {
      const isReopening = row.state === 'submitted';
      const version = row.version + 1;
      const method = methodOfEvidenceType(request.draft.evidenceType);
      // The revision keeps the mappings as they stood, decisions included: reopening sends the
      // assessor's decisions back to pending, since they judged content that is now changing.
      const before = (await loadItemMappings(tx, itemId)).map(({ unitId, target, ref, decision }) => ({ unitId, target, ref, decision }));
      if (isReopening) await withdrawMappingDecisions(tx, itemId);
      // Mappings nobody has decided follow the item's method (a photo turned witness statement is WT).
      await followItemMethod(tx, itemId, method);
      await tx
        .update(evidenceItems)
        .set({ ...request.draft, method, version, state: 'draft', submittedAt: null, updatedAt: sql`now()` })
        .where(eq(evidenceItems.id, itemId));
      await appendRevision(tx, { itemId, version, kind: isReopening ? 'reopened' : 'saved', draft: request.draft, savedBy: scope.learnerUserId, mappings: before });
      await auditEvidence(tx, scope, isReopening ? 'evidence.reopened' : 'evidence.saved', { type: 'evidence', id: itemId, label: request.draft.title }, { draft: request.draft, version });
    }
    return { conflictCopyId: null };
  });
  const [item] = await loadEvidenceItems(db, scope, [itemId]);
  if (!item) throw new Error('updateEvidenceDraft: the item vanished');
  if (outcome.conflictCopyId !== null) throw conflictError(item, outcome.conflictCopyId);
  return item;
}
