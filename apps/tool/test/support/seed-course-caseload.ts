import type { AssessmentReportBody, EvidenceDraft, EvidenceMappingTarget, RecordContent } from '@attest/contracts';
import { buildUnitIndex } from '@attest/standards';
import type { Unit } from '@attest/standards';
import type { CatalogueSource } from '../../src/catalogue/catalogue-source.ts';
import type { Database } from '../../src/db/index.ts';
import { seedAssessorWork, seedLearnerEvidence } from '../../src/index.ts';

// A course's caseload as an assessor meets it, seeded through the same use cases as the API (no
// vitest here: the caseload benchmark uses it too). Learner i of the roster gets, by i:
//   i % 5 === 0   nothing: on the roster, never opened Attest
//   otherwise     three items, each mapped to three of the unit's statements; the first two submitted
//   i % 4 === 1   and the assessor's work: submitted mappings accepted, a signed observation, the report
// so a caseload mixes empty rows, drafts, items awaiting a decision and learners with decisions.
// (Signatures need every requirement covered first: the assessor tests' fixture makes those.)

export interface CaseloadCourse {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly contextId: string;
}

const report: AssessmentReportBody = {
  checks: { moreSkillsEvidenceRequired: false, moreKnowledgeEvidenceRequired: false, morePortfolioEvidenceRequired: false, skillsMet: true, knowledgeMet: true, evidenceValidSufficientCurrentAuthentic: true, properlyAuthenticated: true },
  comments: 'Competent across the unit.',
  outcome: 'competent',
};

const observation: RecordContent = {
  kind: 'observation',
  date: '2026-11-02',
  workSetting: 'real-job',
  customerRef: 'Mrs P',
  occasionRef: 'Saturday rush',
  place: 'Returns desk, Leeds store',
  observed: 'Greeted the customer at once, listened, and explained the refund options.',
  supplementaryEvidence: [],
};

function draftFor(learner: number, item: number): EvidenceDraft {
  return {
    title: `Evidence ${item + 1} of learner ${learner + 1}`,
    description: 'A reflective account of serving a customer at the returns desk. '.repeat(4),
    evidenceType: item === 2 ? 'witness-statement' : 'personal-statement',
    activityDate: `2026-${String((item % 10) + 1).padStart(2, '0')}-${String((learner % 27) + 1).padStart(2, '0')}`,
    customerRef: `Customer ${(learner + item) % 17}`,
    occasionRef: `Occasion ${(learner * 3 + item) % 23}`,
    workSetting: 'real-job',
  };
}

/** Seeds the mix above for each learner id, in order; returns how many items were made. */
export async function seedCourseCaseload(
  tool: { readonly db: Database; readonly catalogue: CatalogueSource },
  input: { readonly course: CaseloadCourse; readonly unit: Unit; readonly learnerUserIds: readonly string[]; readonly assessor: { readonly userId: string; readonly userName: string | null } },
): Promise<number> {
  const keys = buildUnitIndex(input.unit).statements.map((s) => s.key);
  const target = (n: number): EvidenceMappingTarget => ({ unitId: input.unit.id, target: 'statement', ref: keys[n % keys.length] ?? '' });
  let made = 0;
  for (const [i, learnerUserId] of input.learnerUserIds.entries()) {
    if (i % 5 === 0) continue;
    const items = [0, 1, 2].map((k) => ({ draft: draftFor(i, k), mappings: [0, 1, 2].map((m) => target(i + k * 3 + m)), submit: k < 2 }));
    await seedLearnerEvidence(tool, { learner: { ...input.course, learnerUserId }, items });
    made += items.length;
    if (i % 4 !== 1) continue;
    await seedAssessorWork(tool, {
      assessor: { ...input.course, unitId: input.unit.id, ...input.assessor },
      learnerUserId,
      acceptSubmitted: true,
      records: [{ content: observation, targets: [target(i + 1)] }],
      report,
    });
  }
  return made;
}
