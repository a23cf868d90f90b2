import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import { appendAuditEntry, lockAuditChain } from '../audit/index.ts';
import type { AuditActor } from '../audit/index.ts';
import type { ScoreTarget } from '../domain/ports.ts';

/** Deep linking places every line item with this maximum (see the team's fixed agreements). */
export const SCORE_MAXIMUM = 100;

/**
 * What the gradebook should hold for one learner (AGS §3.4's progress values). Only decisions build
 * one (store-unit-score.ts): the candidate's declaration on Canvas and the unit's sign-off; there is
 * no route that takes a score from a request.
 */
export interface ScoreToSend {
  readonly learnerUserId: string;
  readonly scoreGiven?: number;
  readonly activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  readonly gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  readonly comment?: string;
}

export interface NewScorePassback {
  readonly target: ScoreTarget;
  readonly requestedBy: string;
  readonly request: ScoreToSend;
  /** The course and unit the score is for, recorded in the audit trail so the learner's history shows it. */
  readonly course?: { readonly contextId: string; readonly unitId: string };
  /** Who queued it, for the audit trail, when not the user in `requestedBy` (the reconciliation job). */
  readonly actor?: AuditActor;
}

export type ScorePassbackRow = typeof scorePassbacks.$inferSelect;

/** One learner on one line item of one tenant: the unit of ordering for passbacks. */
export function passbackOrderingKey(target: ScoreTarget, learnerUserId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([target.issuer, target.clientId, target.deploymentId, target.lineItemUrl, learnerUserId]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Stores what the gradebook should hold. Its AGS timestamp is now, rounded down to the second, or one
 * second after this learner's previous score on this line item if that is later: Moodle keeps
 * seconds and ignores a score that is not strictly newer than the one it holds.
 */
export async function createScorePassback(db: Database, passback: NewScorePassback): Promise<ScorePassbackRow> {
  const { target, request } = passback;
  const orderingKey = passbackOrderingKey(target, request.learnerUserId);
  return db.transaction(async (tx) => {
    // A sign-off appends its signature's entry (taking the chain lock) before it stores the score; taking
    // the chain lock here first keeps the two locks in one order, so the two cannot deadlock.
    await lockAuditChain(tx, target);
    // Serialises concurrent requests for the same learner + line item, so no two get one timestamp.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${orderingKey}, 0))`);
    const sameTarget = and(
      eq(scorePassbacks.issuer, target.issuer),
      eq(scorePassbacks.clientId, target.clientId),
      eq(scorePassbacks.deploymentId, target.deploymentId),
      eq(scorePassbacks.lineItemUrl, target.lineItemUrl),
      eq(scorePassbacks.learnerUserId, request.learnerUserId),
    );
    const [next] = await tx
      .select({
        timestamp: sql<Date | string>`greatest(date_trunc('second', clock_timestamp()), coalesce(max(${scorePassbacks.scoreTimestamp}) + interval '1 second', '-infinity'::timestamptz))`,
      })
      .from(scorePassbacks)
      .where(sameTarget);
    if (!next) throw new Error('createScorePassback: no timestamp row');
    const [row] = await tx
      .insert(scorePassbacks)
      .values({
        issuer: target.issuer,
        clientId: target.clientId,
        deploymentId: target.deploymentId,
        lineItemUrl: target.lineItemUrl,
        learnerUserId: request.learnerUserId,
        requestedBy: passback.requestedBy,
        scoreGiven: request.scoreGiven ?? null,
        scoreMaximum: request.scoreGiven === undefined ? null : SCORE_MAXIMUM,
        activityProgress: request.activityProgress,
        gradingProgress: request.gradingProgress,
        comment: request.comment ?? null,
        scoreTimestamp: sql`${next.timestamp}::timestamptz`,
      })
      .returning();
    if (!row) throw new Error('createScorePassback: insert returned no row');
    await appendAuditEntry(tx, {
      tenant: target,
      contextId: passback.course?.contextId ?? null,
      actor: passback.actor ?? { type: 'user', userId: passback.requestedBy, role: passback.requestedBy === request.learnerUserId ? 'learner' : 'assessor' },
      action: 'score.queued',
      subject: { type: 'score', id: row.id, label: target.lineItemUrl, learnerUserId: request.learnerUserId, unitId: passback.course?.unitId ?? null },
      content: { lineItemUrl: target.lineItemUrl, ...request, scoreTimestamp: row.scoreTimestamp.toISOString() },
    });
    return row;
  });
}
