import { and, eq, sql } from 'drizzle-orm';
import type { EvidenceItem } from '@attest/contracts';
import type { FileStore } from '@attest/evidence-files';
import type { Database } from '../db/index.ts';
import { evidenceFiles, evidenceItems } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { getEvidenceFile } from './find-evidence-file.ts';
import type { LearnerScope } from './learner-scope.ts';
import { loadEvidenceItems } from './load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { lockEvidenceItem } from './lock-evidence-item.ts';

/**
 * Removes a file the learner added to a draft. The row goes first, in a transaction; the bytes
 * after it commits, so a failure in between leaves an unreferenced file, never a row without bytes.
 */
export async function deleteEvidenceFile(db: Database, store: FileStore, scope: LearnerScope, itemId: string, fileId: string): Promise<EvidenceItem> {
  const file = await getEvidenceFile(db, scope, itemId, fileId);
  await db.transaction(async (tx) => {
    const item = await lockEvidenceItem(tx, scope, itemId);
    if (item.state === 'submitted') throw new AppError('rule_violation', 'This evidence has been submitted for assessment. Reopen it by editing it before changing its files.');
    await tx.delete(evidenceFiles).where(and(eq(evidenceFiles.id, fileId), eq(evidenceFiles.itemId, itemId)));
    await tx.update(evidenceItems).set({ updatedAt: sql`now()` }).where(eq(evidenceItems.id, itemId));
    await auditEvidence(tx, scope, 'evidence.file-removed', { type: 'evidence-file', id: fileId, label: file.name }, { itemId, itemTitle: item.title, name: file.name, sha256: file.sha256, isRemoved: true });
  });
  await store.delete(file.storageKey).catch(() => false);
  const [result] = await loadEvidenceItems(db, scope, [itemId]);
  if (!result) throw new Error('deleteEvidenceFile: the item vanished');
  return result;
}
