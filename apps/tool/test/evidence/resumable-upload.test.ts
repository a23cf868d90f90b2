import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema, RESUMABLE_UPLOADS_PATH } from '@attest/contracts';
import type { EvidenceItem } from '@attest/contracts';
import { LocalDirectoryFileStore } from '@attest/evidence-files';
import { evidenceFiles, evidenceUploadParts, evidenceUploads } from '../../src/db/index.ts';
import { MAX_OPEN_UPLOADS, UPLOAD_PART_BYTES } from '../../src/evidence/resumable-uploads.ts';
import { backends } from '../support/index.ts';
import { aDraft, apiAs, filesIn, pdfBytes, pngBytes, startPortfolioFixture } from './portfolio-fixture.ts';
import type { PortfolioFixture } from './portfolio-fixture.ts';

// Resumable uploads (tus 1.0, issue 12) over real HTTP: a connection cut half-way keeps what
// arrived, the upload resumes from there and ends as one evidence file with the right bytes; every
// check of a one-request upload still applies; another learner's upload is not there to them.

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TUS = { 'tus-resumable': '1.0.0' };

describe.each(backends)('resumable uploads on %s', (backend) => {
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

  async function uploadRows() {
    return fixture.tool.db.select().from(evidenceUploads);
  }

  /** POST: creates an upload and answers its URL (or the refusal). */
  async function create(token: string | null, metadata: Record<string, string>, length: number) {
    const response = await fetch(`${fixture.tool.url}${RESUMABLE_UPLOADS_PATH}`, {
      method: 'POST',
      headers: { ...TUS, authorization: `Bearer ${token}`, 'upload-length': String(length), 'upload-metadata': Object.entries(metadata).map(([key, value]) => `${key} ${b64(value)}`).join(',') },
    });
    const location = response.headers.get('location');
    return { status: response.status, body: await response.text(), url: location === null ? null : new URL(location, fixture.tool.url).href };
  }

  async function head(token: string | null, url: string) {
    const response = await fetch(url, { method: 'HEAD', headers: { ...TUS, authorization: `Bearer ${token}` } });
    return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
  }

  async function patch(token: string | null, url: string, offset: number, bytes: Uint8Array) {
    const response = await fetch(url, { method: 'PATCH', headers: { ...TUS, authorization: `Bearer ${token}`, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, body: bytes });
    const text = await response.text();
    // tus's own refusals (a wrong offset) are plain text; Attest's are its usual JSON.
    const body = text.startsWith('{') ? (JSON.parse(text) as unknown) : text;
    return { status: response.status, offset: Number(response.headers.get('upload-offset')), body };
  }

  /** Sends `bytes` as one PATCH but cuts the connection after `sendFirst` of them have gone. */
  async function patchCut(url: string, offset: number, bytes: Uint8Array, sendFirst: number): Promise<string> {
    return new Promise<string>((resolve) => {
      const req = request(new URL(url), {
        method: 'PATCH',
        headers: { ...TUS, authorization: `Bearer ${api.token}`, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(bytes.length) },
      }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', () => resolve('dropped'));
      req.write(bytes.subarray(0, sendFirst), () => {
        void (async () => {
          // Cut once the server has stored a part of what was sent (a busy machine reads late).
          const deadline = Date.now() + 60_000;
          while (Date.now() < deadline) {
            const [row] = await fixture.tool.db.select().from(evidenceUploads).where(eq(evidenceUploads.id, url.split('/').pop()!));
            if ((row?.offset ?? 0) > offset) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          req.destroy();
        })();
      });
    });
  }

  it('keeps the bytes that arrived before a cut connection, resumes from them, and records one file with the right bytes', async () => {
    const item = await newItem();
    const bytes = pdfBytes('Returns desk log', 3 * UPLOAD_PART_BYTES);
    const before = await filesOnDisk();
    const created = await create(api.token, { itemId: item.id, filename: 'returns-log.pdf', filetype: 'application/pdf' }, bytes.length);
    expect(created.status).toBe(201);
    expect(created.url).toMatch(new RegExp(`${RESUMABLE_UPLOADS_PATH}/[0-9a-f]{32}$`));
    const url = created.url!;

    // Half the file goes, then the connection is cut.
    const sent = Math.floor(bytes.length / 2);
    expect(await patchCut(url, 0, bytes, sent)).toBe('dropped');
    // A HEAD takes the upload's lock, which first stops the cut request and stores what it read
    // (tus asks the holder to release it): its offset is settled, however late the server noticed.
    const state = await head(api.token, url);
    expect(state.status).toBe(200);
    const resumeAt = state.offset;
    // At least the full part it saw stored, and never more than was sent.
    expect(resumeAt).toBeGreaterThanOrEqual(UPLOAD_PART_BYTES);
    expect(resumeAt).toBeLessThanOrEqual(sent);
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
    console.log(`resumable upload: ${bytes.length} bytes, cut after sending ${sent}, the server had kept ${resumeAt}; resumed with ${bytes.length - resumeAt}`);

    // The rest, from where the server says it stopped: the reply is the item with its one file.
    const finished = await patch(api.token, url, resumeAt, bytes.subarray(resumeAt));
    expect(finished.status).toBe(200);
    expect(finished.offset).toBe(bytes.length);
    const files = EvidenceItemSchema.parse(finished.body).files;
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: 'returns-log.pdf', mediaType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
    const download = await api.get(`/api/evidence/${item.id}/files/${files[0]!.id}`);
    expect(Buffer.from(download.body as ArrayBuffer).equals(bytes)).toBe(true);

    // The parts are gone (the file alone holds the bytes); the upload reads as complete.
    expect(await fixture.tool.db.select().from(evidenceUploadParts)).toEqual([]);
    expect((await filesOnDisk()).length).toBe(before.length + 1);
    expect(await head(api.token, url)).toEqual({ status: 200, offset: bytes.length });

    // Sending the last bytes again (a retry whose answer was lost) records nothing twice.
    const again = await patch(api.token, url, resumeAt, bytes.subarray(resumeAt));
    expect(again.status).toBe(409);
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toHaveLength(1);
  });

  it('answers 404 to another learner, and to another tenant’s learner with the same ids, and changes nothing', async () => {
    const { tenantA, tenantB } = fixture;
    const item = await newItem();
    const bytes = pdfBytes('Mine', 10_000);
    const { url } = await create(api.token, { itemId: item.id, filename: 'mine.pdf', filetype: 'application/pdf' }, bytes.length);
    expect((await patch(api.token, url!, 0, bytes.subarray(0, 4_000))).offset).toBe(4_000);
    const strangers = [await fixture.launch(tenantA, tenantA.otherLearner, tenantA.linkA), await fixture.launch(tenantB, tenantB.learner, tenantB.linkA)];
    for (const stranger of strangers) {
      expect((await head(stranger, url!)).status).toBe(404);
      const planted = await patch(stranger, url!, 4_000, bytes.subarray(4_000));
      expect(planted.status).toBe(404);
      expect(planted.body).toMatchObject({ error: { code: 'not_found' } });
      const removed = await fetch(url!, { method: 'DELETE', headers: { ...TUS, authorization: `Bearer ${stranger}` } });
      expect(removed.status).toBe(404);
      // Nor can they start an upload into this learner's item.
      expect((await create(stranger, { itemId: item.id, filename: 'planted.pdf', filetype: 'application/pdf' }, 100)).status).toBe(404);
    }
    expect(await head(api.token, url!)).toEqual({ status: 200, offset: 4_000 });
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
    // Without a launch token nothing answers.
    expect((await head(null, url!)).status).toBe(401);
  });

  it('refuses, at creation, what a one-request upload refuses, and creates nothing', async () => {
    const draft = await newItem('photo');
    const rowsBefore = (await uploadRows()).length;
    const refusals: Array<[Record<string, string>, number, number, RegExp]> = [
      [{ itemId: draft.id, filename: 'huge.png', filetype: 'image/png' }, 25 * 1024 * 1024 + 1, 413, /huge\.png is larger than the 25 MB limit for a photo/],
      [{ itemId: draft.id, filename: 'empty.png', filetype: 'image/png' }, 0, 400, /empty/],
      [{ itemId: draft.id, filetype: 'image/png' }, 100, 400, /no file name/],
      [{ itemId: draft.id, filename: '../../etc/passwd.png', filetype: 'image/png' }, 100, 400, /folder path/],
      [{ itemId: 'not-an-id', filename: 'a.png', filetype: 'image/png' }, 100, 404, /no evidence with this id/],
    ];
    for (const [metadata, length, status, message] of refusals) {
      const reply = await create(api.token, metadata, length);
      expect({ metadata, status: reply.status }).toEqual({ metadata, status });
      expect((JSON.parse(reply.body) as { error: { message: string } }).error.message).toMatch(message);
    }
    // Submitted evidence takes no new upload until it is reopened.
    const withFile = EvidenceItemSchema.parse((await api.upload(draft.id, { name: 'kept.png', type: 'image/png', bytes: pngBytes() })).body);
    expect((await api.post(`/api/evidence/${draft.id}/submit`, { baseVersion: withFile.version, declaration: AUTHENTICITY_DECLARATION })).status).toBe(200);
    const locked = await create(api.token, { itemId: draft.id, filename: 'late.png', filetype: 'image/png' }, 100);
    expect(locked.status).toBe(422);
    expect(locked.body).toMatch(/submitted for assessment/);
    expect((await uploadRows()).length).toBe(rowsBefore);
  });

  it(`refuses a learner’s ${MAX_OPEN_UPLOADS + 1}th unfinished upload with 422`, async () => {
    const item = await newItem();
    const open = (await uploadRows()).filter((row) => row.evidenceFileId === null).length;
    for (let i = open; i < MAX_OPEN_UPLOADS; i++) expect((await create(api.token, { itemId: item.id, filename: `part-${i}.pdf`, filetype: 'application/pdf' }, 1_000)).status).toBe(201);
    const refused = await create(api.token, { itemId: item.id, filename: 'one-too-many.pdf', filetype: 'application/pdf' }, 1_000);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatch(/have not finished/);
    // Cancelling one (tus termination) makes room again.
    const [first] = (await uploadRows()).filter((row) => row.evidenceFileId === null);
    expect((await fetch(`${fixture.tool.url}${RESUMABLE_UPLOADS_PATH}/${first!.id}`, { method: 'DELETE', headers: { ...TUS, authorization: `Bearer ${api.token}` } })).status).toBe(204);
    expect((await create(api.token, { itemId: item.id, filename: 'now-room.pdf', filetype: 'application/pdf' }, 1_000)).status).toBe(201);
    for (const row of await uploadRows()) if (row.evidenceFileId === null) await fetch(`${fixture.tool.url}${RESUMABLE_UPLOADS_PATH}/${row.id}`, { method: 'DELETE', headers: { ...TUS, authorization: `Bearer ${api.token}` } });
  });

  it('checks the finished file by its content: a photo sent as a PDF is refused with 415 and nothing of it is kept', async () => {
    const item = await newItem();
    const before = await filesOnDisk();
    const bytes = Buffer.concat([pngBytes(), Buffer.alloc(UPLOAD_PART_BYTES + 5_000)]);
    const { url } = await create(api.token, { itemId: item.id, filename: 'statement.pdf', filetype: 'application/pdf' }, bytes.length);
    // A full part and the 10 bytes after it are stored, then the last bytes complete the file and its check.
    expect((await patch(api.token, url!, 0, bytes.subarray(0, UPLOAD_PART_BYTES + 10))).offset).toBe(UPLOAD_PART_BYTES + 10);
    expect((await fixture.tool.db.select().from(evidenceUploadParts)).map((part) => part.size)).toEqual([UPLOAD_PART_BYTES, 10]);
    expect((await filesOnDisk()).length).toBe(before.length + 2);
    const refused = await patch(api.token, url!, UPLOAD_PART_BYTES + 10, bytes.subarray(UPLOAD_PART_BYTES + 10));
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringMatching(/statement\.pdf/) } });
    expect(await fixture.tool.db.select().from(evidenceFiles).where(eq(evidenceFiles.itemId, item.id))).toEqual([]);
    expect(await filesOnDisk()).toEqual(before);
    expect((await head(api.token, url!)).status).toBe(404);
  });

  it('answers 409 to bytes sent for the wrong offset, and keeps the upload as it was', async () => {
    const item = await newItem();
    const bytes = pdfBytes('Offsets', 5_000);
    const { url } = await create(api.token, { itemId: item.id, filename: 'offsets.pdf', filetype: 'application/pdf' }, bytes.length);
    expect((await patch(api.token, url!, 0, bytes.subarray(0, 1_000))).offset).toBe(1_000);
    expect((await patch(api.token, url!, 500, bytes.subarray(500))).status).toBe(409);
    expect(await head(api.token, url!)).toEqual({ status: 200, offset: 1_000 });
    const done = await patch(api.token, url!, 1_000, bytes.subarray(1_000));
    expect(EvidenceItemSchema.parse(done.body).files[0]?.sha256).toBe(sha256(bytes));
  });
});
