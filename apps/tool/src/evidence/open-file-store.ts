import { join } from 'node:path';
import { LocalDirectoryFileStore } from '@attest/evidence-files';
import type { FileStore } from '@attest/evidence-files';
import type { Env } from '../env.ts';

/** The file store cannot be used (the bucket is missing, unreachable, or refused); start-up stops. */
export class FileStoreUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'FileStoreUnavailableError';
  }
}

export interface OpenedFileStore {
  readonly store: FileStore;
  close(): Promise<void>;
}

/**
 * The evidence file store the configuration chose (ATTEST_FILE_STORE), checked before the server
 * takes requests: the local directory is swept of temp files a killed process left; the S3 bucket
 * must answer, so a wrong bucket or credentials stop start-up instead of failing every upload.
 */
export async function openFileStore(env: Pick<Env, 'evidenceFileStore' | 'evidenceFilesDir' | 'dataDir'>): Promise<OpenedFileStore> {
  const settings = env.evidenceFileStore;
  if (settings.kind === 's3') {
    // Loaded only when chosen: the AWS SDK costs ~0.5 s at start-up.
    const { S3FileStore } = await import('@attest/evidence-files/s3');
    // Credentials: the AWS SDK's default chain (AWS_ACCESS_KEY_ID…, a profile, the instance's role).
    const store = new S3FileStore({ bucket: settings.bucket, region: settings.region, endpoint: settings.endpoint ?? undefined, forcePathStyle: settings.forcePathStyle });
    try {
      await store.checkBucket();
    } catch (error) {
      store.close();
      throw new FileStoreUnavailableError(`${(error as Error).message}\nCheck ATTEST_S3_BUCKET, ATTEST_S3_REGION, ATTEST_S3_ENDPOINT and the AWS credentials, or set ATTEST_FILE_STORE=local.`, { cause: error });
    }
    return { store, close: async () => store.close() };
  }
  const store = new LocalDirectoryFileStore({ directory: env.evidenceFilesDir ?? join(env.dataDir, 'files') });
  // Only a killed process leaves a temp file; an hour is far longer than any upload takes.
  await store.removeAbandonedTempFiles(new Date(Date.now() - 60 * 60_000));
  return { store, close: async () => {} };
}
