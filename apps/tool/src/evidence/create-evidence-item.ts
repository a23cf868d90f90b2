import { methodOfEvidenceType } from '@attest/contracts';
import type { EvidenceDraft, EvidenceItem } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { evidenceItems } from '../db/index.ts';
import { DEFAULT_EVIDENCE_QUOTA, findStorageUsage, itemCapReached, lockLearnerQuota } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { appendRevision } from './lock-evidence-item.ts';

/** A new draft in the learner's portfolio, version 1, with its first revision; refused (422) at the learner's item cap. */
export async function createEvidenceItem(db: Database, scope: LearnerScope, draft: EvidenceDraft, quota: EvidenceQuota = DEFAULT_EVIDENCE_QUOTA): Promise<EvidenceItem> {
  const id = await db.transaction(async (tx) => {
    await lockLearnerQuota(tx, scope);
    const usage = await findStorageUsage(tx, scope, quota);
    if (usage.itemsLeft <= 0) throw itemCapReached(usage);
    const [row] = await tx
      .insert(evidenceItems)
      .values({
        issuer: scope.issuer,
        clientId: scope.clientId,
        deploymentId: scope.deploymentId,
        contextId: scope.contextId,
        learnerUserId: scope.learnerUserId,
        authorUserId: scope.learnerUserId,
        authorRole: 'candidate',
        ...draft,
        method: methodOfEvidenceType(draft.evidenceType),
      })
      .returning({ id: evidenceItems.id });
    if (!row) throw new Error('createEvidenceItem: insert returned no row');
    await appendRevision(tx, { itemId: row.id, version: 1, kind: 'saved', draft, savedBy: scope.learnerUserId, mappings: [] });
    await auditEvidence(tx, scope, 'evidence.created', { type: 'evidence', id: row.id, label: draft.title }, { draft, version: 1 });
    return row.id;
  });
  const [item] = await loadEvidenceItems(db, scope, [id]);
  if (!item) throw new Error('createEvidenceItem: the new item cannot be read back');
  return item;
}
