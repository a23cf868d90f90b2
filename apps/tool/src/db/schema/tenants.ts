import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One LMS registration as Attest sees it (issuer + client id). Deployment ids are the ones an
 * administrator listed (`register-platform register --deployment`, `add-deployment`) or the platform
 * returned during Dynamic Registration. A launch from any other deployment is refused
 * (`unknown_deployment`) before ltijs verifies its id_token, and so is a grade sent for one, because
 * every row elsewhere is keyed by issuer + client id + deployment id: an unknown deployment would
 * open a tenant nobody approved.
 * Platforms add deployments after registration (Moodle per course category, Canvas per install in a
 * sub-account or course): a verified launch from a new one of an ACTIVE registration is recorded in
 * `pending_deployments` and refused until an administrator approves it with `add-deployment`
 * (docs/decisions/0013-canvas-deployments.md).
 */
/** One deployment waiting for approval, as first seen in a verified launch. */
export interface PendingDeploymentRecord {
  readonly deploymentId: string;
  /** ISO timestamps of its first and latest refused launch. */
  readonly firstLaunchAt: string;
  readonly lastLaunchAt: string;
  readonly launches: number;
  /** The course it was launched from (LTI context), as the LMS named it. */
  readonly contextId: string | null;
  readonly contextTitle: string | null;
}

export const platformRegistrations = pgTable(
  'platform_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    name: text('name'),
    deploymentIds: jsonb('deployment_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /**
     * The origins (scheme://host[:port]) this LMS shows Attest from: the `frame-ancestors` of every
     * page Attest serves while the registration is active. A Moodle's is its issuer's origin; hosted
     * Canvas shares one issuer among all schools, so a Canvas's own site is recorded from where its
     * Dynamic Registration came from, or given by an administrator (`--frame-origin`).
     */
    frameOrigins: jsonb('frame_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /**
     * Deployments an active registration launched from before anyone approved them (a Canvas
     * course or sub-account install makes a new one): recorded on their first verified launch for
     * an administrator to approve with `add-deployment` (docs/decisions/0013-canvas-deployments.md).
     */
    pendingDeployments: jsonb('pending_deployments').$type<PendingDeploymentRecord[]>().notNull().default(sql`'[]'::jsonb`),
    isActive: boolean('is_active').notNull().default(false),
    /**
     * How the platform came: `manual` (an administrator's `register-platform`) or `dynamic` (anyone
     * who opened /lti/register). Only dynamic registrations never activated are capped and pruned.
     */
    registeredVia: text('registered_via').$type<'manual' | 'dynamic'>().notNull().default('manual'),
    /** When it was first activated; null while it never has been (deactivating later keeps it). */
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('platform_registrations_issuer_client_id_key').on(t.issuer, t.clientId)],
);

/**
 * People Attest itself makes administrators (decision 21): an LMS user, named by issuer + user id
 * (`sub` is unique within its issuer, LTI 1.3 core §5.3.6), who sees and manages every registered
 * platform in the administration console, whatever their role in the LMS. Granted by
 * `register-platform grant-administrator` or by another Attest administrator; revoking deletes
 * the row (the audit trail keeps who had it and when).
 */
export const attestAdministrators = pgTable(
  'attest_administrators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    userId: text('user_id').notNull(),
    name: text('name'),
    /** Who granted it: `cli`, or the granting administrator's issuer and user id. */
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('attest_administrators_issuer_user_id_key').on(t.issuer, t.userId)],
);
