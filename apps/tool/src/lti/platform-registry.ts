import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull, lt, sql } from 'drizzle-orm';
import { platformRegistrations, preparedPerDatabase } from '../db/index.ts';
import type { Database, Transaction } from '../db/index.ts';
import type { PendingDeploymentRecord } from '../db/schema/tenants.ts';
import { appendAuditEntry, systemActor } from '../audit/index.ts';
import type { AuditActor } from '../audit/index.ts';
import { generatePlatformKeyPair } from './generate-platform-key-pair.ts';
import type { LtijsDatabasePlugin, LtijsProvider } from './ltijs-types.ts';

// Platforms live in two places: ltijs's `platform`/`platformStatus`/key documents (what ltijs needs
// to run OIDC and sign service calls) and our `platform_registrations` row (one registration,
// issuer + client id: the deployments an administrator or Dynamic Registration added, and whether
// an administrator has activated it). Each of its deployments is one tenant (`TenantKey` in
// src/domain/ports.ts); a launch from a deployment the row does not list is refused. Every change
// here writes both places, so they cannot disagree about whether a platform may launch.

export interface PlatformRegistrationInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
  readonly authenticationEndpoint: string;
  readonly accessTokenEndpoint: string;
  readonly jwksUrl: string;
  /** OAuth2 `aud` for the client assertion when it is not the token endpoint (Moodle/Canvas: absent). */
  readonly authorizationServer?: string;
  readonly deploymentIds: readonly string[];
  /** Manual registration is an administrator's act, so it starts active unless told otherwise. */
  readonly isActive?: boolean;
  /** `dynamic` for /lti/register: never activated, such a registration is capped and pruned. Default `manual`. */
  readonly registeredVia?: 'manual' | 'dynamic';
  /**
   * Sites that show Attest in a frame besides the issuer's own (see frameOriginsOf). Needed for a
   * hosted Canvas, whose shared issuer is no school's site; added to any already recorded.
   */
  readonly frameOrigins?: readonly string[];
}

/** Where ltijs keeps a platform's documents and keys: our storage plugin and ltijs's encryption key. */
export interface LtijsKeyStore {
  readonly store: LtijsDatabasePlugin;
  readonly encryptionKey: string;
}

/** A dynamically registered platform nobody activated in time, as pruneNeverActivated removed it. */
export interface PrunedRegistration {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string | null;
  readonly createdAt: Date;
}

export type PendingDeployment = PendingDeploymentRecord;

/** At most this many deployments wait per registration; later new ones are refused without a record. */
export const MAX_PENDING_DEPLOYMENTS = 50;

export interface PlatformSummary {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string | null;
  readonly deploymentIds: readonly string[];
  /** Deployments seen in verified launches and waiting for an administrator (recordPendingDeployment). */
  readonly pendingDeployments: readonly PendingDeployment[];
  readonly isActive: boolean;
  /** Where this LMS may frame Attest: the issuer's origin (unless shared) and the recorded sites. */
  readonly frameOrigins: readonly string[];
  /** Our key id for this platform: it signs our client assertions and deep-linking responses. */
  readonly keyId: string | null;
  readonly authenticationEndpoint: string | null;
  readonly accessTokenEndpoint: string | null;
  readonly jwksUrl: string | null;
}

/** Why a launch (or service call) for issuer + client id + deployment may not proceed; `null` when it may. */
/** A registration as read before every launch (refusalFor): prepared, so it is built and planned once. */
const registrationOf = preparedPerDatabase((db) =>
  db
    .select({ isActive: platformRegistrations.isActive, deploymentIds: platformRegistrations.deploymentIds })
    .from(platformRegistrations)
    .where(and(eq(platformRegistrations.issuer, sql.placeholder('issuer')), eq(platformRegistrations.clientId, sql.placeholder('clientId'))))
    .prepare('attest_registration_of'),
);

export type TenantRefusal = 'unknown_platform' | 'inactive_platform' | 'unknown_deployment';

/** Why a tenant may not launch (or call a service) given its registration as stored, or null when it may. */
export function tenantRefusalOf(registration: { readonly isActive: boolean; readonly deploymentIds: readonly string[] } | null, deploymentId: string): TenantRefusal | null {
  if (!registration) return 'unknown_platform';
  if (!registration.isActive) return 'inactive_platform';
  if (!registration.deploymentIds.includes(deploymentId)) return 'unknown_deployment';
  return null;
}

/** Who changes a registration when the caller does not say: the tool itself (Dynamic Registration, the demo). */
const TOOL_ACTOR = systemActor('tool');

/**
 * Issuers that name no one site: every Instructure-hosted Canvas signs with these, whatever the
 * school's own domain: production, beta and test. Canvas, LTI Launch Overview, step 1 (Login
 * Initiation): "Instructure-hosted Canvas instances all use the following, regardless of the specific
 * account domain(s) that the tool was launched from"
 * (https://developerdocs.instructure.com/services/canvas/external-tools/lti/file.lti_launch_overview).
 * So their origin is never a frame ancestor by itself (the school's own Canvas origin is recorded
 * instead), and Dynamic Registration accepts a configuration served elsewhere naming one of them.
 */
export const SHARED_ISSUERS: readonly string[] = ['https://canvas.instructure.com', 'https://canvas.beta.instructure.com', 'https://canvas.test.instructure.com'];

/** An http(s) origin (`https://moodle.college.ac.uk`), or null for anything that is not one. */
export function toFrameOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/** The sites a registration's LMS shows Attest from: its issuer's origin unless shared, and those recorded. */
export function frameOriginsOf(row: { issuer: string; frameOrigins: readonly string[] }): string[] {
  const own = SHARED_ISSUERS.includes(row.issuer) ? null : toFrameOrigin(row.issuer);
  return [...new Set([...(own ? [own] : []), ...row.frameOrigins.map(toFrameOrigin).filter((origin): origin is string => origin !== null)])].sort();
}

/** How long the active platforms' frame origins are reused before the table is read again. */
const FRAME_ORIGINS_CACHE_MS = 10_000;

export class PlatformNotFoundError extends Error {
  constructor(issuer: string, clientId: string) {
    super(`No platform is registered with issuer ${issuer} and client id ${clientId}`);
    this.name = 'PlatformNotFoundError';
  }
}

export class PlatformRegistry {
  readonly #db: Database;
  readonly #provider: LtijsProvider;
  readonly #keys: LtijsKeyStore;
  readonly #now: () => number;
  #frameOrigins: { readonly at: number; readonly origins: Promise<readonly string[]> } | null = null;

  constructor(db: Database, provider: LtijsProvider, keys: LtijsKeyStore, now: () => number = Date.now) {
    this.#db = db;
    this.#provider = provider;
    this.#keys = keys;
    this.#now = now;
  }

  /**
   * Every site an active registration's LMS frames Attest from: each HTML page's `frame-ancestors`.
   * Read per request, reused for a few seconds; any change made through this registry clears it, so
   * only a change made by another process waits out the cache.
   */
  async activeFrameOrigins(): Promise<readonly string[]> {
    const cached = this.#frameOrigins;
    if (cached && this.#now() - cached.at < FRAME_ORIGINS_CACHE_MS) return cached.origins;
    const origins = this.#db
      .select({ issuer: platformRegistrations.issuer, frameOrigins: platformRegistrations.frameOrigins })
      .from(platformRegistrations)
      .where(eq(platformRegistrations.isActive, true))
      .then((rows) => [...new Set(rows.flatMap(frameOriginsOf))].sort());
    this.#frameOrigins = { at: this.#now(), origins };
    origins.catch(() => {
      if (this.#frameOrigins?.origins === origins) this.#frameOrigins = null;
    });
    return origins;
  }

  /** The sites of one registration, active or not; none when it is not registered. */
  async frameOriginsFor(issuer: string, clientId: string): Promise<readonly string[]> {
    const [row] = await this.#db
      .select({ issuer: platformRegistrations.issuer, frameOrigins: platformRegistrations.frameOrigins })
      .from(platformRegistrations)
      .where(this.#is(issuer, clientId));
    return row ? frameOriginsOf(row) : [];
  }

  /** Records a site this registration's LMS frames Attest from (a Canvas's own origin). */
  async addFrameOrigin(issuer: string, clientId: string, url: string): Promise<PlatformSummary> {
    const origin = toFrameOrigin(url);
    if (origin === null) throw new TypeError(`Not an http(s) origin: ${url}`);
    const updated = await this.#db
      .update(platformRegistrations)
      .set({
        frameOrigins: sql`case when ${platformRegistrations.frameOrigins} @> ${JSON.stringify([origin])}::jsonb then ${platformRegistrations.frameOrigins} else ${platformRegistrations.frameOrigins} || ${JSON.stringify([origin])}::jsonb end`,
        updatedAt: sql`now()`,
      })
      .where(this.#is(issuer, clientId))
      .returning({ issuer: platformRegistrations.issuer });
    this.#frameOrigins = null;
    if (updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    return this.get(issuer, clientId);
  }

  /**
   * Registers or updates a platform. A new one costs a 4096-bit key pair (0.5–4 s), made off the
   * event loop before ltijs sees the platform (see #storeNewPlatform).
   */
  async register(input: PlatformRegistrationInput, actor: AuditActor = TOOL_ACTOR): Promise<PlatformSummary> {
    if (!(await this.#provider.getPlatform(input.issuer, input.clientId))) await this.#storeNewPlatform(input);
    // ltijs now finds the platform and only updates its fields: it never makes a key here.
    const platform = await this.#provider.registerPlatform({
      url: input.issuer,
      clientId: input.clientId,
      name: input.name,
      authenticationEndpoint: input.authenticationEndpoint,
      accesstokenEndpoint: input.accessTokenEndpoint,
      ...(input.authorizationServer ? { authorizationServer: input.authorizationServer } : {}),
      authConfig: { method: 'JWK_SET', key: input.jwksUrl },
    });
    const isActive = input.isActive ?? true;
    const frameOrigins = (input.frameOrigins ?? []).map((url) => {
      const origin = toFrameOrigin(url);
      if (origin === null) throw new TypeError(`Not an http(s) origin: ${url}`);
      return origin;
    });
    await platform.platformActive(isActive);
    await this.#db.transaction(async (tx) => {
      const [row] = await tx
        .insert(platformRegistrations)
        .values({
          issuer: input.issuer,
          clientId: input.clientId,
          name: input.name,
          deploymentIds: [...new Set(input.deploymentIds)],
          frameOrigins: [...new Set(frameOrigins)],
          isActive,
          registeredVia: input.registeredVia ?? 'manual',
          activatedAt: isActive ? sql`now()` : null,
        })
        .onConflictDoUpdate({
          target: [platformRegistrations.issuer, platformRegistrations.clientId],
          set: {
            name: input.name,
            // Re-registering adds deployments; it never forgets one a course already uses.
            deploymentIds: sql`(select coalesce(jsonb_agg(distinct d), '[]'::jsonb) from jsonb_array_elements_text(${platformRegistrations.deploymentIds} || ${JSON.stringify(input.deploymentIds)}::jsonb) as d)`,
            frameOrigins: sql`(select coalesce(jsonb_agg(distinct o), '[]'::jsonb) from jsonb_array_elements_text(${platformRegistrations.frameOrigins} || ${JSON.stringify(frameOrigins)}::jsonb) as o)`,
            isActive,
            activatedAt: isActive ? sql`coalesce(${platformRegistrations.activatedAt}, now())` : sql`${platformRegistrations.activatedAt}`,
            updatedAt: sql`now()`,
          },
        })
        .returning();
      if (!row) throw new Error('PlatformRegistry.register: upsert returned no row');
      const { accessTokenEndpoint, authenticationEndpoint, authorizationServer, jwksUrl } = input;
      await this.#audit(tx, row, actor, 'platform.registered', { name: row.name, deploymentIds: row.deploymentIds, frameOrigins: row.frameOrigins, isActive: row.isActive, authenticationEndpoint, accessTokenEndpoint, jwksUrl, authorizationServer: authorizationServer ?? null });
    });
    this.#frameOrigins = null;
    return this.get(input.issuer, input.clientId);
  }

  /**
   * What ltijs's registerPlatform stores for a new platform (dist/Provider/Provider.js and
   * Utils/Auth.js generatePlatformKeyPair: the same collections, fields and key formats), with the
   * key pair made by generatePlatformKeyPair instead of ltijs's generateKeyPairSync.
   */
  async #storeNewPlatform(input: PlatformRegistrationInput): Promise<void> {
    const { store, encryptionKey } = this.#keys;
    const { publicKey, privateKey } = await generatePlatformKeyPair();
    const kid = randomBytes(16).toString('hex');
    const identity = { platformUrl: input.issuer, clientId: input.clientId };
    try {
      await store.Replace(encryptionKey, 'publickey', identity, { key: publicKey, kid }, { kid, ...identity });
      await store.Replace(encryptionKey, 'privatekey', identity, { key: privateKey, kid }, { kid, ...identity });
      await store.Replace(false, 'platform', identity, {
        platformName: input.name,
        platformUrl: input.issuer,
        clientId: input.clientId,
        authEndpoint: input.authenticationEndpoint,
        accesstokenEndpoint: input.accessTokenEndpoint,
        ...(input.authorizationServer ? { authorizationServer: input.authorizationServer } : {}),
        kid,
        authConfig: { method: 'JWK_SET', key: input.jwksUrl },
      });
    } catch (error) {
      // As ltijs does: no key without its platform.
      await store.Delete('publickey', { kid });
      await store.Delete('privatekey', { kid });
      await store.Delete('platform', identity);
      throw error;
    }
  }

  /** How many dynamically registered platforms have never been activated (what the registration cap counts). */
  async countNeverActivated(): Promise<number> {
    const [row] = await this.#db.select({ n: count() }).from(platformRegistrations).where(this.#neverActivated());
    return row?.n ?? 0;
  }

  /**
   * Removes every dynamically registered platform never activated and registered before `before`,
   * oldest first, with its ltijs documents and keys. One that another server removed meanwhile is
   * skipped. Manual registrations and any platform once activated are never pruned.
   */
  async pruneNeverActivated(before: Date): Promise<readonly PrunedRegistration[]> {
    const stale = await this.#db
      .select({ issuer: platformRegistrations.issuer, clientId: platformRegistrations.clientId, name: platformRegistrations.name, createdAt: platformRegistrations.createdAt })
      .from(platformRegistrations)
      .where(and(this.#neverActivated(), lt(platformRegistrations.createdAt, before)))
      .orderBy(asc(platformRegistrations.createdAt));
    const pruned: PrunedRegistration[] = [];
    for (const row of stale) {
      // Only while it is still never activated: an administrator may activate it as we go.
      const deleted = await this.#db.transaction(async (tx) => {
        const rows = await tx.delete(platformRegistrations).where(and(this.#is(row.issuer, row.clientId), this.#neverActivated())).returning();
        for (const removed of rows) await this.#audit(tx, removed, systemActor('registration-pruning'), 'platform.removed', { isRemoved: true, reason: 'never activated in time' });
        return rows;
      });
      if (deleted.length === 0) continue;
      const platform = await this.#provider.getPlatform(row.issuer, row.clientId);
      if (platform) await platform.delete();
      pruned.push(row);
    }
    return pruned;
  }

  async list(): Promise<readonly PlatformSummary[]> {
    const rows = await this.#db.select().from(platformRegistrations).orderBy(platformRegistrations.issuer, platformRegistrations.clientId);
    return Promise.all(rows.map((row) => this.#summarise(row)));
  }

  async get(issuer: string, clientId: string): Promise<PlatformSummary> {
    const found = await this.find(issuer, clientId);
    if (!found) throw new PlatformNotFoundError(issuer, clientId);
    return found;
  }

  async find(issuer: string, clientId: string): Promise<PlatformSummary | null> {
    const [row] = await this.#db.select().from(platformRegistrations).where(this.#is(issuer, clientId));
    return row ? this.#summarise(row) : null;
  }

  async setActive(issuer: string, clientId: string, isActive: boolean, actor: AuditActor = TOOL_ACTOR): Promise<PlatformSummary> {
    const platform = await this.#provider.getPlatform(issuer, clientId);
    const updated = await this.#db.transaction(async (tx) => {
      const rows = await tx
        .update(platformRegistrations)
        .set({ isActive, ...(isActive ? { activatedAt: sql`coalesce(${platformRegistrations.activatedAt}, now())` } : {}), updatedAt: sql`now()` })
        .where(this.#is(issuer, clientId))
        .returning();
      for (const row of rows) await this.#audit(tx, row, actor, isActive ? 'platform.activated' : 'platform.deactivated', { isActive });
      return rows;
    });
    this.#frameOrigins = null;
    if (!platform || updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    await platform.platformActive(isActive);
    return this.get(issuer, clientId);
  }

  /** Names the registration as administrators see it (the console, `list`); launches do not depend on it. */
  async rename(issuer: string, clientId: string, name: string, actor: AuditActor = TOOL_ACTOR): Promise<PlatformSummary> {
    const platform = await this.#provider.getPlatform(issuer, clientId);
    const updated = await this.#db.transaction(async (tx) => {
      const [before] = await tx.select({ name: platformRegistrations.name }).from(platformRegistrations).where(this.#is(issuer, clientId)).for('update');
      if (!before) return [];
      const rows = await tx.update(platformRegistrations).set({ name, updatedAt: sql`now()` }).where(this.#is(issuer, clientId)).returning();
      // The same name again changes nothing, so it is not an entry.
      if (before.name !== name) for (const row of rows) await this.#audit(tx, row, actor, 'platform.renamed', { name, previousName: before.name });
      return rows;
    });
    if (!platform || updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    await platform.platformName(name);
    return this.get(issuer, clientId);
  }

  async addDeployment(issuer: string, clientId: string, deploymentId: string, actor: AuditActor = TOOL_ACTOR): Promise<PlatformSummary> {
    const updated = await this.#db.transaction(async (tx) => {
      const [before] = await tx.select({ deploymentIds: platformRegistrations.deploymentIds }).from(platformRegistrations).where(this.#is(issuer, clientId)).for('update');
      const rows = await tx
        .update(platformRegistrations)
        .set({
          deploymentIds: sql`case when ${platformRegistrations.deploymentIds} @> ${JSON.stringify([deploymentId])}::jsonb then ${platformRegistrations.deploymentIds} else ${platformRegistrations.deploymentIds} || ${JSON.stringify([deploymentId])}::jsonb end`,
          // Adding a deployment approves it: it no longer waits.
          pendingDeployments: sql`(select coalesce(jsonb_agg(p), '[]'::jsonb) from jsonb_array_elements(${platformRegistrations.pendingDeployments}) as p where p->>'deploymentId' <> ${deploymentId})`,
          updatedAt: sql`now()`,
        })
        .where(this.#is(issuer, clientId))
        .returning();
      // Adding a deployment the platform already has changes nothing, so it is not an entry.
      if (before && !before.deploymentIds.includes(deploymentId)) for (const row of rows) await this.#audit(tx, row, actor, 'platform.deployment-added', { deploymentId, deploymentIds: row.deploymentIds });
      return rows;
    });
    if (updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    return this.get(issuer, clientId);
  }

  /**
   * Records a deployment of an active registration that a VERIFIED launch came from (the caller
   * runs this only after ltijs checked the id_token against the platform's keys), for an
   * administrator to approve with addDeployment. Returns the record, `approved` when the deployment
   * was approved meanwhile, or `full` when MAX_PENDING_DEPLOYMENTS others wait already.
   */
  async recordPendingDeployment(issuer: string, clientId: string, deploymentId: string, seen: { readonly contextId: string | null; readonly contextTitle: string | null }, at: Date = new Date(this.#now())): Promise<PendingDeployment | 'approved' | 'full'> {
    const outcome = await this.#db.transaction(async (tx) => {
      const [row] = await tx
        .select({ deploymentIds: platformRegistrations.deploymentIds, pendingDeployments: platformRegistrations.pendingDeployments })
        .from(platformRegistrations)
        .where(this.#is(issuer, clientId))
        .for('update');
      if (!row) throw new PlatformNotFoundError(issuer, clientId);
      if (row.deploymentIds.includes(deploymentId)) return 'approved' as const;
      const earlier = row.pendingDeployments.find((p) => p.deploymentId === deploymentId);
      if (!earlier && row.pendingDeployments.length >= MAX_PENDING_DEPLOYMENTS) return 'full' as const;
      const record: PendingDeployment = earlier
        ? { ...earlier, lastLaunchAt: at.toISOString(), launches: earlier.launches + 1 }
        : { deploymentId, firstLaunchAt: at.toISOString(), lastLaunchAt: at.toISOString(), launches: 1, contextId: seen.contextId, contextTitle: seen.contextTitle };
      const pending = [...row.pendingDeployments.filter((p) => p.deploymentId !== deploymentId), record];
      await tx.update(platformRegistrations).set({ pendingDeployments: pending, updatedAt: sql`now()` }).where(this.#is(issuer, clientId));
      return record;
    });
    return outcome;
  }

  /** Removes the platform, its keys and its registration; launches from it stop at once. */
  async remove(issuer: string, clientId: string, actor: AuditActor = TOOL_ACTOR): Promise<void> {
    // The audit chain outlives the registration: it is keyed by issuer + client id, not by this row.
    const deleted = await this.#db.transaction(async (tx) => {
      const rows = await tx.delete(platformRegistrations).where(this.#is(issuer, clientId)).returning();
      for (const row of rows) await this.#audit(tx, row, actor, 'platform.removed', { isRemoved: true });
      return rows;
    });
    this.#frameOrigins = null;
    const platform = await this.#provider.getPlatform(issuer, clientId);
    if (platform) await platform.delete();
    if (!platform && deleted.length === 0) throw new PlatformNotFoundError(issuer, clientId);
  }

  /** Whether a launch (or a service call) for this tenant may go ahead. */
  async refusalFor(issuer: string, clientId: string, deploymentId: string): Promise<TenantRefusal | null> {
    const [row] = await registrationOf(this.#db).execute({ issuer, clientId });
    return tenantRefusalOf(row ?? null, deploymentId);
  }

  async #audit(tx: Transaction, row: typeof platformRegistrations.$inferSelect, actor: AuditActor, action: 'platform.registered' | 'platform.activated' | 'platform.deactivated' | 'platform.deployment-added' | 'platform.removed' | 'platform.renamed', content: Record<string, unknown>): Promise<void> {
    await appendAuditEntry(tx, { tenant: row, actor, action, subject: { type: 'platform', id: row.id, label: row.name }, content: { issuer: row.issuer, clientId: row.clientId, ...content } });
  }

  #neverActivated() {
    return and(eq(platformRegistrations.registeredVia, 'dynamic'), isNull(platformRegistrations.activatedAt));
  }

  #is(issuer: string, clientId: string) {
    return and(eq(platformRegistrations.issuer, issuer), eq(platformRegistrations.clientId, clientId));
  }

  async #summarise(row: typeof platformRegistrations.$inferSelect): Promise<PlatformSummary> {
    const platform = await this.#provider.getPlatform(row.issuer, row.clientId);
    const authConfig = platform ? await platform.platformAuthConfig() : null;
    return {
      issuer: row.issuer,
      clientId: row.clientId,
      name: row.name,
      deploymentIds: row.deploymentIds,
      pendingDeployments: row.pendingDeployments,
      isActive: row.isActive,
      frameOrigins: frameOriginsOf(row),
      keyId: platform ? await platform.platformKid() : null,
      authenticationEndpoint: platform ? await platform.platformAuthEndpoint() : null,
      accessTokenEndpoint: platform ? await platform.platformAccessTokenEndpoint() : null,
      jwksUrl: authConfig?.method === 'JWK_SET' ? authConfig.key : null,
    };
  }
}
