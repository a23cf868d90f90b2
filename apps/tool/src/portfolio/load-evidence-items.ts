import { and, asc, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { EvidenceDraft, EvidenceItem, Feedback } from '@attest/contracts';
import type { Executor } from '../db/index.ts';
import { evidenceFeedback, evidenceFiles, evidenceItems, evidenceMappings, whereCourse, whereLearner, whereLearnerUnit } from '../db/index.ts';
import type { CourseKey, LearnerScope } from './learner-scope.ts';

export type EvidenceItemRow = typeof evidenceItems.$inferSelect;

/** The row conditions that keep a query inside one learner's portfolio in one course. */
export function inScope(scope: LearnerScope) {
  return whereLearner(evidenceItems, scope);
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

/** The learner's items as the API shows them, with files, mappings and feedback, oldest first. */
export async function loadEvidenceItems(db: Executor, scope: LearnerScope, ids?: readonly string[]): Promise<EvidenceItem[]> {
  return (await loadEvidenceRecords(db, scope, ids)).map((record) => record.item);
}

/** An item with who recorded it, which the engine needs and the learner's API does not show. */
export interface EvidenceRecord {
  readonly item: EvidenceItem;
  readonly authorUserId: string;
  readonly authorRole: EvidenceItemRow['authorRole'];
}

/** Timestamps exactly as `Date.prototype.toISOString` writes them, whichever driver reads the row. */
const iso = (column: SQL | typeof evidenceItems.createdAt) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One query, one row: the items with their files, mappings and feedback nested, built as JSON
 * text by the database. Decoding hundreds of rows column by column is what a portfolio's load
 * time went on (PGlite especially: 200 items took ~80 ms as four row queries, a fraction as one
 * JSON value). `ids` narrows to some items, still within the scope.
 */
export async function loadEvidenceRecords(db: Executor, scope: LearnerScope, ids?: readonly string[]): Promise<EvidenceRecord[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const where = ids === undefined ? inScope(scope) : and(inScope(scope), inArray(evidenceItems.id, [...ids]));
  const [row] = await db.select({ records: evidenceRecordsJson() }).from(evidenceItems).where(where);
  return JSON.parse(row?.records ?? '[]') as EvidenceRecord[];
}

/**
 * The caseload's load: every listed learner's records in the course, still one query (one row per
 * learner with items, built by the same JSON expression as above), so a course of any size costs
 * the same one round trip. Learners without items are absent from the map.
 */
export async function loadCourseEvidenceRecords(db: Executor, course: CourseKey, learnerUserIds: readonly string[]): Promise<Map<string, EvidenceRecord[]>> {
  if (learnerUserIds.length === 0) return new Map();
  const rows = await db
    .select({ learnerUserId: evidenceItems.learnerUserId, records: evidenceRecordsJson() })
    .from(evidenceItems)
    .where(and(whereCourse(evidenceItems, course), inArray(evidenceItems.learnerUserId, [...learnerUserIds])))
    .groupBy(evidenceItems.learnerUserId);
  return new Map(rows.map((row) => [row.learnerUserId, JSON.parse(row.records) as EvidenceRecord[]]));
}

/** Items of the rows aggregated (one learner's, or one learner's group), oldest first, as one JSON text. */
function evidenceRecordsJson() {
  const files = sql`select coalesce(json_agg(json_build_object(
      'id', f.id, 'name', f.name, 'mediaType', f.media_type, 'size', f.size, 'sha256', f.sha256, 'uploadedAt', ${iso(sql`f.uploaded_at`)}
    ) order by f.uploaded_at, f.id), '[]'::json) from ${evidenceFiles} f where f.item_id = ${evidenceItems.id}`;
  const mappings = sql`select coalesce(json_agg(json_build_object(
      'unitId', m.unit_id, 'target', m.target, 'ref', m.ref, 'decision', m.decision, 'feedback', m.feedback, 'method', m.method
    ) order by m.created_at, m.unit_id, m.ref), '[]'::json) from ${evidenceMappings} m where m.item_id = ${evidenceItems.id}`;
  const feedback = sql`select coalesce(json_agg(json_build_object(
      'id', fb.id, 'authorName', fb.author_name, 'text', fb.text, 'createdAt', ${iso(sql`fb.created_at`)}, 'actionPlan', fb.action_plan
    ) order by fb.created_at, fb.id), '[]'::json) from ${evidenceFeedback} fb where fb.item_id = ${evidenceItems.id}`;
  return sql<string>`coalesce(json_agg(json_build_object(
      'authorUserId', ${evidenceItems.authorUserId}, 'authorRole', ${evidenceItems.authorRole},
      'item', json_build_object(
        'title', ${evidenceItems.title}, 'description', ${evidenceItems.description}, 'evidenceType', ${evidenceItems.evidenceType},
        'activityDate', ${evidenceItems.activityDate}, 'customerRef', ${evidenceItems.customerRef}, 'occasionRef', ${evidenceItems.occasionRef},
        'workSetting', ${evidenceItems.workSetting}, 'id', ${evidenceItems.id}, 'version', ${evidenceItems.version}, 'state', ${evidenceItems.state},
        'method', ${evidenceItems.method}, 'files', (${files}), 'mappings', (${mappings}), 'feedback', (${feedback}),
        'submittedAt', ${iso(sql`${evidenceItems.submittedAt}`)}, 'createdAt', ${iso(evidenceItems.createdAt)}, 'updatedAt', ${iso(sql`${evidenceItems.updatedAt}`)}
      )
    ) order by ${evidenceItems.createdAt}, ${evidenceItems.id}), '[]'::json)::text`;
}

export function toFeedback(row: typeof evidenceFeedback.$inferSelect): Feedback {
  return { id: row.id, authorName: row.authorName, text: row.text, createdAt: row.createdAt.toISOString(), actionPlan: row.actionPlan };
}

/** Feedback and action plans on the unit as a whole (not on one item), oldest first: what learner and assessor both read. */
export async function loadUnitFeedback(db: Executor, scope: LearnerScope, unitId: string): Promise<Feedback[]> {
  const rows = await db.select().from(evidenceFeedback).where(whereLearnerUnit(evidenceFeedback, scope, unitId)).orderBy(asc(evidenceFeedback.createdAt));
  return rows.map(toFeedback);
}
