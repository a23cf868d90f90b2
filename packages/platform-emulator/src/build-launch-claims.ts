// The id_token claims of a correct launch (LTI 1.3 core §5), as the emulated LMS would send them.
import { randomUUID } from 'node:crypto';
import type { EmulatorState } from './emulator-state.ts';
import type { PlatformProfile } from './platform-profile.ts';
import type { LaunchClaimsInput, ResourceLink } from './types.ts';
import { Claim, CourseOfferingType, Scope } from './lti-vocabulary.ts';
import { EmulatorError } from './emulator-state.ts';

export interface LaunchClaimsEnvironment {
  readonly state: EmulatorState;
  readonly profile: PlatformProfile;
  readonly baseUrl: string;
  readonly issuer: string;
  readonly platformName: string;
  /** Seconds since the epoch; passed in so callers (and tests) decide the clock. */
  readonly now: number;
}

const agsScopes: readonly string[] = [Scope.lineItem, Scope.lineItemReadOnly, Scope.resultReadOnly, Scope.score];

export function buildLaunchClaims(env: LaunchClaimsEnvironment, input: LaunchClaimsInput): Record<string, unknown> {
  const { state, profile, baseUrl } = env;
  const tool = state.getTool(input.clientId);
  const course = state.getCourse(input.courseId);
  const user = state.getUser(input.userId);
  const messageType = input.messageType ?? 'LtiResourceLinkRequest';
  const link = messageType === 'LtiDeepLinkingRequest' ? null : state.getResourceLink(requireLinkId(input.resourceLinkId));
  if (link && (link.courseId !== course.id || link.clientId !== tool.clientId)) {
    throw new EmulatorError(400, 'link_mismatch', `Resource link ${link.id} is not this tool's link in course ${course.id}`);
  }

  const claims: Record<string, unknown> = {
    iss: env.issuer,
    aud: tool.clientId,
    azp: tool.clientId,
    sub: user.id,
    iat: env.now,
    // Moodle and Canvas both give an id_token a minute (lti_sign_jwt: 'exp' => time() + 60).
    exp: env.now + (input.expiresInSeconds ?? 60),
    nonce: input.nonce,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    locale: 'en',
    [Claim.messageType]: messageType,
    [Claim.version]: '1.3.0',
    // Canvas: the deployment of the install nearest the course (src/canvas/installs.ts).
    [Claim.deploymentId]: state.deploymentFor(tool.clientId, course.id),
    [Claim.targetLinkUri]: input.targetLinkUri ?? (link ? link.url : tool.deepLinkingUrl),
    [Claim.roles]: profile.rolesFor(state.roleIn(course.id, user.id), user),
    [Claim.context]: { id: state.contextIdOf(course.id), label: course.label, title: course.title, type: [CourseOfferingType] },
    [Claim.toolPlatform]: {
      guid: new URL(baseUrl).host,
      name: env.platformName,
      version: profile.version,
      product_family_code: profile.productFamilyCode,
    },
    // LTI 1.3 core §5.4.4; both LMSs embed the tool in an iframe in the course page.
    [Claim.launchPresentation]: { document_target: 'iframe', locale: 'en', return_url: `${baseUrl}/course/${course.id}?user=${encodeURIComponent(user.id)}` },
    [Claim.custom]: { ...tool.customParameters, ...(link?.custom ?? {}) },
  };
  if (link) claims[Claim.resourceLink] = { id: link.id, title: link.title, description: link.text ?? '' };
  if (messageType === 'LtiSubmissionReviewRequest' && link) Object.assign(claims, submissionReviewClaims(state, link, input));

  const granted = tool.scopes.filter((scope) => agsScopes.includes(scope));
  if (granted.length > 0) {
    // AGS §3.1: scope, lineitems, and lineitem when the link has exactly one line item.
    const endpoint: Record<string, unknown> = { scope: granted, lineitems: profile.lineItemsUrl(baseUrl, course.id, tool.deploymentId) };
    if (link?.lineItemId) endpoint['lineitem'] = link.lineItemId;
    claims[Claim.agsEndpoint] = endpoint;
  }
  if (tool.scopes.includes(Scope.nrps)) {
    claims[Claim.nrpsService] = { context_memberships_url: profile.membershipsUrl(baseUrl, course.id, tool.deploymentId), service_versions: ['2.0'] };
  }
  if (messageType === 'LtiDeepLinkingRequest') {
    const data = randomUUID();
    state.deepLinkingSessions.set(data, { courseId: course.id, clientId: tool.clientId, userId: user.id });
    // Deep Linking 2.0 §4.4.1; Moodle lti_build_content_item_selection_request() offers ltiResourceLink
    // with frame/iframe/window targets and multiple items; Canvas the same for the link selection placement.
    // Moodle's mod/lti/auth.php calls it with $autocreate = false, $multiple = true: the items only fill
    // the activity form (profile.deepLinkingFillsActivityForm).
    claims[Claim.deepLinkingSettings] = {
      deep_link_return_url: profile.deepLinkingReturnUrl(baseUrl, course.id, tool.deploymentId),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      auto_create: !profile.deepLinkingFillsActivityForm,
      title: course.title,
      data,
    };
  }
  return claims;
}

function requireLinkId(resourceLinkId: string | undefined): string {
  if (!resourceLinkId) throw new EmulatorError(400, 'missing_resource_link', 'An LtiResourceLinkRequest needs a resourceLinkId');
  return resourceLinkId;
}

/**
 * What Moodle changes for an LtiSubmissionReviewRequest, the launch of the same activity otherwise:
 * - `for_user` with `user_id` only: mod/lti/locallib.php `lti_build_request` sets `for_user_id`, which
 *   `lti_get_jwt_claim_mapping` puts in the for_user claim as `user_id` (a string: it comes back from
 *   the session through auth.php `explode`);
 * - the line item's submissionReview url (unless "DEFAULT") as target_link_uri, its custom parameters
 *   added to the launch's, the administrator's side winning over the activity's: gradebookservices.php
 *   `override_endpoint`, applied in `lti_get_launch_data`, merged by `lti_build_custom_parameters`.
 *   Moodle does this only when the activity has exactly one line item, as every emulated link has.
 */
function submissionReviewClaims(state: EmulatorState, link: ResourceLink, input: LaunchClaimsInput): Record<string, unknown> {
  if (!input.forUserId) throw new EmulatorError(400, 'missing_for_user', 'An LtiSubmissionReviewRequest needs the forUserId it is for');
  const review = link.lineItemId ? state.lineItems.get(link.lineItemId)?.submissionReview ?? null : null;
  const claims: Record<string, unknown> = { [Claim.forUser]: { user_id: input.forUserId } };
  if (review?.url && !input.targetLinkUri) claims[Claim.targetLinkUri] = review.url;
  if (review?.custom) claims[Claim.custom] = { ...link.custom, ...state.getTool(link.clientId).customParameters, ...review.custom };
  return claims;
}
