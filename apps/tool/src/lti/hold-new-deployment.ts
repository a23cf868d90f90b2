import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { CLAIM_CONTEXT } from './claims.ts';
import { fetchPlatformJson } from './fetch-platform-json.ts';
import type { FetchLimits, HostPolicy } from './fetch-platform-json.ts';
import type { PlatformRegistry } from './platform-registry.ts';

// A launch from a deployment Attest does not list, of a registration that is ACTIVE. Canvas makes a
// new deployment for every install of the tool in a sub-account or a course; each deployment is its
// own tenant here, so none opens until an administrator approves it
// (docs/decisions/0013-canvas-deployments.md). Before anything is recorded the id_token is verified
// against the keys of the platform it names (its registered JWKS, fetched under the same host policy
// as every platform fetch): a token nobody at that platform signed records nothing. Then the
// deployment is recorded for the administrator (`register-platform list`; approved with
// `add-deployment`) and the launch is refused with a page that says so. ltijs never sees the launch,
// so no tenant row, launch record, ltijs document or ltik exists before approval.

export type NewDeploymentOutcome = 'approved' | 'recorded' | 'not_recorded' | 'not_verified';

export interface NewDeploymentLaunch {
  readonly idToken: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
}

export interface NewDeploymentOptions {
  readonly hostPolicy: HostPolicy;
  readonly limits?: FetchLimits | undefined;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

/**
 * `approved`: approved meanwhile, the launch goes on; `recorded`: it waits for approval now;
 * `not_recorded`: too many others wait already; `not_verified`: the token is not that platform's.
 */
export async function holdNewDeployment(platforms: PlatformRegistry, launch: NewDeploymentLaunch, { hostPolicy, limits, log }: NewDeploymentOptions): Promise<NewDeploymentOutcome> {
  const platform = await platforms.find(launch.issuer, launch.clientId);
  if (!platform?.isActive || !platform.jwksUrl) return 'not_verified';
  let claims: Record<string, unknown>;
  try {
    const keys = (await fetchPlatformJson(platform.jwksUrl, 'JWKS', { headers: { accept: 'application/json' } }, hostPolicy, limits)) as JSONWebKeySet;
    // Signature, issuer and audience; the time, nonce and claim checks already ran (check-id-token.ts).
    ({ payload: claims } = await jwtVerify(launch.idToken, createLocalJWKSet(keys), { algorithms: ['RS256'], issuer: launch.issuer, audience: launch.clientId }));
  } catch (error) {
    log('new deployment not recorded: the id_token is not verified by the platform keys', { issuer: launch.issuer, clientId: launch.clientId, reason: (error as { code?: unknown }).code ?? (error as Error).name });
    return 'not_verified';
  }
  const context = typeof claims[CLAIM_CONTEXT] === 'object' && claims[CLAIM_CONTEXT] !== null ? (claims[CLAIM_CONTEXT] as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value.slice(0, 200) : null);
  const outcome = await platforms.recordPendingDeployment(launch.issuer, launch.clientId, launch.deploymentId, { contextId: text(context.id), contextTitle: text(context.title) });
  if (outcome === 'approved') return 'approved';
  if (outcome === 'full') {
    log('new deployment not recorded: too many wait for approval', { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId });
    return 'not_recorded';
  }
  log('new deployment recorded for approval', { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, launches: outcome.launches });
  return 'recorded';
}
