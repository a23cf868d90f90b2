import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, generateKeyPair, type JWTPayload } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { authParams, setUpCourse, startLogin, type CourseFixture } from './course-fixture.ts';
import { readForm } from './html-form.ts';
import { pressInActivityForm } from './activity-form.ts';

const dl = (name: string) => `https://purl.imsglobal.org/spec/lti-dl/claim/${name}`;
const lti = (name: string) => `https://purl.imsglobal.org/spec/lti/claim/${name}`;

interface DeepLinkingSettings {
  deep_link_return_url: string;
  data: string;
  accept_types: string[];
}

describe.each(['moodle', 'canvas'] as const)('Deep Linking (%s mode)', (mode) => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;

  beforeAll(async () => {
    lms = await startPlatformEmulator({ mode });
    fake = await startFakeTool();
    course = setUpCourse(lms, fake);
  });
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  /** An instructor's deep-linking launch, through the browser hand-overs, up to the decoded id_token. */
  async function deepLinkingLaunch(): Promise<JWTPayload> {
    const login = await startLogin(lms.deepLinkingLaunchUrl({ courseId: course.courseId, userId: course.instructorId, clientId: course.tool.clientId }));
    expect(login.fields['target_link_uri']).toBe(`${fake.url}/deep-link`);
    const form = readForm(await (await fetch(`${lms.authorizationUrl}?${authParams(course.tool, fake, login.fields).toString()}`)).text());
    return decodeJwt(form.fields['id_token'] ?? '');
  }

  function response(settings: DeepLinkingSettings, overrides: JWTPayload = {}): JWTPayload {
    return {
      iss: course.tool.clientId,
      aud: lms.issuer,
      nonce: 'dl-nonce',
      [lti('message_type')]: 'LtiDeepLinkingResponse',
      [lti('version')]: '1.3.0',
      [lti('deployment_id')]: course.tool.deploymentId,
      [dl('data')]: settings.data,
      [dl('content_items')]: [
        {
          type: 'ltiResourceLink',
          title: 'Unit 305: Install heating systems',
          custom: { attest_unit: 'unit-305' },
          lineItem: { scoreMaximum: 100, label: 'Unit 305', resourceId: 'unit-305', tag: 'attest-unit' },
        },
        { type: 'ltiResourceLink', title: 'Unit 306', custom: { attest_unit: 'unit-306' }, lineItem: { scoreMaximum: 100, label: 'Unit 306', resourceId: 'unit-306', tag: 'attest-unit' } },
        { type: 'html', html: '<p>ignored</p>' },
      ],
      ...overrides,
    };
  }

  const post = (url: string, jwt: string) => fetch(url, { method: 'POST', body: new URLSearchParams({ JWT: jwt }) });

  /** Returns the signed response and, in Moodle, saves the activity form it filled. */
  async function returnAndSave(settings: DeepLinkingSettings, jwt: string): Promise<void> {
    const answer = await post(settings.deep_link_return_url, jwt);
    expect(answer.status).toBe(200);
    const html = await answer.text();
    if (mode === 'canvas') {
      expect(html).toContain('data-placed="2"');
      return;
    }
    expect((await pressInActivityForm(lms.url, html, 'submitbutton2')).status).toBe(303);
  }

  it('sends an instructor an LtiDeepLinkingRequest with deep-linking settings', async () => {
    const claims = await deepLinkingLaunch();
    expect(claims[lti('message_type')]).toBe('LtiDeepLinkingRequest');
    expect(claims[lti('resource_link')]).toBeUndefined();
    expect(claims[dl('deep_linking_settings')]).toMatchObject({ accept_types: ['ltiResourceLink'], accept_multiple: true, data: expect.any(String) });
  });

  it('places each returned ltiResourceLink with its line item and keeps its custom parameters for later launches', async () => {
    const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
    const before = lms.getResourceLinks(course.courseId).length;
    await returnAndSave(settings, await fake.sign(response(settings)));
    const placed = lms.getResourceLinks(course.courseId).slice(before);
    expect(placed).toMatchObject([
      { title: 'Unit 305: Install heating systems', custom: { attest_unit: 'unit-305' }, placedBy: 'deepLinking', url: fake.launchUrl },
      { title: 'Unit 306', custom: { attest_unit: 'unit-306' } },
    ]);
    const lineItem = lms.getLineItems(course.courseId).find((item) => item.id === placed[0]?.lineItemId);
    expect(lineItem).toMatchObject({ scoreMaximum: 100, label: 'Unit 305', resourceId: 'unit-305', tag: 'attest-unit', resourceLinkId: placed[0]?.id });
    const launchClaims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.learnerId, nonce: 'n', resourceLinkId: placed[0]?.id ?? '' });
    expect(launchClaims[lti('custom')]).toMatchObject({ attest_unit: 'unit-305' });
    expect(launchClaims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).toMatchObject({ lineitem: lineItem?.id });
  });

  it('refuses a response signed with a key the tool JWKS does not list, and places nothing', async () => {
    const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
    const before = lms.getResourceLinks(course.courseId).length;
    const { privateKey } = await generateKeyPair('RS256');
    const answer = await post(settings.deep_link_return_url, await fake.sign(response(settings), privateKey));
    expect(answer.status).toBe(400);
    expect(lms.getResourceLinks(course.courseId)).toHaveLength(before);
  });

  it.each([
    ['addressed to another audience', { aud: 'https://someone.else' }],
    ['of the wrong message type', { [lti('message_type')]: 'LtiResourceLinkRequest' }],
    ['for another deployment', { [lti('deployment_id')]: 'other-deployment' }],
    ['that does not echo the request data', { [dl('data')]: 'tampered' }],
  ])('refuses a response %s', async (_name, overrides) => {
    const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
    const before = lms.getResourceLinks(course.courseId).length;
    const answer = await post(settings.deep_link_return_url, await fake.sign(response(settings, overrides)));
    expect(answer.status).toBe(400);
    expect(lms.getResourceLinks(course.courseId)).toHaveLength(before);
  });

  if (mode === 'moodle') {
    it('sends auto_create false: the items only fill the activity form', async () => {
      expect((await deepLinkingLaunch())[dl('deep_linking_settings')]).toMatchObject({ auto_create: false, accept_multiple: true });
    });

    it('fills the activity form with every item and creates nothing until it is saved', async () => {
      const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
      const links = lms.getResourceLinks(course.courseId).length;
      const lineItems = lms.getLineItems(course.courseId).length;
      const answer = await post(settings.deep_link_return_url, await fake.sign(response(settings)));
      const html = await answer.text();
      expect(html).toContain('data-activities="2"');
      expect(html).toContain('Unit 305: Install heating systems');
      expect(lms.getResourceLinks(course.courseId)).toHaveLength(links);
      expect(lms.getLineItems(course.courseId)).toHaveLength(lineItems);

      const saved = await pressInActivityForm(lms.url, html, 'submitbutton2');
      expect(saved.headers.get('location')).toBe(`/course/${course.courseId}?user=${course.instructorId}`);
      expect(lms.getResourceLinks(course.courseId)).toHaveLength(links + 2);
      expect(lms.getLineItems(course.courseId)).toHaveLength(lineItems + 2);
      // A form is answered once: saving it again adds nothing.
      expect((await pressInActivityForm(lms.url, html, 'submitbutton2')).status).toBe(400);
      expect(lms.getResourceLinks(course.courseId)).toHaveLength(links + 2);
    });

    it('creates nothing when the activity form is cancelled', async () => {
      const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
      const links = lms.getResourceLinks(course.courseId).length;
      const lineItems = lms.getLineItems(course.courseId).length;
      const html = await (await post(settings.deep_link_return_url, await fake.sign(response(settings)))).text();
      const cancelled = await pressInActivityForm(lms.url, html, 'cancel');
      expect(cancelled.status).toBe(303);
      expect(lms.getResourceLinks(course.courseId)).toHaveLength(links);
      expect(lms.getLineItems(course.courseId)).toHaveLength(lineItems);
      expect((await pressInActivityForm(lms.url, html, 'submitbutton2')).status).toBe(400);
      expect(lms.getResourceLinks(course.courseId)).toHaveLength(links);
    });
  } else {
    it('sends auto_create true and places the items on arrival', async () => {
      expect((await deepLinkingLaunch())[dl('deep_linking_settings')]).toMatchObject({ auto_create: true });
    });
  }

  it('accepts a request data value once only', async () => {
    const settings = (await deepLinkingLaunch())[dl('deep_linking_settings')] as DeepLinkingSettings;
    expect((await post(settings.deep_link_return_url, await fake.sign(response(settings)))).status).toBe(200);
    expect((await post(settings.deep_link_return_url, await fake.sign(response(settings)))).status).toBe(400);
  });

  it('does not offer deep linking to a learner', async () => {
    const answer = await fetch(lms.deepLinkingLaunchUrl({ courseId: course.courseId, userId: course.learnerId, clientId: course.tool.clientId }));
    expect(answer.status).toBe(403);
  });
});
