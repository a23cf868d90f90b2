import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATE_UNIT_DECLARATION, AUTHENTICITY_DECLARATION, EvidenceItemSchema, LearnerHistorySchema } from '@attest/contracts';
import type { AuditAction } from '@attest/contracts';
import { CLI_ACTOR } from '../../src/audit/index.ts';
import { runAuditCli } from '../../src/cli/audit.ts';
import { auditEntries } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { aDraft, aLearner, aRecord, assessmentCatalogue, competentReport, countersignBody, launch, readyForSignOff, setUpLms, signOffBody, submittedItem, S, waitFor } from '../assessment/assessment-fixture.ts';
import type { Course2 } from '../assessment/assessment-fixture.ts';
import { pdfBytes } from '../evidence/portfolio-fixture.ts';
import { backends, startTestToolServer } from '../support/index.ts';

// The audit trail over a realistic flow through the real server and an emulated Moodle: the learner
// creates, edits, uploads, maps and submits; the assessor judges, records, plans, reports and signs;
// the unit is declared, signed off by a trainee and countersigned; the score reaches the gradebook.
// Each act must appear once, in order, with the right actor and subject; the chain stays intact.

type Expected = readonly [action: AuditAction, actor: 'learner' | 'assessor' | 'trainee' | 'worker', subjectType: string];

describe.each(backends)('the audit trail of a unit’s life on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  beforeAll(async () => {
    // One retry, so a refused score is recorded as failed within seconds.
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue(), jobs: { retryLimit: 1 } });
    lms = await setUpLms(tool, 'moodle');
  });
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  const entriesOf = (learnerUserId: string) =>
    tool.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.issuer, lms.lms.issuer), eq(auditEntries.clientId, lms.registration.clientId), eq(auditEntries.learnerUserId, learnerUserId)))
      .orderBy(asc(auditEntries.sequence));

  it('records every act on the learner’s unit with who did it and to what, and the history route tells it in order', async () => {
    const learner = aLearner(lms, 'Priya Patel');
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const trainee = lms.secondAssessor;
    const traineeApi = await launch(tool, lms.lms, trainee, lms.link);
    const assessorApi = await launch(tool, lms.lms, lms.assessor, lms.link);
    const userPath = `/api/assessor/learners/${encodeURIComponent(learner.id)}`;

    // The learner's side.
    const created = await learnerApi.post('/api/evidence', aDraft({ title: 'Returns desk log' }));
    expect(created.status).toBe(201);
    let item = EvidenceItemSchema.parse(created.body);
    const saved = await learnerApi.put(`/api/evidence/${item.id}`, { baseVersion: item.version, draft: aDraft({ title: 'Returns desk log', description: 'Saturday, with the refund.' }) });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    item = EvidenceItemSchema.parse(saved.body);
    for (const name of ['log.pdf', 'spare.pdf']) expect((await learnerApi.upload(item.id, { name, type: 'application/pdf', bytes: pdfBytes(name) })).status).toBe(201);
    item = EvidenceItemSchema.parse((await learnerApi.get(`/api/evidence/${item.id}`)).body);
    const spare = item.files.find((f) => f.name === 'spare.pdf');
    expect((await learnerApi.delete(`/api/evidence/${item.id}/files/${spare?.id}`)).status).toBe(200);
    const mapped = await learnerApi.put(`/api/evidence/${item.id}/mappings`, { baseVersion: item.version, mappings: [S('1.1')] });
    expect(mapped.status, JSON.stringify(mapped.body)).toBe(200);
    expect((await learnerApi.post(`/api/evidence/${item.id}/submit`, { baseVersion: item.version + 1, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);

    // The assessor's side; the trainee declares themselves not yet qualified, so their sign-off needs a countersignature.
    expect((await assessorApi.put(`/api/assessor/evidence/${item.id}/judgement`, { baseVersion: 0, itemVersion: item.version + 2, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: 'Clear log.' }] })).status).toBe(200);
    expect((await assessorApi.post(`${userPath}/feedback`, { itemId: item.id, text: 'Good, specific log.', actionPlan: null })).status).toBe(201);
    expect((await assessorApi.post(`${userPath}/records`, aRecord('observation', [S('1.2')]))).status).toBe(201);
    const draftRecord = await assessorApi.post(`${userPath}/records`, aRecord('questioning', [S('K1')], { sign: false }));
    expect(draftRecord.status).toBe(201);
    const recordId = (draftRecord.body as { id: string }).id;
    const edited = await assessorApi.put(`${userPath}/records/${recordId}`, { baseVersion: 1, content: aRecord('questioning', []).content, targets: [S('K1')] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await assessorApi.post(`${userPath}/records/${recordId}/sign`, { baseVersion: 2 })).status).toBe(200);
    expect((await assessorApi.put(`${userPath}/action-plan`, { baseVersion: 0, plan: { plannedMethods: [{ method: 'O', notes: 'PC 1.2 on the returns desk.' }], venue: 'Leeds store', dates: [], evidenceRequirements: 'The log.', feedbackArrangements: 'After the observation.' } })).status).toBe(200);
    const report = await assessorApi.put(`${userPath}/report`, { baseVersion: 0, report: competentReport });
    expect(report.status).toBe(200);
    expect((await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION })).status).toBe(201);
    expect((await traineeApi.put('/api/assessor/me/qualification', { qualification: 'not-yet-qualified' })).status).toBe(200);
    expect((await traineeApi.post(`${userPath}/sign-off`, signOffBody((report.body as { version: number }).version))).status).toBe(201);
    expect((await assessorApi.post(`${userPath}/countersign`, countersignBody)).status).toBe(201);
    await waitFor(async () => (await entriesOf(learner.id)).some((e) => e.action === 'score.sent'), 20_000, 'the score’s delivery');

    const actors = { learner: [learner.id, 'learner'], assessor: [lms.assessor.id, 'assessor'], trainee: [trainee.id, 'assessor'], worker: [null, 'score-worker'] } as const;
    const expected: Expected[] = [
      ['evidence.created', 'learner', 'evidence'],
      ['evidence.saved', 'learner', 'evidence'],
      ['evidence.file-added', 'learner', 'evidence-file'],
      ['evidence.file-added', 'learner', 'evidence-file'],
      ['evidence.file-removed', 'learner', 'evidence-file'],
      ['evidence.mappings-changed', 'learner', 'evidence'],
      ['evidence.submitted', 'learner', 'evidence'],
      ['evidence.judged', 'assessor', 'evidence'],
      ['feedback.added', 'assessor', 'feedback'],
      ['record.created', 'assessor', 'assessor-record'],
      ['record.signed', 'assessor', 'assessor-record'],
      ['record.created', 'assessor', 'assessor-record'],
      ['record.saved', 'assessor', 'assessor-record'],
      ['record.signed', 'assessor', 'assessor-record'],
      ['action-plan.saved', 'assessor', 'action-plan'],
      ['report.saved', 'assessor', 'report'],
      ['unit.declared', 'learner', 'unit'],
      ['unit.signed-off', 'trainee', 'unit'],
      ['unit.countersigned', 'assessor', 'unit'],
      ['score.queued', 'assessor', 'score'],
      ['score.sent', 'worker', 'score'],
    ];
    const entries = await entriesOf(learner.id);
    expect(entries.map((e) => [e.action, e.actorUserId, e.actorRole, e.subjectType])).toEqual(expected.map(([action, actor, subject]) => [action, ...actors[actor], subject]));
    // Every entry of the learner's unit names the course; evidence entries name the item, the rest the unit too.
    expect(entries.every((e) => e.contextId === lms.course.id && e.deploymentId !== null)).toBe(true);
    expect(entries.filter((e) => e.subjectType === 'evidence').every((e) => e.subjectId === item.id && e.subjectLabel === 'Returns desk log')).toBe(true);
    expect(entries.filter((e) => ['unit', 'score', 'report', 'assessor-record'].includes(e.subjectType)).every((e) => e.unitId === 'unit-s')).toBe(true);

    const history = await assessorApi.get(`${userPath}/history`);
    expect(history.status).toBe(200);
    const parsed = LearnerHistorySchema.parse(history.body);
    expect(parsed.entries.map((e) => e.action)).toEqual(expected.map(([action]) => action));
    expect(parsed.entries[6]).toMatchObject({ action: 'evidence.submitted', actor: { name: 'Priya Patel', role: 'learner' }, subject: { type: 'evidence', label: 'Returns desk log' } });
    expect(parsed.entries[7]).toMatchObject({ action: 'evidence.judged', actor: { name: 'Ada Assessor', role: 'assessor' } });

    const qualification = (await tool.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'assessor.qualification-changed'), eq(auditEntries.subjectId, trainee.id))))[0];
    expect(qualification).toMatchObject({ actorUserId: trainee.id, subjectType: 'assessor', contextId: lms.course.id });
  });

  it('records a submitted item the learner edits as reopened, and a score the LMS refuses as failed, by the worker', async () => {
    const learner = aLearner(lms);
    const assessorApi = await launch(tool, lms.lms, lms.assessor, lms.link);
    const reportVersion = await readyForSignOff(tool, lms, assessorApi, learner);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const itemId = await submittedItem(learnerApi, [S('1.1')], { title: 'Till receipt' });
    const item = EvidenceItemSchema.parse((await learnerApi.get(`/api/evidence/${itemId}`)).body);
    expect((await learnerApi.put(`/api/evidence/${itemId}`, { baseVersion: item.version, draft: aDraft({ title: 'Till receipt, corrected' }) })).status).toBe(200);
    lms.lms.injectScoreFailures({ count: 1_000, status: 503 });
    expect((await assessorApi.post(`/api/assessor/learners/${encodeURIComponent(learner.id)}/sign-off`, signOffBody(reportVersion))).status).toBe(201);
    await waitFor(async () => (await entriesOf(learner.id)).some((e) => e.action === 'score.failed'), 20_000, 'the refused delivery');
    lms.lms.injectScoreFailures({ count: 0, status: 503 });
    const entries = await entriesOf(learner.id);
    expect(entries.find((e) => e.action === 'evidence.reopened')).toMatchObject({ actorUserId: learner.id, subjectId: itemId, subjectLabel: 'Till receipt, corrected' });
    expect(entries.find((e) => e.action === 'score.failed')).toMatchObject({ actorType: 'system', actorRole: 'score-worker', subjectType: 'score', unitId: 'unit-s', contextId: lms.course.id });
    expect(entries.some((e) => e.action === 'score.sent')).toBe(false);
  });

  it('keeps the learner’s history to the assessor’s course: another course’s assessor gets 404 for this learner', async () => {
    const learner = aLearner(lms);
    const outsider = await launch(tool, lms.lms, lms.otherCourseAssessor, lms.otherLink);
    expect((await outsider.get(`/api/assessor/learners/${encodeURIComponent(learner.id)}/history`)).status).toBe(404);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    expect((await learnerApi.get(`/api/assessor/learners/${encodeURIComponent(learner.id)}/history`)).status).toBe(403);
  });

  it('records the platform’s registration by the tool and its (de)activation at the command line', async () => {
    const { issuer } = lms.lms;
    const { clientId } = lms.registration;
    await tool.lti.platforms.setActive(issuer, clientId, false, CLI_ACTOR);
    await tool.lti.platforms.setActive(issuer, clientId, true, CLI_ACTOR);
    const platformEntries = await tool.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.issuer, issuer), eq(auditEntries.clientId, clientId), eq(auditEntries.subjectType, 'platform')))
      .orderBy(asc(auditEntries.sequence));
    expect(platformEntries.map((e) => [e.action, e.actorType, e.deploymentId])).toEqual([
      ['platform.registered', 'system', null],
      ['platform.deactivated', 'cli', null],
      ['platform.activated', 'cli', null],
    ]);
    expect(platformEntries[0]?.sequence).toBe(1);
  });

  it('leaves every chain intact after all of it', async () => {
    const lines: string[] = [];
    expect(await runAuditCli(['verify'], { db: tool.db, out: (line) => lines.push(line) })).toBe(0);
    expect(lines.at(-1)).toMatch(/^Total: \d+ entries in 1 tenants, chain intact$/);
  });
});
