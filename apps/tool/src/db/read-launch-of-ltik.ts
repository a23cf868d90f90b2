import { asc, and, eq, sql } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import { liveDocumentsWhere } from './ltijs-store.ts';
import { ltijsDocuments } from './schema/ltijs-documents.ts';
import { attestAdministrators, platformRegistrations } from './schema/tenants.ts';

/** What an ltik names (ltijs signs these into it): the tenant, the course and the user. */
export interface LtikSubject {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string;
  readonly user: string;
}

export interface LaunchOfLtik {
  /** The tenant's registration as it stands now, or null when there is none. */
  readonly registration: { readonly isActive: boolean; readonly deploymentIds: readonly string[] } | null;
  /** ltijs's stored id token of the user's latest launch (`Get(false, 'idtoken', …)`'s first), or null once expired. */
  readonly idToken: Record<string, unknown> | null;
  /** ltijs's stored context token of the user in the course, or null once expired. */
  readonly contextToken: Record<string, unknown> | null;
  /** Whether Attest has made this user an administrator (decision 21). */
  readonly attestAdministrator: boolean;
}

/**
 * Everything an API request needs to turn its ltik into a launch, in one statement: whether the
 * tenant may still launch, the two documents ltijs stored at the launch, and whether the user is an
 * Attest administrator (the session and the console ask). Every API call runs it, the first one
 * after each launch included, so it is one round trip, not four (bench/launch-storm.bench.ts).
 */
export async function readLaunchOfLtik(db: Executor, ltik: LtikSubject): Promise<LaunchOfLtik> {
  const registration = db
    .select({ registration: sql`json_build_object('isActive', ${platformRegistrations.isActive}, 'deploymentIds', ${platformRegistrations.deploymentIds})` })
    .from(platformRegistrations)
    .where(and(eq(platformRegistrations.issuer, ltik.issuer), eq(platformRegistrations.clientId, ltik.clientId)));
  const documentOf = (collection: string, query: Record<string, unknown>) =>
    db
      .select({ document: sql`${ltijsDocuments.fields} || jsonb_build_object('createdAt', ${ltijsDocuments.createdAt})` })
      .from(ltijsDocuments)
      .where(liveDocumentsWhere(collection, query))
      .orderBy(asc(ltijsDocuments.id))
      .limit(1);
  const idToken = documentOf('idtoken', { iss: ltik.issuer, clientId: ltik.clientId, deploymentId: ltik.deploymentId, user: ltik.user });
  const contextToken = documentOf('contexttoken', { contextId: ltik.contextId, user: ltik.user });
  const administrator = db
    .select({ id: attestAdministrators.id })
    .from(attestAdministrators)
    .where(and(eq(attestAdministrators.issuer, ltik.issuer), eq(attestAdministrators.userId, ltik.user)));
  const result = await db.execute(sql`select ${registration} as registration, ${idToken} as id_token, ${contextToken} as context_token, exists ${administrator} as attest_administrator`);
  // Both drivers (node-postgres and PGlite) answer `{ rows }` with json parsed; the shared Database type cannot say so.
  const [row] = (result as unknown as { rows: { registration: LaunchOfLtik['registration']; id_token: Record<string, unknown> | null; context_token: Record<string, unknown> | null; attest_administrator: boolean }[] }).rows;
  const withDate = (document: Record<string, unknown> | null | undefined) => (document ? { ...document, createdAt: new Date(document.createdAt as string) } : null);
  return { registration: row?.registration ?? null, idToken: withDate(row?.id_token), contextToken: withDate(row?.context_token), attestAdministrator: row?.attest_administrator === true };
}
