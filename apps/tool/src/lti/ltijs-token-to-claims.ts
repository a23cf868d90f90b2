import {
  CLAIM_AGS_ENDPOINT,
  CLAIM_CONTEXT,
  CLAIM_CUSTOM,
  CLAIM_DEPLOYMENT_ID,
  CLAIM_DL_SETTINGS,
  CLAIM_FOR_USER,
  CLAIM_LAUNCH_PRESENTATION,
  CLAIM_LIS,
  CLAIM_MESSAGE_TYPE,
  CLAIM_NRPS,
  CLAIM_RESOURCE_LINK,
  CLAIM_ROLES,
  CLAIM_TARGET_LINK_URI,
  CLAIM_TOOL_PLATFORM,
  CLAIM_VERSION,
} from './claims.ts';
import { IdTokenClaimsSchema } from './id-token-claims.ts';
import type { IdTokenClaims } from './id-token-claims.ts';
import type { LtijsLaunchToken } from './ltijs-types.ts';

/**
 * ltijs splits a validated id_token into two stored documents (`idtoken` + `contexttoken`) and
 * renames the claims. This puts them back under their spec names, so `toLaunchContext` has one
 * input shape whether it runs at launch or when an ltik comes back. Lossless for every claim
 * Attest reads; returns null when the stored token is not a launch we can trust the shape of.
 */
export function ltijsTokenToClaims(token: LtijsLaunchToken): IdTokenClaims | null {
  const context = token.platformContext;
  const raw: Record<string, unknown> = {
    iss: token.iss,
    aud: token.clientId,
    sub: token.user,
    ...token.userInfo,
    [CLAIM_MESSAGE_TYPE]: context.messageType,
    [CLAIM_VERSION]: context.version,
    [CLAIM_DEPLOYMENT_ID]: token.deploymentId,
    [CLAIM_TARGET_LINK_URI]: context.targetLinkUri,
    [CLAIM_ROLES]: context.roles ?? [],
    [CLAIM_RESOURCE_LINK]: context.resource,
    [CLAIM_CONTEXT]: context.context,
    [CLAIM_TOOL_PLATFORM]: token.platformInfo,
    [CLAIM_CUSTOM]: context.custom,
    [CLAIM_LAUNCH_PRESENTATION]: context.launchPresentation,
    [CLAIM_LIS]: context.lis,
    [CLAIM_AGS_ENDPOINT]: context.endpoint,
    [CLAIM_NRPS]: context.namesRoles,
    [CLAIM_DL_SETTINGS]: context.deepLinkingSettings,
    // Stored by our ltijs patch (patches/ltijs@5.9.9.patch), which ltijs itself never keeps.
    [CLAIM_FOR_USER]: context.forUser,
  };
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== null));
  const parsed = IdTokenClaimsSchema.safeParse(defined);
  return parsed.success ? parsed.data : null;
}
