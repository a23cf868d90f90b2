import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/env.ts';

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.message.split('\n').slice(1).map((line) => line.trim());
    throw error;
  }
  throw new Error('parseEnv accepted the configuration');
}

const s3 = { ATTEST_FILE_STORE: 's3', ATTEST_S3_BUCKET: 'attest-evidence', ATTEST_S3_REGION: 'eu-west-2' };

describe('parseEnv: where evidence files are kept', () => {
  it('keeps them in a local directory unless told otherwise', () => {
    expect(parseEnv({}).evidenceFileStore).toEqual({ kind: 'local' });
    expect(parseEnv({ ATTEST_FILE_STORE: 'local', EVIDENCE_FILES_DIR: '/srv/attest/files' })).toMatchObject({ evidenceFileStore: { kind: 'local' }, evidenceFilesDir: '/srv/attest/files' });
  });

  it('reads the bucket, region, endpoint and addressing style for S3', () => {
    expect(parseEnv(s3).evidenceFileStore).toEqual({ kind: 's3', bucket: 'attest-evidence', region: 'eu-west-2', endpoint: null, forcePathStyle: false });
    expect(parseEnv({ ...s3, ATTEST_S3_ENDPOINT: 'http://127.0.0.1:4568/', ATTEST_S3_FORCE_PATH_STYLE: 'true' }).evidenceFileStore).toEqual({ kind: 's3', bucket: 'attest-evidence', region: 'eu-west-2', endpoint: 'http://127.0.0.1:4568', forcePathStyle: true });
  });

  it('names every S3 setting that is missing', () => {
    expect(problemsOf({ ATTEST_FILE_STORE: 's3' })).toEqual(['ATTEST_S3_BUCKET: is required when ATTEST_FILE_STORE=s3', 'ATTEST_S3_REGION: is required when ATTEST_FILE_STORE=s3']);
  });

  it.each([
    [{ ATTEST_FILE_STORE: 'gcs' }, 'ATTEST_FILE_STORE: must be local or s3'],
    [{ ...s3, ATTEST_S3_BUCKET: 'Attest_Evidence' }, 'ATTEST_S3_BUCKET: must be an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)'],
    [{ ...s3, ATTEST_S3_REGION: 'EU West' }, 'ATTEST_S3_REGION: must be a region name such as eu-west-2'],
    [{ ...s3, ATTEST_S3_ENDPOINT: 'minio:9000' }, 'ATTEST_S3_ENDPOINT: must be an http(s) URL such as https://s3.example.ac.uk'],
    [{ ...s3, ATTEST_S3_FORCE_PATH_STYLE: 'yes' }, 'ATTEST_S3_FORCE_PATH_STYLE: must be true or false'],
    [{ ...s3, EVIDENCE_FILES_DIR: '/srv/attest/files' }, 'EVIDENCE_FILES_DIR: is for ATTEST_FILE_STORE=local; unset it when evidence is kept in S3'],
    [{ ATTEST_S3_BUCKET: 'attest-evidence' }, 'ATTEST_S3_BUCKET: is set but ATTEST_FILE_STORE is not s3: set ATTEST_FILE_STORE=s3 to keep evidence in the bucket, or unset it'],
  ])('refuses %o with a message naming the variable', (source, problem) => {
    expect(problemsOf(source)).toEqual([problem]);
  });
});
