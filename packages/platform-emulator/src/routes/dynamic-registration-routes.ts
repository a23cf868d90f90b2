// LTI Dynamic Registration 1.0 (https://www.imsglobal.org/spec/lti-dr/v1p0), as Moodle 4.x/5.x does it:
// the admin page frames the tool's registration URL with openid_configuration and registration_token,
// the tool reads the configuration and POSTs its registration with the token as bearer, then tells
// the page it is done with postMessage({subject: 'org.imsglobal.lti.close'}).
import { Router } from 'express';
import { jwtVerify } from 'jose';
import type { EmulatorContext } from '../emulator-context.ts';
import type { ToolRegistration } from '../types.ts';
import { allServiceScopes, PlatformConfigurationClaim, ToolConfigurationClaim } from '../lti-vocabulary.ts';
import { escapeHtml, page } from '../html.ts';
import { canvasRegistrationPage, createCanvasRegistrationRoutes, handleCanvasRegistration } from '../canvas/registration-routes.ts';

// Moodle's LTI_URL_DOMAIN_REGEX in lti_get_domain_from_url(): host[:port], scheme and www. stripped.
function domainOf(value: string): string {
  return /(?:https?:\/\/)?(?:www\.)?([^/]+)(?:\/|$)/i.exec(value)?.[1]?.toLowerCase() ?? '';
}

class RegistrationError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function required(payload: Record<string, unknown>, key: string): unknown {
  const value = payload[key];
  // registration_helper::get_parameter(): missing or empty → 400 "missing required attribute <key>".
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
    throw new RegistrationError(400, `missing required attribute ${key}`);
  }
  return value;
}

export function createDynamicRegistrationRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.get(profile.paths.openidConfiguration, (_req, res) => {
    res.locals['area'] = 'dr';
    const base = ctx.baseUrl();
    // Moodle mod/lti/openid-configuration.php; Canvas /api/lti/security/openid-configuration. DR §3.4.
    res.json({
      issuer: ctx.issuer(),
      authorization_endpoint: `${base}${profile.paths.authorize}`,
      registration_endpoint: `${base}${profile.paths.registration}`,
      jwks_uri: `${base}${profile.paths.jwks}`,
      token_endpoint: `${base}${profile.paths.token}`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...allServiceScopes, 'openid'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
      [PlatformConfigurationClaim]: {
        product_family_code: profile.productFamilyCode,
        version: profile.version,
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }],
        // lti_get_capabilities() keys: the substitution variables Moodle can expand.
        variables: ['Context.id', 'Context.title', 'CourseSection.sourcedId', 'Person.name.full', 'Person.email.primary', 'ResourceLink.id', 'ResourceLink.title', 'User.id'],
      },
    });
  });

  /**
   * mod/lti/openid-registration.php and registration_helper::validate_registration_token(): the
   * bearer token, verified with the platform key; `reg` names the client id to create, `reg-update`
   * the tool type to update.
   */
  async function readRegistrationToken(header: string): Promise<{ clientId: string; updating: ToolRegistration | undefined }> {
    // mod/lti/openid-registration.php: no bearer token → 401 missing_registration_token.
    if (!header.startsWith('Bearer ')) throw new RegistrationError(401, 'missing_registration_token');
    let clientId: string;
    let updating: ToolRegistration | undefined;
    try {
      const { payload } = await jwtVerify(header.slice(7).trim(), ctx.keys.publicJwk, { algorithms: ['RS256'], currentDate: new Date(ctx.now() * 1000) });
      // registration_helper::validate_registration_token(): scope 'reg' names the client id to
      // create; 'reg-update' names the tool type to update (lti_get_type($registrationtoken->sub),
      // unknown → 400 "Unknown client"), whose client id is kept (`$tool->clientid ?? new_clientid()`);
      // any other scope → 403 "Incorrect scope".
      if (payload['scope'] === 'reg-update') {
        updating = state.findToolByTypeId(String(payload.sub));
        if (!updating) throw new RegistrationError(400, 'Unknown client');
        clientId = updating.clientId;
      } else if (payload['scope'] === 'reg') {
        clientId = String(payload.sub);
      } else {
        throw new RegistrationError(403, 'Incorrect scope');
      }
    } catch (error) {
      if (error instanceof RegistrationError) throw error;
      throw new RegistrationError(401, 'invalid_registration_token');
    }
    // registration_helper::validate_registration_token(): a 'reg' token names the client id to
    // create; if that client exists already the token was used → 401 token_already_used. One token, one tool.
    if (!updating && state.tools.has(clientId)) throw new RegistrationError(401, 'token_already_used');
    return { clientId, updating };
  }

  /**
   * registration_helper::config_to_registration(): the registration echoed with client_id, and the
   * deployment id (the type id) in the tool configuration claim (DR §3.6.2). Moodle's `domain` is
   * the type's `tooldomain`, stored by lti_get_domain_from_url(). Moodle lists the deep-linking
   * message only when the tool registered one (`contentitem`); the emulator keeps no such flag, and
   * every tool has a deep-linking URL (its target link URI unless given), so it is always listed.
   */
  function toRegistrationAnswer(tool: ToolRegistration): Record<string, unknown> {
    return {
      client_id: tool.clientId,
      response_types: ['id_token'],
      jwks_uri: tool.jwksUrl,
      initiate_login_uri: tool.loginUrl,
      grant_types: ['client_credentials', 'implicit'],
      redirect_uris: tool.redirectUris,
      application_type: 'web',
      token_endpoint_auth_method: 'private_key_jwt',
      client_name: tool.name,
      scope: tool.scopes.join(' '),
      [ToolConfigurationClaim]: {
        version: '1.3.0',
        deployment_id: tool.deploymentId,
        target_link_uri: tool.targetLinkUri,
        domain: domainOf(tool.targetLinkUri),
        messages: tool.deepLinkingUrl ? [{ type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUrl }] : [],
        claims: ['sub', 'iss', 'name', 'family_name', 'given_name', 'email'],
        ...(Object.keys(tool.customParameters).length > 0 ? { custom_parameters: tool.customParameters } : {}),
      },
    };
  }

  // mod/lti/openid-registration.php answers GET too ($doregister false): for an update token, the
  // type's registration as it stands (config_to_registration($config, $type->id, $type)), changing
  // nothing. For a `reg` token `$type` is a bare record without an id, and config_to_registration()'s
  // `int $typeid` receives null: a PHP TypeError, which Moodle answers as a server error.
  router.get(profile.paths.registration, async (req, res) => {
    res.locals['area'] = 'dr';
    if (profile.mode === 'canvas') {
      res.status(404).end();
      return;
    }
    try {
      const { updating } = await readRegistrationToken(req.get('authorization') ?? '');
      if (!updating) throw new RegistrationError(500, 'config_to_registration(): Argument #2 ($typeid) must be of type int, null given');
      res.json(toRegistrationAnswer(updating));
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      res.status(error.status).type('text').send(error.message);
    }
  });

  router.post(profile.paths.registration, async (req, res) => {
    res.locals['area'] = 'dr';
    // Canvas's shape and checks differ throughout (src/canvas/registration-routes.ts).
    if (profile.mode === 'canvas') return handleCanvasRegistration(ctx, req, res);
    const header = req.get('authorization') ?? '';
    try {
      const { clientId, updating } = await readRegistrationToken(header);

      const payload = (req.body ?? {}) as Record<string, unknown>;
      // registration_helper::registration_to_config() checks, in this order.
      const responseTypes = required(payload, 'response_types');
      const loginUrl = String(required(payload, 'initiate_login_uri'));
      const redirectUris = required(payload, 'redirect_uris');
      const clientName = String(required(payload, 'client_name'));
      const jwksUrl = String(required(payload, 'jwks_uri'));
      const authMethod = required(payload, 'token_endpoint_auth_method');
      const toolConfig = required(payload, ToolConfigurationClaim) as Record<string, unknown>;
      const domain = typeof toolConfig['domain'] === 'string' ? toolConfig['domain'] : '';
      if (!domain) throw new RegistrationError(400, 'missing_domain');
      const targetLinkUri = typeof toolConfig['target_link_uri'] === 'string' && toolConfig['target_link_uri'] ? toolConfig['target_link_uri'] : `https://${domain}`;
      if (domainOf(domain) !== domainOf(targetLinkUri)) throw new RegistrationError(400, 'domain_targetlinkuri_mismatch');
      if (!Array.isArray(responseTypes) || !responseTypes.includes('id_token')) throw new RegistrationError(400, 'invalid_response_types');
      if (!Array.isArray(redirectUris)) throw new RegistrationError(400, 'invalid_redirect_uris');
      if (authMethod !== 'private_key_jwt') throw new RegistrationError(400, 'invalid_token_endpoint_auth_method');
      if (payload['application_type'] !== undefined && payload['application_type'] !== 'web') throw new RegistrationError(400, 'invalid_application_type');

      const messages = Array.isArray(toolConfig['messages']) ? (toolConfig['messages'] as Record<string, unknown>[]) : [];
      const deepLinking = messages.find((message) => message['type'] === 'LtiDeepLinkingRequest');
      // Services are granted only for scopes the tool asked for (registration_to_config: $scopes).
      const requestedScopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      const scopes = allServiceScopes.filter((scope) => requestedScopes.includes(scope));
      const custom = toolConfig['custom_parameters'];
      const input = {
        name: clientName,
        loginUrl,
        redirectUris: redirectUris.map(String),
        jwksUrl,
        targetLinkUri,
        ...(deepLinking && typeof deepLinking['target_link_uri'] === 'string' ? { deepLinkingUrl: deepLinking['target_link_uri'] } : {}),
        scopes,
        ...(custom && typeof custom === 'object' ? { customParameters: Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)])) } : {}),
      };
      // openid-registration.php: `if ($type->id) lti_update_type(...) else lti_add_type(...)`. Either
      // way registration_to_config() sets lti_coursevisible = LTI_COURSEVISIBLE_PRECONFIGURED: a
      // registered or updated tool is only a preconfigured tool until an administrator edits it.
      const tool = updating ? state.updateTool(clientId, input) : state.updateTool(state.addTool(input, 'dynamic', clientId).clientId, input);
      res.json(toRegistrationAnswer(tool));
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      res.status(error.status).type('text').send(error.message);
    }
  });

  // The admin page: frames the tool's registration URL and waits for its close message.
  router.get('/emulator/dynamic-registration/:sessionId', (req, res) => {
    res.locals['area'] = 'dr';
    const session = state.registrationSessions.get(req.params.sessionId);
    if (!session) {
      res.status(404).type('html').send(page('Not found', '<p>No such registration.</p>'));
      return;
    }
    if (profile.mode === 'canvas') {
      res.type('html').send(canvasRegistrationPage(ctx, session));
      return;
    }
    const closeUrl = `/emulator/dynamic-registration/${encodeURIComponent(session.id)}/closed`;
    res.type('html').send(
      page(
        'Register a tool',
        `<h1>Register an LTI Advantage tool</h1>
<p id="status" data-state="${session.closedAt ? 'closed' : 'open'}">${session.closedAt ? 'The tool finished registering.' : 'Waiting for the tool…'}</p>
<iframe id="registration-frame" title="Tool registration" src="${escapeHtml(session.toolRegistrationUrl)}" style="width:100%;height:600px;border:1px solid #ccc"></iframe>`,
        // DR §3.3.2 / §3.5: the tool posts {subject: 'org.imsglobal.lti.close'} to window.parent when done;
        // the platform then closes the frame and refreshes its tool list.
        `window.addEventListener('message', function (event) {
  var frame = document.getElementById('registration-frame');
  if (!frame || event.source !== frame.contentWindow) return;
  var data = event.data;
  if (typeof data === 'string') { try { data = JSON.parse(data); } catch (e) { return; } }
  if (!data || data.subject !== 'org.imsglobal.lti.close') return;
  frame.remove();
  var status = document.getElementById('status');
  status.textContent = 'The tool finished registering.';
  status.setAttribute('data-state', 'closed');
  fetch(${JSON.stringify(closeUrl)}, { method: 'POST' });
});`,
      ),
    );
  });

  router.post('/emulator/dynamic-registration/:sessionId/closed', (req, res) => {
    res.locals['area'] = 'dr';
    const session = state.registrationSessions.get(req.params.sessionId);
    if (!session) {
      res.status(404).end();
      return;
    }
    session.closedAt = new Date(ctx.now() * 1000).toISOString();
    res.status(204).end();
  });
  if (profile.mode === 'canvas') router.use(createCanvasRegistrationRoutes(ctx));

  return router;
}
