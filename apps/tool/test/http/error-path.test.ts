import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, CANDIDATE_UNIT_DECLARATION, ERROR_CODES } from '@attest/contracts';
import type { EvidenceDraft } from '@attest/contracts';
import { createApp } from '../../src/app.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { AppError, errorStatus } from '../../src/errors/app-error.ts';
import { errorMiddleware } from '../../src/http/error-middleware.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { aLaunch, anInstructorLaunch, createTestLtiAdapter } from '../support/test-lti-adapter.ts';
import type { TestLtiAdapter } from '../support/test-lti-adapter.ts';
import { testCatalogue } from '../support/units.ts';

// One error middleware answers for every router: these go through the real routers over HTTP and
// check that what each use case put in `details` reaches the client, with the code's status.

const draft: EvidenceDraft = {
  title: 'Returns desk',
  description: 'I explained the refund policy to a customer.',
  evidenceType: 'personal-statement',
  activityDate: '2026-11-02',
  customerRef: null,
  occasionRef: null,
  workSetting: 'real-job',
};

const actionPlan = { plannedMethods: [{ method: 'O', notes: 'At the returns desk.' }], venue: 'Store', dates: [], evidenceRequirements: '', feedbackArrangements: '' };

describe.each(backends)('the error path on %s', (backend) => {
  let connection: DatabaseConnection;
  let lti: TestLtiAdapter;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    lti = createTestLtiAdapter();
    const app = createApp({
      lti,
      db: connection.db,
      catalogue: testCatalogue(),
      jobs: { enqueueScorePassback: async () => {}, enqueueScorePassbacks: async () => {} },
      webDistDir: mkdtempSync(join(tmpdir(), 'attest-no-ui-')),
      evidenceQuota: { maxBytes: 1_000_000, maxItems: 1 },
      log: () => {},
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await connection.close();
  });

  async function send(launch: LaunchContext, method: string, path: string, json: unknown) {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${lti.tokenFor(launch)}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string; details?: unknown } } & Record<string, unknown> };
  }

  it('answers the evidence router’s 409 with the server’s copy in its details', async () => {
    const learner = aLaunch();
    const created = await send(learner, 'POST', '/api/evidence', draft);
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    expect((await send(learner, 'PUT', `/api/evidence/${id}`, { baseVersion: 1, draft: { ...draft, title: 'First tab' } })).status).toBe(200);
    const stale = await send(learner, 'PUT', `/api/evidence/${id}`, { baseVersion: 1, draft: { ...draft, title: 'Second tab' } });
    expect(stale.status).toBe(409);
    expect(ApiErrorSchema.parse(stale.body).error.code).toBe('conflict');
    expect(stale.body.error.details).toMatchObject({ current: { id, version: 2, title: 'First tab' } });
  });

  it('answers the evidence router’s 422 (the item cap) with the quota in its details', async () => {
    const learner = aLaunch();
    expect((await send(learner, 'POST', '/api/evidence', draft)).status).toBe(201);
    const refused = await send(learner, 'POST', '/api/evidence', draft);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'rule_violation', details: { quota: 'items', itemsLimit: 1, itemsUsed: 1 } });
  });

  it('answers the assessor router’s 409 with the current action plan in its details', async () => {
    const learnerId = `learner-${Math.random().toString(36).slice(2)}`;
    lti.roster = [{ userId: learnerId, name: 'Lee', email: null, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], status: 'Active' }];
    const assessor = anInstructorLaunch();
    const path = `/api/assessor/learners/${learnerId}/action-plan`;
    expect((await send(assessor, 'PUT', path, { baseVersion: 0, plan: actionPlan })).status).toBe(200);
    const stale = await send(assessor, 'PUT', path, { baseVersion: 0, plan: { ...actionPlan, venue: 'Warehouse' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'conflict', details: { current: { version: 1, plan: { venue: 'Store' } } } });
  });

  it('answers the assessor router’s 422 (a declaration with nothing to declare) with the requirements in its details', async () => {
    const refused = await send(aLaunch(), 'POST', '/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('rule_violation');
    expect((refused.body.error.details as { requirements: unknown[] }).requirements.length).toBeGreaterThan(0);
  });
});

describe('the error codes', () => {
  async function answerTo(error: unknown) {
    const app = express();
    app.get('/', () => {
      throw error;
    });
    app.use(errorMiddleware(() => {}));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return { status: response.status, body: ApiErrorSchema.parse(await response.json()) };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('maps every code of the contracts’ list to an HTTP error status, and the table names no other', () => {
    expect(Object.keys(errorStatus).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(new AppError(code, 'x').status, code).toBeGreaterThanOrEqual(400);
  });

  it.each(ERROR_CODES.filter((code) => code !== 'internal'))('answers %s with its status, its message and its details', async (code) => {
    const answer = await answerTo(new AppError(code, 'Shown to the user.', { details: { why: code } }));
    expect(answer.status).toBe(errorStatus[code]);
    expect(answer.body.error).toEqual({ code, message: 'Shown to the user.', details: { why: code } });
  });

  it('never sends an internal error’s details', async () => {
    const answer = await answerTo(new AppError('internal', 'Something went wrong.', { details: { query: 'select secret' } }));
    expect(answer.status).toBe(500);
    expect(answer.body.error.details).toBeUndefined();
  });
});
