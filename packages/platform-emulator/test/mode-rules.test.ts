import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startPlatformEmulator, type PlatformEmulator } from '../src/index.ts';
import { startFakeTool, type FakeTool } from './fake-tool.ts';
import { accessToken, launch, setUpCourse, type CourseFixture } from './course-fixture.ts';

const rolesClaim = 'https://purl.imsglobal.org/spec/lti/claim/roles';
const lis = 'http://purl.imsglobal.org/vocab/lis/v2';
const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const nrpsClaim = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';

async function emulatorWithCourse(mode: 'moodle' | 'canvas') {
  const lms = await startPlatformEmulator({ mode });
  const fake = await startFakeTool();
  return { lms, fake, course: setUpCourse(lms, fake) };
}

describe('moodle mode', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  beforeAll(async () => ({ lms, fake, course } = await emulatorWithCourse('moodle')));
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  const rolesOf = (userId: string) => lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId, nonce: 'n', resourceLinkId: course.link.id })[rolesClaim];

  it('signs launches with the site URL as iss', async () => {
    const fields = await launch(lms, fake, course.tool, { courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id });
    expect(decodeJwt(fields['id_token'] ?? '').iss).toBe(lms.url);
    expect(lms.issuer).toBe(lms.url);
  });

  it('sends a learner only membership#Learner', () => {
    expect(rolesOf(course.learnerId)).toEqual([`${lis}/membership#Learner`]);
  });

  it('sends a teaching assistant (non-editing teacher) plain membership#Instructor, with no sub-role', () => {
    expect(rolesOf(course.assistantId)).toEqual([`${lis}/membership#Instructor`]);
    expect(rolesOf(course.instructorId)).toEqual([`${lis}/membership#Instructor`]);
  });

  it('sends a site administrator Instructor plus the system and institution Administrator roles, never Learner', () => {
    const admin = lms.createUser({ name: 'Ada Admin', isAdministrator: true });
    const other = lms.createCourse({ title: 'Admin sandbox' });
    lms.enrol(other.id, admin.id, 'learner');
    const link = lms.placeResourceLink({ courseId: other.id, clientId: course.tool.clientId, title: 'Sandbox' });
    const roles = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: other.id, userId: admin.id, nonce: 'n', resourceLinkId: link.id })[rolesClaim];
    expect(roles).toEqual([`${lis}/membership#Instructor`, `${lis}/system/person#Administrator`, `${lis}/institution/person#Administrator`]);
  });

  it('lists the course members over NRPS with the roles a launch would carry', async () => {
    const claims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.instructorId, nonce: 'n', resourceLinkId: course.link.id });
    const url = (claims[nrpsClaim] as { context_memberships_url: string }).context_memberships_url;
    expect(url).toContain(`/mod/lti/services.php/CourseSection/${course.courseId}/bindings/${course.tool.deploymentId}/memberships`);
    const token = await accessToken(lms, fake, course.tool.clientId, [nrpsScope]);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/vnd.ims.lti-nrps.v2.membershipcontainer+json');
    const body = (await response.json()) as { context: { id: string }; members: { user_id: string; roles: string[]; name: string; status: string }[] };
    expect(body.context.id).toBe(course.courseId);
    expect(body.members).toContainEqual(expect.objectContaining({ user_id: course.learnerId, name: 'Lee Learner', status: 'Active', roles: [`${lis}/membership#Learner`] }));
    expect(body.members.map((member) => member.user_id).sort()).toEqual([course.learnerId, course.instructorId, course.assistantId].sort());
    // Moodle's NRPS decides at course level (moodle/course:manageactivities): the non-editing teacher,
    // who launches as Instructor (mod/lti:manage), is listed as a Learner.
    expect(body.members).toContainEqual(expect.objectContaining({ user_id: course.instructorId, roles: [`${lis}/membership#Instructor`] }));
    expect(body.members).toContainEqual(expect.objectContaining({ user_id: course.assistantId, roles: [`${lis}/membership#Learner`] }));
    const assistantLaunch = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.assistantId, nonce: 'n', resourceLinkId: course.link.id });
    expect(assistantLaunch[rolesClaim]).toEqual([`${lis}/membership#Instructor`]);
  });

  it('pages NRPS results with a rel="next" Link header', async () => {
    const claims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.instructorId, nonce: 'n', resourceLinkId: course.link.id });
    const url = new URL((claims[nrpsClaim] as { context_memberships_url: string }).context_memberships_url);
    url.searchParams.set('limit', '2');
    const token = await accessToken(lms, fake, course.tool.clientId, [nrpsScope]);
    const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(((await first.json()) as { members: unknown[] }).members).toHaveLength(2);
    expect(next).toBeDefined();
    const second = await fetch(next ?? '', { headers: { authorization: `Bearer ${token}` } });
    expect(((await second.json()) as { members: unknown[] }).members.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses NRPS to a token without the membership scope', async () => {
    const claims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.instructorId, nonce: 'n', resourceLinkId: course.link.id });
    const url = (claims[nrpsClaim] as { context_memberships_url: string }).context_memberships_url;
    const token = await accessToken(lms, fake, course.tool.clientId, ['https://purl.imsglobal.org/spec/lti-ags/scope/score']);
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

describe('canvas mode', () => {
  let lms: PlatformEmulator;
  let fake: FakeTool;
  let course: CourseFixture;
  beforeAll(async () => ({ lms, fake, course } = await emulatorWithCourse('canvas')));
  afterAll(async () => {
    await lms.close();
    await fake.close();
  });

  const rolesOf = (userId: string) => lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId, nonce: 'n', resourceLinkId: course.link.id })[rolesClaim];

  it('signs launches with iss https://canvas.instructure.com while serving endpoints from its own host', async () => {
    const fields = await launch(lms, fake, course.tool, { courseId: course.courseId, userId: course.learnerId, resourceLinkId: course.link.id });
    expect(decodeJwt(fields['id_token'] ?? '').iss).toBe('https://canvas.instructure.com');
    expect(lms.jwksUrl.startsWith(lms.url)).toBe(true);
    const config = (await (await fetch(lms.openidConfigurationUrl)).json()) as Record<string, unknown>;
    expect(config['issuer']).toBe('https://canvas.instructure.com');
    expect(config['token_endpoint']).toBe(lms.tokenUrl);
  });

  it('sends a TA Instructor plus the TeachingAssistant sub-role', () => {
    expect(rolesOf(course.assistantId)).toEqual([
      `${lis}/institution/person#Instructor`,
      `${lis}/membership#Instructor`,
      `${lis}/membership/Instructor#TeachingAssistant`,
      `${lis}/system/person#User`,
    ]);
  });

  it('sends a student Learner with the institution Student role', () => {
    expect(rolesOf(course.learnerId)).toEqual([`${lis}/institution/person#Student`, `${lis}/membership#Learner`, `${lis}/system/person#User`]);
  });

  it('uses opaque ids for users and the context, as Canvas does', () => {
    const claims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.learnerId, nonce: 'n', resourceLinkId: course.link.id });
    expect(claims['sub']).toMatch(/^[0-9a-f-]{36}$/);
    expect((claims['https://purl.imsglobal.org/spec/lti/claim/context'] as { id: string }).id).toMatch(/^[0-9a-f]{40}$/);
    expect(claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id']).toMatch(/^\d+:[0-9a-f]{40}$/);
  });

  it('refuses NRPS calls without a User-Agent', async () => {
    const claims = lms.buildLaunchClaims({ clientId: course.tool.clientId, courseId: course.courseId, userId: course.instructorId, nonce: 'n', resourceLinkId: course.link.id });
    const url = (claims[nrpsClaim] as { context_memberships_url: string }).context_memberships_url;
    const token = await accessToken(lms, fake, course.tool.clientId, [nrpsScope]);
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}`, 'user-agent': '' } })).status).toBe(403);
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'fake-tool/1.0' } })).status).toBe(200);
  });
});
