import { describe, expect, it } from 'vitest';
import { ApiRequestError, type ApiClient } from '../src/api/api-client.ts';
import { watchSessionExpiry } from '../src/api/watch-session-expiry.ts';

function failingClient(error: unknown): ApiClient {
  return { get: () => Promise.reject(error), post: () => Promise.reject(error), put: () => Promise.reject(error), getBlob: () => Promise.reject(error), token: 't', baseUrl: '' };
}

const identity = { parse: (v: unknown) => v };

describe('watchSessionExpiry', () => {
  it('tells the app when a call is refused for an expired session, and still rejects the call', async () => {
    let expiredCalls = 0;
    const client = watchSessionExpiry(failingClient(new ApiRequestError('session-expired', 'expired', { status: 401 })), () => expiredCalls++);
    await expect(client.get('/api/caseload', identity)).rejects.toMatchObject({ kind: 'session-expired' });
    await expect(client.post('/api/learner/sign-off-declaration', {}, identity)).rejects.toMatchObject({ kind: 'session-expired' });
    expect(expiredCalls).toBe(2);
  });

  it('leaves other failures to the screen that made the call', async () => {
    let expiredCalls = 0;
    const client = watchSessionExpiry(failingClient(new ApiRequestError('api', 'Only assessors can see the caseload.', { status: 403 })), () => expiredCalls++);
    await expect(client.get('/api/caseload', identity)).rejects.toThrow('Only assessors can see the caseload.');
    expect(expiredCalls).toBe(0);
  });

  it('passes successful answers through unchanged', async () => {
    const inner: ApiClient = { get: async <T>() => 'ok' as T, post: async <T>() => 'posted' as T, put: async <T>() => 'put' as T, getBlob: async () => new Blob(['x']), token: 't', baseUrl: '' };
    const client = watchSessionExpiry(inner, () => { throw new Error('not expired'); });
    expect(await client.get('/x', identity)).toBe('ok');
    expect(await client.post('/x', {}, identity)).toBe('posted');
  });
});
