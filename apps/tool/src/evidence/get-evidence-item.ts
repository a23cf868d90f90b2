import type { EvidenceItem } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from './learner-scope.ts';
import { isUuid } from './learner-scope.ts';
import { loadEvidenceItems } from './load-evidence-items.ts';
import { notFoundMessage } from './lock-evidence-item.ts';

/** One of the learner's own items; 404 for any other id (not a UUID, another learner's, another course's). */
export async function getEvidenceItem(db: Database, scope: LearnerScope, itemId: string): Promise<EvidenceItem> {
  const [item] = isUuid(itemId) ? await loadEvidenceItems(db, scope, [itemId]) : [];
  if (!item) throw new AppError('not_found', notFoundMessage);
  return item;
}
