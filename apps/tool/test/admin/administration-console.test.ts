import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminConsoleSchema, AttestAdministratorSchema, ConsolePlatformSchema, SessionSchema } from '@attest/contracts';
import { ADMINISTRATION_AUDIT_CHAIN, grantAttestAdministrator } from '../../src/admin/attest-administrators.ts';
import { CLI_ACTOR, verifyAuditChains } from '../../src/audit/index.ts';
import { attestAdministrators, auditEntries, LtijsStore, platformRegistrations } from '../../src/db/index.ts';
import { createLtiAdapter } from '../../src/lti/create-lti-adapter.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { assessmentCatalogue, launch, setUpLms } from '../assessment/assessment-fixture.ts';
import type { Api, Course2 } from '../assessment/assessment-fixture.ts';

// The administration console (decision 21): an LMS's own administrator manages only the
// registration they launched from, and another's is "not found"; an Attest administrator manages
// every registration, including one registered but never activated, and activating it lets the
// next launch in with no restart. Every change is an audit entry; bad input changes nothing.

describe.each(backends)('the administration console on %s', (backend) => {
  let tool: ToolServer;
  let tenantA: Course2;
  let tenantB: Course2;
  let adminA: Api;
  let assessorA: Api;
  /** An instructor of tenant A, not an administrator in the LMS, whom the CLI's grant makes an Attest administrator. */
  let operator: Api;
  let operatorId: string;

  const registrationOf = async (lms: Course2) => {
    const [row] = await tool.db.select().from(platformRegistrations).where(and(eq(platformRegistrations.issuer, lms.lms.issuer), eq(platformRegistrations.clientId, lms.registration.clientId)));
    if (!row) throw new Error('registration missing');
    return row;
  };
  const entriesOf = (chain: { issuer: string; clientId: string }) =>
    tool.db.select().from(auditEntries).where(and(eq(auditEntries.issuer, chain.issuer), eq(auditEntries.clientId, chain.clientId))).orderBy(asc(auditEntries.sequence));

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    tenantA = await setUpLms(tool, 'moodle');
    tenantB = await setUpLms(tool, 'moodle');
    adminA = await launch(tool, tenantA.lms, tenantA.admin, tenantA.link);
    assessorA = await launch(tool, tenantA.lms, tenantA.assessor, tenantA.link);
    const operatorUser = tenantA.lms.createUser({ name: 'Olu Operator' });
    tenantA.lms.enrol(tenantA.course.id, operatorUser.id, 'instructor');
    operatorId = operatorUser.id;
    await grantAttestAdministrator(tool.db, { issuer: tenantA.lms.issuer, userId: operatorId, name: 'Olu Operator' }, { actor: CLI_ACTOR, grantedBy: 'cli' });
    operator = await launch(tool, tenantA.lms, operatorUser, tenantA.link);
  });
  afterAll(async () => {
    await tenantA?.lms.close();
    await tenantB?.lms.close();
    await tool?.close();
  });

  it('offers the console to an LMS administrator and refuses it (403) to an assessor, who changes nothing', async () => {
    expect(SessionSchema.parse((await adminA.get('/api/session')).body).canAdminister).toBe(true);
    expect(SessionSchema.parse((await assessorA.get('/api/session')).body).canAdminister).toBe(false);
    const own = await registrationOf(tenantA);
    expect((await assessorA.get('/api/admin/console')).status).toBe(403);
    expect((await assessorA.put(`/api/admin/platforms/${own.id}/active`, { isActive: false })).status).toBe(403);
    expect((await assessorA.put(`/api/admin/platforms/${own.id}/name`, { name: 'Taken over' })).status).toBe(403);
    expect(await registrationOf(tenantA)).toEqual(own);
  });

  it('shows an LMS administrator their own registration only, and answers another registration’s id with 404, changing nothing', async () => {
    const console = AdminConsoleSchema.parse((await adminA.get('/api/admin/console')).body);
    expect(console.administrator).toMatchObject({ kind: 'platform', issuer: tenantA.lms.issuer, userId: tenantA.admin.id });
    expect(console.platforms.map((p) => p.issuer)).toEqual([tenantA.lms.issuer]);
    expect(console.administrators).toBeNull();
    expect(console.quotas).toEqual({ evidenceBytesPerLearner: 500 * 1024 * 1024, evidenceItemsPerLearner: 200 });

    const other = await registrationOf(tenantB);
    const entriesBefore = (await entriesOf(other)).length;
    const attempts = [
      await adminA.put(`/api/admin/platforms/${other.id}/active`, { isActive: false }),
      await adminA.put(`/api/admin/platforms/${other.id}/name`, { name: 'Renamed by a stranger' }),
      await adminA.post(`/api/admin/platforms/${other.id}/deployments`, { deploymentId: 'smuggled' }),
    ];
    expect(attempts.map((reply) => [reply.status, (reply.body as { error: { code: string } }).error.code])).toEqual([
      [404, 'not_found'],
      [404, 'not_found'],
      [404, 'not_found'],
    ]);
    expect(await registrationOf(tenantB)).toEqual(other);
    expect(await entriesOf(other)).toHaveLength(entriesBefore);
    // Nor may an LMS administrator make Attest administrators.
    expect((await adminA.post('/api/admin/administrators', { issuer: tenantA.lms.issuer, userId: tenantA.assessor.id })).status).toBe(403);
    expect((await tool.db.select().from(attestAdministrators)).map((a) => a.userId)).toEqual([operatorId]);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const own = await registrationOf(tenantA);
    const entriesBefore = (await entriesOf(own)).length;
    const replies = [
      await adminA.put(`/api/admin/platforms/${own.id}/name`, { name: '   ' }),
      await adminA.put(`/api/admin/platforms/${own.id}/name`, { name: 'x'.repeat(201) }),
      await adminA.put(`/api/admin/platforms/${own.id}/name`, { name: 'Fine', extra: true }),
      await adminA.put(`/api/admin/platforms/${own.id}/active`, { isActive: 'yes' }),
      await adminA.put('/api/admin/platforms/not-a-uuid/active', { isActive: true }),
      await adminA.post(`/api/admin/platforms/${own.id}/deployments`, { deploymentId: '' }),
    ];
    for (const reply of replies) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect((reply.body as { error: { code: string; details: unknown[] } }).error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: expect.any(String) })] });
    }
    expect(await registrationOf(tenantA)).toEqual(own);
    expect(await entriesOf(own)).toHaveLength(entriesBefore);
  });

  it('lets an LMS administrator rename their own registration, approve a deployment of it and deactivate it, which stops its launches and ltiks at once, each an audit entry by the administrator', async () => {
    const own = await registrationOf(tenantA);
    const renamed = await adminA.put(`/api/admin/platforms/${own.id}/name`, { name: '  College Moodle  ' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(ConsolePlatformSchema.parse(renamed.body)).toMatchObject({ id: own.id, name: 'College Moodle', isActive: true });
    expect((await tool.lti.platforms.get(own.issuer, own.clientId)).name).toBe('College Moodle');

    const approved = await adminA.post(`/api/admin/platforms/${own.id}/deployments`, { deploymentId: 'category-2' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(201);
    expect(ConsolePlatformSchema.parse(approved.body).deploymentIds).toEqual([...own.deploymentIds, 'category-2']);

    const learner = tenantA.lms.createUser({ name: 'Lee Learner' });
    tenantA.lms.enrol(tenantA.course.id, learner.id, 'learner');
    expect((await adminA.put(`/api/admin/platforms/${own.id}/active`, { isActive: false })).body).toMatchObject({ isActive: false });
    // Deactivated: the next launch is refused at once, in this same process, with no restart.
    await expect(launch(tool, tenantA.lms, learner, tenantA.link)).rejects.toThrow(/without an ltik/);
    // Every ltik of the registration stops with it (each API call checks it), the administrator's
    // own included: turning it back on takes an Attest administrator from another LMS, or the CLI.
    expect((await adminA.get('/api/admin/console')).status).toBe(401);
    await tool.lti.platforms.setActive(own.issuer, own.clientId, true, CLI_ACTOR);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    expect((await learnerApi.get('/api/session')).status).toBe(200);

    const actions = (await entriesOf(own)).filter((entry) => entry.actorRole === 'administrator' && entry.actorType === 'user');
    expect(actions.map((entry) => [entry.action, entry.actorUserId])).toEqual([
      ['platform.renamed', tenantA.admin.id],
      ['platform.deployment-added', tenantA.admin.id],
      ['platform.deactivated', tenantA.admin.id],
    ]);
  });

  it('lets an Attest administrator activate a registration that is not active, after which its launches succeed without a restart', async () => {
    expect(SessionSchema.parse((await operator.get('/api/session')).body).canAdminister).toBe(true);

    const tenantC = await setUpLms(tool, 'moodle');
    try {
      await tool.lti.platforms.setActive(tenantC.lms.issuer, tenantC.registration.clientId, false);
      const learner = tenantC.lms.createUser({ name: 'Cal Learner' });
      tenantC.lms.enrol(tenantC.course.id, learner.id, 'learner');
      await expect(launch(tool, tenantC.lms, learner, tenantC.link)).rejects.toThrow(/without an ltik/);

      const console = AdminConsoleSchema.parse((await operator.get('/api/admin/console')).body);
      expect(console.administrator.kind).toBe('attest');
      expect(console.platforms.map((p) => [p.issuer, p.isActive])).toEqual([
        [tenantA.lms.issuer, true],
        [tenantB.lms.issuer, true],
        [tenantC.lms.issuer, false],
      ]);
      expect(console.administrators?.map((a) => a.userId)).toEqual([operatorId]);
      const waiting = console.platforms.find((p) => p.issuer === tenantC.lms.issuer);
      if (!waiting) throw new Error('tenant C is not listed');
      // A second server on the same database, as behind a load balancer: its registry reads the
      // table for every launch, so it refuses before the change and admits right after, no restart.
      const otherServer = await createLtiAdapter({ publicUrl: tool.url, encryptionKey: randomBytes(32).toString('hex'), uiPath: '/app/' }, { store: new LtijsStore(tool.db), db: tool.db });
      expect(await otherServer.platforms.refusalFor(waiting.issuer, waiting.clientId, tenantC.registration.deploymentId)).toBe('inactive_platform');
      const activated = await operator.put(`/api/admin/platforms/${waiting.id}/active`, { isActive: true });
      expect(await otherServer.platforms.refusalFor(waiting.issuer, waiting.clientId, tenantC.registration.deploymentId)).toBeNull();
      await otherServer.close();
      expect(activated.status, JSON.stringify(activated.body)).toBe(200);
      expect(ConsolePlatformSchema.parse(activated.body).isActive).toBe(true);

      const learnerApi = await launch(tool, tenantC.lms, learner, tenantC.link);
      expect(SessionSchema.parse((await learnerApi.get('/api/session')).body).user.id).toBe(learner.id);
      // Recorded in tenant C's chain, the operator named with the LMS their user id belongs to.
      const [last] = (await entriesOf(waiting)).slice(-1);
      expect(last).toMatchObject({ action: 'platform.activated', actorType: 'user', actorRole: 'administrator', actorUserId: `${tenantA.lms.issuer} ${operatorId}` });
    } finally {
      await tenantC.lms.close();
    }
  });

  it('lets an Attest administrator grant and revoke Attest administrators, refusing a duplicate, bad input and their own revocation', async () => {
    const person = { issuer: tenantB.lms.issuer, userId: tenantB.admin.id, name: 'Bea Operator' };
    const granted = await operator.post('/api/admin/administrators', person);
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    const administrator = AttestAdministratorSchema.parse(granted.body);
    expect(administrator).toMatchObject({ ...person, grantedBy: `${tenantA.lms.issuer} ${operatorId}` });
    expect((await operator.post('/api/admin/administrators', person)).status).toBe(409);
    for (const bad of [{ ...person, issuer: 'not a url' }, { ...person, userId: '' }, { issuer: person.issuer }, { ...person, role: 'root' }]) {
      expect((await operator.post('/api/admin/administrators', bad)).status).toBe(400);
    }
    expect(await tool.db.select().from(attestAdministrators)).toHaveLength(2);

    const [self] = await tool.db.select().from(attestAdministrators).where(eq(attestAdministrators.userId, operatorId));
    const ownRevocation = await operator.delete(`/api/admin/administrators/${self?.id}`);
    expect(ownRevocation.status).toBe(422);
    expect((await operator.delete('/api/admin/administrators/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // The new administrator's launch opens the console; once revoked, their next call is refused.
    const bea = await launch(tool, tenantB.lms, tenantB.admin, tenantB.link);
    expect(AdminConsoleSchema.parse((await bea.get('/api/admin/console')).body).administrator.kind).toBe('attest');
    const revoked = await operator.delete(`/api/admin/administrators/${administrator.id}`);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(await tool.db.select().from(attestAdministrators)).toHaveLength(1);
    // Still an administrator of their own LMS, so back to that LMS's registration only.
    const after = AdminConsoleSchema.parse((await bea.get('/api/admin/console')).body);
    expect([after.administrator.kind, after.platforms.map((p) => p.issuer), after.administrators]).toEqual(['platform', [tenantB.lms.issuer], null]);

    const chain = await entriesOf(ADMINISTRATION_AUDIT_CHAIN);
    expect(chain.map((entry) => [entry.action, entry.actorType, entry.subjectLabel])).toEqual([
      ['administrator.granted', 'cli', 'Olu Operator'],
      ['administrator.granted', 'user', 'Bea Operator'],
      ['administrator.revoked', 'user', 'Bea Operator'],
    ]);
    expect((await verifyAuditChains(tool.db)).every((report) => report.broken === null)).toBe(true);
  });
});
