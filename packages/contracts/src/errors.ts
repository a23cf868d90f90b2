import { z } from 'zod';
import { safeText } from './safe-text.ts';

/**
 * Every error code the API answers with: one closed list, shared by the UI and the tool server
 * (whose `AppError` takes only these, and whose status table maps each one to its HTTP status).
 * A new code is added here first, so both sides see it.
 */
export const ERROR_CODES = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rule_violation',
  'platform_unavailable',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * Every API error has this body; `message` is safe to show a user, `code` is stable for code.
 * `details`, when the error has them, is what the UI needs beside the message (a 409's current
 * copy, a 422's reasons, a 400's failing paths). A 500 also carries `requestId` (the response's
 * `x-request-id`), for the user to quote to support.
 */
export const ApiErrorSchema = z.object({
  error: z.object({ code: ErrorCodeSchema, message: safeText(), details: z.unknown().optional(), requestId: safeText().optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
