import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, ToolRegistration, User } from '@attest/platform-emulator';
import { PgBoss, fromPglite } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { SCORE_PASSBACK_QUEUE } from '../../src/jobs/index.ts';
import { BrowserlessAgent } from '../lti/browserless-agent.ts';
import { aUnit, backends, registerWithTool, startTestToolServer, testCatalogue } from '../support/index.ts';

// Issue 15's operator's view over real HTTP: /metrics scraped before and after a launch, API calls,
// a refused launch and a passback, with the counters moving; the JSON request log read back from
// the logger's stream, one line per request carrying the id the response answered, and no token.

const METRICS_TOKEN = `metrics-${'0123456789abcdef'.repeat(3)}`;

/** A pino destination that keeps every line, parsed: a line that is not JSON fails the test here. */
function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter((l) => l !== '')) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw };
}

/** The value of one series in Prometheus's text format; 0 when the series is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').slice(1, -1).split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe.each(backends)('the operator’s view on %s', (backend) => {
  let tool: ToolServer;
  let lms: PlatformEmulator;
  let registration: ToolRegistration;
  let course: Course;
  let learner: User;
  let link: ResourceLink;
  const log = captureLog();

  beforeAll(async () => {
    tool = await startTestToolServer(backend, {
      catalogue: testCatalogue([aUnit({ id: 'unit-201', title: 'Unit 201' })]),
      env: { metricsToken: METRICS_TOKEN },
      logger: createLogger({ level: 'info', destination: log.stream }),
    });
    lms = await startPlatformEmulator({ mode: 'moodle' });
    registration = await registerWithTool(lms, tool.url, tool.lti.platforms);
    course = lms.createCourse({ title: 'Customer Service L2' });
    learner = lms.createUser({ name: 'Lee Learner', email: 'lee@example.ac.uk' });
    lms.enrol(course.id, learner.id, 'learner');
    link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
  });
  afterAll(async () => {
    await lms?.close();
    await tool?.close();
  });

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${tool.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  async function launchAsLearner(): Promise<string> {
    const agent = new BrowserlessAgent();
    const end = await agent.walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
    const ltik = new URL(end.url).searchParams.get('ltik');
    if (!ltik) throw new Error(`the launch ended at ${end.url} (${end.response.status}) without an ltik`);
    return ltik;
  }

  it('shows request latencies by route pattern and refused launches moving between two scrapes', async () => {
    const before = await scrape();
    const sessionSeries = { method: 'GET', route: '/api/session', status_class: '2xx' };
    const evidenceSeries = { method: 'GET', route: '/api/evidence/:id', status_class: '4xx' };
    const refusedSeries = { reason: 'launch_not_verified' };

    const ltik = await launchAsLearner();
    const session = await fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });
    expect(session.status).toBe(200);
    const unknownItem = randomUUID();
    const missing = await fetch(`${tool.url}/api/evidence/${unknownItem}`, { headers: { authorization: `Bearer ${ltik}` } });
    expect(missing.status).toBe(404);
    // A launch without an id_token: refused before ltijs sees it.
    const refused = await fetch(`${tool.url}/lti/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=forged' });
    expect(refused.status).toBe(401);

    const after = await scrape();
    expect(sample(after, 'attest_http_request_duration_seconds_count', sessionSeries)).toBe(sample(before, 'attest_http_request_duration_seconds_count', sessionSeries) + 1);
    expect(sample(after, 'attest_http_request_duration_seconds_count', evidenceSeries)).toBe(sample(before, 'attest_http_request_duration_seconds_count', evidenceSeries) + 1);
    expect(sample(after, 'attest_http_request_duration_seconds_bucket', { ...sessionSeries, le: '+Inf' })).toBe(sample(after, 'attest_http_request_duration_seconds_count', sessionSeries));
    expect(sample(after, 'attest_launch_refusals_total', refusedSeries)).toBe(sample(before, 'attest_launch_refusals_total', refusedSeries) + 1);
    expect(sample(after, 'attest_http_request_duration_seconds_count', { method: 'POST', route: '/lti/launch', status_class: '3xx' })).toBeGreaterThan(0);
    // Route patterns, never the path with its ids.
    expect(after).not.toContain(unknownItem);
    expect(after).not.toContain(ltik);
  });

  it('reads the score queue’s depth and its oldest waiting job’s age from the database when scraped', async () => {
    const waiting = { queue: SCORE_PASSBACK_QUEUE, state: 'waiting' };
    const age = { queue: SCORE_PASSBACK_QUEUE };
    const before = await scrape();
    expect(sample(before, 'attest_job_queue_depth', waiting)).toBe(0);
    expect(sample(before, 'attest_job_queue_oldest_waiting_seconds', age)).toBe(0);
    // A second pg-boss client on the same database (as another server would be) queues a delivery
    // due in an hour: it waits, whoever polls.
    const { connection } = tool;
    const other = connection.pglite
      ? new PgBoss({ db: fromPglite(connection.pglite), backend: 'pglite', supervise: false, schedule: false, migrate: false })
      : new PgBoss({ connectionString: connection.url!, max: 1, supervise: false, schedule: false, migrate: false });
    other.on('error', () => {});
    await other.start();
    try {
      const jobId = await other.send(SCORE_PASSBACK_QUEUE, { passbackId: randomUUID() }, { singletonKey: `metrics-test-${randomUUID()}`, startAfter: 3600 });
      const queued = await scrape();
      expect(sample(queued, 'attest_job_queue_depth', waiting)).toBe(1);
      expect(sample(queued, 'attest_job_queue_oldest_waiting_seconds', age)).toBeGreaterThan(0);
      await other.deleteJob(SCORE_PASSBACK_QUEUE, jobId!);
      expect(sample(await scrape(), 'attest_job_queue_depth', waiting)).toBe(0);
    } finally {
      await other.stop({ graceful: false, close: !connection.pglite });
    }
  });

  it('counts each passback outcome the worker records', async () => {
    const skipped = { outcome: 'skipped', status: 'none' };
    const initial = sample(await scrape(), 'attest_score_passback_outcomes_total', skipped);
    // A job whose stored passback does not exist (deleted, or already settled): the worker skips it.
    await tool.jobs.enqueueScorePassback({ id: randomUUID(), issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId, lineItemUrl: `${lms.url}/no-line-item`, learnerUserId: learner.id });
    await expect.poll(async () => sample(await scrape(), 'attest_score_passback_outcomes_total', skipped), { timeout: 60_000, interval: 250 }).toBe(initial + 1);
  });

  it('serves /metrics only with the configured bearer token', async () => {
    const none = await fetch(`${tool.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const wrong = await fetch(`${tool.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('attest_');
    const basic = await fetch(`${tool.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  it('logs each refused login or launch once, with its reason and the issuer, client id and deployment it named', async () => {
    const refusals = () => log.lines.filter((entry) => entry.msg === 'launch refused');
    const before = refusals().length;
    // An LMS an administrator deactivated: its logins are refused (ltijs's inactive-platform check).
    await tool.lti.platforms.setActive(lms.issuer, registration.clientId, false);
    try {
      const end = await new BrowserlessAgent().walk(lms.launchUrl({ courseId: course.id, userId: learner.id, resourceLinkId: link.id }), (url) => url.startsWith(`${tool.url}/app/`));
      expect(end.url.startsWith(`${tool.url}/app/`)).toBe(false);
      expect(end.response.status).toBe(403);
    } finally {
      await tool.lti.platforms.setActive(lms.issuer, registration.clientId, true);
    }
    // A launch with no id_token at all names nothing.
    expect((await fetch(`${tool.url}/lti/launch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=forged' })).status).toBe(401);
    expect(refusals().slice(before)).toEqual([
      expect.objectContaining({ level: 40, reason: 'inactive_platform', status: 403, issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId }),
      expect.objectContaining({ level: 40, reason: 'launch_not_verified', status: 401, issuer: null, clientId: null, deploymentId: null }),
    ]);
  });

  it('logs one JSON line per request with the id the response answered, and no token, cookie or query', async () => {
    const ltik = await launchAsLearner();
    const response = await fetch(`${tool.url}/api/session?ltik=${ltik}`, { headers: { authorization: `Bearer ${ltik}`, cookie: 'ltiaas-state=secret-cookie-value', 'x-request-id': 'forged-by-the-client-123' } });
    expect(response.status).toBe(200);
    // Where a launch lands: the UI, with the ltik in its query (503 here: the UI is not built in these tests).
    const landing = await fetch(`${tool.url}/app/?ltik=${ltik}`);
    const requestId = response.headers.get('x-request-id');
    // No proxy is trusted here (TRUST_PROXY unset): the client's id is not taken.
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const line = log.lines.find((entry) => entry.requestId === requestId);
    expect(line).toMatchObject({ level: 30, service: 'attest-tool', route: '/api/session', req: { method: 'GET', path: '/api/session' }, res: { statusCode: 200 }, msg: 'GET /api/session 200' });
    expect(typeof line?.durationMs).toBe('number');
    expect(log.lines.filter((entry) => entry.requestId === requestId)).toHaveLength(1);
    // The launch's own requests were logged too: the id_token form post and the UI's ?ltik= landing.
    expect(log.lines.some((entry) => entry.route === '/lti/launch')).toBe(true);
    expect(log.lines.find((entry) => entry.requestId === landing.headers.get('x-request-id'))).toMatchObject({ route: '/app/*', req: { path: '/app/' } });

    const everything = log.raw.join('\n');
    expect(everything).not.toContain(ltik);
    // Every JWT (an ltik, an id_token) starts with the encoding of '{"'.
    expect(everything).not.toContain('eyJ');
    expect(everything).not.toContain('secret-cookie-value');
    expect(everything).not.toContain('forged-by-the-client-123');
    expect(everything).not.toContain(METRICS_TOKEN);
    expect(everything).not.toMatch(/bearer /i);
    expect(everything).not.toContain(learner.email ?? 'lee@example.ac.uk');
  });

  it('answers /readyz 200 while the database and the queue answer, and 503 naming the queue once it stops', async () => {
    const ready = await fetch(`${tool.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    await tool.jobs.stop();
    const stopped = await fetch(`${tool.url}/readyz`);
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', queue: 'unavailable' } });
    // /healthz is the process and its database only, as before.
    expect((await fetch(`${tool.url}/healthz`)).status).toBe(200);
  });
});
