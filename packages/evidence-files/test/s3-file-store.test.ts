import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvidenceFileError, S3FileStore, type S3FileStoreOptions } from '../src/index.ts';
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

  it('refuses a part size below S3’s 5 MiB minimum', () => {
    expect(() => openStore({ partSize: 5 * 1024 * 1024 - 1 })).toThrow(/at least 5242880 bytes/);
  });
});
