import { describe, expect, it } from 'vitest';
import { CANVAS_SUBMISSION_EXTENSION, canvasExtensionFor, heldScoreOf, isAlreadyHeld, keptGraderScoreOf } from '../../src/jobs/canvas-score-flags.ts';
import type { ScorePassbackRow } from '../../src/scores/create-score-passback.ts';

// The pure decisions behind what Attest sends Canvas (src/jobs/canvas-score-flags.ts).

let n = 0;
function aRow(overrides: Partial<ScorePassbackRow> = {}): ScorePassbackRow {
  n += 1;
  const at = new Date(Date.UTC(2026, 10, 23, 10, 0, n));
  return {
    id: `row-${n}`, issuer: 'https://canvas.instructure.com', clientId: '1', deploymentId: 'd', lineItemUrl: 'https://canvas.test/li/1', learnerUserId: 'learner',
    requestedBy: 'assessor', scoreGiven: null, scoreMaximum: null, activityProgress: 'Submitted', gradingProgress: 'PendingManual', comment: 'Submitted for assessment.',
    scoreTimestamp: at, state: 'pending', attempts: 0, lastError: null, lastStatus: null,
    extensions: { [CANVAS_SUBMISSION_EXTENSION]: { new_submission: false, submission_type: 'basic_lti_launch', submission_data: 'https://tool.test/lti/launch?attest_unit=u' } },
    keptGraderScore: null, createdAt: at, updatedAt: at, sentAt: null,
    ...overrides,
  };
}
const completion = (overrides: Partial<ScorePassbackRow> = {}) => aRow({ scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Signed off.', ...overrides });
const read = (resultScore: number | null, comment: string | null = null) => ({ ok: true as const, result: { resultScore, resultMaximum: 100, comment } });

describe('canvasExtensionFor', () => {
  it('asks for a new submission while Canvas has accepted nothing, whatever the row stored', () => {
    expect(canvasExtensionFor(completion(), null)).toMatchObject({ new_submission: true, prioritize_non_tool_grade: true, submission_type: 'basic_lti_launch' });
  });
  it('asks for none once a score was accepted, and protects the grade on both kinds of score', () => {
    expect(canvasExtensionFor(completion(), aRow({ state: 'sent' }))).toEqual(expect.objectContaining({ new_submission: false, prioritize_non_tool_grade: true }));
    expect(canvasExtensionFor(completion(), aRow({ state: 'sent' }))).not.toHaveProperty('preserve_score');
    expect(canvasExtensionFor(aRow(), aRow({ state: 'sent' }))).toEqual(expect.objectContaining({ new_submission: false, preserve_score: true }));
  });
  it('asks for a new attempt when a reopened unit needs grading after an accepted completion', () => {
    expect(canvasExtensionFor(aRow(), completion({ state: 'sent' }))).toMatchObject({ new_submission: true, preserve_score: true });
  });
});

describe('keptGraderScoreOf', () => {
  it('takes a score Attest did not send last as a tutor’s', () => {
    expect(keptGraderScoreOf(heldScoreOf(read(85)), aRow({ state: 'sent' }))).toBe(85);
    expect(keptGraderScoreOf(heldScoreOf(read(85)), null)).toBe(85);
  });
  it('keeps what the last accepted score found when the result shows that score, no score or no answer', () => {
    const last = completion({ state: 'sent', keptGraderScore: 70 });
    expect(keptGraderScoreOf(heldScoreOf(read(100)), last)).toBe(70);
    expect(keptGraderScoreOf(heldScoreOf(read(null)), last)).toBe(70);
    expect(keptGraderScoreOf(heldScoreOf({ ok: false, message: 'down' }), last)).toBe(70);
    expect(keptGraderScoreOf(heldScoreOf(read(100)), completion({ state: 'sent' }))).toBeNull();
  });
  it('scales the result to 0–100', () => {
    expect(heldScoreOf({ ok: true, result: { resultScore: 17, resultMaximum: 20, comment: null } })).toBe(85);
  });
});

describe('isAlreadyHeld', () => {
  it('is true only for a retry whose comment and score the result already shows', () => {
    expect(isAlreadyHeld(completion({ attempts: 1 }), read(100, 'Signed off.'))).toBe(true);
    expect(isAlreadyHeld(completion({ attempts: 0 }), read(100, 'Signed off.'))).toBe(false);
    expect(isAlreadyHeld(completion({ attempts: 1 }), read(100, 'Submitted for assessment.'))).toBe(false);
    expect(isAlreadyHeld(completion({ attempts: 1 }), read(90, 'Signed off.'))).toBe(false);
    expect(isAlreadyHeld(completion({ attempts: 1 }), { ok: false, message: 'down' })).toBe(false);
    expect(isAlreadyHeld(aRow({ attempts: 2 }), read(null, 'Submitted for assessment.'))).toBe(true);
  });
});
