// The platform's memory: registrations, courses, people, activities, line items and results.
// Plain maps; the HTTP routes and the programmatic API both go through the methods here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StoredResult } from './accept-score.ts';
import { emptySubmission, gradeByTutor, type CanvasSubmissionRecord } from './canvas/submission-rules.ts';
import type { PlatformProfile } from './platform-profile.ts';
import type {
  Course, CourseRole, Enrolment, GradebookEntry, LineItem, LineItemSpec, RequestLogEntry, ResourceLink,
  ResourceLinkInput, ScoreFailureInjection, ScoreHold, ToolRegistration, ToolRegistrationInput, TutorGradeInput, User, GradebookOverrideInput, GradeTarget,
} from './types.ts';
import { allServiceScopes } from './lti-vocabulary.ts';
import { CanvasInstalls } from './canvas/installs.ts';
import { RateLimiter } from './rate-limit.ts';
import type { SavedEmulatorState } from './emulator-snapshot.ts';

export class EmulatorError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** What the emulator's launch page hands to the tool as `lti_message_hint`, remembered server-side. */
export interface MessageHint {
  readonly kind: 'resourceLink' | 'deepLinking' | 'submissionReview';
  readonly courseId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly resourceLinkId: string | null;
  /** The URL the launch is for, when it is not the resource link's own (Canvas `retrieve?url=`). */
  readonly targetLinkUri?: string;
  /** A submission review's learner (Moodle's `for_user_id`, mod/lti/locallib.php `lti_build_request`). */
  readonly forUserId?: string;
}

export interface AccessToken {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

export interface RegistrationSession {
  readonly id: string;
  readonly clientId: string;
  readonly registrationToken: string;
  readonly toolRegistrationUrl: string;
  /** When the page saw the tool's `org.imsglobal.lti.close` message. */
  closedAt: string | null;
  /** Canvas only: the token's `uuid` and whether #create makes the root-account deployment. */
  readonly canvas?: { readonly uuid: string; readonly registrationsNext: boolean };
  /** Canvas only: when the administrator finished the review step (and the tool was enabled). */
  reviewedAt?: string | null;
}

/** The opaque `data` sent in deep_linking_settings, which the tool must echo back. */
/**
 * What Moodle's "Add an external tool" form holds after a deep-linking return: one activity per
 * content item, created only when the teacher saves the form (routes/deep-linking-routes.ts).
 */
export interface ActivityForm {
  readonly courseId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly activities: readonly ResourceLinkInput[];
}

export interface DeepLinkingSession {
  readonly courseId: string;
  readonly clientId: string;
  readonly userId: string;
}

export class EmulatorState {
  readonly tools = new Map<string, ToolRegistration>();
  readonly courses = new Map<string, Course>();
  readonly users = new Map<string, User>();
  readonly enrolments = new Map<string, Map<string, CourseRole>>();
  readonly resourceLinks = new Map<string, ResourceLink>();
  /** Keyed by line item URL. */
  readonly lineItems = new Map<string, LineItem>();
  /** Keyed by `${lineItemUrl} ${userId}`. */
  readonly results = new Map<string, StoredResult>();
  readonly messageHints = new Map<string, MessageHint>();
  /** Dynamic registrations started, keyed by session id. */
  readonly registrationSessions = new Map<string, RegistrationSession>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly usedAssertionIds = new Set<string>();
  readonly deepLinkingSessions = new Map<string, DeepLinkingSession>();
  /** Moodle only: activity forms filled by a deep-linking return, not yet saved or cancelled, keyed by form id. */
  readonly activityForms = new Map<string, ActivityForm>();
  readonly requestLog: RequestLogEntry[] = [];
  scoreFailures: { remaining: number; status: 503 | 429 | 422; retryAfterSeconds: number; afterProcessing?: boolean } = { remaining: 0, status: 503, retryAfterSeconds: 1 };
  /** Set by holdNextScore: the next score POST waits for `released` before it is processed. */
  scoreHold: { arrived: () => void; released: Promise<void> } | null = null;
  /** Opt-in throttling of service calls (src/rate-limit.ts). */
  readonly rateLimiter = new RateLimiter();
  /** Canvas only: installs after the registration's own (src/canvas/installs.ts). */
  canvasInstalls = new CanvasInstalls();
  /** Canvas only: each learner's Submission per line item, keyed like `results` (src/canvas/submission-rules.ts). */
  readonly canvasSubmissions = new Map<string, CanvasSubmissionRecord>();

  // Moodle's site course is id 1 and the admin user id 2, so real courses and people start after them.
  private nextCourse = 2;
  private nextUser = 3;
  private nextItem = 1;
  private nextLink = 1;
  private nextType = 1;

  constructor(private readonly profile: PlatformProfile, private readonly baseUrl: () => string) {}

  // ----- saving and restoring (src/emulator-snapshot.ts) ---------------------------------------

  /**
   * What outlives a restart: the platform's records (tools, courses, people, activities, grades) and
   * the counters that number new ones. Sessions, tokens, hints and the request log are a running
   * platform's, and a restarted one has none (as a real LMS's caches after a restart).
   */
  toSaved(): SavedEmulatorState {
    return {
      tools: [...this.tools.values()],
      courses: [...this.courses.values()],
      users: [...this.users.values()],
      enrolments: [...this.enrolments].map(([courseId, roles]) => [courseId, [...roles]]),
      resourceLinks: [...this.resourceLinks.values()],
      lineItems: [...this.lineItems.values()],
      results: [...this.results],
      canvasSubmissions: [...this.canvasSubmissions],
      canvasInstalls: this.canvasInstalls.toSaved(),
      counters: { course: this.nextCourse, user: this.nextUser, item: this.nextItem, link: this.nextLink, type: this.nextType },
    };
  }

  restoreSaved(saved: SavedEmulatorState): void {
    for (const tool of saved.tools) this.tools.set(tool.clientId, tool);
    for (const course of saved.courses) this.courses.set(course.id, course);
    for (const user of saved.users) this.users.set(user.id, user);
    for (const [courseId, roles] of saved.enrolments) this.enrolments.set(courseId, new Map(roles));
    for (const link of saved.resourceLinks) this.resourceLinks.set(link.id, link);
    for (const item of saved.lineItems) this.lineItems.set(item.id, item);
    for (const [key, result] of saved.results) this.results.set(key, result);
    for (const [key, submission] of saved.canvasSubmissions) this.canvasSubmissions.set(key, submission);
    this.canvasInstalls = CanvasInstalls.fromSaved(saved.canvasInstalls);
    this.nextCourse = saved.counters.course;
    this.nextUser = saved.counters.user;
    this.nextItem = saved.counters.item;
    this.nextLink = saved.counters.link;
    this.nextType = saved.counters.type;
  }

  // ----- tools ---------------------------------------------------------------------------------

  newClientId(): string {
    // Moodle: registration_helper::new_clientid() is random_string(15); Canvas developer keys are
    // numeric global ids such as 10000000000001.
    if (this.profile.mode === 'moodle') return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 15);
    return String(10000000000000 + this.tools.size + 1);
  }

  private newDeploymentId(): string {
    // Moodle: the deployment id is the tool type id (config_to_registration: strval($typeid)).
    // Canvas: "<install id>:<context lti id>", e.g. 1:4dde05e8ca1973bcca9bffc13e1548820eee93a3.
    const typeId = this.nextType++;
    if (this.profile.mode === 'moodle') return String(typeId);
    return `${typeId}:${createHash('sha1').update(`account-1-${typeId}`).digest('hex')}`;
  }

  addTool(input: ToolRegistrationInput, registeredBy: 'manual' | 'dynamic', clientId = this.newClientId()): ToolRegistration {
    const tool: ToolRegistration = {
      clientId,
      deploymentId: this.newDeploymentId(),
      name: input.name ?? 'Attest',
      ...toolSettingsOf(input),
      registeredBy,
      // mod/lti/openid-registration.php: `$type->state = LTI_TOOL_STATE_PENDING;` for dynamic
      // registrations; a manually configured tool is active (Canvas likewise installs after review).
      active: registeredBy === 'manual',
    };
    this.tools.set(clientId, tool);
    return tool;
  }

  getTool(clientId: string): ToolRegistration {
    const tool = this.tools.get(clientId);
    if (!tool) throw new EmulatorError(404, 'unknown_tool', `No tool with client id ${clientId}`);
    return tool;
  }

  activateTool(clientId: string): ToolRegistration {
    const tool = { ...this.getTool(clientId), active: true };
    this.tools.set(clientId, tool);
    return tool;
  }

  /** The administrator's "Show in activity chooser and as a preconfigured tool" (mod/lti/edit_form.php `lti_coursevisible`). */
  showInActivityChooser(clientId: string): ToolRegistration {
    const tool: ToolRegistration = { ...this.getTool(clientId), courseVisible: 'activityChooser' };
    this.tools.set(clientId, tool);
    return tool;
  }

  /**
   * Moodle's "Update" (mod/lti/openid-registration.php: `lti_update_type($type, clone $config)` when
   * the token named a type): the same record, client id, deployment id and state, with what the
   * tool sent now; lti_prepare_type_for_save() copies `lti_coursevisible`, which
   * registration_helper::registration_to_config() always sets to LTI_COURSEVISIBLE_PRECONFIGURED,
   * so an updated tool leaves the activity chooser whatever the tool answers.
   */
  updateTool(clientId: string, input: ToolRegistrationInput): ToolRegistration {
    const existing = this.getTool(clientId);
    const tool: ToolRegistration = {
      ...existing,
      name: input.name ?? existing.name,
      ...toolSettingsOf(input),
      courseVisible: 'preconfigured',
    };
    this.tools.set(clientId, tool);
    return tool;
  }

  /** Moodle's lti_get_type($typeid): the tool whose type id (its deployment id) this is. */
  findToolByTypeId(typeId: string): ToolRegistration | undefined {
    return [...this.tools.values()].find((tool) => tool.deploymentId === typeId);
  }

  /**
   * The deployment a launch of this tool in this course carries: in Canvas the nearest install's
   * (src/canvas/installs.ts), else the registration's own; Moodle has one per tool type.
   */
  deploymentFor(clientId: string, courseId: string): string {
    const tool = this.getTool(clientId);
    if (this.profile.mode !== 'canvas') return tool.deploymentId;
    return this.canvasInstalls.nearest(clientId, this.getCourse(courseId)) ?? tool.deploymentId;
  }

  // ----- courses and people --------------------------------------------------------------------

  createCourse(input: { title?: string; label?: string; subAccountId?: string } = {}): Course {
    const id = String(this.nextCourse++);
    const course: Course = { id, title: input.title ?? `Course ${id}`, label: input.label ?? `C${id}`, ...(input.subAccountId ? { subAccountId: input.subAccountId } : {}) };
    this.courses.set(id, course);
    this.enrolments.set(id, new Map());
    return course;
  }

  getCourse(courseId: string): Course {
    const course = this.courses.get(courseId);
    if (!course) throw new EmulatorError(404, 'unknown_course', `No course ${courseId}`);
    return course;
  }

  /** LTI `context.id`: Moodle sends the course id; Canvas an opaque lti_context_id (a SHA-1 hex). */
  contextIdOf(courseId: string): string {
    if (this.profile.mode === 'moodle') return courseId;
    return createHash('sha1').update(`course-${courseId}`).digest('hex');
  }

  createUser(input: { name?: string; givenName?: string; familyName?: string; email?: string; isAdministrator?: boolean } = {}): User {
    // Moodle's `sub` is the numeric user id; Canvas's is the user's opaque lti_id (a UUID).
    const n = this.nextUser++;
    const id = this.profile.mode === 'moodle' ? String(n) : randomUUID();
    const givenName = input.givenName ?? input.name?.split(' ')[0] ?? `User`;
    const familyName = input.familyName ?? (input.name?.split(' ').slice(1).join(' ') || String(n));
    const user: User = {
      id,
      name: input.name ?? `${givenName} ${familyName}`,
      givenName,
      familyName,
      email: input.email ?? `user${n}@example.test`,
      isAdministrator: input.isAdministrator ?? false,
    };
    this.users.set(id, user);
    return user;
  }

  getUser(userId: string): User {
    const user = this.users.get(userId);
    if (!user) throw new EmulatorError(404, 'unknown_user', `No user ${userId}`);
    return user;
  }

  enrol(courseId: string, userId: string, role: CourseRole): Enrolment {
    this.getCourse(courseId);
    this.getUser(userId);
    if (!['learner', 'instructor', 'teachingAssistant'].includes(role)) throw new EmulatorError(400, 'invalid_role', `Unknown role ${role}`);
    this.enrolments.get(courseId)?.set(userId, role);
    return { courseId, userId, role };
  }

  roleIn(courseId: string, userId: string): CourseRole | null {
    return this.enrolments.get(courseId)?.get(userId) ?? null;
  }

  // ----- activities and line items -------------------------------------------------------------

  placeResourceLink(input: ResourceLinkInput, placedBy: 'admin' | 'deepLinking'): ResourceLink {
    const course = this.getCourse(input.courseId);
    const tool = this.getTool(input.clientId);
    // Moodle's resource_link.id is the lti instance id; Canvas's is the resource_link_id UUID.
    const n = this.nextLink++;
    const id = this.profile.mode === 'moodle' ? String(n) : randomUUID();
    const lineItem = input.lineItem ? this.createLineItem(course.id, tool, input.lineItem, id) : null;
    const link: ResourceLink = {
      id,
      courseId: course.id,
      clientId: tool.clientId,
      title: input.title,
      url: input.url ?? tool.targetLinkUri,
      text: input.text ?? null,
      custom: { ...(input.custom ?? {}) },
      lineItemId: lineItem?.id ?? null,
      placedBy,
    };
    this.resourceLinks.set(id, link);
    return link;
  }

  getResourceLink(id: string): ResourceLink {
    const link = this.resourceLinks.get(id);
    if (!link) throw new EmulatorError(404, 'unknown_resource_link', `No resource link ${id}`);
    return link;
  }

  createLineItem(courseId: string, tool: ToolRegistration, spec: LineItemSpec & { startDateTime?: string | null; endDateTime?: string | null }, resourceLinkId: string | null): LineItem {
    if (!(typeof spec.scoreMaximum === 'number' && spec.scoreMaximum > 0)) {
      // AGS §3.2.6: scoreMaximum must be a positive number.
      throw new EmulatorError(400, 'invalid_line_item', 'scoreMaximum must be a number greater than 0');
    }
    if (typeof spec.label !== 'string' || spec.label.trim() === '') {
      // AGS §3.2.5: label is required.
      throw new EmulatorError(400, 'invalid_line_item', 'label is required');
    }
    const itemId = String(this.nextItem++);
    const item: LineItem = {
      id: this.profile.lineItemUrl(this.baseUrl(), courseId, itemId, tool.deploymentId),
      courseId,
      clientId: tool.clientId,
      scoreMaximum: spec.scoreMaximum,
      label: spec.label,
      resourceId: spec.resourceId ?? null,
      tag: spec.tag ?? null,
      resourceLinkId,
      startDateTime: spec.startDateTime ?? null,
      endDateTime: spec.endDateTime ?? null,
      submissionReview: spec.submissionReview ?? null,
    };
    this.lineItems.set(item.id, item);
    return item;
  }

  lineItemsOf(courseId: string): LineItem[] {
    return [...this.lineItems.values()].filter((item) => item.courseId === courseId);
  }

  findLineItem(courseId: string, itemId: string, clientId: string): LineItem | null {
    const tool = this.getTool(clientId);
    return this.lineItems.get(this.profile.lineItemUrl(this.baseUrl(), courseId, itemId, tool.deploymentId)) ?? null;
  }

  gradebookOf(courseId: string): GradebookEntry[] {
    this.getCourse(courseId);
    const entries: GradebookEntry[] = [];
    for (const item of this.lineItemsOf(courseId)) {
      for (const [key, result] of this.results) {
        if (!key.startsWith(`${item.id} `)) continue;
        const submission = this.profile.mode === 'canvas' ? this.canvasSubmissions.get(key) ?? null : null;
        // Canvas's gradebook shows the Submission's score, which a tutor's grade or the score flags may
        // keep apart from what the tool last sent (src/canvas/submission-rules.ts).
        const grade = submission !== null
          ? submission.score
          : result.scoreGiven === null || !result.scoreMaximum ? null : (result.scoreGiven / result.scoreMaximum) * item.scoreMaximum;
        entries.push({
          courseId,
          lineItemId: item.id,
          activity: item.label,
          userId: result.userId,
          userName: this.users.get(result.userId)?.name ?? result.userId,
          grade,
          scoreGiven: result.scoreGiven,
          scoreMaximum: result.scoreMaximum,
          activityProgress: result.activityProgress,
          gradingProgress: result.gradingProgress,
          comment: result.comment,
          timestamp: result.timestamp,
          canvasSubmission: result.canvasSubmission,
          acceptedScores: result.acceptedScores,
          submission,
        });
      }
    }
    return entries;
  }

  log(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
  }

  holdNextScore(): ScoreHold {
    let arrived!: () => void;
    let release!: () => void;
    const hasArrived = new Promise<void>((resolve) => (arrived = resolve));
    this.scoreHold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
    return { arrived: hasArrived, release };
  }

  /** How far the LMS server's own clock runs ahead of real time, in ms (setClockAhead). */
  clockAheadMs = 0;

  setClockAhead(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new EmulatorError(400, 'invalid_clock', 'seconds must be a number of at least 0');
    this.clockAheadMs = seconds * 1000;
  }

  injectScoreFailures(injection: ScoreFailureInjection): void {
    if (!Number.isInteger(injection.count) || injection.count < 0) throw new EmulatorError(400, 'invalid_injection', 'count must be a whole number');
    if (injection.status !== 503 && injection.status !== 429 && injection.status !== 422) throw new EmulatorError(400, 'invalid_injection', 'status must be 503, 429 or 422');
    this.scoreFailures = { remaining: injection.count, status: injection.status, retryAfterSeconds: injection.retryAfterSeconds ?? 1, afterProcessing: injection.afterProcessing === true };
  }

  /**
   * Canvas: a grader's own grade from SpeedGrader (src/canvas/submission-rules.ts gradeByTutor). The
   * tool's Lti::Result, if any, shows it too (Lti::Result.update_score_for_submission), scaled to the
   * result's maximum; its timestamp stays the tool's last one.
   */
  gradeAsTutor(input: TutorGradeInput): GradebookEntry {
    if (this.profile.mode !== 'canvas') throw new EmulatorError(400, 'not_canvas', 'Only the Canvas emulator has SpeedGrader grades');
    this.getCourse(input.courseId);
    const item = this.lineItems.get(input.lineItemId);
    if (!item || item.courseId !== input.courseId) throw new EmulatorError(404, 'unknown_line_item', `No line item ${input.lineItemId} in course ${input.courseId}`);
    if (this.roleIn(input.courseId, input.learnerId) !== 'learner') throw new EmulatorError(404, 'not_student', `User ${input.learnerId} is not a student of course ${input.courseId}`);
    const role = this.roleIn(input.courseId, input.graderId);
    if (role !== 'instructor' && role !== 'teachingAssistant') throw new EmulatorError(403, 'not_grader', `User ${input.graderId} does not grade course ${input.courseId}`);
    if (input.score !== null && !(Number.isFinite(input.score) && input.score >= 0)) throw new EmulatorError(400, 'invalid_grade', 'score must be a number of at least 0, or null');
    const key = `${item.id} ${input.learnerId}`;
    this.canvasSubmissions.set(key, gradeByTutor(this.canvasSubmissions.get(key) ?? emptySubmission, input.score, input.graderId));
    const result = this.results.get(key);
    if (result) {
      const maximum = result.scoreMaximum ?? item.scoreMaximum;
      this.results.set(key, { ...result, scoreMaximum: maximum, scoreGiven: input.score === null ? null : (input.score * maximum) / item.scoreMaximum });
    }
    const entry = this.gradebookOf(input.courseId).find((e) => e.lineItemId === item.id && e.userId === input.learnerId);
    if (entry) return entry;
    // No score from the tool yet: the gradebook lists results only, so describe the bare submission.
    const user = this.getUser(input.learnerId);
    return {
      courseId: input.courseId, lineItemId: item.id, activity: item.label, userId: user.id, userName: user.name, grade: input.score,
      scoreGiven: null, scoreMaximum: null, activityProgress: '', gradingProgress: '', comment: null, timestamp: '', canvasSubmission: null,
      acceptedScores: 0, submission: this.canvasSubmissions.get(key) ?? null,
    };
  }

  /**
   * Moodle: a teacher overrides the grade in the grader report (grade_grade `overridden`,
   * `finalgrade` the teacher's). The result service shows `finalgrade` as resultScore, and leaves
   * resultScore out when the grade was emptied (gradebookservices.php result_for_json:
   * `if (!empty($grade->finalgrade))`); the grade's timemodified is Moodle's clock, so a tool's
   * score must be dated after it (scores.php's 409), and a later score is accepted but leaves the
   * overridden grade as it is (grade_item.php update_raw_grade).
   */
  overrideGrade(input: GradebookOverrideInput): GradebookEntry {
    if (this.profile.mode !== 'moodle') throw new EmulatorError(400, 'not_moodle', 'Only the Moodle emulator overrides grades in its gradebook; Canvas has gradeAsTutor');
    const { item, key } = this.gradeTargetOf(input);
    if (input.score !== null && !(Number.isFinite(input.score) && input.score >= 0)) throw new EmulatorError(400, 'invalid_grade', 'score must be a number of at least 0, or null');
    const result = this.results.get(key);
    if (!result) throw new EmulatorError(404, 'no_grade', `User ${input.learnerId} has no grade on line item ${item.id}`);
    const maximum = result.scoreMaximum ?? item.scoreMaximum;
    this.results.set(key, { ...result, scoreMaximum: maximum, scoreGiven: input.score === null ? null : (input.score * maximum) / item.scoreMaximum, gradeTimeModified: new Date().toISOString(), isOverridden: true });
    const entry = this.gradebookOf(input.courseId).find((e) => e.lineItemId === item.id && e.userId === input.learnerId);
    if (!entry) throw new Error('overrideGrade: the overridden grade is not in the gradebook');
    return entry;
  }

  /**
   * The gradebook no longer holds the learner's grade, as after a course reset that deletes grades:
   * Moodle's results.php lists only grade_grades rows with a timemodified, Canvas only existing
   * Lti::Results, so the result service lists none for the learner.
   */
  loseGrade(input: GradeTarget): void {
    const { key } = this.gradeTargetOf(input);
    this.results.delete(key);
    this.canvasSubmissions.delete(key);
  }

  /**
   * The activity is deleted with its gradebook column. Moodle's results.php and scores.php then answer
   * 404 ("Grade item … doesn't exist"); Canvas 404s the deleted assignment's line item.
   */
  deleteLineItem(lineItemId: string): void {
    if (!this.lineItems.delete(lineItemId)) throw new EmulatorError(404, 'unknown_line_item', `No line item ${lineItemId}`);
  }

  private gradeTargetOf(input: GradeTarget): { item: LineItem; key: string } {
    this.getCourse(input.courseId);
    const item = this.lineItems.get(input.lineItemId);
    if (!item || item.courseId !== input.courseId) throw new EmulatorError(404, 'unknown_line_item', `No line item ${input.lineItemId} in course ${input.courseId}`);
    return { item, key: `${item.id} ${input.learnerId}` };
  }
}

/** What a registration (a first one or an update) sets of a tool, its URLs checked. */
function toolSettingsOf(input: ToolRegistrationInput) {
  for (const uri of [input.loginUrl, input.jwksUrl, input.targetLinkUri, ...input.redirectUris]) {
    if (!URL.canParse(uri)) throw new EmulatorError(400, 'invalid_tool', `Not a URL: ${uri}`);
  }
  if (input.redirectUris.length === 0) throw new EmulatorError(400, 'invalid_tool', 'At least one redirect URI is required');
  return {
    loginUrl: input.loginUrl,
    redirectUris: [...input.redirectUris],
    jwksUrl: input.jwksUrl,
    targetLinkUri: input.targetLinkUri,
    deepLinkingUrl: input.deepLinkingUrl ?? input.targetLinkUri,
    scopes: [...(input.scopes ?? allServiceScopes)],
    customParameters: { ...(input.customParameters ?? {}) },
  };
}
