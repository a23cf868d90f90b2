import { startPlatformEmulator } from '@attest/platform-emulator';
import type { PlatformEmulator } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLtiAdapter, DEFAULT_LAUNCH_TOKEN_LIFETIME_SECONDS } from '../../src/lti/create-lti-adapter.ts';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { startLogin } from './launch-helpers.ts';
import { startLtiTestServer, TEST_ENCRYPTION_KEY } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// An ltik authenticates for a fixed time from its own launch (decision 5). The adapter reads the
// time from an injected clock, so these tests move the clock instead of waiting.

const LIFETIME_SECONDS = 600;

describe.each(backends)('the launch token lifetime on %s', (backend) => {
  let lms: PlatformEmulator;
  let tool: LtiTestServer;
  let offsetMs = 0;
  let launch: () => Promise<string>;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode: 'moodle' });
    tool = await startLtiTestServer(backend, { launchTokenLifetimeSeconds: LIFETIME_SECONDS, now: () => Date.now() + offsetMs });
    const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
    const course = lms.createCourse({ title: 'Customer Service L2' });
    const learner = lms.createUser({ name: 'Lee Learner' });
    lms.enrol(course.id, learner.id, 'learner');
    const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
    launch = async () => {
      const agent = new BrowserlessAgent();
      const { state, nonce } = await startLogin(agent, tool.url, { issuer: lms.issuer, clientId: registration.clientId, deploymentId: registration.deploymentId });
      const claims = lms.buildLaunchClaims({ clientId: registration.clientId, courseId: course.id, userId: learner.id, nonce, resourceLinkId: link.id });
      const response = await agent.request(`${tool.url}/lti/launch`, { form: { id_token: await lms.signIdToken(claims), state } });
      return new URL(response.headers.get('location') ?? '', tool.url).searchParams.get('ltik') ?? '';
    };
  });

  afterAll(async () => {
    await tool?.close();
    await lms?.close();
  });

  const session = (ltik: string) => fetch(`${tool.url}/api/session`, { headers: { authorization: `Bearer ${ltik}` } });

  it('admits an ltik until its lifetime is over and refuses it with 401 after, even though ltijs still holds the launch', async () => {
    offsetMs = 0;
    const ltik = await launch();
    offsetMs = (LIFETIME_SECONDS - 5) * 1000;
    expect((await session(ltik)).status).toBe(200);
    offsetMs = (LIFETIME_SECONDS + 5) * 1000;
    const expired = await session(ltik);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { code: 'unauthenticated', message: 'Your session has ended. Open the activity again from your course.' } });
  });

  it('defaults to four hours and refuses a lifetime longer than ltijs keeps the launch', async () => {
    expect(DEFAULT_LAUNCH_TOKEN_LIFETIME_SECONDS).toBe(4 * 3600);
    const config = { publicUrl: tool.url, encryptionKey: TEST_ENCRYPTION_KEY, uiPath: '/app/', launchTokenLifetimeSeconds: 24 * 3600 + 1 };
    await expect(createLtiAdapter(config, { store: null, db: null })).rejects.toThrow(/launchTokenLifetimeSeconds must be a whole number of seconds from 1 to 86400/);
  });
});
