import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceFileError, LocalDirectoryFileStore, storeUpload, type EvidenceFileErrorCode, type FileStore } from '../src/index.ts';
import { S3FileStore } from '../src/s3-file-store.ts';
import { LOCAL_S3_CREDENTIALS, startLocalS3Server } from '../testing/local-s3-server.ts';
import * as sample from './sample-files.ts';

// What every FileStore must do, run against each store: the local directory on a temp directory,
// and S3 against s3rver started here on loopback (see the README for what s3rver does not check).

const PART_SIZE = 5 * 1024 * 1024;

interface StoreUnderTest {
  readonly store: FileStore;
  /** Everything the store holds: stored files by key, plus anything half-written (temp files, pending multipart uploads). */
  contents(): Promise<string[]>;
  close(): Promise<void>;
}

const stores: { name: string; open: () => Promise<StoreUnderTest> }[] = [
  {
    name: 'LocalDirectoryFileStore',
    open: async () => {
      const directory = await mkdtemp(join(tmpdir(), 'attest-file-store-'));
      return {
        store: new LocalDirectoryFileStore({ directory }),
        contents: async () => {
          const entries = await readdir(directory, { recursive: true, withFileTypes: true });
          return entries.filter((entry) => entry.isFile()).map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'));
        },
        close: () => rm(directory, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3FileStore on s3rver',
    open: async () => {
      const directory = await mkdtemp(join(tmpdir(), 'attest-s3rver-'));
      const server = await startLocalS3Server({ directory });
      const settings = { bucket: server.bucket, region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS };
      const store = new S3FileStore({ ...settings, partSize: PART_SIZE });
      return {
        store,
        contents: async () => {
          const pending = await server.pendingMultipartUploads();
          return [...(await server.objectKeys()), ...pending.map((id) => `pending multipart upload ${id}`)];
        },
        close: async () => {
          store.close();
          await server.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
];

async function expectCode(promise: Promise<unknown>, code: EvidenceFileErrorCode): Promise<EvidenceFileError> {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(EvidenceFileError);
  expect((error as EvidenceFileError).code).toBe(code);
  return error as EvidenceFileError;
}

/** Emits half of `bytes`, then fails the way a dropped HTTP request does. */
function droppedAfterHalf(bytes: Buffer): Readable {
  const half = Math.floor(bytes.length / 2);
  let step = 0;
  return new Readable({
    read() {
      step++;
      if (step === 1) this.push(bytes.subarray(0, half));
      else setImmediate(() => this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    },
  });
}

/** `bytes` in 64 KiB chunks, as a socket delivers them. */
function inChunks(bytes: Buffer): Readable {
  return Readable.from((function* () {
    for (let offset = 0; offset < bytes.length; offset += 65_536) yield bytes.subarray(offset, offset + 65_536);
  })());
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe.each(stores)('$name', ({ open }) => {
  let subject: StoreUnderTest;
  let store: FileStore;

  beforeEach(async () => {
    subject = await open();
    store = subject.store;
  });

  afterEach(async () => {
    await subject.close();
  });

  describe('put, read, stat, delete', () => {
    it('stores a stream and reports its size and SHA-256', async () => {
      const bytes = sample.pdf();
      const stored = await store.put('tenant-a', Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
      expect(stored.size).toBe(bytes.length);
      expect(stored.sha256).toBe(sha256(bytes));
      expect(await buffer(await store.openRead(stored.key))).toEqual(bytes);
    });

    it('streams a file larger than one part (S3: a multipart upload) and reads back the same bytes', async () => {
      const bytes = Buffer.alloc(2 * PART_SIZE + 12_345);
      for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE(i, i);
      const stored = await store.put('tenant-a', inChunks(bytes));
      expect(stored).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
      expect(sha256(await buffer(await store.openRead(stored.key)))).toBe(sha256(bytes));
      expect(await subject.contents()).toEqual([stored.key]);
    });

    it('generates random keys under the tenant, never from anything the client sent', async () => {
      const first = await store.put('tenant-a', sample.png());
      const second = await store.put('tenant-a', sample.png());
      expect(first.key).toMatch(/^tenant-a\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
      expect(first.key.split('/')[1]).toBe(first.key.split('/')[2]?.slice(0, 2));
      expect(second.key).not.toBe(first.key);
      expect((await subject.contents()).sort()).toEqual([first.key, second.key].sort());
    });

    it('reads a byte range for HTTP Range requests, both ends inclusive', async () => {
      const stored = await store.put('tenant-a', Buffer.from('0123456789'));
      expect((await buffer(await store.openRead(stored.key, { start: 2, end: 5 }))).toString()).toBe('2345');
      expect((await buffer(await store.openRead(stored.key, { start: 7 }))).toString()).toBe('789');
      expect((await buffer(await store.openRead(stored.key, { end: 1 }))).toString()).toBe('01');
      expect((await buffer(await store.openRead(stored.key, { start: 9, end: 9 }))).toString()).toBe('9');
    });

    it('stats, deletes, and then reports the file as missing', async () => {
      const stored = await store.put('tenant-a', sample.gif());
      expect(await store.stat(stored.key)).toMatchObject({ key: stored.key, size: sample.gif().length });
      expect(await store.delete(stored.key)).toBe(true);
      expect(await store.delete(stored.key)).toBe(false);
      expect(await store.stat(stored.key)).toBeUndefined();
      await expectCode(store.openRead(stored.key), 'file_not_found');
      expect(await subject.contents()).toEqual([]);
    });

    it('reports a well-formed key it never stored as missing', async () => {
      const key = 'tenant-a/ab/ab000000000000000000000000000000';
      await expectCode(store.openRead(key), 'file_not_found');
      expect(await store.stat(key)).toBeUndefined();
      expect(await store.delete(key)).toBe(false);
    });
  });

  describe('keys', () => {
    it('refuses keys with .., extra slashes, NUL or absolute paths, and keys it could not have made', async () => {
      const stored = await store.put('tenant-a', sample.gif());
      const [, shard, id] = stored.key.split('/');
      const forged = ['../tenant-a/' + shard + '/' + id, `tenant-a/../${shard}/${id}`, `tenant-a/${shard}/${id}/..`, `/etc/passwd`, `tenant-a/${shard}//${id}`, `tenant-a/${shard}/${id}\u0000`, `tenant-a/${shard}/${id}.part`, `tenant-a/zz/${id}`, `tenant-a\\${shard}\\${id}`, ''];
      for (const key of forged) {
        await expectCode(store.openRead(key), 'invalid_storage_key');
        await expectCode(store.stat(key), 'invalid_storage_key');
        await expectCode(store.delete(key), 'invalid_storage_key');
      }
      expect(await store.stat(stored.key)).toBeDefined();
    });

    it('refuses tenant ids that could climb out of the store, before writing anything', async () => {
      for (const tenant of ['..', '../other', 'a/b', 'a\u0000', '', 'x'.repeat(65)]) {
        await expectCode(store.put(tenant, sample.gif()), 'invalid_storage_key');
      }
      expect(await subject.contents()).toEqual([]);
    });
  });

  describe('all or nothing', () => {
    it('leaves nothing when the upload is dropped half-way', async () => {
      const error = await expectCode(store.put('tenant-a', droppedAfterHalf(Buffer.alloc(256 * 1024, 7))), 'upload_incomplete');
      expect(error.userMessage).toBe('The upload stopped before the whole file arrived. Nothing was saved: please upload the file again.');
      expect(await subject.contents()).toEqual([]);
    });

    it('leaves nothing, not even uploaded parts, when an upload larger than one part is dropped', async () => {
      await expectCode(store.put('tenant-a', droppedAfterHalf(Buffer.alloc(4 * PART_SIZE, 7))), 'upload_incomplete');
      expect(await subject.contents()).toEqual([]);
    });

    it('leaves nothing when the caller aborts half-way', async () => {
      const controller = new AbortController();
      let sent = 0;
      const slow = new Readable({
        read() {
          sent++;
          if (sent === 3) controller.abort();
          setImmediate(() => this.push(Buffer.alloc(1024, 1)));
        },
      });
      await expectCode(store.put('tenant-a', slow, { signal: controller.signal }), 'upload_incomplete');
      expect(await subject.contents()).toEqual([]);
    });

    it('leaves nothing when the content is refused', async () => {
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: sample.pdf(), fileName: 'photo.jpg', kind: 'photo' }), 'type_mismatch');
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: Buffer.alloc(0), fileName: 'empty.pdf', kind: 'document' }), 'empty_file');
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: Readable.from([Buffer.alloc(4096, 0x20), Buffer.alloc(4096, 0x20)]), fileName: 'big.txt', kind: 'document', maxBytes: 5000 }), 'payload_too_large');
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: sample.png().subarray(0, 40), fileName: 'cut.png', kind: 'photo' }), 'upload_incomplete');
      expect(await subject.contents()).toEqual([]);
    });

    it('leaves nothing when a file is refused after several parts have gone up', async () => {
      const bytes = Buffer.alloc(3 * PART_SIZE, 0x20);
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: inChunks(bytes), fileName: 'long.txt', kind: 'document', maxBytes: 3 * PART_SIZE - 1 }), 'payload_too_large');
      expect(await subject.contents()).toEqual([]);
    });

    it('leaves nothing when a long file turns out to be cut short at its very end', async () => {
      // The completeness check runs only once the last byte is in, after every earlier part went up.
      const wav = sample.wav(Math.ceil((2 * PART_SIZE) / 2));
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: inChunks(wav.subarray(0, wav.length - 1)), fileName: 'talk.wav', kind: 'recording' }), 'upload_incomplete');
      expect(await subject.contents()).toEqual([]);
    });
  });

  describe('storeUpload', () => {
    it('stores a checked upload and returns what the tool records about it', async () => {
      const bytes = sample.heic();
      const stored = await storeUpload(store, { tenantId: 'tenant-b', source: Readable.from([bytes]), fileName: 'IMG_0043.HEIC', declaredMimeType: 'image/heic', kind: 'photo' });
      expect(stored).toMatchObject({ type: 'heic', mimeType: 'image/heic', fileName: 'IMG_0043.HEIC', size: bytes.length, sha256: sha256(bytes) });
      expect(stored.key.startsWith('tenant-b/')).toBe(true);
      expect(await buffer(await store.openRead(stored.key))).toEqual(bytes);
    });

    it('refuses a bad name before reading or writing anything', async () => {
      let isRead = false;
      const source = new Readable({ read() { isRead = true; this.push(null); } });
      await expectCode(storeUpload(store, { tenantId: 'tenant-b', source, fileName: '../../etc/passwd', kind: 'document' }), 'invalid_file_name');
      expect(isRead).toBe(false);
      expect(await subject.contents()).toEqual([]);
    });

    it('keeps concurrent uploads of the same tenant apart', async () => {
      const uploads = await Promise.all(Array.from({ length: 8 }, (_, i) => storeUpload(store, { tenantId: 'tenant-c', source: Buffer.from(`note ${i}\n`), fileName: `note-${i}.txt`, kind: 'document' })));
      expect(new Set(uploads.map((upload) => upload.key)).size).toBe(8);
      for (const [i, upload] of uploads.entries()) expect((await buffer(await store.openRead(upload.key))).toString()).toBe(`note ${i}\n`);
    });
  });
});
