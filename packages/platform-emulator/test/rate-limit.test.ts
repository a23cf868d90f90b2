import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformEmulator } from '../src/index.ts';
import { startFakeTool } from './fake-tool.ts';
import { accessToken, setUpCourse } from './course-fixture.ts';

// The opt-in throttle on LTI service calls (src/rate-limit.ts), answered as each platform answers:
// Canvas's leaky bucket per developer key with 403 "Rate Limit Exceeded" (request_throttle.rb), and
// a generic limit (Moodle has none of its own) with 429 + Retry-After. The refill rates are tiny so
// that nothing leaks back during a test on a slow machine.

const lineItemScope = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';

async function withEmulator(mode: 'moodle' | 'canvas') {
  const lms = await startPlatformEmulator({ mode });
  const fake = await startFakeTool();
  const course = setUpCourse(lms, fake);
  const token = await accessToken(lms, fake, course.tool.clientId, [lineItemScope]);
  /** One AGS call: reads the activity's line item. */
  const readLineItem = (bearer = token) =>
    fetch(course.link.lineItemId ?? '', { headers: { authorization: `Bearer ${bearer}`, accept: 'application/vnd.ims.lis.v2.lineitem+json', 'user-agent': 'rate-limit-test' } });
  return { lms, fake, course, token, readLineItem };
}

describe('Canvas request throttling', () => {
  let env: Awaited<ReturnType<typeof withEmulator>>;
  beforeAll(async () => {
    env = await withEmulator('canvas');
  });
  afterAll(async () => {
    await env.lms.close();
    await env.fake.close();
  });

  it('lets calls through with X-Request-Cost and X-Rate-Limit-Remaining until the bucket reaches its high-water mark, then answers 403 Rate Limit Exceeded', async () => {
    // Each call costs 50 up front and 50 in the end: 50, 100 stay under 120; the third reaches 150.
    env.lms.setRateLimit({ kind: 'canvas', hwm: 120, maximum: 800, outflowPerSecond: 0.001, upFrontCost: 50, requestCost: 50 });
    const first = await env.readLineItem();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-request-cost')).toBe('50');
    expect(Number(first.headers.get('x-rate-limit-remaining'))).toBeCloseTo(70, 0);
    expect((await env.readLineItem()).status).toBe(200);

    const refused = await env.readLineItem();
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('x-rate-limit-remaining')).toBe('0.0');
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(await refused.text()).toBe('403 Forbidden (Rate Limit Exceeded)\n');
    expect(env.lms.getRateLimitStats()).toEqual({ throttled: 1, allowed: 2 });
  });

  it('throttles per developer key: a call bearing no token the platform issued goes on to its own answer', async () => {
    env.lms.setRateLimit({ kind: 'canvas', hwm: 40, upFrontCost: 50, outflowPerSecond: 0.001 });
    expect((await env.readLineItem('not-a-token')).status).toBe(401);
    expect((await env.readLineItem()).status).toBe(403);
    expect(env.lms.getRateLimitStats()).toEqual({ throttled: 1, allowed: 0 });
  });

  it('lets every call through once the limit is turned off', async () => {
    env.lms.setRateLimit({ kind: 'canvas', hwm: 40, upFrontCost: 50, outflowPerSecond: 0.001 });
    expect((await env.readLineItem()).status).toBe(403);
    env.lms.setRateLimit(null);
    const allowed = await env.readLineItem();
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-rate-limit-remaining')).toBeNull();
  });
});

describe('a generic rate limit (Moodle has none of its own)', () => {
  let env: Awaited<ReturnType<typeof withEmulator>>;
  beforeAll(async () => {
    env = await withEmulator('moodle');
  });
  afterAll(async () => {
    await env.lms.close();
    await env.fake.close();
  });

  it('answers 429 with Retry-After once the burst is spent', async () => {
    env.lms.setRateLimit({ kind: 'requestsPerSecond', requestsPerSecond: 0.01, burst: 2 });
    expect((await env.readLineItem()).status).toBe(200);
    expect((await env.readLineItem()).status).toBe(200);
    const refused = await env.readLineItem();
    expect(refused.status).toBe(429);
    // One call's worth of refill at 0.01 a second: about 100 s.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(90);
    expect(env.lms.getRateLimitStats()).toEqual({ throttled: 1, allowed: 2 });
  });

  it('is set through the admin API too, and refuses a Canvas bucket in moodle mode or a bad number with 400, changing nothing', async () => {
    const put = (body: unknown) => fetch(`${env.lms.url}/emulator/api/rate-limit`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ limit: { kind: 'requestsPerSecond', requestsPerSecond: 0.01, burst: 1 } })).status).toBe(204);
    const canvasInMoodle = await put({ limit: { kind: 'canvas' } });
    expect(canvasInMoodle.status).toBe(400);
    expect(((await canvasInMoodle.json()) as { error: { code: string } }).error.code).toBe('canvas_only');
    expect((await put({ limit: { kind: 'requestsPerSecond', requestsPerSecond: 0, burst: 1 } })).status).toBe(400);
    expect((await put({ limit: { kind: 'requestsPerSecond', requestsPerSecond: 1 } })).status).toBe(400);

    expect((await env.readLineItem()).status).toBe(200);
    expect((await env.readLineItem()).status).toBe(429);
    const stats = await fetch(`${env.lms.url}/emulator/api/rate-limit`);
    expect(await stats.json()).toEqual({ throttled: 1, allowed: 1 });
    expect((await put({ limit: null })).status).toBe(204);
    expect((await env.readLineItem()).status).toBe(200);
  });
});
