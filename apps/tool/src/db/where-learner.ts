import { and, eq } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

// Every course-level row is keyed by the tenant and the course; these filters are written once so
// that no query can forget a part of the key and read another tenant's or course's rows.

interface CourseKey {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string;
}
interface LearnerKey extends CourseKey {
  readonly learnerUserId: string;
}
interface CourseColumns {
  readonly issuer: PgColumn;
  readonly clientId: PgColumn;
  readonly deploymentId: PgColumn;
  readonly contextId: PgColumn;
}
interface LearnerColumns extends CourseColumns {
  readonly learnerUserId: PgColumn;
}

/** Rows of one course of one tenant. */
export function whereCourse(table: CourseColumns, key: CourseKey): SQL {
  return and(eq(table.issuer, key.issuer), eq(table.clientId, key.clientId), eq(table.deploymentId, key.deploymentId), eq(table.contextId, key.contextId)) as SQL;
}

/** Rows of one learner in one course of one tenant. */
export function whereLearner(table: LearnerColumns, key: LearnerKey): SQL {
  return and(whereCourse(table, key), eq(table.learnerUserId, key.learnerUserId)) as SQL;
}

/** Rows of one learner's unit in one course of one tenant. */
export function whereLearnerUnit(table: LearnerColumns & { readonly unitId: PgColumn }, key: LearnerKey, unitId: string): SQL {
  return and(whereLearner(table, key), eq(table.unitId, unitId)) as SQL;
}
