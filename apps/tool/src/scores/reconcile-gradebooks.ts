import { and, eq, isNotNull } from 'drizzle-orm';
import type { SyncState } from '@attest/contracts';
import { systemActor } from '../audit/index.ts';
import { launches, scorePassbacks } from '../db/index.ts';
import { loadCourseSync } from './get-course-sync-report.ts';
import type { SyncCourse } from './get-course-sync-report.ts';
import { requestResync } from './request-resync.ts';
import type { ResyncDeps } from './request-resync.ts';

/** The pg-boss queue the reconciliation runs on (ATTEST_RECONCILE_EVERY). */
export const RECONCILIATION_QUEUE = 'gradebook-reconciliation';
/** The user id a reconciliation's score rows record as having asked for them. */
export const RECONCILIATION_REQUESTER = 'attest:gradebook-reconciliation';

export interface CourseDrift {
  readonly course: SyncCourse;
  /** How many rows are in each state other than in sync. */
  readonly drift: Partial<Record<SyncState, number>>;
  /** Rows sent again because the LMS lost what Attest had sent. */
  readonly repaired: number;
}

/**
 * The periodic check (ATTEST_RECONCILE_EVERY): for every course with a grade Attest sent, compare
 * what the gradebook holds with Attest's decisions, report the drift, and send again only what
 * Attest sent and the LMS lost. Grades a person changed, cleared or kept in the LMS are reported
 * and left for a person: a machine cannot tell a mistake from a teacher's decision.
 */
export async function reconcileGradebooks(deps: ResyncDeps, report: (drift: CourseDrift) => void = () => {}): Promise<CourseDrift[]> {
  const courses = await deps.db
    .selectDistinct({ issuer: launches.issuer, clientId: launches.clientId, deploymentId: launches.deploymentId, contextId: launches.contextId })
    .from(launches)
    .innerJoin(
      scorePassbacks,
      and(
        eq(scorePassbacks.issuer, launches.issuer),
        eq(scorePassbacks.clientId, launches.clientId),
        eq(scorePassbacks.deploymentId, launches.deploymentId),
        eq(scorePassbacks.lineItemUrl, launches.lineItemUrl),
        eq(scorePassbacks.state, 'sent'),
      ),
    )
    .where(isNotNull(launches.contextId));
  const drifts: CourseDrift[] = [];
  for (const found of courses) {
    if (found.contextId === null) continue;
    const course: SyncCourse = { ...found, contextId: found.contextId };
    const entries = await loadCourseSync(deps.db, deps.resultsReader, course);
    const drift: Partial<Record<SyncState, number>> = {};
    for (const { row } of entries) if (row.state !== 'in_sync') drift[row.state] = (drift[row.state] ?? 0) + 1;
    const repaired = (drift.missing_in_lms ?? 0) > 0
      ? (await requestResync(deps, course, { userId: RECONCILIATION_REQUESTER, actor: systemActor('gradebook-reconciliation') }, { kind: 'course', onlyStates: ['missing_in_lms'] })).queued
      : 0;
    const result = { course, drift, repaired };
    report(result);
    drifts.push(result);
  }
  return drifts;
}
