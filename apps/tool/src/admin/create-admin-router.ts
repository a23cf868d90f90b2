import express from 'express';
import { asc, eq } from 'drizzle-orm';
import { apiRoutes } from '@attest/contracts';
import type { AdminConsole, ConsolePlatform } from '@attest/contracts';
import { platformRegistrations } from '../db/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { DEFAULT_EVIDENCE_QUOTA } from '../evidence/learner-quota.ts';
import type { EvidenceQuota } from '../evidence/learner-quota.ts';
import { routesOn } from '../http/register-route.ts';
import type { Authorise } from '../http/register-route.ts';
import { frameOriginsOf } from '../lti/platform-registry.ts';
import type { PlatformRegistry } from '../lti/platform-registry.ts';
import { administratorActor, administratorScopeOf, mayManage } from './administrator-scope.ts';
import type { AdministratorScope } from './administrator-scope.ts';
import { ADMINISTRATION_AUDIT_CHAIN, grantAttestAdministrator, listAttestAdministrators, revokeAttestAdministrator } from './attest-administrators.ts';

/** What the console changes through the registry, so ltijs's documents and the frame-origins cache follow. */
export type ConsolePlatformRegistry = Pick<PlatformRegistry, 'setActive' | 'rename' | 'addDeployment'>;

export interface AdminRouterDeps {
  readonly db: Database;
  /** Absent only in API tests built on a stand-in adapter: the console's changes then fail with 500. */
  readonly platforms?: ConsolePlatformRegistry | undefined;
  readonly evidenceQuota?: EvidenceQuota | undefined;
  readonly checkResponses?: boolean | undefined;
}

type RegistrationRow = typeof platformRegistrations.$inferSelect;

function toConsolePlatform(row: RegistrationRow): ConsolePlatform {
  return {
    id: row.id,
    issuer: row.issuer,
    clientId: row.clientId,
    name: row.name,
    isActive: row.isActive,
    registeredVia: row.registeredVia,
    deploymentIds: row.deploymentIds,
    pendingDeployments: row.pendingDeployments.map((p) => ({ deploymentId: p.deploymentId, contextTitle: p.contextTitle, firstLaunchAt: p.firstLaunchAt, launches: p.launches })),
    frameOrigins: frameOriginsOf(row),
    createdAt: row.createdAt.toISOString(),
    activatedAt: row.activatedAt?.toISOString() ?? null,
  };
}

/**
 * /api/admin/* (decision 21): the administration console. Every route authorises first
 * (administratorScopeOf: 403 for anyone else); a registration the administrator may not manage is
 * answered exactly as one that does not exist (404), so a college's administrator learns nothing
 * of another's. Changes go through the platform registry, which writes ltijs's documents and our
 * row together and appends the audit entry in the same transaction.
 */
export function createAdminRouter(deps: AdminRouterDeps): express.Router {
  const router = express.Router();
  const route = routesOn(router, { checkResponses: deps.checkResponses ?? false });
  const { db } = deps;
  const quota = deps.evidenceQuota ?? DEFAULT_EVIDENCE_QUOTA;

  const administrator: Authorise<AdministratorScope> = (launch) => administratorScopeOf(db, launch);
  const attestAdministrator: Authorise<AdministratorScope> = async (launch) => {
    const scope = await administratorScopeOf(db, launch);
    if (scope.kind !== 'attest') throw new AppError('forbidden', 'Only an Attest administrator can change who administers Attest.');
    return scope;
  };
  const registry = (): ConsolePlatformRegistry => {
    if (!deps.platforms) throw new AppError('internal', 'Something went wrong on our side. Please try again.', { logMessage: 'createAdminRouter was given no platform registry' });
    return deps.platforms;
  };

  /** The registration by id, if this administrator may manage it; otherwise 404, as for none. */
  async function manageable(scope: AdministratorScope, platformId: string): Promise<RegistrationRow> {
    const [row] = await db.select().from(platformRegistrations).where(eq(platformRegistrations.id, platformId));
    if (!row || !mayManage(scope, row)) throw new AppError('not_found', 'There is no platform with this id that you administer.');
    return row;
  }
  async function reread(platformId: string): Promise<ConsolePlatform> {
    const [row] = await db.select().from(platformRegistrations).where(eq(platformRegistrations.id, platformId));
    if (!row) throw new AppError('not_found', 'The platform was removed meanwhile.');
    return toConsolePlatform(row);
  }

  route(apiRoutes.getAdminConsole, administrator, async ({ scope }): Promise<AdminConsole> => {
    const rows = await db.select().from(platformRegistrations).orderBy(asc(platformRegistrations.createdAt), asc(platformRegistrations.id));
    return {
      administrator: { kind: scope.kind, issuer: scope.issuer, userId: scope.userId, name: scope.userName },
      platforms: rows.filter((row) => mayManage(scope, row)).map(toConsolePlatform),
      administrators: scope.kind === 'attest' ? await listAttestAdministrators(db) : null,
      quotas: { evidenceBytesPerLearner: quota.maxBytes, evidenceItemsPerLearner: quota.maxItems },
    };
  });
  route(apiRoutes.setPlatformActive, administrator, async ({ scope, params, body }) => {
    const row = await manageable(scope, params.platformId);
    await registry().setActive(row.issuer, row.clientId, body.isActive, administratorActor(scope, row));
    return reread(row.id);
  });
  route(apiRoutes.renamePlatform, administrator, async ({ scope, params, body }) => {
    const row = await manageable(scope, params.platformId);
    await registry().rename(row.issuer, row.clientId, body.name, administratorActor(scope, row));
    return reread(row.id);
  });
  route(apiRoutes.approveDeployment, administrator, async ({ scope, params, body }) => {
    const row = await manageable(scope, params.platformId);
    await registry().addDeployment(row.issuer, row.clientId, body.deploymentId, administratorActor(scope, row));
    return reread(row.id);
  });
  route(apiRoutes.grantAdministrator, attestAdministrator, async ({ scope, body }) =>
    grantAttestAdministrator(db, body, { actor: administratorActor(scope, ADMINISTRATION_AUDIT_CHAIN), grantedBy: `${scope.issuer} ${scope.userId}` }),
  );
  route(apiRoutes.revokeAdministrator, attestAdministrator, async ({ scope, params }) => {
    const administrators = await listAttestAdministrators(db);
    const target = administrators.find((a) => a.id === params.administratorId);
    if (!target) throw new AppError('not_found', 'There is no Attest administrator with this id.');
    if (target.issuer === scope.issuer && target.userId === scope.userId) throw new AppError('rule_violation', 'You cannot end your own administration: ask another Attest administrator.');
    return { revoked: await revokeAttestAdministrator(db, { id: target.id }, administratorActor(scope, ADMINISTRATION_AUDIT_CHAIN)) };
  });
  return router;
}
