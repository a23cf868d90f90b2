import type { RequestHandler } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';

/**
 * Tags the request's area for the log and, in Canvas mode, refuses API calls without a User-Agent:
 * Instructure requires one on every API request (Canvas change notice 2024; see platform-profile.ts).
 */
export function requireUserAgent(ctx: EmulatorContext, area: string): RequestHandler {
  return (req, res, next) => {
    res.locals['area'] = area;
    if (ctx.profile.requiresUserAgent && !req.get('user-agent')) {
      res.status(403).json({ errors: [{ message: 'A User-Agent header is required for API requests' }] });
      return;
    }
    next();
  };
}
