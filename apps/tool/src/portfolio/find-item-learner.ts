import { and, eq } from 'drizzle-orm';
import { evidenceItems, whereCourse } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import { isUuid } from './learner-scope.ts';
import type { CourseKey, LearnerScope } from './learner-scope.ts';

/** The learner an item belongs to, looked up within one course of one tenant only; null for any other id. */
export async function findItemLearner(db: Executor, course: CourseKey, itemId: string): Promise<LearnerScope | null> {
  if (!isUuid(itemId)) return null;
  const [row] = await db
    .select({ learnerUserId: evidenceItems.learnerUserId })
    .from(evidenceItems)
    .where(and(eq(evidenceItems.id, itemId), whereCourse(evidenceItems, course)));
  return row ? { issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId, contextId: course.contextId, learnerUserId: row.learnerUserId } : null;
}
