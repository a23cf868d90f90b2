import { asc, and, eq, sql } from 'drizzle-orm';
import { containmentOf, liveDocumentsWhere } from './ltijs-store.ts';
import type { Database } from './open-database.ts';
import { preparedPerDatabase } from './prepared-per-database.ts';
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
export async function readLaunchOfLtik(db: Database, ltik: LtikSubject): Promise<LaunchOfLtik> {
  const [row] = await preparedFor(db).execute({
    issuer: ltik.issuer,
    clientId: ltik.clientId,
    user: ltik.user,
    idTokenQuery: containmentOf({ iss: ltik.issuer, clientId: ltik.clientId, deploymentId: ltik.deploymentId, user: ltik.user }),
    contextTokenQuery: containmentOf({ contextId: ltik.contextId, user: ltik.user }),
  });
  const withDate = (document: Record<string, unknown> | null | undefined) => (document ? { ...document, createdAt: new Date(document.createdAt as string) } : null);
  return { registration: row?.registration ?? null, idToken: withDate(row?.idToken), contextToken: withDate(row?.contextToken), attestAdministrator: row?.attestAdministrator === true };
}

const preparedFor = preparedPerDatabase(prepare);

function prepare(db: Database) {
  const registration = db
    .select({ registration: sql`json_build_object('isActive', ${platformRegistrations.isActive}, 'deploymentIds', ${platformRegistrations.deploymentIds})` })
    .from(platformRegistrations)
    .where(and(eq(platformRegistrations.issuer, sql.placeholder('issuer')), eq(platformRegistrations.clientId, sql.placeholder('clientId'))));
  const documentOf = (collection: string, criteria: string) =>
    db
      .select({ document: sql`${ltijsDocuments.fields} || jsonb_build_object('createdAt', ${ltijsDocuments.createdAt})` })
      .from(ltijsDocuments)
      .where(liveDocumentsWhere(collection, sql.placeholder(criteria)))
      .orderBy(asc(ltijsDocuments.id))
      .limit(1);
  const administrator = db
    .select({ id: attestAdministrators.id })
    .from(attestAdministrators)
    .where(and(eq(attestAdministrators.issuer, sql.placeholder('issuer')), eq(attestAdministrators.userId, sql.placeholder('user'))));
  return db
    .select({
      registration: sql<LaunchOfLtik['registration']>`${registration}`,
      idToken: sql<Record<string, unknown> | null>`${documentOf('idtoken', 'idTokenQuery')}`,
      contextToken: sql<Record<string, unknown> | null>`${documentOf('contexttoken', 'contextTokenQuery')}`,
      attestAdministrator: sql<boolean>`exists ${administrator}`,
    })
    .from(sql`(values (1)) as one_row(n)`)
    .prepare('attest_read_launch_of_ltik');
}
