import { describe, expect, it } from 'vitest';
import { SYNC_STATES } from '@attest/contracts';
import { classifyGradebookSync, SYNC_STATE_EXPLANATIONS } from '../../src/scores/classify-gradebook-sync.ts';
import type { DecidedScore, HeldGrade } from '../../src/scores/classify-gradebook-sync.ts';

const sentCompletion: DecidedScore = { state: 'sent', scoreGiven: 100, lastError: null, keptGraderScore: null };
const held = (score: number | null): HeldGrade => ({ kind: 'result', score });

describe('classifyGradebookSync', () => {
  it('is in sync when the gradebook holds the score Attest sent, to a millionth of a point', () => {
    expect(classifyGradebookSync(sentCompletion, held(100))).toEqual({ state: 'in_sync', isRepairedByBulkResync: false, canResync: false });
    expect(classifyGradebookSync(sentCompletion, held(100 - 1e-9)).state).toBe('in_sync');
  });

  it('calls a grade Attest sent and the LMS no longer has “missing”, the one state a bulk resync repairs besides a failure', () => {
    expect(classifyGradebookSync(sentCompletion, { kind: 'no_result' })).toEqual({ state: 'missing_in_lms', isRepairedByBulkResync: true, canResync: true });
  });

  it('calls a different grade a change by hand, which only the row’s own resync may replace', () => {
    expect(classifyGradebookSync(sentCompletion, held(60))).toEqual({ state: 'changed_in_lms', isRepairedByBulkResync: false, canResync: true });
    expect(classifyGradebookSync(sentCompletion, held(99.999)).state).toBe('changed_in_lms');
  });

  it('calls a result with no score, where Attest sent one, cleared in the LMS (not repaired in bulk)', () => {
    expect(classifyGradebookSync(sentCompletion, held(null))).toEqual({ state: 'cleared_in_lms', isRepairedByBulkResync: false, canResync: true });
  });

  it('calls a grader’s grade Canvas kept over Attest’s overridden, and in sync when the kept grade equals Attest’s', () => {
    expect(classifyGradebookSync({ ...sentCompletion, keptGraderScore: 70 }, held(100)).state).toBe('overridden_in_lms');
    expect(classifyGradebookSync({ ...sentCompletion, keptGraderScore: 100 }, held(100)).state).toBe('in_sync');
  });

  it('expects nothing in the gradebook for a score without a grade (a withdrawn sign-off), and sees a grade there as a hand change', () => {
    const reopened: DecidedScore = { ...sentCompletion, scoreGiven: null };
    expect(classifyGradebookSync(reopened, { kind: 'no_result' }).state).toBe('in_sync');
    expect(classifyGradebookSync(reopened, held(null)).state).toBe('in_sync');
    expect(classifyGradebookSync(reopened, held(80)).state).toBe('changed_in_lms');
  });

  it('reports a deleted line item whatever the row says, and offers no resync to a column that is gone', () => {
    for (const state of ['pending', 'sent', 'failed'] as const) {
      expect(classifyGradebookSync({ ...sentCompletion, state }, { kind: 'line_item_gone' })).toEqual({ state: 'line_item_deleted', isRepairedByBulkResync: false, canResync: false });
    }
  });

  it('leaves a pending score to the queue, and offers failed ones to every resync', () => {
    expect(classifyGradebookSync({ ...sentCompletion, state: 'pending' }, { kind: 'no_result' })).toEqual({ state: 'pending', isRepairedByBulkResync: false, canResync: false });
    expect(classifyGradebookSync({ ...sentCompletion, state: 'failed', lastError: 'LMS answered 400' }, held(60))).toEqual({ state: 'failed', isRepairedByBulkResync: true, canResync: true });
  });

  it('says “not checked” when the gradebook could not be read, and repairs nothing on that guess', () => {
    expect(classifyGradebookSync(sentCompletion, { kind: 'unreadable', message: 'timeout' })).toEqual({ state: 'not_checked', isRepairedByBulkResync: false, canResync: false });
  });

  it('has plain words for every state', () => {
    for (const state of SYNC_STATES) expect(SYNC_STATE_EXPLANATIONS[state].length).toBeGreaterThan(20);
  });
});
