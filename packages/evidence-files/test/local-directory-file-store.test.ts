import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceFileError, LocalDirectoryFileStore, storeUpload, type EvidenceFileErrorCode } from '../src/index.ts';
import * as sample from './sample-files.ts';

let directory: string;
let store: LocalDirectoryFileStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'attest-evidence-files-'));
  store = new LocalDirectoryFileStore({ directory });
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Every file under the store's directory, temp files included. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

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

describe('LocalDirectoryFileStore', () => {
  it('stores a stream and reports its size and SHA-256', async () => {
    const bytes = sample.pdf();
    const stored = await store.put('tenant-a', Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]));
    expect(stored.size).toBe(bytes.length);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await buffer(await store.openRead(stored.key))).toEqual(bytes);
  });

  it('generates random keys under the tenant folder, never from anything the client sent', async () => {
    const first = await store.put('tenant-a', sample.png());
    const second = await store.put('tenant-a', sample.png());
    expect(first.key).toMatch(/^tenant-a\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(second.key).not.toBe(first.key);
    expect(await filesOnDisk()).toEqual(expect.arrayContaining([join(directory, ...first.key.split('/')), join(directory, ...second.key.split('/'))]));
  });

  it('reads a byte range for HTTP Range requests', async () => {
    const stored = await store.put('tenant-a', Buffer.from('0123456789'));
    expect((await buffer(await store.openRead(stored.key, { start: 2, end: 5 }))).toString()).toBe('2345');
  });

  it('stats, deletes, and then reports the file as missing', async () => {
    const stored = await store.put('tenant-a', sample.gif());
    expect(await store.stat(stored.key)).toMatchObject({ key: stored.key, size: sample.gif().length });
    expect(await store.delete(stored.key)).toBe(true);
    expect(await store.delete(stored.key)).toBe(false);
    expect(await store.stat(stored.key)).toBeUndefined();
    await expectCode(store.openRead(stored.key), 'file_not_found');
  });

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
    expect(await filesOnDisk()).toEqual([]);
  });

  it('leaves no file and no temp file when the upload is dropped half-way', async () => {
    const error = await expectCode(store.put('tenant-a', droppedAfterHalf(Buffer.alloc(256 * 1024, 7))), 'upload_incomplete');
    expect(error.userMessage).toBe('The upload stopped before the whole file arrived. Nothing was saved: please upload the file again.');
    expect(await filesOnDisk()).toEqual([]);
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
    expect(await filesOnDisk()).toEqual([]);
  });

  it('removes temp files a crashed process left behind, and nothing else', async () => {
    const kept = await store.put('tenant-a', sample.gif());
    const [tenant, shard] = kept.key.split('/');
    const abandoned = join(directory, tenant ?? '', shard ?? '', '.0123abcd0123abcd0123abcd0123abcd.ffffffff.part');
    await writeFile(abandoned, 'half a file');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(abandoned, anHourAgo, anHourAgo);
    expect(await store.removeAbandonedTempFiles(new Date(Date.now() - 60_000))).toBe(1);
    expect(await filesOnDisk()).toEqual([join(directory, ...kept.key.split('/'))]);
  });

  it('refuses a relative directory, so files never land wherever the process happens to run', () => {
    expect(() => new LocalDirectoryFileStore({ directory: 'evidence' })).toThrow(/absolute/);
  });
});

describe('storeUpload', () => {
  it('stores a checked upload and returns what the tool records about it', async () => {
    const bytes = sample.heic();
    const stored = await storeUpload(store, { tenantId: 'tenant-b', source: Readable.from([bytes]), fileName: 'IMG_0043.HEIC', declaredMimeType: 'image/heic', kind: 'photo' });
    expect(stored).toMatchObject({ type: 'heic', mimeType: 'image/heic', fileName: 'IMG_0043.HEIC', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(stored.key.startsWith('tenant-b/')).toBe(true);
    expect(await buffer(await store.openRead(stored.key))).toEqual(bytes);
  });

  it('leaves nothing behind when the content is refused', async () => {
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: sample.pdf(), fileName: 'photo.jpg', kind: 'photo' }), 'type_mismatch');
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: Buffer.alloc(0), fileName: 'empty.pdf', kind: 'document' }), 'empty_file');
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: Readable.from([Buffer.alloc(4096, 0x20), Buffer.alloc(4096, 0x20)]), fileName: 'big.txt', kind: 'document', maxBytes: 5000 }), 'payload_too_large');
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: sample.png().subarray(0, 40), fileName: 'cut.png', kind: 'photo' }), 'upload_incomplete');
    expect(await filesOnDisk()).toEqual([]);
  });

  it('leaves nothing behind when a valid file is dropped half-way', async () => {
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source: droppedAfterHalf(sample.wav(40_000)), fileName: 'talk.wav', kind: 'recording' }), 'upload_incomplete');
    expect(await filesOnDisk()).toEqual([]);
  });

  it('refuses a bad name before reading or writing anything', async () => {
    let isRead = false;
    const source = new Readable({ read() { isRead = true; this.push(null); } });
    await expectCode(storeUpload(store, { tenantId: 'tenant-b', source, fileName: '../../etc/passwd', kind: 'document' }), 'invalid_file_name');
    expect(isRead).toBe(false);
    expect(await filesOnDisk()).toEqual([]);
  });

  it('keeps concurrent uploads of the same tenant apart', async () => {
    const uploads = await Promise.all(Array.from({ length: 8 }, (_, i) => storeUpload(store, { tenantId: 'tenant-c', source: Buffer.from(`note ${i}\n`), fileName: `note-${i}.txt`, kind: 'document' })));
    expect(new Set(uploads.map((upload) => upload.key)).size).toBe(8);
    for (const [i, upload] of uploads.entries()) expect((await buffer(await store.openRead(upload.key))).toString()).toBe(`note ${i}\n`);
  });
});
