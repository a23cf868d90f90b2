import type { EmulatorSnapshot } from './emulator-snapshot.ts';
// The public shapes of the platform emulator. Tests of the tool, the browser tests and the demo code
// against these; keep the names stable.
import type { CanvasSubmissionRecord } from './canvas/submission-rules.ts';

export type PlatformMode = 'moodle' | 'canvas';

export interface PlatformEmulatorOptions {
  readonly mode: PlatformMode;
  /** Where to listen; defaults to 127.0.0.1 so the tool (on localhost) is a different site. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Shown as tool_platform.name and on pages; defaults to "Emulated Moodle" / "Emulated Canvas". */
  readonly platformName?: string;
  /**
   * Start as the platform a snapshot() saved: same key, records and numbering. It must listen at
   * the URL it was saved at (same host and port), else the start is refused.
   */
  readonly restore?: EmulatorSnapshot;
}

/** A tool as the platform knows it: what an administrator types in, or what DR sent. */
export interface ToolRegistrationInput {
  readonly name?: string;
  /** OIDC third-party login initiation URL (the tool's `/lti/login`). */
  readonly loginUrl: string;
  /** Registered redirect URIs; the authorization endpoint accepts only these. */
  readonly redirectUris: readonly string[];
  readonly jwksUrl: string;
  /** Default launch URL (target_link_uri) for resource links that name none. */
  readonly targetLinkUri: string;
  /** Deep-linking launch URL; defaults to targetLinkUri. */
  readonly deepLinkingUrl?: string;
  /** OAuth2 scopes the tool may be granted; defaults to every AGS scope and NRPS. */
  readonly scopes?: readonly string[];
  /** Custom parameters added to every launch of this tool. */
  readonly customParameters?: Readonly<Record<string, string>>;
}

export interface ToolRegistration {
  readonly clientId: string;
  readonly deploymentId: string;
  readonly name: string;
  readonly loginUrl: string;
  readonly redirectUris: readonly string[];
  readonly jwksUrl: string;
  readonly targetLinkUri: string;
  readonly deepLinkingUrl: string;
  readonly scopes: readonly string[];
  readonly customParameters: Readonly<Record<string, string>>;
  readonly registeredBy: 'manual' | 'dynamic';
  /** Launches of an inactive tool are refused (a dynamically registered Moodle tool starts pending). */
  readonly active: boolean;
  /** Canvas only: the placements its Dynamic Registration made (src/canvas/registration-rules.ts); absent for a manual tool. */
  readonly placements?: readonly ToolPlacement[];
  /**
   * Moodle only, for a dynamically registered tool: the site-level "Tool configuration usage"
   * (`lti_types.coursevisible`). Dynamic Registration, new or "Update", always sets
   * `preconfigured` (registration_helper::registration_to_config); only an administrator's edit
   * (`showInActivityChooser`) makes it `activityChooser`, where teachers find it in the chooser.
   */
  readonly courseVisible?: 'preconfigured' | 'activityChooser';
}

/** A Canvas placement built from a registered message (Lti::IMS::Registration#build_placement_for). */
export interface ToolPlacement {
  /** Canvas's name, e.g. `assignment_selection`, `link_selection`, `course_navigation`. */
  readonly placement: string;
  readonly messageType: string;
  readonly targetLinkUri: string | null;
  readonly label: string | null;
}

/** Where a Canvas administrator or teacher installs a registered tool; each install is a new deployment. */
export type ToolInstallContext =
  | { readonly type: 'account' }
  | { readonly type: 'subAccount'; readonly subAccountId: string }
  | { readonly type: 'course'; readonly courseId: string };

export interface ToolInstall {
  readonly deploymentId: string;
  readonly clientId: string;
  readonly context: ToolInstallContext;
}

/** Canvas only: how the emulated Canvas runs one Dynamic Registration. */
export interface CanvasRegistrationOptions {
  /**
   * Canvas's `lti_registrations_next` flag: #create makes the root-account deployment and returns its
   * `deployment_id` at the top level of the response. Off, the response has none. Default true.
   */
  readonly registrationsNext?: boolean;
}

/** Moodle only: how a registration starts. */
export interface MoodleRegistrationOptions {
  /**
   * Moodle's "Update" of this registered tool (mod/lti/startltiadvregistration.php with `type`):
   * the registration token's `sub` is the tool type id (its deployment id) and its scope
   * `reg-update`; the tool keeps its client id. Absent: a new registration (scope `reg`).
   */
  readonly updateClientId?: string;
}

/** What the platform hands the browser to start Dynamic Registration (LTI DR 1.0 §3.3). */
export interface DynamicRegistrationStart {
  /** The platform page that frames the tool's registration URL and waits for `org.imsglobal.lti.close`. */
  readonly pageUrl: string;
  /** The tool's registration URL with `openid_configuration` and `registration_token` appended. */
  readonly toolRegistrationUrl: string;
  readonly openidConfigurationUrl: string;
  readonly registrationToken: string;
}

export interface Course {
  readonly id: string;
  readonly title: string;
  readonly label: string;
  /** Canvas only: the sub-account the course belongs to (its installs apply to the course). */
  readonly subAccountId?: string;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  /** A site administrator (Moodle) / account admin (Canvas). */
  readonly isAdministrator: boolean;
}

/** Course roles as the platform grants them; how each is sent in `roles` depends on the mode. */
export type CourseRole = 'learner' | 'instructor' | 'teachingAssistant';

export interface Enrolment {
  readonly courseId: string;
  readonly userId: string;
  readonly role: CourseRole;
}

/** The `lineItem` of a deep-linked ltiResourceLink (LTI Deep Linking 2.0 §3.4.1). */
export interface LineItemSpec {
  readonly scoreMaximum: number;
  readonly label: string;
  readonly resourceId?: string;
  readonly tag?: string;
  /** LTI Submission Review 1.0: the tool can open a learner's submission on this line item. */
  readonly submissionReview?: SubmissionReview;
}

/**
 * What Moodle keeps of a line item's `submissionReview` (mod/lti/locallib.php `content_item_to_form`:
 * `lineitemsubreviewurl` is the `url` or "DEFAULT", `lineitemsubreviewparams` the `custom`); the
 * label and reviewableStatus it drops.
 */
export interface SubmissionReview {
  /** Where the review launches; absent: the activity's own URL (Moodle's "DEFAULT"). */
  readonly url?: string;
  /** Added to the review launch's custom parameters. */
  readonly custom?: Readonly<Record<string, string>>;
}

export interface LineItem {
  /** The line item's URL (its `id` in AGS). */
  readonly id: string;
  readonly courseId: string;
  readonly clientId: string;
  readonly scoreMaximum: number;
  readonly label: string;
  readonly resourceId: string | null;
  readonly tag: string | null;
  readonly resourceLinkId: string | null;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
  /** Set when the line item came with `submissionReview` (Moodle's ltiservice_gradebookservices subreviewurl/subreviewparams). */
  readonly submissionReview?: SubmissionReview | null;
}

export interface ResourceLinkInput {
  readonly courseId: string;
  readonly clientId: string;
  readonly title: string;
  /** Launch URL; defaults to the tool's targetLinkUri. */
  readonly url?: string;
  readonly text?: string;
  readonly custom?: Readonly<Record<string, string>>;
  readonly lineItem?: LineItemSpec;
}

export interface ResourceLink {
  readonly id: string;
  readonly courseId: string;
  readonly clientId: string;
  readonly title: string;
  readonly url: string;
  readonly text: string | null;
  readonly custom: Readonly<Record<string, string>>;
  /** URL of the line item made for this link, if any. */
  readonly lineItemId: string | null;
  /** How it got there: placed by an administrator/test, or returned by the tool through deep linking. */
  readonly placedBy: 'admin' | 'deepLinking';
}

/** Canvas's score extension `https://canvas.instructure.com/lti/submission`, as recorded. */
export interface CanvasSubmissionData {
  readonly newSubmission: boolean | null;
  readonly submissionType: string | null;
  readonly submissionData: string | null;
  readonly submittedAt: string | null;
  readonly contentItems: readonly unknown[] | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One learner's result on one line item, as the gradebook holds it. */
export interface GradebookEntry {
  readonly courseId: string;
  readonly lineItemId: string;
  readonly activity: string;
  readonly userId: string;
  readonly userName: string;
  /** On the line item's scale (scoreGiven / scoreMaximum * line item scoreMaximum); null when cleared. */
  readonly grade: number | null;
  readonly scoreGiven: number | null;
  readonly scoreMaximum: number | null;
  readonly activityProgress: string;
  readonly gradingProgress: string;
  readonly comment: string | null;
  readonly timestamp: string;
  readonly canvasSubmission: CanvasSubmissionData | null;
  /** How many scores the platform accepted for this user and line item. */
  readonly acceptedScores: number;
  /**
   * Canvas only: the Submission the gradebook and SpeedGrader show (src/canvas/submission-rules.ts);
   * in Canvas mode `grade` is this submission's score. Null in Moodle mode.
   */
  readonly submission?: CanvasSubmissionRecord | null;
}

/** A grade a grader types into SpeedGrader (Canvas only). */
export interface TutorGradeInput {
  readonly courseId: string;
  readonly lineItemId: string;
  readonly learnerId: string;
  readonly graderId: string;
  /** Points on the line item's scale; null removes the grade. */
  readonly score: number | null;
}

/** A grade someone changes by hand in Moodle's gradebook (the grader report's override). */
export interface GradebookOverrideInput {
  readonly courseId: string;
  readonly lineItemId: string;
  readonly learnerId: string;
  /** Points on the line item's scale; null empties the grade. */
  readonly score: number | null;
}

/** One learner's grade on one line item. */
export interface GradeTarget {
  readonly courseId: string;
  readonly lineItemId: string;
  readonly learnerId: string;
}

export interface LaunchTarget {
  readonly courseId: string;
  readonly userId: string;
  readonly resourceLinkId: string;
}

/** Moodle only: a grader opening one learner's grade of an activity from the gradebook (Grade analysis). */
export interface GradeAnalysisTarget {
  readonly courseId: string;
  readonly resourceLinkId: string;
  readonly learnerId: string;
  readonly graderId: string;
}

/** A learner's recorded Canvas submission on a line item, opened in SpeedGrader by a grader. */
export interface SubmissionLaunchTarget {
  readonly courseId: string;
  readonly lineItemId: string;
  readonly learnerId: string;
  readonly graderId: string;
}

export interface DeepLinkingTarget {
  readonly courseId: string;
  readonly userId: string;
  readonly clientId: string;
}

export type LtiMessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';

export interface LaunchClaimsInput {
  readonly clientId: string;
  readonly courseId: string;
  readonly userId: string;
  /** The nonce from the tool's authorization request. */
  readonly nonce: string;
  readonly messageType?: LtiMessageType;
  /** Required for LtiResourceLinkRequest and LtiSubmissionReviewRequest. */
  readonly resourceLinkId?: string;
  /** LtiSubmissionReviewRequest only: the learner whose work is opened (the `for_user` claim). */
  readonly forUserId?: string;
  /** Seconds from now until `exp`; defaults to 60 (Moodle and Canvas both use a minute). */
  readonly expiresInSeconds?: number;
  /** The URL the launch is for; defaults to the resource link's URL (the deep-linking URL for deep linking). */
  readonly targetLinkUri?: string;
}

/** How {@link PlatformEmulator.signIdToken} signs, for the tool's security tests. */
export interface SignIdTokenOptions {
  /**
   * - `platform` (default): the emulator's own key, listed in its JWKS.
   * - `foreign`: a fresh RSA key the JWKS does not list.
   * - `none`: an unsigned JWT (`alg: none`).
   * - `hs256-public-key`: HS256 keyed with the platform's public key PEM (the algorithm-confusion attack).
   */
  readonly key?: 'platform' | 'foreign' | 'none' | 'hs256-public-key';
  /** Overrides the `kid` header (default: the key's own kid; none for `none`). */
  readonly kid?: string | null;
}

/** The next score POST, held before the platform processes it: a tool stopped mid-delivery. */
export interface ScoreHold {
  /** Settles when the score has arrived and is being held. */
  readonly arrived: Promise<void>;
  /** Lets it go on: the platform then processes and answers it as usual. */
  release(): void;
}

/**
 * A throttle on the platform's LTI service calls (src/rate-limit.ts cites each platform's own).
 * `canvas`: Canvas's leaky bucket per developer key, answering 403 "Rate Limit Exceeded"; every
 * setting defaults to Canvas's, and `requestCost` stands for the CPU + DB seconds Canvas measures.
 * `requestsPerSecond`: a generic limit (a proxy in front of Moodle, which has none of its own),
 * answering 429 with Retry-After.
 */
export type RateLimit =
  | { readonly kind: 'canvas'; readonly hwm?: number; readonly maximum?: number; readonly outflowPerSecond?: number; readonly upFrontCost?: number; readonly requestCost?: number }
  | { readonly kind: 'requestsPerSecond'; readonly requestsPerSecond: number; readonly burst: number };

export interface RateLimitStats {
  /** Service calls the limit refused (403 Rate Limit Exceeded or 429) since it was set. */
  readonly throttled: number;
  /** Service calls it let through since it was set. */
  readonly allowed: number;
}

export interface ScoreFailureInjection {
  /** How many of the next score POSTs fail. */
  readonly count: number;
  /**
   * 503 down, 429 throttling, 422 refused as Canvas refuses a learner it does not (yet) see as a
   * student of the course (scores_controller.rb verify_user_in_context: "user not found … or is not
   * a student"), which a tool does not retry.
   */
  readonly status: 503 | 429 | 422;
  /** Sent as `Retry-After` (seconds) with 429; defaults to 1. */
  readonly retryAfterSeconds?: number;
  /**
   * The platform stores the score, then the answer is lost (a gateway timing out after the
   * application committed): the tool sees the failure status although the score counted.
   */
  readonly afterProcessing?: boolean;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string | null;
  readonly contentType: string | null;
  /** Which part of the platform answered: oidc, token, ags, nrps, dr, deep-linking, admin, page. */
  readonly area: string;
}

export interface PlatformEmulator {
  readonly mode: PlatformMode;
  /** Base URL, e.g. http://127.0.0.1:3100. */
  readonly url: string;
  /** The `iss` of every id_token: the site URL in Moodle, https://canvas.instructure.com in Canvas. */
  readonly issuer: string;
  readonly platformName: string;
  readonly jwksUrl: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly openidConfigurationUrl: string;
  /** The `kid` of the platform's signing key. */
  readonly kid: string;

  registerTool(input: ToolRegistrationInput): ToolRegistration;
  startDynamicRegistration(toolRegistrationUrl: string, options?: MoodleRegistrationOptions): DynamicRegistrationStart;
  /**
   * Does the browser's part of Dynamic Registration with fetch: GETs the tool's registration URL
   * (with openid_configuration and registration_token), then returns the registration the tool
   * POSTed. Moodle leaves the tool pending until activated; pass `activate: false` to keep it so.
   */
  registerToolDynamically(toolRegistrationUrl: string, options?: { readonly activate?: boolean; readonly disabledScopes?: readonly string[] } & CanvasRegistrationOptions & MoodleRegistrationOptions): Promise<ToolRegistration>;
  /** Canvas only: starts a registration with Canvas's options (see CanvasRegistrationOptions). */
  startCanvasRegistration(toolRegistrationUrl: string, options?: CanvasRegistrationOptions): DynamicRegistrationStart;
  /** Canvas only: the administrator's review step — unticked scopes are taken from the tool (Canvas's disabledScopes). */
  narrowToolScopes(clientId: string, disabledScopes: readonly string[]): ToolRegistration;
  /** Canvas only: installs the tool in an account, sub-account or course: a new deployment id. */
  installTool(clientId: string, context: ToolInstallContext): ToolInstall;
  listInstalls(clientId: string): readonly ToolInstall[];
  activateTool(clientId: string): ToolRegistration;
  /** Moodle only: the administrator sets "Show in activity chooser and as a preconfigured tool" (edit_form.php `lti_coursevisible`). */
  showInActivityChooser(clientId: string): ToolRegistration;
  getTool(clientId: string): ToolRegistration;
  listTools(): readonly ToolRegistration[];

  createCourse(input?: { readonly title?: string; readonly label?: string; readonly subAccountId?: string }): Course;
  createUser(input?: { readonly name?: string; readonly givenName?: string; readonly familyName?: string; readonly email?: string; readonly isAdministrator?: boolean }): User;
  enrol(courseId: string, userId: string, role: CourseRole): Enrolment;
  placeResourceLink(input: ResourceLinkInput): ResourceLink;
  getResourceLinks(courseId: string): readonly ResourceLink[];
  getLineItems(courseId: string): readonly LineItem[];

  /** The emulator's own login-initiation URL for a resource-link launch (an iframe src). */
  launchUrl(target: LaunchTarget): string;
  /** The emulator's own login-initiation URL for a deep-linking launch (an iframe src). */
  deepLinkingLaunchUrl(target: DeepLinkingTarget): string;
  /**
   * Canvas only: what SpeedGrader frames for a learner's `basic_lti_launch` submission, launched by the
   * grader with the submission URL as the target link URI (see src/submission-launch-url.ts).
   */
  submissionLaunchUrl(target: SubmissionLaunchTarget): string;
  /** Canvas only: SpeedGrader's page for the learner's submission, framing submissionLaunchUrl (src/routes/speed-grader-routes.ts). */
  speedGraderPageUrl(target: SubmissionLaunchTarget): string;
  /**
   * Moodle only: the login-initiation URL of the LtiSubmissionReviewRequest a grader's Grade analysis
   * sends for one learner (mod/lti/launch.php `action=gradeReport`; src/grade-analysis.ts).
   */
  gradeAnalysisLaunchUrl(target: GradeAnalysisTarget): string;
  /** Moodle only: the Grade analysis page (mod/lti/grade.php → view.php), framing gradeAnalysisLaunchUrl. */
  gradeAnalysisPageUrl(target: GradeAnalysisTarget): string;
  /** A course page for a user: the launch (or the deep-linking launch) framed cross-site. */
  coursePageUrl(input: { readonly courseId: string; readonly userId: string; readonly resourceLinkId?: string; readonly deepLinkingClientId?: string }): string;
  gradebookPageUrl(courseId: string): string;
  getGradebook(courseId: string): readonly GradebookEntry[];

  /** The claims of a correct launch, ready to sign, for a nonce the tool asked for. */
  buildLaunchClaims(input: LaunchClaimsInput): Record<string, unknown>;
  signIdToken(claims: Record<string, unknown>, options?: SignIdTokenOptions): Promise<string>;

  injectScoreFailures(injection: ScoreFailureInjection): void;
  /** Holds the next score POST until `release()`: a test stops the tool that sent it meanwhile. */
  holdNextScore(): ScoreHold;
  /** Throttles the LTI service calls from now on (null: no limit, the default); counts start again. */
  setRateLimit(limit: RateLimit | null): void;
  getRateLimitStats(): RateLimitStats;
  /** Canvas only: a grader enters (or removes) a learner's grade by hand in SpeedGrader. */
  gradeAsTutor(input: TutorGradeInput): GradebookEntry;
  /** Moodle only: a teacher overrides (or empties) a learner's grade in the gradebook. */
  overrideGrade(input: GradebookOverrideInput): GradebookEntry;
  /** The gradebook loses a learner's grade (a course reset, a restore): the result service lists none. */
  loseGrade(input: GradeTarget): void;
  /**
   * The LMS server's clock runs this many seconds ahead of the tool's (an unsynchronised server).
   * Moodle dates a grade written without a score by its own clock (`time()` in
   * lib/grade/grade_item.php update_raw_grade), so a tool's next score, dated by the tool's clock,
   * can be refused with 409 "earlier timestamp" although it is the newer decision.
   */
  setClockAhead(seconds: number): void;
  /** The activity and its gradebook column are deleted: every AGS call on the line item answers 404. */
  deleteLineItem(lineItemId: string): void;
  getRequestLog(): readonly RequestLogEntry[];
  clearRequestLog(): void;

  /** The platform's records, key and numbering as plain JSON, to start it again with `restore`. */
  snapshot(): Promise<EmulatorSnapshot>;
  close(): Promise<void>;
}
