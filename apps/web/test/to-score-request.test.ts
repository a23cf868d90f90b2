import { describe, expect, it } from 'vitest';
import { toScoreRequest, type ScoreFormFields } from '../src/scores/to-score-request.ts';

const fields = (overrides: Partial<ScoreFormFields> = {}): ScoreFormFields => ({
  score: '75',
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
  comment: '',
  ...overrides,
});

describe('toScoreRequest', () => {
  it('builds the request with the score as a number and no empty comment', () => {
    expect(toScoreRequest('learner-1', fields())).toEqual({
      ok: true,
      request: { learnerUserId: 'learner-1', scoreGiven: 75, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });
  });

  it('accepts the boundaries 0 and 100 and a decimal score', () => {
    expect(toScoreRequest('l', fields({ score: '0' }))).toMatchObject({ ok: true, request: { scoreGiven: 0 } });
    expect(toScoreRequest('l', fields({ score: '100' }))).toMatchObject({ ok: true, request: { scoreGiven: 100 } });
    expect(toScoreRequest('l', fields({ score: '62.5' }))).toMatchObject({ ok: true, request: { scoreGiven: 62.5 } });
  });

  it('refuses a score just outside 0 to 100 or not a number', () => {
    for (const score of ['-0.1', '100.01', '101', 'abc']) {
      const result = toScoreRequest('l', fields({ score }));
      expect(result.ok, score).toBe(false);
      if (!result.ok) expect(result.errors.score).toMatch(/0 to 100/);
    }
  });

  it('requires a score when grading is fully graded', () => {
    const result = toScoreRequest('l', fields({ score: ' ' }));
    expect(result).toMatchObject({ ok: false, errors: { score: expect.stringMatching(/Enter a score/) } });
  });

  it('allows no score while grading is pending', () => {
    const result = toScoreRequest('l', fields({ score: '', gradingProgress: 'Pending', activityProgress: 'Submitted' }));
    expect(result).toEqual({ ok: true, request: { learnerUserId: 'l', activityProgress: 'Submitted', gradingProgress: 'Pending' } });
  });

  it('trims the comment and refuses one over 1000 characters', () => {
    expect(toScoreRequest('l', fields({ comment: '  Well evidenced.  ' }))).toMatchObject({ ok: true, request: { comment: 'Well evidenced.' } });
    expect(toScoreRequest('l', fields({ comment: 'x'.repeat(1000) })).ok).toBe(true);
    expect(toScoreRequest('l', fields({ comment: 'x'.repeat(1001) }))).toMatchObject({ ok: false, errors: { comment: expect.any(String) } });
  });

  it('refuses progress values the AGS does not define', () => {
    const result = toScoreRequest('l', fields({ activityProgress: 'Done', gradingProgress: 'Graded' }));
    expect(result).toMatchObject({ ok: false, errors: { activityProgress: expect.any(String), gradingProgress: expect.any(String) } });
  });
});
