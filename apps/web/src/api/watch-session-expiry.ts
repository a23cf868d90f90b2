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
    get: (path, schema) => watch(client.get(path, schema)),
    post: (path, body, schema) => watch(client.post(path, body, schema)),
    put: (path, body, schema) => watch(client.put(path, body, schema)),
    getBlob: (path) => watch(client.getBlob(path)),
    token: client.token,
    baseUrl: client.baseUrl,
    reportSessionEnded: onExpired,
  };
}
