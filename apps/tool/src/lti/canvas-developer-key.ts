import { DR_TOOL_CONFIGURATION } from './claims.ts';
import { CANVAS_PRIVACY_LEVEL, CANVAS_VISIBILITY, toToolConfiguration } from './dynamic-registration.ts';
import type { ToolUrls } from './dynamic-registration.ts';

// The same configuration Dynamic Registration sends, in the JSON a Canvas administrator pastes into
// a manually made LTI developer key ("Enter JSON" / "Enter URL"): canvas-lms
// doc/api/lti_dev_key_config.md, "Anatomy of a JSON configuration". Built FROM toToolConfiguration so
// the two cannot drift: same login URL, launch URL, key set, scopes, placements and privacy level.

interface RegisteredMessage {
  readonly type: string;
  readonly target_link_uri?: string;
  readonly label?: string;
  readonly placements?: readonly string[];
  readonly [CANVAS_VISIBILITY]?: string;
}

export function toCanvasDeveloperKey(urls: ToolUrls): Record<string, unknown> {
  const registration = toToolConfiguration(urls);
  const tool = registration[DR_TOOL_CONFIGURATION] as Record<string, unknown>;
  const messages = tool.messages as readonly RegisteredMessage[];
  const privacyLevel = tool[CANVAS_PRIVACY_LEVEL] as string;
  return {
    title: registration.client_name,
    description: tool.description,
    oidc_initiation_url: registration.initiate_login_uri,
    target_link_uri: tool.target_link_uri,
    // Canvas's manual key takes the redirect URIs in a separate field; shown here for the administrator.
    redirect_uris: registration.redirect_uris,
    scopes: String(registration.scope).split(' '),
    public_jwk_url: registration.jwks_uri,
    extensions: [
      {
        domain: tool.domain,
        tool_id: 'attest',
        platform: 'canvas.instructure.com',
        privacy_level: privacyLevel,
        settings: {
          text: registration.client_name,
          placements: messages.flatMap((message) =>
            (message.placements ?? []).map((placement) => ({
              placement,
              message_type: message.type,
              target_link_uri: message.target_link_uri ?? tool.target_link_uri,
              text: message.label ?? registration.client_name,
              ...(message[CANVAS_VISIBILITY] ? { visibility: message[CANVAS_VISIBILITY] } : {}),
            })),
          ),
        },
      },
    ],
  };
}
