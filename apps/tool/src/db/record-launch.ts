import { sql } from 'drizzle-orm';
import type { LaunchContext } from '../domain/ports.ts';
import type { Database } from './open-database.ts';
import { launches, ltiContexts, ltiUsers } from './schema/launches.ts';
import { platformRegistrations } from './schema/tenants.ts';

/**
 * Remembers a validated launch: the deployment under its registration, the user and the context
 * as last seen, and one `launches` row. Called by the LTI adapter after ltijs accepted the id_token.
 */
export async function recordLaunch(db: Database, launch: LaunchContext): Promise<{ launchId: string }> {
  return db.transaction(async (tx) => {
    // Only launches from an active registration and a known deployment get here (unknown ones are
    // refused before ltijs verifies the token), so this upsert refreshes the platform's name and
    // leaves the deployment list as it is; the insert branch covers a registration made by ltijs alone.
    await tx
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
    await tx
      .insert(ltiUsers)
      .values({ ...tenant, userId: launch.userId, name: launch.userName, email: launch.userEmail })
      .onConflictDoUpdate({
        target: [ltiUsers.issuer, ltiUsers.clientId, ltiUsers.deploymentId, ltiUsers.userId],
        set: { name: sql`excluded.name`, email: sql`excluded.email`, lastSeenAt: sql`now()` },
      });
    if (launch.contextId !== null) {
      await tx
        .insert(ltiContexts)
        .values({ ...tenant, contextId: launch.contextId, title: launch.contextTitle })
        .onConflictDoUpdate({
          target: [ltiContexts.issuer, ltiContexts.clientId, ltiContexts.deploymentId, ltiContexts.contextId],
          set: { title: sql`excluded.title`, lastSeenAt: sql`now()` },
        });
    }
    const [row] = await tx
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
    if (!row) throw new Error('recordLaunch: insert returned no row');
    return { launchId: row.id };
  });
}
