import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvidenceFileError } from '../src/index.ts';
import { S3FileStore, type S3FileStoreOptions } from '../src/s3-file-store.ts';
import { LOCAL_S3_CREDENTIALS, startLocalS3Server, type LocalS3Server } from '../testing/local-s3-server.ts';
import * as sample from './sample-files.ts';

// What only the S3 store does; what every store does is in file-store-contract.test.ts.

let directory: string;
let server: LocalS3Server;
let settings: S3FileStoreOptions;
const opened: S3FileStore[] = [];

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'attest-s3rver-'));
  server = await startLocalS3Server({ directory });
  settings = { bucket: server.bucket, region: server.region, endpoint: server.endpoint, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS };
});

afterEach(async () => {
  for (const store of opened.splice(0)) store.close();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

function openStore(options: Partial<S3FileStoreOptions> = {}): S3FileStore {
  const store = new S3FileStore({ ...settings, ...options });
  opened.push(store);
  return store;
}

describe('S3FileStore', () => {
  it('finds its bucket at start-up, and says where it is', async () => {
    const store = openStore();
    await expect(store.checkBucket()).resolves.toBeUndefined();
    expect(store.location).toBe(`S3 bucket "${server.bucket}" at ${server.endpoint}`);
    expect(openStore({ endpoint: undefined, region: 'eu-west-2' }).location).toBe(`S3 bucket "${server.bucket}" at AWS eu-west-2`);
  });

  it('names the bucket and the reason when the bucket is missing', async () => {
    await expect(openStore({ bucket: 'no-such-bucket' }).checkBucket()).rejects.toThrow(`Evidence file store: cannot use S3 bucket "no-such-bucket" at ${server.endpoint}: it does not exist`);
  });

  it('names the bucket when the server cannot be reached at all', async () => {
    const store = openStore();
    await server.close();
    await expect(store.checkBucket()).rejects.toThrow(`cannot use S3 bucket "${server.bucket}" at ${server.endpoint}`);
    server = await startLocalS3Server({ directory });
  });

  it('reports an S3 failure as the server’s fault, not as the learner’s dropped upload', async () => {
    const error: unknown = await openStore({ bucket: 'no-such-bucket' }).put('tenant-a', sample.pdf()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(isEvidenceFileError(error)).toBe(false);
    expect((error as Error).name).toBe('NoSuchBucket');
  });

  describe('checksums, as S3 reports them (s3rver reports none: a proxy adds them here)', () => {
    const PART = 5 * 1024 * 1024;
    let proxy: Server;
    let isCorrupting: boolean;
    let isDroppingPuts: boolean;

    beforeEach(async () => {
      isCorrupting = false;
      isDroppingPuts = false;
      const target = new URL(server.endpoint);
      const partChecksums = new Map<string, Map<number, string>>();
      // What S3 does with the SHA-256 each request carries: a PUT's becomes the object's checksum;
      // parts' are kept and combined at completion (SHA-256 of the parts' digests, then -<count>).
      proxy = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://proxy');
        const sent = req.headers['x-amz-checksum-sha256'];
        const uploadId = url.searchParams.get('uploadId');
        // The connection to S3 breaking after the whole file was read and checked.
        if (isDroppingPuts && req.method === 'PUT') return void req.socket.destroy();
        const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          const headers = { ...answer.headers };
          if (req.method === 'PUT' && typeof sent === 'string' && (answer.statusCode ?? 500) < 300) {
            if (uploadId !== null) {
              const parts = partChecksums.get(uploadId) ?? new Map<number, string>();
              parts.set(Number(url.searchParams.get('partNumber')), sent);
              partChecksums.set(uploadId, parts);
            }
            headers['x-amz-checksum-sha256'] = isCorrupting && uploadId === null ? createHash('sha256').update('other bytes').digest('base64') : sent;
          }
          const parts = req.method === 'POST' && uploadId !== null ? partChecksums.get(uploadId) : undefined;
          if (parts === undefined) {
            res.writeHead(answer.statusCode ?? 500, headers);
            answer.pipe(res);
            return;
          }
          const digests = [...parts.entries()].sort(([a], [b]) => a - b).map(([, checksum]) => Buffer.from(checksum, 'base64'));
          if (isCorrupting) digests.reverse();
          const composite = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-${digests.length}`;
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks).toString().replace('</CompleteMultipartUploadResult>', `<ChecksumSHA256>${composite}</ChecksumSHA256></CompleteMultipartUploadResult>`);
            delete headers['content-length'];
            res.writeHead(answer.statusCode ?? 500, headers).end(body);
          });
        });
        req.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    });

    afterEach(async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });

    const throughProxy = () => openStore({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, partSize: PART });
    const bytes = (length: number) => {
      const buffer = Buffer.alloc(length);
      for (let i = 0; i < length; i++) buffer[i] = (i * 31) % 251;
      return buffer;
    };

    it('accepts a single PUT and a multipart upload whose checksums match what it streamed', async () => {
      const store = throughProxy();
      for (const length of [1000, PART, 2 * PART + 7]) {
        const stored = await store.put('tenant-a', bytes(length));
        expect(stored.sha256).toBe(createHash('sha256').update(bytes(length)).digest('hex'));
      }
      expect(await server.objectKeys()).toHaveLength(3);
    }, 60_000);

    it('deletes the object and throws when S3 reports a different checksum', async () => {
      isCorrupting = true;
      const store = throughProxy();
      await expect(store.put('tenant-a', bytes(1000))).rejects.toThrow(/S3 stored different bytes/);
      await expect(store.put('tenant-a', bytes(2 * PART + 7))).rejects.toThrow(/S3 stored different bytes/);
      expect(await server.objectKeys()).toEqual([]);
    }, 60_000);

    it('blames S3, not the learner, when the connection to S3 breaks after every byte was read', async () => {
      isDroppingPuts = true;
      const error: unknown = await throughProxy().put('tenant-a', bytes(1000)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(isEvidenceFileError(error)).toBe(false);
      expect(await server.objectKeys()).toEqual([]);
    }, 60_000);
  });

  it('refuses a part size below S3’s 5 MiB minimum', () => {
    expect(() => openStore({ partSize: 5 * 1024 * 1024 - 1 })).toThrow(/at least 5242880 bytes/);
  });
});
