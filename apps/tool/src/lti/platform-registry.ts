import { and, eq, sql } from 'drizzle-orm';
import { platformRegistrations } from '../db/index.ts';
import type { Database } from '../db/index.ts';
import type { LtijsProvider } from './ltijs-types.ts';

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
  /**
   * Sites that show Attest in a frame besides the issuer's own (see frameOriginsOf). Needed for a
   * hosted Canvas, whose shared issuer is no school's site; added to any already recorded.
   */
  readonly frameOrigins?: readonly string[];
}

export interface PlatformSummary {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string | null;
  readonly deploymentIds: readonly string[];
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
export type TenantRefusal = 'unknown_platform' | 'inactive_platform' | 'unknown_deployment';

/**
 * Issuers that name no one site: every Instructure-hosted Canvas signs with these, so their origin
 * is never a frame ancestor by itself (the school's own Canvas origin is recorded instead).
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
  readonly #now: () => number;
  #frameOrigins: { readonly at: number; readonly origins: Promise<readonly string[]> } | null = null;

  constructor(db: Database, provider: LtijsProvider, now: () => number = Date.now) {
    this.#db = db;
    this.#provider = provider;
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

  /** Registers or updates a platform. A new one costs a 4096-bit key pair (0.5–4 s, synchronous). */
  async register(input: PlatformRegistrationInput): Promise<PlatformSummary> {
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
    this.#frameOrigins = null;
    await this.#db
      .insert(platformRegistrations)
      .values({ issuer: input.issuer, clientId: input.clientId, name: input.name, deploymentIds: [...new Set(input.deploymentIds)], frameOrigins: [...new Set(frameOrigins)], isActive })
      .onConflictDoUpdate({
        target: [platformRegistrations.issuer, platformRegistrations.clientId],
        set: {
          name: input.name,
          // Re-registering adds deployments; it never forgets one a course already uses.
          deploymentIds: sql`(select coalesce(jsonb_agg(distinct d), '[]'::jsonb) from jsonb_array_elements_text(${platformRegistrations.deploymentIds} || ${JSON.stringify(input.deploymentIds)}::jsonb) as d)`,
          frameOrigins: sql`(select coalesce(jsonb_agg(distinct o), '[]'::jsonb) from jsonb_array_elements_text(${platformRegistrations.frameOrigins} || ${JSON.stringify(frameOrigins)}::jsonb) as o)`,
          isActive,
          updatedAt: sql`now()`,
        },
      });
    return this.get(input.issuer, input.clientId);
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

  async setActive(issuer: string, clientId: string, isActive: boolean): Promise<PlatformSummary> {
    const platform = await this.#provider.getPlatform(issuer, clientId);
    const updated = await this.#db
      .update(platformRegistrations)
      .set({ isActive, updatedAt: sql`now()` })
      .where(this.#is(issuer, clientId))
      .returning({ issuer: platformRegistrations.issuer });
    this.#frameOrigins = null;
    if (!platform || updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    await platform.platformActive(isActive);
    return this.get(issuer, clientId);
  }

  async addDeployment(issuer: string, clientId: string, deploymentId: string): Promise<PlatformSummary> {
    const updated = await this.#db
      .update(platformRegistrations)
      .set({
        deploymentIds: sql`case when ${platformRegistrations.deploymentIds} @> ${JSON.stringify([deploymentId])}::jsonb then ${platformRegistrations.deploymentIds} else ${platformRegistrations.deploymentIds} || ${JSON.stringify([deploymentId])}::jsonb end`,
        updatedAt: sql`now()`,
      })
      .where(this.#is(issuer, clientId))
      .returning({ issuer: platformRegistrations.issuer });
    if (updated.length === 0) throw new PlatformNotFoundError(issuer, clientId);
    return this.get(issuer, clientId);
  }

  /** Removes the platform, its keys and its registration; launches from it stop at once. */
  async remove(issuer: string, clientId: string): Promise<void> {
    const deleted = await this.#db.delete(platformRegistrations).where(this.#is(issuer, clientId)).returning({ issuer: platformRegistrations.issuer });
    this.#frameOrigins = null;
    const platform = await this.#provider.getPlatform(issuer, clientId);
    if (platform) await platform.delete();
    if (!platform && deleted.length === 0) throw new PlatformNotFoundError(issuer, clientId);
  }

  /** Whether a launch (or a service call) for this tenant may go ahead. */
  async refusalFor(issuer: string, clientId: string, deploymentId: string): Promise<TenantRefusal | null> {
    const [row] = await this.#db
      .select({ isActive: platformRegistrations.isActive, deploymentIds: platformRegistrations.deploymentIds })
      .from(platformRegistrations)
      .where(this.#is(issuer, clientId));
    if (!row) return 'unknown_platform';
    if (!row.isActive) return 'inactive_platform';
    if (!row.deploymentIds.includes(deploymentId)) return 'unknown_deployment';
    return null;
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
      isActive: row.isActive,
      frameOrigins: frameOriginsOf(row),
      keyId: platform ? await platform.platformKid() : null,
      authenticationEndpoint: platform ? await platform.platformAuthEndpoint() : null,
      accessTokenEndpoint: platform ? await platform.platformAccessTokenEndpoint() : null,
      jwksUrl: authConfig?.method === 'JWK_SET' ? authConfig.key : null,
    };
  }
}
