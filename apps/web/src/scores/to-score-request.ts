import { ActivityProgressSchema, GradingProgressSchema, type ScoreRequest } from '@attest/contracts';

/** The score form's fields as the browser gives them: strings. */
export interface ScoreFormFields {
  score: string;
  activityProgress: string;
  gradingProgress: string;
  comment: string;
}

export const maxScore = 100;
export const maxCommentLength = 1000;

export type ScoreFormResult =
  | { ok: true; request: ScoreRequest }
  | { ok: false; errors: Partial<Record<keyof ScoreFormFields, string>> };

/**
 * Checks the form and builds the request. The score may be left empty only while grading is not
 * finished: the LMS shows a line item marked FullyGraded without a score as a blank grade.
 */
export function toScoreRequest(learnerUserId: string, fields: ScoreFormFields): ScoreFormResult {
  const errors: Partial<Record<keyof ScoreFormFields, string>> = {};
  const activity = ActivityProgressSchema.safeParse(fields.activityProgress);
  const grading = GradingProgressSchema.safeParse(fields.gradingProgress);
  if (!activity.success) errors.activityProgress = 'Choose the activity progress.';
  if (!grading.success) errors.gradingProgress = 'Choose the grading progress.';

  const scoreText = fields.score.trim();
  let scoreGiven: number | undefined;
  if (scoreText === '') {
    if (grading.success && grading.data === 'FullyGraded') errors.score = 'Enter a score from 0 to 100, or choose a grading progress other than Fully graded.';
  } else {
    const value = Number(scoreText);
    if (!Number.isFinite(value) || value < 0 || value > maxScore) errors.score = 'Enter a score from 0 to 100.';
    else scoreGiven = value;
  }

  const comment = fields.comment.trim();
  if (comment.length > maxCommentLength) errors.comment = `Keep the comment to ${maxCommentLength} characters or fewer.`;

  if (!activity.success || !grading.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      learnerUserId,
      activityProgress: activity.data,
      gradingProgress: grading.data,
      ...(scoreGiven === undefined ? {} : { scoreGiven }),
      ...(comment === '' ? {} : { comment }),
    },
  };
}
