// The seams between the tool's use cases and the LMS: the launch as the tool reads it, and the two
// services it calls back (scores, roster). Use cases and HTTP routes depend on these types only;
// `src/lti/` implements ScoreSender and RosterSource on top of ltijs and AGS/NRPS. The database is
// not behind a port: use cases and repositories take `Executor`/`Transaction` from `src/db/`.
import type { AttestRole } from '@attest/contracts';

/** A tenant: one LMS registration (issuer + client id) and one of its deployments. */
export interface TenantKey {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
}

/** Which LMS a launch comes from, as far as Attest behaves differently: scores differ (see architecture, Grade). */
export type PlatformFamily = 'moodle' | 'canvas' | 'other';

/** Everything Attest needs from a validated LTI launch, mapped once from the id_token claims. */
export interface LaunchContext extends TenantKey {
  readonly messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly userId: string;
  readonly userName: string | null;
  readonly userEmail: string | null;
  readonly roles: readonly AttestRole[];
  readonly isTeachingAssistant: boolean;
  /** The raw role URIs, kept for display and audit. */
  readonly rawRoles: readonly string[];
  readonly platformName: string | null;
  readonly contextId: string | null;
  readonly contextTitle: string | null;
  readonly resourceLinkId: string | null;
  readonly resourceLinkTitle: string | null;
  /** The unit this activity assesses: the `attest_unit` custom parameter placed by deep linking. */
  readonly unitId: string | null;
  /** AGS: the line item of this resource link, when the platform created one. */
  readonly lineItemUrl: string | null;
  readonly agsScopes: readonly string[];
  /** AGS: the course's line items container (`lineitems`), when the platform offers it. */
  readonly lineItemsUrl?: string | null;
  /** NRPS: the context memberships URL, when the platform offers it. */
  readonly membershipsUrl: string | null;
  // Facts derived from the claims above, decided once in `toLaunchContext` and read everywhere else.
  /** Instructors and administrators teach: they see the caseload, assess, and may place units. */
  readonly isInstructor: boolean;
  /** The activity has an AGS line item and the platform granted the score scope, so Attest may post to it. */
  readonly canPostScores: boolean;
  /** From the `tool_platform` claim's `product_family_code`. */
  readonly platformFamily: PlatformFamily;
  /**
   * Whether Attest has made this user an administrator (decision 21), read in the same statement as
   * the ltik's tokens at this very request; absent where a launch context was built otherwise.
   */
  readonly attestAdministrator?: boolean;
}

/** AGS §3.4 score, as Attest sends it. */
export interface Score {
  readonly userId: string;
  readonly scoreGiven?: number;
  readonly scoreMaximum?: number;
  readonly activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  readonly gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  /** ISO 8601; the platform orders scores by it (Moodle refuses one not strictly newer). */
  readonly timestamp: string;
  readonly comment?: string;
  /** Platform-specific extensions, e.g. Canvas's `https://canvas.instructure.com/lti/submission`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Where a score goes: enough to send it later from a job, long after the launch token expired. */
export interface ScoreTarget extends TenantKey {
  readonly lineItemUrl: string;
}

export type ScoreSendResult =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      readonly status: number | null;
      readonly retryAfterSeconds: number | null;
      readonly message: string;
      /** The platform is rate-limiting us (429, or Canvas's 403 "Rate Limit Exceeded"): try again later, not a failure. */
      readonly isThrottled?: boolean;
    };

/** One learner's AGS result (§3.5) as the platform's result service shows it. */
export interface PlatformResult {
  /** On the result's own scale (`resultMaximum`); null when the platform holds no score. */
  readonly resultScore: number | null;
  readonly resultMaximum: number | null;
  readonly comment: string | null;
}

/** `result: null`: the platform holds no result for the learner; `ok: false`: it could not be read. */
export type PlatformResultRead = { readonly ok: true; readonly result: PlatformResult | null } | { readonly ok: false; readonly message: string; readonly isThrottled?: boolean };

/**
 * Every result on a line item (AGS §3.5, all pages), keyed by LMS user id. `isLineItemGone`: the
 * service answered 404, so the activity or its gradebook column was deleted.
 */
export type LineItemResultsRead =
  | { readonly ok: true; readonly results: ReadonlyMap<string, PlatformResult> }
  | { readonly ok: false; readonly isLineItemGone: boolean; readonly message: string };

/** Reads what a course's gradebook holds, with the tool's service token (the sync report and reconciliation). */
export interface GradebookResultsReader {
  readResults(target: ScoreTarget): Promise<LineItemResultsRead>;
}

export interface ScoreSender {
  send(target: ScoreTarget, score: Score): Promise<ScoreSendResult>;
  /** The learner's result on the line item (AGS result service), when the sender can read it. */
  readResult?(target: ScoreTarget, userId: string): Promise<PlatformResultRead>;
}

export interface RosterMember {
  readonly userId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly status: string | null;
}

export interface RosterSource {
  /** NRPS members of the launch's context; throws an AppError if the platform offers no NRPS. */
  membersOf(launch: LaunchContext): Promise<readonly RosterMember[]>;
}
