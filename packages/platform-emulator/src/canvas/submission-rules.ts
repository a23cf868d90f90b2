// Canvas's submission for one learner on one assignment, as an AGS score changes it. Pure: the caller
// passes the stored submission and the score body; every rule cites canvas-lms (the stored versions
// of app/controllers/lti/ims/scores_controller.rb with `preserve_score`, app/models/assignment.rb
// `submit_homework`, app/models/lti/result.rb). Canvas keeps two records: the Lti::Result (what the
// tool last sent, see accept-score.ts) and the Submission (what the gradebook and SpeedGrader show);
// this file is the second.
import { CanvasSubmissionExtension } from '../lti-vocabulary.ts';

/** One student-visible comment on the submission. */
export interface CanvasSubmissionComment {
  readonly text: string;
  /** `tool`: from a score (`add_comment(skip_author: true)`, no author); else the Canvas user id. */
  readonly authorId: string | null;
  readonly at: string;
}

/** Canvas's Submission, the parts the Score API and SpeedGrader touch. */
export interface CanvasSubmissionRecord {
  /** Points on the assignment's scale (Submission#score); null when ungraded or cleared. */
  readonly score: number | null;
  /** `tool` when graded by a score (grader_id = -tool.id), `tutor` when a grader entered it in SpeedGrader. */
  readonly gradedBy: 'tool' | 'tutor' | null;
  readonly graderId: string | null;
  /** Submission#attempt: one more for every new submission. */
  readonly attempt: number;
  readonly submissionType: string | null;
  /** Submission#url: the `basic_lti_launch` (or online_url) URL SpeedGrader opens. */
  readonly url: string | null;
  readonly body: string | null;
  readonly submittedAt: string | null;
  readonly comments: readonly CanvasSubmissionComment[];
}

export const emptySubmission: CanvasSubmissionRecord = {
  score: null, gradedBy: null, graderId: null, attempt: 0, submissionType: null, url: null, body: null, submittedAt: null, comments: [],
};

// scores_controller.rb: SCORE_SUBMISSION_TYPES and DEFAULT_SUBMISSION_TYPE.
const scoreSubmissionTypes = new Set(['none', 'basic_lti_launch', 'online_text_entry', 'online_url', 'external_tool', 'online_upload']);
const defaultSubmissionType = 'external_tool';
// app/models/lti/result.rb ACCEPT_GIVEN_SCORE_TYPES: only these let scoreGiven count.
const acceptGivenScoreTypes = new Set(['FullyGraded', 'PendingManual']);
// ActiveRecord::Type::Boolean casts these (and "" / nil to nil); anything else is true.
const falseValues = new Set<unknown>([false, 0, '0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);

function castBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null || value === '') return null;
  return !falseValues.has(value);
}

function extensionOf(body: Record<string, unknown>): Record<string, unknown> {
  const raw = body[CanvasSubmissionExtension];
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function hasFileContentItems(ext: Record<string, unknown>): boolean {
  const items = ext['content_items'];
  return Array.isArray(items) && items.some((item) => typeof item === 'object' && item !== null && (item as Record<string, unknown>)['type'] === 'file');
}

/** scores_controller.rb `submission_type`: content items make it online_upload; else the extension's, else external_tool. */
export function submissionTypeOf(body: Record<string, unknown>): string {
  const ext = extensionOf(body);
  if (hasFileContentItems(ext)) return 'online_upload';
  const type = ext['submission_type'];
  return typeof type === 'string' && type !== '' ? type : defaultSubmissionType;
}

/**
 * scores_controller.rb `new_submission?`: "all submissions should count as new … unless explicitly
 * otherwise, if new_submission flag is present and `false`, or submission_type flag is `none`".
 */
export function isNewSubmission(body: Record<string, unknown>): boolean {
  const flag = castBoolean(extensionOf(body)['new_submission']);
  return (flag === true || flag === null) && submissionTypeOf(body) !== 'none';
}

/** scores_controller.rb `reset_score?`: anything but FullyGraded/PendingManual, or no scoreGiven, resets the score. */
export function isResetScore(body: Record<string, unknown>): boolean {
  return !acceptGivenScoreTypes.has(String(body['gradingProgress'])) || body['scoreGiven'] === undefined || body['scoreGiven'] === null;
}

/**
 * scores_controller.rb `submit_homework` → Assignment#submit_homework: with a submission type it first
 * clears `body url submission_type … submitted_at` "from prior submissions" (SUBMIT_HOMEWORK_ATTRS),
 * then sets the type and, for basic_lti_launch / online_url, `url = submission_data`
 * (online_text_entry: `body`). Saving a submitted submission adds an attempt (the controller's
 * verify_attempts_for_online_upload: new submissions "increment the attempt number").
 * Attempt limits (allowed_attempts) are not emulated: every emulated assignment is unlimited.
 */
export function submitHomework(previous: CanvasSubmissionRecord, body: Record<string, unknown>, now: string): CanvasSubmissionRecord {
  const ext = extensionOf(body);
  const type = submissionTypeOf(body);
  const data = typeof ext['submission_data'] === 'string' ? ext['submission_data'] : null;
  const submittedAtRaw = ext['submitted_at'];
  const submittedAt = typeof submittedAtRaw === 'string' && submittedAtRaw !== '' ? submittedAtRaw : now;
  const known = scoreSubmissionTypes.has(type);
  return {
    ...previous,
    attempt: previous.attempt + 1,
    submissionType: known ? type : previous.submissionType,
    url: known ? (type === 'basic_lti_launch' || type === 'online_url' ? data : null) : previous.url,
    body: known ? (type === 'online_text_entry' ? data : null) : previous.body,
    submittedAt,
  };
}

/**
 * scores_controller.rb `score_submission`, in its order:
 * - `preserve_score? || reset_score?`: the submission's score is left alone when preserve_score is
 *   true, else set to nil (`submission.update(score: nil) unless preserve_score?`). So a score that is
 *   not FullyGraded/PendingManual with a scoreGiven clears any grade, a tutor's included, and
 *   preserve_score keeps every grade (even a FullyGraded score does not set one).
 * - `prioritize_non_tool_grade? && submission_has_score?`: a submission that already has a score
 *   (`submission.score.present?`, whoever gave it) keeps it.
 * - else `grade_student(score: submission_score, grader_id: -tool.id)`: the score, scaled to the
 *   assignment's points (`line_item_score_maximum_scale`: line item maximum / scoreMaximum, or 1 when
 *   scoreMaximum is 0), overwrites any grade, a tutor's included.
 * Then, whatever happened to the score, `add_comment(comment:, skip_author: true) if comment.present?`:
 * a new comment for every score that carries one, never a replacement.
 */
export function scoreSubmission(previous: CanvasSubmissionRecord, body: Record<string, unknown>, lineItemMaximum: number, now: string): CanvasSubmissionRecord {
  const ext = extensionOf(body);
  let next: CanvasSubmissionRecord = previous;
  if (castBoolean(ext['preserve_score']) === true || isResetScore(body)) {
    if (castBoolean(ext['preserve_score']) !== true) next = { ...next, score: null, gradedBy: null, graderId: null };
  } else if (castBoolean(ext['prioritize_non_tool_grade']) === true && previous.score !== null) {
    next = previous;
  } else {
    const given = Number(body['scoreGiven']);
    const maximum = Number(body['scoreMaximum']);
    const scale = !Number.isFinite(maximum) || Math.abs(maximum) < Number.EPSILON ? 1 : lineItemMaximum / maximum;
    next = { ...next, score: given * scale, gradedBy: 'tool', graderId: null };
  }
  const comment = body['comment'];
  if (typeof comment === 'string' && comment.trim() !== '') {
    next = { ...next, comments: [...next.comments, { text: comment, authorId: null, at: now }] };
  }
  return next;
}

/**
 * A grader's grade from SpeedGrader (Submission#grade_student with a real grader, grader_id > 0).
 * Canvas mirrors it into the tool's Lti::Result (`Lti::Result.update_score_for_submission`, a raw
 * SQL update that leaves `updated_at` alone, since `record_timestamps = false`), so the result
 * service shows it and later scores' timestamps are still compared with the tool's own last one.
 */
export function gradeByTutor(previous: CanvasSubmissionRecord, score: number | null, graderId: string): CanvasSubmissionRecord {
  return { ...previous, score, gradedBy: score === null ? null : 'tutor', graderId: score === null ? null : graderId };
}

/**
 * scores_controller.rb `verify_valid_timestamp`: 400 "Provided timestamp of … before last updated
 * timestamp of …" when the stored result's updated_at (set to each accepted score's timestamp) is
 * later than the new timestamp. Strictly later: a score with the same timestamp is accepted.
 */
export function timestampRefusal(previousTimestamp: string | null, timestamp: string): string | null {
  if (previousTimestamp === null) return null;
  if (Date.parse(previousTimestamp) > Date.parse(timestamp)) {
    return `Provided timestamp of ${timestamp} before last updated timestamp of ${new Date(Date.parse(previousTimestamp)).toISOString()}`;
  }
  return null;
}
