import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, CANDIDATE_UNIT_DECLARATION, SignOffStateSchema } from '@attest/contracts';
import type { PlatformMode, User } from '@attest/platform-emulator';
import { unitSignatures, unitSignOffs } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { aDraft, aLearner, assessmentCatalogue, launch, readyForSignOff, S, setUpLms, signOffBody, waitFor } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';

// Issue 8: reopening a signed-off unit is an explicit, recorded act. The signatures stay, marked
// withdrawn with who, when and why; the learner may change the evidence again; the LMS is told in
// its own terms (Moodle: the grade cleared; Canvas: the submission needs grading again).

const gradebookEntry = (lms: Course2, userId: string) => lms.lms.getGradebook(lms.course.id).find((e) => e.userId === userId);
const isCompleted = (lms: Course2, userId: string) => gradebookEntry(lms, userId)?.gradingProgress === 'FullyGraded';

describe.each(backends)('reopening a signed-off unit on %s', (backend) => {
  let tool: ToolServer;
  const lmss = new Map<PlatformMode, Course2>();
  const assessors = new Map<PlatformMode, Api>();

  beforeAll(async () => {
    tool = await startTestToolServer(backend, { catalogue: assessmentCatalogue() });
    for (const mode of ['moodle', 'canvas'] as const) {
      const lms = await setUpLms(tool, mode);
      lmss.set(mode, lms);
      assessors.set(mode, await launch(tool, lms.lms, lms.assessor, lms.link));
    }
  });
  afterAll(async () => {
    for (const lms of lmss.values()) await lms.lms.close();
    await tool?.close();
  });

  async function signedOff(mode: PlatformMode): Promise<{ lms: Course2; assessor: Api; learner: User; learnerApi: Api; reportVersion: number }> {
    const lms = lmss.get(mode) as Course2;
    const assessor = assessors.get(mode) as Api;
    const learner = aLearner(lms);
    const reportVersion = await readyForSignOff(tool, lms, assessor, learner);
    const signed = await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(reportVersion));
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    await waitFor(() => isCompleted(lms, learner.id), 20_000, 'the completion in the gradebook');
    return { lms, assessor, learner, learnerApi: await launch(tool, lms.lms, learner, lms.link), reportVersion };
  }

  for (const mode of ['moodle', 'canvas'] as const) {
    it(`withdraws every signature with a reason, tells ${mode} the grade no longer stands, lets the learner change evidence, and signs off again`, async () => {
      const { lms, assessor, learner, learnerApi, reportVersion } = await signedOff(mode);
      const path = `/api/assessor/learners/${learner.id}`;
      const [item] = (await learnerApi.get('/api/portfolio')).body.items as { id: string; version: number }[];
      if (!item) throw new Error('the learner has no item');
      const draft = aDraft({ title: 'Named the customer' });
      expect((await learnerApi.put(`/api/evidence/${item.id}`, { baseVersion: item.version, draft })).status).toBe(409);

      const reopened = await assessor.post(`${path}/reopen`, { reason: 'The photo shows another store; the evidence must be checked again.' });
      expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
      const state = SignOffStateSchema.parse(reopened.body);
      expect(state).toMatchObject({ stage: 'none', assessor: null, candidate: null, countersignature: null });
      expect(state.withdrawn.map((w) => w.role).sort()).toEqual(['assessor', 'candidate']);
      for (const withdrawn of state.withdrawn) expect(withdrawn).toMatchObject({ withdrawnByUserId: lms.assessor.id, withdrawnByName: 'Ada Assessor', reason: 'The photo shows another store; the evidence must be checked again.' });

      // The rows stay, marked withdrawn; the engine's copy no longer counts them.
      const rows = await tool.db.select().from(unitSignatures).where(and(eq(unitSignatures.learnerUserId, learner.id), eq(unitSignatures.clientId, lms.registration.clientId)));
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.withdrawnAt !== null)).toBe(true);
      expect(await tool.db.select().from(unitSignOffs).where(and(eq(unitSignOffs.learnerUserId, learner.id), eq(unitSignOffs.clientId, lms.registration.clientId)))).toEqual([]);

      if (mode === 'moodle') {
        await waitFor(() => gradebookEntry(lms, learner.id)?.grade === null, 20_000, 'Moodle clearing the grade');
        expect(gradebookEntry(lms, learner.id)).toMatchObject({ grade: null, gradingProgress: 'NotReady', activityProgress: 'InProgress' });
      } else {
        await waitFor(() => gradebookEntry(lms, learner.id)?.gradingProgress === 'PendingManual', 20_000, 'Canvas needing grading');
        expect(gradebookEntry(lms, learner.id)).toMatchObject({ scoreGiven: null, gradingProgress: 'PendingManual', activityProgress: 'Submitted' });
        expect(gradebookEntry(lms, learner.id)?.canvasSubmission).not.toBeNull();
      }
      expect((await assessor.post(`${path}/reopen`, { reason: 'Again.' })).status).toBe(409);

      // The learner can change the evidence now, submit it and declare again; the unit is signed off again.
      const edited = await learnerApi.put(`/api/evidence/${item.id}`, { baseVersion: item.version, draft });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect((await learnerApi.post(`/api/evidence/${item.id}/submit`, { baseVersion: item.version + 1, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);
      const judged = await assessor.put(`/api/assessor/evidence/${item.id}/judgement`, { baseVersion: 1, itemVersion: item.version + 2, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] });
      expect(judged.status, JSON.stringify(judged.body)).toBe(200);
      expect((await learnerApi.post('/api/learner/sign-off-declaration', { declaration: CANDIDATE_UNIT_DECLARATION })).status).toBe(201);
      const again = await assessor.post(`${path}/sign-off`, signOffBody(reportVersion));
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      const final = SignOffStateSchema.parse(again.body);
      expect(final.stage).toBe('completed');
      expect(final.withdrawn).toHaveLength(2);
      expect(await tool.db.select().from(unitSignatures).where(and(eq(unitSignatures.learnerUserId, learner.id), eq(unitSignatures.clientId, lms.registration.clientId)))).toHaveLength(4);
      await waitFor(() => isCompleted(lms, learner.id), 20_000, 'the completion again');
      expect(gradebookEntry(lms, learner.id)).toMatchObject({ grade: 100 });
    });
  }

  it('is refused to the learner (403), without a reason (400), and on a unit not signed off (409)', async () => {
    const lms = lmss.get('moodle') as Course2;
    const assessor = assessors.get('moodle') as Api;
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const path = `/api/assessor/learners/${learner.id}`;
    expect((await learnerApi.post(`${path}/reopen`, { reason: 'Mine.' })).status).toBe(403);
    expect((await assessor.post(`${path}/reopen`, { reason: '  ' })).status).toBe(400);
    const notSigned = await assessor.post(`${path}/reopen`, { reason: 'Nothing to reopen.' });
    expect(notSigned.status).toBe(409);
    expect(notSigned.body.error.message).toContain('S1 Serve customers is not signed off');
  });

  it('keeps unit signatures in the database: never deleted, never changed but withdrawn once', async () => {
    const { lms, learner, assessor } = await signedOff('moodle');
    const mine = and(eq(unitSignatures.learnerUserId, learner.id), eq(unitSignatures.clientId, lms.registration.clientId));
    const [row] = await tool.db.select().from(unitSignatures).where(and(mine, eq(unitSignatures.role, 'assessor')));
    if (!row) throw new Error('no assessor signature');
    await expect(tool.db.update(unitSignatures).set({ signedDigest: '0'.repeat(64) }).where(eq(unitSignatures.id, row.id))).rejects.toThrow();
    await expect(tool.db.delete(unitSignatures).where(eq(unitSignatures.id, row.id))).rejects.toThrow();
    await expect(
      tool.db.update(unitSignatures).set({ withdrawnAt: new Date(), withdrawnByIssuer: 'x', withdrawnByUserId: 'x', withdrawalReason: 'r', signedDigest: '0'.repeat(64) }).where(eq(unitSignatures.id, row.id)),
    ).rejects.toThrow();
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/reopen`, { reason: 'Checked again.' })).status).toBe(201);
    await expect(tool.db.update(unitSignatures).set({ withdrawalReason: 'Rewritten reason' }).where(eq(unitSignatures.id, row.id))).rejects.toThrow();
    await expect(tool.db.update(unitSignatures).set({ withdrawnAt: null, withdrawnByIssuer: null, withdrawnByUserId: null, withdrawnByName: null, withdrawalReason: null }).where(eq(unitSignatures.id, row.id))).rejects.toThrow();
    const [after] = await tool.db.select().from(unitSignatures).where(eq(unitSignatures.id, row.id));
    expect(after).toMatchObject({ signedDigest: row.signedDigest, withdrawalReason: 'Checked again.' });
    expect(await tool.db.select().from(unitSignatures).where(mine)).toHaveLength(2);
  });
});
