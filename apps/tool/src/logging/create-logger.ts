// The tool's one structured logger (decision 17): pino, one JSON object per line on stdout, for
// whatever collects the container's output. What it must never carry: launch tokens (an ltik is a
// bearer credential for hours, decision 5), id_tokens, OIDC state, cookies, and what users typed.
// Request bodies are never logged at all (src/http/request-logging.ts); the paths below are the
// second line of defence for a details object that happens to hold one of these fields.
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type StructuredLogger = PinoLogger;

/** Field names whose values are credentials, at the top level and one object down. */
const SECRET_FIELDS = ['authorization', 'cookie', 'set-cookie', 'ltik', 'id_token', 'idToken', 'state', 'nonce', 'token', 'access_token', 'client_assertion', 'registration_token', 'password'];

export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_FIELDS.map((field) => `["${field}"]`),
  ...SECRET_FIELDS.map((field) => `*["${field}"]`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where the JSON lines go; stdout by default. Tests pass a stream they read back. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): StructuredLogger {
  return pino(
    {
      level: options.level,
      base: { service: 'attest-tool' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The message-and-details function the adapter and the use cases log through (`Logger` in
 * src/http/error-middleware.ts), on top of the structured logger. What they log is what an operator
 * should look at (a refused launch, a failed registration, an unexpected error), so `warn`.
 */
export function logFunctionOf(logger: StructuredLogger): (message: string, details?: Record<string, unknown>) => void {
  return (message, details) => logger.warn(details ?? {}, message);
}
