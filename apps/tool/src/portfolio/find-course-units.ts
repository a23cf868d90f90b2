import { and, eq, isNotNull } from 'drizzle-orm';
import { evidenceItems, evidenceMappings, launches, placedUnits, whereCourse, whereLearner } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';

/**
 * The units placed in the learner's course, as far as Attest can know them: every unit placed in it
 * by deep linking through Attest once the LMS showed it holds the activity (decision 0020: a signed
 * response alone is only an offer, which a cancelled Moodle form never turns into an activity), every unit any launch from this course opened (learners' and
 * instructors' alike, which covers activities set up by hand), plus units the learner's evidence is
 * already mapped to, so a mapping never points at a unit the portfolio no longer lists.
 */
export async function findCourseUnitIds(db: Executor, scope: LearnerScope): Promise<Set<string>> {
  const [placed, launched, mapped] = await Promise.all([
    db
      .select({ unitId: placedUnits.unitId })
      .from(placedUnits)
      .where(and(whereCourse(placedUnits, scope), isNotNull(placedUnits.confirmedAt))),
    db
      .selectDistinct({ unitId: launches.unitId })
      .from(launches)
      .where(and(whereCourse(launches, scope), isNotNull(launches.unitId))),
    db
      .selectDistinct({ unitId: evidenceMappings.unitId })
      .from(evidenceMappings)
      .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceMappings.itemId))
      .where(whereLearner(evidenceItems, scope)),
  ]);
  return new Set([...placed, ...launched, ...mapped].flatMap((row) => (row.unitId === null ? [] : [row.unitId])));
}
