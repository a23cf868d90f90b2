import { ApiErrorSchema, pathOf } from '@attest/contracts';
import type { ApiRoute, BodyOf, ErrorCode, FILE_DOWNLOAD, ParamsOf, ResponseOf } from '@attest/contracts';

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

/** A route that answers JSON (every route but the file downloads). */
export type JsonRoute = ApiRoute & { readonly response: ResponseSchema<unknown> };
/** A route that answers a file's bytes. */
export type BlobRoute = ApiRoute & { readonly response: typeof FILE_DOWNLOAD };

/** What a call sends: the path's parameters (left out when it has none) and the JSON body (only where the route takes one). */
export type CallInput<R extends ApiRoute> = (Record<string, never> extends ParamsOf<R> ? { params?: ParamsOf<R> } : { params: ParamsOf<R> }) &
  (R['request'] extends ResponseSchema<unknown> ? { body: BodyOf<R> } : { body?: never });

export interface ApiClient {
  /** Calls a JSON route of the table: its method, its path with `params` filled in, `body` as JSON; the reply is parsed with its response schema. */
  call<R extends JsonRoute>(route: R, input: CallInput<R>): Promise<ResponseOf<R>>;
  /** A file's bytes, with the bearer: links cannot carry the header, so downloads go through here. */
  getBlob<R extends BlobRoute>(route: R, input: CallInput<R>): Promise<Blob>;
  /** The full URL of a route, for requests the client cannot make itself (XMLHttpRequest uploads with progress). */
  urlOf<R extends ApiRoute>(route: R, params: ParamsOf<R>): string;
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
  const urlOf = <R extends ApiRoute>(route: R, params: ParamsOf<R>) => `${baseUrl}${pathOf(route, params)}`;

  async function send(route: ApiRoute, input: { params?: unknown; body?: unknown }, accept: string): Promise<Response> {
    // Without a launch there is nothing to authorise with; say so instead of sending a doomed call.
    if (token === null) throw new ApiRequestError('session-expired', sessionExpiredMessage);
    const headers: Record<string, string> = { Accept: accept, Authorization: `Bearer ${token}` };
    if (input.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = urlOf(route, (input.params ?? {}) as ParamsOf<ApiRoute>);

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: route.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        // The token is the credential; cookies are third-party inside the LMS frame and are not used.
        credentials: 'omit',
      });
    } catch (cause) {
      throw new ApiRequestError('network', networkMessage, { cause });
    }
    return response;
  }

  return {
    async call(route, input) {
      const response = await send(route, input, 'application/json');
      const payload: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw toApiRequestError(response.status, payload);
      try {
        return route.response.parse(payload) as ResponseOf<typeof route>;
      } catch (cause) {
        throw new ApiRequestError('unexpected-response', unexpectedMessage, { status: response.status, cause });
      }
    },
    async getBlob(route, input) {
      const response = await send(route, input, '*/*');
      if (!response.ok) throw toApiRequestError(response.status, await response.json().catch(() => undefined));
      try {
        return await response.blob();
      } catch (cause) {
        throw new ApiRequestError('network', networkMessage, { cause });
      }
    },
    urlOf,
    token,
    baseUrl,
  };
}
