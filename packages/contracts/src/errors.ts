import { z } from 'zod';
import { safeText } from './safe-text.ts';

/**
 * Every API error has this body; `message` is safe to show a user, `code` is stable for code.
 * A 500 also carries `requestId` (the response's `x-request-id`), for the user to quote to support.
 */
export const ApiErrorSchema = z.object({
  error: z.object({ code: safeText(), message: safeText(), details: z.unknown().optional(), requestId: safeText().optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
