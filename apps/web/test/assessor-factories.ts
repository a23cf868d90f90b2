import { AssessorCaseloadSchema, AssessorEvidenceItemSchema, AssessorPortfolioSchema, AssessorRecordSchema, SignOffStateSchema, type AssessorCaseload, type AssessorEvidenceItem, type AssessorPortfolio, type AssessorRecord, type CaseloadLearner, type SignOffState } from '@attest/contracts';
import { evaluateUnit, type Unit } from '@attest/standards';
import { toPortfolioFacts } from '../src/portfolio/preview-verdict.ts';
import { AS_OF, makeItem } from './portfolio-factories.ts';

export const DIGEST = 'ab'.repeat(32);

export function makeAssessorItem(overrides: Partial<AssessorEvidenceItem> = {}): AssessorEvidenceItem {
  return AssessorEvidenceItemSchema.parse({ ...makeItem({ state: 'submitted', submittedAt: '2026-05-02T10:00:00Z' }), judgementVersion: 0, learnerUserId: 'learner-1', ...overrides });
}

export function makeSignOffState(overrides: Partial<SignOffState> = {}): SignOffState {
  return SignOffStateSchema.parse({
    stage: 'none',
    candidate: null,
    assessor: null,
    isCountersignatureRequired: false,
    countersignature: null,
    withdrawn: [],
    gate: { isOpen: true, blocking: [] },
    grade: { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null },
    ...overrides,
  });
}

export const signature = (role: 'assessor' | 'assessor-countersignature' | 'candidate', name: string, userId = `${role}-user`) => ({ role, issuer: 'https://lms.example', userId, name, signedAt: '2026-05-12T10:04:00Z', digest: DIGEST, signedContent: {} });

let records = 0;
export function makeRecord(overrides: Partial<AssessorRecord> = {}): AssessorRecord {
  records += 1;
  return AssessorRecordSchema.parse({
    id: `record-${records}`,
    learnerUserId: 'learner-1',
    unitId: 'nvq2-cs-209',
    kind: 'observation',
    method: 'O',
    content: { kind: 'observation', date: '2026-05-05', workSetting: 'real-job', customerRef: null, occasionRef: null, place: 'Returns desk', observed: 'Kept the caller informed while checking stock.', supplementaryEvidence: [] },
    targets: [{ unitId: 'nvq2-cs-209', target: 'statement', ref: '209.1.2' }],
    authorUserId: 'assessor-1',
    authorName: 'Sam Assessor',
    version: 1,
    signature: null,
    supersedes: null,
    supersededBy: null,
    createdAt: '2026-05-05T12:00:00Z',
    ...overrides,
  });
}

export function makeAssessorPortfolio(unit: Unit, items: AssessorEvidenceItem[], overrides: Partial<AssessorPortfolio> = {}): AssessorPortfolio {
  return AssessorPortfolioSchema.parse({
    learner: { userId: 'learner-1', name: 'Lee Learner' },
    unitId: unit.id,
    unitTitle: unit.title,
    items,
    records: [],
    witnesses: [],
    verdict: evaluateUnit(unit, toPortfolioFacts(unit, items), { asOf: AS_OF }),
    actionPlan: null,
    report: null,
    unitFeedback: [],
    signOff: makeSignOffState(),
    nextStep: { audience: 'assessor', code: 'decide-evidence', count: 1 },
    ...overrides,
  });
}

export function makeCaseloadLearner(overrides: Partial<CaseloadLearner> = {}): CaseloadLearner {
  return {
    userId: 'learner-1',
    name: 'Lee Learner',
    email: null,
    hasLaunched: true,
    progress: { met: 2, assessed: 3, total: 4 },
    unitState: 'in-progress',
    nextStep: { audience: 'assessor', code: 'requirements-missing', count: 2 },
    lastEvidenceAt: '2026-05-02T10:00:00Z',
    awaiting: [],
    signOff: 'none',
    grade: { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null },
    ...overrides,
  };
}

export function makeCaseload(learners: CaseloadLearner[], overrides: Partial<AssessorCaseload> = {}): AssessorCaseload {
  return AssessorCaseloadSchema.parse({ unitId: 'nvq2-cs-209', unitTitle: 'Deal with customers by telephone', learners, queue: learners.flatMap((l) => l.awaiting), rosterIsShared: true, ...overrides });
}
