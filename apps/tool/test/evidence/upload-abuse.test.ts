import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema } from '@attest/contracts';
import type { EvidenceItem } from '@attest/contracts';
import { LocalDirectoryFileStore } from '@attest/evidence-files';
import { evidenceFiles } from '../../src/db/index.ts';
import { backends } from '../support/index.ts';
import { aDraft, apiAs, filesIn, pdfBytes, pngBytes, startPortfolioFixture } from './portfolio-fixture.ts';
import type { LooseBody, PortfolioFixture } from './portfolio-fixture.ts';

// Uploads as an attacker or an unlucky learner sends them, over real HTTP. Each refusal has a
// precise message, and leaves no row and no file behind.

describe.each(backends)('evidence uploads on %s', (backend) => {
  let fixture: PortfolioFixture;
  let api: ReturnType<typeof apiAs>;
  let storeDirectory: string;

  beforeAll(async () => {
    fixture = await startPortfolioFixture(backend);
    const { tenantA } = fixture;
    api = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.learner, tenantA.linkA));
    if (!(fixture.tool.fileStore instanceof LocalDirectoryFileStore)) throw new Error('expected the local directory store');
    storeDirectory = fixture.tool.fileStore.directory;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  async function newItem(evidenceType: EvidenceItem['evidenceType'] = 'document'): Promise<EvidenceItem> {
    return EvidenceItemSchema.parse((await api.post('/api/evidence', aDraft({ evidenceType }))).body);
  }

  const filesOnDisk = () => filesIn(storeDirectory);

  /** Sends a request and asserts it stored nothing: no row on the item, no new file on disk. */
  async function expectRefused(item: EvidenceItem, send: () => Promise<{ status: number; body: LooseBody }>, status: number, message: RegExp | string) {
    const before = await filesOnDisk();
    const reply = await send();
    expect(reply.status).toBe(status);
    if (typeof message === 'string') expect(reply.body.error.message).toBe(message);
    else expect(reply.body.error.message).toMatch(message);
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
    expect(await filesOnDisk()).toEqual(before);
    return reply;
  }

  it('stores a file checked by content, served back with its real type as an attachment that is never sniffed', async () => {
    const item = await newItem('photo');
    // The browser claims nothing useful; the content says PNG.
    const reply = await api.upload(item.id, { name: 'Till receipt.png', type: 'application/octet-stream', bytes: pngBytes() });
    expect(reply.status).toBe(201);
    const file = EvidenceItemSchema.parse(reply.body).files[0]!;
    expect(file).toMatchObject({ name: 'Till receipt.png', mediaType: 'image/png', size: pngBytes().length });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const download = await api.get(`/api/evidence/${item.id}/files/${file.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="Till receipt.png"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('cache-control')).toBe('no-store');
  });

  it('1. refuses an oversized file with 413 and stores nothing', async () => {
    const item = await newItem('photo');
    // Photos may be 25 MB: one byte more, as a PNG that would otherwise pass.
    const big = Buffer.concat([pngBytes(), Buffer.alloc(25 * 1024 * 1024 + 1 - pngBytes().length)]);
    await expectRefused(item, () => api.upload(item.id, { name: 'huge.png', type: 'image/png', bytes: big }), 413, /larger than/);
  });

  it('2. refuses an empty file with 400', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.upload(item.id, { name: 'empty.pdf', type: 'application/pdf', bytes: new Uint8Array(0) }), 400, /empty/);
  });

  it('3. refuses content that does not match the name and type it claims with 415', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.upload(item.id, { name: 'statement.pdf', type: 'application/pdf', bytes: pngBytes() }), 415, /statement\.pdf/);
  });

  it('4. refuses a web page posing as plain text with 415, naming what it is', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.upload(item.id, { name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('<!DOCTYPE html><script>alert(1)</script>') }), 415, /web page/);
  });

  it('5. refuses a program renamed as a photo with 415', async () => {
    const item = await newItem('photo');
    const program = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    await expectRefused(item, () => api.upload(item.id, { name: 'photo.jpg', type: 'image/jpeg', bytes: program }), 415, /photo\.jpg/);
  });

  it('6. refuses a path-like name that climbs out of its folder with 400', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.upload(item.id, { name: '../../etc/passwd.pdf', type: 'application/pdf', bytes: pdfBytes() }), 400, 'The file name is a folder path, not a plain file name. Rename the file and upload it again.');
  });

  it('7. refuses an enormous name (over 255 bytes) with 400', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.upload(item.id, { name: `${'é'.repeat(200)}.pdf`, type: 'application/pdf', bytes: pdfBytes() }), 400, /name/);
  });

  // A name holding NUL or a lone surrogate is refused with 400 instead (test/http/input-hygiene.test.ts).
  it('8. strips bidi overrides and a browser’s fake path from a name before anyone sees it', async () => {
    const item = await newItem('photo');
    const reply = await api.upload(item.id, { name: 'C:\\fakepath\\receipt\u202Egnp.png', type: 'image/png', bytes: pngBytes() });
    expect(reply.status).toBe(201);
    const [row] = await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id));
    expect(row?.name).toBe('receiptgnp.png');
    const download = await api.get(`/api/evidence/${item.id}/files/${row!.id}`);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=receiptgnp.png');
  });

  it('9. refuses an upload without a file name, or with one that is not percent-encoded properly, with 400', async () => {
    const item = await newItem();
    await expectRefused(item, () => api.raw('POST', `/api/evidence/${item.id}/files`, { raw: pdfBytes(), headers: { 'content-type': 'application/pdf' } }), 400, /no file name/);
    await expectRefused(item, () => api.raw('POST', `/api/evidence/${item.id}/files`, { raw: pdfBytes(), headers: { 'content-type': 'application/pdf', 'x-file-name': 'bad%E0%A4%A.pdf' } }), 400, /not correctly percent-encoded/);
  });

  it('10. answers 404 for an item id that does not exist or is not an id', async () => {
    const item = await newItem();
    for (const id of ['5b0c1d2e-0000-4000-8000-000000000000', 'not-an-id']) {
      const reply = await api.upload(id, { name: 'a.pdf', type: 'application/pdf', bytes: pdfBytes() });
      expect(reply.status).toBe(404);
    }
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
  });

  it('11. answers 404 for another learner’s item and stores nothing there', async () => {
    const { tenantA } = fixture;
    const item = await newItem();
    const stranger = apiAs(fixture.tool.url, await fixture.launch(tenantA, tenantA.otherLearner, tenantA.linkA));
    await expectRefused(item, () => stranger.upload(item.id, { name: 'planted.pdf', type: 'application/pdf', bytes: pdfBytes() }), 404, 'There is no evidence with this id in your portfolio.');
  });

  it('12. leaves no row and no file when the connection drops half-way through the body', async () => {
    const item = await newItem();
    const before = await filesOnDisk();
    const body = pdfBytes('interrupted', 200_000);
    const url = new URL(`${fixture.tool.url}/api/evidence/${item.id}/files`);
    const outcome = await new Promise<string>((resolve) => {
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/pdf', 'x-file-name': 'cut.pdf', 'content-length': String(body.length) } }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', () => resolve('dropped'));
      // Cut the connection only once the server is writing the half it has: cut earlier, and on a
      // busy machine the check below could pass before the server had even begun the file.
      req.write(body.subarray(0, 100_000), () => {
        void (async () => {
          const writing = Date.now() + 60_000;
          while ((await filesOnDisk()).length === before.length && Date.now() < writing) await new Promise((r) => setTimeout(r, 20));
          req.destroy();
        })();
      });
    });
    expect(outcome).toBe('dropped');
    // The server notices the drop asynchronously (later on a busy machine): wait until the partial file is gone.
    const deadline = Date.now() + 60_000;
    while ((await filesOnDisk()).length !== before.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
    expect(await filesOnDisk()).toEqual(before);
  });

  it('13. refuses a 21st file on one item with 422, keeping the 20 it has', async () => {
    const item = await newItem();
    for (let i = 1; i <= 20; i++) expect((await api.upload(item.id, { name: `page-${i}.pdf`, type: 'application/pdf', bytes: pdfBytes(`page ${i}`) })).status).toBe(201);
    const before = await filesOnDisk();
    const reply = await api.upload(item.id, { name: 'page-21.pdf', type: 'application/pdf', bytes: pdfBytes('page 21') });
    expect(reply.status).toBe(422);
    expect(reply.body.error.message).toBe('This evidence already has 20 files, the most one item can hold. Remove one or add the file to another item.');
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toHaveLength(20);
    expect(await filesOnDisk()).toEqual(before);
  });

  it('14. refuses to change the files of submitted evidence until it is reopened', async () => {
    const item = await newItem();
    const withFile = EvidenceItemSchema.parse((await api.upload(item.id, { name: 'kept.pdf', type: 'application/pdf', bytes: pdfBytes() })).body);
    const submitted = EvidenceItemSchema.parse((await api.post(`/api/evidence/${item.id}/submit`, { baseVersion: withFile.version, declaration: AUTHENTICITY_DECLARATION })).body);
    const added = await api.upload(item.id, { name: 'late.pdf', type: 'application/pdf', bytes: pdfBytes() });
    expect(added.status).toBe(422);
    expect(added.body.error.message).toMatch(/submitted for assessment/);
    const removed = await api.delete(`/api/evidence/${item.id}/files/${submitted.files[0]!.id}`);
    expect(removed.status).toBe(422);
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toHaveLength(1);
  });

  it('deletes a file from a draft: the row and the stored bytes go', async () => {
    const item = await newItem();
    const withFile = EvidenceItemSchema.parse((await api.upload(item.id, { name: 'mistake.pdf', type: 'application/pdf', bytes: pdfBytes() })).body);
    const [row] = await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id));
    const reply = await api.delete(`/api/evidence/${item.id}/files/${withFile.files[0]!.id}`);
    expect(reply.status).toBe(200);
    expect(EvidenceItemSchema.parse(reply.body).files).toEqual([]);
    expect(await fixture.tool.fileStore.stat(row!.storageKey)).toBeUndefined();
    expect((await api.get(`/api/evidence/${item.id}/files/${withFile.files[0]!.id}`)).status).toBe(404);
  });
});
