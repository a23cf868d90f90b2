import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors/app-error.ts';

export type Logger = (message: string, details?: Record<string, unknown>) => void;

/**
 * The one place errors become responses: `{ error: { code, message } }` with the code's status.
 * Only an AppError's user message reaches the client; anything else is logged and answered 500.
 */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const appError = toAppError(error);
    if (appError.code === 'internal') log('unexpected error', { method: req.method, path: req.path, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    const body: { error: { code: string; message: string; details?: unknown } } = { error: { code: appError.code, message: appError.userMessage } };
    if (appError.details !== undefined && appError.code === 'invalid_request') body.error.details = appError.details;
    res.status(appError.status).set('cache-control', 'no-store').json(body);
  };
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
  return new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error });
}
