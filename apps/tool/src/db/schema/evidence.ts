import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// The learner portfolio (issue 3). Every row carries the tenant (issuer + client id + deployment id)
// and the course (context id); items also carry the learner they belong to, and every query looks
// an id up within all of them, so another tenant's or learner's id simply finds nothing.
//
// Built for issue 4 too: an item has an author and an author role (a learner's own work now; an
// assessor's observation or a witness testimony entered by the assessor later), and a mapping has
// its own decision, method and feedback for the assessor to accept or refer it.
//
// Written by the learner's feature (src/evidence) only, except `evidence_mappings`, which both
// sides write through src/db/evidence-mappings.ts (docs/decisions/0012-portfolio-read-model.md).

export type EvidenceState = 'draft' | 'submitted';
export type EvidenceAuthorRole = 'candidate' | 'assessor' | 'witness' | 'expert-witness';
export type EvidenceRevisionKind = 'saved' | 'submitted' | 'reopened' | 'conflict-copy';
export type MappingDecision = 'pending' | 'accepted' | 'referred';

/** The draft fields as a revision keeps them (the contract's EvidenceDraft). */
export interface StoredDraft {
  title: string;
  description: string;
  evidenceType: string;
  activityDate: string;
  customerRef: string | null;
  occasionRef: string | null;
  workSetting: string;
}

export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    /** Whose portfolio this item is in (the candidate's LMS user id). */
    learnerUserId: text('learner_user_id').notNull(),
    /** Who recorded it: the learner now; an assessor for observations and questioning (issue 4). */
    authorUserId: text('author_user_id').notNull(),
    authorRole: text('author_role').$type<EvidenceAuthorRole>().notNull().default('candidate'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    evidenceType: text('evidence_type').notNull(),
    /** Calendar date of the work itself, YYYY-MM-DD. */
    activityDate: text('activity_date').notNull(),
    customerRef: text('customer_ref'),
    occasionRef: text('occasion_ref'),
    workSetting: text('work_setting').notNull(),
    /** Assessment method letter, derived from the evidence type for learner items (PE, WT). */
    method: text('method').notNull(),
    state: text('state').$type<EvidenceState>().notNull().default('draft'),
    /** Optimistic concurrency: every change adds one; a write names the version it read. */
    version: integer('version').notNull().default(1),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evidence_items_state_check', sql`${t.state} in ('draft', 'submitted')`),
    check('evidence_items_version_check', sql`${t.version} >= 1`),
    index('evidence_items_learner_idx').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.createdAt),
  ],
);

/** Append-only: every saved version of an item's draft, submissions, reopenings and kept conflict copies. */
export const evidenceRevisions = pgTable(
  'evidence_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Orders revisions saved within the same instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    itemId: uuid('item_id').notNull(),
    /** The item version this revision produced; for a conflict copy, the version the stale write was based on. */
    version: integer('version').notNull(),
    kind: text('kind').$type<EvidenceRevisionKind>().notNull(),
    draft: jsonb('draft').$type<StoredDraft>().notNull(),
    /** The mappings at that moment (unitId/target/ref/decision), kept for the audit trail. */
    mappings: jsonb('mappings').$type<{ unitId: string; target: string; ref: string; decision: string }[]>().notNull().default(sql`'[]'::jsonb`),
    savedBy: text('saved_by').notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evidence_revisions_kind_check', sql`${t.kind} in ('saved', 'submitted', 'reopened', 'conflict-copy')`),
    foreignKey({ name: 'evidence_revisions_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] }),
    index('evidence_revisions_item_idx').on(t.itemId, t.seq),
  ],
);

/** The bytes live in the file store under `storageKey`; the row is what makes a file part of an item. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull(),
    storageKey: text('storage_key').notNull(),
    /** Cleaned for display and downloads; never a path. */
    name: text('name').notNull(),
    /** Decided by the content, never by the client's claim. */
    mediaType: text('media_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'evidence_files_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] }),
    index('evidence_files_item_idx').on(t.itemId, t.uploadedAt),
  ],
);

/**
 * A resumable upload (tus, issue 12) on its way to becoming an evidence file. The bytes received so
 * far sit in the file store as parts, so any server can take the next request; `offset` counts
 * them. The upload becomes a row of `evidence_files` only once every byte has arrived and passed
 * the same checks as a one-request upload, in the transaction that sets `evidence_file_id`.
 */
export const evidenceUploads = pgTable(
  'evidence_uploads',
  {
    /** The tus upload id: random, and the last segment of the upload's URL. */
    id: text('id').primaryKey(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    learnerUserId: text('learner_user_id').notNull(),
    itemId: uuid('item_id').notNull(),
    /** As the client sent it; cleaned and checked again when the upload completes. */
    fileName: text('file_name').notNull(),
    declaredMimeType: text('declared_mime_type'),
    size: bigint('size', { mode: 'number' }).notNull(),
    offset: bigint('offset', { mode: 'number' }).notNull().default(0),
    /** Set, with offset = size, in the transaction that records the evidence file. */
    evidenceFileId: uuid('evidence_file_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evidence_uploads_offset_check', sql`${t.offset} >= 0 and ${t.offset} <= ${t.size}`),
    foreignKey({ name: 'evidence_uploads_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] }).onDelete('cascade'),
    index('evidence_uploads_learner_idx').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.createdAt),
    index('evidence_uploads_created_idx').on(t.createdAt),
  ],
);

/** The bytes of an unfinished upload, in order: part n starts at `start` and holds `size` bytes. */
export const evidenceUploadParts = pgTable(
  'evidence_upload_parts',
  {
    uploadId: text('upload_id').notNull(),
    start: bigint('start', { mode: 'number' }).notNull(),
    size: integer('size').notNull(),
    storageKey: text('storage_key').notNull(),
  },
  (t) => [
    primaryKey({ name: 'evidence_upload_parts_pk', columns: [t.uploadId, t.start] }),
    foreignKey({ name: 'evidence_upload_parts_upload_fk', columns: [t.uploadId], foreignColumns: [evidenceUploads.id] }).onDelete('cascade'),
  ],
);

/** One item mapped to one requirement of one unit; the decision is the assessor's (pending until then). */
export const evidenceMappings = pgTable(
  'evidence_mappings',
  {
    itemId: uuid('item_id').notNull(),
    unitId: text('unit_id').notNull(),
    target: text('target').notNull(),
    /** The requirement's key as the engine's verdict names it (`pc:3`, `1.2`, `2.b`, `4.a`). */
    ref: text('ref').notNull(),
    decision: text('decision').$type<MappingDecision>().notNull().default('pending'),
    /** The method this mapping counts as; the item's method unless an assessor records otherwise. */
    method: text('method').notNull(),
    feedback: text('feedback'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'evidence_mappings_pkey', columns: [t.itemId, t.unitId, t.target, t.ref] }),
    check('evidence_mappings_target_check', sql`${t.target} in ('statement', 'scope-item', 'evidence-requirement')`),
    check('evidence_mappings_decision_check', sql`${t.decision} in ('pending', 'accepted', 'referred')`),
    foreignKey({ name: 'evidence_mappings_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] }),
  ],
);
