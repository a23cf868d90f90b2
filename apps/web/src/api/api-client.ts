import { ApiErrorSchema } from '@attest/contracts';
import type { ErrorCode } from '@attest/contracts';

/** Anything with a zod-style `parse`: the contracts' schemas, without the UI depending on zod. */
export interface ResponseSchema<T> {
  parse(input: unknown): T;
}

export type ApiErrorKind = 'session-expired' | 'api' | 'network' | 'unexpected-response';

/** A failed API call, with a message that is safe to show as it is. */
export class ApiRequestError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  /** The body's code (one of the contracts' `ERROR_CODES`), or null when the reply had no agreed body. */
  readonly code: ErrorCode | null;
  /** `error.details` of the body, unparsed: a caller that expects some (a 409's copy) parses it itself. */
  readonly details: unknown;

  constructor(kind: ApiErrorKind, message: string, options: { status?: number | null; code?: ErrorCode | null; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ApiRequestError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
    this.details = options.details;
  }
}

/** What every screen says once the launch token is missing or past its lifetime (decision 5). */
export const sessionExpiredMessage = 'Your session has ended. Open the activity again from your course.';
const networkMessage = 'Attest could not be reached. Check your connection and try again.';
const unexpectedMessage = 'Attest sent a reply this page does not understand. Reload the activity from your course; if it happens again, tell your administrator.';

/**
 * Turns a non-2xx response into an ApiRequestError. Only `error.message` from the agreed body
 * `{ error: { code, message } }` is shown; anything else (a proxy's HTML page, a stack trace) is
 * replaced by a generic sentence so internals never reach the screen.
 */
export function toApiRequestError(status: number, body: unknown): ApiRequestError {
  const parsed = ApiErrorSchema.safeParse(body);
  if (status === 401) {
    return new ApiRequestError('session-expired', sessionExpiredMessage, { status, code: parsed.success ? parsed.data.error.code : null });
  }
  if (parsed.success) {
    // A 500 names its request id, so the user can quote it and support can find the log line.
    const { message, requestId } = parsed.data.error;
    return new ApiRequestError('api', requestId ? `${message} (Reference: ${requestId})` : message, { status, code: parsed.data.error.code, details: parsed.data.error.details });
  }
  return new ApiRequestError('api', `Something went wrong on the server (HTTP ${status}). Try again in a moment.`, { status });
}

export interface ApiClient {
  get<T>(path: string, schema: ResponseSchema<T>): Promise<T>;
  post<T>(path: string, body: unknown, schema: ResponseSchema<T>): Promise<T>;
  put<T>(path: string, body: unknown, schema: ResponseSchema<T>): Promise<T>;
  /** A file's bytes, with the bearer: links cannot carry the header, so downloads go through here. */
  getBlob(path: string): Promise<Blob>;
  /** The launch token, for requests the client cannot make itself (XMLHttpRequest uploads with progress). */
  readonly token: string | null;
  readonly baseUrl: string;
  /**
   * Tells the app the session has ended, for a 401 on a request the client did not make itself
   * (an upload); set by watchSessionExpiry, absent on a bare client.
   */
  readonly reportSessionEnded?: () => void;
}

export interface ApiClientOptions {
  /** The launch token (ltik); null when the page was opened without a launch. */
  token: string | null;
  /** Origin and base of the API; the UI is served by the tool, so '' (same origin) in production. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createApiClient({ token, baseUrl = '', fetch: fetchImpl = globalThis.fetch.bind(globalThis) }: ApiClientOptions): ApiClient {
  async function send(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, accept: string): Promise<Response> {
    // Without a launch there is nothing to authorise with; say so instead of sending a doomed call.
    if (token === null) throw new ApiRequestError('session-expired', sessionExpiredMessage);
    const headers: Record<string, string> = { Accept: accept, Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // The token is the credential; cookies are third-party inside the LMS frame and are not used.
        credentials: 'omit',
      });
    } catch (cause) {
      throw new ApiRequestError('network', networkMessage, { cause });
    }
    return response;
  }

  async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, schema: ResponseSchema<T>): Promise<T> {
    const response = await send(method, path, body, 'application/json');
    const payload: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw toApiRequestError(response.status, payload);
    try {
      return schema.parse(payload);
    } catch (cause) {
      throw new ApiRequestError('unexpected-response', unexpectedMessage, { status: response.status, cause });
    }
  }

  return {
    get: (path, schema) => request('GET', path, undefined, schema),
    post: (path, body, schema) => request('POST', path, body, schema),
    put: (path, body, schema) => request('PUT', path, body, schema),
    async getBlob(path) {
      const response = await send('GET', path, undefined, '*/*');
      if (!response.ok) throw toApiRequestError(response.status, await response.json().catch(() => undefined));
      try {
        return await response.blob();
      } catch (cause) {
        throw new ApiRequestError('network', networkMessage, { cause });
      }
    },
    token,
    baseUrl,
  };
}
