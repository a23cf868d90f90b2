import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema, ItemChangedDetailsSchema, SignedOffDetailsSchema } from '@attest/contracts';
import type { User } from '@attest/platform-emulator';
import { assessmentReports, assessorRecords, evidenceFiles, evidenceItems, evidenceMappings, evidenceRevisions } from '../../src/db/index.ts';
import type { ToolServer } from '../../src/index.ts';
import { backends, startTestToolServer } from '../support/index.ts';
import { pngBytes } from '../evidence/portfolio-fixture.ts';
import { aDraft, aLearner, aRecord, assessmentCatalogue, competentReport, launch, readyForSignOff, S, setUpLms, signOffBody } from './assessment-fixture.ts';
import type { Api, Course2 } from './assessment-fixture.ts';

// Issue 8, "a signed decision is final": once an assessor has signed a unit off, nothing the
// learner or an assessor does changes the evidence, files or mappings the signature rests on.

const SEED = (ref: string) => ({ unitId: 'cs-pc-resolve-problems', target: 'statement' as const, ref });

interface SignedUnit {
  readonly learner: User;
  readonly learnerApi: Api;
  /** A submitted, accepted photo with one file, mapped to unit S's 1.1, covered by the signature. */
  readonly itemId: string;
  readonly fileId: string;
}

describe.each(backends)('a signed-off unit on %s', (backend) => {
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

  /** A learner whose unit S is signed off, resting among others on a photo with one file. */
  async function signedUnit(): Promise<SignedUnit> {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const created = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft({ evidenceType: 'photo', title: 'Returns desk photo' }))).body);
    const uploaded = await learnerApi.upload(created.id, { name: 'desk.png', type: 'image/png', bytes: pngBytes() });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const fileId = EvidenceItemSchema.parse(uploaded.body).files[0]?.id ?? '';
    expect((await learnerApi.put(`/api/evidence/${created.id}/mappings`, { baseVersion: 1, mappings: [S('1.1')] })).status).toBe(200);
    expect((await learnerApi.post(`/api/evidence/${created.id}/submit`, { baseVersion: 2, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);
    const judged = await assessor.put(`/api/assessor/evidence/${created.id}/judgement`, { baseVersion: 0, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] });
    expect(judged.status, JSON.stringify(judged.body)).toBe(200);
    const reportVersion = await readyForSignOff(tool, lms, assessor, learner);
    const signed = await assessor.post(`/api/assessor/learners/${learner.id}/sign-off`, signOffBody(reportVersion));
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    return { learner, learnerApi, itemId: created.id, fileId };
  }

  /** Everything stored about an item, to compare before and after a refused write. */
  async function snapshot(itemId: string) {
    const [item] = await tool.db.select().from(evidenceItems).where(eq(evidenceItems.id, itemId));
    const files = await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, itemId));
    const mappings = await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId));
    const revisions = await tool.db.select().from(evidenceRevisions).where(eq(evidenceRevisions.itemId, itemId));
    const bytes = await Promise.all(files.map(async (f) => (await tool.fileStore.stat(f.storageKey))?.size ?? null));
    return { item, files, mappings: mappings.sort((a, b) => a.ref.localeCompare(b.ref)), revisions: revisions.length, bytes };
  }

  function expectSignedOffRefusal(reply: { status: number; body: { error?: { message?: string; details?: unknown } } }) {
    expect(reply.status, JSON.stringify(reply.body)).toBe(409);
    expect(reply.body.error?.message).toContain('S1 Serve customers is signed off');
    expect(SignedOffDetailsSchema.parse(reply.body.error?.details)).toEqual({ reason: 'unit_signed_off', unitId: 'unit-s', unit: 'S1 Serve customers' });
  }

  it('refuses the learner editing, reopening, adding or deleting files of, and remapping evidence the sign-off rests on, changing nothing', async () => {
    const { learnerApi, itemId, fileId } = await signedUnit();
    const before = await snapshot(itemId);
    expect(before.item?.state).toBe('submitted');
    const draft = { title: 'Changed after sign-off', description: 'x', evidenceType: 'photo', activityDate: '2026-11-02', customerRef: null, occasionRef: null, workSetting: 'real-job' };

    expectSignedOffRefusal(await learnerApi.put(`/api/evidence/${itemId}`, { baseVersion: before.item?.version, draft }));
    // A stale save is refused the same way, and keeps no conflict copy.
    expectSignedOffRefusal(await learnerApi.put(`/api/evidence/${itemId}`, { baseVersion: 1, draft }));
    expectSignedOffRefusal(await learnerApi.upload(itemId, { name: 'another.png', type: 'image/png', bytes: pngBytes() }));
    expectSignedOffRefusal(await learnerApi.delete(`/api/evidence/${itemId}/files/${fileId}`));
    expectSignedOffRefusal(await learnerApi.put(`/api/evidence/${itemId}/mappings`, { baseVersion: before.item?.version, mappings: [] }));
    expectSignedOffRefusal(await learnerApi.put(`/api/evidence/${itemId}/mappings`, { baseVersion: before.item?.version, mappings: [S('1.1'), S('1.2')] }));

    expect(await snapshot(itemId)).toEqual(before);
    expect(before.bytes).toEqual([pngBytes().length]);
    // The learner's screen knows which units are signed off, so it can show the item as locked.
    expect((await learnerApi.get('/api/portfolio')).body.signedUnits).toEqual([{ unitId: 'unit-s', label: 'S1 Serve customers' }]);
  });

  it('refuses mapping new evidence to the signed unit, yet lets the learner add evidence and map signed evidence to another unit, which stays submitted', async () => {
    const { learner, learnerApi, itemId } = await signedUnit();
    // The learner opens the course's other unit, so it is one of theirs to map evidence to.
    await launch(tool, lms.lms, learner, lms.seedLink);
    const fresh = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft())).body);
    expectSignedOffRefusal(await learnerApi.put(`/api/evidence/${fresh.id}/mappings`, { baseVersion: fresh.version, mappings: [S('1.1')] }));
    expect((await learnerApi.put(`/api/evidence/${fresh.id}/mappings`, { baseVersion: fresh.version, mappings: [SEED('pc:1')] })).status).toBe(200);

    const before = await snapshot(itemId);
    const remapped = await learnerApi.put(`/api/evidence/${itemId}/mappings`, { baseVersion: before.item?.version, mappings: [S('1.1'), SEED('pc:1')] });
    expect(remapped.status, JSON.stringify(remapped.body)).toBe(200);
    const after = await snapshot(itemId);
    expect(after.item).toMatchObject({ state: 'submitted', title: before.item?.title, version: (before.item?.version ?? 0) + 1 });
    expect(after.files).toEqual(before.files);
    expect(after.mappings.filter((m) => m.unitId === 'unit-s')).toEqual(before.mappings);
  });

  it('refuses the assessor judging, recording for and reporting on the signed unit', async () => {
    const { learner, itemId } = await signedUnit();
    const path = `/api/assessor/learners/${learner.id}`;
    const mappingsBefore = await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId));
    const recordsBefore = await tool.db.select().from(assessorRecords).where(eq(assessorRecords.learnerUserId, learner.id));
    const [reportBefore] = await tool.db.select().from(assessmentReports).where(eq(assessmentReports.learnerUserId, learner.id));

    expectSignedOffRefusal(await assessor.put(`/api/assessor/evidence/${itemId}/judgement`, { baseVersion: 1, itemVersion: 3, mappings: [{ ...S('1.1'), decision: 'referred', method: 'PE', feedback: 'Redo.' }] }));
    expectSignedOffRefusal(await assessor.post(`${path}/records`, aRecord('observation', [S('1.2')])));
    const unsigned = recordsBefore.find((r) => r.signedAt === null);
    expect(unsigned).toBeUndefined();
    expect((await assessor.put(`${path}/report`, { baseVersion: reportBefore?.version ?? 1, report: competentReport })).status).toBe(409);

    expect(await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId))).toEqual(mappingsBefore);
    expect(await tool.db.select().from(assessorRecords).where(eq(assessorRecords.learnerUserId, learner.id))).toEqual(recordsBefore);
    expect((await tool.db.select().from(assessmentReports).where(eq(assessmentReports.learnerUserId, learner.id)))[0]).toEqual(reportBefore);
  });

  it('after the unit is reopened lets the learner remove a file the withdrawn signature named, but keeps its bytes in the store', async () => {
    const { learner, learnerApi, itemId, fileId } = await signedUnit();
    const [file] = await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.id, fileId));
    if (!file) throw new Error('the file row is missing');
    expect((await assessor.post(`/api/assessor/learners/${learner.id}/reopen`, { reason: 'Wrong photo.' })).status).toBe(201);
    const item = EvidenceItemSchema.parse((await learnerApi.get(`/api/evidence/${itemId}`)).body);
    expect((await learnerApi.put(`/api/evidence/${itemId}`, { baseVersion: item.version, draft: { ...aDraft({ evidenceType: 'photo' }), title: 'Back to draft' } })).status).toBe(200);
    const removed = await learnerApi.delete(`/api/evidence/${itemId}/files/${fileId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.id, fileId))).toEqual([]);
    expect(await tool.fileStore.stat(file.storageKey)).toMatchObject({ size: pngBytes().length });
  });

  it('signs each covered file’s id, name, SHA-256 and size, and only the items mapped to the unit', async () => {
    const { learner, learnerApi, itemId, fileId } = await signedUnit();
    const unrelated = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft())).body);
    const portfolio = (await assessor.get(`/api/assessor/learners/${learner.id}/portfolio`)).body;
    const evidence = portfolio.signOff.assessor.signedContent.evidence as { id: string; files: unknown[] }[];
    const [file] = await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.id, fileId));
    expect(evidence.find((e) => e.id === itemId)?.files).toEqual([{ id: fileId, name: 'desk.png', sha256: file?.sha256, size: pngBytes().length }]);
    expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.map((e) => e.id)).not.toContain(unrelated.id);
    const items = await tool.db.select({ id: evidenceItems.id }).from(evidenceItems).where(inArray(evidenceItems.id, evidence.map((e) => e.id)));
    expect(items).toHaveLength(evidence.length);
  });
});

describe.each(backends)('a judgement on %s', (backend) => {
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

  it('is refused with both versions when the learner changed and resubmitted the evidence after the assessor read it, saving nothing', async () => {
    const learner = aLearner(lms);
    const learnerApi = await launch(tool, lms.lms, learner, lms.link);
    const created = EvidenceItemSchema.parse((await learnerApi.post('/api/evidence', aDraft())).body);
    expect((await learnerApi.put(`/api/evidence/${created.id}/mappings`, { baseVersion: 1, mappings: [S('1.1')] })).status).toBe(200);
    expect((await learnerApi.post(`/api/evidence/${created.id}/submit`, { baseVersion: 2, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);
    // The assessor reads version 3; the learner then edits (reopening, version 4) and submits again (version 5).
    const read = (await assessor.get(`/api/assessor/learners/${learner.id}/portfolio`)).body.items.find((i: { id: string }) => i.id === created.id);
    expect(read.version).toBe(3);
    expect((await learnerApi.put(`/api/evidence/${created.id}`, { baseVersion: 3, draft: { ...aDraft(), title: 'Rewritten' } })).status).toBe(200);
    expect((await learnerApi.post(`/api/evidence/${created.id}/submit`, { baseVersion: 4, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);

    const accept = { baseVersion: read.judgementVersion, itemVersion: read.version, mappings: [{ ...S('1.1'), decision: 'accepted', method: 'PE', feedback: null }] };
    const refused = await assessor.put(`/api/assessor/evidence/${created.id}/judgement`, accept);
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    const details = ItemChangedDetailsSchema.parse(refused.body.error.details);
    expect(details).toMatchObject({ reason: 'item_changed', readVersion: 3, currentVersion: 5 });
    expect(details.current).toMatchObject({ title: 'Rewritten', version: 5, state: 'submitted' });
    expect(refused.body.error.message).toContain('version 3 → 5');
    const [mapping] = await tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, created.id));
    expect(mapping).toMatchObject({ decision: 'pending', decidedBy: null });

    // Judging the version now shown lands.
    const judged = await assessor.put(`/api/assessor/evidence/${created.id}/judgement`, { ...accept, itemVersion: details.currentVersion, baseVersion: details.current.judgementVersion });
    expect(judged.status, JSON.stringify(judged.body)).toBe(200);
    expect(judged.body.mappings[0]).toMatchObject({ decision: 'accepted' });
  });
});
