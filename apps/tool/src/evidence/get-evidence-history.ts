import { and, desc, eq } from 'drizzle-orm';
import type { EvidenceDraft } from '@attest/contracts';
import type { z } from 'zod';
import type { EvidenceRevisionSchema } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { evidenceItems, evidenceRevisions } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { isUuid } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { inScope } from '../portfolio/load-evidence-items.ts';
import { notFoundMessage } from './lock-evidence-item.ts';

export type EvidenceRevision = z.infer<typeof EvidenceRevisionSchema>;

/** Every saved version of the item, newest first, kept conflict copies included. */
export async function getEvidenceHistory(db: Database, scope: LearnerScope, itemId: string): Promise<EvidenceRevision[]> {
  if (!isUuid(itemId)) throw new AppError('not_found', notFoundMessage);
  const [item] = await db.select({ id: evidenceItems.id }).from(evidenceItems).where(and(inScope(scope), eq(evidenceItems.id, itemId)));
  if (!item) throw new AppError('not_found', notFoundMessage);
  const rows = await db.select().from(evidenceRevisions).where(eq(evidenceRevisions.itemId, itemId)).orderBy(desc(evidenceRevisions.seq));
  return rows.map((row) => ({ version: row.version, kind: row.kind, savedAt: row.savedAt.toISOString(), draft: row.draft as EvidenceDraft }));
}
