import { and, count, eq, sql } from 'drizzle-orm';
import type { EvidenceItem, StorageUsage } from '@attest/contracts';
import { UPLOAD_LIMITS } from '@attest/contracts';
import { EVIDENCE_FILE_KIND_RULES, isEvidenceFileError, storeUpload } from '@attest/evidence-files';
import type { EvidenceFileKind, FileStore, UploadSource } from '@attest/evidence-files';
import { refuseIfItemCovered } from '../portfolio/signed-off-guard.ts';
import type { Database, Executor } from '../db/index.ts';
import { evidenceFiles, evidenceItems } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { DEFAULT_EVIDENCE_QUOTA, findStorageUsage, lockLearnerQuota, quotaExceeded } from './learner-quota.ts';
import type { EvidenceQuota } from './learner-quota.ts';
import { fileStoreTenantId, isUuid } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { inScope, loadEvidenceItems } from '../portfolio/load-evidence-items.ts';
import { auditEvidence } from './audit-evidence.ts';
import { lockEvidenceItem, notFoundMessage } from './lock-evidence-item.ts';
import { toUploadAppError } from '../portfolio/to-upload-app-error.ts';

export interface EvidenceUpload {
  readonly source: UploadSource;
  /** As the client sent it (already percent-decoded); cleaned and checked by the file package. */
  readonly fileName: string;
  readonly declaredMimeType: string | undefined;
  /** The request's Content-Length, when it sent one: a file that cannot fit is refused unread. */
  readonly declaredBytes?: number | undefined;
  readonly signal?: AbortSignal;
}

export interface UploadPolicy {
  /** The most bytes one file may have (the contract's limit unless a deployment lowers it). */
  readonly maxFileBytes: number;
  readonly maxFilesPerItem: number;
}

export const DEFAULT_UPLOAD_POLICY: UploadPolicy = { maxFileBytes: UPLOAD_LIMITS.maxFileBytes, maxFilesPerItem: UPLOAD_LIMITS.maxFilesPerItem };

const tooManyFiles = (max: number) => new AppError('rule_violation', `This evidence already has ${max} files, the most one item can hold. Remove one or add the file to another item.`);
const locked = () => new AppError('rule_violation', 'This evidence has been submitted for assessment. Reopen it by editing it before changing its files.');

/**
 * Streams one upload through the file package's checks into the store, then records it on the
 * item. The bytes are stored only if every check passes, and the row is written only once they
 * are; if the row cannot be written the bytes are removed, so nothing is ever half-kept.
 */
/** What an upload may still be, found before a byte of it is read. */
export interface FileAllowance {
  readonly kind: EvidenceFileKind;
  /** The smaller of the policy's per-file limit and the item's kind's. */
  readonly fileLimit: number;
  readonly usage: StorageUsage;
}

/**
 * Refuses a file the item cannot take, before a byte is read: the item must be the learner's,
 * a draft, not covered by a signature, with room for one more file, and the learner's quota must
 * have room for the bytes declared. Run again, under locks, when the file is recorded.
 */
export async function checkFileCanBeAdded(
  db: Database,
  scope: LearnerScope,
  itemId: string,
  upload: { readonly fileName: string; readonly declaredBytes?: number | undefined },
  policy: UploadPolicy = DEFAULT_UPLOAD_POLICY,
  quota: EvidenceQuota = DEFAULT_EVIDENCE_QUOTA,
): Promise<FileAllowance> {
  if (!isUuid(itemId)) throw new AppError('not_found', notFoundMessage);
  const [item] = await db.select().from(evidenceItems).where(and(inScope(scope), eq(evidenceItems.id, itemId)));
  if (!item) throw new AppError('not_found', notFoundMessage);
  await refuseIfItemCovered(db, scope, itemId);
  if (item.state === 'submitted') throw locked();
  // Checked before reading a byte, and again under the lock below (two tabs may upload at once).
  if ((await countFiles(db, itemId)) >= policy.maxFilesPerItem) throw tooManyFiles(policy.maxFilesPerItem);

  // The learner's quota, before a byte is written: a declared length that cannot fit is refused
  // unread, and the stream is cut as soon as its running count passes what is left.
  const usage = await findStorageUsage(db, scope, quota);
  if (usage.bytesLeft <= 0 || (upload.declaredBytes !== undefined && upload.declaredBytes > usage.bytesLeft)) throw quotaExceeded(upload.fileName, usage);
  const kind = item.evidenceType as EvidenceFileKind;
  const fileLimit = Math.min(policy.maxFileBytes, EVIDENCE_FILE_KIND_RULES[kind].defaultMaxBytes);
  return { kind, fileLimit, usage };
}

/**
 * Streams one upload through the file package's checks into the store, then records it on the
 * item. The bytes are stored only if every check passes, and the row is written only once they
 * are; if the row cannot be written the bytes are removed, so nothing is ever half-kept.
 * `onRecorded` runs in the transaction that writes the row (a resumable upload marks itself done
 * there, so a file is recorded once however often its last request is retried).
 */
export async function addEvidenceFile(
  db: Database,
  store: FileStore,
  scope: LearnerScope,
  itemId: string,
  upload: EvidenceUpload,
  policy: UploadPolicy = DEFAULT_UPLOAD_POLICY,
  quota: EvidenceQuota = DEFAULT_EVIDENCE_QUOTA,
  onRecorded?: (tx: Executor, fileId: string) => Promise<void>,
): Promise<EvidenceItem> {
  const { kind, fileLimit, usage } = await checkFileCanBeAdded(db, scope, itemId, upload, policy, quota);
  let stored;
  try {
    stored = await storeUpload(store, {
      tenantId: fileStoreTenantId(scope),
      source: upload.source,
      fileName: upload.fileName,
      declaredMimeType: upload.declaredMimeType,
      kind,
      maxBytes: Math.min(fileLimit, usage.bytesLeft),
      ...(upload.signal ? { signal: upload.signal } : {}),
    });
  } catch (error) {
    // Cut at the quota, not at the file limit: say which limit it was.
    if (usage.bytesLeft < fileLimit && isEvidenceFileError(error) && error.code === 'payload_too_large') throw quotaExceeded(upload.fileName, usage);
    throw toUploadAppError(error);
  }

  try {
    await db.transaction(async (tx) => {
      await lockLearnerQuota(tx, scope);
      const row = await lockEvidenceItem(tx, scope, itemId);
      await refuseIfItemCovered(tx, scope, itemId);
      if (row.state === 'submitted') throw locked();
      // Another upload of this learner's may have finished while this one streamed.
      const usageNow = await findStorageUsage(tx, scope, quota);
      if (stored.size > usageNow.bytesLeft) throw quotaExceeded(stored.fileName, usageNow);
      if ((await countFiles(tx, itemId)) >= policy.maxFilesPerItem) throw tooManyFiles(policy.maxFilesPerItem);
      const [file] = await tx
        .insert(evidenceFiles)
        .values({ itemId, storageKey: stored.key, name: stored.fileName, mediaType: stored.mimeType, size: stored.size, sha256: stored.sha256, uploadedBy: scope.learnerUserId })
        .returning({ id: evidenceFiles.id });
      if (!file) throw new Error('addEvidenceFile: insert returned no row');
      await auditEvidence(tx, scope, 'evidence.file-added', { type: 'evidence-file', id: file.id, label: stored.fileName }, { itemId, itemTitle: row.title, name: stored.fileName, mediaType: stored.mimeType, size: stored.size, sha256: stored.sha256 });
      await tx.update(evidenceItems).set({ updatedAt: sql`now()` }).where(eq(evidenceItems.id, itemId));
      await onRecorded?.(tx, file.id);
    });
  } catch (error) {
    await store.delete(stored.key).catch(() => false);
    throw error;
  }
  const [result] = await loadEvidenceItems(db, scope, [itemId]);
  if (!result) throw new Error('addEvidenceFile: the item vanished');
  return result;
}

async function countFiles(db: Executor, itemId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.itemId, itemId));
  return row?.n ?? 0;
}
