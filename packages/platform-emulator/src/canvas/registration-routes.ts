// Canvas mode's Dynamic Registration: the registration endpoint (DynamicRegistrationController#create),
// the registration token and configuration URL (#registration_token, #oidc_configuration_url), and
// the administrator's page with its review step (the Canvas UI that frames the tool, waits for
// `org.imsglobal.lti.close`, then shows the registration for review; #update_registration_overlay).
// The rules themselves are in registration-rules.ts. Moodle mode never reaches this file.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { jwtVerify } from 'jose';
import type { EmulatorContext } from '../emulator-context.ts';
import { EmulatorError, type RegistrationSession } from '../emulator-state.ts';
import { signWithPlatformKeySync } from '../platform-keys.ts';
import { allServiceScopes, ToolConfigurationClaim } from '../lti-vocabulary.ts';
import { escapeHtml, page } from '../html.ts';
import type { CanvasRegistrationOptions, DynamicRegistrationStart, ToolRegistration } from '../types.ts';
import {
  canvasPlacementsOf, canvasRegistrationErrors, canvasRegistrationResponse, canvasRegistrationTokenKeys, issuerHostBaseUrl, narrowScopes,
} from './registration-rules.ts';

/** #registration_token + #oidc_configuration_url: the token names the registration (uuid), not a client id. */
export function startCanvasRegistration(ctx: EmulatorContext, toolRegistrationUrl: string, options: CanvasRegistrationOptions = {}): DynamicRegistrationStart {
  if (!URL.canParse(toolRegistrationUrl)) throw new EmulatorError(400, 'invalid_url', `Not a URL: ${toolRegistrationUrl}`);
  const { state, profile } = ctx;
  const now = ctx.now();
  const uuid = randomUUID();
  // REGISTRATION_TOKEN_EXPIRATION = 1.hour; the claims #create insists on (canvasRegistrationTokenKeys).
  const registrationToken = signWithPlatformKeySync(ctx.keys, {
    uuid,
    initiated_at: new Date(now * 1000).toISOString(),
    user_id: '1',
    root_account_global_id: '10000000000001',
    root_account_domain: new URL(ctx.baseUrl()).host,
    registration_url: toolRegistrationUrl,
    exp: now + 3600,
  });
  const configuration = new URL(profile.paths.openidConfiguration, issuerHostBaseUrl(ctx.baseUrl()));
  configuration.searchParams.set('registration_token', registrationToken);
  const target = new URL(toolRegistrationUrl);
  target.searchParams.set('openid_configuration', configuration.href);
  target.searchParams.set('registration_token', registrationToken);
  const id = randomUUID();
  state.registrationSessions.set(id, {
    id,
    clientId: state.newClientId(),
    registrationToken,
    toolRegistrationUrl: target.href,
    closedAt: null,
    canvas: { uuid, registrationsNext: options.registrationsNext ?? true },
    reviewedAt: null,
  });
  return { pageUrl: `${ctx.baseUrl()}/emulator/dynamic-registration/${id}`, toolRegistrationUrl: target.href, openidConfigurationUrl: configuration.href, registrationToken };
}

/** The review step's effect: the unticked scopes are taken away and the root deployment is enabled. */
export function reviewCanvasRegistration(ctx: EmulatorContext, clientId: string, disabledScopes: readonly string[]): ToolRegistration {
  const { state } = ctx;
  const tool = state.getTool(clientId);
  const reviewed: ToolRegistration = { ...tool, scopes: narrowScopes(tool.scopes, disabledScopes), active: true };
  state.tools.set(clientId, reviewed);
  return reviewed;
}

/** DynamicRegistrationController#create in canvas mode. */
export async function handleCanvasRegistration(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const { state } = ctx;
  // #respond_with_error renders {errorMessage} with the status.
  const refuse = (status: number, message: string) => void res.status(status).json({ errorMessage: message });
  const header = req.get('authorization') ?? '';
  if (!header.startsWith('Bearer ')) return refuse(401, 'missing registration token');
  let claims: Record<string, unknown>;
  try {
    claims = (await jwtVerify(header.slice(7).trim(), ctx.keys.publicJwk, { algorithms: ['RS256'], currentDate: new Date(ctx.now() * 1000) })).payload;
  } catch {
    return refuse(401, 'invalid registration token');
  }
  // required_jwt_keys.all? { |key| jwt.key?(key) } or 401 "JWT did not include expected contents".
  if (!canvasRegistrationTokenKeys.every((key) => key in claims)) return refuse(401, 'JWT did not include expected contents');
  const session = [...state.registrationSessions.values()].find((s) => s.canvas?.uuid === claims['uuid']);
  if (!session?.canvas) return refuse(401, 'JWT did not include expected contents');
  // Canvas stores the registration under the token's uuid (guid); a second #create with the same
  // token is not guarded in the controller as read. Stricter here: one token, one registration.
  if (state.tools.has(session.clientId)) return refuse(401, 'registration token already used');

  const payload = (req.body ?? {}) as Record<string, unknown>;
  const errors = canvasRegistrationErrors(payload);
  if (errors.length > 0) return void res.status(422).json({ errors });

  const toolConfig = payload[ToolConfigurationClaim] as Record<string, unknown>;
  const messages = Array.isArray(toolConfig['messages']) ? (toolConfig['messages'] as unknown[]) : [];
  const placements = canvasPlacementsOf(messages);
  const deepLinking = placements.find((p) => p.messageType === 'LtiDeepLinkingRequest');
  const requested = String(payload['scope']).split(' ').filter(Boolean);
  const custom = toolConfig['custom_parameters'];
  let tool: ToolRegistration;
  try {
    tool = state.addTool(
      {
        name: String(payload['client_name']),
        loginUrl: String(payload['initiate_login_uri']),
        redirectUris: (payload['redirect_uris'] as unknown[]).map(String),
        jwksUrl: String(payload['jwks_uri']),
        targetLinkUri: String(toolConfig['target_link_uri']),
        ...(deepLinking?.targetLinkUri ? { deepLinkingUrl: deepLinking.targetLinkUri } : {}),
        scopes: allServiceScopes.filter((scope) => requested.includes(scope)),
        ...(custom && typeof custom === 'object' ? { customParameters: Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)])) } : {}),
      },
      'dynamic',
      session.clientId,
    );
  } catch (error) {
    if (error instanceof EmulatorError) return void res.status(422).json({ errors: [error.message] });
    throw error;
  }
  state.tools.set(tool.clientId, { ...tool, placements });
  const registrationUrl = `${ctx.baseUrl()}/api/lti/registrations/${encodeURIComponent(session.canvas.uuid)}`;
  res.json(canvasRegistrationResponse({
    clientId: tool.clientId,
    payload,
    scopes: tool.scopes,
    // registration.new_external_tool(root_account, available: false, enabled: false) under the flag:
    // the tool stays inactive until the administrator finishes the review.
    deploymentId: session.canvas.registrationsNext ? tool.deploymentId : null,
    registrationUrl,
  }));
}

/**
 * The administrator's page: frames the tool, and ONLY when the frame posts `org.imsglobal.lti.close`
 * (to `*` or to this page's origin, the college's own Canvas) shows the review step: the placements
 * Canvas made and the scopes, each of which the administrator may untick, then "Enable".
 */
export function canvasRegistrationPage(ctx: EmulatorContext, session: RegistrationSession): string {
  const tool = ctx.state.tools.get(session.clientId);
  const stage = session.reviewedAt ? 'installed' : session.closedAt ? 'review' : 'open';
  const review = tool
    ? `<form id="review" method="post" action="/emulator/dynamic-registration/${encodeURIComponent(session.id)}/review" ${stage === 'review' ? '' : 'hidden'}>
<h2>Review ${escapeHtml(tool.name)}</h2>
<h3>Placements</h3>
<ul id="placements">${(tool.placements ?? []).map((p) => `<li data-placement="${escapeHtml(p.placement)}" data-message-type="${escapeHtml(p.messageType)}">${escapeHtml(p.placement)} (${escapeHtml(p.messageType)})</li>`).join('')}</ul>
<fieldset><legend>Permissions</legend>
${tool.scopes.map((scope, i) => `<div><input type="checkbox" id="scope-${i}" name="scope" value="${escapeHtml(scope)}" checked><label for="scope-${i}">${escapeHtml(scope)}</label></div>`).join('\n')}
</fieldset>
<button type="submit">Enable</button>
</form>`
    : '';
  const status = stage === 'installed' ? 'The tool is installed and enabled.' : stage === 'review' ? 'Review the registration.' : 'Waiting for the tool…';
  const frame = stage === 'open' ? `<iframe id="registration-frame" title="Tool registration" src="${escapeHtml(session.toolRegistrationUrl)}" style="width:100%;height:600px;border:1px solid #ccc"></iframe>` : '';
  return page(
    'Register a tool',
    `<h1>Install an app by Dynamic Registration</h1>
<p id="status" data-state="${stage}" role="status">${status}</p>
${frame}
${review}`,
    // doc/api/registration.md: "Canvas will listen for this message and close the iframe, presenting
    // the user with a summary of the registration". Only the framed tool's message counts.
    `window.addEventListener('message', function (event) {
  var frame = document.getElementById('registration-frame');
  if (!frame || event.source !== frame.contentWindow) return;
  var data = event.data;
  if (typeof data === 'string') { try { data = JSON.parse(data); } catch (e) { return; } }
  if (!data || data.subject !== 'org.imsglobal.lti.close') return;
  fetch(${JSON.stringify(`/emulator/dynamic-registration/${encodeURIComponent(session.id)}/closed`)}, { method: 'POST' }).then(function () { window.location.reload(); });
});`,
  );
}

export function createCanvasRegistrationRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/emulator/dynamic-registration/:sessionId/review', (req, res) => {
    res.locals['area'] = 'dr';
    const session = ctx.state.registrationSessions.get(req.params.sessionId);
    const tool = session ? ctx.state.tools.get(session.clientId) : undefined;
    if (!session || !tool || !session.closedAt) {
      res.status(409).type('html').send(page('Not ready', '<p>This registration is not waiting for review.</p>'));
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const kept = ([] as unknown[]).concat(body['scope'] ?? []).map(String);
    reviewCanvasRegistration(ctx, tool.clientId, tool.scopes.filter((scope) => !kept.includes(scope)));
    session.reviewedAt = new Date(ctx.now() * 1000).toISOString();
    res.redirect(303, `/emulator/dynamic-registration/${encodeURIComponent(session.id)}`);
  });
  return router;
}
