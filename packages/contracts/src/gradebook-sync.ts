import { z } from 'zod';
import { safeText } from './safe-text.ts';

/**
 * Where one learner's grade on one unit stands between what Attest decided and what the LMS
 * gradebook holds (apps/tool src/scores/classify-gradebook-sync.ts decides it):
 * - `in_sync`: the gradebook holds what Attest sent;
 * - `pending`: on its way (or waiting to be retried);
 * - `failed`: the LMS refused it or delivery gave up;
 * - `missing_in_lms`: Attest sent it and the LMS no longer holds it — Attest repairs this itself;
 * - `changed_in_lms`: the gradebook holds another grade, entered by hand — a person decides;
 * - `overridden_in_lms`: the LMS keeps a grader's own grade over Attest's — a person decides;
 * - `cleared_in_lms`: someone removed the grade in the LMS — a person decides;
 * - `line_item_deleted`: the activity or its gradebook column no longer exists (404);
 * - `not_checked`: the gradebook could not be read this time.
 */
export const SYNC_STATES = ['in_sync', 'pending', 'failed', 'missing_in_lms', 'changed_in_lms', 'overridden_in_lms', 'cleared_in_lms', 'line_item_deleted', 'not_checked'] as const;
export const SyncStateSchema = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof SyncStateSchema>;

/** One learner × unit of the course's sync report. */
export const SyncRowSchema = z.object({
  /** The latest score row for this learner and unit: what a per-row resync names. */
  passbackId: safeText(),
  learnerUserId: safeText(),
  learnerName: safeText().nullable(),
  unitId: safeText().nullable(),
  lineItemUrl: safeText(),
  state: SyncStateSchema,
  /** Plain words: what the state means and what happens next. */
  explanation: safeText(),
  /** What Attest's decision asks the gradebook to hold, 0–100, or null for "no grade" (submitted or reopened). */
  expectedScore: z.number().nullable(),
  expectedProgress: safeText(),
  /** What the gradebook holds (0–100); null when it holds nothing or could not be read. */
  heldScore: z.number().nullable(),
  sentAt: safeText().nullable(),
  lastError: safeText().nullable(),
  /** A course or unit resync repairs this row; a hand change needs the row's own resync. */
  isRepairedByBulkResync: z.boolean(),
  /** Whether a resync of this row alone is possible (not while on its way, not when in sync, not when the line item is gone). */
  canResync: z.boolean(),
});
export type SyncRow = z.infer<typeof SyncRowSchema>;

export const CourseSyncReportSchema = z.object({
  contextId: safeText(),
  checkedAt: safeText(),
  rows: z.array(SyncRowSchema),
});
export type CourseSyncReport = z.infer<typeof CourseSyncReportSchema>;

export const ResyncUnitRequestSchema = z.strictObject({ lineItemUrl: safeText().min(1).max(2000) });
export type ResyncUnitRequest = z.infer<typeof ResyncUnitRequestSchema>;
/** The course-wide resync is confirmed in the UI; the body says so, so a stray POST does nothing. */
/** One row sent again on a person's explicit word: for a grade changed in the LMS, it is their decision (decision 22). */
export const ResyncRowRequestSchema = z.strictObject({ confirm: z.literal(true) });
export type ResyncRowRequest = z.infer<typeof ResyncRowRequestSchema>;

export const ResyncCourseRequestSchema = z.strictObject({ confirm: z.literal(true) });
export type ResyncCourseRequest = z.infer<typeof ResyncCourseRequestSchema>;

export const ResyncResultSchema = z.object({
  /** Rows queued again, each a new score dated now carrying Attest's latest decision. */
  queued: z.number().int(),
  /** Rows a bulk resync left alone because a person changed the grade in the LMS. */
  skippedChangedByHand: z.number().int(),
  passbackIds: z.array(safeText()),
});
export type ResyncResult = z.infer<typeof ResyncResultSchema>;
