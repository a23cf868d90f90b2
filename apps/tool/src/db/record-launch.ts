import { and, eq, isNull, sql } from 'drizzle-orm';
import type { LaunchContext } from '../domain/ports.ts';
import type { Database } from './open-database.ts';
import { preparedPerDatabase } from './prepared-per-database.ts';
import { launches, ltiContexts, ltiUsers, placedUnits } from './schema/launches.ts';
import { platformRegistrations } from './schema/tenants.ts';

/**
 * Remembers a validated launch: the deployment under its registration, the user and the context
 * as last seen, and one `launches` row. Called by the LTI adapter after ltijs accepted the id_token.
 *
 * One statement, its upserts as data-modifying WITH queries: atomic as the transaction it replaces,
 * in one round trip instead of six (begin, four inserts, commit), and prepared (built and planned
 * once). A launch storm waits on the database and on building queries more than on anything else
 * (bench/launch-storm.bench.ts). The same statement says whether the course has units offered by
 * deep linking and not yet confirmed (decision 0020), so the launches of a course with none,
 * nearly all of them, need no statement to look for them.
 */
export async function recordLaunch(db: Database, launch: LaunchContext): Promise<{ launchId: string; offersWaiting: boolean }> {
  const statements = preparedFor(db);
  const values = {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    platformName: launch.platformName,
    deploymentIds: [launch.deploymentId],
    userId: launch.userId,
    userName: launch.userName,
    userEmail: launch.userEmail,
    contextId: launch.contextId,
    contextTitle: launch.contextTitle,
    messageType: launch.messageType,
    resourceLinkId: launch.resourceLinkId,
    unitId: launch.unitId,
    roles: [...launch.rawRoles],
    lineItemUrl: launch.lineItemUrl,
  };
  const [row] = await (launch.contextId === null ? statements.withoutContext : statements.withContext).execute(values);
  if (!row) throw new Error('recordLaunch: insert returned no row');
  return { launchId: row.id, offersWaiting: row.offersWaiting === true };
}

const preparedFor = preparedPerDatabase(prepare);

/** The statement for a launch in a course and for one outside any (no context to remember). */
function prepare(db: Database) {
  const p = sql.placeholder;
  // Only launches from an active registration and a known deployment get here (unknown ones are
  // refused before ltijs verifies the token), so this upsert refreshes the platform's name and
  // leaves the deployment list as it is; the insert branch covers a registration made by ltijs alone.
  const registration = db
    .insert(platformRegistrations)
    .values({ issuer: p('issuer'), clientId: p('clientId'), name: p('platformName'), deploymentIds: p('deploymentIds'), isActive: true })
    .onConflictDoUpdate({
      target: [platformRegistrations.issuer, platformRegistrations.clientId],
      set: {
        name: sql`coalesce(excluded.name, ${platformRegistrations.name})`,
        deploymentIds: sql`case when ${platformRegistrations.deploymentIds} @> excluded.deployment_ids then ${platformRegistrations.deploymentIds} else ${platformRegistrations.deploymentIds} || excluded.deployment_ids end`,
        updatedAt: sql`now()`,
      },
    });
  const tenant = { issuer: p('issuer'), clientId: p('clientId'), deploymentId: p('deploymentId') };
  const user = db
    .insert(ltiUsers)
    .values({ ...tenant, userId: p('userId'), name: p('userName'), email: p('userEmail') })
    .onConflictDoUpdate({
      target: [ltiUsers.issuer, ltiUsers.clientId, ltiUsers.deploymentId, ltiUsers.userId],
      set: { name: sql`excluded.name`, email: sql`excluded.email`, lastSeenAt: sql`now()` },
    });
  const context = db
    .insert(ltiContexts)
    .values({ ...tenant, contextId: p('contextId'), title: p('contextTitle') })
    .onConflictDoUpdate({
      target: [ltiContexts.issuer, ltiContexts.clientId, ltiContexts.deploymentId, ltiContexts.contextId],
      set: { title: sql`excluded.title`, lastSeenAt: sql`now()` },
    });
  const launchRow = db
    .insert(launches)
    .values({
      ...tenant,
      userId: p('userId'),
      messageType: p('messageType'),
      contextId: p('contextId'),
      resourceLinkId: p('resourceLinkId'),
      unitId: p('unitId'),
      roles: p('roles'),
      lineItemUrl: p('lineItemUrl'),
    })
    .returning({ id: launches.id });
  const offersWaiting = db
    .select({ unitId: placedUnits.unitId })
    .from(placedUnits)
    .where(
      and(
        eq(placedUnits.issuer, p('issuer')),
        eq(placedUnits.clientId, p('clientId')),
        eq(placedUnits.deploymentId, p('deploymentId')),
        eq(placedUnits.contextId, p('contextId')),
        isNull(placedUnits.confirmedAt),
      ),
    );
  // PostgreSQL runs every data-modifying WITH query to completion whether or not it is read.
  const seenRegistration = db.$with('seen_registration', {}).as(registration.getSQL());
  const seenUser = db.$with('seen_user', {}).as(user.getSQL());
  const seenContext = db.$with('seen_context', {}).as(context.getSQL());
  const newLaunch = db.$with('new_launch', { id: sql<string>`id` }).as(launchRow.getSQL());
  return {
    withContext: db
      .with(seenRegistration, seenUser, seenContext, newLaunch)
      .select({ id: sql<string>`new_launch.id`, offersWaiting: sql<boolean>`exists ${offersWaiting}` })
      .from(newLaunch)
      .prepare('attest_record_launch'),
    withoutContext: db
      .with(seenRegistration, seenUser, newLaunch)
      .select({ id: sql<string>`new_launch.id`, offersWaiting: sql<boolean>`false` })
      .from(newLaunch)
      .prepare('attest_record_launch_outside_a_course'),
  };
}
