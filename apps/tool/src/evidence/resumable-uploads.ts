import { Readable } from 'node:stream';
import type { RequestHandler, Response } from 'express';
import { and, asc, count, eq, gt, isNull, lt } from 'drizzle-orm';
import { Server } from '@tus/server';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { RESUMABLE_UPLOADS_PATH, textRefusalOf } from '@attest/contracts';
import { cleanFileName, formatBytes, EVIDENCE_FILE_KIND_RULES } from '@attest/evidence-files';
import type { FileStore } from '@attest/evidence-files';
import type { Database } from '../db/index.ts';
import { evidenceUploadParts, evidenceUploads, whereLearner } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { describeError } from '../errors/describe-error.ts';
import type { Logger } from '../http/error-middleware.ts';
import { errorResponseOf, requestIdOf } from '../http/error-middleware.ts';
import { launchOf } from '../http/launch-of.ts';
import { fileStoreTenantId, learnerScopeOf } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { toUploadAppError } from '../portfolio/to-upload-app-error.ts';
import { addEvidenceFile, checkFileCanBeAdded, DEFAULT_UPLOAD_POLICY } from './add-evidence-file.ts';
import type { UploadPolicy } from './add-evidence-file.ts';
import { getEvidenceItem } from './get-evidence-item.ts';
import { DEFAULT_EVIDENCE_QUOTA } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';

// Resumable uploads (issue 12, decision 0027): the tus 1.0 protocol through @tus/server, on a
// data store of our own. The bytes that arrive are kept as parts in the evidence file store and
// counted in `evidence_uploads.offset`, both shared by every server, so a learner whose
// connection drops resumes where the bytes stopped, through whichever server answers. Only the
// complete file becomes evidence, through `addEvidenceFile`: the same checks (type by content,
// size, name, quota, the item's state) as a one-request upload, in the same order.

/** Bytes held in memory per upload before they are stored as a part; a cut loses none of them. */
export const UPLOAD_PART_BYTES = 1024 * 1024;
/** An upload unfinished for this long is removed with its parts (tus `expiration` extension). */
export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Unfinished uploads one learner may hold at once in a course: each holds storage outside the quota. */
export const MAX_OPEN_UPLOADS = 5;

type UploadRow = typeof evidenceUploads.$inferSelect;

export interface ResumableUploadDeps {
  readonly db: Database;
  readonly fileStore: FileStore;
  readonly policy?: UploadPolicy | undefined;
  readonly quota?: EvidenceQuota | undefined;
  readonly log?: Logger | undefined;
}

const notFound = () => new AppError('not_found', 'This upload does not exist, or has expired. Choose the file again.');

const scopeOfRow = (row: UploadRow): LearnerScope => ({ issuer: row.issuer, clientId: row.clientId, deploymentId: row.deploymentId, contextId: row.contextId, learnerUserId: row.learnerUserId });

/**
 * The tus data store. `create` only confirms the row `onUploadCreate` wrote (it alone has the
 * learner's scope); `write` stores what arrives and, once the last byte is in, records the file.
 */
export class EvidenceUploadStore extends DataStore {
  constructor(private readonly deps: ResumableUploadDeps) {
    super();
    this.extensions = ['creation', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    await this.row(upload.id);
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const row = await this.row(id);
    return new Upload({ id, size: row.size, offset: row.offset, metadata: { itemId: row.itemId, filename: row.fileName }, creation_date: row.createdAt.toISOString() });
  }

  /**
   * Stores the bytes of one PATCH from `offset`. Every full part is stored as it fills; when the
   * request ends early (the connection dropped: tus ends the stream rather than failing it) what
   * did arrive is stored too, so the client's HEAD finds every byte the server received.
   */
  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const row = await this.row(id);
    if (row.offset !== offset || row.evidenceFileId !== null) throw ERRORS.INVALID_OFFSET;
    let at = offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let failure: unknown;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        // The upload's last bytes stay in memory: they are stored as part of the file itself.
        while (pendingBytes >= UPLOAD_PART_BYTES && at + pendingBytes < row.size) {
          const joined = Buffer.concat(pending);
          at = await this.storePart(row, at, joined.subarray(0, UPLOAD_PART_BYTES));
          pending = [joined.subarray(UPLOAD_PART_BYTES)];
          pendingBytes = joined.length - UPLOAD_PART_BYTES;
        }
      }
    } catch (error) {
      failure = error;
    }
    const rest = Buffer.concat(pending);
    if (failure === undefined && at + rest.length === row.size) {
      await this.finish(row, at, rest);
      return row.size;
    }
    if (rest.length > 0) at = await this.storePart(row, at, rest);
    if (failure !== undefined) throw failure;
    return at;
  }

  override async remove(id: string): Promise<void> {
    const row = await this.row(id);
    await this.discard(row.id);
  }

  override async declareUploadLength(): Promise<void> {
    // Attest needs the length up front (it is checked against the limits and the quota), so the
    // creation-defer-length extension is not offered and tus never calls this.
    throw ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION;
  }

  override getExpiration(): number {
    return UPLOAD_LIFETIME_MS;
  }

  /** Removes uploads created more than a lifetime ago, finished or not, with their parts. */
  override async deleteExpired(): Promise<number> {
    const cutoff = new Date(Date.now() - UPLOAD_LIFETIME_MS);
    const expired = await this.deps.db.select({ id: evidenceUploads.id }).from(evidenceUploads).where(lt(evidenceUploads.createdAt, cutoff)).limit(100);
    for (const { id } of expired) await this.discard(id);
    return expired.length;
  }

  /** The upload's row, or tus's 404. Ownership is checked before any of this runs (onIncomingRequest). */
  async row(id: string): Promise<UploadRow> {
    const [row] = await this.deps.db.select().from(evidenceUploads).where(eq(evidenceUploads.id, id));
    if (!row) throw notFound();
    return row;
  }

  /** Stores `bytes` as the part starting at `start`, if the upload is still at `start`. */
  private async storePart(row: UploadRow, start: number, bytes: Buffer): Promise<number> {
    const stored = await this.deps.fileStore.put(fileStoreTenantId(scopeOfRow(row)), bytes);
    try {
      await this.deps.db.transaction(async (tx) => {
        // Two requests for one upload (a retry racing a request its server has not yet seen
        // end, perhaps on another server): only the one at the upload's offset moves it.
        const moved = await tx
          .update(evidenceUploads)
          .set({ offset: start + bytes.length })
          .where(and(eq(evidenceUploads.id, row.id), eq(evidenceUploads.offset, start), isNull(evidenceUploads.evidenceFileId)))
          .returning({ id: evidenceUploads.id });
        if (moved.length === 0) throw ERRORS.INVALID_OFFSET;
        await tx.insert(evidenceUploadParts).values({ uploadId: row.id, start, size: bytes.length, storageKey: stored.key });
      });
    } catch (error) {
      await this.deps.fileStore.delete(stored.key).catch(() => false);
      throw error;
    }
    return start + bytes.length;
  }

  /**
   * The last bytes are in: the parts, then `lastBytes`, stream through `addEvidenceFile`, which
   * records the file and, in the same transaction, marks the upload done. A refused file (its
   * content, the item's state, the quota) leaves nothing behind; any other failure keeps the parts,
   * so the client's retry of its last request can finish the upload.
   */
  private async finish(row: UploadRow, start: number, lastBytes: Buffer): Promise<void> {
    const parts = await this.deps.db.select().from(evidenceUploadParts).where(eq(evidenceUploadParts.uploadId, row.id)).orderBy(asc(evidenceUploadParts.start));
    const storedBytes = parts.reduce((total, part) => total + part.size, 0);
    if (storedBytes !== start) throw new Error(`resumable upload: ${storedBytes} bytes stored in parts, offset ${start}`);
    const { fileStore } = this.deps;
    async function* bytesInOrder(): AsyncGenerator<Uint8Array> {
      for (const part of parts) yield* (await fileStore.openRead(part.storageKey)) as AsyncIterable<Uint8Array>;
      yield lastBytes;
    }
    const scope = scopeOfRow(row);
    const upload = { source: Readable.from(bytesInOrder()), fileName: row.fileName, declaredMimeType: row.declaredMimeType ?? undefined, declaredBytes: row.size };
    try {
      await addEvidenceFile(this.deps.db, fileStore, scope, row.itemId, upload, this.deps.policy ?? DEFAULT_UPLOAD_POLICY, this.deps.quota ?? DEFAULT_EVIDENCE_QUOTA, async (tx, fileId) => {
        const done = await tx
          .update(evidenceUploads)
          .set({ offset: row.size, evidenceFileId: fileId })
          .where(and(eq(evidenceUploads.id, row.id), eq(evidenceUploads.offset, start), isNull(evidenceUploads.evidenceFileId)))
          .returning({ id: evidenceUploads.id });
        // Another request finished it first: this file is not recorded twice.
        if (done.length === 0) throw ERRORS.INVALID_OFFSET;
      });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) await this.discard(row.id);
      throw error;
    }
    // The bytes now live in the evidence file; the row stays, so a HEAD finds the upload complete.
    await this.deleteParts(row.id);
  }

  private async deleteParts(uploadId: string): Promise<void> {
    const parts = await this.deps.db.delete(evidenceUploadParts).where(eq(evidenceUploadParts.uploadId, uploadId)).returning({ storageKey: evidenceUploadParts.storageKey });
    await Promise.all(parts.map((part) => this.deps.fileStore.delete(part.storageKey).catch(() => false)));
  }

  private async discard(uploadId: string): Promise<void> {
    await this.deleteParts(uploadId);
    await this.deps.db.delete(evidenceUploads).where(eq(evidenceUploads.id, uploadId));
  }
}

/** The launching learner's scope, which the Express handler below put on the response. */
function scopeOfRequest(req: Request): LearnerScope {
  const res = (req as Request & { runtime?: { node?: { res?: Response } } }).runtime?.node?.res;
  const scope = res?.locals['learnerScope'] as LearnerScope | undefined;
  if (!scope) throw new AppError('internal', 'Something went wrong on our side. Please try again.', { logMessage: 'resumable upload reached tus without a learner scope' });
  return scope;
}

function requestIdOfRequest(req: Request): string | undefined {
  const res = (req as Request & { runtime?: { node?: { res?: Response } } }).runtime?.node?.res;
  return res ? requestIdOf(res) : undefined;
}

/**
 * The Express handler for RESUMABLE_UPLOADS_PATH and the uploads under it, behind `authenticate`.
 * Only the launching learner's own uploads answer: another learner's (or tenant's) upload id is a
 * 404, as every other route treats another's ids.
 */
export function createResumableUploadHandler(deps: ResumableUploadDeps): RequestHandler {
  const store = new EvidenceUploadStore(deps);
  const policy = deps.policy ?? DEFAULT_UPLOAD_POLICY;
  const quota = deps.quota ?? DEFAULT_EVIDENCE_QUOTA;
  const server = new Server({
    path: RESUMABLE_UPLOADS_PATH,
    datastore: store,
    relativeLocation: true,
    // Same origin only: the UI is served by this server.
    allowedOrigins: [],
    maxSize: policy.maxFileBytes,
    disableTerminationForFinishedUploads: true,

    async onIncomingRequest(req, id) {
      // A new upload's id is ours, just made; its row is written by onUploadCreate.
      if (req.method === 'POST') return;
      const [row] = await deps.db.select({ id: evidenceUploads.id }).from(evidenceUploads).where(and(eq(evidenceUploads.id, id), whereLearner(evidenceUploads, scopeOfRequest(req))));
      if (!row) throw notFound();
    },

    async onUploadCreate(req, upload) {
      const scope = scopeOfRequest(req);
      const itemId = upload.metadata?.['itemId'] ?? '';
      const fileName = upload.metadata?.['filename'] ?? '';
      const declaredMimeType = upload.metadata?.['filetype'] ?? null;
      if (fileName.trim() === '') throw new AppError('invalid_request', 'The upload has no file name. Send it as the `filename` metadata.');
      const refusal = textRefusalOf(fileName);
      if (refusal) throw new AppError('invalid_request', 'The file name contains characters that cannot be stored.', { details: [{ path: 'filename', code: refusal }] });
      try {
        cleanFileName(fileName);
      } catch (error) {
        throw toUploadAppError(error);
      }
      const size = upload.size ?? 0;
      if (size === 0) throw new AppError('invalid_request', `${fileName} is empty, so there is nothing to upload.`);
      const { kind, fileLimit } = await checkFileCanBeAdded(deps.db, scope, itemId, { fileName, declaredBytes: size }, policy, quota);
      if (size > fileLimit) {
        throw new AppError('payload_too_large', `${fileName} is larger than the ${formatBytes(fileLimit)} limit for ${EVIDENCE_FILE_KIND_RULES[kind].label}.`, {
          details: { fileError: 'payload_too_large', fileName, limitBytes: fileLimit, kind },
        });
      }
      await store.deleteExpired();
      const [open] = await deps.db
        .select({ n: count() })
        .from(evidenceUploads)
        .where(and(whereLearner(evidenceUploads, scope), isNull(evidenceUploads.evidenceFileId), gt(evidenceUploads.createdAt, new Date(Date.now() - UPLOAD_LIFETIME_MS))));
      if ((open?.n ?? 0) >= MAX_OPEN_UPLOADS) {
        throw new AppError('rule_violation', `You have ${MAX_OPEN_UPLOADS} uploads that have not finished. Let one finish, or wait a day for them to expire, before starting another.`);
      }
      await deps.db.insert(evidenceUploads).values({ id: upload.id, ...scope, itemId, fileName, declaredMimeType, size });
      return {};
    },

    async onUploadFinish(req, upload) {
      const row = await store.row(upload.id);
      const item = await getEvidenceItem(deps.db, scopeOfRequest(req), row.itemId);
      return { status_code: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(item) };
    },

    async onResponseError(req, error) {
      // tus's own refusals (wrong offset, missing headers) keep tus's answers.
      if (!(error instanceof Error) && typeof (error as { status_code?: unknown }).status_code === 'number') return undefined;
      const requestId = requestIdOfRequest(req);
      const { status, body } = errorResponseOf(error, requestId);
      if (body.error.code === 'internal') deps.log?.('unexpected error', { code: 'internal', requestId, method: req.method, route: `${RESUMABLE_UPLOADS_PATH}/:uploadId`, error: describeError(error) });
      return { status_code: status, body: JSON.stringify(body) };
    },
  });

  return (req, res, next) => {
    try {
      res.locals['learnerScope'] = learnerScopeOf(launchOf(res));
    } catch (error) {
      return next(error);
    }
    // tus reads the whole path; Express gave this router the part after its mount point.
    req.url = req.originalUrl;
    server.handle(req, res).catch(next);
  };
}
