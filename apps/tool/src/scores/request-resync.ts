import { and, desc, eq, inArray } from 'drizzle-orm';
import type { ResyncResult, SyncState } from '@attest/contracts';
import { appendAuditEntries, lockAuditChain } from '../audit/index.ts';
import type { AuditActor } from '../audit/index.ts';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { GradebookResultsReader } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobQueue } from '../jobs/index.ts';
import { createScorePassbacks } from './create-score-passback.ts';
import type { NewScorePassback, ScorePassbackRow, ScoreToSend } from './create-score-passback.ts';
import { loadCourseSync } from './get-course-sync-report.ts';
import type { SyncCourse, SyncEntry } from './get-course-sync-report.ts';

export interface ResyncDeps {
  readonly db: Database;
  readonly resultsReader: GradebookResultsReader;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassbacks'>;
}

/**
 * What to send again: one row (a person may choose a row changed by hand in the LMS), one unit's
 * line item, or the whole course (those two repair only what `isRepairedByBulkResync` allows).
 * `onlyStates` narrows a bulk resync further: the reconciliation job repairs `missing_in_lms` only.
 */
export type ResyncSelection =
  | { readonly kind: 'row'; readonly passbackId: string }
  | { readonly kind: 'unit'; readonly lineItemUrl: string; readonly onlyStates?: readonly SyncState[] }
  | { readonly kind: 'course'; readonly onlyStates?: readonly SyncState[] };

export interface Resyncer {
  /** The user id recorded as having asked (score row's requested_by). */
  readonly userId: string;
  readonly actor: AuditActor;
}

/** States a person set in the LMS: a bulk resync never overwrites them, and says how many it left. */
const CHANGED_BY_HAND: readonly SyncState[] = ['changed_in_lms', 'overridden_in_lms', 'cleared_in_lms'];

/**
 * Sends Attest's latest decision again, through the same path as a sign-off's score: a new pending
 * score row dated now (createScorePassback), delivered by the durable queue, which honours
 * Retry-After and the LMS's refusals. Never an HTTP call from here. Each resync is audited.
 */
export async function requestResync(deps: ResyncDeps, course: SyncCourse, by: Resyncer, selection: ResyncSelection): Promise<ResyncResult> {
  const entries = await loadCourseSync(deps.db, deps.resultsReader, course);
  let chosen: SyncEntry[];
  let skippedChangedByHand = 0;
  if (selection.kind === 'row') {
    const entry = entries.find((e) => e.row.passbackId === selection.passbackId);
    // Another course's row, an older row of this one, or no row at all: not this course's to resync.
    if (!entry) throw new AppError('not_found', 'This grade is not one of this course’s latest grades. Reload the sync report.');
    if (!entry.row.canResync) throw new AppError('conflict', `This grade cannot be sent again now: ${entry.row.explanation}`);
    chosen = [entry];
  } else {
    let inScope = entries;
    if (selection.kind === 'unit') {
      inScope = entries.filter((e) => e.row.lineItemUrl === selection.lineItemUrl);
      if (inScope.length === 0) throw new AppError('not_found', 'This course has no grades for that unit.');
    }
    skippedChangedByHand = inScope.filter((e) => CHANGED_BY_HAND.includes(e.row.state)).length;
    chosen = inScope.filter((e) => e.row.isRepairedByBulkResync && (selection.onlyStates === undefined || selection.onlyStates.includes(e.row.state)));
  }
  const passbackIds: string[] = [];
  for (let first = 0; first < chosen.length; first += RESYNC_BATCH) {
    const queued = await resendLatestDecisions(deps.db, course, by, chosen.slice(first, first + RESYNC_BATCH));
    // Queued once committed, as a sign-off's score is; a crash before this leaves pending rows that
    // the next server start re-queues (requeuePendingPassbacks).
    await deps.jobs.enqueueScorePassbacks(queued);
    passbackIds.push(...queued.map((row) => row.id));
  }
  return { queued: passbackIds.length, skippedChangedByHand, passbackIds };
}

/**
 * Entries resent per transaction. One at a time, a 2,000-learner × 20-unit course resync took over
 * six minutes, longer than a server lets a request run (bench:resync); in batches it is one chain
 * lock and one commit per batch, and other appends to the tenant's trail wait at most one batch.
 */
const RESYNC_BATCH = 200;

/**
 * New pending rows for the entries whose row is still the latest of its learner and line item (another
 * resync, or a new decision, may have got there first), with their audit entries, in one transaction.
 */
async function resendLatestDecisions(db: Database, course: SyncCourse, by: Resyncer, entries: readonly SyncEntry[]): Promise<ScorePassbackRow[]> {
  if (entries.length === 0) return [];
  return db.transaction(async (tx) => {
    // Every writer of score rows (createScorePassbacks) takes the tenant's chain lock first, so while
    // this transaction holds it the latest rows read below stay the latest until the new ones commit:
    // two resyncs at once (a person's and the reconciliation's) resend once.
    await lockAuditChain(tx, course);
    const latestIds = await latestRowIds(tx as unknown as Database, course, entries);
    const stillLatest = entries.filter((entry) => latestIds.get(pairOf(entry.latest)) === entry.latest.id);
    // Savepoints in this transaction: the new rows and both audit entries of each commit with the batch.
    const created = await createScorePassbacks(tx as unknown as Database, stillLatest.map((entry) => newPassbackFor(course, by, entry)));
    await appendAuditEntries(
      tx,
      course,
      created.map((row, n) => {
        const { row: seen, latest } = stillLatest[n]!;
        return {
          tenant: row,
          contextId: course.contextId,
          actor: by.actor,
          action: 'score.resync_requested',
          subject: { type: 'score', id: row.id, label: latest.lineItemUrl, learnerUserId: latest.learnerUserId, unitId: seen.unitId },
          content: { resends: latest.id, as: row.id, stateSeen: seen.state, heldScore: seen.heldScore, expectedScore: seen.expectedScore },
        };
      }),
    );
    return created;
  });
}

/** Each learner + line item's latest row id, for the entries' learners and line items. */
async function latestRowIds(db: Database, course: SyncCourse, entries: readonly SyncEntry[]): Promise<Map<string, string>> {
  const rows = await db
    .selectDistinctOn([scorePassbacks.lineItemUrl, scorePassbacks.learnerUserId], { id: scorePassbacks.id, lineItemUrl: scorePassbacks.lineItemUrl, learnerUserId: scorePassbacks.learnerUserId })
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.issuer, course.issuer),
        eq(scorePassbacks.clientId, course.clientId),
        eq(scorePassbacks.deploymentId, course.deploymentId),
        inArray(scorePassbacks.lineItemUrl, [...new Set(entries.map((e) => e.latest.lineItemUrl))]),
        inArray(scorePassbacks.learnerUserId, [...new Set(entries.map((e) => e.latest.learnerUserId))]),
      ),
    )
    .orderBy(scorePassbacks.lineItemUrl, scorePassbacks.learnerUserId, desc(scorePassbacks.scoreTimestamp));
  return new Map(rows.map((row) => [pairOf(row), row.id]));
}

function pairOf(row: { readonly lineItemUrl: string; readonly learnerUserId: string }): string {
  return JSON.stringify([row.lineItemUrl, row.learnerUserId]);
}

/** Attest's latest decision as a new score dated now, carrying Canvas's submission extension as the decision did. */
function newPassbackFor(course: SyncCourse, by: Resyncer, { row, latest }: SyncEntry): NewScorePassback {
  return {
    target: { issuer: latest.issuer, clientId: latest.clientId, deploymentId: latest.deploymentId, lineItemUrl: latest.lineItemUrl },
    requestedBy: by.userId,
    request: {
      learnerUserId: latest.learnerUserId,
      ...(latest.scoreGiven === null ? {} : { scoreGiven: latest.scoreGiven }),
      activityProgress: latest.activityProgress as ScoreToSend['activityProgress'],
      gradingProgress: latest.gradingProgress as ScoreToSend['gradingProgress'],
      ...(latest.comment === null ? {} : { comment: latest.comment }),
    },
    actor: by.actor,
    ...(row.unitId === null ? {} : { course: { contextId: course.contextId, unitId: row.unitId } }),
    extensions: latest.extensions,
  };
}
