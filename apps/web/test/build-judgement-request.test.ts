import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../src/api/api-client.ts';
import { buildJudgementRequest, describeItemChanges, initialJudgements, itemChangeOf, judgementConflictOf, validateJudgements } from '../src/assessor/build-judgement-request.ts';
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

  it('sends only the mappings that changed, with the judgement version and the learner’s item version it read', () => {
    const judgements = initialJudgements(item, UNIT).map((j) => (j.ref === '209.1.1' ? { ...j, decision: 'accepted' as const, method: 'O' as const } : j));
    expect(buildJudgementRequest(item, judgements)).toEqual({ baseVersion: 3, itemVersion: item.version, mappings: [{ unitId: UNIT, target: 'statement', ref: '209.1.1', decision: 'accepted', method: 'O', feedback: null }] });
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

  it('reads the learner’s change from a 409 with both versions, and does not take it for another assessor’s judgement', () => {
    const current = makeAssessorItem({ version: 5, title: 'Rewritten' });
    const error = new ApiRequestError('api', 'The learner changed this evidence', { status: 409, details: { reason: 'item_changed', readVersion: 3, currentVersion: 5, current } });
    expect(itemChangeOf(error)).toMatchObject({ readVersion: 3, currentVersion: 5, current: { title: 'Rewritten' } });
    expect(judgementConflictOf(error)).toBeNull();
    expect(itemChangeOf(new ApiRequestError('api', 'Judged by someone else', { status: 409, details: { current } }))).toBeNull();
  });

  it('lists the fields, files and mappings the learner changed', () => {
    const file = (id: string, name: string) => ({ id, name, mediaType: 'image/png', size: 10, sha256: 'ab'.repeat(32), uploadedAt: '2026-05-01T10:00:00Z' });
    const read = makeAssessorItem({ version: 3, title: 'Call', files: [file('f1', 'old.png')], mappings: [mapping('209.1.1')] });
    const current = makeAssessorItem({ ...read, version: 5, title: 'Call with Mrs P', files: [file('f2', 'new.png')], mappings: [mapping('209.1.1'), mapping('209.1.2')] });
    expect(describeItemChanges(read, current)).toEqual(['Title changed', 'File added: new.png', 'File removed: old.png', 'Now mapped to 209.1.2']);
    expect(describeItemChanges(read, read)).toEqual([]);
  });
});
