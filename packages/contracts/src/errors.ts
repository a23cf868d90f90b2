import { z } from 'zod';

/** Every API error has this body; `message` is safe to show a user, `code` is stable for code. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
