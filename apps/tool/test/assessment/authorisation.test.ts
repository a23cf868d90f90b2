import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssessorCaseloadSchema, AssessorEvidenceItemSchema, CANDIDATE_UNIT_DECLARATION, JudgementConflictDetailsSchema } from '@attest/contracts';
import { evidenceMappings } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { aLearner, apiAs, aRecord, assessmentCatalogue, competentReport, launch, S, setUpLms, signOffBody, submittedItem } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';
import { pdfBytes, pngBytes } from '../evidence/portfolio-fixture.ts';

// Who may reach what: learners never reach assessor routes, an assessor acts only in the course
// they launched from, tenants never see each other, and two assessors judging one item at once
// cannot overwrite each other.

describe.each(backends)('assessor authorisation and conflicts on %s', (backend) => {
  let tool: ToolServer;
  let tenantA: Course2;
  let tenantB: Course2;
  let assessorA: Api;

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    tenantA = await setUpLms(tool, 'moodle');
    tenantB = await setUpLms(tool, 'moodle');
    assessorA = await launch(tool, tenantA.lms, tenantA.assessor, tenantA.link);
  });
  afterAll(async () => {
    await tenantA?.lms.close();
    await tenantB?.lms.close();
    await tool?.close();
  });

  it('refuses a learner every assessor route with 403, and an unauthenticated caller with 401', async () => {
    const learner = aLearner(tenantA);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    const itemId = await submittedItem(learnerApi, [S('1.1')]);
    const path = `/api/assessor/learners/${learner.id}`;
    const calls = [
      learnerApi.get('/api/assessor/caseload'),
      learnerApi.get('/api/assessor/me'),
      learnerApi.get(`${path}/portfolio`),
      learnerApi.get(`${path}/grade-status`),
      learnerApi.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] }),
      learnerApi.post(`${path}/records`, aRecord('observation', [S('1.2')])),
      learnerApi.put(`${path}/report`, { baseVersion: 0, report: competentReport }),
      learnerApi.post(`${path}/sign-off`, signOffBody(1)),
      learnerApi.put('/api/assessor/me/qualification', { qualification: 'qualified' }),
    ];
    for (const reply of await Promise.all(calls)) expect(reply.status).toBe(403);
    const anonymous = apiAs(tool.url, null);
    expect((await anonymous.get('/api/assessor/caseload')).status).toBe(401);
    // And the other way: an assessor is not a candidate and cannot sign a candidate's declaration.
    expect((await assessorA.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION })).status).toBe(403);
    // Nothing the learner tried was stored.
    expect((await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId)))[0]?.decision).toBe('pending');
  });

  it('lists the learners who have launched, and says the roster is not shared, where Moodle offers the tool no roster service', async () => {
    // A tool configured by hand in Moodle has "IMS LTI Names and Role Provisioning" off until the
    // administrator turns it on (memberships.php get_configuration_options, default 0): grades only.
    const moodle = await setUpLms(tool, 'moodle', { scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/lineitem', 'https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly'] });
    try {
      const launched = aLearner(moodle, 'Lee Launched');
      aLearner(moodle, 'Kim Not-yet-launched');
      await launch(tool, moodle.lms, launched, moodle.link);
      const assessor = await launch(tool, moodle.lms, moodle.assessor, moodle.link);
      moodle.lms.clearRequestLog();

      const reply = await assessor.get('/api/assessor/caseload');
      expect(reply.status).toBe(200);
      const caseload = AssessorCaseloadSchema.parse(reply.body);
      expect(caseload.rosterIsShared).toBe(false);
      expect(caseload.learners.map((learner) => learner.name)).toEqual(['Lee Launched']);
      expect((await assessor.get(`/api/assessor/learners/${launched.id}/portfolio`)).status).toBe(200);
      expect(moodle.lms.getRequestLog().filter((entry) => entry.area === 'nrps')).toEqual([]);
    } finally {
      await moodle.lms.close();
    }
  });

  it('lists a non-editing teacher, whom Moodle’s roster calls a Learner, as an assessor once they have launched as one', async () => {
    // A course of its own, so the roster cache holds nothing from the other tests.
    const moodle = await setUpLms(tool, 'moodle');
    try {
      const learner = aLearner(moodle, 'Lee Learner');
      const nina = moodle.lms.createUser({ name: 'Nina Non-editing' });
      const tom = moodle.lms.createUser({ name: 'Tom Not-yet-launched' });
      for (const teacher of [nina, tom]) moodle.lms.enrol(moodle.course.id, teacher.id, 'teachingAssistant');
      // Nina opens the activity: her launch says Instructor, and she gets the assessor's caseload.
      const ninaApi = await launch(tool, moodle.lms, nina, moodle.link);
      expect((await ninaApi.get('/api/assessor/caseload')).status).toBe(200);

      const assessor = await launch(tool, moodle.lms, moodle.assessor, moodle.link);
      const caseload = AssessorCaseloadSchema.parse((await assessor.get('/api/assessor/caseload')).body);
      // Her latest launch decides; Tom has not launched, so Moodle's roster decides for him (Learner).
      expect(caseload.learners.map((row) => row.name).sort()).toEqual(['Lee Learner', 'Tom Not-yet-launched']);
      expect((await assessor.get(`/api/assessor/learners/${nina.id}/portfolio`)).status).toBe(404);
      expect((await assessor.get(`/api/assessor/learners/${learner.id}/portfolio`)).status).toBe(200);
    } finally {
      await moodle.lms.close();
    }
  });

  it('answers 404 to an assessor of another course, and to another tenant, for learners and items that are not theirs', async () => {
    const learner = aLearner(tenantA);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    const itemId = await submittedItem(learnerApi, [S('1.1')]);
    const judgement = { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] };

    const otherCourse = await launch(tool, tenantA.lms, tenantA.otherCourseAssessor, tenantA.otherLink);
    const otherTenant = await launch(tool, tenantB.lms, tenantB.assessor, tenantB.link);
    for (const outsider of [otherCourse, otherTenant]) {
      expect((await outsider.get(`/api/assessor/learners/${learner.id}/portfolio`)).status).toBe(404);
      expect((await outsider.get(`/api/assessor/learners/${learner.id}/grade-status`)).status).toBe(404);
      expect((await outsider.post(`/api/assessor/learners/${learner.id}/records`, aRecord('observation', [S('1.2')]))).status).toBe(404);
      expect((await outsider.put(`/api/assessor/evidence/${itemId}/judgement`, judgement)).status).toBe(404);
      const caseload = AssessorCaseloadSchema.parse((await outsider.get('/api/assessor/caseload')).body);
      expect(caseload.queue.map((a) => a.itemId)).not.toContain(itemId);
    }
    // Garbage ids are 404s too, never database errors.
    expect((await assessorA.put('/api/assessor/evidence/not-a-uuid/judgement', judgement)).status).toBe(404);
    expect((await assessorA.put(`/api/assessor/learners/${learner.id}/records/not-a-uuid`, { baseVersion: 1, content: aRecord('observation', []).content, targets: [S('1.1')] })).status).toBe(404);
    // The course's own assessor can.
    expect((await assessorA.put(`/api/assessor/evidence/${itemId}/judgement`, judgement)).status).toBe(200);
  });

  it('shows the course’s assessor a learner’s picture and PDF inline, and no one else sees either', async () => {
    const learner = aLearner(tenantA);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    const item = (await learnerApi.post('/api/evidence', { title: 'Photo of the display', description: '', evidenceType: 'photo', activityDate: '2026-11-01', customerRef: null, occasionRef: null, workSetting: 'real-job' })).body;
    const bytes = pngBytes();
    const uploaded = await learnerApi.upload(item.id, { name: 'display.png', type: 'image/png', bytes });
    const fileId = uploaded.body.files[0].id as string;
    const path = `/api/assessor/evidence/${item.id}/files/${fileId}`;
    const seen = await assessorA.get(path);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/png');
    expect(seen.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''display.png");
    expect(seen.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(seen.body as ArrayBuffer).equals(bytes)).toBe(true);
    const doc = (await learnerApi.post('/api/evidence', { title: 'Letter', description: '', evidenceType: 'document', activityDate: '2026-11-01', customerRef: null, occasionRef: null, workSetting: 'real-job' })).body;
    const letter = await learnerApi.upload(doc.id, { name: 'letter.pdf', type: 'application/pdf', bytes: pdfBytes() });
    const pdf = await assessorA.get(`/api/assessor/evidence/${doc.id}/files/${letter.body.files[0].id}`);
    expect(pdf.headers.get('content-disposition')).toMatch(/^inline/);
    expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'");

    expect((await learnerApi.get(path)).status).toBe(403);
    expect((await (await launch(tool, tenantA.lms, tenantA.otherCourseAssessor, tenantA.otherLink)).get(path)).status).toBe(404);
    expect((await (await launch(tool, tenantB.lms, tenantB.assessor, tenantB.link)).get(path)).status).toBe(404);
    expect((await assessorA.get(`/api/assessor/evidence/${item.id}/files/${letter.body.files[0].id}`)).status).toBe(404);
  });

  it('lets only one of two assessors judging the same item at once win; the other gets a conflict with the winner’s decisions', async () => {
    const learner = aLearner(tenantA);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    const itemId = await submittedItem(learnerApi, [S('1.1'), S('1.2')]);
    const second = await launch(tool, tenantA.lms, tenantA.secondAssessor, tenantA.link);
    const accept = { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: 'Clear account.' }] };
    const refer = { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'referred', method: 'PE', feedback: 'Say who the customer was.' }] };

    const [a, b] = await Promise.all([assessorA.put(`/api/assessor/evidence/${itemId}/judgement`, accept), second.put(`/api/assessor/evidence/${itemId}/judgement`, refer)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const won = AssessorEvidenceItemSchema.parse(winner.body);
    expect(won.judgementVersion).toBe(1);
    const conflict = JudgementConflictDetailsSchema.parse(loser.body.error.details);
    expect(conflict.current.mappings.find((m) => m.ref === '1.1')).toEqual(won.mappings.find((m) => m.ref === '1.1'));
    const [stored] = await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId)).then((rows) => rows.filter((r) => r.ref === '1.1'));
    expect(stored?.decision).toBe(won.mappings.find((m) => m.ref === '1.1')?.decision);

    // Judging again from the version the conflict showed works, and leaves 1.2 alone.
    const again = await (a.status === 200 ? second : assessorA).put(`/api/assessor/evidence/${itemId}/judgement`, { ...refer, baseVersion: conflict.current.judgementVersion });
    expect(again.status).toBe(200);
    expect(AssessorEvidenceItemSchema.parse(again.body).mappings.map((m) => [m.ref, m.decision])).toEqual([
      ['1.1', 'referred'],
      ['1.2', 'pending'],
    ]);
    // The learner's own next save is not a conflict: the judgement has its own version.
    const learnerItem = (await learnerApi.get(`/api/evidence/${itemId}`)).body;
    expect((await learnerApi.put(`/api/evidence/${itemId}`, { baseVersion: learnerItem.version, draft: { title: learnerItem.title, description: 'Added who the customer was.', evidenceType: learnerItem.evidenceType, activityDate: learnerItem.activityDate, customerRef: learnerItem.customerRef, occasionRef: learnerItem.occasionRef, workSetting: learnerItem.workSetting } })).status).toBe(200);
  });

  it('refuses judging a draft, a mapping the learner never made, and a referral without feedback', async () => {
    const learner = aLearner(tenantA);
    const learnerApi = await launch(tool, tenantA.lms, learner, tenantA.link);
    const draft = (await learnerApi.post('/api/evidence', { title: 'Draft', description: '', evidenceType: 'photo', activityDate: '2026-11-01', customerRef: null, occasionRef: null, workSetting: 'real-job' })).body;
    const accept = (ref: string, itemVersion = 3) => ({ baseVersion: 0, itemVersion, mappings: [{ ...S(ref), decision: 'accepted', method: 'PE', feedback: null }] });
    expect((await assessorA.put(`/api/assessor/evidence/${draft.id}/judgement`, accept('1.1', draft.version))).status).toBe(422);
    const itemId = await submittedItem(learnerApi, [S('1.1')]);
    expect((await assessorA.put(`/api/assessor/evidence/${itemId}/judgement`, accept('1.2'))).status).toBe(400);
    const bare = await assessorA.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'referred', method: 'PE', feedback: null }] });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details).toContainEqual({ path: 'mappings.0.feedback', code: 'custom' });
    expect((await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId)))[0]).toMatchObject({ decision: 'pending', decidedBy: null });
  });
});
