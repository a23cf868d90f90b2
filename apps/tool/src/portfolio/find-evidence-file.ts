import { and, eq } from 'drizzle-orm';
import { evidenceFiles, evidenceItems } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { isUuid } from './learner-scope.ts';
import type { LearnerScope } from './learner-scope.ts';
import { inScope } from './load-evidence-items.ts';

export type EvidenceFileRow = typeof evidenceFiles.$inferSelect;

const missing = () => new AppError('not_found', 'There is no such file on this evidence in your portfolio.');

/** A file of one of the learner's items, or null: any other id (another learner's, another tenant's, not a UUID) finds nothing. */
export async function findEvidenceFile(db: Executor, scope: LearnerScope, itemId: string, fileId: string): Promise<(EvidenceFileRow & { itemState: string }) | null> {
  if (!isUuid(itemId) || !isUuid(fileId)) return null;
  const [row] = await db
    .select({ file: evidenceFiles, itemState: evidenceItems.state })
    .from(evidenceFiles)
    .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceFiles.itemId))
    .where(and(inScope(scope), eq(evidenceItems.id, itemId), eq(evidenceFiles.id, fileId)));
  return row ? { ...row.file, itemState: row.itemState } : null;
}

/** A file of one of the learner's own items; any other id (another learner's, another tenant's) is 404. */
export async function getEvidenceFile(db: Executor, scope: LearnerScope, itemId: string, fileId: string): Promise<EvidenceFileRow & { itemState: string }> {
  const file = await findEvidenceFile(db, scope, itemId, fileId);
  if (!file) throw missing();
  return file;
}
