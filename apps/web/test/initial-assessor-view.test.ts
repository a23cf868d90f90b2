import { describe, expect, it } from 'vitest';
import { initialAssessorView } from '../src/assessor/initial-assessor-view.ts';

describe('initialAssessorView', () => {
  it('opens the caseload when the launch names no learner', () => {
    expect(initialAssessorView({ focusLearnerUserId: null })).toEqual({ name: 'caseload', returnedFrom: null });
  });

  it('opens the named learner’s page, unnamed until the caseload or portfolio loads, when SpeedGrader names one', () => {
    expect(initialAssessorView({ focusLearnerUserId: 'learner-7' })).toEqual({ name: 'learner', userId: 'learner-7', learnerName: null, itemId: null });
  });
});
