import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import { launches } from './schema/index.ts';

export interface CourseOfLaunch {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string | null;
}

/**
 * Each user's roles (as the LMS sent them) at their latest launch in one course: what the LMS said
 * of them most recently, where the roster can say otherwise (Moodle's NRPS lists a non-editing
 * teacher as a Learner; see apps/tool/src/assessment/roster-cache.ts). One statement per course.
 */
export async function latestLaunchRoles(db: Executor, course: CourseOfLaunch): Promise<ReadonlyMap<string, readonly string[]>> {
  if (course.contextId === null) return new Map();
  const rows = await db
    .selectDistinctOn([launches.userId], { userId: launches.userId, roles: launches.roles })
    .from(launches)
    .where(and(eq(launches.issuer, course.issuer), eq(launches.clientId, course.clientId), eq(launches.deploymentId, course.deploymentId), eq(launches.contextId, course.contextId)))
    .orderBy(launches.userId, desc(launches.createdAt));
  return new Map(rows.map((row) => [row.userId, row.roles]));
}
