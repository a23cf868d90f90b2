import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type PassbackState = 'pending' | 'sent' | 'failed';

/**
 * What we want the LMS gradebook to hold for one learner on one line item, and how delivery went.
 * The row is the source of truth; the pg-boss job only carries its id, so a retried or duplicated
 * job always sends what the row says, never a stale copy.
 */
export const scorePassbacks = pgTable(
  'score_passbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    lineItemUrl: text('line_item_url').notNull(),
    learnerUserId: text('learner_user_id').notNull(),
    /** Who asked for it (the instructor's LMS user id), for audit. */
    requestedBy: text('requested_by').notNull(),
    scoreGiven: doublePrecision('score_given'),
    scoreMaximum: doublePrecision('score_maximum'),
    activityProgress: text('activity_progress').notNull(),
    gradingProgress: text('grading_progress').notNull(),
    comment: text('comment'),
    /** AGS timestamp sent with the score: strictly increasing per learner + line item (Moodle). */
    scoreTimestamp: timestamp('score_timestamp', { withTimezone: true }).notNull(),
    state: text('state').$type<PassbackState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
    extensions: jsonb('extensions').$type<Record<string, unknown>>(),
    /**
     * Canvas: the grade a grader entered by hand that the gradebook kept instead of this score
     * (Attest sends prioritize_non_tool_grade / preserve_score; see src/jobs/canvas-score-flags.ts),
     * on the 0–100 scale, as the result service showed it when the score was accepted.
     */
    keptGraderScore: doublePrecision('kept_grader_score'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    check('score_passbacks_state_check', sql`${t.state} in ('pending', 'sent', 'failed')`),
    index('score_passbacks_target_idx').on(t.issuer, t.clientId, t.deploymentId, t.lineItemUrl, t.learnerUserId, t.scoreTimestamp),
  ],
);
