import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { placedUnits, whereCourse } from '../db/index.ts';
import type { LaunchContext } from '../domain/ports.ts';
import { LINE_ITEM_TAG } from '../lti/claims.ts';
import type { CourseLineItemsReader } from '../lti/ags-line-items-reader.ts';

/** An offer nobody saved (a cancelled form) is asked about at most this often, not at every launch. */
export const RECHECK_OFFERS_AFTER_MS = 60_000;

export interface ConfirmPlacedUnitsDeps {
  readonly db: Database;
  readonly readCourseLineItems: CourseLineItemsReader;
  readonly now?: () => Date;
}

export type ConfirmationOutcome = { readonly confirmed: readonly string[]; readonly failure: string | null };

/**
 * Turns offered placements (a signed deep-linking response) into placed units once the LMS shows
 * it holds the activity (decision 0020): a launch of the activity names its unit, or the course's
 * line items carry the `resourceId` and `tag` Attest set on it. Moodle creates both only when the
 * teacher saves the activity form; a cancelled form leaves the offer unconfirmed, so no learner
 * sees it. Runs at every launch in a course where an offer waits (recordLaunch says whether one
 * does), so a learner opening Attest from any activity sees a saved unit before anyone has launched it. The line items are read only while an offer waits,
 * and at most once a minute per course.
 */
export async function confirmPlacedUnits(deps: ConfirmPlacedUnitsDeps, launch: LaunchContext): Promise<ConfirmationOutcome> {
  if (launch.contextId === null) return { confirmed: [], failure: null };
  const now = deps.now?.() ?? new Date();
  const scope = { issuer: launch.issuer, clientId: launch.clientId, deploymentId: launch.deploymentId, contextId: launch.contextId };
  const offered = and(whereCourse(placedUnits, scope), isNull(placedUnits.confirmedAt));
  const confirmed: string[] = [];
  if (launch.unitId !== null) {
    const rows = await deps.db
      .update(placedUnits)
      .set({ confirmedAt: now })
      .where(and(offered, eq(placedUnits.unitId, launch.unitId)))
      .returning({ unitId: placedUnits.unitId });
    confirmed.push(...rows.map((row) => row.unitId));
  }
  if (!launch.lineItemsUrl) return { confirmed, failure: null };
  const due = await deps.db
    .update(placedUnits)
    .set({ checkedAt: now })
    .where(and(offered, or(isNull(placedUnits.checkedAt), lt(placedUnits.checkedAt, new Date(now.getTime() - RECHECK_OFFERS_AFTER_MS)))))
    .returning({ unitId: placedUnits.unitId });
  if (due.length === 0) return { confirmed, failure: null };
  const read = await deps.readCourseLineItems(launch, launch.lineItemsUrl, launch.agsScopes, LINE_ITEM_TAG);
  if (!read.ok) return { confirmed, failure: read.message };
  const shown = read.items.filter((item) => item.tag === LINE_ITEM_TAG && item.resourceId !== null).map((item) => item.resourceId as string);
  const waiting = due.map((row) => row.unitId).filter((unitId) => shown.includes(unitId));
  if (waiting.length > 0) {
    const rows = await deps.db
      .update(placedUnits)
      .set({ confirmedAt: now })
      .where(and(offered, inArray(placedUnits.unitId, waiting)))
      .returning({ unitId: placedUnits.unitId });
    confirmed.push(...rows.map((row) => row.unitId));
  }
  return { confirmed, failure: null };
}
