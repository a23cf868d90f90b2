import { createRemoteJWKSet } from 'jose';

/**
 * The tool's public keys, fetched from its JWKS URL as Moodle ("Keyset URL") and Canvas (developer
 * key "Public JWK URL") do. One cached set per URL; jose refetches on an unknown kid.
 */
export class ToolKeySets {
  private readonly sets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  for(jwksUrl: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.sets.get(jwksUrl);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0, timeoutDuration: 5000 });
      this.sets.set(jwksUrl, set);
    }
    return set;
  }
}
