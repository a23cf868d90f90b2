import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import { launches, ltiUsers } from './schema/index.ts';

export interface CourseOfLaunch {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string | null;
}

/** Someone who has launched Attest in a course: their roles at the latest launch, and the name and email the LMS last sent. */
export interface LaunchedMember {
  readonly roles: readonly string[];
  readonly name: string | null;
  readonly email: string | null;
}

/**
 * Each user's roles (as the LMS sent them) at their latest launch in one course: what the LMS said
 * of them most recently, where the roster can say otherwise (Moodle's NRPS lists a non-editing
 * teacher as a Learner; see apps/tool/src/assessment/roster-cache.ts), and all Attest knows of the
 * course's people where the LMS shares no roster. One statement per course.
 */
export async function latestLaunchMembers(db: Executor, course: CourseOfLaunch): Promise<ReadonlyMap<string, LaunchedMember>> {
  if (course.contextId === null) return new Map();
  const rows = await db
    .selectDistinctOn([launches.userId], { userId: launches.userId, roles: launches.roles, name: ltiUsers.name, email: ltiUsers.email })
    .from(launches)
    .leftJoin(ltiUsers, and(eq(ltiUsers.issuer, launches.issuer), eq(ltiUsers.clientId, launches.clientId), eq(ltiUsers.deploymentId, launches.deploymentId), eq(ltiUsers.userId, launches.userId)))
    .where(and(eq(launches.issuer, course.issuer), eq(launches.clientId, course.clientId), eq(launches.deploymentId, course.deploymentId), eq(launches.contextId, course.contextId)))
    .orderBy(launches.userId, desc(launches.createdAt));
  return new Map(rows.map((row) => [row.userId, { roles: row.roles, name: row.name, email: row.email }]));
}
