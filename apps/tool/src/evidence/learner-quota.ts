import { count, eq, sql } from 'drizzle-orm';
import type { StorageUsage } from '@attest/contracts';
import { evidenceFiles, evidenceItems } from '../db/index.ts';
import type { Executor, Transaction } from '../db/index.ts';
import { ENV_DEFAULTS } from '../env.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { inScope } from '../portfolio/load-evidence-items.ts';

// A learner's quota covers their portfolio in one course of one tenant (the LearnerScope): every
// evidence item they keep there, and the bytes of every file on those items. The same learner in
// another course, or at another college, has a quota of their own, as a course's portfolio is
// what an assessor judges and what a college pays to keep.

export interface EvidenceQuota {
  /** The most bytes of files one learner may keep in one course. */
  readonly maxBytes: number;
  /** The most evidence items one learner may keep in one course. */
  readonly maxItems: number;
}

export const DEFAULT_EVIDENCE_QUOTA: EvidenceQuota = { maxBytes: ENV_DEFAULTS.evidenceQuotaMegabytes * 1024 * 1024, maxItems: ENV_DEFAULTS.evidenceItemCap };

/** What the learner keeps in this course now, and what the quota leaves them. */
export async function findStorageUsage(db: Executor, scope: LearnerScope, quota: EvidenceQuota): Promise<StorageUsage> {
  // One after the other: inside a transaction both run on one connection, which takes one query at a time.
  const [items] = await db.select({ n: count() }).from(evidenceItems).where(inScope(scope));
  const [files] = await db
    .select({ bytes: sql<string>`coalesce(sum(${evidenceFiles.size}), 0)` })
    .from(evidenceFiles)
    .innerJoin(evidenceItems, eq(evidenceFiles.itemId, evidenceItems.id))
    .where(inScope(scope));
  const bytesUsed = Number(files?.bytes ?? 0);
  const itemsUsed = items?.n ?? 0;
  return {
    bytesUsed,
    bytesLimit: quota.maxBytes,
    bytesLeft: Math.max(0, quota.maxBytes - bytesUsed),
    itemsUsed,
    itemsLimit: quota.maxItems,
    itemsLeft: Math.max(0, quota.maxItems - itemsUsed),
  };
}

/**
 * Serialises quota checks of one learner's portfolio until the transaction ends, so two tabs (or
 * two uploads to different items) cannot both see room that only one of them may use.
 */
export async function lockLearnerQuota(tx: Transaction, scope: LearnerScope): Promise<void> {
  // JSON, not a NUL-joined string: PostgreSQL text cannot hold NUL.
  const key = JSON.stringify([scope.issuer, scope.clientId, scope.deploymentId, scope.contextId, scope.learnerUserId]);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`);
}

/** Sizes as the UI shows them (apps/web formatBytes): MB to one decimal, KB whole, else bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** A file that does not fit in what the learner's quota leaves (HTTP 413). */
export function quotaExceeded(fileName: string, usage: StorageUsage): AppError {
  return new AppError(
    'payload_too_large',
    `${fileName} was not stored: your evidence in this course may take up ${formatSize(usage.bytesLimit)}, ${formatSize(usage.bytesUsed)} is used and ${formatSize(usage.bytesLeft)} is left. Remove files you no longer need, or ask your tutor.`,
    { details: { quota: 'bytes', bytesLimit: usage.bytesLimit, bytesUsed: usage.bytesUsed, bytesLeft: usage.bytesLeft } },
  );
}

/** One more item than the learner's cap allows (HTTP 422). */
export function itemCapReached(usage: StorageUsage): AppError {
  return new AppError('rule_violation', `You already keep ${usage.itemsUsed} evidence items in this course, the most allowed (${usage.itemsLimit}). Add files to an existing item, or ask your tutor.`, {
    details: { quota: 'items', itemsLimit: usage.itemsLimit, itemsUsed: usage.itemsUsed },
  });
}
