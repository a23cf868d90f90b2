import { and, eq, sql } from 'drizzle-orm';
import type { AssessorProfile } from '@attest/contracts';
import type { Database, Executor } from '../db/index.ts';
import { assessorProfiles } from '../db/index.ts';
import type { TenantKey } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { appendAuditEntry, assessorActor } from '../audit/index.ts';
import type { AssessorScope } from './assessor-scope.ts';

/**
 * Attest cannot check an assessor's award, so it records what was declared and by whom. No row
 * means qualified; "not yet qualified" is declared by the assessor about themselves or by an
 * Administrator launch; only an Administrator can mark someone qualified (so a trainee cannot lift
 * their own countersignature requirement).
 */
export async function getAssessorProfile(db: Executor, tenant: TenantKey, userId: string, name: string | null): Promise<AssessorProfile> {
  const [row] = await db
    .select()
    .from(assessorProfiles)
    .where(and(eq(assessorProfiles.issuer, tenant.issuer), eq(assessorProfiles.clientId, tenant.clientId), eq(assessorProfiles.deploymentId, tenant.deploymentId), eq(assessorProfiles.userId, userId)));
  if (!row) return { userId, name, qualification: 'qualified', setBy: null, setAt: null };
  return { userId, name: row.name ?? name, qualification: row.isQualified ? 'qualified' : 'not-yet-qualified', setBy: row.setBy, setAt: row.setAt.toISOString() };
}

export async function setAssessorQualification(db: Database, scope: AssessorScope, target: { userId: string; name: string | null }, qualification: AssessorProfile['qualification']): Promise<AssessorProfile> {
  const isSelf = target.userId === scope.userId;
  if (!scope.isAdministrator && !(isSelf && qualification === 'not-yet-qualified')) {
    throw new AppError('forbidden', isSelf ? 'Only an administrator can mark an assessor as qualified.' : 'Only an administrator can set another assessor’s qualification.');
  }
  const values = { issuer: scope.issuer, clientId: scope.clientId, deploymentId: scope.deploymentId, userId: target.userId, name: target.name, isQualified: qualification === 'qualified', setBy: scope.userId };
  await db.transaction(async (tx) => {
    await tx
      .insert(assessorProfiles)
      .values(values)
      .onConflictDoUpdate({ target: [assessorProfiles.issuer, assessorProfiles.clientId, assessorProfiles.deploymentId, assessorProfiles.userId], set: { name: sql`coalesce(excluded.name, ${assessorProfiles.name})`, isQualified: values.isQualified, setBy: values.setBy, setAt: sql`now()` } });
    await appendAuditEntry(tx, {
      tenant: scope,
      contextId: scope.contextId,
      actor: assessorActor(scope),
      action: 'assessor.qualification-changed',
      subject: { type: 'assessor', id: target.userId, label: target.name },
      content: { userId: target.userId, qualification },
    });
  });
  return getAssessorProfile(db, scope, target.userId, target.name);
}
