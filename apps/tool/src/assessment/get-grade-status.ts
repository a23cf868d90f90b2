import { and, desc, eq, inArray } from 'drizzle-orm';
import type { GradeStatus } from '@attest/contracts';
import type { Executor } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { TenantKey } from '../domain/ports.ts';

export const NO_GRADE: GradeStatus = { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null };

/** Where the learner's latest score on this line item stands: what the LMS gradebook holds, or why not. */
export async function getGradeStatus(db: Executor, tenant: TenantKey, lineItemUrl: string | null, learnerUserId: string): Promise<GradeStatus> {
  return (await loadGradeStatuses(db, tenant, lineItemUrl, [learnerUserId])).get(learnerUserId) ?? NO_GRADE;
}

/**
 * Every listed learner's latest score on the line item (getGradeStatus's answer for each), in one
 * query: the newest row per learner by AGS timestamp, which is strictly increasing per learner.
 */
export async function loadGradeStatuses(db: Executor, tenant: TenantKey, lineItemUrl: string | null, learnerUserIds: readonly string[]): Promise<Map<string, GradeStatus>> {
  const ids = [...new Set(learnerUserIds)];
  const grades = new Map(ids.map((id) => [id, NO_GRADE]));
  if (lineItemUrl === null || ids.length === 0) return grades;
  const rows = await db
    .selectDistinctOn([scorePassbacks.learnerUserId])
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.issuer, tenant.issuer),
        eq(scorePassbacks.clientId, tenant.clientId),
        eq(scorePassbacks.deploymentId, tenant.deploymentId),
        eq(scorePassbacks.lineItemUrl, lineItemUrl),
        inArray(scorePassbacks.learnerUserId, ids),
      ),
    )
    .orderBy(scorePassbacks.learnerUserId, desc(scorePassbacks.scoreTimestamp));
  for (const row of rows) grades.set(row.learnerUserId, toGradeStatus(row));
  return grades;
}

export function toGradeStatus(row: typeof scorePassbacks.$inferSelect | undefined): GradeStatus {
  if (!row) return NO_GRADE;
  return { state: row.state, activityProgress: row.activityProgress, gradingProgress: row.gradingProgress, attempts: row.attempts, lastError: row.lastError, updatedAt: row.updatedAt.toISOString(), keptGraderScore: row.state === 'sent' ? row.keptGraderScore : null };
}
