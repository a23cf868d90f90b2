import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssessorCaseloadSchema, AssessorPortfolioSchema, AssessorRecordSchema, LearnerAssessmentSchema, PortfolioSchema, SignOffStateSchema } from '@attest/contracts';
import type { RecordContent } from '@attest/contracts';
import { assessorRecords, evidenceFiles, unitSignatures } from '../../src/db/index.ts';
import { digestOf, seedAssessorWork } from '../../src/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { pngBytes } from '../evidence/portfolio-fixture.ts';
import { aLearner, aRecord, assessmentCatalogue, competentReport, countersignBody, launch, readyForSignOff, recordExamples, S, setUpLms, signOffBody, submittedItem, waitFor } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';

/** A complete, tiny PCM WAV file: RIFF header, fmt chunk, a few samples. */
function wavBytes(): Buffer {
  const samples = Buffer.from([0, 0, 16, 0, 32, 0, 16, 0]);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(8000, 4);
  fmt.writeUInt32LE(16000, 8);
  fmt.writeUInt16LE(2, 12);
  fmt.writeUInt16LE(16, 14);
  const chunk = (id: string, body: Buffer) => {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length);
    return Buffer.concat([Buffer.from(id, 'latin1'), size, body]);
  };
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', samples)]);
  return chunk('RIFF', body);
}

// The assessor's work over real HTTP, launched from an emulated Moodle: the caseload, every record
// kind, signatures and corrections, judging with conflicts, the sign-off gate with the engine's
// reasons, the countersignature rule, and the completion arriving in the gradebook.

describe.each(backends)('the assessor on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'moodle');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
  });
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  const learnerPath = (userId: string) => `/api/assessor/learners/${encodeURIComponent(userId)}`;

  it('lists every learner on the roster, launched or not, with progress and the items awaiting assessment oldest first', async () => {
    const active = aLearner(lms, 'Aaron Active');
    const absent = aLearner(lms, 'Abe Absent');
    const learnerApi = await launch(tool, lms.lms, active, lms.link);
    const first = await submittedItem(learnerApi, [S('1.1')], { title: 'First' });
    const second = await submittedItem(learnerApi, [S('1.2'), S('K1')], { title: 'Second' });

    const reply = await assessor.get('/api/assessor/caseload');
    expect(reply.status).toBe(200);
    const caseload = AssessorCaseloadSchema.parse(reply.body);
    expect(caseload.unitId).toBe('unit-s');
    const activeRow = caseload.learners.find((l) => l.userId === active.id);
    const absentRow = caseload.learners.find((l) => l.userId === absent.id);
    expect(absentRow).toMatchObject({ hasLaunched: false, progress: { met: 0, assessed: 0, total: 3 }, lastEvidenceAt: null, awaiting: [], signOff: 'none', grade: { state: 'none' } });
    expect(activeRow).toMatchObject({ hasLaunched: true, progress: { met: 0, assessed: 0, total: 3 } });
    expect(activeRow?.awaiting.map((a) => [a.itemId, a.pendingMappings])).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(activeRow?.lastEvidenceAt).not.toBeNull();
    // Instructors are not learners: only learners are on the caseload.
    expect(caseload.learners.map((l) => l.userId)).not.toContain(lms.assessor.id);
    const queueIds = caseload.queue.map((a) => a.itemId);
    expect(queueIds.indexOf(first)).toBeLessThan(queueIds.indexOf(second));
  });

  it('records every Appendix 2 form, signed, and reads each back exactly as it was signed', async () => {
    const learner = aLearner(lms);
    await launch(tool, lms.lms, learner, lms.link);
    const kinds = Object.keys(recordExamples) as RecordContent['kind'][];
    const methods: Record<string, string> = { observation: 'O', questioning: 'Q', 'professional-discussion': 'PD', 'witness-testimony': 'WT', 'expert-witness': 'WT', 'prior-achievement': 'APA' };
    for (const kind of kinds) {
      const made = await assessor.post(`${learnerPath(learner.id)}/records`, aRecord(kind, [S('1.1'), S('K1')]));
      expect(made.status, `${kind}: ${JSON.stringify(made.body)}`).toBe(201);
      const record = AssessorRecordSchema.parse(made.body);
      expect(record).toMatchObject({ kind, method: methods[kind], content: recordExamples[kind], authorUserId: lms.assessor.id, authorName: 'Ada Assessor', supersedes: null, supersededBy: null });
      expect(record.signature).toMatchObject({ role: 'assessor', issuer: lms.lms.issuer, userId: lms.assessor.id, name: 'Ada Assessor' });
      // The digest is the SHA-256 of exactly what was signed, which names the content and the targets.
      expect(record.signature?.digest).toBe(digestOf(record.signature?.signedContent));
      expect(record.signature?.signedContent).toMatchObject({ recordId: record.id, content: recordExamples[kind], targets: [S('1.1'), S('K1')] });
    }
    const portfolio = AssessorPortfolioSchema.parse((await assessor.get(`${learnerPath(learner.id)}/portfolio`)).body);
    expect(portfolio.records.map((r) => r.kind)).toEqual(kinds);
    // The witness status list is derived from the testimony, with the seeds' wording of each status.
    expect(portfolio.witnesses.map((w) => [w.name, w.status, w.statusText, w.isExpertWitness, w.unitsWitnessed])).toEqual([
      ['Wendy Witness', 3, 'Occupational expert familiar with standards', false, ['unit-s']],
      ['Eve Expert', 1, 'Occupational expert and A1, A2 / V1, V2 Assessor', true, ['unit-s']],
    ]);
    // Observation is the method PC 1.2's rule wants; here it covers 1.1, and questioning covers K1.
    expect(portfolio.verdict.statements.find((s) => s.key === '1.1')?.status).toBe('met');
    expect(portfolio.verdict.statements.find((s) => s.key === 'K1')?.status).toBe('met');

    // The learner sees the same records and the verdict they produce.
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const seen = LearnerAssessmentSchema.parse((await learnerApi.get('/api/learner/assessment')).body);
    expect(seen.records.map((r) => r.id)).toEqual(portfolio.records.map((r) => r.id));
    const learnerPortfolio = PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body);
    expect(learnerPortfolio.verdict.statements.find((s) => s.key === '1.1')?.status).toBe('met');
  });

  it('refuses an expert witness without the eligibility the seeds require, and a witness status outside 1–5', async () => {
    const learner = aLearner(lms);
    const expert = recordExamples['expert-witness'] as Extract<RecordContent, { kind: 'expert-witness' }>;
    const noCpd = await assessor.post(`${learnerPath(learner.id)}/records`, aRecord('expert-witness', [S('1.1')], { content: { ...expert, eligibility: { ...expert.eligibility, cpd: false as true } } }));
    expect(noCpd.status).toBe(400);
    expect(noCpd.body.error.details).toContainEqual({ path: 'content.eligibility.cpd', code: 'invalid_value' });
    const witness = recordExamples['witness-testimony'] as Extract<RecordContent, { kind: 'witness-testimony' }>;
    const badStatus = await assessor.post(`${learnerPath(learner.id)}/records`, aRecord('witness-testimony', [S('1.1')], { content: { ...witness, witness: { ...witness.witness, status: 6 as 5 } } }));
    expect(badStatus.status).toBe(400);
    const unknownRef = await assessor.post(`${learnerPath(learner.id)}/records`, aRecord('observation', [S('9.9')]));
    expect(unknownRef.status).toBe(400);
    expect(await tool.db.select().from(assessorRecords).where(eq(assessorRecords.learnerUserId, learner.id))).toEqual([]);
  });

  it('links a professional discussion to its audio recording in the learner’s portfolio, and refuses anything else as one', async () => {
    const learner = aLearner(lms);
    const other = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const otherApi = await launch(tool, lms.lms, other, lms.link);
    const upload = async (api: Api, file: { name: string; type: string; bytes: Uint8Array }) => {
      const evidenceType = file.type.startsWith('image/') ? 'photo' : 'recording';
      const item = (await api.post('/api/evidence', { title: 'Discussion recording', description: '', evidenceType, activityDate: '2026-11-02', customerRef: null, occasionRef: null, workSetting: 'real-job' })).body;
      const uploaded = await api.upload(item.id, file);
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      return { itemId: item.id as string, fileId: uploaded.body.files[0].id as string };
    };
    const audio = await upload(learnerApi, { name: 'discussion.wav', type: 'audio/wav', bytes: wavBytes() });
    const picture = await upload(learnerApi, { name: 'photo.png', type: 'image/png', bytes: pngBytes() });
    const othersAudio = await upload(otherApi, { name: 'theirs.wav', type: 'audio/wav', bytes: wavBytes() });
    const discussion = recordExamples['professional-discussion'] as Extract<RecordContent, { kind: 'professional-discussion' }>;
    const path = `${learnerPath(learner.id)}/records`;
    const made = await assessor.post(path, aRecord('professional-discussion', [S('K1')], { content: { ...discussion, recording: audio } }));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.content.recording).toEqual(audio);
    // The signature carries the recording's digest (issue 8), and its bytes outlive the learner removing the file.
    const [audioRow] = await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.id, audio.fileId));
    if (!audioRow) throw new Error('the recording row is missing');
    expect(made.body.signature.signedContent.files).toEqual([{ id: audio.fileId, itemId: audio.itemId, name: 'discussion.wav', sha256: audioRow.sha256, size: wavBytes().length }]);
    expect(made.body.signature.digest).toBe(digestOf(made.body.signature.signedContent));
    expect((await learnerApi.delete(`/api/evidence/${audio.itemId}/files/${audio.fileId}`)).status).toBe(200);
    expect(await tool.fileStore.stat(audioRow.storageKey)).toMatchObject({ size: wavBytes().length });
    for (const recording of [picture, othersAudio, { itemId: audio.itemId, fileId: picture.fileId }]) {
      const refused = await assessor.post(path, aRecord('professional-discussion', [S('K1')], { content: { ...discussion, recording } }));
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([{ path: 'content.recording', code: 'unknown_recording' }]);
    }
  });

  it('lets the author edit an unsigned record, then never changes it once signed: a correction is a new linked record', async () => {
    const learner = aLearner(lms);
    const path = `${learnerPath(learner.id)}/records`;
    const draft = AssessorRecordSchema.parse((await assessor.post(path, aRecord('observation', [S('1.2')], { sign: false }))).body);
    expect(draft.signature).toBeNull();
    // Unsigned, it does not count yet.
    let portfolio = AssessorPortfolioSchema.parse((await assessor.get(`${learnerPath(learner.id)}/portfolio`)).body);
    expect(portfolio.verdict.statements.find((s) => s.key === '1.2')?.status).toBe('not-met');

    const observation = recordExamples.observation as Extract<RecordContent, { kind: 'observation' }>;
    const edited = await assessor.put(`${path}/${draft.id}`, { baseVersion: 1, content: { ...observation, place: 'Customer service desk' }, targets: [S('1.2')] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, content: { place: 'Customer service desk' } });
    const stale = await assessor.put(`${path}/${draft.id}`, { baseVersion: 1, content: observation, targets: [S('1.2')] });
    expect(stale.status).toBe(409);

    const signed = await assessor.post(`${path}/${draft.id}/sign`, { baseVersion: 2 });
    expect(signed.status).toBe(200);
    const signedRecord = AssessorRecordSchema.parse(signed.body);
    expect(signedRecord.signature?.digest).toBe(digestOf(signedRecord.signature?.signedContent));

    const refused = await assessor.put(`${path}/${draft.id}`, { baseVersion: 2, content: { ...observation, observed: 'Something else' }, targets: [S('1.2')] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/signed and cannot change/);
    // The database refuses it too, whoever asks.
    await expect(tool.db.update(assessorRecords).set({ version: 9 }).where(eq(assessorRecords.id, draft.id))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/cannot change/) } });
    await expect(tool.db.delete(assessorRecords).where(eq(assessorRecords.id, draft.id))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/cannot change/) } });

    const correction = await assessor.post(path, aRecord('observation', [S('1.2')], { content: { ...observation, observed: 'Corrected account of what I saw.' }, supersedes: draft.id }));
    expect(correction.status).toBe(201);
    const corrected = AssessorRecordSchema.parse(correction.body);
    expect(corrected.supersedes).toBe(draft.id);
    const second = await assessor.post(path, aRecord('observation', [S('1.2')], { supersedes: draft.id }));
    expect(second.status).toBe(409);

    portfolio = AssessorPortfolioSchema.parse((await assessor.get(`${learnerPath(learner.id)}/portfolio`)).body);
    const original = portfolio.records.find((r) => r.id === draft.id);
    expect(original).toMatchObject({ supersededBy: corrected.id, content: { place: 'Customer service desk' } });
    expect(original?.signature?.digest).toBe(signedRecord.signature?.digest);
    // The verdict counts the correction, not the record it replaces.
    const verdict12 = portfolio.verdict.statements.find((s) => s.key === '1.2');
    expect(verdict12?.status).toBe('met');
    expect(verdict12?.evidenceIds).toEqual([`record:${corrected.id}`]);
  });

  it('refuses sign-off of seed 001’s unit while PC 4 has only witness testimony, naming the rule in plain English', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.seedLink);
    const seedAssessor = await launch(tool, lms.lms, lms.assessor, lms.seedLink);
    const itemId = await submittedItem(learnerApi, [{ unitId: 'cs-pc-resolve-problems', target: 'statement', ref: 'pc:4' }], { evidenceType: 'witness-statement', title: 'Supervisor’s statement' });
    const judged = await seedAssessor.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ unitId: 'cs-pc-resolve-problems', target: 'statement', ref: 'pc:4', decision: 'accepted', method: 'WT', feedback: null }] });
    expect(judged.status).toBe(200);
    const report = await seedAssessor.put(`${learnerPath(learner.id)}/report`, { baseVersion: 0, report: competentReport });
    expect(report.status).toBe(200);

    const refused = await seedAssessor.post(`${learnerPath(learner.id)}/sign-off`, signOffBody(report.body.version));
    expect(refused.status).toBe(422);
    const gate = refused.body.error.details.gate as { isOpen: boolean; blocking: { where: string; ref: string | null; code: string; message: string }[] };
    expect(gate.isOpen).toBe(false);
    const pc4 = gate.blocking.find((b) => b.where === 'statement' && b.ref === 'pc:4' && b.code === 'observation_required');
    expect(pc4?.message).toBe('pc:4 must be directly observed by the assessor; so far it is evidenced only by WT.');
    expect(gate.blocking.map((b) => b.code)).toContain('candidate_declaration_missing');
    console.log(`[sign-off gate, ${backend}] seed 001 refused with ${gate.blocking.length} reasons; PC 4: “${pc4?.message}”`);
    expect(await tool.db.select().from(unitSignatures).where(and(eq(unitSignatures.learnerUserId, learner.id), eq(unitSignatures.role, 'assessor')))).toEqual([]);
  });

  it('opens the gate only when the report agrees, and signs off into the Moodle gradebook with full marks', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const userPath = learnerPath(learner.id);
    const version = await readyForSignOff(tool, lms, assessor, learner);

    // A report that says more evidence is needed keeps the gate shut, whatever the rules say.
    const doubtful = await assessor.put(`${userPath}/report`, { baseVersion: version, report: { ...competentReport, checks: { ...competentReport.checks, moreKnowledgeEvidenceRequired: true } } });
    expect(doubtful.status).toBe(200);
    const shut = await assessor.post(`${userPath}/sign-off`, signOffBody(doubtful.body.version));
    expect(shut.status).toBe(422);
    expect(shut.body.error.details.gate.blocking).toEqual([{ where: 'sign-off', ref: 'report', code: 'report_check', message: 'The assessment report answers “Is more knowledge evidence required?” with yes.' }]);
    const fixed = await assessor.put(`${userPath}/report`, { baseVersion: doubtful.body.version, report: competentReport });
    // Signing a report version the assessor did not read is a conflict.
    expect((await assessor.post(`${userPath}/sign-off`, signOffBody(doubtful.body.version))).status).toBe(409);

    const signed = await assessor.post(`${userPath}/sign-off`, signOffBody(fixed.body.version));
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const state = SignOffStateSchema.parse(signed.body);
    expect(state).toMatchObject({ stage: 'completed', isCountersignatureRequired: false, countersignature: null, gate: { isOpen: true, blocking: [] } });
    expect(state.assessor?.digest).toBe(digestOf(state.assessor?.signedContent));
    expect(state.assessor?.signedContent).toMatchObject({ declaration: expect.stringContaining('demonstrated competence'), candidateDeclarationDigest: state.candidate?.digest, report: { version: fixed.body.version } });

    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id && e.gradingProgress === 'FullyGraded'), 20_000, 'the completion in the gradebook');
    const entry = lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id);
    expect(entry).toMatchObject({ grade: 100, scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', acceptedScores: 1 });
    expect(entry?.comment).toContain('signed off');
    await waitFor(async () => (await assessor.get(`${userPath}/grade-status`)).body.state === 'sent', 10_000, 'grade status sent');

    // Signed: the report is the record now, a second sign-off is a conflict, and the learner sees the unit signed off.
    expect((await assessor.put(`${userPath}/report`, { baseVersion: fixed.body.version, report: competentReport })).status).toBe(409);
    expect((await assessor.post(`${userPath}/sign-off`, signOffBody(fixed.body.version))).status).toBe(409);
    const learnerPortfolio = PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body);
    expect(learnerPortfolio.signedOff).toMatchObject({ byName: 'Ada Assessor', at: new Date().toISOString().slice(0, 10) });
    expect(learnerPortfolio.verdict.state).toBe('signed-off');
  });

  it('holds a not-yet-qualified assessor’s sign-off until a qualified assessor countersigns, and only then sends the grade', async () => {
    const trainee = lms.lms.createUser({ name: 'Tia Trainee' });
    lms.lms.enrol(lms.course.id, trainee.id, 'instructor');
    const traineeApi = await launch(tool, lms.lms, trainee, lms.link);
    // A trainee may say they are not yet qualified, but not lift that themselves.
    expect((await traineeApi.put('/api/assessor/me/qualification', { qualification: 'not-yet-qualified' })).body).toMatchObject({ qualification: 'not-yet-qualified', setBy: trainee.id });
    expect((await traineeApi.put('/api/assessor/me/qualification', { qualification: 'qualified' })).status).toBe(403);

    const learner = aLearner(lms);
    const userPath = learnerPath(learner.id);
    const version = await readyForSignOff(tool, lms, traineeApi, learner);
    const signed = await traineeApi.post(`${userPath}/sign-off`, signOffBody(version));
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ stage: 'awaiting-countersignature', isCountersignatureRequired: true, countersignature: null, grade: { state: 'none' } });
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    expect(PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body).signedOff).toBeNull();

    // Not by the trainee, not by another unqualified assessor.
    expect((await traineeApi.post(`${userPath}/countersign`, countersignBody)).status).toBe(403);
    const second = await launch(tool, lms.lms, lms.secondAssessor, lms.link);
    const admin = await launch(tool, lms.lms, lms.admin, lms.link);
    expect((await admin.put(`/api/assessor/assessors/${lms.secondAssessor.id}/qualification`, { qualification: 'not-yet-qualified' })).status).toBe(200);
    expect((await second.post(`${userPath}/countersign`, countersignBody)).status).toBe(403);
    expect((await second.put(`/api/assessor/assessors/${trainee.id}/qualification`, { qualification: 'qualified' })).status).toBe(403);
    expect((await admin.put(`/api/assessor/assessors/${lms.secondAssessor.id}/qualification`, { qualification: 'qualified' })).body).toMatchObject({ qualification: 'qualified', setBy: lms.admin.id });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toBeUndefined();

    const countersigned = await second.post(`${userPath}/countersign`, countersignBody);
    expect(countersigned.status).toBe(201);
    const state = SignOffStateSchema.parse(countersigned.body);
    expect(state.stage).toBe('completed');
    expect(state.countersignature).toMatchObject({ role: 'assessor-countersignature', userId: lms.secondAssessor.id, signedContent: { assessorSignatureDigest: state.assessor?.digest } });
    expect((await second.post(`${userPath}/countersign`, countersignBody)).status).toBe(409);
    await waitFor(() => lms.lms.getGradebook(lms.course.id).some((e) => e.userId === learner.id && e.gradingProgress === 'FullyGraded'), 20_000, 'the countersigned completion');
    expect(PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body).signedOff).not.toBeNull();
  });

  it('seeds a learner ready for sign-off for the demo, through the same use cases, and seeding again changes nothing', async () => {
    const learner = aLearner(lms, 'Rita Ready');
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    await submittedItem(learnerApi, [S('1.1')]);
    const session = (await assessor.get('/api/session')).body;
    const input = {
      assessor: { issuer: lms.lms.issuer, clientId: lms.registration.clientId, deploymentId: lms.registration.deploymentId, contextId: session.context.id, unitId: 'unit-s', userId: lms.assessor.id, userName: 'Ada Assessor' },
      learnerUserId: learner.id,
      learnerName: 'Rita Ready',
      acceptSubmitted: true,
      records: [
        { content: recordExamples.observation, targets: [S('1.2')] },
        { content: recordExamples.questioning, targets: [S('K1')] },
      ],
      report: competentReport,
      candidateDeclaration: true,
    };
    expect(await seedAssessorWork(tool, input)).toEqual({ isOpen: true, blocking: [] });
    expect(await seedAssessorWork(tool, input)).toEqual({ isOpen: true, blocking: [] });
    const portfolio = AssessorPortfolioSchema.parse((await assessor.get(`${learnerPath(learner.id)}/portfolio`)).body);
    expect(portfolio.records).toHaveLength(2);
    expect(portfolio.signOff).toMatchObject({ stage: 'none', gate: { isOpen: true }, candidate: { userId: learner.id } });
    const caseload = AssessorCaseloadSchema.parse((await assessor.get('/api/assessor/caseload')).body);
    expect(caseload.learners.find((l) => l.userId === learner.id)).toMatchObject({ unitState: 'ready-for-sign-off', progress: { met: 3, assessed: 3, total: 3 }, awaiting: [] });
    // Nothing went to the LMS: seeding is not a sign-off.
    expect(lms.lms.getGradebook(lms.course.id).find((e) => e.userId === learner.id)).toBeUndefined();
  });

  it('gives the learner the action plan, unit and item feedback', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const itemId = await submittedItem(learnerApi, [S('1.1')]);
    const userPath = learnerPath(learner.id);
    const plan = { plannedMethods: [{ method: 'O', notes: 'Observe at the returns desk' }, { method: 'Q', notes: 'Oral questions on K1' }], venue: 'Leeds store', dates: [{ date: '2026-12-01', time: '10:00', activity: 'Observation' }], evidenceRequirements: 'Two complaints handled', feedbackArrangements: 'Verbal feedback on the day, written within a week' };
    const saved = await assessor.put(`${userPath}/action-plan`, { baseVersion: 0, plan });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, plan });
    expect((await assessor.put(`${userPath}/action-plan`, { baseVersion: 0, plan })).status).toBe(409);
    expect((await assessor.post(`${userPath}/feedback`, { text: 'Good start on the unit.', actionPlan: 'Book the observation.' })).status).toBe(201);
    expect((await assessor.post(`${userPath}/feedback`, { itemId, text: 'Add the date of the complaint.' })).status).toBe(201);

    const seen = LearnerAssessmentSchema.parse((await learnerApi.get('/api/learner/assessment')).body);
    expect(seen.actionPlan?.plan).toEqual(plan);
    const portfolio = PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body);
    expect(portfolio.unitFeedback).toEqual([expect.objectContaining({ text: 'Good start on the unit.', actionPlan: 'Book the observation.', authorName: 'Ada Assessor' })]);
    expect(portfolio.items.find((i) => i.id === itemId)?.feedback).toEqual([expect.objectContaining({ text: 'Add the date of the complaint.' })]);
  });
});
