import type { Request, Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import type { AccessToken } from '../emulator-state.ts';

/**
 * The bearer token of a service call, if it is known, unexpired and carries one of `scopes`.
 * Otherwise answers 401 — Moodle's services answer 401 when check_type() fails (e.g. scores.php
 * "This resource does not support POST requests."), Canvas 401 for a bad or under-scoped token.
 */
export function requireAccessToken(ctx: EmulatorContext, req: Request, res: Response, scopes: readonly string[]): AccessToken | null {
  const header = req.get('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? ctx.state.accessTokens.get(header.slice(7).trim()) : undefined;
  if (!token || token.expiresAt <= ctx.now()) {
    res.status(401).json({ error: 'invalid_token', message: 'Missing, unknown or expired access token' });
    return null;
  }
  if (!scopes.some((scope) => token.scopes.includes(scope))) {
    res.status(401).json({ error: 'insufficient_scope', message: `Requires one of: ${scopes.join(' ')}` });
    return null;
  }
  return token;
}
