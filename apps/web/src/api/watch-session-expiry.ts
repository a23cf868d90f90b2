import { ApiRequestError, type ApiClient } from './api-client.ts';

/**
 * Wraps a client so that any call refused for an expired session also tells the app, which then
 * replaces the whole screen: every other call would fail the same way. Requests made outside the
 * client (uploads, through XMLHttpRequest) report a 401 with `reportSessionEnded`.
 */
export function watchSessionExpiry(client: ApiClient, onExpired: () => void): ApiClient {
  const watch = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      if (error instanceof ApiRequestError && error.kind === 'session-expired') onExpired();
      throw error;
    });
  return {
    call: (route, input) => watch(client.call(route, input)),
    getBlob: (route, input) => watch(client.getBlob(route, input)),
    urlOf: (route, params) => client.urlOf(route, params),
    token: client.token,
    baseUrl: client.baseUrl,
    reportSessionEnded: onExpired,
  };
}
