import { createHash } from 'node:crypto';
import type { LaunchContext, TenantKey } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';

/** One course of one tenant: what every course-wide query (the caseload) is made within. */
export interface CourseKey extends TenantKey {
  readonly contextId: string;
}

/** Whose portfolio, in which course: every evidence query is made within one of these. */
export interface LearnerScope extends CourseKey {
  readonly learnerUserId: string;
}

/**
 * The learner scope of a launch. Only a learner's own resource-link launch in a course opens a
 * portfolio: instructors (issue 4 gives assessors their own routes) and deep-linking launches are
 * refused, and a launch without a course has nowhere to keep evidence.
 */
export function learnerScopeOf(launch: LaunchContext): LearnerScope {
  if (launch.messageType !== 'LtiResourceLinkRequest' || launch.isInstructor || !launch.roles.includes('learner')) {
    throw new AppError('forbidden', 'Only learners keep a portfolio here. Open the activity from your course as a learner.');
  }
  if (launch.contextId === null) throw new AppError('forbidden', 'This activity was not opened from a course, so there is no portfolio to keep evidence in.');
  return { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, contextId: launch.contextId, learnerUserId: launch.userId };
}

/**
 * The file store's tenant segment: it accepts only `[A-Za-z0-9_-]`, and issuer URLs and client ids
 * are neither, so the tenant key is hashed. Stable, so a tenant's files stay in one folder.
 */
export function fileStoreTenantId(tenant: TenantKey): string {
  return createHash('sha256').update(`${tenant.issuer}\u0000${tenant.clientId}\u0000${tenant.deploymentId}`).digest('hex').slice(0, 40);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, and must not reach the database as a cast error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
