import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The audit trail (issue 8, item 11): one append-only hash chain per LMS registration (issuer +
 * client id). The registration, not the deployment, is the chain's tenant because some acts have
 * no deployment (a platform registered, activated, given a deployment) and a college's
 * deployments are one administrator's domain; deployment and course are fields of the entry when
 * the act has them. Each entry's `entry_hash` covers its fields and the previous entry's hash, so
 * a changed, removed or reordered entry breaks the chain at that point (`audit verify` names it).
 * A trigger refuses UPDATE, DELETE and TRUNCATE; src/audit/append-audit-entry.ts is the only writer.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** 1, 2, 3… per tenant, no gaps: a missing number is a deleted entry. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    deploymentId: text('deployment_id'),
    contextId: text('context_id'),
    actorType: text('actor_type').notNull(),
    actorUserId: text('actor_user_id'),
    actorRole: text('actor_role'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** A few words naming the subject for people reading the history (an evidence item's title). */
    subjectLabel: text('subject_label'),
    learnerUserId: text('learner_user_id'),
    unitId: text('unit_id'),
    /** Hex SHA-256 of the canonical JSON of the content as the act left it. */
    contentDigest: text('content_digest').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    /** The previous entry's `entry_hash`; 64 zeros for a tenant's first entry. */
    previousHash: text('previous_hash').notNull(),
    entryHash: text('entry_hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_entries_tenant_sequence_key').on(t.issuer, t.clientId, t.sequence),
    index('audit_entries_learner_idx').on(t.issuer, t.clientId, t.deploymentId, t.contextId, t.learnerUserId, t.sequence),
    // A subject's entries, e.g. the score worker finding the course of the entry that queued a score
    // (src/scores/audit-score-outcome.ts). Without it each delivery scanned the tenant's whole trail:
    // 21 ms at 60,000 entries, growing with every entry (bench:resync).
    index('audit_entries_subject_idx').on(t.issuer, t.clientId, t.subjectType, t.subjectId),
    check('audit_entries_actor_type_check', sql`${t.actorType} in ('user', 'system', 'cli')`),
    check('audit_entries_sequence_check', sql`${t.sequence} > 0`),
  ],
);
