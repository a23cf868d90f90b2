import { and, desc, eq } from 'drizzle-orm';
import type { GradeStatus } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { TenantKey } from '../domain/ports.ts';

type Executor = Pick<Database, 'select'>;

export const NO_GRADE: GradeStatus = { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null };

/** Where the learner's latest score on this line item stands: what the LMS gradebook holds, or why not. */
export async function getGradeStatus(db: Executor, tenant: TenantKey, lineItemUrl: string | null, learnerUserId: string): Promise<GradeStatus> {
  if (lineItemUrl === null) return NO_GRADE;
  const [row] = await db
    .select()
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.issuer, tenant.issuer),
        eq(scorePassbacks.clientId, tenant.clientId),
        eq(scorePassbacks.deploymentId, tenant.deploymentId),
        eq(scorePassbacks.lineItemUrl, lineItemUrl),
        eq(scorePassbacks.learnerUserId, learnerUserId),
      ),
    )
    .orderBy(desc(scorePassbacks.scoreTimestamp))
    .limit(1);
  return toGradeStatus(row);
}

export function toGradeStatus(row: typeof scorePassbacks.$inferSelect | undefined): GradeStatus {
  if (!row) return NO_GRADE;
  return { state: row.state, activityProgress: row.activityProgress, gradingProgress: row.gradingProgress, attempts: row.attempts, lastError: row.lastError, updatedAt: row.updatedAt.toISOString() };
}
