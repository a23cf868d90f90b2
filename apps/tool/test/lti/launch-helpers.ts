import { count, inArray } from 'drizzle-orm';
import { launches, ltiContexts, ltijsDocuments, ltiUsers } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { BrowserlessAgent } from './browserless-agent.ts';

/** The tool's side of OIDC login initiation: ltijs sets the state cookie and names the nonce. */
export async function startLogin(
  agent: BrowserlessAgent,
  toolUrl: string,
  params: { issuer: string; clientId: string; deploymentId?: string; loginHint?: string },
): Promise<{ state: string; nonce: string; status: number }> {
  const query = new URLSearchParams({
    iss: params.issuer,
    login_hint: params.loginHint ?? 'login-hint',
    target_link_uri: `${toolUrl}/lti/launch`,
    client_id: params.clientId,
    ...(params.deploymentId ? { lti_deployment_id: params.deploymentId } : {}),
  });
  const response = await agent.request(`${toolUrl}/lti/login?${query.toString()}`);
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) return { state: '', nonce: '', status: response.status };
  const authorise = new URL(location);
  return { state: authorise.searchParams.get('state') ?? '', nonce: authorise.searchParams.get('nonce') ?? '', status: response.status };
}

export interface LaunchRowCounts {
  readonly idtoken: number;
  readonly contexttoken: number;
  readonly launches: number;
  readonly users: number;
  readonly contexts: number;
}

/** Rows a launch creates: ltijs's id token and context documents, and our users, contexts and launches. */
export async function countLaunchRows(connection: DatabaseConnection): Promise<LaunchRowCounts> {
  const documents = await connection.db
    .select({ collection: ltijsDocuments.collection, n: count() })
    .from(ltijsDocuments)
    .where(inArray(ltijsDocuments.collection, ['idtoken', 'contexttoken']))
    .groupBy(ltijsDocuments.collection);
  const [launchCount] = await connection.db.select({ n: count() }).from(launches);
  const [userCount] = await connection.db.select({ n: count() }).from(ltiUsers);
  const [contextCount] = await connection.db.select({ n: count() }).from(ltiContexts);
  return {
    idtoken: documents.find((d) => d.collection === 'idtoken')?.n ?? 0,
    contexttoken: documents.find((d) => d.collection === 'contexttoken')?.n ?? 0,
    launches: launchCount?.n ?? 0,
    users: userCount?.n ?? 0,
    contexts: contextCount?.n ?? 0,
  };
}

/** Replaces one character of the signature segment: same header and claims, a signature that fails. */
export function tamperSignature(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  const flipped = (signature[5] === 'A' ? 'B' : 'A');
  return `${header}.${payload}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`;
}

/** Rewrites the claims but keeps the original signature, as an attacker editing a token would. */
export function tamperPayload(jwt: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify(change(claims))).toString('base64url')}.${signature}`;
}
