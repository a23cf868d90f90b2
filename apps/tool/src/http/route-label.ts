import type { Request, Response } from 'express';

/** Set by registerRoute: the contracts table's path of the API route that answered (`/api/evidence/:id`). */
export const ROUTE_PATTERN_LOCAL = 'routePattern';

/**
 * The route a request went to, as a pattern (`/api/evidence/:id`, `/lti/launch`), never the path
 * with its ids: a label for the latency histogram (one series per route, however many items there
 * are) and for the request's log line. Read when the response ends. A request no route answered
 * (refused by the launch-token check, a static file of the UI, a 404) gets its area's name.
 */
export function routeLabelOf(req: Request, res: Response): string {
  const fromTable = (res.locals as Record<string, unknown>)[ROUTE_PATTERN_LOCAL];
  if (typeof fromTable === 'string') return fromTable;
  const path = req.originalUrl.split('?')[0] ?? '';
  // The UI's files are one route; `req.route` there is the `/app` redirect's, which passed them on.
  if (path.startsWith('/app/')) return '/app/*';
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string' && pattern.startsWith('/')) return `${req.baseUrl}${pattern}`;
  for (const area of ['/api/', '/lti/']) if (path.startsWith(area)) return `${area}*`;
  return '(unmatched)';
}
