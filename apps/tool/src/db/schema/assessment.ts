import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { evidenceItems } from './evidence.ts';

// The assessor's side of a learner's portfolio (issue 4). Every row carries the tenant (issuer +
// client id + deployment id), the course (context id) and the learner, as the evidence tables do.
// Signed things are append-only: a signed record or signature row is never updated, and the use
// cases only ever update rows whose signature is still null.
//
// Written by the assessor's feature (src/assessment) only, the candidate's declaration included
// (docs/decisions/0012-portfolio-read-model.md); both sides read them through src/portfolio.

/** One assessor's record of the seeds' Appendix 2 forms (observation, questioning, witness testimony…). */
export const assessorRecords = pgTable(
  'assessor_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    learnerUserId: text('learner_user_id').notNull(),
    /** The unit activity it was recorded from. */
    unitId: text('unit_id').notNull(),
    kind: text('kind').notNull(),
    method: text('method').notNull(),
    /** The form's fields (the contract's RecordContent). */
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    /** Requirements it evidences: { unitId, target, ref }[]. */
    targets: jsonb('targets').$type<{ unitId: string; target: string; ref: string }[]>().notNull(),
    authorUserId: text('author_user_id').notNull(),
    authorName: text('author_name'),
    version: integer('version').notNull().default(1),
    /** The signed record this one corrects (one correction per record). */
    supersedesId: uuid('supersedes_id'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signerIssuer: text('signer_issuer'),
    signerUserId: text('signer_user_id'),
    signerName: text('signer_name'),
    /** Hex SHA-256 of the canonical JSON of `signedContent`. */
    signedDigest: text('signed_digest'),
    signedContent: jsonb('signed_content'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('assessor_records_signature_check', sql`(${t.signedAt} is null) = (${t.signedDigest} is null)`),
    foreignKey({ name: 'assessor_records_supersedes_fk', columns: [t.supersedesId], foreignColumns: [t.id] }),
    uniqueIndex('assessor_records_supersedes_key').on(t.supersedesId),
    index('assessor_records_learner_idx').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.createdAt),
  ],
);

/** The assessor's judgement of a learner's item has its own version, so judging never conflicts with the learner's edits. */
export const evidenceJudgements = pgTable(
  'evidence_judgements',
  {
    itemId: uuid('item_id').primaryKey(),
    version: integer('version').notNull(),
    judgedBy: text('judged_by').notNull(),
    judgedAt: timestamp('judged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [foreignKey({ name: 'evidence_judgements_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] })],
);

const learnerUnitKey = {
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  deploymentId: text('deployment_id').notNull(),
  contextId: text('context_id').notNull(),
  learnerUserId: text('learner_user_id').notNull(),
  unitId: text('unit_id').notNull(),
};

/** Seed 004's assessment action plan, one per learner and unit. */
export const assessmentActionPlans = pgTable(
  'assessment_action_plans',
  {
    ...learnerUnitKey,
    plan: jsonb('plan').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedByName: text('updated_by_name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'assessment_action_plans_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.unitId] })],
);

/** Seed 004's assessment report, one per learner and unit; frozen once the assessor signs the unit off. */
export const assessmentReports = pgTable(
  'assessment_reports',
  {
    ...learnerUnitKey,
    report: jsonb('report').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedByName: text('updated_by_name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'assessment_reports_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.unitId] })],
);

/**
 * The unit's signature chain with what each signer signed: candidate declaration, assessor,
 * countersignature. Append-only: a row is never deleted, and the only change a trigger lets through
 * is its withdrawal, once (an assessor reopening the unit, with a reason). One active (not
 * withdrawn) row per role; `unit_sign_offs` (below) holds the active signatures as the
 * engine's facts read them.
 */
export const unitSignatures = pgTable(
  'unit_signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...learnerUnitKey,
    role: text('role').notNull(),
    signerIssuer: text('signer_issuer').notNull(),
    signerUserId: text('signer_user_id').notNull(),
    signerName: text('signer_name'),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    signedDigest: text('signed_digest').notNull(),
    signedContent: jsonb('signed_content').notNull(),
    /** On the assessor's row: whether the signer was marked not yet qualified when signing. */
    isCountersignatureRequired: boolean('is_countersignature_required').notNull().default(false),
    /** Set once, when an assessor reopens the unit: who withdrew the signature, when and why. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnByIssuer: text('withdrawn_by_issuer'),
    withdrawnByUserId: text('withdrawn_by_user_id'),
    withdrawnByName: text('withdrawn_by_name'),
    withdrawalReason: text('withdrawal_reason'),
  },
  (t) => [
    check('unit_signatures_role_check', sql`${t.role} in ('candidate', 'assessor', 'assessor-countersignature')`),
    check(
      'unit_signatures_withdrawal_check',
      sql`(${t.withdrawnAt} is null) = (${t.withdrawnByUserId} is null) and (${t.withdrawnAt} is null) = (${t.withdrawnByIssuer} is null) and (${t.withdrawnAt} is null) = (${t.withdrawalReason} is null)`,
    ),
    // Active rows only: a withdrawn signature stays beside the one that replaces it.
    uniqueIndex('unit_signatures_role_key').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.unitId, t.role).where(sql`${t.withdrawnAt} is null`),
  ],
);

/** What was declared about an assessor's qualification, per tenant; no row means qualified. */
export const assessorProfiles = pgTable(
  'assessor_profiles',
  {
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name'),
    isQualified: boolean('is_qualified').notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'assessor_profiles_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.userId] })],
);

/** Assessor feedback and action plans, on one item or on a whole unit of the learner's portfolio. */
export const evidenceFeedback = pgTable(
  'evidence_feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    learnerUserId: text('learner_user_id').notNull(),
    /** Set for feedback on an item; null for feedback on the unit as a whole. */
    itemId: uuid('item_id'),
    /** Set for feedback on a unit; null for feedback on an item. */
    unitId: text('unit_id'),
    authorUserId: text('author_user_id').notNull(),
    authorName: text('author_name'),
    text: text('text').notNull(),
    actionPlan: text('action_plan'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('evidence_feedback_subject_check', sql`(${t.itemId} is null) <> (${t.unitId} is null)`),
    foreignKey({ name: 'evidence_feedback_item_fk', columns: [t.itemId], foreignColumns: [evidenceItems.id] }),
    index('evidence_feedback_learner_idx').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId),
  ],
);

/** The active signatures of a learner's unit as the engine's facts read them (unit-signatures.ts writes them beside `unit_signatures`). */
export const unitSignOffs = pgTable(
  'unit_sign_offs',
  {
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    learnerUserId: text('learner_user_id').notNull(),
    unitId: text('unit_id').notNull(),
    role: text('role').notNull(),
    signerUserId: text('signer_user_id').notNull(),
    signerName: text('signer_name'),
    /** Calendar date of the signature, YYYY-MM-DD (the engine's Signature.date). */
    signedOn: text('signed_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'unit_sign_offs_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.unitId, t.role] })],
);
