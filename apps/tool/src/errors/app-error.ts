import type { ErrorCode } from '@attest/contracts';

// One error type for the whole tool. The codes are the API's closed list (`ERROR_CODES` in
// @attest/contracts, which the UI parses error bodies with); this table says when each is thrown
// and which HTTP status it maps to, and must name every one of them. `userMessage` is safe to show
// to a user, `logMessage` (optional) stays in the logs, `details` goes to the client beside the
// message (never for `internal`).

export type { ErrorCode };

export const errorStatus = {
  /** The request body, query or parameters fail their schema. */
  invalid_request: 400,
  /** No valid launch token (ltik) in `Authorization: Bearer`, or it expired. */
  unauthenticated: 401,
  /** The launch is valid but its role may not do this (e.g. a learner on an assessor route). */
  forbidden: 403,
  /** Nothing with this id exists *for this tenant and user* (another tenant's ids land here too). */
  not_found: 404,
  /** The client's copy is stale: someone saved first. Nothing was overwritten. */
  conflict: 409,
  /** An upload is larger than the limit. */
  payload_too_large: 413,
  /** A file's content does not match an allowed type. */
  unsupported_media_type: 415,
  /** A request that is well-formed but breaks a domain rule (e.g. sign-off while a rule is unmet). */
  rule_violation: 422,
  /** The LMS did not answer as it should (NRPS/AGS failure). */
  platform_unavailable: 502,
  /** Anything we did not foresee. Never carries internal detail to the client. */
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details: unknown;

  constructor(code: ErrorCode, userMessage: string, options: { logMessage?: string; details?: unknown; cause?: unknown } = {}) {
    super(options.logMessage ?? userMessage, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.details = options.details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}
