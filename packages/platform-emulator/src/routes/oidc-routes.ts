// OIDC third-party-initiated login (LTI 1.3 core §5.1.1 and 1EdTech Security Framework §5.1.1):
// the emulator's launch page hands the browser to the tool's login URL; the tool sends it back to
// the authorization endpoint, which answers with an auto-submitted form_post of the id_token.
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { EmulatorError, type MessageHint } from '../emulator-state.ts';
import { buildLaunchClaims } from '../build-launch-claims.ts';
import { signWithPlatformKey } from '../platform-keys.ts';
import { autoPostForm, escapeHtml, page } from '../html.ts';
import { submissionTargetLinkUri } from '../submission-launch-url.ts';
import { checkGradeAnalysisViewer, FOR_USER_PARAM, GRADE_REPORT_ACTION, reviewTargetLinkUri } from '../grade-analysis.ts';
import { deepLinkingTargetOf } from '../canvas/registration-rules.ts';
import { canvasLoginExtras, FORWARDING_FRAME_NAME } from '../canvas/platform-storage.ts';

function param(req: Request, name: string): string {
  const fromBody: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  const fromQuery: unknown = req.query[name];
  const value = fromBody ?? fromQuery;
  return typeof value === 'string' ? value : '';
}

export function createOidcRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.get(profile.paths.jwks, (_req, res) => {
    res.locals['area'] = 'oidc';
    res.json({ keys: [ctx.keys.publicJwk] });
  });

  /** Starts the login for a hint: the form that posts the initiation parameters to the tool. */
  function handOver(res: Response, hint: MessageHint, targetLinkUri: string): void {
    const tool = state.getTool(hint.clientId);
    // Moodle refuses to launch a tool that is still pending (mod/lti/locallib.php: only
    // LTI_TOOL_STATE_CONFIGURED types are offered); Canvas only launches installed tools.
    if (!tool.active) throw new EmulatorError(403, 'tool_not_active', `Tool ${tool.clientId} is registered but not activated`);
    const messageHint = randomBytes(16).toString('hex');
    state.messageHints.set(messageHint, hint);
    // Moodle: lti_initiate_login() renders a form POSTed to the tool's initiate login URL with iss,
    // target_link_uri, login_hint (user id), lti_message_hint, client_id and lti_deployment_id.
    // Canvas posts the same parameters (lti_launch_overview "Step 1: Login Initiation").
    res.type('html').send(
      autoPostForm(tool.loginUrl, {
        iss: ctx.issuer(),
        target_link_uri: targetLinkUri,
        login_hint: hint.userId,
        lti_message_hint: messageHint,
        client_id: tool.clientId,
        lti_deployment_id: state.deploymentFor(tool.clientId, hint.courseId),
        ...(profile.mode === 'canvas' ? canvasLoginExtras(state.deploymentFor(tool.clientId, hint.courseId)) : {}),
      }),
    );
  }

  router.all(profile.paths.launch, (req, res) => {
    res.locals['area'] = 'oidc';
    const link = state.getResourceLink(param(req, 'id'));
    const user = state.getUser(param(req, 'user'));
    // mod/lti/view.php require_capability('mod/lti:view') — only people in the course may launch.
    if (state.roleIn(link.courseId, user.id) === null && !user.isAdministrator) {
      throw new EmulatorError(403, 'not_enrolled', `User ${user.id} is not enrolled in course ${link.courseId}`);
    }
    // Moodle's Grade analysis (src/grade-analysis.ts): launch.php sends LtiSubmissionReviewRequest for `action=gradeReport`.
    if (profile.mode === 'moodle' && param(req, 'action') === GRADE_REPORT_ACTION) {
      const forUserId = param(req, FOR_USER_PARAM);
      if (forUserId.trim() === '') throw new EmulatorError(400, 'missing_learner', 'Grade analysis needs the learner (for_user)');
      checkGradeAnalysisViewer(state, link.courseId, user.id, forUserId);
      handOver(res, { kind: 'submissionReview', courseId: link.courseId, userId: user.id, clientId: link.clientId, resourceLinkId: link.id, forUserId }, reviewTargetLinkUri(state, link));
      return;
    }
    const targetLinkUri = submissionTargetLinkUri(ctx, link, param(req, 'url'));
    handOver(res, { kind: 'resourceLink', courseId: link.courseId, userId: user.id, clientId: link.clientId, resourceLinkId: link.id, ...(targetLinkUri === link.url ? {} : { targetLinkUri }) }, targetLinkUri);
  });

  router.all(profile.paths.deepLinkingLaunch, (req, res) => {
    res.locals['area'] = 'oidc';
    const course = state.getCourse(param(req, 'course'));
    const user = state.getUser(param(req, 'user'));
    const tool = state.getTool(param(req, 'client_id'));
    // Moodle auth.php: a deep-linking request requires moodle/course:manageactivities, i.e. a teacher.
    const role = state.roleIn(course.id, user.id);
    if (role !== 'instructor' && !user.isAdministrator) {
      throw new EmulatorError(403, 'not_instructor', 'Only an instructor may add activities');
    }
    // Canvas: only from a deep-linking placement (src/canvas/registration-rules.ts deepLinkingTargetOf).
    const target = profile.mode === 'canvas' ? deepLinkingTargetOf(tool, param(req, 'placement')) : tool.deepLinkingUrl;
    if (typeof target !== 'string') throw new EmulatorError(403, 'no_deep_linking_placement', target.refused);
    handOver(res, { kind: 'deepLinking', courseId: course.id, userId: user.id, clientId: tool.clientId, resourceLinkId: null, ...(target === tool.deepLinkingUrl ? {} : { targetLinkUri: target }) }, target);
  });

  router.all(profile.paths.authorize, async (req, res) => {
    res.locals['area'] = 'oidc';
    const scope = param(req, 'scope');
    const responseType = param(req, 'response_type');
    const clientId = param(req, 'client_id');
    const redirectUri = param(req, 'redirect_uri');
    const loginHint = param(req, 'login_hint');
    const messageHint = param(req, 'lti_message_hint');
    const state_ = param(req, 'state');
    const responseMode = param(req, 'response_mode');
    const nonce = param(req, 'nonce');
    const prompt = param(req, 'prompt');
    const hint = state.messageHints.get(messageHint);
    // The hint is spent by any attempt, as Moodle unsets $SESSION->lti_message_hint in auth.php.
    state.messageHints.delete(messageHint);

    // The order and the error codes follow mod/lti/auth.php.
    let error: string | null = null;
    let description: string | null = null;
    if (!scope || !responseType || !clientId || !redirectUri || !loginHint || !nonce || !hint) {
      error = 'invalid_request';
      description = !hint ? 'Unknown or already used lti_message_hint' : 'Missing a required parameter';
    } else if (scope !== 'openid') error = 'invalid_scope';
    else if (responseType !== 'id_token') error = 'unsupported_response_type';
    else if (clientId !== hint.clientId) error = 'unauthorized_client';
    else if (loginHint !== hint.userId) error = 'access_denied';

    // auth.php: "If we're unable to load up config; we cannot trust the redirect uri for POSTing to"
    // — an unknown client or an unregistered redirect_uri is an error page, never a POST.
    const tool = state.tools.get(clientId);
    if (!tool || !tool.redirectUris.includes(redirectUri)) {
      throw new EmulatorError(400, 'invalid_redirect_uri', 'Unknown client or unregistered redirect_uri');
    }
    if (!error && responseMode !== 'form_post') {
      error = 'invalid_request';
      description = responseMode ? 'Invalid response_mode' : 'Missing response_mode';
    }
    if (!error && prompt && prompt !== 'none') {
      error = 'invalid_request';
      description = 'Invalid prompt';
    }

    if (error || !hint) {
      if (profile.mode === 'canvas') {
        // Canvas answers authorize_redirect errors with 400 JSON {status: 'bad_request', message}
        // (Lti::IMS::AuthenticationController, see its OpenAPI "has a descriptive error message").
        res.status(400).json({ status: 'bad_request', message: `${error ?? 'invalid_request'}${description ? `: ${description}` : ''}` });
        return;
      }
      // Moodle POSTs error, error_description and state to the (registered) redirect_uri.
      const fields: Record<string, string> = { error: error ?? 'invalid_request' };
      if (description) fields['error_description'] = description;
      if (state_) fields['state'] = state_;
      res.type('html').send(autoPostForm(redirectUri, fields));
      return;
    }

    const claims = buildLaunchClaims(
      { state, profile, baseUrl: ctx.baseUrl(), issuer: ctx.issuer(), platformName: ctx.platformName, now: ctx.now() },
      {
        clientId: hint.clientId,
        courseId: hint.courseId,
        userId: hint.userId,
        nonce,
        messageType: hint.kind === 'deepLinking' ? 'LtiDeepLinkingRequest' : hint.kind === 'submissionReview' ? 'LtiSubmissionReviewRequest' : 'LtiResourceLinkRequest',
        ...(hint.resourceLinkId ? { resourceLinkId: hint.resourceLinkId } : {}),
        ...(hint.forUserId ? { forUserId: hint.forUserId } : {}),
        ...(hint.targetLinkUri ? { targetLinkUri: hint.targetLinkUri } : {}),
      },
    );
    const idToken = await signWithPlatformKey(ctx.keys, claims);
    const fields: Record<string, string> = { id_token: idToken };
    if (state_) fields['state'] = state_;
    // Canvas repeats lti_storage_target in the launch (Lti::IMS::AuthenticationController#lti_storage_target).
    if (profile.mode === 'canvas') fields['lti_storage_target'] = FORWARDING_FRAME_NAME;
    res.type('html').send(autoPostForm(redirectUri, fields));
  });

  // A small landing page so a misrouted browser shows where it is rather than a bare 404.
  router.get('/', (_req, res) => {
    res.locals['area'] = 'page';
    res.type('html').send(page(ctx.platformName, `<h1>${escapeHtml(ctx.platformName)}</h1><p>LMS emulator (${escapeHtml(profile.mode)} mode).</p>`));
  });

  return router;
}
