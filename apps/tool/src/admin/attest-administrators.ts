import { and, asc, eq } from 'drizzle-orm';
import type { AttestAdministrator } from '@attest/contracts';
import { appendAuditEntry } from '../audit/index.ts';
import type { AuditActor } from '../audit/index.ts';
import { attestAdministrators } from '../db/index.ts';
import type { Database, Executor } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';

// The people Attest itself makes administrators (decision 21). Granting and revoking are not acts
// of any one LMS registration, so their audit entries form a chain of their own, keyed by this
// pseudo-registration: `audit verify` walks it like any tenant's.
export const ADMINISTRATION_AUDIT_CHAIN = { issuer: 'urn:attest:administration', clientId: 'attest' } as const;

type AdministratorRow = typeof attestAdministrators.$inferSelect;

function toAttestAdministrator(row: AdministratorRow): AttestAdministrator {
  return { id: row.id, issuer: row.issuer, userId: row.userId, name: row.name, grantedBy: row.grantedBy, grantedAt: row.grantedAt.toISOString() };
}

export async function isAttestAdministrator(db: Executor, issuer: string, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: attestAdministrators.id }).from(attestAdministrators).where(and(eq(attestAdministrators.issuer, issuer), eq(attestAdministrators.userId, userId)));
  return row !== undefined;
}

export async function listAttestAdministrators(db: Executor): Promise<AttestAdministrator[]> {
  const rows = await db.select().from(attestAdministrators).orderBy(asc(attestAdministrators.grantedAt), asc(attestAdministrators.id));
  return rows.map(toAttestAdministrator);
}

/**
 * Makes the person an Attest administrator. `grantedBy` says who did (`cli`, or the granting
 * administrator's issuer and user id); a person who already is one gets AppError('conflict').
 */
export async function grantAttestAdministrator(db: Database, person: { issuer: string; userId: string; name: string | null }, by: { actor: AuditActor; grantedBy: string }): Promise<AttestAdministrator> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(attestAdministrators).values({ ...person, grantedBy: by.grantedBy }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', 'This person is already an Attest administrator.');
    await appendAuditEntry(tx, {
      tenant: ADMINISTRATION_AUDIT_CHAIN,
      actor: by.actor,
      action: 'administrator.granted',
      subject: { type: 'administrator', id: row.id, label: row.name ?? row.userId },
      content: { issuer: row.issuer, userId: row.userId, name: row.name },
    });
    return toAttestAdministrator(row);
  });
}

/** Ends a grant; AppError('not_found') when there is none with this id (or it names nobody). */
export async function revokeAttestAdministrator(db: Database, match: { id: string } | { issuer: string; userId: string }, actor: AuditActor): Promise<AttestAdministrator> {
  return db.transaction(async (tx) => {
    const where = 'id' in match ? eq(attestAdministrators.id, match.id) : and(eq(attestAdministrators.issuer, match.issuer), eq(attestAdministrators.userId, match.userId));
    const [row] = await tx.delete(attestAdministrators).where(where).returning();
    if (!row) throw new AppError('not_found', 'There is no Attest administrator with this id.');
    await appendAuditEntry(tx, {
      tenant: ADMINISTRATION_AUDIT_CHAIN,
      actor,
      action: 'administrator.revoked',
      subject: { type: 'administrator', id: row.id, label: row.name ?? row.userId },
      content: { issuer: row.issuer, userId: row.userId, isRevoked: true },
    });
    return toAttestAdministrator(row);
  });
}
