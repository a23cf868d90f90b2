// Canvas's Dynamic Registration, placements and installs, from instructure/canvas-lms (stored
// versions read December 2026; newer Canvas may differ):
// - app/controllers/lti/ims/dynamic_registration_controller.rb (#create, #render_registration,
//   #registration_token, #oidc_configuration_url, #update_registration_overlay);
// - app/models/lti/ims/registration.rb (#placements, #build_placement_for, #canvas_placement_name,
//   #required_values_are_present, #scopes_are_valid, #privacy_level);
// - doc/api/registration.md ("Returning the Administrator to Canvas").
// Pure functions and plain data only; the routes in ../routes call them in canvas mode.
import type { ToolPlacement } from '../types.ts';
import { allServiceScopes, ToolConfigurationClaim } from '../lti-vocabulary.ts';

/** Canvas's LTI extension claims and message fields (Lti::IMS::Registration::CANVAS_EXTENSION_LABEL). */
export const CanvasExtension = {
  privacyLevel: 'https://canvas.instructure.com/lti/privacy_level',
  registrationConfigUrl: 'https://canvas.instructure.com/lti/registration_config_url',
  placementPrefix: 'https://canvas.instructure.com/lti/',
} as const;

/**
 * Lti::ResourcePlacement::PLACEMENTS (lib/lti/resource_placement.rb; that file was not read here, so
 * this is the list the Canvas docs' placement pages name). build_placement_for drops any other name.
 */
export const canvasPlacementNames: readonly string[] = [
  'account_navigation', 'assignment_edit', 'assignment_group_menu', 'assignment_index_menu', 'assignment_menu',
  'assignment_selection', 'assignment_view', 'collaboration', 'conference_selection', 'course_assignments_menu',
  'course_home_sub_navigation', 'course_navigation', 'course_settings_sub_navigation', 'discussion_topic_index_menu',
  'discussion_topic_menu', 'editor_button', 'file_index_menu', 'file_menu', 'global_navigation', 'homework_submission',
  'link_selection', 'migration_selection', 'module_group_menu', 'module_index_menu', 'module_index_menu_modal',
  'module_menu', 'module_menu_modal', 'post_grades', 'quiz_index_menu', 'quiz_menu', 'resource_selection',
  'similarity_detection', 'student_context_card', 'submission_type_selection', 'tool_configuration', 'top_navigation',
  'user_navigation', 'wiki_index_menu', 'wiki_page_menu',
];

/** Registration#canvas_placement_name: IMS names Canvas renames, and Canvas's URL prefix removed. */
export function canvasPlacementName(placement: string): string {
  if (placement === 'ContentArea') return 'link_selection';
  if (placement === 'RichTextEditor') return 'editor_button';
  return placement.startsWith(CanvasExtension.placementPrefix) ? placement.slice(CanvasExtension.placementPrefix.length) : placement;
}

/**
 * Registration#placements: a message without `placements` becomes `link_selection`; unknown names
 * are dropped (build_placement_for returns []); then `.uniq { |p| p[:placement] }` keeps the FIRST
 * message for each placement name, so a later message for the same placement is silently lost.
 */
export function canvasPlacementsOf(messages: readonly unknown[]): ToolPlacement[] {
  const built: ToolPlacement[] = [];
  for (const raw of messages) {
    if (typeof raw !== 'object' || raw === null) continue;
    const message = raw as Record<string, unknown>;
    const names = Array.isArray(message['placements']) && message['placements'].length > 0 ? message['placements'].map(String) : ['link_selection'];
    for (const name of names) {
      const placement = canvasPlacementName(name);
      if (!canvasPlacementNames.includes(placement)) continue;
      built.push({
        placement,
        messageType: String(message['type'] ?? ''),
        targetLinkUri: typeof message['target_link_uri'] === 'string' ? message['target_link_uri'] : null,
        label: typeof message['label'] === 'string' ? message['label'] : null,
      });
    }
  }
  const seen = new Set<string>();
  return built.filter((p) => (seen.has(p.placement) ? false : (seen.add(p.placement), true)));
}

/** The placements where an instructor can pick content from the tool (Deep Linking), in Canvas's order of preference. */
export const deepLinkingPlacementNames: readonly string[] = ['assignment_selection', 'link_selection', 'editor_button', 'resource_selection'];

/** The placement a deep-linking launch uses, or null when Canvas offers the tool nowhere for deep linking. */
export function deepLinkingPlacementOf(placements: readonly ToolPlacement[], wanted?: string): ToolPlacement | null {
  const candidates = placements.filter((p) => p.messageType === 'LtiDeepLinkingRequest' && deepLinkingPlacementNames.includes(p.placement));
  if (wanted) return candidates.find((p) => p.placement === wanted) ?? null;
  return deepLinkingPlacementNames.map((name) => candidates.find((p) => p.placement === name)).find((p) => p !== undefined) ?? null;
}

/**
 * The keys #create requires in the registration token ("JWT did not include expected contents"
 * otherwise, 401). #registration_token signs them with Canvas's own secret for an hour.
 */
export const canvasRegistrationTokenKeys: readonly string[] = ['user_id', 'initiated_at', 'root_account_global_id', 'root_account_domain', 'exp', 'uuid', 'registration_url'];

/**
 * #oidc_configuration_url: the configuration URL is on the ISSUER's host (canvas.instructure.com)
 * with the registration token in its query, while the admin page framing the tool is on the
 * college's own Canvas domain. The emulator serves both from one port, so it stands the issuer's
 * host in with `localhost` when it listens on 127.0.0.1: a different origin from the admin page, as
 * in Canvas, so a close message posted to the configuration URL's origin is dropped by the browser.
 */
export function issuerHostBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.origin;
}

/**
 * What #create refuses with 422 {errors}. Canvas validates with Schemas::Lti::IMS::OidcRegistration
 * (not read here) and the Registration model's validations (read): presence of every field below,
 * REQUIRED_GRANT_TYPES/RESPONSE_TYPES, application_type 'web', token_endpoint_auth_method
 * 'private_key_jwt', redirect URIs that are URLs, and scopes Canvas knows (#scopes_are_valid).
 */
export function canvasRegistrationErrors(payload: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const present = (key: string) => {
    const value = payload[key];
    return !(value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0));
  };
  for (const key of ['application_type', 'grant_types', 'response_types', 'redirect_uris', 'initiate_login_uri', 'client_name', 'jwks_uri', 'token_endpoint_auth_method', 'scope', ToolConfigurationClaim]) {
    if (!present(key)) errors.push(`${key} is required`);
  }
  const list = (key: string) => (Array.isArray(payload[key]) ? (payload[key] as unknown[]).map(String) : []);
  if (!['client_credentials', 'implicit'].every((g) => list('grant_types').includes(g))) errors.push('grant_types must include client_credentials, implicit');
  if (!list('response_types').includes('id_token')) errors.push('response_types must include id_token');
  if (payload['application_type'] !== 'web') errors.push("application_type must be 'web'");
  if (payload['token_endpoint_auth_method'] !== 'private_key_jwt') errors.push("token_endpoint_auth_method must be 'private_key_jwt'");
  if (!list('redirect_uris').every((uri) => /^https?:\/\//.test(uri) && URL.canParse(uri))) errors.push('redirect_uris must only contain valid URIs');
  const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : [];
  const unknown = scopes.filter((scope) => !allServiceScopes.includes(scope) && scope !== 'openid');
  if (unknown.length > 0) errors.push(`Invalid scopes: ${unknown.join(', ')}`);
  const config = payload[ToolConfigurationClaim];
  if (typeof config === 'object' && config !== null) {
    const c = config as Record<string, unknown>;
    for (const key of ['domain', 'target_link_uri']) if (typeof c[key] !== 'string' || c[key] === '') errors.push(`${ToolConfigurationClaim}.${key} is required`);
    if (!Array.isArray(c['messages'])) errors.push(`${ToolConfigurationClaim}.messages is required`);
    if (!Array.isArray(c['claims'])) errors.push(`${ToolConfigurationClaim}.claims is required`);
  }
  return errors;
}

/**
 * #render_registration: the registration echoed with the developer key's global id as client_id,
 * `openid` added to the scopes, the tool configuration as sent plus registration_config_url, and
 * `deployment_id` AT THE TOP LEVEL — only when #create made the root-account deployment (the
 * lti_registrations_next flag) — removed with `.compact` otherwise. Never inside the claim.
 */
export function canvasRegistrationResponse(input: {
  readonly clientId: string;
  readonly payload: Record<string, unknown>;
  readonly scopes: readonly string[];
  readonly deploymentId: string | null;
  readonly registrationUrl: string;
}): Record<string, unknown> {
  const { payload } = input;
  const response: Record<string, unknown> = {
    client_id: input.clientId,
    application_type: payload['application_type'],
    grant_types: payload['grant_types'],
    initiate_login_uri: payload['initiate_login_uri'],
    redirect_uris: payload['redirect_uris'],
    response_types: payload['response_types'],
    client_name: payload['client_name'],
    jwks_uri: payload['jwks_uri'],
    token_endpoint_auth_method: 'private_key_jwt',
    scope: [...input.scopes, 'openid'].join(' '),
    [ToolConfigurationClaim]: { ...(payload[ToolConfigurationClaim] as Record<string, unknown>), [CanvasExtension.registrationConfigUrl]: `${input.registrationUrl}/view` },
    registration_client_uri: input.registrationUrl,
  };
  if (input.deploymentId !== null) response['deployment_id'] = input.deploymentId;
  return response;
}

/**
 * #update_registration_overlay: scopes the administrator unticks on the review step are removed
 * from the developer key (`registration.scopes - registration_overlay["disabledScopes"]`), so no
 * token grants them and no launch advertises them.
 */
export function narrowScopes(scopes: readonly string[], disabledScopes: readonly string[]): string[] {
  return scopes.filter((scope) => !disabledScopes.includes(scope));
}

/**
 * Where a deep-linking launch goes. A dynamically registered Canvas tool can only be picked from a
 * placement made for an LtiDeepLinkingRequest message (Registration#placements): without one,
 * Canvas shows no "pick content" entry for it at all, which the emulator answers with 403. Manual
 * tools (no placements recorded) keep their deep-linking URL.
 */
export function deepLinkingTargetOf(tool: { readonly placements?: readonly ToolPlacement[]; readonly deepLinkingUrl: string; readonly targetLinkUri: string; readonly clientId: string }, wanted?: string): string | { readonly refused: string } {
  if (!tool.placements) return tool.deepLinkingUrl;
  const placement = deepLinkingPlacementOf(tool.placements, wanted || undefined);
  if (!placement) return { refused: `Tool ${tool.clientId} has no deep-linking placement${wanted ? ` ${wanted}` : ''} (its messages without placements became link_selection resource links)` };
  return placement.targetLinkUri ?? tool.targetLinkUri;
}
