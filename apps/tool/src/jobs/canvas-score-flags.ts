// What Attest tells Canvas with each score, decided when the score is sent (not when it was stored),
// from what Canvas already holds. Pure: the job passes the rows and the result it read.
//
// Canvas's rules (canvas-lms app/controllers/lti/ims/scores_controller.rb, the version with
// `preserve_score`; mirrored by packages/platform-emulator/src/canvas/submission-rules.ts):
// - `submit_homework if new_submission?`: only a score whose `new_submission` is true (the default)
//   makes a submission and stores `submission_data` as the `basic_lti_launch` URL SpeedGrader opens.
// - `score_submission`: a score without scoreGiven, or not FullyGraded/PendingManual, sets the
//   submission's score to nil — a tutor's SpeedGrader grade included — unless `preserve_score`; a score
//   with one overwrites any grade unless `prioritize_non_tool_grade` and the submission has a score.
// - `add_comment(...) if comment.present?`: every score carrying a comment adds one more.
// - `verify_valid_timestamp`: 400 when the stored result's updated_at is later than the timestamp.
import type { PlatformResultRead, Score } from '../domain/ports.ts';
import type { ScorePassbackRow } from '../scores/create-score-passback.ts';
import { SCORE_MAXIMUM } from '../scores/create-score-passback.ts';

/** Canvas's score extension (the Score API's `https://canvas.instructure.com/lti/submission`). */
export const CANVAS_SUBMISSION_EXTENSION = 'https://canvas.instructure.com/lti/submission';

/** Rows that carry Canvas's extension: only sign-offs and declarations on a Canvas platform get one. */
export function isCanvasRow(row: Pick<ScorePassbackRow, 'extensions'>): boolean {
  const extension = row.extensions?.[CANVAS_SUBMISSION_EXTENSION];
  return typeof extension === 'object' && extension !== null;
}

/** The result's score on Attest's 0–100 scale, or null; 'unknown' when the result could not be read. */
export function heldScoreOf(read: PlatformResultRead): number | null | 'unknown' {
  if (!read.ok) return 'unknown';
  const result = read.result;
  if (result === null || result.resultScore === null) return null;
  if (result.resultMaximum === null || result.resultMaximum <= 0) return result.resultScore;
  return (result.resultScore * SCORE_MAXIMUM) / result.resultMaximum;
}

const sameScore = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-6);

/**
 * A retry of a score whose earlier attempt Canvas stored although Attest heard a failure (a gateway
 * timing out after Canvas committed): the result already shows this score's comment and score, so
 * sending it again would add the comment (and, for a new submission, an attempt) a second time.
 */
export function isAlreadyHeld(row: ScorePassbackRow, read: PlatformResultRead): boolean {
  if (row.attempts === 0 || row.comment === null || !read.ok || read.result === null) return false;
  const held = heldScoreOf(read);
  return read.result.comment === row.comment && held !== 'unknown' && sameScore(held, row.scoreGiven);
}

/**
 * The grade a grader entered by hand that Canvas keeps instead of Attest's, as far as the result
 * service shows it. Canvas copies a grader's grade into the tool's result
 * (app/models/lti/result.rb `update_score_for_submission`, `scaled_result_score`), while each score
 * Attest sends sets the result to what it sent, even when the flags made the submission keep the
 * grader's grade. So: a held score Attest did not send last is a grader's; one equal to what Attest
 * sent last keeps whatever that score found; no score (or no answer) keeps it too, since Attest never
 * clears a grade on Canvas.
 */
export function keptGraderScoreOf(held: number | null | 'unknown', lastAccepted: ScorePassbackRow | null): number | null {
  const carried = lastAccepted?.keptGraderScore ?? null;
  if (held === 'unknown' || held === null) return carried;
  if (lastAccepted !== null && sameScore(lastAccepted.scoreGiven, held)) return carried;
  return held;
}

/**
 * Canvas's extension for this send:
 * - `new_submission`: true while Canvas has no submission from Attest (no earlier score of this
 *   learner on this line item was accepted — a failed or still-retrying one does not count), so the
 *   first score Canvas takes stores the SpeedGrader launch URL; and true again for a unit reopened
 *   after its completion was accepted (Submitted / PendingManual after FullyGraded): a new attempt,
 *   which Canvas shows as needing grading again (Assignment#submit_homework sets
 *   `grade_matches_current_submission = false` when the submission has a score). Otherwise false,
 *   so retries and completions never add attempts.
 * - `prioritize_non_tool_grade: true` on scores with a scoreGiven: a grade already on the submission
 *   (a tutor's own SpeedGrader grade) is never overwritten.
 * - `preserve_score: true` on scores without one: they never clear a grade. Canvas cannot tell a
 *   tutor's grade from Attest's own here, so on Canvas a withdrawn sign-off leaves the old grade in
 *   place, marked as not matching the new attempt, for a grader to change.
 */
export function canvasExtensionFor(row: ScorePassbackRow, lastAccepted: ScorePassbackRow | null): Record<string, unknown> {
  const stored = row.extensions?.[CANVAS_SUBMISSION_EXTENSION] as Record<string, unknown>;
  const isSubmission = row.scoreGiven === null && row.gradingProgress === 'PendingManual';
  const isNewSubmission = lastAccepted === null || (isSubmission && lastAccepted.gradingProgress === 'FullyGraded');
  const { new_submission: _stale, preserve_score: _p, prioritize_non_tool_grade: _q, ...rest } = stored;
  return {
    ...rest,
    new_submission: isNewSubmission,
    ...(row.scoreGiven === null ? { preserve_score: true } : { prioritize_non_tool_grade: true }),
  };
}

/** The score as sent to Canvas: the stored one with the extension decided now. */
export function withCanvasExtension(score: Score, row: ScorePassbackRow, lastAccepted: ScorePassbackRow | null): Score {
  return { ...score, extensions: { ...score.extensions, [CANVAS_SUBMISSION_EXTENSION]: canvasExtensionFor(row, lastAccepted) } };
}
