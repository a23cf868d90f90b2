import { startPlatformEmulator } from '@attest/platform-emulator';
import type { Course, PlatformEmulator, ResourceLink, SignIdTokenOptions, ToolRegistration, User } from '@attest/platform-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, registerWithTool } from '../support/index.ts';
import { BrowserlessAgent } from './browserless-agent.ts';
import { countLaunchRows, startLogin, tamperPayload, tamperSignature } from './launch-helpers.ts';
import { startLtiTestServer } from './lti-test-server.ts';
import type { LtiTestServer } from './lti-test-server.ts';

// The LTI security suite: forged and broken launches, each refused with a 4xx and leaving no trace
// (no ltijs id token or context document, no user, context or launch row). Every case starts a real
// OIDC login at the tool, so the state cookie and nonce are genuine and only the named fault differs.

const MESSAGE_TYPE = 'https://purl.imsglobal.org/spec/lti/claim/message_type';
const VERSION = 'https://purl.imsglobal.org/spec/lti/claim/version';
const DEPLOYMENT_ID = 'https://purl.imsglobal.org/spec/lti/claim/deployment_id';
const TARGET_LINK_URI = 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri';
const RESOURCE_LINK = 'https://purl.imsglobal.org/spec/lti/claim/resource_link';
const ROLES = 'https://purl.imsglobal.org/spec/lti/claim/roles';
const FOR_USER = 'https://purl.imsglobal.org/spec/lti/claim/for_user';
const DL_SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

type Claims = Record<string, unknown>;

interface Tenant {
  readonly lms: PlatformEmulator;
  readonly registration: ToolRegistration;
  readonly course: Course;
  readonly learner: User;
  readonly link: ResourceLink;
}

interface Forgery {
  /** Edit the claims of an otherwise correct launch. */
  readonly claims?: (claims: Claims, ctx: { now: number }) => Claims;
  readonly sign?: SignIdTokenOptions;
  /** Edit the signed token (after signing). */
  readonly token?: (jwt: string) => string;
  /** Edit the form posted to /lti/launch. */
  readonly form?: (form: Record<string, string>) => Record<string, string>;
  /** Post from an agent without the state cookie. */
  readonly withoutCookies?: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const without = (name: string) => (claims: Claims) => Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));

const forgeries: readonly (readonly [string, Forgery])[] = [
  ['a signature that does not match the token', { token: tamperSignature }],
  ['claims edited after signing (a learner made instructor)', { token: (jwt) => tamperPayload(jwt, (c) => ({ ...c, [ROLES]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] })) }],
  ['a key the platform JWKS does not list, under an unknown kid', { sign: { key: 'foreign' } }],
  ['a foreign key claiming the platform’s own kid', { sign: { key: 'foreign', kid: 'USE_PLATFORM_KID' } }],
  ['a token with no kid header', { sign: { key: 'platform', kid: null } }],
  ['an unsigned token (alg none)', { sign: { key: 'none' } }],
  ['HS256 keyed with the platform’s public key (algorithm confusion)', { sign: { key: 'hs256-public-key' } }],
  ['an expired token', { claims: (c, { now }) => ({ ...c, iat: now - 300, exp: now - 120 }) }],
  ['a token issued in the future', { claims: (c, { now }) => ({ ...c, iat: now + 600, exp: now + 660 }) }],
  ['a token issued too long ago that has not yet expired', { claims: (c, { now }) => ({ ...c, iat: now - 600, exp: now + 600 }) }],
  ['a token without exp', { claims: without('exp') }],
  ['a token without iat', { claims: without('iat') }],
  ['a token for another client (wrong aud)', { claims: (c) => ({ ...c, aud: 'someone-else' }) }],
  ['several audiences and no azp', { claims: (c) => ({ ...c, aud: [c.aud as string, 'someone-else'], azp: undefined }) }],
  ['several audiences and azp naming the other client', { claims: (c) => ({ ...c, aud: [c.aud as string, 'someone-else'], azp: 'someone-else' }) }],
  ['azp that is not among the audiences', { claims: (c) => ({ ...c, azp: 'someone-else' }) }],
  ['an issuer that is not registered', { claims: (c) => ({ ...c, iss: 'https://lms.evil.example' }) }],
  ['a deployment the platform never registered', { claims: (c) => ({ ...c, [DEPLOYMENT_ID]: 'deployment-nobody-registered' }) }],
  ['no nonce', { claims: without('nonce') }],
  ['a nonce other than the one the tool asked for', { claims: (c) => ({ ...c, nonce: 'not-the-nonce' }), form: (f) => f }],
  ['no state in the form', { form: ({ state: _state, ...rest }) => rest }],
  ['a state the tool never issued', { form: (f) => ({ ...f, state: 'a'.repeat(50) }) }],
  ['the right state but no state cookie (another browser)', { withoutCookies: true }],
  ['no sub', { claims: without('sub') }],
  ['no message_type', { claims: without(MESSAGE_TYPE) }],
  ['an unsupported message_type', { claims: (c) => ({ ...c, [MESSAGE_TYPE]: 'LtiStartProctoring' }) }],
  ['a submission review without for_user', { claims: (c) => ({ ...c, [MESSAGE_TYPE]: 'LtiSubmissionReviewRequest' }) }],
  [
    'a learner’s launch edited into an instructor’s submission review of a learner',
    { token: (jwt) => tamperPayload(jwt, (c) => ({ ...c, [MESSAGE_TYPE]: 'LtiSubmissionReviewRequest', [FOR_USER]: { user_id: String(c.sub) }, [ROLES]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'] })) },
  ],
  ['no version', { claims: without(VERSION) }],
  ['version 1.1.0', { claims: (c) => ({ ...c, [VERSION]: '1.1.0' }) }],
  ['no deployment_id', { claims: without(DEPLOYMENT_ID) }],
  ['no roles claim', { claims: without(ROLES) }],
  ['a resource-link launch without a resource link', { claims: without(RESOURCE_LINK) }],
  ['a resource-link launch without target_link_uri', { claims: without(TARGET_LINK_URI) }],
  ['a target_link_uri on another site', { claims: (c) => ({ ...c, [TARGET_LINK_URI]: 'https://tool.evil.example/lti/launch' }) }],
  ['a deep-linking launch without deep_link_return_url', { claims: (c) => ({ ...without(RESOURCE_LINK)(c), [MESSAGE_TYPE]: 'LtiDeepLinkingRequest', [DL_SETTINGS]: { accept_types: ['ltiResourceLink'] } }) }],
  ['an id_token that is not a JWT', { token: () => 'not.a-jwt' }],
  ['no id_token at all', { form: ({ id_token: _token, ...rest }) => rest }],
];

let lmsA: PlatformEmulator;
let lmsB: PlatformEmulator;

beforeAll(async () => {
  lmsA = await startPlatformEmulator({ mode: 'moodle' });
  lmsB = await startPlatformEmulator({ mode: 'canvas' });
});

afterAll(async () => {
  await lmsA?.close();
  await lmsB?.close();
});

async function enrolTenant(lms: PlatformEmulator, tool: LtiTestServer): Promise<Tenant> {
  const registration = await registerWithTool(lms, tool.url, tool.adapter.platforms);
  const course = lms.createCourse({ title: 'Customer Service L2' });
  const learner = lms.createUser({ name: 'Lee Learner' });
  lms.enrol(course.id, learner.id, 'learner');
  const link = lms.placeResourceLink({ courseId: course.id, clientId: registration.clientId, title: 'Unit 201', custom: { attest_unit: 'unit-201' } });
  return { lms, registration, course, learner, link };
}

describe.each(backends)('forged and broken launches on %s', (backend) => {
  let tool: LtiTestServer;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    tool = await startLtiTestServer(backend);
    a = await enrolTenant(lmsA, tool);
    b = await enrolTenant(lmsB, tool);
  });

  afterAll(async () => {
    await tool?.close();
  });

  async function login(tenant: Tenant, agent = new BrowserlessAgent()) {
    const started = await startLogin(agent, tool.url, { issuer: tenant.lms.issuer, clientId: tenant.registration.clientId, deploymentId: tenant.registration.deploymentId });
    expect(started.status).toBe(302);
    return { agent, ...started };
  }

  function claimsFor(tenant: Tenant, nonce: string): Claims {
    return tenant.lms.buildLaunchClaims({ clientId: tenant.registration.clientId, courseId: tenant.course.id, userId: tenant.learner.id, nonce, resourceLinkId: tenant.link.id });
  }

  async function post(agent: BrowserlessAgent, form: Record<string, string>) {
    return agent.request(`${tool.url}/lti/launch`, { form });
  }

  async function expectRefusedAndNothingStored(attempt: () => Promise<Response>): Promise<Response> {
    const before = await countLaunchRows(tool.connection);
    const response = await attempt();
    expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('location')).toBeNull();
    // Every attempt here is the platform's form_post: a browser navigation, answered with a page.
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await countLaunchRows(tool.connection)).toEqual(before);
    return response;
  }

  it('admits the unforged launch every case below is a variant of', async () => {
    const { agent, state, nonce } = await login(a);
    const response = await post(agent, { id_token: await a.lms.signIdToken(claimsFor(a, nonce)), state });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/app\/\?ltik=/);
  });

  it.each(forgeries)('refuses %s, storing nothing', async (_name, forgery) => {
    const { agent, state, nonce } = await login(a);
    const claims = forgery.claims ? forgery.claims(claimsFor(a, nonce), { now: nowSeconds() }) : claimsFor(a, nonce);
    const sign = forgery.sign?.kid === 'USE_PLATFORM_KID' ? { ...forgery.sign, kid: a.lms.kid } : forgery.sign;
    let idToken = await a.lms.signIdToken(claims, sign);
    if (forgery.token) idToken = forgery.token(idToken);
    const form = forgery.form ? forgery.form({ id_token: idToken, state }) : { id_token: idToken, state };
    await expectRefusedAndNothingStored(() => post(forgery.withoutCookies ? new BrowserlessAgent() : agent, form));
  });

  it('refuses a replayed id_token (its nonce is spent), storing nothing more', async () => {
    const first = await login(a);
    const idToken = await a.lms.signIdToken(claimsFor(a, first.nonce));
    expect((await post(first.agent, { id_token: idToken, state: first.state })).status).toBe(303);
    const second = await login(a, first.agent);
    await expectRefusedAndNothingStored(() => post(second.agent, { id_token: idToken, state: second.state }));
  });

  it('refuses a valid platform A token posted after a platform B login', async () => {
    const { agent, state } = await login(b);
    const fromA = await login(a, agent);
    const idToken = await a.lms.signIdToken(claimsFor(a, fromA.nonce));
    await expectRefusedAndNothingStored(() => post(agent, { id_token: idToken, state }));
  });

  it('refuses platform B’s claims signed with platform A’s key', async () => {
    const { agent, state, nonce } = await login(b);
    const idToken = await a.lms.signIdToken(claimsFor(b, nonce));
    await expectRefusedAndNothingStored(() => post(agent, { id_token: idToken, state }));
  });

  it('refuses platform A’s client id under platform B’s issuer', async () => {
    const { agent, state, nonce } = await login(b);
    const idToken = await b.lms.signIdToken({ ...claimsFor(b, nonce), aud: a.registration.clientId });
    await expectRefusedAndNothingStored(() => post(agent, { id_token: idToken, state }));
  });

  it('refuses launches from a deactivated platform with 403, and admits them again once reactivated', async () => {
    await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, false);
    try {
      const agent = new BrowserlessAgent();
      const refusedLogin = await startLogin(agent, tool.url, { issuer: a.lms.issuer, clientId: a.registration.clientId });
      expect(refusedLogin.status).toBe(403);
      // A token minted before deactivation (state and nonce from an earlier login) is refused too.
      await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, true);
      const earlier = await login(a);
      await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, false);
      const response = await expectRefusedAndNothingStored(async () => post(earlier.agent, { id_token: await a.lms.signIdToken(claimsFor(a, earlier.nonce)), state: earlier.state }));
      expect(response.status).toBe(403);
    } finally {
      await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, true);
    }
    const { agent, state, nonce } = await login(a);
    expect((await post(agent, { id_token: await a.lms.signIdToken(claimsFor(a, nonce)), state })).status).toBe(303);
  });

  it('refuses a login for an unregistered issuer and a login whose target is another site', async () => {
    const agent = new BrowserlessAgent();
    expect((await startLogin(agent, tool.url, { issuer: 'https://lms.evil.example', clientId: 'x' })).status).toBe(400);
    const foreignTarget = await agent.request(`${tool.url}/lti/login?${new URLSearchParams({ iss: a.lms.issuer, client_id: a.registration.clientId, login_hint: 'x', target_link_uri: 'https://tool.evil.example/lti/launch' }).toString()}`);
    expect(foreignTarget.status).toBe(400);
    expect(agent.cookiesFor(tool.url)).toEqual([]);
  });

  describe('the launch token (ltik) on the API', () => {
    async function ltikOf(tenant: Tenant): Promise<string> {
      const { agent, state, nonce } = await login(tenant);
      const response = await post(agent, { id_token: await tenant.lms.signIdToken(claimsFor(tenant, nonce)), state });
      return new URL(response.headers.get('location') ?? '', tool.url).searchParams.get('ltik') ?? '';
    }

    const session = (authorization?: string) => fetch(`${tool.url}/api/session`, authorization ? { headers: { authorization } } : {});

    it('admits a genuine ltik and refuses none, a malformed one, or one in the query string instead of the header', async () => {
      const ltik = await ltikOf(a);
      expect((await session(`Bearer ${ltik}`)).status).toBe(200);
      expect((await session()).status).toBe(401);
      expect((await session('Bearer nonsense')).status).toBe(401);
      expect((await fetch(`${tool.url}/api/session?ltik=${ltik}`)).status).toBe(401);
    });

    it('refuses an ltik edited to name platform B’s tenant, and one signed with another key', async () => {
      const ltik = await ltikOf(a);
      const edited = tamperPayload(ltik, (claims) => ({ ...claims, platformUrl: b.lms.issuer, clientId: b.registration.clientId, deploymentId: b.registration.deploymentId }));
      const response = await session(`Bearer ${edited}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      const { SignJWT } = await import('jose');
      const [, payload = ''] = ltik.split('.');
      const resigned = await new SignJWT(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('another-key-another-key-another-key'));
      expect((await session(`Bearer ${resigned}`)).status).toBe(401);
    });

    it('does not treat an ltik sent back to the launch endpoint as a new launch', async () => {
      const ltik = await ltikOf(a);
      const before = await countLaunchRows(tool.connection);
      for (const response of [
        await fetch(`${tool.url}/lti/launch?ltik=${ltik}`, { redirect: 'manual' }),
        await fetch(`${tool.url}/lti/launch`, { method: 'POST', redirect: 'manual', headers: { authorization: `Bearer ${ltik}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `ltik=${ltik}` }),
      ]) {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
      expect(await countLaunchRows(tool.connection)).toEqual(before);
    });

    it('stops admitting a platform’s ltiks when the platform is deactivated', async () => {
      const ltik = await ltikOf(a);
      await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, false);
      try {
        expect((await session(`Bearer ${ltik}`)).status).toBe(401);
      } finally {
        await tool.adapter.platforms.setActive(a.lms.issuer, a.registration.clientId, true);
      }
      expect((await session(`Bearer ${ltik}`)).status).toBe(200);
    });

    it('keeps each platform’s launches apart: each ltik reads its own tenant', async () => {
      const [ltikA, ltikB] = [await ltikOf(a), await ltikOf(b)];
      const bodyA = (await (await session(`Bearer ${ltikA}`)).json()) as { launch: { issuer: string; clientId: string } };
      const bodyB = (await (await session(`Bearer ${ltikB}`)).json()) as { launch: { issuer: string; clientId: string } };
      expect(bodyA.launch).toMatchObject({ issuer: a.lms.issuer, clientId: a.registration.clientId });
      expect(bodyB.launch).toMatchObject({ issuer: b.lms.issuer, clientId: b.registration.clientId });
    });
  });
});
