import { and, eq, sql } from 'drizzle-orm';
import type { EvidenceItem } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import { isFileInAnySignature, refuseIfItemCovered } from '../portfolio/signed-off-guard.ts';
import type { Database } from '../db/index.ts';
import { evidenceFiles, evidenceItems } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { getEvidenceFile } from '../portfolio/find-evidence-file.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadEvidenceItems } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { lockEvidenceItem } from './lock-evidence-item.ts';

/**
 * Removes a file the learner added to a draft. The row goes first, in a transaction; the bytes
 * after it commits, so a failure in between leaves an unreferenced file, never a row without bytes.
 * A file of an item a signed-off unit rests on cannot be removed at all (409); the bytes of a file
 * any signature ever named (a withdrawn one too) stay in the store, so the signed digest can
 * always be checked against them.
 */
export async function deleteEvidenceFile(db: Database, store: FileStore, scope: LearnerScope, itemId: string, fileId: string): Promise<EvidenceItem> {
  const file = await getEvidenceFile(db, scope, itemId, fileId);
  await db.transaction(async (tx) => {
    const item = await lockEvidenceItem(tx, scope, itemId);
    await refuseIfItemCovered(tx, scope, itemId);
    if (item.state === 'submitted') throw new AppError('rule_violation', 'This evidence has been submitted for assessment. Reopen it by editing it before changing its files.');
    await tx.delete(evidenceFiles).where(and(eq(evidenceFiles.id, fileId), eq(evidenceFiles.itemId, itemId)));
    await tx.update(evidenceItems).set({ updatedAt: sql`now()` }).where(eq(evidenceItems.id, itemId));
    await auditEvidence(tx, scope, 'evidence.file-removed', { type: 'evidence-file', id: fileId, label: file.name }, { itemId, itemTitle: item.title, name: file.name, sha256: file.sha256, isRemoved: true });
  });
  if (!(await isFileInAnySignature(db, scope, fileId))) await store.delete(file.storageKey).catch(() => false);
  const [result] = await loadEvidenceItems(db, scope, [itemId]);
  if (!result) throw new Error('deleteEvidenceFile: the item vanished');
  return result;
}
