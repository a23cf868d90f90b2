import type { AttestRole, LaunchView } from '@attest/contracts';
import type { LaunchContext, PlatformFamily } from '../domain/ports.ts';
import {
  CLAIM_AGS_ENDPOINT,
  CLAIM_CONTEXT,
  CLAIM_CUSTOM,
  CLAIM_DEPLOYMENT_ID,
  CLAIM_FOR_USER,
  CLAIM_MESSAGE_TYPE,
  CLAIM_NRPS,
  CLAIM_RESOURCE_LINK,
  CLAIM_ROLES,
  CLAIM_TARGET_LINK_URI,
  CLAIM_TOOL_PLATFORM,
  CUSTOM_ATTEST_UNIT,
  MESSAGE_DEEP_LINKING,
  MESSAGE_SUBMISSION_REVIEW,
  SCOPE_AGS_SCORE,
} from './claims.ts';
import type { IdTokenClaims } from './id-token-claims.ts';
import { isTeachingAssistant, toRoles } from './to-roles.ts';

function clientIdOf(claims: IdTokenClaims): string {
  // Security Framework §5.1.3 step 3/4: with several audiences, azp names the client.
  if (claims.azp !== undefined) return claims.azp;
  return Array.isArray(claims.aud) ? (claims.aud[0] ?? '') : claims.aud;
}

function nameOf(claims: IdTokenClaims): string | null {
  if (claims.name) return claims.name;
  const parts = [claims.given_name, claims.family_name].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' ') : null;
}

/** The unit id from the `attest_unit` custom parameter placed by deep linking; blank counts as absent. */
function unitIdOf(custom: Readonly<Record<string, unknown>> | undefined): string | null {
  const value = custom?.[CUSTOM_ATTEST_UNIT];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The query parameters of the launch URL sign-off sends to Canvas as a `basic_lti_launch` submission
 * (https://canvas.instructure.com/lti/submission). SpeedGrader frames
 * `/courses/:id/external_tools/retrieve?assignment_id=…&url=<that URL>` (canvas-lms speed_grader.js
 * `renderLtiLaunch`), and Canvas launches the assignment's resource link with it as the
 * `target_link_uri` claim (LTI 1.3 core §5.3.6: the URL the launch is for).
 */
export const GRADER_LAUNCH_UNIT_PARAM = 'attest_unit';
export const GRADER_LAUNCH_LEARNER_PARAM = 'attest_learner';

/** A launch as mapped here: the port's LaunchContext, plus the learner a grader's launch opens. */
export interface MappedLaunchContext extends LaunchContext {
  readonly focusLearnerUserId: string | null;
  /**
   * For an LtiSubmissionReviewRequest (Moodle's Grade analysis), the learner its `for_user` claim
   * names, whoever launched; null for every other launch. The adapter refuses a review launch unless
   * the launcher is an instructor and this is a learner of the course (submission-review.ts).
   */
  readonly reviewedLearnerUserId: string | null;
}

/** The learner a submission review launch is for (Submission Review 1.0 §3.2 `for_user.user_id`). */
function reviewedLearnerOf(claims: IdTokenClaims): string | null {
  if (claims[CLAIM_MESSAGE_TYPE] !== MESSAGE_SUBMISSION_REVIEW) return null;
  const userId = claims[CLAIM_FOR_USER]?.user_id.trim() ?? '';
  return userId === '' ? null : userId;
}

/**
 * The learner a SpeedGrader launch opens: `attest_learner` from the target link URI, read only for an
 * instructor's resource-link launch of a unit whose URL names that same unit (a URL made for another
 * unit opens nothing). Learners' launches never carry it. This picks a page, it grants nothing: the
 * assessor routes still scope every call to the launch's context and its roster.
 */
function focusLearnerOf(claims: IdTokenClaims, launch: Pick<LaunchContext, 'messageType' | 'isInstructor' | 'unitId'>): string | null {
  const target = claims[CLAIM_TARGET_LINK_URI];
  if (target === undefined || launch.unitId === null || launch.messageType !== 'LtiResourceLinkRequest' || !launch.isInstructor) return null;
  let params: URLSearchParams;
  try {
    params = new URL(target).searchParams;
  } catch {
    return null;
  }
  if (params.get(GRADER_LAUNCH_UNIT_PARAM)?.trim() !== launch.unitId) return null;
  const learner = params.get(GRADER_LAUNCH_LEARNER_PARAM)?.trim() ?? '';
  return learner === '' ? null : learner;
}

/** The learner a launch opens, for launches mapped elsewhere (tests, older callers) that never name one. */
export function focusLearnerOfLaunch(launch: LaunchContext): string | null {
  return (launch as Partial<MappedLaunchContext>).focusLearnerUserId ?? null;
}

/** Maps a validated id_token, once, to what Attest uses. Pure: no I/O, no clock. */
export function toLaunchContext(claims: IdTokenClaims): MappedLaunchContext {
  const rawRoles = claims[CLAIM_ROLES];
  const ags = claims[CLAIM_AGS_ENDPOINT];
  const roles = toRoles(rawRoles);
  const lineItemUrl = ags?.lineitem ?? null;
  const agsScopes = [...(ags?.scope ?? [])];
  const launch: LaunchContext = {
    issuer: claims.iss,
    clientId: clientIdOf(claims),
    deploymentId: claims[CLAIM_DEPLOYMENT_ID],
    // A submission review launches the same resource link (Submission Review 1.0 §3.1), so it is one here.
    messageType: claims[CLAIM_MESSAGE_TYPE] === MESSAGE_DEEP_LINKING ? 'LtiDeepLinkingRequest' : 'LtiResourceLinkRequest',
    userId: claims.sub,
    userName: nameOf(claims),
    userEmail: claims.email ?? null,
    roles,
    isTeachingAssistant: isTeachingAssistant(rawRoles),
    rawRoles: [...rawRoles],
    platformName: claims[CLAIM_TOOL_PLATFORM]?.name ?? null,
    contextId: claims[CLAIM_CONTEXT]?.id ?? null,
    contextTitle: claims[CLAIM_CONTEXT]?.title ?? null,
    resourceLinkId: claims[CLAIM_RESOURCE_LINK]?.id ?? null,
    resourceLinkTitle: claims[CLAIM_RESOURCE_LINK]?.title ?? null,
    unitId: unitIdOf(claims[CLAIM_CUSTOM]),
    lineItemUrl,
    agsScopes,
    lineItemsUrl: ags?.lineitems ?? null,
    membershipsUrl: claims[CLAIM_NRPS]?.context_memberships_url ?? null,
    isInstructor: isInstructorRole(roles),
    canPostScores: canPostScoresTo(lineItemUrl, agsScopes),
    platformFamily: toPlatformFamily(claims[CLAIM_TOOL_PLATFORM]?.product_family_code),
  };
  const reviewedLearnerUserId = reviewedLearnerOf(claims);
  // A review opens its learner for an instructor on a unit activity, as a SpeedGrader launch does;
  // it is otherwise the same launch of the same resource link, so every route treats it as one.
  const focusLearnerUserId = reviewedLearnerUserId !== null ? (launch.isInstructor && launch.unitId !== null ? reviewedLearnerUserId : null) : focusLearnerOf(claims, launch);
  return { ...launch, focusLearnerUserId, reviewedLearnerUserId };
}

/**
 * Which screen a launch opens. One redirect target (`/app/?ltik=…`) serves all three; the UI asks
 * `GET /api/session` for this. Instructors and administrators both see the caseload.
 */
export function toLaunchView(launch: Pick<LaunchContext, 'messageType' | 'isInstructor'>): LaunchView {
  if (launch.messageType === 'LtiDeepLinkingRequest') return 'deep-linking';
  return launch.isInstructor ? 'instructor-caseload' : 'learner-unit';
}

// The rules behind the LaunchContext's derived facts. Exported for the mapping above and for test
// factories that build a LaunchContext by hand; routes and use cases read the facts on the launch.

/** Instructors and administrators teach: they see the caseload and may place units. */
export function isInstructorRole(roles: readonly AttestRole[]): boolean {
  return roles.includes('instructor') || roles.includes('administrator');
}

/** AGS §3.1: a line item to post to, and the score scope to post with (https://www.imsglobal.org/spec/lti-ags/v2p0#scope-and-allowed-http-methods). */
export function canPostScoresTo(lineItemUrl: string | null, agsScopes: readonly string[]): boolean {
  return lineItemUrl !== null && agsScopes.includes(SCOPE_AGS_SCORE);
}

/**
 * The LMS family, from LTI core §5.4.2 `tool_platform.product_family_code`
 * (https://www.imsglobal.org/spec/lti/v1p3/#platform-instance-claim): Moodle sends `moodle`, Canvas
 * (hosted or self-hosted, whatever its issuer) `canvas`; the same code Dynamic Registration's
 * platform configuration carries. Matched exactly; anything else, or no claim, is `other`.
 */
export function toPlatformFamily(productFamilyCode: string | null | undefined): PlatformFamily {
  return productFamilyCode === 'moodle' || productFamilyCode === 'canvas' ? productFamilyCode : 'other';
}
