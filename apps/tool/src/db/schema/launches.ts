import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Every table here is keyed by the tenant (issuer + client id + deployment id): the same LMS user id
// or context id under another deployment is another person or course, never the same row.

export const ltiUsers = pgTable(
  'lti_users',
  {
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    userId: text('user_id').notNull(),
    name: text('name'),
    email: text('email'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'lti_users_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.userId] })],
);

export const ltiContexts = pgTable(
  'lti_contexts',
  {
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    title: text('title'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'lti_contexts_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.contextId] })],
);

/** One row per validated launch: the audit trail of who came in from where, as what. */
export const launches = pgTable(
  'launches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    userId: text('user_id').notNull(),
    messageType: text('message_type').notNull(),
    contextId: text('context_id'),
    resourceLinkId: text('resource_link_id'),
    unitId: text('unit_id'),
    roles: jsonb('roles').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    lineItemUrl: text('line_item_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('launches_tenant_user_idx').on(t.issuer, t.clientId, t.deploymentId, t.userId)],
);

/**
 * The units an instructor placed (or offered to place) in a course by deep linking. LTI gives a tool no way to list a
 * course's activities, so this and the launches are all Attest knows of them; with it a learner can
 * map evidence to a placed unit nobody has opened yet.
 */
export const placedUnits = pgTable(
  'placed_units',
  {
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    deploymentId: text('deployment_id').notNull(),
    contextId: text('context_id').notNull(),
    unitId: text('unit_id').notNull(),
    placedByUserId: text('placed_by_user_id').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the LMS was seen to hold the activity (a launch of it, or its line item); null while the
     * placement is only offered: Moodle creates nothing until the teacher saves the activity form the
     * signed response filled, and a cancelled form creates nothing (decision 0020).
     */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** When the course's line items were last read for this offer, so a cancelled one is not asked about at every launch. */
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'placed_units_pkey', columns: [t.issuer, t.clientId, t.deploymentId, t.contextId, t.unitId] })],
);
