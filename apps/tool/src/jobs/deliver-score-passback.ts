import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { Score, ScoreSender, ScoreSendResult } from '../domain/ports.ts';
import { auditScoreOutcome } from '../scores/audit-score-outcome.ts';
import type { ScorePassbackRow } from '../scores/create-score-passback.ts';
import { heldScoreOf, isAlreadyHeld, isCanvasRow, keptGraderScoreOf, withCanvasExtension } from './canvas-score-flags.ts';

export type DeliveryOutcome = 'sent' | 'failed' | 'retry' | 'skipped';

export interface DeliveryResult {
  readonly outcome: DeliveryOutcome;
  /** How long the LMS asked us to wait before a retry. */
  readonly retryAfterSeconds: number | null;
  /** The LMS's HTTP status for this attempt; null when it did not answer or nothing was sent. */
  readonly lmsStatus: number | null;
}

export interface DeliveryAttempt {
  readonly passbackId: string;
  /** True when the queue will not try again after this attempt. */
  readonly isLastAttempt: boolean;
}

/**
 * Sends one stored score to the LMS and records how it went. Never throws for an LMS answer:
 * it returns 'retry' when trying again could help (network, 5xx, 408, 429) and it is not the last try.
 */
export async function deliverScorePassback(db: Database, sender: ScoreSender, attempt: DeliveryAttempt): Promise<DeliveryResult> {
  const [row] = await db.select().from(scorePassbacks).where(eq(scorePassbacks.id, attempt.passbackId));
  if (!row || row.state !== 'pending') return { outcome: 'skipped', retryAfterSeconds: null, lmsStatus: null };

  if (await hasNewerDelivered(db, row)) {
    // The gradebook already holds a later score for this learner; sending this one would be refused.
    await record(db, row, { state: 'failed', attempts: row.attempts, lastError: 'Superseded by a newer score for this learner that was already sent.', lastStatus: null });
    return { outcome: 'failed', retryAfterSeconds: null, lmsStatus: null };
  }

  const target = { issuer: row.issuer, clientId: row.clientId, deploymentId: row.deploymentId, lineItemUrl: row.lineItemUrl };
  let score = toScore(row);
  let keptGraderScore: number | null = null;
  if (isCanvasRow(row)) {
    // Canvas decides from what it already holds (see canvas-score-flags.ts), so read it first.
    const lastAccepted = await findLastAccepted(db, row);
    const read = sender.readResult ? await sender.readResult(target, row.learnerUserId).catch((error: unknown) => ({ ok: false as const, message: String(error) })) : { ok: false as const, message: 'no result service' };
    keptGraderScore = keptGraderScoreOf(heldScoreOf(read), lastAccepted);
    if (isAlreadyHeld(row, read)) {
      await record(db, row, { state: 'sent', attempts: row.attempts, lastError: null, lastStatus: row.lastStatus, sentAt: true, keptGraderScore });
      return { outcome: 'sent', retryAfterSeconds: null, lmsStatus: null };
    }
    score = withCanvasExtension(score, row, lastAccepted);
  }

  let result: ScoreSendResult;
  try {
    result = await sender.send(target, score);
  } catch (error) {
    result = { ok: false, status: null, retryAfterSeconds: null, message: (error as Error).message || 'The score could not be sent.' };
  }
  const attempts = row.attempts + 1;
  if (result.ok) {
    await record(db, row, { state: 'sent', attempts, lastError: null, lastStatus: result.status, sentAt: true, keptGraderScore });
    return { outcome: 'sent', retryAfterSeconds: null, lmsStatus: result.status };
  }
  const isRetryable = result.status === null || result.status >= 500 || result.status === 408 || result.status === 429;
  const lastError = `${result.status === null ? 'No answer from the LMS' : `LMS answered ${result.status}`}: ${result.message}`.slice(0, 1000);
  if (isRetryable && !attempt.isLastAttempt) {
    await record(db, row, { state: 'pending', attempts, lastError, lastStatus: result.status });
    return { outcome: 'retry', retryAfterSeconds: result.retryAfterSeconds, lmsStatus: result.status };
  }
  await record(db, row, { state: 'failed', attempts, lastError, lastStatus: result.status });
  return { outcome: 'failed', retryAfterSeconds: null, lmsStatus: result.status };
}

export function toScore(row: ScorePassbackRow): Score {
  return {
    userId: row.learnerUserId,
    ...(row.scoreGiven === null ? {} : { scoreGiven: row.scoreGiven }),
    ...(row.scoreMaximum === null ? {} : { scoreMaximum: row.scoreMaximum }),
    activityProgress: row.activityProgress as Score['activityProgress'],
    gradingProgress: row.gradingProgress as Score['gradingProgress'],
    timestamp: row.scoreTimestamp.toISOString(),
    ...(row.comment === null ? {} : { comment: row.comment }),
    ...(row.extensions === null ? {} : { extensions: row.extensions }),
  };
}

/** The latest earlier score of this learner on this line item that the platform accepted. */
async function findLastAccepted(db: Database, row: ScorePassbackRow): Promise<ScorePassbackRow | null> {
  const [last] = await db
    .select()
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.issuer, row.issuer),
        eq(scorePassbacks.clientId, row.clientId),
        eq(scorePassbacks.deploymentId, row.deploymentId),
        eq(scorePassbacks.lineItemUrl, row.lineItemUrl),
        eq(scorePassbacks.learnerUserId, row.learnerUserId),
        eq(scorePassbacks.state, 'sent'),
        lt(scorePassbacks.scoreTimestamp, row.scoreTimestamp),
      ),
    )
    .orderBy(desc(scorePassbacks.scoreTimestamp))
    .limit(1);
  return last ?? null;
}

async function hasNewerDelivered(db: Database, row: ScorePassbackRow): Promise<boolean> {
  const [newer] = await db
    .select({ id: scorePassbacks.id })
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.issuer, row.issuer),
        eq(scorePassbacks.clientId, row.clientId),
        eq(scorePassbacks.deploymentId, row.deploymentId),
        eq(scorePassbacks.lineItemUrl, row.lineItemUrl),
        eq(scorePassbacks.learnerUserId, row.learnerUserId),
        eq(scorePassbacks.state, 'sent'),
        gt(scorePassbacks.scoreTimestamp, row.scoreTimestamp),
      ),
    )
    .limit(1);
  return newer !== undefined;
}

/** Stores the attempt; a final outcome (sent or failed, not a retry) is also an audit entry, in the same transaction. */
async function record(
  db: Database,
  row: ScorePassbackRow,
  update: { state: ScorePassbackRow['state']; attempts: number; lastError: string | null; lastStatus: number | null; sentAt?: true; keptGraderScore?: number | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(scorePassbacks)
      .set({
        state: update.state,
        attempts: update.attempts,
        lastError: update.lastError,
        lastStatus: update.lastStatus,
        updatedAt: sql`now()`,
        ...(update.sentAt ? { sentAt: sql`now()` } : {}),
        ...(update.keptGraderScore === undefined ? {} : { keptGraderScore: update.keptGraderScore }),
      })
      .where(eq(scorePassbacks.id, row.id));
    if (update.state !== 'pending') await auditScoreOutcome(tx, row, update.state, { status: update.lastStatus, error: update.lastError });
  });
}
