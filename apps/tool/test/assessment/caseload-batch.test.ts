import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { AssessorCaseloadSchema, AssessorPortfolioSchema, EvidenceItemSchema } from '@attest/contracts';
import type { User } from '@attest/platform-emulator';
import * as schema from '../../src/db/schema/index.ts';
import type { Database, DatabaseConnection } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { catalogueFromUnits } from '../../src/catalogue/catalogue-source.ts';
import { assessCourseLearners } from '../../src/portfolio/assess-course-learners.ts';
import { assessLearnerUnit } from '../../src/portfolio/assess-learner-unit.ts';
import type { AssessorScope } from '../../src/assessment/assessor-scope.ts';
import { getAssessorCaseload, getAssessorPortfolio } from '../../src/assessment/get-assessor-views.ts';
import { backends, openTestDatabase, startTestToolServer } from '../support/index.ts';
import { seedCourseCaseload } from '../support/seed-course-caseload.ts';
import { aDraft, aLearner, aRecord, assessmentCatalogue, coverUnitS, launch, readyForSignOff, S, seed001Unit, setUpLms, signOffBody, submittedItem, unitS, waitFor } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';

// The caseload reads the whole roster in a fixed number of queries and evaluates each learner with
// the same pure functions as a learner's own page (issue 9). These tests hold it to both: the
// batched answer equals the one-learner answer for every learner of a mixed course, and the number
// of SQL statements is the same for 20 learners as for 200.

const asOf = new Date().toISOString().slice(0, 10);

describe.each(backends)('the batched caseload on a mixed course on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  let learners: Record<'absent' | 'drafting' | 'awaiting' | 'covered' | 'signedOff' | 'reopened' | 'corrected' | 'otherCourse', User>;

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'moodle');
    // Everyone enrolled before the roster is first read (it is cached for 30 s).
    learners = {
      absent: aLearner(lms, 'Abe Absent'),
      drafting: aLearner(lms, 'Dora Drafting'),
      awaiting: aLearner(lms, 'Awa Awaiting'),
      covered: aLearner(lms, 'Cora Covered'),
      signedOff: aLearner(lms, 'Sid Signed'),
      reopened: aLearner(lms, 'Rita Reopened'),
      corrected: aLearner(lms, 'Cory Corrected'),
      otherCourse: aLearner(lms, 'Olly Other'),
    };
    lms.lms.enrol(lms.otherCourse.id, learners.otherCourse.id, 'learner');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
    const path = (learner: User) => `/api/assessor/learners/${encodeURIComponent(learner.id)}`;

    const drafter = await launch(tool, lms.lms, learners.drafting, lms.link);
    const draft = EvidenceItemSchema.parse((await drafter.post('/api/evidence', aDraft())).body);
    expect((await drafter.put(`/api/evidence/${draft.id}/mappings`, { baseVersion: draft.version, mappings: [S('1.1'), S('K1')] })).status).toBe(200);

    const waiting = await launch(tool, lms.lms, learners.awaiting, lms.link);
    await submittedItem(waiting, [S('1.1'), S('1.2')]);
    const referred = await submittedItem(waiting, [S('K1')], { title: 'What I know about first impressions' });
    const refer = await assessor.put(`/api/assessor/evidence/${referred}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('K1'), decision: 'referred', method: 'PE', feedback: 'Say why it matters.' }] });
    expect(refer.status, JSON.stringify(refer.body)).toBe(200);
    const plan = { plannedMethods: [{ method: 'Q', notes: 'K1 by oral questions' }], venue: 'Leeds store', dates: [{ date: '2026-12-01', time: null, activity: 'Questioning' }], evidenceRequirements: 'Say why first impressions matter.', feedbackArrangements: 'On the day.' };
    expect((await assessor.put(`${path(learners.awaiting)}/action-plan`, { baseVersion: 0, plan })).status).toBe(200);

    await coverUnitS(tool, lms, assessor, learners.covered);

    const signedVersion = await readyForSignOff(tool, lms, assessor, learners.signedOff);
    expect((await assessor.post(`${path(learners.signedOff)}/sign-off`, signOffBody(signedVersion))).status).toBe(201);

    const reopenedVersion = await readyForSignOff(tool, lms, assessor, learners.reopened);
    expect((await assessor.post(`${path(learners.reopened)}/sign-off`, signOffBody(reopenedVersion))).status).toBe(201);
    expect((await assessor.post(`${path(learners.reopened)}/reopen`, { reason: 'The photo shows another store.' })).status).toBe(201);

    await launch(tool, lms.lms, learners.corrected, lms.link);
    const first = await assessor.post(`${path(learners.corrected)}/records`, aRecord('witness-testimony', [S('1.1')]));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const correction = await assessor.post(`${path(learners.corrected)}/records`, aRecord('witness-testimony', [S('1.1')], { supersedes: (first.body as { id: string }).id }));
    expect(correction.status, JSON.stringify(correction.body)).toBe(201);
    expect((await assessor.post(`${path(learners.corrected)}/records`, aRecord('questioning', [S('K1')], { sign: false }))).status).toBe(201);

    // Evidence in another course of the same LMS must not leak into this course's caseload.
    const elsewhere = await launch(tool, lms.lms, learners.otherCourse, lms.otherLink);
    await submittedItem(elsewhere, [S('1.1')]);

    // The sign-offs and the reopening queued scores the worker is still sending: the grade each row
    // shows must not move between reading the caseload and reading a learner's page.
    const isPending = eq(schema.scorePassbacks.state, 'pending');
    await waitFor(async () => (await tool.db.select({ id: schema.scorePassbacks.id }).from(schema.scorePassbacks).where(isPending)).length === 0, 120_000, 'every queued score to be delivered');
  }, 300_000);
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  it('gives every learner exactly the assessment their own one-learner load gives', async () => {
    const course = { issuer: lms.lms.issuer, clientId: lms.registration.clientId, deploymentId: lms.registration.deploymentId, contextId: lms.course.id };
    const ids = Object.values(learners).map((l) => l.id);
    const batched = await assessCourseLearners(tool.db, unitS, course, ids, asOf);
    expect([...batched.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(batched.get(id), id).toEqual(await assessLearnerUnit(tool.db, unitS, { ...course, learnerUserId: id }, asOf));
    // The mix is what it claims to be, so the comparison above covers every kind of row.
    const of = (learner: User) => batched.get(learner.id);
    expect(of(learners.absent)?.evidence).toEqual([]);
    expect(of(learners.otherCourse)?.evidence).toEqual([]);
    expect(of(learners.drafting)?.evidence.map((e) => e.item.state)).toEqual(['draft']);
    expect(of(learners.awaiting)?.actionPlan).not.toBeNull();
    expect(of(learners.covered)?.report).not.toBeNull();
    expect([...(of(learners.signedOff)?.unitSignatures.keys() ?? [])].sort()).toEqual(['assessor', 'candidate']);
    expect(of(learners.reopened)?.withdrawnSignatures.map((row) => row.role).sort()).toEqual(['assessor', 'candidate']);
    expect(of(learners.corrected)?.records.map((r) => r.supersededBy !== null)).toEqual([true, false, false]);
  });

  it('shows on each caseload row what the assessor’s page for that learner shows', async () => {
    const caseload = AssessorCaseloadSchema.parse((await assessor.get('/api/assessor/caseload')).body);
    expect(caseload.learners.map((row) => row.userId).sort()).toEqual(Object.values(learners).map((l) => l.id).sort());
    for (const row of caseload.learners) {
      const page = AssessorPortfolioSchema.parse((await assessor.get(`/api/assessor/learners/${encodeURIComponent(row.userId)}/portfolio`)).body);
      expect({ unitState: row.unitState, nextStep: row.nextStep, signOff: row.signOff, grade: row.grade }, row.name ?? row.userId).toEqual({ unitState: page.verdict.state, nextStep: page.nextStep, signOff: page.signOff.stage, grade: page.signOff.grade });
      expect(row.awaiting.map((a) => a.itemId)).toEqual(page.items.filter((i) => i.state === 'submitted' && i.mappings.some((m) => m.unitId === 'unit-s' && m.decision === 'pending')).map((i) => i.id));
    }
    expect(caseload.learners.find((row) => row.userId === learners.signedOff.id)).toMatchObject({ signOff: 'completed', grade: { state: expect.stringMatching(/^(pending|sent)$/) } });
  });
});

/** A Drizzle instance over the same connection that counts every statement it sends. */
function countingDatabase(connection: DatabaseConnection): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => void statements.push(query) };
  const db = (connection.pool ? drizzleNodePg(connection.pool, { schema, logger }) : drizzlePglite(connection.pglite as NonNullable<DatabaseConnection['pglite']>, { schema, logger })) as unknown as Database;
  return { db, statements };
}

describe.each(backends)('the caseload’s SQL statements on %s', (backend) => {
  let connection: DatabaseConnection;
  const course = { issuer: 'https://moodle.example', clientId: 'client-1', deploymentId: 'deployment-1', contextId: 'course-1' };
  const roster = Array.from({ length: 200 }, (_, i) => ({ userId: `learner-${i + 1}`, name: `Learner ${String(i + 1).padStart(3, '0')}`, email: null, roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], status: null }));
  const assessor: AssessorScope = { ...course, unitId: seed001Unit.id, userId: 'assessor-1', userName: 'Ada Assessor', isAdministrator: false, lineItemUrl: 'https://moodle.example/lineitems/1', isCanvas: false };

  beforeAll(async () => {
    connection = await openTestDatabase(backend);
    const items = await seedCourseCaseload({ db: connection.db, catalogue: catalogueFromUnits([seed001Unit]) }, { course, unit: seed001Unit, learnerUserIds: roster.map((m) => m.userId), assessor: { userId: assessor.userId, userName: assessor.userName } });
    expect(items).toBe(480);
  }, 300_000);
  afterAll(async () => {
    await connection?.close();
  });

  it('runs the same small number of statements for 20 learners as for 200', async () => {
    const counted = async (size: number) => {
      const { db, statements } = countingDatabase(connection);
      const caseload = await getAssessorCaseload(db, seed001Unit, assessor, roster.slice(0, size), asOf);
      expect(caseload.learners).toHaveLength(size);
      return { statements, queue: caseload.queue.length };
    };
    const small = await counted(20);
    const large = await counted(200);
    expect(large.queue).toBeGreaterThan(small.queue);
    // launches, evidence (items with files, mappings and feedback), records, sign-offs, signatures, plans, reports, grades
    expect(large.statements.length).toBeLessThanOrEqual(8);
    expect(large.statements.length).toBe(small.statements.length);
  });

  it('reads one learner’s evidence once for the assessor’s portfolio page', async () => {
    const { db, statements } = countingDatabase(connection);
    // The second learner of the seeded roster has items (every fifth, the first included, has none).
    const learner = roster[1];
    if (!learner) throw new Error('no learner');
    const page = await getAssessorPortfolio(db, seed001Unit, assessor, learner, asOf);
    expect(page.items.length).toBeGreaterThan(0);
    // The items (with files, mappings and feedback) come from one statement; the judgement versions join them but read no item.
    expect(statements.filter((sql) => /from "evidence_items"/i.test(sql))).toHaveLength(1);
    // evidence, records, sign-offs, active and withdrawn signatures, plan, report, judgement versions, unit feedback, grade
    expect(statements.length).toBeLessThanOrEqual(10);
  });
});
