import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestAdministrators, launches, LtijsStore, ltiContexts, ltiUsers, placedUnits, platformRegistrations, readLaunchOfLtik, recordLaunch } from '../../src/db/index.ts';
import type { DatabaseConnection } from '../../src/db/index.ts';
import { backends, openTestDatabase } from '../support/index.ts';
import { aLaunch } from '../support/test-lti-adapter.ts';

// The two prepared statements of every launch and API call (decision-free plumbing, but what they
// store and answer is what the caseload, the console and placement confirmation rely on).
describe.each(backends)('recording a launch and reading an ltik on %s', (backend) => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('stores the registration, user, context and launch as the launch gives them', async () => {
    const issuer = `https://lms-${randomUUID()}.example`;
    const launch = aLaunch({ issuer, rawRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'urn:x:extra'], lineItemUrl: 'https://lms.example/line-items/1' });
    const { launchId } = await recordLaunch(connection.db, launch);

    const [registration] = await connection.db.select().from(platformRegistrations).where(eq(platformRegistrations.issuer, issuer));
    expect(registration).toMatchObject({ clientId: launch.clientId, name: 'Test LMS', deploymentIds: ['deployment-1'], isActive: true });
    const [user] = await connection.db.select().from(ltiUsers).where(and(eq(ltiUsers.issuer, issuer), eq(ltiUsers.userId, launch.userId)));
    expect(user).toMatchObject({ name: 'Sam Learner', email: 'sam@example.ac.uk' });
    const [context] = await connection.db.select().from(ltiContexts).where(eq(ltiContexts.issuer, issuer));
    expect(context).toMatchObject({ contextId: 'course-1', title: 'Customer Service Level 2' });
    const [row] = await connection.db.select().from(launches).where(eq(launches.id, launchId));
    expect(row).toMatchObject({ issuer, userId: launch.userId, contextId: 'course-1', unitId: 'test-unit-101', roles: launch.rawRoles, lineItemUrl: 'https://lms.example/line-items/1' });

    // A second deployment of the same registration is added to its list, never duplicated.
    await recordLaunch(connection.db, aLaunch({ issuer, deploymentId: 'deployment-2' }));
    await recordLaunch(connection.db, aLaunch({ issuer, deploymentId: 'deployment-2' }));
    const [after] = await connection.db.select().from(platformRegistrations).where(eq(platformRegistrations.issuer, issuer));
    expect(after?.deploymentIds).toEqual(['deployment-1', 'deployment-2']);
  });

  it('says whether the course has offered units not yet confirmed, so confirmation runs only then', async () => {
    const issuer = `https://lms-${randomUUID()}.example`;
    const launch = aLaunch({ issuer });
    expect((await recordLaunch(connection.db, launch)).offersWaiting).toBe(false);

    const course = { issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, contextId: 'course-1' };
    await connection.db.insert(placedUnits).values({ ...course, unitId: 'unit-offered', placedByUserId: 'teacher' });
    expect((await recordLaunch(connection.db, launch)).offersWaiting).toBe(true);
    // Another course's offer is not this course's.
    expect((await recordLaunch(connection.db, aLaunch({ issuer, contextId: 'course-2' }))).offersWaiting).toBe(false);

    await connection.db.update(placedUnits).set({ confirmedAt: new Date() }).where(eq(placedUnits.issuer, issuer));
    expect((await recordLaunch(connection.db, launch)).offersWaiting).toBe(false);
  });

  it('records a launch outside any course without a context', async () => {
    const issuer = `https://lms-${randomUUID()}.example`;
    const recorded = await recordLaunch(connection.db, aLaunch({ issuer, contextId: null, contextTitle: null }));
    expect(recorded.offersWaiting).toBe(false);
    expect(await connection.db.select().from(ltiContexts).where(eq(ltiContexts.issuer, issuer))).toEqual([]);
    const [row] = await connection.db.select().from(launches).where(eq(launches.id, recorded.launchId));
    expect(row?.contextId).toBeNull();
  });

  it('reads an ltik’s registration, tokens and administrator grant in one answer, each as it stands at this request', async () => {
    const issuer = `https://lms-${randomUUID()}.example`;
    const user = `user-${randomUUID()}`;
    const subject = { issuer, clientId: 'client-1', deploymentId: 'deployment-1', contextId: 'course-1', user };
    expect(await readLaunchOfLtik(connection.db, subject)).toEqual({ registration: null, idToken: null, contextToken: null, attestAdministrator: false });

    await recordLaunch(connection.db, aLaunch({ issuer, userId: user }));
    const store = new LtijsStore(connection.db);
    await store.Replace(false, 'idtoken', { iss: issuer, clientId: 'client-1', deploymentId: 'deployment-1', user }, { iss: issuer, clientId: 'client-1', deploymentId: 'deployment-1', user, userInfo: { name: 'Sam' } });
    await store.Replace(false, 'contexttoken', { contextId: 'course-1', user }, { contextId: 'course-1', user, roles: ['Learner'] });
    // Another user's and another course's tokens are not this ltik's.
    await store.Replace(false, 'contexttoken', { contextId: 'course-2', user }, { contextId: 'course-2', user, roles: ['Instructor'] });

    const found = await readLaunchOfLtik(connection.db, subject);
    expect(found.registration).toEqual({ isActive: true, deploymentIds: ['deployment-1'] });
    expect(found.idToken).toMatchObject({ user, userInfo: { name: 'Sam' } });
    expect(found.idToken?.['createdAt']).toBeInstanceOf(Date);
    expect(found.contextToken).toMatchObject({ contextId: 'course-1', roles: ['Learner'] });
    expect(found.attestAdministrator).toBe(false);
    expect((await readLaunchOfLtik(connection.db, { ...subject, user: 'someone-else' })).idToken).toBeNull();

    await connection.db.insert(attestAdministrators).values({ issuer, userId: user, grantedBy: 'cli' });
    expect((await readLaunchOfLtik(connection.db, subject)).attestAdministrator).toBe(true);
    await connection.db.update(platformRegistrations).set({ isActive: false }).where(eq(platformRegistrations.issuer, issuer));
    expect((await readLaunchOfLtik(connection.db, subject)).registration).toEqual({ isActive: false, deploymentIds: ['deployment-1'] });
  });
});
