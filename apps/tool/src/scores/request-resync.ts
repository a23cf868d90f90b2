import { and, desc, eq, sql } from 'drizzle-orm';
import type { ResyncResult, SyncState } from '@attest/contracts';
import { appendAuditEntry, lockAuditChain } from '../audit/index.ts';
import type { AuditActor } from '../audit/index.ts';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { GradebookResultsReader } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import type { JobQueue } from '../jobs/index.ts';
import { createScorePassback, passbackOrderingKey } from './create-score-passback.ts';
import type { ScoreToSend } from './create-score-passback.ts';
import { loadCourseSync } from './get-course-sync-report.ts';
import type { SyncCourse, SyncEntry } from './get-course-sync-report.ts';

export interface ResyncDeps {
  readonly db: Database;
  readonly resultsReader: GradebookResultsReader;
  readonly jobs: Pick<JobQueue, 'enqueueScorePassback'>;
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
  for (const entry of chosen) {
    const queued = await resendLatestDecision(deps, course, by, entry);
    if (queued !== null) passbackIds.push(queued);
  }
  return { queued: passbackIds.length, skippedChangedByHand, passbackIds };
}

/** The new row's id, or null when another resync (or a new decision) got there first. */
async function resendLatestDecision(deps: ResyncDeps, course: SyncCourse, by: Resyncer, { row, latest }: SyncEntry): Promise<string | null> {
  const request: ScoreToSend = {
    learnerUserId: latest.learnerUserId,
    ...(latest.scoreGiven === null ? {} : { scoreGiven: latest.scoreGiven }),
    activityProgress: latest.activityProgress as ScoreToSend['activityProgress'],
    gradingProgress: latest.gradingProgress as ScoreToSend['gradingProgress'],
    ...(latest.comment === null ? {} : { comment: latest.comment }),
  };
  const target = { issuer: latest.issuer, clientId: latest.clientId, deploymentId: latest.deploymentId, lineItemUrl: latest.lineItemUrl };
  const queued = await deps.db.transaction(async (tx) => {
    // The locks createScorePassback takes, in its order, taken first so the check below holds until
    // the new row commits: two resyncs at once (a person's and the reconciliation's) resend once.
    await lockAuditChain(tx, target);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${passbackOrderingKey(target, latest.learnerUserId)}, 0))`);
    const [newest] = await tx
      .select({ id: scorePassbacks.id })
      .from(scorePassbacks)
      .where(and(eq(scorePassbacks.issuer, target.issuer), eq(scorePassbacks.clientId, target.clientId), eq(scorePassbacks.deploymentId, target.deploymentId), eq(scorePassbacks.lineItemUrl, target.lineItemUrl), eq(scorePassbacks.learnerUserId, latest.learnerUserId)))
      .orderBy(desc(scorePassbacks.scoreTimestamp))
      .limit(1);
    if (newest?.id !== latest.id) return null;
    // A savepoint in this transaction: the new row and the resync's audit entry commit together.
    const created = await createScorePassback(tx as unknown as Database, {
      target,
      requestedBy: by.userId,
      request,
      actor: by.actor,
      ...(row.unitId === null ? {} : { course: { contextId: course.contextId, unitId: row.unitId } }),
    });
    // Canvas's submission extension travels with the decision (the worker sets its flags when it sends).
    if (latest.extensions !== null) await tx.update(scorePassbacks).set({ extensions: latest.extensions }).where(eq(scorePassbacks.id, created.id));
    await appendAuditEntry(tx, {
      tenant: target,
      contextId: course.contextId,
      actor: by.actor,
      action: 'score.resync_requested',
      subject: { type: 'score', id: created.id, label: latest.lineItemUrl, learnerUserId: latest.learnerUserId, unitId: row.unitId },
      content: { resends: latest.id, as: created.id, stateSeen: row.state, heldScore: row.heldScore, expectedScore: row.expectedScore },
    });
    return created;
  });
  if (queued === null) return null;
  await deps.jobs.enqueueScorePassback(queued);
  return queued.id;
}
