import { describe, expect, it } from 'vitest';
import { apiRoutes } from '@attest/contracts';
import { ApiRequestError, createApiClient, toApiRequestError } from '../src/api/api-client.ts';

interface Call { url: string; init: RequestInit }

function fakeFetch(respond: (call: Call) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  };
  return { fetch: impl as typeof fetch, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const session = {
  view: 'learner-unit',
  user: { id: 'u1', name: 'Ada', roles: ['learner'], isTeachingAssistant: false },
  platform: { issuer: 'http://127.0.0.1:9000', name: 'Moodle' },
  context: { id: 'c1', title: 'Electrical installation' },
  resourceLink: { id: 'r1', title: 'Unit 301' },
  unitId: 'elec-301',
  canPostScores: false,
  focusLearnerUserId: null,
  canAdminister: false,
};

const profile = { userId: 'u1', name: 'Ada', qualification: 'not-yet-qualified', setBy: 'u1', setAt: '2026-05-20T09:00:00.000Z' };
const draft = { title: 'Call log', description: '', evidenceType: 'work-product', activityDate: '2026-05-20', customerRef: null, occasionRef: null, workSetting: 'real-job' } as const;

async function rejectionOf(promise: Promise<unknown>): Promise<ApiRequestError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof ApiRequestError)) throw new Error(`expected an ApiRequestError, got ${String(error)}`);
  return error;
}

describe('createApiClient', () => {
  it('sends the launch token as a bearer header and no cookies', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, session));
    const client = createApiClient({ token: 'the-ltik', baseUrl: 'http://localhost:3000', fetch });
    await client.call(apiRoutes.getSession, {});
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('http://localhost:3000/api/session');
    expect(new Headers(calls[0]?.init.headers).get('Authorization')).toBe('Bearer the-ltik');
    expect(calls[0]?.init.credentials).toBe('omit');
  });

  it('returns the body parsed by the given schema', async () => {
    const { fetch } = fakeFetch(() => json(200, session));
    const result = await createApiClient({ token: 't', fetch }).call(apiRoutes.getSession, {});
    expect(result.view).toBe('learner-unit');
    expect(result.user.name).toBe('Ada');
  });

  it('posts the body as JSON with a content type', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { returnUrl: 'http://127.0.0.1:9000/dl', jwt: 'x.y.z' }));
    const client = createApiClient({ token: 't', fetch });
    await client.call(apiRoutes.placeUnits, { body: { unitIds: ['a'] } });
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe('{"unitIds":["a"]}');
    expect(new Headers(calls[0]?.init.headers).get('Content-Type')).toBe('application/json');
  });

  it('shows the message of the agreed error body and keeps its code', async () => {
    const { fetch } = fakeFetch(() => json(403, { error: { code: 'forbidden', message: 'Only assessors can see the caseload.' } }));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.getCaseload, {}));
    expect(error.kind).toBe('api');
    expect(error.message).toBe('Only assessors can see the caseload.');
    expect(error.code).toBe('forbidden');
    expect(error.status).toBe(403);
  });

  it('treats 401 as an expired session whatever the body says', async () => {
    const { fetch } = fakeFetch(() => json(401, { error: { code: 'unauthenticated', message: 'Token expired' } }));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.getSession, {}));
    expect(error.kind).toBe('session-expired');
    expect(error.message).toBe('Your session has ended. Open the activity again from your course.');
  });

  it('never shows a body that is not the agreed error shape', async () => {
    const stack = '<html><pre>TypeError: x is undefined\n    at /srv/app.js:12</pre></html>';
    const { fetch } = fakeFetch(() => new Response(stack, { status: 500 }));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.getSession, {}));
    expect(error.kind).toBe('api');
    expect(error.message).not.toContain('TypeError');
    expect(error.message).toContain('HTTP 500');
  });

  it('reports a network failure as such', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.getSession, {}));
    expect(error.kind).toBe('network');
    expect(error.message).not.toContain('Failed to fetch');
  });

  it('rejects a success body that does not match the contract', async () => {
    const { fetch } = fakeFetch(() => json(200, { view: 'somewhere-else' }));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.getSession, {}));
    expect(error.kind).toBe('unexpected-response');
  });

  it('makes no request without a launch token and reports the session as expired', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, session));
    const error = await rejectionOf(createApiClient({ token: null, fetch }).call(apiRoutes.getSession, {}));
    expect(error.kind).toBe('session-expired');
    expect(calls).toHaveLength(0);
  });
});

describe('toApiRequestError', () => {
  it('adds the request id of a 500 to its message, for the user to quote', () => {
    const error = toApiRequestError(500, { error: { code: 'internal', message: 'Something went wrong on our side. Please try again.', requestId: '3f2b7c1e-0000-4000-8000-000000000001' } });
    expect(error.message).toBe('Something went wrong on our side. Please try again. (Reference: 3f2b7c1e-0000-4000-8000-000000000001)');
  });

  it('keeps a generic message when the error body has no message', () => {
    const error = toApiRequestError(502, { error: { code: 'platform_unavailable' } });
    expect(error.message).toContain('HTTP 502');
    expect(error.code).toBeNull();
  });
});

describe('createApiClient writes and downloads', () => {
  it('sends a PUT with a JSON body and the bearer', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, profile));
    const client = createApiClient({ token: 'the-ltik', fetch });
    await client.call(apiRoutes.setOwnQualification, { body: { qualification: 'not-yet-qualified' } });
    expect(calls[0]?.url).toBe('/api/assessor/me/qualification');
    expect(calls[0]?.init.method).toBe('PUT');
    expect(calls[0]?.init.body).toBe('{"qualification":"not-yet-qualified"}');
    expect(calls[0]?.init.headers).toMatchObject({ Authorization: 'Bearer the-ltik', 'Content-Type': 'application/json' });
  });

  it('keeps the details of an error body, so a 409 can show the server’s copy', async () => {
    const { fetch } = fakeFetch(() => json(409, { error: { code: 'conflict', message: 'Changed elsewhere.', details: { conflictCopyId: 'c1' } } }));
    const error = await rejectionOf(createApiClient({ token: 't', fetch }).call(apiRoutes.updateEvidence, { params: { id: 'e1' }, body: { baseVersion: 2, draft } }));
    expect(error.status).toBe(409);
    expect(error.message).toBe('Changed elsewhere.');
    expect(error.details).toEqual({ conflictCopyId: 'c1' });
  });

  it('downloads a file’s bytes with the bearer and reports a refusal with the server’s message', async () => {
    const { fetch, calls } = fakeFetch((call) => (call.url.endsWith('/ok') ? new Response('file body', { status: 200, headers: { 'Content-Type': 'text/plain' } }) : json(404, { error: { code: 'not_found', message: 'No such file.' } })));
    const client = createApiClient({ token: 't', fetch });
    expect(await (await client.getBlob(apiRoutes.getEvidenceFile, { params: { id: 'e1', fileId: 'ok' } })).text()).toBe('file body');
    expect(calls[0]?.init.headers).toMatchObject({ Authorization: 'Bearer t' });
    expect((await rejectionOf(client.getBlob(apiRoutes.getEvidenceFile, { params: { id: 'e1', fileId: 'gone' } }))).message).toBe('No such file.');
  });

  it('builds the URL from the route, each parameter percent-encoded, and sends no body with a GET', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null }));
    await createApiClient({ token: 't', baseUrl: 'http://localhost:3000', fetch }).call(apiRoutes.getGradeStatus, { params: { userId: 'https://lms/u 7' } });
    expect(calls[0]?.url).toBe('http://localhost:3000/api/assessor/learners/https%3A%2F%2Flms%2Fu%207/grade-status');
    expect(calls[0]?.init.method).toBe('GET');
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('gives the upload its URL from the same table', () => {
    const client = createApiClient({ token: 't', baseUrl: 'http://localhost:3000', fetch: fakeFetch(() => json(200, {})).fetch });
    expect(client.urlOf(apiRoutes.addEvidenceFile, { id: 'ev/1' })).toBe('http://localhost:3000/api/evidence/ev%2F1/files');
  });

  it('refuses at compile time a call without its parameters or with a body the route does not take', () => {
    const client = createApiClient({ token: null, fetch: fakeFetch(() => json(200, {})).fetch });
    // @ts-expect-error: GET /api/units/:unitId needs its unitId.
    void client.call(apiRoutes.getUnit, {}).catch(() => undefined);
    // @ts-expect-error: a submit must carry the authenticity declaration.
    void client.call(apiRoutes.submitEvidence, { params: { id: 'e1' }, body: { baseVersion: 1 } }).catch(() => undefined);
    // @ts-expect-error: a file download is not a JSON call.
    void client.call(apiRoutes.getEvidenceFile, { params: { id: 'e1', fileId: 'f1' } }).catch(() => undefined);
    expect(client.token).toBeNull();
  });
});
