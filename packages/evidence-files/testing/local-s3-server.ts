// A local S3-compatible server for tests and for trying the S3 store by hand: s3rver
// (@20minutes/s3rver, a maintained fork of jamhall/s3rver), in this process, on loopback, keeping
// objects in a directory. Dev-only: s3rver is a devDependency of this package.
//
// Two gaps in s3rver are bridged here, and only these:
// - it does not implement AbortMultipartUpload (it answers 405) or list pending uploads, so the
//   request handler below answers AbortMultipartUpload itself by deleting the upload's parts the
//   way S3 does, and `pendingMultipartUploads()` reads s3rver's upload folder so tests can check
//   nothing was left;
// - it signs bucket-level requests as `/<bucket>` while the SDK signs `/<bucket>/`, so those
//   (HeadBucket, ListObjects) go to a second s3rver on the same folder that does not compare
//   signatures. Object requests, which carry the evidence, keep their signatures checked.
// What s3rver does not check at all is listed in the package README.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';

/** The part of s3rver used here (it ships no types). */
interface S3rver {
  configureBuckets(): Promise<unknown>;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  readonly logger: { close(): void };
}
type S3rverOptions = { directory: string; silent: boolean; vhostBuckets: boolean; configureBuckets?: { name: string }[]; allowMismatchedSignatures?: boolean };
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as new (options: S3rverOptions) => S3rver;

/** How s3rver names the file holding an object's bytes. */
const OBJECT_SUFFIX = '._S3rver_object';

/** s3rver's built-in key pair. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3Server {
  /** `http://127.0.0.1:<port>`; use with path-style addressing. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  /** Keys of the objects in the bucket, read from s3rver's folder (its ListObjects answers path-style requests with SignatureDoesNotMatch). */
  objectKeys(): Promise<string[]>;
  /** Ids of multipart uploads started and neither completed nor aborted. */
  pendingMultipartUploads(): Promise<string[]>;
  close(): Promise<void>;
}

export interface LocalS3ServerOptions {
  /** Where s3rver keeps buckets and objects. */
  readonly directory: string;
  readonly bucket?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export async function startLocalS3Server(options: LocalS3ServerOptions): Promise<LocalS3Server> {
  const bucket = options.bucket ?? 'attest-evidence';
  await mkdir(options.directory, { recursive: true });
  const s3rver = new S3rver({ directory: options.directory, silent: true, configureBuckets: [{ name: bucket }], vhostBuckets: false });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const bucketLevel = new S3rver({ directory: options.directory, silent: true, vhostBuckets: false, allowMismatchedSignatures: true });
  const handleBucketLevel = bucketLevel.callback();
  const bucketFolder = join(options.directory, bucket);
  const uploadsFolder = join(bucketFolder, '._S3rver_uploads');

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const uploadId = url.searchParams.get('uploadId');
    if (req.method === 'DELETE' && uploadId !== null && url.pathname.startsWith(`/${bucket}/`)) {
      // AbortMultipartUpload: S3 discards the parts and forgets the upload id (204 either way).
      req.resume();
      if (!/^[0-9a-f]+$/.test(uploadId)) return void res.writeHead(400).end();
      void rm(join(uploadsFolder, uploadId), { recursive: true, force: true }).then(
        () => res.writeHead(204).end(),
        () => res.writeHead(500).end(),
      );
      return;
    }
    const segments = url.pathname.split('/');
    if (segments.length <= 3 && (segments[2] ?? '') === '') handleBucketLevel(req, res);
    else handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    bucket,
    region: 'us-east-1',
    objectKeys: async () => {
      const entries = await readdir(bucketFolder, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX))
        .map((entry) => relative(bucketFolder, join(entry.parentPath, entry.name.slice(0, -OBJECT_SUFFIX.length))).split(sep).join('/'));
    },
    pendingMultipartUploads: async () => readdir(uploadsFolder).catch(() => []),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
      bucketLevel.logger.close();
    },
  };
}
