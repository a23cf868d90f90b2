// OAuth 2 client-credentials token endpoint with a JWT bearer client assertion
// (1EdTech Security Framework §4.1; RFC 7523 §2.2; RFC 6749 §5.2 error codes).
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { decodeJwt, jwtVerify } from 'jose';
import type { EmulatorContext } from '../emulator-context.ts';
import type { ToolKeySets } from '../tool-keys.ts';
import { JwtBearerAssertionType } from '../lti-vocabulary.ts';
import { requireUserAgent } from './require-user-agent.ts';
import { canvasAssertionFindings } from '../canvas/service-rules.ts';

// Both LMSs issue one-hour access tokens (Moodle token.php 'expires_in' => 3600; Canvas likewise).
const tokenLifetimeSeconds = 3600;

export function createTokenRoutes(ctx: EmulatorContext, toolKeys: ToolKeySets): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.post(profile.paths.token, requireUserAgent(ctx, 'token'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fail = (status: number, error: string, description: string) => {
      res.status(status).json({ error, error_description: description });
    };
    if (body['grant_type'] !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    if (body['client_assertion_type'] !== JwtBearerAssertionType) return fail(400, 'invalid_request', `client_assertion_type must be ${JwtBearerAssertionType}`);
    const assertion = body['client_assertion'];
    const requested = typeof body['scope'] === 'string' ? body['scope'].split(' ').filter(Boolean) : [];
    if (typeof assertion !== 'string' || requested.length === 0) return fail(400, 'invalid_request', 'client_assertion and scope are required');

    let clientId: string;
    try {
      const unverified = decodeJwt(assertion);
      clientId = String(unverified.sub ?? '');
    } catch {
      return fail(401, 'invalid_client', 'client_assertion is not a JWT');
    }
    const tool = state.tools.get(clientId);
    if (!tool) return fail(401, 'invalid_client', 'Unknown client');

    try {
      // Security Framework §4.1.1: iss and sub are the client id, aud the token endpoint, signed with
      // the tool's key; exp must be in the future; a jti must not be replayed.
      const { payload } = await jwtVerify(assertion, toolKeys.for(tool.jwksUrl), {
        issuer: tool.clientId,
        subject: tool.clientId,
        audience: `${ctx.baseUrl()}${profile.paths.token}`,
        algorithms: ['RS256', 'RS384', 'RS512'],
        requiredClaims: ['exp', 'iat', 'jti'],
        currentDate: new Date(ctx.now() * 1000),
      });
      // Canvas's JwtValidator: iat within 30 s ahead and 5 min behind, aud the token URL (service-rules.ts).
      if (profile.mode === 'canvas') {
        const findings = canvasAssertionFindings(payload as Record<string, unknown>, { now: ctx.now(), tokenUrl: `${ctx.baseUrl()}${profile.paths.token}` });
        if (findings.length > 0) return fail(401, 'invalid_client', `client_assertion rejected: ${findings.join(' | ')}`);
      }
      const jti = String(payload.jti);
      if (state.usedAssertionIds.has(jti)) return fail(401, 'invalid_client', 'client_assertion jti was already used');
      state.usedAssertionIds.add(jti);
    } catch (error) {
      return fail(401, 'invalid_client', `client_assertion rejected: ${(error as Error).message}`);
    }

    // Only scopes the registration allows are granted (Moodle token.php: lti_get_permitted_service_scopes;
    // Canvas: the developer key's scopes). None at all is invalid_scope (RFC 6749 §5.2).
    const granted = requested.filter((scope) => tool.scopes.includes(scope));
    if (granted.length === 0) return fail(400, 'invalid_scope', 'None of the requested scopes is allowed for this tool');
    const accessToken = randomBytes(24).toString('base64url');
    state.accessTokens.set(accessToken, { clientId: tool.clientId, scopes: granted, expiresAt: ctx.now() + tokenLifetimeSeconds });
    res.set('Cache-Control', 'no-store');
    res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: tokenLifetimeSeconds, scope: granted.join(' ') });
  });

  return router;
}
