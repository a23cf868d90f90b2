import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { StructuredLogger } from '../logging/create-logger.ts';
import { requestIdOf } from './error-middleware.ts';
import { routeLabelOf } from './route-label.ts';

/**
 * One JSON line per request when its response ends: the request id (the one `x-request-id`
 * answered), method, path without its query, route pattern, status and time taken. Nothing else
 * from the request: no headers (the ltik rides in `Authorization`, ltijs's state in cookies), no
 * query (`/app/?ltik=…`, a login's hints) and never a body (launch forms carry id_tokens, evidence
 * is what learners wrote). `req.log` is a child logger carrying the request id.
 */
export function requestLogging(logger: StructuredLogger): RequestHandler {
  const middleware = pinoHttp<Request, Response>({
    logger,
    genReqId: (_req, res) => requestIdOf(res) ?? 'none',
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    quietReqLogger: true,
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, path: (req.url ?? '').split('?')[0] }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${routeLabelOf(req, res)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeLabelOf(req, res)} ${res.statusCode}`,
    customSuccessObject: (req, res, value: object) => ({ ...value, route: routeLabelOf(req, res) }),
    // pino-http's error for a 5xx is its own ("failed with status code 500"), a stack of its
    // internals: the error middleware has already logged the real one with this request id.
    customErrorObject: (req, res, _error, value: object) => ({ ...value, err: undefined, route: routeLabelOf(req, res) }),
  });
  return (req, res, next) => middleware(req, res, next);
}
