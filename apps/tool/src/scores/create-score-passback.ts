import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray, max, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import { appendAuditEntries, lockAuditChain } from '../audit/index.ts';
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
  /** Canvas's submission extension, when the score carries one (a resync resends its decision's). */
  readonly extensions?: Record<string, unknown> | null;
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
  const [row] = await createScorePassbacks(db, [passback]);
  if (!row) throw new Error('createScorePassback: insert returned no row');
  return row;
}

/**
 * Stores many scores of one tenant as createScorePassback stores one, in its order, with one
 * timestamp read, one insert and one append to the audit trail: a course resync stores thousands
 * (request-resync.ts), and one statement per row kept the request past a server's time limit.
 */
export async function createScorePassbacks(db: Database, passbacks: readonly NewScorePassback[]): Promise<ScorePassbackRow[]> {
  const [first] = passbacks;
  if (!first) return [];
  const tenant = { issuer: first.target.issuer, clientId: first.target.clientId };
  if (passbacks.some(({ target }) => target.issuer !== tenant.issuer || target.clientId !== tenant.clientId)) throw new Error('createScorePassbacks: every score must be of one tenant');
  return db.transaction(async (tx) => {
    // A sign-off appends its signature's entry (taking the chain lock) before it stores the score; taking
    // the chain lock here first keeps the two locks in one order, so the two cannot deadlock.
    await lockAuditChain(tx, tenant);
    // Serialises concurrent requests for the same learner + line item, so no two get one timestamp.
    const keys = [...new Set(passbacks.map(({ target, request }) => passbackOrderingKey(target, request.learnerUserId)))].sort();
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(v.key, 0)) from (values ${sql.join(keys.map((key) => sql`(${key})`), sql`, `)}) as v(key)`);

    const pairOf = (target: ScoreTarget, learnerUserId: string) => JSON.stringify([target.deploymentId, target.lineItemUrl, learnerUserId]);
    const [clock] = await tx.select({ now: sql<Date | string>`date_trunc('second', clock_timestamp())` }).from(sql`(select 1) as clock`);
    if (!clock) throw new Error('createScorePassbacks: no clock row');
    const latest = new Map<string, number>();
    for (const row of await tx
      .select({ deploymentId: scorePassbacks.deploymentId, lineItemUrl: scorePassbacks.lineItemUrl, learnerUserId: scorePassbacks.learnerUserId, timestamp: max(scorePassbacks.scoreTimestamp) })
      .from(scorePassbacks)
      .where(
        and(
          eq(scorePassbacks.issuer, tenant.issuer),
          eq(scorePassbacks.clientId, tenant.clientId),
          inArray(scorePassbacks.lineItemUrl, [...new Set(passbacks.map(({ target }) => target.lineItemUrl))]),
          inArray(scorePassbacks.learnerUserId, [...new Set(passbacks.map(({ request }) => request.learnerUserId))]),
        ),
      )
      .groupBy(scorePassbacks.deploymentId, scorePassbacks.lineItemUrl, scorePassbacks.learnerUserId)) {
      if (row.timestamp !== null) latest.set(pairOf({ ...tenant, deploymentId: row.deploymentId, lineItemUrl: row.lineItemUrl }, row.learnerUserId), new Date(row.timestamp).getTime());
    }
    const nowMs = new Date(clock.now).getTime();
    const values = passbacks.map(({ target, request, requestedBy, extensions }) => {
      const pair = pairOf(target, request.learnerUserId);
      const previous = latest.get(pair);
      const timestamp = previous === undefined ? nowMs : Math.max(nowMs, previous + 1000);
      latest.set(pair, timestamp);
      return {
        id: randomUUID(),
        issuer: target.issuer,
        clientId: target.clientId,
        deploymentId: target.deploymentId,
        lineItemUrl: target.lineItemUrl,
        learnerUserId: request.learnerUserId,
        requestedBy,
        scoreGiven: request.scoreGiven ?? null,
        scoreMaximum: request.scoreGiven === undefined ? null : SCORE_MAXIMUM,
        activityProgress: request.activityProgress,
        gradingProgress: request.gradingProgress,
        comment: request.comment ?? null,
        scoreTimestamp: new Date(timestamp),
        extensions: extensions ?? null,
      };
    });
    const inserted = new Map((await tx.insert(scorePassbacks).values(values).returning()).map((row) => [row.id, row]));
    const rows = values.map((value) => {
      const row = inserted.get(value.id);
      if (!row) throw new Error('createScorePassbacks: insert returned fewer rows than it was given');
      return row;
    });
    await appendAuditEntries(
      tx,
      tenant,
      rows.map((row, n) => {
        const { target, request, requestedBy, actor, course } = passbacks[n]!;
        return {
          tenant: target,
          contextId: course?.contextId ?? null,
          actor: actor ?? { type: 'user', userId: requestedBy, role: requestedBy === request.learnerUserId ? 'learner' : 'assessor' },
          action: 'score.queued',
          subject: { type: 'score', id: row.id, label: target.lineItemUrl, learnerUserId: request.learnerUserId, unitId: course?.unitId ?? null },
          content: { lineItemUrl: target.lineItemUrl, ...request, scoreTimestamp: row.scoreTimestamp.toISOString() },
        };
      }),
    );
    return rows;
  });
}
