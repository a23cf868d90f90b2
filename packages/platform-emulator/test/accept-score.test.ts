import { describe, expect, it } from 'vitest';
import { acceptScore, type StoredResult } from '../src/accept-score.ts';

const score = (overrides: Record<string, unknown> = {}) => ({
  userId: '3',
  scoreGiven: 80,
  scoreMaximum: 100,
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  timestamp: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

function stored(timestamp: string): StoredResult {
  const decision = acceptScore('moodle', score({ timestamp }), null, true);
  if (!decision.ok) throw new Error('fixture score refused');
  return decision.result;
}

describe('Moodle score rules', () => {
  it.each(['userId', 'activityProgress', 'gradingProgress', 'timestamp'])('refuses a score without %s with 400', (member) => {
    const body: Record<string, unknown> = score();
    delete body[member];
    expect(acceptScore('moodle', body, null, true)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a timestamp that is not ISO 8601 with 400', () => {
    expect(acceptScore('moodle', score({ timestamp: 'yesterday' }), null, true)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a learner who is not gradable in the course with 400', () => {
    expect(acceptScore('moodle', score(), null, false)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a score stamped in the same second as the stored one, even a few milliseconds later', () => {
    const previous = stored('2026-11-23T10:00:00.100Z');
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T10:00:00.900Z' }), previous, true)).toMatchObject({ ok: false, status: 409 });
  });

  it('refuses a score older than the stored one with 409', () => {
    const previous = stored('2026-11-23T10:00:00.000Z');
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T09:59:59.000Z' }), previous, true)).toMatchObject({ ok: false, status: 409 });
  });

  it('accepts a score one second newer than the stored one', () => {
    const previous = stored('2026-11-23T10:00:00.999Z');
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T10:00:01.000Z' }), previous, true)).toMatchObject({ ok: true, result: { acceptedScores: 2 } });
  });

  it('checks nothing after a score that left no grade and no feedback (timemodified empty)', () => {
    const ungraded = acceptScore('moodle', score({ gradingProgress: 'NotReady', scoreGiven: undefined, timestamp: '2026-11-23T10:00:05.000Z' }), null, true);
    expect(ungraded).toMatchObject({ ok: true, result: { gradeTimeModified: null } });
    if (!ungraded.ok) return;
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T10:00:00.000Z' }), ungraded.result, true)).toMatchObject({ ok: true });
  });

  it('dates feedback without a score by Moodle’s own clock, and refuses a score dated before that clock', () => {
    const moodleNow = Date.parse('2026-11-23T10:05:00.000Z');
    const feedbackOnly = acceptScore('moodle', score({ gradingProgress: 'Pending', scoreGiven: undefined, comment: 'Resubmit the account', timestamp: '2026-11-23T10:00:00.000Z' }), null, true, moodleNow);
    expect(feedbackOnly).toMatchObject({ ok: true, result: { gradeTimeModified: '2026-11-23T10:05:00.000Z' } });
    if (!feedbackOnly.ok) return;
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T10:01:00.000Z' }), feedbackOnly.result, true)).toMatchObject({ ok: false, status: 409 });
    expect(acceptScore('moodle', score({ timestamp: '2026-11-23T10:05:01.000Z' }), feedbackOnly.result, true)).toMatchObject({ ok: true });
  });

  it.each(['Pending', 'PendingManual', 'Failed', 'NotReady'])('clears scoreGiven when gradingProgress is %s', (gradingProgress) => {
    expect(acceptScore('moodle', score({ gradingProgress }), null, true)).toMatchObject({ ok: true, result: { scoreGiven: null, gradingProgress } });
  });

  it('keeps scoreGiven when gradingProgress is FullyGraded and defaults scoreMaximum to 1', () => {
    expect(acceptScore('moodle', score({ scoreGiven: 1, scoreMaximum: undefined }), null, true)).toMatchObject({ ok: true, result: { scoreGiven: 1, scoreMaximum: 1 } });
  });

  it('ignores the Canvas submission extension', () => {
    const decision = acceptScore('moodle', score({ 'https://canvas.instructure.com/lti/submission': { new_submission: true } }), null, true);
    expect(decision).toMatchObject({ ok: true, result: { canvasSubmission: null } });
  });
});

describe('Canvas score rules', () => {
  it('keeps scoreGiven whatever the gradingProgress', () => {
    expect(acceptScore('canvas', score({ gradingProgress: 'PendingManual' }), null, true)).toMatchObject({ ok: true, result: { scoreGiven: 80 } });
  });

  it('refuses scoreGiven without scoreMaximum with 400', () => {
    expect(acceptScore('canvas', score({ scoreMaximum: undefined }), null, true)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a user who is not a student with 422', () => {
    expect(acceptScore('canvas', score(), null, false)).toMatchObject({ ok: false, status: 422 });
  });

  it('records the submission extension', () => {
    const decision = acceptScore('canvas', score({
      'https://canvas.instructure.com/lti/submission': { new_submission: true, submission_type: 'basic_lti_launch', submission_data: 'http://localhost:3000/app/', submitted_at: '2026-11-23T09:58:00Z' },
    }), null, true);
    expect(decision).toMatchObject({ ok: true, result: { canvasSubmission: { newSubmission: true, submissionType: 'basic_lti_launch', submissionData: 'http://localhost:3000/app/', submittedAt: '2026-11-23T09:58:00Z' } } });
  });
});
