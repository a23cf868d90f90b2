import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, EvidenceConflictDetailsSchema, EvidenceHistorySchema, EvidenceItemSchema, PortfolioSchema } from '@attest/contracts';
import type { EvidenceItem } from '@attest/contracts';
import { evidenceFeedback, evidenceFiles, evidenceItems, evidenceMappings, evidenceRevisions } from '../../src/db/index.ts';
import { backends } from '../support/index.ts';
import { aDraft, apiAs, pdfBytes, startPortfolioFixture } from './portfolio-fixture.ts';
import type { PortfolioFixture } from './portfolio-fixture.ts';

// The learner's whole journey over real HTTP, launched from an emulated Moodle: add evidence, save
// drafts, upload and download a file, map to two units of the course, see the server's verdict
// change, submit with the declaration, reopen by editing, read the history. Then the ways a save
// can go wrong: two tabs, malformed JSON, requests that break the schema, mappings to nothing.

describe.each(backends)('the learner portfolio on %s', (backend) => {
  let fixture: PortfolioFixture;
  let api: ReturnType<typeof apiAs>;

  beforeAll(async () => {
    fixture = await startPortfolioFixture(backend);
    const { tenantA } = fixture;
    // Unit B is placed in the same course; a launch of it is how Attest learns it is there.
    await fixture.launch(tenantA, tenantA.instructor, tenantA.linkB);
    api = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkA));
  });
  afterAll(async () => {
    await fixture?.close();
  });

  async function newItem(overrides: Parameters<typeof aDraft>[0] = {}): Promise<EvidenceItem> {
    const created = await api.post('/api/evidence', aDraft(overrides));
    expect(created.status).toBe(201);
    return EvidenceItemSchema.parse(created.body);
  }

  it('opens an empty portfolio for the launched unit, listing the units of the course to map to', async () => {
    const learnerApi = apiAs(fixture.tool.url, await fixture.launch(fixture.tenantA, fixture.tenantA.otherLearner, fixture.tenantA.linkA));
    const reply = await learnerApi.get('/api/portfolio');
    expect(reply.status).toBe(200);
    const portfolio = PortfolioSchema.parse(reply.body);
    expect(portfolio.unitId).toBe('unit-a');
    expect(portfolio.items).toEqual([]);
    expect(portfolio.units.map((u) => u.unitId)).toEqual(['unit-a', 'unit-b']);
    expect(portfolio.verdict.statements.map((s) => [s.key, s.status])).toEqual([
      ['1', 'not-met'],
      ['2', 'not-met'],
      ['pc:3', 'not-met'],
      ['k:3', 'not-met'],
    ]);
    expect(portfolio.signedOff).toBeNull();
  });

  it('walks evidence from a first draft to submission, mapped to two units, with the verdict following', async () => {
    const { tool } = fixture;
    let item = await newItem({ title: 'Returns desk complaint', evidenceType: 'personal-statement' });
    expect(item).toMatchObject({ version: 1, state: 'draft', method: 'PE', files: [], mappings: [], submittedAt: null });

    const saved = await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: { ...aDraft({ title: 'Returns desk complaint, Saturday' }) } });
    expect(saved.status).toBe(200);
    item = EvidenceItemSchema.parse(saved.body);
    expect(item).toMatchObject({ version: 2, title: 'Returns desk complaint, Saturday' });

    const bytes = pdfBytes('My account of the complaint');
    const uploaded = await api.upload(item.id, { name: 'account.pdf', type: 'application/pdf', bytes });
    expect(uploaded.status).toBe(201);
    item = EvidenceItemSchema.parse(uploaded.body);
    expect(item.files).toEqual([expect.objectContaining({ name: 'account.pdf', mediaType: 'application/pdf', size: bytes.length })]);
    const download = await api.get(`/api/evidence/${item.id}/files/${item.files[0]!.id}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as ArrayBuffer).equals(bytes)).toBe(true);

    const mapped = await api.put(`/api/evidence/${item.id}/mappings`, {
      baseVersion: item.version,
      mappings: [
        { unitId: 'unit-a', target: 'statement', ref: '1' },
        { unitId: 'unit-a', target: 'statement', ref: 'pc:3' },
        { unitId: 'unit-a', target: 'scope-item', ref: '2.a' },
        { unitId: 'unit-a', target: 'evidence-requirement', ref: '4.a' },
        { unitId: 'unit-b', target: 'statement', ref: '1.1' },
      ],
    });
    expect(mapped.status).toBe(200);
    item = EvidenceItemSchema.parse(mapped.body);
    expect(item.version).toBe(3);
    expect(item.mappings).toHaveLength(5);
    for (const mapping of item.mappings) expect(mapping).toMatchObject({ decision: 'pending', method: 'PE', feedback: null });

    const portfolio = PortfolioSchema.parse((await api.get('/api/portfolio')).body);
    const statement1 = portfolio.verdict.statements.find((s) => s.key === '1');
    // Pending evidence awaits the assessor: counted, not yet usable.
    expect(statement1?.status).toBe('not-yet-assessed');
    expect(statement1?.reasons[0]).toEqual({ code: 'awaiting_assessment', params: { count: 1 } });
    expect(portfolio.verdict.statements.find((s) => s.key === '2')?.status).toBe('not-met');
    expect(portfolio.items.map((i) => i.id)).toContain(item.id);

    // The same item counts in unit B's portfolio, opened from unit B's activity.
    const apiB = apiAs(tool.url, await fixture.launch(fixture.tenantA, fixture.tenantA.learner, fixture.tenantA.linkB));
    const portfolioB = PortfolioSchema.parse((await apiB.get('/api/portfolio')).body);
    expect(portfolioB.unitId).toBe('unit-b');
    expect(portfolioB.verdict.statements.find((s) => s.key === '1.1')?.status).toBe('not-yet-assessed');
    expect(portfolioB.verdict.statements.find((s) => s.key === '1.2')?.status).toBe('not-met');

    const submitted = await api.post(`/api/evidence/${item.id}/submit`, { baseVersion: 3, declaration: AUTHENTICITY_DECLARATION });
    expect(submitted.status).toBe(200);
    item = EvidenceItemSchema.parse(submitted.body);
    expect(item).toMatchObject({ state: 'submitted', version: 4 });
    expect(item.submittedAt).not.toBeNull();

    // Editing a submitted item is never silent: it goes back to draft, and the history says so.
    const reopened = await api.put(`/api/evidence/${item.id}`, { baseVersion: 4, draft: { ...aDraft({ title: 'Returns desk complaint, with the manager’s reply' }) } });
    expect(reopened.status).toBe(200);
    item = EvidenceItemSchema.parse(reopened.body);
    expect(item).toMatchObject({ state: 'draft', version: 5, submittedAt: null });

    const history = EvidenceHistorySchema.parse((await api.get(`/api/evidence/${item.id}/history`)).body);
    expect(history.map((r) => [r.version, r.kind, r.draft.title])).toEqual([
      [5, 'reopened', 'Returns desk complaint, with the manager’s reply'],
      [4, 'submitted', 'Returns desk complaint, Saturday'],
      [2, 'saved', 'Returns desk complaint, Saturday'],
      [1, 'saved', 'Returns desk complaint'],
    ]);

    // What the API said is what the database holds.
    const [row] = await tool.db.select().from(evidenceItems).where(eq(evidenceItems.id, item.id));
    expect(row).toMatchObject({ state: 'draft', version: 5, learnerUserId: fixture.tenantA.learner.id, contextId: fixture.tenantA.course.id, method: 'PE' });
    const [fileRow] = await tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id));
    expect(await tool.fileStore.stat(fileRow!.storageKey)).toMatchObject({ size: bytes.length });
  });

  it('derives the method from the evidence type: a witness statement is witness testimony, and its pending mappings follow', async () => {
    const item = await newItem({ evidenceType: 'photo' });
    const mapped = EvidenceItemSchema.parse((await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: 1, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '2' }] })).body);
    expect(mapped.mappings[0]?.method).toBe('PE');
    const retyped = EvidenceItemSchema.parse((await api.put(`/api/evidence/${item.id}`, { baseVersion: mapped.version, draft: { ...aDraft({ evidenceType: 'witness-statement' }) } })).body);
    expect(retyped.method).toBe('WT');
    expect(retyped.mappings[0]?.method).toBe('WT');
  });

  it('stores refs as the verdict names them and keeps one mapping per target', async () => {
    const item = await newItem();
    const reply = await api.put(`/api/evidence/${item.id}/mappings`, {
      baseVersion: 1,
      mappings: [
        { unitId: 'unit-a', target: 'statement', ref: 'pc:1' },
        { unitId: 'unit-a', target: 'statement', ref: '1' },
      ],
    });
    expect(reply.status).toBe(200);
    expect(EvidenceItemSchema.parse(reply.body).mappings.map((m) => m.ref)).toEqual(['1']);
  });

  it('answers a second tab’s stale save with 409 and the saved copy, and keeps both versions in the history', async () => {
    const item = await newItem({ title: 'Opened in two tabs' });
    const first = await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: { ...aDraft({ title: 'Saved from tab one' }) } });
    expect(first.status).toBe(200);

    const second = await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: { ...aDraft({ title: 'Saved from tab two' }) } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('conflict');
    expect(second.body.error.message).toMatch(/another tab or window/);
    const details = EvidenceConflictDetailsSchema.parse(second.body.error.details);
    expect(details.current).toMatchObject({ id: item.id, version: 2, title: 'Saved from tab one' });

    const history = EvidenceHistorySchema.parse((await api.get(`/api/evidence/${item.id}/history`)).body);
    expect(history.map((r) => [r.kind, r.draft.title])).toEqual([
      ['conflict-copy', 'Saved from tab two'],
      ['saved', 'Saved from tab one'],
      ['saved', 'Opened in two tabs'],
    ]);
    const [copy] = await fixture.tool.db.select().from(evidenceRevisions).where(eq(evidenceRevisions.id, details.conflictCopyId));
    expect(copy).toMatchObject({ kind: 'conflict-copy', version: 1 });
    const [row] = await fixture.tool.db.select().from(evidenceItems).where(eq(evidenceItems.id, item.id));
    expect(row).toMatchObject({ title: 'Saved from tab one', version: 2 });
  });

  it('refuses stale mappings and a stale submission with 409, changing nothing', async () => {
    const item = await newItem();
    await api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: { ...aDraft({ title: 'Moved on' }) } });
    const mappings = await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: 1, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1' }] });
    expect(mappings.status).toBe(409);
    expect(EvidenceConflictDetailsSchema.parse(mappings.body.error.details).current.mappings).toEqual([]);
    const submit = await api.post(`/api/evidence/${item.id}/submit`, { baseVersion: 1, declaration: AUTHENTICITY_DECLARATION });
    expect(submit.status).toBe(409);
    expect(submit.body.error.details.current).toMatchObject({ state: 'draft', version: 2 });
  });

  it('serialises concurrent saves of one item: exactly one of two same-version writes wins', async () => {
    const item = await newItem();
    const replies = await Promise.all(['Tab one', 'Tab two'].map((title) => api.put(`/api/evidence/${item.id}`, { baseVersion: 1, draft: { ...aDraft({ title }) } })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await fixture.tool.db.select().from(evidenceItems).where(eq(evidenceItems.id, item.id));
    expect(row?.version).toBe(2);
  });

  it('answers malformed JSON with 400 and stores nothing', async () => {
    const before = await fixture.tool.db.select().from(evidenceItems);
    const reply = await api.raw('POST', '/api/evidence', { raw: '{"title": "half', headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
    expect(await fixture.tool.db.select().from(evidenceItems)).toHaveLength(before.length);
  });

  it('names each field of a draft that breaks the schema, and an undeclared submission', async () => {
    const reply = await api.post('/api/evidence', { ...aDraft(), title: '  ', activityDate: '2026-02-30', workSetting: 'garden', extra: true });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['', 'activityDate', 'title', 'workSetting']);
    const item = await newItem();
    const submit = await api.post(`/api/evidence/${item.id}/submit`, { baseVersion: 1, declaration: 'I did it' });
    expect(submit.status).toBe(400);
    expect(submit.body.error.details).toEqual([{ path: 'declaration', code: 'invalid_value' }]);
  });

  it('refuses a mapping to a statement, scope item or requirement that does not exist, or to a requirement printed without wording, naming it, and keeps the mappings it had', async () => {
    const item = await newItem();
    const kept = EvidenceItemSchema.parse((await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: 1, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1' }] })).body);
    const cases = [
      { mapping: { unitId: 'unit-a', target: 'statement', ref: '9' }, message: 'Unit A1 (Give customers a positive impression) has no statement “9”, so evidence cannot be mapped to it.' },
      { mapping: { unitId: 'unit-a', target: 'scope-item', ref: '2.z' }, message: 'Unit A1 (Give customers a positive impression) has no scope item “2.z”, so evidence cannot be mapped to it.' },
      { mapping: { unitId: 'unit-a', target: 'evidence-requirement', ref: '5' }, message: 'Unit A1 (Give customers a positive impression) has no evidence requirement “5”, so evidence cannot be mapped to it.' },
      { mapping: { unitId: 'unit-a', target: 'evidence-requirement', ref: '6' }, message: 'Unit A1 (Give customers a positive impression) prints evidence requirement “6” only as a column of its recording form, without wording, so evidence cannot be mapped to it until your centre adds its wording.' },
      { mapping: { unitId: 'unit-a', target: 'statement', ref: '3' }, message: '“3” names more than one statement in Unit A1 (Give customers a positive impression); use its kind as well (for example pc:3 or k:3).' },
      { mapping: { unitId: 'unit-c', target: 'statement', ref: '1.1' }, message: 'Evidence can only be mapped to the units of your course; “unit-c” is not one of them.' },
      { mapping: { unitId: 'no-such-unit', target: 'statement', ref: '1.1' }, message: 'Evidence can only be mapped to the units of your course; “no-such-unit” is not one of them.' },
    ];
    for (const { mapping, message } of cases) {
      const reply = await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: kept.version, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '2' }, mapping] });
      expect(reply.status, JSON.stringify(mapping)).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid_request', message });
      expect(reply.body.error.details[0].path).toMatch(/^mappings\.1\./);
    }
    const after = EvidenceItemSchema.parse((await api.get(`/api/evidence/${item.id}`)).body);
    expect(after).toMatchObject({ version: kept.version, mappings: [expect.objectContaining({ ref: '1' })] });
  });

  it('shows what the assessor recorded: an accepted mapping counts as met, with feedback on the item and on the unit', async () => {
    const { tool, tenantA } = fixture;
    const item = await newItem({ title: 'Observed by my assessor' });
    await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: 1, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '2' }] });
    // Issue 4's assessor screens will write these rows; the learner's API only reads them.
    await tool.db.update(evidenceMappings).set({ decision: 'accepted', feedback: 'Clear account of the need.', decidedBy: tenantA.instructor.id, decidedAt: new Date() }).where(eq(evidenceMappings.itemId, item.id));
    const learner = { issuer: tenantA.lms.issuer, clientId: tenantA.registration.clientId, deploymentId: tenantA.registration.deploymentId, contextId: tenantA.course.id, learnerUserId: tenantA.learner.id };
    await tool.db.insert(evidenceFeedback).values([
      { ...learner, itemId: item.id, authorUserId: tenantA.instructor.id, authorName: 'Ida Instructor', text: 'Good detail.', actionPlan: 'Add a second customer.' },
      { ...learner, unitId: 'unit-a', authorUserId: tenantA.instructor.id, authorName: 'Ida Instructor', text: 'Nearly there.', actionPlan: null },
    ]);

    const portfolio = PortfolioSchema.parse((await api.get('/api/portfolio')).body);
    const statement2 = portfolio.verdict.statements.find((s) => s.key === '2');
    expect(statement2).toMatchObject({ status: 'met', evidenceIds: [item.id] });
    const shown = portfolio.items.find((i) => i.id === item.id);
    expect(shown?.mappings).toEqual([{ unitId: 'unit-a', target: 'statement', ref: '2', decision: 'accepted', feedback: 'Clear account of the need.', method: 'PE' }]);
    expect(shown?.feedback).toEqual([expect.objectContaining({ authorName: 'Ida Instructor', text: 'Good detail.', actionPlan: 'Add a second customer.' })]);
    expect(portfolio.unitFeedback).toEqual([expect.objectContaining({ text: 'Nearly there.', actionPlan: null })]);
  });

  it('sends the assessor’s decisions back to pending when the learner edits a submitted item, keeping them in the history', async () => {
    const item = await newItem();
    const mapped = EvidenceItemSchema.parse((await api.put(`/api/evidence/${item.id}/mappings`, { baseVersion: 1, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1' }] })).body);
    const submitted = EvidenceItemSchema.parse((await api.post(`/api/evidence/${item.id}/submit`, { baseVersion: mapped.version, declaration: AUTHENTICITY_DECLARATION })).body);
    await fixture.tool.db.update(evidenceMappings).set({ decision: 'accepted' }).where(eq(evidenceMappings.itemId, item.id));
    const edited = EvidenceItemSchema.parse((await api.put(`/api/evidence/${item.id}`, { baseVersion: submitted.version, draft: { ...aDraft({ title: 'Changed after assessment' }) } })).body);
    expect(edited.mappings.map((m) => m.decision)).toEqual(['pending']);
    const [reopened] = await fixture.tool.db.select().from(evidenceRevisions).where(eq(evidenceRevisions.itemId, item.id)).orderBy(evidenceRevisions.seq).then((rows) => rows.filter((r) => r.kind === 'reopened'));
    expect(reopened?.mappings).toEqual([{ unitId: 'unit-a', target: 'statement', ref: '1', decision: 'accepted' }]);
  });
});
