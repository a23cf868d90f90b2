// Whether the platform accepts a score POST, and what it stores. Pure: the caller passes the stored
// result and whether the user may be graded; the rules differ per LMS and each cites its source.
import type { CanvasSubmissionData, PlatformMode } from './types.ts';
import { CanvasSubmissionExtension } from './lti-vocabulary.ts';
import { timestampRefusal } from './canvas/submission-rules.ts';

export interface StoredResult {
  readonly userId: string;
  readonly scoreGiven: number | null;
  readonly scoreMaximum: number | null;
  readonly activityProgress: string;
  readonly gradingProgress: string;
  readonly comment: string | null;
  readonly timestamp: string;
  /**
   * Moodle's grade_grades.timemodified, which its next score must be dated after; null when Moodle
   * holds no grading yet (and always in Canvas, which orders scores by `timestamp`).
   */
  readonly gradeTimeModified: string | null;
  readonly canvasSubmission: CanvasSubmissionData | null;
  readonly acceptedScores: number;
  /** Moodle: a teacher overrode the grade in the gradebook (grade_grade `overridden`); a tool's score no longer changes it. */
  readonly isOverridden?: boolean;
}

export type ScoreDecision =
  | { readonly ok: true; readonly result: StoredResult }
  | { readonly ok: false; readonly status: 400 | 409 | 422; readonly message: string };

// AGS §3.4.7 lists the score's required members; both LMSs enforce them.
const requiredMembers = ['userId', 'activityProgress', 'gradingProgress', 'timestamp'] as const;
// AGS §3.4.8 / §3.4.9 vocabularies.
const activityProgressValues = new Set(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']);
const gradingProgressValues = new Set(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']);
// ISO 8601 date-time with a zone, the form AGS §3.4.7 requires for `timestamp`.
const iso8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(body: Record<string, unknown>, key: string): number | null | 'invalid' {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 'invalid';
}

function readCanvasSubmission(body: Record<string, unknown>): CanvasSubmissionData | null {
  const raw = body[CanvasSubmissionExtension];
  if (!isRecord(raw)) return null;
  const text = (key: string): string | null => (typeof raw[key] === 'string' ? (raw[key] as string) : null);
  return {
    newSubmission: typeof raw['new_submission'] === 'boolean' ? raw['new_submission'] : null,
    submissionType: text('submission_type'),
    submissionData: text('submission_data'),
    submittedAt: text('submitted_at'),
    contentItems: Array.isArray(raw['content_items']) ? raw['content_items'] : null,
    raw,
  };
}

/** `nowMs` is the LMS's clock, which Moodle puts on a grade written without a score. */
export function acceptScore(mode: PlatformMode, body: unknown, previous: StoredResult | null, isGradable: boolean, nowMs: number = Date.now()): ScoreDecision {
  if (!isRecord(body)) return { ok: false, status: 400, message: 'Incorrect score received' };
  const scoreGiven = optionalNumber(body, 'scoreGiven');
  const scoreMaximum = optionalNumber(body, 'scoreMaximum');
  const timestamp = body['timestamp'];
  const comment = typeof body['comment'] === 'string' ? body['comment'] : null;

  if (mode === 'moodle') {
    // mod/lti/service/gradebookservices/classes/local/resources/scores.php get_json_for_post_request():
    // 400 "Incorrect score received" unless userId, timestamp, gradingProgress and activityProgress are
    // set, the timestamp is ISO 8601, scoreGiven/scoreMaximum are numeric and the user is gradable.
    if (
      requiredMembers.some((key) => body[key] === undefined || body[key] === null) ||
      typeof timestamp !== 'string' || !iso8601.test(timestamp) || Number.isNaN(Date.parse(timestamp)) ||
      scoreGiven === 'invalid' || scoreMaximum === 'invalid' || !isGradable
    ) {
      return { ok: false, status: 400, message: 'Incorrect score received' };
    }
    // Same file: `if ($grade->timemodified >= strtotime($score->timestamp))` → 409 "Refusing score with
    // an earlier timestamp". Both sides are whole seconds, so a score in the same second is refused.
    // `$grade->timemodified` is what the score is compared with, and empty means no check.
    const newSeconds = Math.floor(Date.parse(timestamp) / 1000);
    if (previous?.gradeTimeModified && Math.floor(Date.parse(previous.gradeTimeModified) / 1000) >= newSeconds) {
      return { ok: false, status: 409, message: `Refusing score with an earlier timestamp for user ${String(body['userId'])}` };
    }
    // Same file: `if ($score->gradingProgress != 'FullyGraded') $score->scoreGiven = null;` and
    // gradebookservices::save_score() writes a null rawgrade, so anything but FullyGraded clears the grade.
    // scoreMaximum defaults to 1 when absent (`if (!isset($score->scoreMaximum)) $score->scoreMaximum = 1;`).
    const keepsGrade = body['gradingProgress'] === 'FullyGraded';
    const hasGrade = keepsGrade && typeof scoreGiven === 'number';
    // gradebookservices.php save_grade_item(): dategraded = strtotime(timestamp) only with a score;
    // then lib/grade/grade_item.php update_raw_grade(): no grade and no feedback → timemodified null
    // ("no grading yet"); feedback or grade changed without a date → time(), Moodle's own clock;
    // nothing changed → the grade keeps its date.
    const feedback = comment === '' ? null : comment; // `if (!empty($score->comment))`
    const feedbackOrGradeChanged = previous === null || feedback !== previous.comment || previous.scoreGiven !== null;
    const gradeTimeModified = hasGrade ? timestamp : feedback === null ? null : feedbackOrGradeChanged ? new Date(nowMs).toISOString() : (previous?.gradeTimeModified ?? null);
    return {
      ok: true,
      result: {
        userId: String(body['userId']),
        scoreGiven: keepsGrade ? scoreGiven : null,
        scoreMaximum: scoreMaximum ?? 1,
        activityProgress: String(body['activityProgress']),
        gradingProgress: String(body['gradingProgress']),
        comment,
        timestamp,
        gradeTimeModified,
        canvasSubmission: null,
        acceptedScores: (previous?.acceptedScores ?? 0) + 1,
      },
    };
  }

  // Canvas: https://developerdocs.instructure.com/services/canvas/resources/score (Score API) —
  // userId, activityProgress, gradingProgress and timestamp are required; scoreMaximum is required when
  // scoreGiven is present; the values must be from the AGS vocabularies.
  if (
    requiredMembers.some((key) => body[key] === undefined || body[key] === null) ||
    typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)) ||
    !activityProgressValues.has(String(body['activityProgress'])) ||
    !gradingProgressValues.has(String(body['gradingProgress'])) ||
    scoreGiven === 'invalid' || scoreMaximum === 'invalid' ||
    (scoreGiven !== null && scoreMaximum === null)
  ) {
    return { ok: false, status: 400, message: 'Invalid score: userId, activityProgress, gradingProgress, timestamp (and scoreMaximum with scoreGiven) are required' };
  }
  // Same page: the user must be a student of the course ("User not found in course or is not a student", 422).
  if (!isGradable) return { ok: false, status: 422, message: 'User not found in course or is not a student' };
  const olderThanStored = timestampRefusal(previous?.timestamp ?? null, timestamp);
  if (olderThanStored !== null) return { ok: false, status: 400, message: olderThanStored };
  return {
    ok: true,
    result: {
      userId: String(body['userId']),
      scoreGiven,
      scoreMaximum,
      activityProgress: String(body['activityProgress']),
      gradingProgress: String(body['gradingProgress']),
      // scores_controller.rb update_or_create_result: `result.update!(scores_params…)` with only the
      // members the score sent (params.permit), so a score without a comment keeps the result's last one.
      comment: comment ?? previous?.comment ?? null,
      timestamp,
      gradeTimeModified: null,
      canvasSubmission: readCanvasSubmission(body),
      acceptedScores: (previous?.acceptedScores ?? 0) + 1,
    },
  };
}
