import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceItemSchema, PortfolioSchema } from '@attest/contracts';
import type { EvidenceItem } from '@attest/contracts';
import { LocalDirectoryFileStore } from '@attest/evidence-files';
import { evidenceFiles, evidenceItems } from '../../src/db/index.ts';
import { backends } from '../support/index.ts';
import { aDraft, apiAs, pdfBytes, startPortfolioFixture } from './portfolio-fixture.ts';
import type { PortfolioFixture } from './portfolio-fixture.ts';

// Each learner's quota in a course: bytes of files and a number of items, checked before a byte
// is written. Small limits here, so the boundaries are a few kilobytes apart.

const QUOTA = { maxBytes: 10_000, maxItems: 3 };

/** A PDF of exactly `size` bytes (the fixture's PDF padded). */
function pdfOf(size: number): Buffer {
  const bare = pdfBytes('q').length;
  const bytes = pdfBytes('q', size - bare);
  if (bytes.length !== size) throw new Error(`pdfOf(${size}) made ${bytes.length} bytes`);
  return bytes;
}

describe.each(backends)('learner quotas on %s', (backend) => {
  let fixture: PortfolioFixture;
  let storeDirectory: string;

  beforeAll(async () => {
    fixture = await startPortfolioFixture(backend, { env: { evidenceQuota: QUOTA } });
    if (!(fixture.tool.fileStore instanceof LocalDirectoryFileStore)) throw new Error('expected the local directory store');
    storeDirectory = fixture.tool.fileStore.directory;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  async function filesOnDisk(): Promise<string[]> {
    const entries = await readdir(storeDirectory, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  }
  async function newItem(api: ReturnType<typeof apiAs>): Promise<EvidenceItem> {
    const reply = await api.post('/api/evidence', aDraft({ evidenceType: 'document' }));
    expect(reply.status).toBe(201);
    return EvidenceItemSchema.parse(reply.body);
  }
  async function usageOf(api: ReturnType<typeof apiAs>) {
    const reply = await api.get('/api/portfolio');
    expect(reply.status).toBe(200);
    return PortfolioSchema.parse(reply.body).usage;
  }
  const rowsOf = (itemId: string) => fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, itemId));

  it('reports what the learner uses and has left in this course, and takes a file that fills the quota exactly', async () => {
    const { tenantA } = fixture;
    const api = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkA));
    expect(await usageOf(api)).toEqual({ bytesUsed: 0, bytesLimit: 10_000, bytesLeft: 10_000, itemsUsed: 0, itemsLimit: 3, itemsLeft: 3 });
    const first = await newItem(api);
    await newItem(api);
    expect((await api.upload(first.id, { name: 'plan.pdf', type: 'application/pdf', bytes: pdfOf(4_000) })).status).toBe(201);
    expect(await usageOf(api)).toEqual({ bytesUsed: 4_000, bytesLimit: 10_000, bytesLeft: 6_000, itemsUsed: 2, itemsLimit: 3, itemsLeft: 1 });
    // Exactly what is left fits.
    expect((await api.upload(first.id, { name: 'rest.pdf', type: 'application/pdf', bytes: pdfOf(6_000) })).status).toBe(201);
    expect(await usageOf(api)).toMatchObject({ bytesUsed: 10_000, bytesLeft: 0 });
    // The same learner's portfolio in another course has its own quota.
    const elsewhere = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkC));
    expect(await usageOf(elsewhere)).toEqual({ bytesUsed: 0, bytesLimit: 10_000, bytesLeft: 10_000, itemsUsed: 0, itemsLimit: 3, itemsLeft: 3 });
  });

  it('refuses with 413 a file whose Content-Length is one byte more than is left, storing no row and no bytes', async () => {
    const { tenantA } = fixture;
    const api = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.otherLearner, tenantA.linkA));
    const item = await newItem(api);
    expect((await api.upload(item.id, { name: 'first.pdf', type: 'application/pdf', bytes: pdfOf(7_000) })).status).toBe(201);
    const before = await filesOnDisk();
    const reply = await api.upload(item.id, { name: 'second.pdf', type: 'application/pdf', bytes: pdfOf(3_001) });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toEqual({
      code: 'payload_too_large',
      message: 'second.pdf was not stored: your evidence in this course may take up 10 KB, 7 KB is used and 3 KB is left. Remove files you no longer need, or ask your tutor.',
      details: { quota: 'bytes', bytesLimit: 10_000, bytesUsed: 7_000, bytesLeft: 3_000 },
    });
    expect(await rowsOf(item.id)).toHaveLength(1);
    expect(await filesOnDisk()).toEqual(before);
    expect(await usageOf(api)).toMatchObject({ bytesUsed: 7_000, bytesLeft: 3_000 });
  });

  it('cuts a body sent without Content-Length as soon as it passes what is left, storing no row and no bytes', async () => {
    const { tenantB } = fixture;
    const api = apiAs(fixture.tool.url, await fixture.launch(tenantB, tenantB.learner, tenantB.linkA));
    const item = await newItem(api);
    expect((await api.upload(item.id, { name: 'first.pdf', type: 'application/pdf', bytes: pdfOf(9_000) })).status).toBe(201);
    const before = await filesOnDisk();
    // Chunked, so the server learns the size only by counting: 1,001 bytes where 1,000 are left.
    const body = pdfOf(1_001);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${fixture.tool.url}/api/evidence/${item.id}/files`,
        { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/pdf', 'x-file-name': 'chunked.pdf', 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      // The server may answer and close before the last chunk: that is the point, not a failure.
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.write(body.subarray(0, 500));
      req.write(body.subarray(500));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({
      error: {
        code: 'payload_too_large',
        message: expect.stringMatching(/^chunked\.pdf was not stored: your evidence in this course may take up 10 KB, 9 KB is used and 1000 bytes is left\./),
        details: { quota: 'bytes', bytesLimit: 10_000, bytesUsed: 9_000, bytesLeft: 1_000 },
      },
    });
    expect(await rowsOf(item.id)).toHaveLength(1);
    expect(await filesOnDisk()).toEqual(before);
    // Exactly what is left, the same way, is stored.
    expect((await api.upload(item.id, { name: 'last.pdf', type: 'application/pdf', bytes: pdfOf(1_000) })).status).toBe(201);
    expect(await usageOf(api)).toMatchObject({ bytesUsed: 10_000, bytesLeft: 0 });
  });

  it('refuses a learner’s item past the cap with 422 and stores no item, while another learner may still add theirs', async () => {
    const { tenantB } = fixture;
    const api = apiAs(fixture.tool.url, await fixture.launch(tenantB, tenantB.otherLearner, tenantB.linkA));
    for (let n = 0; n < QUOTA.maxItems; n += 1) await newItem(api);
    const reply = await api.post('/api/evidence', aDraft());
    expect(reply.status).toBe(422);
    expect(reply.body.error).toEqual({
      code: 'rule_violation',
      message: 'You already keep 3 evidence items in this course, the most allowed (3). Add files to an existing item, or ask your tutor.',
      details: { quota: 'items', itemsLimit: 3, itemsUsed: 3 },
    });
    const rows = await fixture.tool.db.select().from(evidenceItems).where(eq(evidenceItems.learnerUserId, tenantB.otherLearner.id));
    expect(rows.filter((row) => row.issuer === tenantB.lms.issuer)).toHaveLength(3);
    expect(await usageOf(api)).toMatchObject({ itemsUsed: 3, itemsLeft: 0 });
  });
});
