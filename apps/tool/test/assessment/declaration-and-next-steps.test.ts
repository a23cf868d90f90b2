import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssessorCaseloadSchema, AssessorPortfolioSchema, CANDIDATE_UNIT_DECLARATION, EvidenceItemSchema, LearnerAssessmentSchema, PortfolioSchema } from '@attest/contracts';
import type { User } from '@attest/platform-emulator';
import { unitSignatures } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { aDraft, aLearner, aRecord, assessmentCatalogue, competentReport, coverUnitS, launch, S, setUpLms, signOffBody, submittedItem } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';
import { eq } from 'drizzle-orm';

// The candidate's declaration ("this is my work, assess it") is accepted only when no requirement is
// left without evidence, and "Ready for sign-off" is shown only while the sign-off gate is open;
// otherwise each side is told its next step. Unit S: PCs 1.1 and 1.2 (1.2 only an observation can
// meet) and knowledge K1.

const declare = (learnerApi: Api) => learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION });

describe.each(backends)('the candidate declaration and the next steps on %s', (backend) => {
  let tool: ToolServer;
  let lms: Course2;
  let assessor: Api;
  // Enrolled before any test reads the roster, which the caseload caches for 30 s.
  let stages: User;

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    lms = await setUpLms(tool, 'moodle');
    stages = aLearner(lms, 'Stella Stages');
    assessor = await launch(tool, lms.lms, lms.assessor, lms.link);
  });
  afterAll(async () => {
    await lms?.lms.close();
    await tool?.close();
  });

  async function refusedAndNothingStored(learner: User, learnerApi: Api): Promise<{ message: string; keys: string[] }> {
    const refused = await declare(learnerApi);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    const { error } = refused.body as { error: { code: string; message: string; details: { requirements: { key: string }[] } } };
    expect(error.code).toBe('rule_violation');
    expect(await tool.db.select().from(unitSignatures).where(eq(unitSignatures.learnerUserId, learner.id))).toEqual([]);
    expect(LearnerAssessmentSchema.parse((await learnerApi.get('/api/learner/assessment')).body).signOff.candidate).toBeNull();
    return { message: error.message, keys: error.details.requirements.map((r) => r.key) };
  }

  it('refuses the declaration with no evidence at all, naming every requirement in words, and stores nothing', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const { message, keys } = await refusedAndNothingStored(learner, learnerApi);
    expect(keys).toEqual(['1.1', '1.2', 'K1']);
    expect(message).toBe(
      'You cannot sign the declaration yet: 3 requirements have no submitted evidence and no record from your assessor: PC 1.1 (Meet the customer’s expectations for your behaviour and appearance.); PC 1.2 (Respond promptly to a customer seeking help.): only your assessor’s observation can cover it; Knowledge K1 (Why first impressions matter.).',
    );
  });

  it('refuses the declaration when the evidence is only drafts', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const item = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft())).body);
    expect((await learnerApi.put(`/api/evidence/${item.id}/mappings`, { baseVersion: item.version, mappings: [S('1.1'), S('1.2'), S('K1')] })).status).toBe(200);
    const { keys } = await refusedAndNothingStored(learner, learnerApi);
    expect(keys).toEqual(['1.1', '1.2', 'K1']);
  });

  it('refuses the declaration while one requirement is uncovered (one short), naming only that one', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    await submittedItem(learnerApi, [S('1.1')]);
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/records`, aRecord('observation', [S('1.2')]))).status).toBe(201);
    const { message, keys } = await refusedAndNothingStored(learner, learnerApi);
    expect(keys).toEqual(['K1']);
    expect(message).toContain('1 requirement has no submitted evidence and no record from your assessor: Knowledge K1 (Why first impressions matter.)');
  });

  it('accepts the declaration once every requirement has submitted evidence or an assessor’s record, before any decision', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    await submittedItem(learnerApi, [S('1.1'), S('K1')]);
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/records`, aRecord('observation', [S('1.2')]))).status).toBe(201);
    const accepted = await declare(learnerApi);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(await tool.db.select().from(unitSignatures).where(eq(unitSignatures.learnerUserId, learner.id))).toHaveLength(1);
  });

  it('gives each side its next step at every stage, and says ready for sign-off only once the gate is open', async () => {
    const learner = stages;
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const path = `/api/assessor/learners/${learner.id}`;
    const steps = async () => {
      const caseload = AssessorCaseloadSchema.parse((await assessor.get('/api/assessor/caseload')).body);
      const row = caseload.learners.find((l) => l.userId === learner.id);
      const portfolio = AssessorPortfolioSchema.parse((await assessor.get(`${path}/portfolio`)).body);
      const own = PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body);
      const assessment = LearnerAssessmentSchema.parse((await learnerApi.get('/api/learner/assessment')).body);
      // One function decides: the caseload and the assessor's page agree, as do the learner's two views.
      expect(portfolio.nextStep).toEqual(row?.nextStep);
      expect(assessment.nextStep).toEqual(own.nextStep);
      return { learner: own.nextStep, assessor: row?.nextStep, gateOpen: portfolio.signOff.gate.isOpen, unitState: row?.unitState };
    };

    expect(await steps()).toMatchObject({ learner: { code: 'add-evidence', count: 3 }, assessor: { code: 'requirements-missing', count: 3 }, gateOpen: false });

    const draft = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft())).body);
    expect((await learnerApi.put(`/api/evidence/${draft.id}/mappings`, { baseVersion: draft.version, mappings: [S('1.1')] })).status).toBe(200);
    expect(await steps()).toMatchObject({ learner: { code: 'submit-drafts', count: 1 }, assessor: { code: 'requirements-missing', count: 2 } });

    const itemId = await submittedItem(learnerApi, [S('1.1')]);
    expect(await steps()).toMatchObject({ assessor: { code: 'decide-evidence', count: 1 } });
    expect((await assessor.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] })).status).toBe(200);
    for (const [kind, ref] of [['observation', '1.2'], ['questioning', 'K1']] as const) expect((await assessor.post(`${path}/records`, aRecord(kind, [S(ref)]))).status).toBe(201);

    // Every rule met, yet neither the declaration nor the report: the engine's state says ready, the steps do not.
    const covered = await steps();
    expect(covered).toMatchObject({ learner: { code: 'sign-declaration' }, assessor: { code: 'complete-report' }, gateOpen: false, unitState: 'ready-for-sign-off' });

    const report = await assessor.put(`${path}/report`, { baseVersion: 0, report: competentReport });
    expect(report.status).toBe(200);
    expect(await steps()).toMatchObject({ learner: { code: 'sign-declaration' }, assessor: { code: 'wait-for-declaration' }, gateOpen: false });

    expect((await declare(learnerApi)).status).toBe(201);
    expect(await steps()).toMatchObject({ learner: { code: 'ready-for-sign-off' }, assessor: { code: 'ready-for-sign-off' }, gateOpen: true });

    expect((await assessor.post(`${path}/sign-off`, signOffBody((report.body as { version: number }).version))).status).toBe(201);
    expect(await steps()).toMatchObject({ learner: { code: 'signed-off' }, assessor: { code: 'signed-off' } });
  });

  it('tells the learner to wait for the report once they have declared and the rules are met', async () => {
    const learner = aLearner(lms);
    const { learnerApi } = await coverUnitS(tool, lms, assessor, learner);
    // coverUnitS writes a competent report; a not-competent one shuts the gate again.
    const portfolio = AssessorPortfolioSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/portfolio`)).body);
    expect((await assessor.put(`/api/assessor/learners/${learner.id}/report`, { baseVersion: portfolio.report?.version, report: { ...competentReport, outcome: 'not-yet-competent' } })).status).toBe(200);
    expect((await declare(learnerApi)).status).toBe(201);
    expect(PortfolioSchema.parse((await learnerApi.get('/api/portfolio')).body).nextStep).toMatchObject({ code: 'wait-for-report' });
    expect(AssessorPortfolioSchema.parse((await assessor.get(`/api/assessor/learners/${learner.id}/portfolio`)).body).nextStep).toMatchObject({ code: 'complete-report' });
  });
});
