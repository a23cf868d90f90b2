import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../src/api/api-client.ts';
import { buildJudgementRequest, initialJudgements, judgementConflictOf, validateJudgements } from '../src/assessor/build-judgement-request.ts';
import { makeAssessorItem } from './assessor-factories.ts';
import { mapping } from './portfolio-factories.ts';

const UNIT = 'nvq2-cs-209';

describe('judging an item', () => {
  const item = makeAssessorItem({ judgementVersion: 3, mappings: [mapping('209.1.1'), mapping('209.1.2', { decision: 'accepted' }), mapping('k:3', { unitId: 'other-unit' })] });

  it('starts from the decisions already made on this unit’s mappings only', () => {
    const judgements = initialJudgements(item, UNIT);
    expect(judgements.map((j) => [j.ref, j.decision])).toEqual([
      ['209.1.1', 'pending'],
      ['209.1.2', 'accepted'],
    ]);
  });

  it('sends only the mappings that changed, with the judgement version it read', () => {
    const judgements = initialJudgements(item, UNIT).map((j) => (j.ref === '209.1.1' ? { ...j, decision: 'accepted' as const, method: 'O' as const } : j));
    expect(buildJudgementRequest(item, judgements)).toEqual({ baseVersion: 3, mappings: [{ unitId: UNIT, target: 'statement', ref: '209.1.1', decision: 'accepted', method: 'O', feedback: null }] });
  });

  it('sends nothing when nothing changed, and treats feedback that differs only in spaces as unchanged', () => {
    const judgements = initialJudgements(item, UNIT).map((j) => ({ ...j, feedback: '   ' }));
    expect(buildJudgementRequest(item, judgements)).toBeNull();
  });

  it('refuses a referral without feedback and accepts it once feedback is given', () => {
    const referred = initialJudgements(item, UNIT).map((j) => (j.ref === '209.1.1' ? { ...j, decision: 'referred' as const, feedback: ' ' } : j));
    expect([...validateJudgements(referred).entries()]).toEqual([[`${UNIT}|statement|209.1.1`, 'Say why this evidence is referred back: the learner sees this feedback.']]);
    const explained = referred.map((j) => (j.ref === '209.1.1' ? { ...j, feedback: ' Name the caller. ' } : j));
    expect(validateJudgements(explained).size).toBe(0);
    expect(buildJudgementRequest(item, explained)?.mappings[0]?.feedback).toBe('Name the caller.');
  });

  it('reads the other assessor’s copy from a 409 and nothing from other failures', () => {
    const current = makeAssessorItem({ judgementVersion: 4, mappings: [mapping('209.1.1', { decision: 'referred', feedback: 'Too short.' })] });
    expect(judgementConflictOf(new ApiRequestError('api', 'Judged by someone else', { status: 409, details: { current } }))?.judgementVersion).toBe(4);
    expect(judgementConflictOf(new ApiRequestError('api', 'Judged by someone else', { status: 409, details: { unexpected: true } }))).toBeNull();
    expect(judgementConflictOf(new ApiRequestError('api', 'Bad request', { status: 400, details: { current } }))).toBeNull();
  });
});
