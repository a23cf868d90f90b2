import { describe, expect, it } from 'vitest';
import { apiRoutes, CANDIDATE_UNIT_DECLARATION } from '@attest/contracts';
import { ApiRequestError, type ApiClient } from '../src/api/api-client.ts';
import { watchSessionExpiry } from '../src/api/watch-session-expiry.ts';

function failingClient(error: unknown): ApiClient {
  return { call: () => Promise.reject(error), getBlob: () => Promise.reject(error), urlOf: () => '', token: 't', baseUrl: '' };
}

const declaration = { body: { declaration: CANDIDATE_UNIT_DECLARATION } } as const;

describe('watchSessionExpiry', () => {
  it('tells the app when a call is refused for an expired session, and still rejects the call', async () => {
    let expiredCalls = 0;
    const client = watchSessionExpiry(failingClient(new ApiRequestError('session-expired', 'expired', { status: 401 })), () => expiredCalls++);
    await expect(client.call(apiRoutes.getCaseload, {})).rejects.toMatchObject({ kind: 'session-expired' });
    await expect(client.call(apiRoutes.declareCandidateWork, declaration)).rejects.toMatchObject({ kind: 'session-expired' });
    expect(expiredCalls).toBe(2);
  });

  it('leaves other failures to the screen that made the call', async () => {
    let expiredCalls = 0;
    const client = watchSessionExpiry(failingClient(new ApiRequestError('api', 'Only assessors can see the caseload.', { status: 403 })), () => expiredCalls++);
    await expect(client.call(apiRoutes.getCaseload, {})).rejects.toThrow('Only assessors can see the caseload.');
    expect(expiredCalls).toBe(0);
  });

  it('passes successful answers through unchanged', async () => {
    const answers: Record<string, string> = { GET: 'ok', POST: 'posted' };
    const inner = { call: async (route: { method: string }) => answers[route.method], getBlob: async () => new Blob(['x']), urlOf: () => '', token: 't', baseUrl: '' } as unknown as ApiClient;
    const client = watchSessionExpiry(inner, () => { throw new Error('not expired'); });
    expect(await client.call(apiRoutes.getCaseload, {})).toBe('ok');
    expect(await client.call(apiRoutes.declareCandidateWork, declaration)).toBe('posted');
  });
});
