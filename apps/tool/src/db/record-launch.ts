import { and, isNull, sql } from 'drizzle-orm';
import type { LaunchContext } from '../domain/ports.ts';
import type { Executor } from './executor.ts';
import { launches, ltiContexts, ltiUsers, placedUnits } from './schema/launches.ts';
import { whereCourse } from './where-learner.ts';
import { platformRegistrations } from './schema/tenants.ts';

/**
 * Remembers a validated launch: the deployment under its registration, the user and the context
 * as last seen, and one `launches` row. Called by the LTI adapter after ltijs accepted the id_token.
 *
 * One statement, its upserts as data-modifying WITH queries: atomic as the transaction it replaces,
 * in one round trip instead of six (begin, four inserts, commit). A launch storm waits on round trips
 * to the database more than on anything else (bench/launch-storm.bench.ts). The same statement says
 * whether the course has units offered by deep linking and not yet confirmed (decision 0020), so
 * the launches of a course with none, nearly all of them, need no statement to look for them.
 */
export async function recordLaunch(db: Executor, launch: LaunchContext): Promise<{ launchId: string; offersWaiting: boolean }> {
  // Only launches from an active registration and a known deployment get here (unknown ones are
  // refused before ltijs verifies the token), so this upsert refreshes the platform's name and
  // leaves the deployment list as it is; the insert branch covers a registration made by ltijs alone.
  const registration = db
    .insert(platformRegistrations)
    .values({ issuer: launch.issuer, clientId: launch.clientId, name: launch.platformName, deploymentIds: [launch.deploymentId], isActive: true })
    .onConflictDoUpdate({
      target: [platformRegistrations.issuer, platformRegistrations.clientId],
      set: {
        name: sql`coalesce(excluded.name, ${platformRegistrations.name})`,
        deploymentIds: sql`case when ${platformRegistrations.deploymentIds} @> excluded.deployment_ids then ${platformRegistrations.deploymentIds} else ${platformRegistrations.deploymentIds} || excluded.deployment_ids end`,
        updatedAt: sql`now()`,
      },
    });
  const tenant = { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId };
  const user = db
    .insert(ltiUsers)
    .values({ ...tenant, userId: launch.userId, name: launch.userName, email: launch.userEmail })
    .onConflictDoUpdate({
      target: [ltiUsers.issuer, ltiUsers.clientId, ltiUsers.deploymentId, ltiUsers.userId],
      set: { name: sql`excluded.name`, email: sql`excluded.email`, lastSeenAt: sql`now()` },
    });
  const context =
    launch.contextId === null
      ? null
      : db
          .insert(ltiContexts)
          .values({ ...tenant, contextId: launch.contextId, title: launch.contextTitle })
          .onConflictDoUpdate({
            target: [ltiContexts.issuer, ltiContexts.clientId, ltiContexts.deploymentId, ltiContexts.contextId],
            set: { title: sql`excluded.title`, lastSeenAt: sql`now()` },
          });
  const launchRow = db
    .insert(launches)
    .values({
      ...tenant,
      userId: launch.userId,
      messageType: launch.messageType,
      contextId: launch.contextId,
      resourceLinkId: launch.resourceLinkId,
      unitId: launch.unitId,
      roles: [...launch.rawRoles],
      lineItemUrl: launch.lineItemUrl,
    })
    .returning({ id: launches.id });
  const offersWaiting =
    launch.contextId === null
      ? sql`false`
      : sql`exists ${db
          .select({ unitId: placedUnits.unitId })
          .from(placedUnits)
          .where(and(whereCourse(placedUnits, { ...tenant, contextId: launch.contextId }), isNull(placedUnits.confirmedAt)))}`;
  // PostgreSQL runs every data-modifying WITH query to completion whether or not it is read. Each
  // part goes in as its SQL: a query builder itself would be wrapped in parentheses as a subquery.
  const result = await db.execute(
    sql`with seen_registration as (${registration.getSQL()}), seen_user as (${user.getSQL()})${context ? sql`, seen_context as (${context.getSQL()})` : sql``}, new_launch as (${launchRow.getSQL()})
      select id, ${offersWaiting} as offers_waiting from new_launch`,
  );
  // Both drivers (node-postgres and PGlite) answer `{ rows }`; the shared Database type cannot say so.
  const [row] = (result as unknown as { rows: { id: string; offers_waiting: boolean }[] }).rows;
  if (!row) throw new Error('recordLaunch: insert returned no row');
  return { launchId: row.id, offersWaiting: row.offers_waiting };
}
