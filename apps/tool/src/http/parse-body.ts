import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

/**
 * Validates a request body; every finding is reported with its path and code, never a stack or the
 * value. The code is zod's, or the contracts' own reason where they give one (`text_contains_nul`).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseOrRefuse(schema, body ?? undefined, 'The request is not in the expected format.', '');
}

/** Validates a route's path parameters the same way; findings name the parameter under `url`, as the path check does. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown): z.infer<T> {
  return parseOrRefuse(schema, { ...(params as object) }, 'The address is not in the expected format.', 'url.');
}

function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown, message: string, prefix: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AppError('invalid_request', message, {
    details: result.error.issues.map((issue) => ({ path: `${prefix}${issue.path.join('.')}`, code: reasonOf(issue) ?? issue.code })),
  });
}

function reasonOf(issue: z.core.$ZodIssue): string | undefined {
  const reason = (issue as { params?: { reason?: unknown } }).params?.reason;
  return typeof reason === 'string' ? reason : undefined;
}
