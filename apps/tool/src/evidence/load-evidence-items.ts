import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { EvidenceDraft, EvidenceFile, EvidenceItem, EvidenceMapping, Feedback } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { evidenceFeedback, evidenceFiles, evidenceItems, evidenceMappings } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';

export type EvidenceItemRow = typeof evidenceItems.$inferSelect;
type Executor = Pick<Database, 'select'>;

/** The row conditions that keep a query inside one learner's portfolio in one course. */
export function inScope(scope: LearnerScope) {
  return and(
    eq(evidenceItems.issuer, scope.issuer),
    eq(evidenceItems.clientId, scope.clientId),
    eq(evidenceItems.deploymentId, scope.deploymentId),
    eq(evidenceItems.contextId, scope.contextId),
    eq(evidenceItems.learnerUserId, scope.learnerUserId),
  );
}

export function toDraft(row: EvidenceItemRow): EvidenceDraft {
  return {
    title: row.title,
    description: row.description,
    evidenceType: row.evidenceType as EvidenceDraft['evidenceType'],
    activityDate: row.activityDate,
    customerRef: row.customerRef,
    occasionRef: row.occasionRef,
    workSetting: row.workSetting as EvidenceDraft['workSetting'],
  };
}

/**
 * The learner's items as the API shows them, with files, mappings and feedback, oldest first.
 * Four queries whatever the number of items, so a 200-item portfolio costs what a 2-item one does
 * in round trips. `ids` narrows to some items (still within the scope).
 */
export async function loadEvidenceItems(db: Executor, scope: LearnerScope, ids?: readonly string[]): Promise<EvidenceItem[]> {
  return (await loadEvidenceRecords(db, scope, ids)).map((record) => record.item);
}

/** An item with who recorded it, which the engine needs and the learner's API does not show. */
export interface EvidenceRecord {
  readonly item: EvidenceItem;
  readonly authorUserId: string;
  readonly authorRole: EvidenceItemRow['authorRole'];
}

export async function loadEvidenceRecords(db: Executor, scope: LearnerScope, ids?: readonly string[]): Promise<EvidenceRecord[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const rows = await db
    .select()
    .from(evidenceItems)
    .where(ids === undefined ? inScope(scope) : and(inScope(scope), inArray(evidenceItems.id, [...ids])))
    .orderBy(asc(evidenceItems.createdAt), asc(evidenceItems.id));
  return attachParts(db, rows);
}

async function attachParts(db: Executor, rows: readonly EvidenceItemRow[]): Promise<EvidenceRecord[]> {
  if (rows.length === 0) return [];
  const itemIds = rows.map((row) => row.id);
  const [files, mappings, feedback] = await Promise.all([
    db.select().from(evidenceFiles).where(inArray(evidenceFiles.itemId, itemIds)).orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id)),
    db.select().from(evidenceMappings).where(inArray(evidenceMappings.itemId, itemIds)).orderBy(asc(evidenceMappings.createdAt), asc(evidenceMappings.unitId), asc(evidenceMappings.ref)),
    db.select().from(evidenceFeedback).where(and(inArray(evidenceFeedback.itemId, itemIds), isNotNull(evidenceFeedback.itemId))).orderBy(asc(evidenceFeedback.createdAt)),
  ]);
  const filesOf = groupBy(files, (f) => f.itemId);
  const mappingsOf = groupBy(mappings, (m) => m.itemId);
  const feedbackOf = groupBy(feedback, (f) => f.itemId ?? '');
  return rows.map((row) => ({
    authorUserId: row.authorUserId,
    authorRole: row.authorRole,
    item: {
    ...toDraft(row),
    id: row.id,
    version: row.version,
    state: row.state,
    method: row.method as EvidenceItem['method'],
    files: (filesOf.get(row.id) ?? []).map(
      (f): EvidenceFile => ({ id: f.id, name: f.name, mediaType: f.mediaType, size: f.size, sha256: f.sha256, uploadedAt: f.uploadedAt.toISOString() }),
    ),
    mappings: (mappingsOf.get(row.id) ?? []).map(
      (m): EvidenceMapping => ({ unitId: m.unitId, target: m.target as EvidenceMapping['target'], ref: m.ref, decision: m.decision, feedback: m.feedback, method: m.method as EvidenceMapping['method'] }),
    ),
    feedback: (feedbackOf.get(row.id) ?? []).map(toFeedback),
    submittedAt: row.submittedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    },
  }));
}

export function toFeedback(row: typeof evidenceFeedback.$inferSelect): Feedback {
  return { id: row.id, authorName: row.authorName, text: row.text, createdAt: row.createdAt.toISOString(), actionPlan: row.actionPlan };
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
