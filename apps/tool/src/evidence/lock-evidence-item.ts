import type { EvidenceDraft, EvidenceItem } from '@attest/contracts';
import { evidenceRevisions, loadItemMappings } from '../db/index.ts';
import type { EvidenceRevisionKind, Transaction } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import type { EvidenceItemRow } from '../portfolio/load-evidence-items.ts';
import { lockLearnerItem } from '../portfolio/portfolio-locks.ts';

export const notFoundMessage = 'There is no evidence with this id in your portfolio.';

/**
 * The item, locked until the transaction ends so concurrent writes of it queue up and each sees
 * the version the previous one left. Another learner's or tenant's id finds nothing: 404.
 */
export async function lockEvidenceItem(tx: Transaction, scope: LearnerScope, itemId: string): Promise<EvidenceItemRow> {
  const row = await lockLearnerItem(tx, scope, itemId);
  if (!row) throw new AppError('not_found', notFoundMessage);
  return row;
}

/** Appends to the item's history; history is never updated or deleted. */
export async function appendRevision(
  tx: Transaction,
  revision: { itemId: string; version: number; kind: EvidenceRevisionKind; draft: EvidenceDraft; savedBy: string; mappings?: readonly { unitId: string; target: string; ref: string; decision: string }[] },
): Promise<string> {
  const mappings = revision.mappings ?? (await loadItemMappings(tx, revision.itemId)).map(({ unitId, target, ref, decision }) => ({ unitId, target, ref, decision }));
  const [row] = await tx
    .insert(evidenceRevisions)
    .values({ itemId: revision.itemId, version: revision.version, kind: revision.kind, draft: revision.draft, mappings: [...mappings], savedBy: revision.savedBy })
    .returning({ id: evidenceRevisions.id });
  if (!row) throw new Error('appendRevision: insert returned no row');
  return row.id;
}

/** A stale write: nothing was overwritten; `details` carries the server's copy for the UI to show beside the learner's. */
export function conflictError(current: EvidenceItem, conflictCopyId: string | null): AppError {
  return new AppError('conflict', 'This evidence was saved from another tab or window after you opened it, so your change was not saved over it. Both versions are kept in its history.', {
    details: conflictCopyId === null ? { current } : { current, conflictCopyId },
  });
}

export function sameDraft(a: EvidenceDraft, b: EvidenceDraft): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.evidenceType === b.evidenceType &&
    a.activityDate === b.activityDate &&
    a.customerRef === b.customerRef &&
    a.occasionRef === b.occasionRef &&
    a.workSetting === b.workSetting
  );
}
