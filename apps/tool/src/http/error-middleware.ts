import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ApiError } from '@attest/contracts';
import { AppError } from '../errors/app-error.ts';
import { describeError } from '../errors/describe-error.ts';
import { routeLabelOf } from './route-label.ts';

export type Logger = (message: string, details?: Record<string, unknown>) => void;

/** An id a proxy may hand on: a UUID or a similar short token, nothing that could forge a log line. */
const FORWARDABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id, answers it in `x-request-id`, and keeps it in `res.locals.requestId`
 * for the request's log line and the error middleware, which puts it in a 500's body so a user can
 * quote it to support. The id is ours (a random UUID) unless the request comes straight from a proxy
 * TRUST_PROXY trusts and that proxy sent a well-formed `X-Request-Id`: then the proxy's, so its logs
 * and ours name the same request. Never a client's own: a chosen id could forge or flood log lines.
 */
export const assignRequestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const trustsPeer = req.app.get('trust proxy fn') as ((address: string | undefined, hop: number) => boolean) | undefined;
  const isFromTrustedProxy = trustsPeer?.(req.socket.remoteAddress, 0) === true;
  const requestId = isFromTrustedProxy && incoming !== undefined && FORWARDABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.set('x-request-id', requestId);
  next();
};

export function requestIdOf(res: Response): string | undefined {
  const id = (res.locals as { requestId?: unknown }).requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The one place errors become responses: `{ error: { code, message, details? } }` with the code's
 * status (`errorStatus`), for every router; no router answers its own errors. An AppError's user
 * message reaches the client, and its `details` whenever it has them (a 409's current copy, a 422's
 * reasons, a 413's quota), except on `internal`; anything else is logged and answered 500 with the
 * request id. The log line carries the code, the route pattern, the request id and what
 * kind of error it was, never the request's body, its URL's ids, or a query's text or parameters
 * (drizzle's and the drivers' errors carry both, and they hold what users typed).
 */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = requestIdOf(res);
    const { status, body } = errorResponseOf(error, requestId);
    if (body.error.code === 'internal') log('unexpected error', { code: body.error.code, requestId, method: req.method, route: routeLabelOf(req, res), error: describeError(error) });
    res.status(status).set('cache-control', 'no-store').json(body);
  };
}

/**
 * The status and body an error is answered with. Also used by the resumable-upload server
 * (tus), which writes its own responses: its refusals read like every other route's.
 */
export function errorResponseOf(error: unknown, requestId: string | undefined): { status: number; body: ApiError } {
  const appError = toAppError(error);
  const body: ApiError = { error: { code: appError.code, message: appError.userMessage } };
  // An internal error's details are ours, never the client's (errorStatus: `internal`).
  if (appError.details !== undefined && appError.code !== 'internal') body.error.details = appError.details;
  if (appError.code === 'internal' && requestId) body.error.requestId = requestId;
  return { status: appError.status, body };
}

/** Anything no route answered. */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('not_found', 'There is nothing here.'));

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // body-parser marks its own failures with a `type` (malformed JSON, too large, bad charset).
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new AppError('invalid_request', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The request body is too large.');
  if (typeof type === 'string' && type.startsWith('encoding.') || type === 'charset.unsupported') return new AppError('unsupported_media_type', 'The request body has an encoding Attest does not accept.');
  // Express's router cannot decode a route parameter (`%ED%A0%80`, a lone surrogate): the client's fault.
  if (error instanceof URIError || (error as { status?: unknown } | null)?.status === 400) {
    return new AppError('invalid_request', 'The address is not correctly encoded.', { details: [{ path: 'url', code: 'text_not_valid_utf8' }] });
  }
  return new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error });
}
