import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { toReadable, type UploadSource } from './check-upload.ts';
import { EvidenceFileError } from './evidence-file-error.ts';
import type { FileStore, PutOptions, ReadRange, StoredFile, StoredFileStat } from './file-store.ts';
import { fileNotFound, newStorageKey, parseStorageKey, uploadInterrupted } from './storage-key.ts';

/** S3's smallest part but the last; also lib-storage's default part size. */
const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface S3FileStoreOptions {
  readonly bucket: string;
  readonly region: string;
  /** For S3-compatible servers (MinIO, Ceph, a test server); omit for AWS itself. */
  readonly endpoint?: string | undefined;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`; most S3-compatible servers want it. */
  readonly forcePathStyle?: boolean | undefined;
  /** Omit to use the SDK's default chain (AWS_ACCESS_KEY_ID…, a profile, an instance or task role). */
  readonly credentials?: S3ClientConfig['credentials'];
  /**
   * Bytes per multipart part (at least 5 MiB). A file no larger than one part goes up in a single
   * PUT. Memory per upload is at most `partSize × queueSize`.
   */
  readonly partSize?: number | undefined;
  /** Parts of one upload in flight at once. */
  readonly queueSize?: number | undefined;
}

/**
 * Files in an S3 bucket (or any S3-compatible store) under the same keys the local directory store
 * makes (`<tenantId>/<2 hex>/<32 hex>`). `put` streams through a multipart upload that S3 only
 * assembles into an object once the last byte has passed every check; any failure (a refused
 * upload, a dropped connection, an abort, an S3 error) aborts the multipart upload, so no object
 * appears and no parts are kept. Each part carries its SHA-256, which S3 verifies on arrival, and
 * the checksum S3 reports for the whole object is compared with the one computed while streaming.
 */
export class S3FileStore implements FileStore {
  readonly bucket: string;
  readonly location: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3FileStoreOptions) {
    const partSize = options.partSize ?? 8 * 1024 * 1024;
    if (partSize < MIN_PART_SIZE) throw new Error(`S3FileStore needs a part size of at least ${MIN_PART_SIZE} bytes (S3's minimum), got ${partSize}`);
    this.bucket = options.bucket;
    this.partSize = partSize;
    this.queueSize = options.queueSize ?? 2;
    this.location = `S3 bucket "${options.bucket}" at ${options.endpoint ?? `AWS ${options.region}`}`;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      // A bucket address that drops packets would otherwise hold start-up for the OS's TCP timeout.
      requestHandler: { connectionTimeout: 10_000 },
      // The SHA-256 each part carries is asked for explicitly below; the SDK's default extra CRC32
      // (sent as a trailer) is refused by several S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Throws, naming the bucket, unless the bucket exists and these credentials may use it. Call at start-up. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason = status === 404 ? 'it does not exist' : status === 403 ? 'access is denied to these credentials' : String((error as Error).name === 'Error' ? (error as Error).message : (error as Error).name);
      throw new Error(`Evidence file store: cannot use ${this.location}: ${reason}`, { cause: error });
    }
  }

  async put(tenantId: string, source: UploadSource, options: PutOptions = {}): Promise<StoredFile> {
    const { key } = newStorageKey(tenantId);
    const digest = new DigestStream(this.partSize);
    const body = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ChecksumAlgorithm: 'SHA256', ContentType: 'application/octet-stream' },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    let storeError: unknown;
    let isStreamed = false;
    const uploaded = upload.done();
    // When S3 fails first, the upload stops reading `body`; end the pipeline too, or it would wait
    // on back-pressure for ever. When the pipeline fails first it has already destroyed `body`.
    uploaded.catch((error: unknown) => {
      if (body.destroyed) return;
      storeError = error;
      body.destroy(error as Error);
    });

    try {
      const stages = [toReadable(source), ...(options.through ?? []), digest, body] as const;
      await (options.signal === undefined ? pipeline([...stages]) : pipeline([...stages], { signal: options.signal }));
      isStreamed = true;
      const result = await uploaded;
      const expected = digest.s3Checksum();
      // S3 returns the checksum of an object uploaded with checksums; some S3-compatible servers return none.
      if (result.ChecksumSHA256 !== undefined && result.ChecksumSHA256 !== expected) {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
        throw new Error(`S3 stored different bytes for ${key}: checksum ${result.ChecksumSHA256}, streamed ${expected}; the object was deleted`);
      }
      return { key, size: digest.size, sha256: digest.sha256Hex() };
    } catch (error) {
      body.destroy();
      // Waiting here lets lib-storage finish aborting the multipart upload before put returns.
      await uploaded.catch(() => undefined);
      if (storeError !== undefined) throw storeError;
      // Once every byte has passed the checks, whatever fails is the store's fault, not the upload's.
      if (isStreamed || error instanceof EvidenceFileError || !isSourceSideFailure(error)) throw error;
      throw uploadInterrupted(key, error);
    }
  }

  async openRead(key: string, range: ReadRange = {}): Promise<Readable> {
    parseStorageKey(key);
    try {
      const output = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: httpRange(range) }));
      if (!(output.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
      return output.Body;
    } catch (error) {
      if (isMissing(error)) throw fileNotFound(key);
      // A range that starts past the end: the local store reads nothing there, so do the same.
      if ((error as Error).name === 'InvalidRange') return Readable.from([]);
      throw error;
    }
  }

  async stat(key: string): Promise<StoredFileStat | undefined> {
    parseStorageKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: head.ContentLength ?? 0, storedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    // S3's DELETE succeeds whether or not the object existed; ask first to say which it was.
    if ((await this.stat(key)) === undefined) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
  }

  /** Closes the client's sockets; call when the server stops. */
  close(): void {
    this.client.destroy();
  }
}

/**
 * SHA-256 and size of the whole stream, plus the SHA-256 of each part as lib-storage cuts them
 * (every part exactly `partSize` bytes but the last), so the checksum S3 reports for a multipart
 * object (the SHA-256 of the parts' SHA-256s, then `-<part count>`) can be checked too.
 */
class DigestStream extends Transform {
  size = 0;
  private readonly whole = createHash('sha256');
  private readonly partDigests: Buffer[] = [];
  private part: Hash = createHash('sha256');
  private partBytes = 0;

  constructor(private readonly partSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.whole.update(chunk);
    this.size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.partBytes === this.partSize) this.finishPart();
      const take = Math.min(this.partSize - this.partBytes, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
    }
    callback(null, chunk);
  }

  sha256Hex(): string {
    return this.whole.copy().digest('hex');
  }

  /** What S3 reports as `ChecksumSHA256`: the file's own SHA-256 for a single PUT, the composite for multipart. */
  s3Checksum(): string {
    if (this.partDigests.length === 0) return this.whole.copy().digest('base64');
    const parts = [...this.partDigests, this.part.copy().digest()];
    return `${createHash('sha256').update(Buffer.concat(parts)).digest('base64')}-${parts.length}`;
  }

  private finishPart(): void {
    this.partDigests.push(this.part.digest());
    this.part = createHash('sha256');
    this.partBytes = 0;
  }
}

function httpRange(range: ReadRange): string | undefined {
  if (range.start === undefined && range.end === undefined) return undefined;
  return `bytes=${range.start ?? 0}-${range.end ?? ''}`;
}

const isMissing = (error: unknown): boolean => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
};

/** S3 SDK errors carry `$metadata`; anything else in the pipeline came from the source or an abort. */
const isSourceSideFailure = (error: unknown): boolean => (error as { $metadata?: unknown } | undefined)?.$metadata === undefined;
