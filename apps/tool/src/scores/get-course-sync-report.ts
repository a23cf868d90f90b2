import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { CourseSyncReport, SyncRow, SyncState } from '@attest/contracts';
import type { Executor } from '../db/index.ts';
import { launches, ltiUsers, scorePassbacks } from '../db/index.ts';
import type { GradebookResultsReader, LineItemResultsRead, TenantKey } from '../domain/ports.ts';
import { heldScoreOf } from '../jobs/canvas-score-flags.ts';
import { classifyGradebookSync, SYNC_STATE_EXPLANATIONS } from './classify-gradebook-sync.ts';
import type { HeldGrade } from './classify-gradebook-sync.ts';
import type { ScorePassbackRow } from './create-score-passback.ts';

/** One course of one tenant: whose gradebook the report compares. */
export interface SyncCourse extends TenantKey {
  readonly contextId: string;
}

/** A report row with the score row it was built from, for the resync use case. */
export interface SyncEntry {
  readonly row: SyncRow;
  readonly latest: ScorePassbackRow;
}

/**
 * The course's line items as Attest knows them: those its launches came through (LTI gives a tool
 * no list of a course's activities; decision 20). Every score row Attest stores targets a launch's
 * line item, so these hold every row of the course, and none of another course's.
 */
export async function findCourseLineItems(db: Executor, course: SyncCourse): Promise<Map<string, string | null>> {
  const rows = await db
    .selectDistinct({ lineItemUrl: launches.lineItemUrl, unitId: launches.unitId })
    .from(launches)
    .where(and(eq(launches.issuer, course.issuer), eq(launches.clientId, course.clientId), eq(launches.deploymentId, course.deploymentId), eq(launches.contextId, course.contextId), isNotNull(launches.lineItemUrl)));
  const items = new Map<string, string | null>();
  for (const row of rows) if (row.lineItemUrl !== null && (row.unitId !== null || !items.has(row.lineItemUrl))) items.set(row.lineItemUrl, row.unitId);
  return items;
}

/**
 * Every learner × unit of the course that Attest holds a decision for: its latest score row, what
 * the gradebook holds (each line item's result service read once, all pages), and the verdict.
 */
export async function loadCourseSync(db: Executor, reader: GradebookResultsReader, course: SyncCourse): Promise<SyncEntry[]> {
  const lineItems = await findCourseLineItems(db, course);
  if (lineItems.size === 0) return [];
  const latestRows = await db
    .selectDistinctOn([scorePassbacks.lineItemUrl, scorePassbacks.learnerUserId])
    .from(scorePassbacks)
    .where(and(eq(scorePassbacks.issuer, course.issuer), eq(scorePassbacks.clientId, course.clientId), eq(scorePassbacks.deploymentId, course.deploymentId), inArray(scorePassbacks.lineItemUrl, [...lineItems.keys()])))
    .orderBy(scorePassbacks.lineItemUrl, scorePassbacks.learnerUserId, desc(scorePassbacks.scoreTimestamp));
  if (latestRows.length === 0) return [];

  // One read per line item, one after another: the LMS's rate limits are per tool, and a course has few units.
  const reads = new Map<string, LineItemResultsRead>();
  for (const lineItemUrl of new Set(latestRows.map((row) => row.lineItemUrl))) {
    reads.set(lineItemUrl, await reader.readResults({ issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId, lineItemUrl }).catch((error: unknown) => ({ ok: false as const, isLineItemGone: false, message: String(error) })));
  }
  const names = await learnerNames(db, course, [...new Set(latestRows.map((row) => row.learnerUserId))]);

  return latestRows.map((latest) => {
    const held = heldGradeOf(reads.get(latest.lineItemUrl), latest.learnerUserId);
    const verdict = classifyGradebookSync(latest, held);
    const row: SyncRow = {
      passbackId: latest.id,
      learnerUserId: latest.learnerUserId,
      learnerName: names.get(latest.learnerUserId) ?? null,
      unitId: lineItems.get(latest.lineItemUrl) ?? null,
      lineItemUrl: latest.lineItemUrl,
      state: verdict.state,
      explanation: SYNC_STATE_EXPLANATIONS[verdict.state],
      expectedScore: latest.scoreGiven,
      expectedProgress: `${latest.activityProgress} / ${latest.gradingProgress}`,
      heldScore: held.kind === 'result' ? held.score : null,
      sentAt: latest.sentAt?.toISOString() ?? null,
      lastError: verdict.state === 'failed' || verdict.state === 'pending' ? latest.lastError : verdict.state === 'not_checked' && held.kind === 'unreadable' ? held.message.slice(0, 1000) : null,
      isRepairedByBulkResync: verdict.isRepairedByBulkResync,
      canResync: verdict.canResync,
    };
    return { row, latest };
  });
}

/** The states a person needs to look at first, then the rest; within each, by learner and unit. */
const ORDER: readonly SyncState[] = ['changed_in_lms', 'overridden_in_lms', 'cleared_in_lms', 'missing_in_lms', 'line_item_deleted', 'failed', 'not_checked', 'pending', 'in_sync'];

/** GET /api/sync/course: the course's sync report, rows needing attention first. */
export async function getCourseSyncReport(db: Executor, reader: GradebookResultsReader, course: SyncCourse, checkedAt: Date): Promise<CourseSyncReport> {
  const rows = (await loadCourseSync(db, reader, course)).map((entry) => entry.row);
  const key = (row: SyncRow) => `${String(ORDER.indexOf(row.state)).padStart(2, '0')} ${row.learnerName ?? row.learnerUserId} ${row.unitId ?? row.lineItemUrl}`;
  rows.sort((a, b) => key(a).localeCompare(key(b)));
  return { contextId: course.contextId, checkedAt: checkedAt.toISOString(), rows };
}

function heldGradeOf(read: LineItemResultsRead | undefined, learnerUserId: string): HeldGrade {
  if (read === undefined) return { kind: 'unreadable', message: 'the gradebook was not read' };
  if (!read.ok) return read.isLineItemGone ? { kind: 'line_item_gone' } : { kind: 'unreadable', message: read.message };
  const result = read.results.get(learnerUserId);
  if (result === undefined) return { kind: 'no_result' };
  const score = heldScoreOf({ ok: true, result });
  return { kind: 'result', score: score === 'unknown' ? null : score };
}

async function learnerNames(db: Executor, tenant: TenantKey, userIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ userId: ltiUsers.userId, name: ltiUsers.name })
    .from(ltiUsers)
    .where(and(eq(ltiUsers.issuer, tenant.issuer), eq(ltiUsers.clientId, tenant.clientId), eq(ltiUsers.deploymentId, tenant.deploymentId), inArray(ltiUsers.userId, [...userIds])));
  return new Map(rows.flatMap((row) => (row.name === null ? [] : [[row.userId, row.name] as const])));
}
