import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/** Validates a request body; every finding is reported with its path and zod code, never a stack. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? undefined);
  if (result.success) return result.data;
  throw new AppError('invalid_request', 'The request is not in the expected format.', {
    details: result.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code })),
  });
}
