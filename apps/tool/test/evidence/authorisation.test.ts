import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema, PortfolioSchema } from '@attest/contracts';
import type { EvidenceItem } from '@attest/contracts';
import { evidenceFiles, evidenceItems, evidenceMappings } from '../../src/db/index.ts';
import { backends } from '../support/index.ts';
import { aDraft, apiAs, pngBytes, startPortfolioFixture } from './portfolio-fixture.ts';
import type { PortfolioFixture } from './portfolio-fixture.ts';

// A learner sees and changes only their own portfolio, in the course where they launched. Every
// other id answers 404 (never 403, which would say the id exists), and nothing changes.

describe.each(backends)('who may see and change a portfolio on %s', (backend) => {
  let fixture: PortfolioFixture;
  let owner: ReturnType<typeof apiAs>;
  let item: EvidenceItem;
  let fileId: string;

  beforeAll(async () => {
    fixture = await startPortfolioFixture(backend);
    const { tenantA } = fixture;
    owner = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkA));
    const created = EvidenceItemSchema.parse((await owner.post('/api/evidence', aDraft({ title: 'Only mine', evidenceType: 'photo' }))).body);
    const uploaded = EvidenceItemSchema.parse((await owner.upload(created.id, { name: 'till.png', type: 'image/png', bytes: pngBytes() })).body);
    item = EvidenceItemSchema.parse((await owner.put(`/api/evidence/${created.id}/mappings`, { baseVersion: uploaded.version, mappings: [{ unitId: 'unit-a', target: 'statement', ref: '1' }] })).body);
    fileId = item.files[0]!.id;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  /** Every learner route on the owner's item, each as a stranger would try it. */
  function attempts(api: ReturnType<typeof apiAs>) {
    const base = `/api/evidence/${item.id}`;
    return [
      ['read the item', () => api.get(base)],
      ['save over the draft', () => api.put(base, { baseVersion: item.version, draft: aDraft({ title: 'Hijacked' }) })],
      ['change the mappings', () => api.put(`${base}/mappings`, { baseVersion: item.version, mappings: [] })],
      ['submit it', () => api.post(`${base}/submit`, { baseVersion: item.version, declaration: AUTHENTICITY_DECLARATION })],
      ['read the history', () => api.get(`${base}/history`)],
      ['download the file', () => api.get(`${base}/files/${fileId}`)],
      ['delete the file', () => api.delete(`${base}/files/${fileId}`)],
      ['add a file', () => api.upload(item.id, { name: 'extra.png', type: 'image/png', bytes: pngBytes() })],
    ] as const;
  }

  async function expectUntouched(): Promise<void> {
    const [row] = await fixture.tool.db.select().from(evidenceItems).where(eq(evidenceItems.id, item.id));
    expect(row).toMatchObject({ title: 'Only mine', version: item.version, state: 'draft' });
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toHaveLength(1);
    expect(await fixture.tool.db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, item.id))).toHaveLength(1);
  }

  it('answers 404 to another learner of the same course on every route, and changes nothing', async () => {
    const { tenantA } = fixture;
    const stranger = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.otherLearner, tenantA.linkA));
    for (const [what, attempt] of attempts(stranger)) {
      const reply = await attempt();
      expect(reply.status, what).toBe(404);
      expect(reply.body.error.code, what).toBe('not_found');
    }
    await expectUntouched();
  });

  it('keeps the other learner’s portfolio and verdict free of the owner’s evidence', async () => {
    const { tenantA } = fixture;
    const stranger = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.otherLearner, tenantA.linkA));
    const portfolio = PortfolioSchema.parse((await stranger.get('/api/portfolio')).body);
    expect(portfolio.items).toEqual([]);
    expect(portfolio.verdict.statements.find((s) => s.key === '1')?.status).toBe('not-met');
    const ownerPortfolio = PortfolioSchema.parse((await owner.get('/api/portfolio')).body);
    expect(ownerPortfolio.items.map((i) => i.id)).toEqual([item.id]);
    expect(ownerPortfolio.verdict.statements.find((s) => s.key === '1')?.status).toBe('not-yet-assessed');
  });

  it('answers 404 to the same learner launched from another course: a portfolio belongs to its course', async () => {
    const { tenantA } = fixture;
    const elsewhere = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkC));
    for (const [what, attempt] of attempts(elsewhere)) expect((await attempt()).status, what).toBe(404);
    expect(PortfolioSchema.parse((await elsewhere.get('/api/portfolio')).body).items).toEqual([]);
    await expectUntouched();
  });

  it('answers 404 to a learner of another tenant whose LMS user and course ids are the same', async () => {
    const { tenantA, tenantB } = fixture;
    expect([tenantB.learner.id, tenantB.course.id]).toEqual([tenantA.learner.id, tenantA.course.id]);
    const twin = apiAs(fixture.tool.url, await fixture.launch(tenantB, tenantB.learner, tenantB.linkA));
    for (const [what, attempt] of attempts(twin)) expect((await attempt()).status, what).toBe(404);
    expect(PortfolioSchema.parse((await twin.get('/api/portfolio')).body).items).toEqual([]);
    await expectUntouched();
  });

  it('refuses instructors on the learner routes with 403', async () => {
    const { tenantA } = fixture;
    const instructor = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.instructor, tenantA.linkA));
    expect((await instructor.get('/api/portfolio')).status).toBe(403);
    const create = await instructor.post('/api/evidence', aDraft());
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('forbidden');
    for (const [what, attempt] of attempts(instructor)) expect((await attempt()).status, what).toBe(403);
    await expectUntouched();
  });

  it('refuses callers without a valid launch token with 401', async () => {
    for (const token of [null, 'not-a-launch-token']) {
      const anonymous = apiAs(fixture.tool.url, token);
      expect((await anonymous.get('/api/portfolio')).status).toBe(401);
      expect((await anonymous.post('/api/evidence', aDraft())).status).toBe(401);
      for (const [what, attempt] of attempts(anonymous)) expect((await attempt()).status, what).toBe(401);
    }
    await expectUntouched();
  });

  it('answers 404 for ids that are not ids at all, rather than a database error', async () => {
    for (const path of ['/api/evidence/1', '/api/evidence/..%2F..%2Fetc', `/api/evidence/${item.id}/files/not-a-file`, '/api/evidence/00000000-0000-0000-0000-000000000000/history']) {
      const reply = await owner.get(path);
      expect(reply.status, path).toBe(404);
    }
  });
});
