import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One LMS registration as Attest sees it (issuer + client id). Deployment ids are collected as
 * launches arrive, because platforms add deployments after registration (Moodle per course category,
 * Canvas per sub-account) and every row elsewhere is keyed by issuer + client id + deployment id.
 */
export const platformRegistrations = pgTable(
  'platform_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    name: text('name'),
    deploymentIds: jsonb('deployment_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    isActive: boolean('is_active').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('platform_registrations_issuer_client_id_key').on(t.issuer, t.clientId)],
);
