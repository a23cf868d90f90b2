import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseloadSchema, CatalogueSchema, PortfolioSchema, SessionSchema } from '@attest/contracts';
import { createApp } from '../../src/app.ts';
import { scorePassbacks } from '../../src/db/index.ts';
import { confirmPlacedUnits } from '../../src/evidence/confirm-placed-units.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import type { LaunchContext } from '../../src/domain/ports.ts';
import { startJobQueue } from '../../src/jobs/index.ts';
import type { JobQueue } from '../../src/jobs/index.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { startScoreEndpoint } from '../support/score-endpoint.ts';
import type { ScoreEndpoint } from '../support/score-endpoint.ts';
import { aLaunch, anInstructorLaunch, createTestLtiAdapter } from '../support/test-lti-adapter.ts';
import type { TestLtiAdapter } from '../support/test-lti-adapter.ts';
import { testCatalogue } from '../support/units.ts';

const AGS_SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';

describe.each(backends)('the HTTP API on %s', (backend) => {
  let connection: DatabaseConnection;
  let jobs: JobQueue;
  let lti: TestLtiAdapter;
  let server: Server;
  let baseUrl: string;
  let endpoint: ScoreEndpoint;
  const logged: string[] = [];

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    endpoint = await startScoreEndpoint();
    lti = createTestLtiAdapter();
    jobs = await startJobQueue(connection, { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, onError: () => {} });
    await jobs.startScorePassbackWorker(lti.scoreSender);
    const app = createApp({
      lti,
      db: connection.db,
      catalogue: testCatalogue(),
      jobs,
      webDistDir: mkdtempSync(join(tmpdir(), 'attest-no-ui-')),
      log: (message) => logged.push(message),
      checkResponses: true,
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await jobs.stop();
    await endpoint.close();
    await connection.close();
  });

  const call = (path: string, init: { launch?: LaunchContext; token?: string; method?: string; body?: string; json?: unknown } = {}) => {
    const headers: Record<string, string> = {};
    const token = init.token ?? (init.launch ? lti.tokenFor(init.launch) : undefined);
    if (token) headers['authorization'] = `Bearer ${token}`;
    let body = init.body;
    if (init.json !== undefined) body = JSON.stringify(init.json);
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${baseUrl}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  };

  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  describe('authentication', () => {
    it.each(['/api/session', '/api/catalogue', '/api/units/test-unit-101', '/api/caseload'])(
      'answers 401 to %s without a bearer token',
      async (path) => {
        const response = await call(path);
        expect(response.status).toBe(401);
        expect((await errorOf(response)).code).toBe('unauthenticated');
      },
    );

    it('answers 401 to an unknown bearer token, even on a POST with a valid body', async () => {
      const response = await call('/api/scores', { token: 'not-a-launch', json: { learnerUserId: 'x', activityProgress: 'Completed', gradingProgress: 'FullyGraded' } });
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toEqual({ code: 'unauthenticated', message: expect.any(String) });
    });
  });

  describe('session', () => {
    it('tells a learner to open their unit', async () => {
      const launch = aLaunch();
      const response = await call('/api/session', { launch });
      expect(response.status).toBe(200);
      const session = SessionSchema.parse(await response.json());
      expect(session).toMatchObject({ view: 'learner-unit', user: { id: launch.userId, roles: ['learner'] }, unitId: 'test-unit-101', canPostScores: false });
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('tells an instructor in a deep-linking launch to pick units', async () => {
      const session = SessionSchema.parse(await (await call('/api/session', { launch: anInstructorLaunch({ messageType: 'LtiDeepLinkingRequest', resourceLinkId: null }) })).json());
      expect(session.view).toBe('deep-linking');
      expect(session.resourceLink).toBeNull();
    });

    it('lets an instructor post scores only when the launch has a line item and the score scope', async () => {
      const withLineItem = SessionSchema.parse(await (await call('/api/session', { launch: anInstructorLaunch({ lineItemUrl: 'https://lms.example/li/1', agsScopes: [AGS_SCORE_SCOPE] }) })).json());
      const withoutScope = SessionSchema.parse(await (await call('/api/session', { launch: anInstructorLaunch({ lineItemUrl: 'https://lms.example/li/1', agsScopes: [] }) })).json());
      expect(withLineItem).toMatchObject({ view: 'instructor-caseload', canPostScores: true });
      expect(withoutScope.canPostScores).toBe(false);
    });
  });

  describe('catalogue and units', () => {
    it('lists every unit with its statement count', async () => {
      const catalogue = CatalogueSchema.parse(await (await call('/api/catalogue', { launch: aLaunch() })).json());
      expect(catalogue.map((u) => [u.id, u.statementCount])).toEqual([
        ['test-unit-101', 3],
        ['test-unit-102', 3],
      ]);
    });

    it('returns a unit by id', async () => {
      const response = await call('/api/units/test-unit-101', { launch: aLaunch() });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 'test-unit-101', title: 'Give customers a positive impression' });
    });

    it('answers 404 for a unit that does not exist', async () => {
      const response = await call('/api/units/no-such-unit', { launch: aLaunch() });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('not_found');
    });
  });

  describe('deep linking', () => {
    const dlLaunch = (overrides: Partial<LaunchContext> = {}) => anInstructorLaunch({ messageType: 'LtiDeepLinkingRequest', resourceLinkId: null, unitId: null, ...overrides });

    it('signs the chosen units through the adapter, with their titles from the catalogue', async () => {
      const launch = dlLaunch();
      const response = await call('/api/deep-linking', { launch, json: { unitIds: ['test-unit-102', 'test-unit-101', 'test-unit-102'] } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ returnUrl: 'https://lms.example/deep-link-return', jwt: 'signed.test-unit-102,test-unit-101' });
      expect(lti.deepLinkingCalls.at(-1)?.items).toEqual([
        { unitId: 'test-unit-102', title: 'Deal with customer problems' },
        { unitId: 'test-unit-101', title: 'Give customers a positive impression' },
      ]);
    });

    it('lists a placed unit for the course’s learners once the LMS shows its activity, before anyone launches it, in that course only', async () => {
      const contextId = `course-${randomUUID()}`;
      expect((await call('/api/deep-linking', { launch: dlLaunch({ contextId }), json: { unitIds: ['test-unit-102'] } })).status).toBe(200);
      const unitsSeenBy = async (launch: LaunchContext) => PortfolioSchema.parse(await (await call('/api/portfolio', { launch })).json()).units.map((unit) => unit.unitId);
      // Signed is only offered: Moodle creates nothing until the teacher saves the activity form.
      const learnerLaunch = aLaunch({ contextId, unitId: 'test-unit-101', lineItemsUrl: 'https://lms.example/lineitems' });
      expect(await unitsSeenBy(learnerLaunch)).toEqual(['test-unit-101']);
      // The course's line items (read at a launch in the course) show the activity the form created.
      const readCourseLineItems = async () => ({ ok: true as const, items: [{ resourceId: 'test-unit-102', tag: 'attest-unit' }] });
      expect((await confirmPlacedUnits({ db: connection.db, readCourseLineItems }, learnerLaunch)).confirmed).toEqual(['test-unit-102']);
      expect(await unitsSeenBy(learnerLaunch)).toEqual(['test-unit-101', 'test-unit-102']);
      expect(await unitsSeenBy(aLaunch({ contextId: `course-${randomUUID()}`, unitId: 'test-unit-101' }))).toEqual(['test-unit-101']);
      expect(await unitsSeenBy(aLaunch({ contextId, unitId: 'test-unit-101', deploymentId: 'deployment-2' }))).toEqual(['test-unit-101']);
    });

    it('lists nothing from a placement it refused', async () => {
      const contextId = `course-${randomUUID()}`;
      expect((await call('/api/deep-linking', { launch: dlLaunch({ contextId }), json: { unitIds: ['test-unit-102', 'ghost'] } })).status).toBe(404);
      const portfolio = PortfolioSchema.parse(await (await call('/api/portfolio', { launch: aLaunch({ contextId, unitId: 'test-unit-101' }) })).json());
      expect(portfolio.units.map((unit) => unit.unitId)).toEqual(['test-unit-101']);
    });

    it('forbids a learner from placing units', async () => {
      const response = await call('/api/deep-linking', { launch: aLaunch({ messageType: 'LtiDeepLinkingRequest' }), json: { unitIds: ['test-unit-101'] } });
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe('forbidden');
    });

    it('forbids placing units from an ordinary resource-link launch', async () => {
      const response = await call('/api/deep-linking', { launch: anInstructorLaunch(), json: { unitIds: ['test-unit-101'] } });
      expect(response.status).toBe(403);
    });

    it('answers 404 when a chosen unit does not exist', async () => {
      const response = await call('/api/deep-linking', { launch: dlLaunch(), json: { unitIds: ['test-unit-101', 'ghost'] } });
      expect(response.status).toBe(404);
    });

    it('answers 400 with the failing field when no unit is chosen', async () => {
      const response = await call('/api/deep-linking', { launch: dlLaunch(), json: { unitIds: [] } });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String), details: [{ path: 'unitIds', code: 'too_small' }] } });
    });
  });

  describe('caseload', () => {
    it('lists the context members from the roster source and marks the learners', async () => {
      lti.roster = [
        { userId: 'l1', name: 'Lee', email: null, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], status: 'Active' },
        { userId: 'i1', name: 'Ira', email: 'ira@example.ac.uk', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], status: 'Active' },
      ];
      const response = await call('/api/caseload', { launch: anInstructorLaunch() });
      expect(response.status).toBe(200);
      const caseload = CaseloadSchema.parse(await response.json());
      expect(caseload).toEqual({
        unitId: 'test-unit-101',
        members: [
          { userId: 'l1', name: 'Lee', email: null, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], isLearner: true },
          { userId: 'i1', name: 'Ira', email: 'ira@example.ac.uk', roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], isLearner: false },
        ],
      });
    });

    it('forbids a learner from reading the caseload', async () => {
      const response = await call('/api/caseload', { launch: aLaunch() });
      expect(response.status).toBe(403);
      expect((await errorOf(response)).code).toBe('forbidden');
    });
  });

  describe('scores', () => {
    const gradedLaunch = (lineItem: string) => anInstructorLaunch({ lineItemUrl: `${endpoint.url}/lineitems/${lineItem}`, agsScopes: [AGS_SCORE_SCOPE] });

    // Grades come only from decisions (the candidate's declaration, the sign-off): no route takes a score.
    it('has no score route: POST /api/scores answers 404 to an instructor with a gradebook column, and nothing is stored or sent', async () => {
      const launch = gradedLaunch('no-score-route');
      const response = await call('/api/scores', { launch, json: { learnerUserId: 'learner-42', scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' } });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('not_found');
      expect(await connection.db.select().from(scorePassbacks).where(eq(scorePassbacks.lineItemUrl, launch.lineItemUrl ?? ''))).toEqual([]);
      expect(endpoint.received.filter((r) => r.lineItemPath === '/lineitems/no-score-route')).toEqual([]);
    });
  });

  describe('everything else', () => {
    it('answers 404 in the API error shape for an unknown API path', async () => {
      const response = await call('/api/nothing-here', { launch: aLaunch() });
      expect(response.status).toBe(404);
      expect((await errorOf(response)).code).toBe('not_found');
    });

    it('reflects no CORS origin', async () => {
      const response = await fetch(`${baseUrl}/api/session`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${lti.tokenFor(aLaunch())}` } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('reports healthy while the database answers', async () => {
      const response = await fetch(`${baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('explains with a 503 page that the UI is not built', async () => {
      const response = await fetch(`${baseUrl}/app/?ltik=abc`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('not built yet');
    });

    it('adds the trailing slash to /app and keeps the launch token in the query', async () => {
      const response = await fetch(`${baseUrl}/app?ltik=abc`, { redirect: 'manual' });
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe('/app/?ltik=abc');
    });

    it('logged no unexpected errors while answering all of the above', () => {
      expect(logged).toEqual([]);
    });
  });
});
