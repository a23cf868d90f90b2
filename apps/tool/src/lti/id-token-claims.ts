import { z } from 'zod';
import {
  CLAIM_AGS_ENDPOINT,
  CLAIM_CONTEXT,
  CLAIM_CUSTOM,
  CLAIM_DEPLOYMENT_ID,
  CLAIM_DL_SETTINGS,
  CLAIM_FOR_USER,
  CLAIM_MESSAGE_TYPE,
  CLAIM_NRPS,
  CLAIM_RESOURCE_LINK,
  CLAIM_ROLES,
  CLAIM_TARGET_LINK_URI,
  CLAIM_TOOL_PLATFORM,
  CLAIM_VERSION,
} from './claims.ts';

// The subset of an LTI 1.3 id_token Attest reads. Loose on purpose: platforms add claims of their
// own, and a claim we do not read must never make a launch fail.

export const DeepLinkingSettingsSchema = z.looseObject({
  deep_link_return_url: z.string(),
  accept_types: z.array(z.string()).optional(),
  accept_multiple: z.union([z.boolean(), z.string()]).optional(),
  accept_lineitem: z.union([z.boolean(), z.string()]).optional(),
  data: z.string().optional(),
});
export type DeepLinkingSettings = z.infer<typeof DeepLinkingSettingsSchema>;

export const IdTokenClaimsSchema = z.looseObject({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  sub: z.string(),
  exp: z.number().optional(),
  iat: z.number().optional(),
  nonce: z.string().optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  [CLAIM_MESSAGE_TYPE]: z.string(),
  [CLAIM_VERSION]: z.string(),
  [CLAIM_DEPLOYMENT_ID]: z.string(),
  [CLAIM_TARGET_LINK_URI]: z.string().optional(),
  [CLAIM_ROLES]: z.array(z.string()),
  [CLAIM_RESOURCE_LINK]: z.looseObject({ id: z.string(), title: z.string().nullish() }).optional(),
  [CLAIM_CONTEXT]: z.looseObject({ id: z.string(), title: z.string().nullish(), label: z.string().nullish() }).optional(),
  [CLAIM_TOOL_PLATFORM]: z.looseObject({ guid: z.string().optional(), name: z.string().nullish(), product_family_code: z.string().nullish() }).optional(),
  [CLAIM_CUSTOM]: z.record(z.string(), z.unknown()).optional(),
  [CLAIM_AGS_ENDPOINT]: z
    .looseObject({ scope: z.array(z.string()).optional(), lineitem: z.string().optional(), lineitems: z.string().optional() })
    .optional(),
  [CLAIM_NRPS]: z.looseObject({ context_memberships_url: z.string() }).optional(),
  [CLAIM_DL_SETTINGS]: DeepLinkingSettingsSchema.optional(),
  // Moodle's user ids are numbers; a platform may send one as a JSON number.
  [CLAIM_FOR_USER]: z.looseObject({ user_id: z.union([z.string(), z.number().transform(String)]) }).optional(),
});
export type IdTokenClaims = z.infer<typeof IdTokenClaimsSchema>;
