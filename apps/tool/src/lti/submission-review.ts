import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { LaunchedMember } from '../db/index.ts';
import type { RosterSource } from '../domain/ports.ts';
import { learnersAmong, rosterIsShared } from '../assessment/roster-cache.ts';
import { CLAIM_MESSAGE_TYPE, MESSAGE_SUBMISSION_REVIEW } from './claims.ts';
import { decodeJwt } from './check-id-token.ts';
import { fetchPlatformJson } from './fetch-platform-json.ts';
import type { FetchLimits, HostPolicy } from './fetch-platform-json.ts';
import { IdTokenClaimsSchema } from './id-token-claims.ts';
import type { LtiRefusalKind } from './lti-refusal.ts';
import type { PlatformRegistry } from './platform-registry.ts';
import { toLaunchContext } from './to-launch-context.ts';
import type { MappedLaunchContext } from './to-launch-context.ts';

// An LtiSubmissionReviewRequest (LTI Submission Review 1.0; Moodle sends one from the gradebook's
// Grade analysis for any graded activity) opens the learner its `for_user` claim names. It is
// authorised as strictly as the assessor's own screens: the launcher must teach the course, the
// activity must be a unit, and the learner must be one of the course's learners, by the same rule
// the caseload uses (roster-cache.ts `learnersAmong`). It runs before ltijs sees the token, on
// the token verified here against the platform's keys (as hold-new-deployment.ts does), so a
// refused review stores nothing: no ltijs document, launch record or ltik. Verifying first matters:
// the roster answer must never be given to a token nobody at the platform signed.

export interface CourseLearnerLookup {
  /** The course's members from the LMS (NRPS); throws when the LMS does not give them. */
  readonly membersOf: RosterSource['membersOf'];
  /** Everyone who has launched in the course, with their latest launch's roles (db/latest-launch-members.ts). */
  readonly launchedMembers: (launch: MappedLaunchContext) => Promise<ReadonlyMap<string, LaunchedMember>>;
}

/**
 * Whether `userId` is a learner of the launch's course, by the caseload's rule (`learnersAmong`).
 * An LMS whose roster fails here counts as one that shares none: a review is rare, and refusing it
 * because NRPS is down would send the assessor to look for the learner by hand.
 */
async function isCourseLearner(launch: MappedLaunchContext, userId: string, lookup: CourseLearnerLookup): Promise<boolean> {
  const [roster, launched] = await Promise.all([rosterIsShared(launch) ? lookup.membersOf(launch).catch(() => null) : null, lookup.launchedMembers(launch)]);
  return learnersAmong(roster, launched).some((member) => member.userId === userId);
}

/** Null when the launch is not a review or may go on; otherwise why it is refused. */
export async function submissionReviewRefusal(launch: MappedLaunchContext, lookup: CourseLearnerLookup): Promise<LtiRefusalKind | null> {
  const learnerUserId = launch.reviewedLearnerUserId;
  if (learnerUserId === null) return null;
  // A learner's own Grade analysis (Submission Review 1.0 lets the reviewer be the submitter) is their
  // own launch of the activity: their unit, as any launch of theirs opens it. Anyone else's is not theirs to open.
  if (!launch.isInstructor) return learnerUserId === launch.userId ? null : 'review_not_assessor';
  if (launch.contextId === null || launch.unitId === null) return 'review_without_unit';
  return (await isCourseLearner(launch, learnerUserId, lookup)) ? null : 'review_learner_not_in_course';
}

export interface ReviewCheckDeps {
  readonly platforms: PlatformRegistry;
  readonly hostPolicy: HostPolicy;
  readonly limits?: FetchLimits | undefined;
  readonly lookup: CourseLearnerLookup;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

/**
 * For an id_token that already passed check-id-token.ts and the registry: null unless it is an
 * LtiSubmissionReviewRequest that may not go on; `launch_not_verified` when the platform's keys do
 * not verify it, `launch_incomplete` when its claims do not map.
 */
export async function reviewRefusalOf(idToken: string, tenant: { readonly issuer: string; readonly clientId: string }, deps: ReviewCheckDeps): Promise<LtiRefusalKind | null> {
  if (decodeJwt(idToken)?.payload[CLAIM_MESSAGE_TYPE] !== MESSAGE_SUBMISSION_REVIEW) return null;
  const platform = await deps.platforms.find(tenant.issuer, tenant.clientId);
  if (!platform?.isActive || !platform.jwksUrl) return 'launch_not_verified';
  let payload: Record<string, unknown>;
  try {
    const keys = (await fetchPlatformJson(platform.jwksUrl, 'JWKS', { headers: { accept: 'application/json' } }, deps.hostPolicy, deps.limits)) as JSONWebKeySet;
    // Signature, issuer and audience; time, nonce and claim checks already ran (check-id-token.ts).
    ({ payload } = await jwtVerify(idToken, createLocalJWKSet(keys), { algorithms: ['RS256'], issuer: tenant.issuer, audience: tenant.clientId }));
  } catch (error) {
    deps.log('submission review not verified by the platform keys', { issuer: tenant.issuer, clientId: tenant.clientId, reason: (error as { code?: unknown }).code ?? (error as Error).name });
    return 'launch_not_verified';
  }
  const claims = IdTokenClaimsSchema.safeParse(payload);
  if (!claims.success) return 'launch_incomplete';
  return submissionReviewRefusal(toLaunchContext(claims.data), deps.lookup);
}
