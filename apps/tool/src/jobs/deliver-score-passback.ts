import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { Score, ScoreSender, ScoreSendResult, ScoreTarget } from '../domain/ports.ts';
import { auditScoreOutcome } from '../scores/audit-score-outcome.ts';
import type { ScorePassbackRow } from '../scores/create-score-passback.ts';
import { heldScoreOf, isAlreadyHeld, isCanvasRow, keptGraderScoreOf, withCanvasExtension } from './canvas-score-flags.ts';

/** `throttled`: the LMS is rate-limiting us; the row stays pending and the worker tries again when asked (decision 23). */
export type DeliveryOutcome = 'sent' | 'failed' | 'retry' | 'throttled' | 'skipped';

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
  /** True while the worker will still wait out a throttled answer within this attempt (decision 23). */
  readonly canWaitOutThrottling?: boolean;
}

/**
 * Sends one stored score to the LMS and records how it went. Never throws for an LMS answer:
 * it returns 'throttled' when the LMS is rate-limiting us and 'retry' when trying again could help
 * (network, 5xx, 408), unless it is the last try.
 */
export async function deliverScorePassback(db: Database, sender: ScoreSender, attempt: DeliveryAttempt): Promise<DeliveryResult> {
  const [row] = await db.select().from(scorePassbacks).where(eq(scorePassbacks.id, attempt.passbackId));
  if (!row || row.state !== 'pending') return { outcome: 'skipped', retryAfterSeconds: null, lmsStatus: null };

  if (await hasNewerScore(db, row, ['sent'])) {
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
    if (!read.ok && 'isThrottled' in read && read.isThrottled === true && mayRetryThrottled(attempt)) {
      // Sending blind now could repeat a score Canvas already holds (and its comment): wait for the read.
      await record(db, row, { state: 'pending', attempts: row.attempts, lastError: `The LMS is rate-limiting Attest: ${read.message}`.slice(0, 1000), lastStatus: null });
      return { outcome: 'throttled', retryAfterSeconds: null, lmsStatus: null };
    }
    keptGraderScore = keptGraderScoreOf(heldScoreOf(read), lastAccepted);
    if (isAlreadyHeld(row, read)) {
      await record(db, row, { state: 'sent', attempts: row.attempts, lastError: null, lastStatus: row.lastStatus, sentAt: true, keptGraderScore });
      return { outcome: 'sent', retryAfterSeconds: null, lmsStatus: null };
    }
    score = withCanvasExtension(score, row, lastAccepted);
  }

  let result = await trySend(sender, target, score);
  if (isRefusedAsOlder(row, result)) {
    if (await hasNewerScore(db, row, ['pending', 'sent'])) {
      // A later decision for this learner is queued; it, not this one, is what the gradebook must hold.
      await record(db, row, { state: 'failed', attempts: row.attempts + 1, lastError: 'Superseded by a newer score for this learner, which is queued to be sent.', lastStatus: 409 });
      return { outcome: 'failed', retryAfterSeconds: null, lmsStatus: 409 };
    }
    // Still Attest's latest decision: send it again dated now, which the LMS's check accepts unless
    // its clock is ahead of ours (then the queue tries again later, with a later clock).
    result = await trySend(sender, target, { ...score, timestamp: resendTimestamp(row.scoreTimestamp, Date.now()) });
  }
  const attempts = row.attempts + 1;
  if (result.ok) {
    await record(db, row, { state: 'sent', attempts, lastError: null, lastStatus: result.status, sentAt: true, keptGraderScore });
    return { outcome: 'sent', retryAfterSeconds: null, lmsStatus: result.status };
  }
  const isRefusedAgain = isRefusedAsOlder(row, result);
  const isThrottled = result.status === 429 || result.isThrottled === true;
  if (isThrottled && mayRetryThrottled(attempt)) {
    const lastError = `The LMS is rate-limiting Attest (${result.status}): ${result.message}`.slice(0, 1000);
    await record(db, row, { state: 'pending', attempts, lastError, lastStatus: result.status });
    return { outcome: 'throttled', retryAfterSeconds: result.retryAfterSeconds, lmsStatus: result.status };
  }
  const isRetryable = result.status === null || result.status >= 500 || result.status === 408 || isThrottled || isRefusedAgain;
  const lastError = isRefusedAgain
    ? `LMS answered 409: it holds a grade for this learner dated later than Attest's clock and refused the score as older, also when sent again dated now. Check the LMS server's clock; the score was not recorded. (${result.message})`.slice(0, 1000)
    : `${result.status === null ? 'No answer from the LMS' : `LMS answered ${result.status}`}: ${result.message}`.slice(0, 1000);
  if (isRetryable && !attempt.isLastAttempt) {
    await record(db, row, { state: 'pending', attempts, lastError, lastStatus: result.status });
    return { outcome: 'retry', retryAfterSeconds: result.retryAfterSeconds, lmsStatus: result.status };
  }
  await record(db, row, { state: 'failed', attempts, lastError, lastStatus: result.status });
  return { outcome: 'failed', retryAfterSeconds: null, lmsStatus: result.status };
}

function mayRetryThrottled(attempt: DeliveryAttempt): boolean {
  return !attempt.isLastAttempt || attempt.canWaitOutThrottling === true;
}

async function trySend(sender: ScoreSender, target: ScoreTarget, score: Score): Promise<ScoreSendResult> {
  try {
    return await sender.send(target, score);
  } catch (error) {
    return { ok: false, status: null, retryAfterSeconds: null, message: (error as Error).message || 'The score could not be sent.' };
  }
}

/**
 * Moodle answers 409 when the score's timestamp is not after the grade's `timemodified`, in whole
 * seconds (mod/lti/service/gradebookservices/classes/local/resources/scores.php), and that is Moodle's
 * own clock where the grade was last written without a score (gradebookservices.php save_grade_item
 * leaves it to grade_update) or edited in the gradebook. Attest's timestamps are the decisions' times,
 * so a 409 says "the LMS holds something newer", not "this score is wrong": never a reason to drop it.
 * Canvas orders scores by its own rules (canvas-score-flags.ts).
 */
function isRefusedAsOlder(row: ScorePassbackRow, result: ScoreSendResult): boolean {
  return !result.ok && result.status === 409 && !isCanvasRow(row);
}

/** The next whole second after both the decision and now, so the LMS's whole-second check passes. */
export function resendTimestamp(decidedAt: Date, nowMs: number): string {
  return new Date((Math.floor(Math.max(decidedAt.getTime(), nowMs) / 1000) + 1) * 1000).toISOString();
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
    .where(and(sameLearnerAndLineItem(row), eq(scorePassbacks.state, 'sent'), lt(scorePassbacks.scoreTimestamp, row.scoreTimestamp)))
    .orderBy(desc(scorePassbacks.scoreTimestamp))
    .limit(1);
  return last ?? null;
}

/** Whether a later score for this learner on this line item is in one of `states`. */
async function hasNewerScore(db: Database, row: ScorePassbackRow, states: readonly ScorePassbackRow['state'][]): Promise<boolean> {
  const [newer] = await db
    .select({ id: scorePassbacks.id })
    .from(scorePassbacks)
    .where(and(sameLearnerAndLineItem(row), inArray(scorePassbacks.state, [...states]), gt(scorePassbacks.scoreTimestamp, row.scoreTimestamp)))
    .limit(1);
  return newer !== undefined;
}

/** The rows of this row's learner on its line item, in its tenant. */
function sameLearnerAndLineItem(row: ScorePassbackRow) {
  return and(
    eq(scorePassbacks.issuer, row.issuer),
    eq(scorePassbacks.clientId, row.clientId),
    eq(scorePassbacks.deploymentId, row.deploymentId),
    eq(scorePassbacks.lineItemUrl, row.lineItemUrl),
    eq(scorePassbacks.learnerUserId, row.learnerUserId),
  );
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
