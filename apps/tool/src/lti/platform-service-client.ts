import type { LtijsDatabasePlugin, LtijsProvider } from './ltijs-types.ts';

// Calls from Attest to a platform's LTI services (AGS, NRPS). ltijs obtains and caches the OAuth2
// token (client credentials with our signed JWT assertion, Security Framework §4.1); we make the
// service call ourselves so that a failure keeps its HTTP status and Retry-After, which ltijs's
// helpers throw away.

/** Canvas refuses API calls without a User-Agent; name ourselves on every call. */
export const USER_AGENT = 'Attest-LTI/1.0 (+ltijs 5.9.9)';

export type ServiceCallFailure = { readonly status: number | null; readonly retryAfterSeconds: number | null; readonly message: string; readonly isThrottled: boolean };

/**
 * Whether an answer says "too many requests, try later": 429 (RFC 6585 §4), or Canvas's throttle,
 * which answers 403 with the body "403 Forbidden (Rate Limit Exceeded)" and no Retry-After
 * (canvas-lms app/middleware/request_throttle.rb `rate_limit_exceeded`, doc/api/throttling.md). Any
 * other 403 is a refusal.
 */
export function isThrottledAnswer(status: number, body: string): boolean {
  return status === 429 || (status === 403 && /Rate Limit Exceeded/i.test(body));
}
export type ServiceCallResult = { readonly ok: true; readonly response: Response } | ({ readonly ok: false } & ServiceCallFailure);

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. `now` in epoch ms, passed in to stay testable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function statusOf(error: unknown): number | null {
  const response = (error as { response?: { statusCode?: unknown } } | null)?.response;
  return typeof response?.statusCode === 'number' ? response.statusCode : null;
}

export class PlatformServiceClient {
  readonly #provider: LtijsProvider;
  readonly #store: LtijsDatabasePlugin;

  constructor(provider: LtijsProvider, store: LtijsDatabasePlugin) {
    this.#provider = provider;
    this.#store = store;
  }

  /** One authorised call; a 401 drops the cached token and retries once with a fresh one. */
  async call(tenant: { issuer: string; clientId: string }, scope: string, url: string, init: RequestInit): Promise<ServiceCallResult> {
    for (let attempt = 1; ; attempt++) {
      const platform = await this.#provider.getPlatform(tenant.issuer, tenant.clientId);
      if (!platform) return { ok: false, status: null, retryAfterSeconds: null, message: `platform ${tenant.issuer} (${tenant.clientId}) is not registered`, isThrottled: false };
      let token;
      try {
        token = await platform.platformAccessToken(scope);
      } catch (error) {
        const status = statusOf(error);
        return { ok: false, status, retryAfterSeconds: null, message: `access token request failed${status ? ` with ${status}` : ''}: ${(error as Error).message}`, isThrottled: false };
      }
      let response: Response;
      try {
        response = await fetch(url, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), authorization: `${token.token_type} ${token.access_token}`, 'user-agent': USER_AGENT },
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        return { ok: false, status: null, retryAfterSeconds: null, message: `could not reach ${url}: ${(error as Error).message}`, isThrottled: false };
      }
      if (response.ok) return { ok: true, response };
      if (response.status === 401 && attempt === 1) {
        await this.#store.Delete('accesstoken', { platformUrl: tenant.issuer, clientId: tenant.clientId, scopes: scope });
        continue;
      }
      const body = await response.text().catch(() => '');
      return {
        ok: false,
        status: response.status,
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        message: `${init.method ?? 'GET'} ${url} answered ${response.status}${body ? `: ${body.slice(0, 300)}` : ''}`,
        isThrottled: isThrottledAnswer(response.status, body),
      };
    }
  }
}
