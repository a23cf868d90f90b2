import { and, count, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { ScoreTarget } from '../domain/ports.ts';
import { createScorePassback, SCORE_MAXIMUM } from '../scores/create-score-passback.ts';
import type { ScorePassbackRow } from '../scores/create-score-passback.ts';

/** Canvas's score extension: a submission SpeedGrader opens by launching `submission_data`. */
export const CANVAS_SUBMISSION_EXTENSION = 'https://canvas.instructure.com/lti/submission';

export interface UnitScore {
  readonly target: ScoreTarget;
  readonly learnerUserId: string;
  readonly requestedBy: string;
  /**
   * `completed`: signed off, full marks; `submitted`: the candidate asks for assessment, or a
   * reopened unit needs grading again (Canvas only); `reopened`: the sign-off was withdrawn, so the
   * grade is cleared (Moodle: any score but FullyGraded clears it).
   */
  readonly kind: 'completed' | 'submitted' | 'reopened';
  readonly comment: string;
  /** Set on Canvas: the URL SpeedGrader launches to open this learner's unit. */
  readonly canvasLaunchUrl: string | null;
  readonly at: Date;
  /** The learner's course and the unit, for the audit trail's entry of the queued score. */
  readonly course?: { readonly contextId: string; readonly unitId: string };
}

/**
 * Stores the unit's score in the same transaction as the signature that causes it, so a signed-off
 * unit always has its score row: the durable queue (src/jobs) delivers it, and a server that stops
 * before queueing re-queues every pending row at start-up.
 */
export async function storeUnitScore(tx: Transaction, score: UnitScore): Promise<ScorePassbackRow> {
  const isCompleted = score.kind === 'completed';
  let extensions: Record<string, unknown> | null = null;
  if (score.canvasLaunchUrl !== null) {
    const [earlier] = await tx
      .select({ n: count() })
      .from(scorePassbacks)
      .where(
        and(
          eq(scorePassbacks.issuer, score.target.issuer),
          eq(scorePassbacks.clientId, score.target.clientId),
          eq(scorePassbacks.deploymentId, score.target.deploymentId),
          eq(scorePassbacks.lineItemUrl, score.target.lineItemUrl),
          eq(scorePassbacks.learnerUserId, score.learnerUserId),
        ),
      );
    // One submission per unit in SpeedGrader: the completion grades the submission the candidate made, if any.
    extensions = {
      [CANVAS_SUBMISSION_EXTENSION]: { new_submission: (earlier?.n ?? 0) === 0, submission_type: 'basic_lti_launch', submission_data: score.canvasLaunchUrl, submitted_at: score.at.toISOString() },
    };
  }
  // A savepoint inside the caller's transaction: the score row commits with the signature or not at all.
  const row = await createScorePassback(tx as unknown as Database, {
    target: score.target,
    requestedBy: score.requestedBy,
    ...(score.course ? { course: score.course } : {}),
    request: isCompleted
      ? { learnerUserId: score.learnerUserId, scoreGiven: SCORE_MAXIMUM, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: score.comment }
      : score.kind === 'reopened'
        ? { learnerUserId: score.learnerUserId, activityProgress: 'InProgress', gradingProgress: 'NotReady', comment: score.comment }
        : { learnerUserId: score.learnerUserId, activityProgress: 'Submitted', gradingProgress: 'PendingManual', comment: score.comment },
  });
  if (extensions === null) return row;
  const [withExtensions] = await tx.update(scorePassbacks).set({ extensions }).where(eq(scorePassbacks.id, row.id)).returning();
  return withExtensions ?? row;
}
