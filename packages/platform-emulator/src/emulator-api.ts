// The programmatic face of the emulator (everything in PlatformEmulator except url fields and close).
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './emulator-context.ts';
import type { DynamicRegistrationStart, MoodleRegistrationOptions, PlatformEmulator, RateLimit } from './types.ts';
import { buildLaunchClaims } from './build-launch-claims.ts';
import { signForTest, signWithPlatformKeySync } from './platform-keys.ts';
import { coursePageUrlFor, deepLinkingLaunchUrlFor, launchUrlFor } from './launch-urls.ts';
import { EmulatorError } from './emulator-state.ts';
import { submissionLaunchUrlFor } from './submission-launch-url.ts';
import { gradeAnalysisLaunchUrlFor, gradeAnalysisPageUrlFor } from './grade-analysis.ts';
import { reviewCanvasRegistration, startCanvasRegistration } from './canvas/registration-routes.ts';
import { speedGraderPageUrlFor } from './routes/speed-grader-routes.ts';

export type EmulatorApi = Omit<PlatformEmulator, 'mode' | 'url' | 'issuer' | 'platformName' | 'jwksUrl' | 'authorizationUrl' | 'tokenUrl' | 'openidConfigurationUrl' | 'kid' | 'snapshot' | 'close'>;

export function createEmulatorApi(ctx: EmulatorContext): EmulatorApi {
  const { state, profile } = ctx;

  function startDynamicRegistration(toolRegistrationUrl: string, options: MoodleRegistrationOptions = {}): DynamicRegistrationStart {
    if (profile.mode === 'canvas') return startCanvasRegistration(ctx, toolRegistrationUrl);
    if (!URL.canParse(toolRegistrationUrl)) throw new EmulatorError(400, 'invalid_url', `Not a URL: ${toolRegistrationUrl}`);
    // mod/lti/startltiadvregistration.php: the registration token is a JWT signed with the platform key,
    // valid for an hour. New: sub = a new client id (registration_helper::new_clientid()), scope
    // 'reg' (REG_TOKEN_OP_NEW_REG). "Update" (`type` = the tool type's id): "In the context of an
    // update, the sub is the id of the type", scope 'reg-update' (REG_TOKEN_OP_UPDATE_REG); the type
    // id is what config_to_registration() returns as the deployment id.
    const updated = options.updateClientId === undefined ? undefined : state.getTool(options.updateClientId);
    const clientId = updated?.clientId ?? state.newClientId();
    const now = ctx.now();
    const registrationToken = signWithPlatformKeySync(ctx.keys, updated ? { sub: updated.deploymentId, scope: 'reg-update', iat: now, exp: now + 3600 } : { sub: clientId, scope: 'reg', iat: now, exp: now + 3600 });
    const openidConfigurationUrl = `${ctx.baseUrl()}${profile.paths.openidConfiguration}`;
    const target = new URL(toolRegistrationUrl);
    target.searchParams.set('openid_configuration', openidConfigurationUrl);
    target.searchParams.set('registration_token', registrationToken);
    const id = randomUUID();
    state.registrationSessions.set(id, { id, clientId, registrationToken, toolRegistrationUrl: target.href, closedAt: null });
    return { pageUrl: `${ctx.baseUrl()}/emulator/dynamic-registration/${id}`, toolRegistrationUrl: target.href, openidConfigurationUrl, registrationToken };
  }

  function requireCanvas(what: string): void {
    if (profile.mode !== 'canvas') throw new EmulatorError(400, 'canvas_only', `${what} is a Canvas feature; this emulator runs in ${profile.mode} mode`);
  }

  return {
    registerTool: (input) => state.addTool(input, 'manual'),
    startDynamicRegistration,
    async registerToolDynamically(toolRegistrationUrl, options = {}) {
      const start = profile.mode === 'canvas' ? startCanvasRegistration(ctx, toolRegistrationUrl, options) : startDynamicRegistration(toolRegistrationUrl, options);
      const before = options.updateClientId === undefined ? undefined : state.getTool(options.updateClientId);
      const session = [...state.registrationSessions.values()].find((s) => s.registrationToken === start.registrationToken);
      // The browser's part: open the tool's registration URL; the tool does the rest server-to-server.
      const response = await fetch(start.toolRegistrationUrl, { headers: { 'user-agent': 'Mozilla/5.0 (Attest platform emulator)', accept: 'text/html' } });
      const body = await response.text();
      const tool = session ? state.tools.get(session.clientId) : undefined;
      // An update left the same record in place when the tool never posted: nothing was registered.
      if (!tool || !session || tool === before) {
        throw new EmulatorError(502, 'registration_failed', `The tool did not register (HTTP ${response.status}): ${body.slice(0, 300)}`);
      }
      if (body.includes('org.imsglobal.lti.close')) session.closedAt = new Date(ctx.now() * 1000).toISOString();
      if (profile.mode === 'canvas' && options.activate !== false) {
        session.reviewedAt = new Date(ctx.now() * 1000).toISOString();
        return reviewCanvasRegistration(ctx, tool.clientId, options.disabledScopes ?? []);
      }
      // An update keeps the type's state (openid-registration.php: lti_update_type() on the existing type).
      return options.activate === false || before ? tool : state.activateTool(tool.clientId);
    },
    startCanvasRegistration: (toolRegistrationUrl, options) => {
      requireCanvas('startCanvasRegistration');
      return startCanvasRegistration(ctx, toolRegistrationUrl, options);
    },
    narrowToolScopes: (clientId, disabledScopes) => {
      requireCanvas('narrowToolScopes');
      return reviewCanvasRegistration(ctx, clientId, disabledScopes);
    },
    installTool: (clientId, context) => {
      requireCanvas('installTool');
      state.getTool(clientId);
      if (context.type === 'course') state.getCourse(context.courseId);
      return state.canvasInstalls.install(clientId, context);
    },
    listInstalls: (clientId) => {
      state.getTool(clientId);
      return state.canvasInstalls.list(clientId);
    },
    activateTool: (clientId) => state.activateTool(clientId),
    showInActivityChooser: (clientId) => {
      if (profile.mode !== 'moodle') throw new EmulatorError(400, 'moodle_only', `showInActivityChooser is a Moodle feature; this emulator runs in ${profile.mode} mode`);
      return state.showInActivityChooser(clientId);
    },
    getTool: (clientId) => state.getTool(clientId),
    listTools: () => [...state.tools.values()],
    createCourse: (input) => state.createCourse(input),
    createUser: (input) => state.createUser(input),
    enrol: (courseId, userId, role) => state.enrol(courseId, userId, role),
    placeResourceLink: (input) => state.placeResourceLink(input, 'admin'),
    getResourceLinks: (courseId) => {
      state.getCourse(courseId);
      return [...state.resourceLinks.values()].filter((link) => link.courseId === courseId);
    },
    getLineItems: (courseId) => {
      state.getCourse(courseId);
      return state.lineItemsOf(courseId);
    },
    launchUrl: (target) => launchUrlFor(ctx, target),
    deepLinkingLaunchUrl: (target) => deepLinkingLaunchUrlFor(ctx, target),
    submissionLaunchUrl: (target) => submissionLaunchUrlFor(ctx, target),
    speedGraderPageUrl: (target) => speedGraderPageUrlFor(ctx, target),
    gradeAnalysisLaunchUrl: (target) => gradeAnalysisLaunchUrlFor(ctx, target),
    gradeAnalysisPageUrl: (target) => gradeAnalysisPageUrlFor(ctx, target),
    coursePageUrl: (input) => coursePageUrlFor(ctx, input),
    gradebookPageUrl: (courseId) => {
      state.getCourse(courseId);
      return `${ctx.baseUrl()}/course/${encodeURIComponent(courseId)}/gradebook`;
    },
    getGradebook: (courseId) => state.gradebookOf(courseId),
    buildLaunchClaims: (input) =>
      buildLaunchClaims({ state, profile, baseUrl: ctx.baseUrl(), issuer: ctx.issuer(), platformName: ctx.platformName, now: ctx.now() }, input),
    signIdToken: (claims, options) => signForTest(ctx.keys, claims, options),
    injectScoreFailures: (injection) => state.injectScoreFailures(injection),
    holdNextScore: () => state.holdNextScore(),
    setRateLimit: (limit) => {
      if (limit?.kind === 'canvas') requireCanvas('The 403 "Rate Limit Exceeded" leaky bucket');
      state.rateLimiter.set(limit === null ? null : checkedRateLimit(limit));
    },
    getRateLimitStats: () => state.rateLimiter.stats(),
    gradeAsTutor: (input) => state.gradeAsTutor(input),
    overrideGrade: (input) => state.overrideGrade(input),
    loseGrade: (input) => state.loseGrade(input),
    setClockAhead: (seconds) => state.setClockAhead(seconds),
    deleteLineItem: (lineItemId) => state.deleteLineItem(lineItemId),
    getRequestLog: () => [...state.requestLog],
    clearRequestLog: () => {
      state.requestLog.length = 0;
    },
  };
}

/** A limit whose every number is positive and finite, or a 400 naming the one that is not. */
function checkedRateLimit(limit: RateLimit): RateLimit {
  for (const [key, value] of Object.entries(limit)) {
    if (key === 'kind' || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new EmulatorError(400, 'invalid_rate_limit', `${key} must be a positive number`);
  }
  if (limit.kind !== 'canvas' && limit.kind !== 'requestsPerSecond') throw new EmulatorError(400, 'invalid_rate_limit', 'kind must be canvas or requestsPerSecond');
  return limit;
}
