import type { AdministratorKind } from '@attest/contracts';
import type { AuditActor } from '../audit/index.ts';
import type { Executor } from '../db/index.ts';
import type { LaunchContext } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { isPlatformAdministrator } from '../lti/to-roles.ts';
import { isAttestAdministrator } from './attest-administrators.ts';

/** Who is using the console, and which registrations they may see (decision 21). */
export interface AdministratorScope {
  readonly kind: AdministratorKind;
  /** The registration they launched from: a platform administrator's only one. */
  readonly issuer: string;
  readonly clientId: string;
  readonly userId: string;
  readonly userName: string | null;
}

/** As read with the ltik at this request when it was (authenticate), else looked up now. */
async function isAttestAdministratorNow(db: Executor, launch: LaunchContext): Promise<boolean> {
  return launch.attestAdministrator ?? (await isAttestAdministrator(db, launch.issuer, launch.userId));
}

/** Whether this launch may open the console: what the session reports to the UI. */
export async function canAdminister(db: Executor, launch: LaunchContext): Promise<boolean> {
  return isPlatformAdministrator(launch.rawRoles) || (await isAttestAdministratorNow(db, launch));
}

/**
 * An Attest administrator's launch (from any registration), else an LMS administrator's; anyone
 * else is refused with 403 before anything is read. Being an Attest administrator is looked up on
 * every request, so a revoked grant ends at the next call, not at the next launch.
 */
export async function administratorScopeOf(db: Executor, launch: LaunchContext): Promise<AdministratorScope> {
  const person = { issuer: launch.issuer, clientId: launch.clientId, userId: launch.userId, userName: launch.userName };
  if (await isAttestAdministratorNow(db, launch)) return { kind: 'attest', ...person };
  if (isPlatformAdministrator(launch.rawRoles)) return { kind: 'platform', ...person };
  throw new AppError('forbidden', 'Only an administrator of your LMS, or one Attest has made an administrator, can open the administration console.');
}

/** Whether the scope may see and change this registration: one's own, or any for an Attest administrator. */
export function mayManage(scope: AdministratorScope, registration: { readonly issuer: string; readonly clientId: string }): boolean {
  return scope.kind === 'attest' || (registration.issuer === scope.issuer && registration.clientId === scope.clientId);
}

/**
 * The audit actor. The entry lands in the chain of the registration changed; an Attest
 * administrator may have launched from another LMS, whose user ids mean nothing in this chain, so
 * their user id is recorded with their issuer.
 */
export function administratorActor(scope: AdministratorScope, registration: { readonly issuer: string }): AuditActor {
  const userId = registration.issuer === scope.issuer ? scope.userId : `${scope.issuer} ${scope.userId}`;
  return { type: 'user', userId, role: 'administrator', name: scope.userName };
}
