import { and, inArray } from 'drizzle-orm';
import type { AssessorCaseload, AssessorPortfolio, AwaitingItem, CaseloadLearner, LearnerAssessment } from '@attest/contracts';
import type { Unit, Verdict } from '@attest/standards';
import type { Database } from '../db/index.ts';
import { launches, whereCourse } from '../db/index.ts';
import type { RosterMember } from '../domain/ports.ts';
import { assessCourseLearners } from '../portfolio/assess-course-learners.ts';
import { assessLearnerUnit } from '../portfolio/assess-learner-unit.ts';
import type { LearnerUnitAssessment } from '../portfolio/assess-learner-unit.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { loadUnitFeedback } from '../portfolio/load-evidence-items.ts';
import { stageOf } from '../portfolio/load-unit-signatures.ts';
import type { AssessorScope } from './assessor-scope.ts';
import { learnerScopeIn } from './assessor-scope.ts';
import { NO_GRADE, getGradeStatus, loadGradeStatuses } from './get-grade-status.ts';
import { loadJudgementVersions, toAssessorItems } from './judge-evidence-item.ts';
import { toWitnessList } from './to-witness-list.ts';
import { toSignOffState } from './unit-signatures.ts';

const DECIDED = new Set(['evidence_accepted', 'evidence_referred', 'observed']);

/** Statements met / assessed / total, as the learner's overview counts them (assessed: the assessor decided on some evidence). */
export function progressOf(verdict: Verdict): CaseloadLearner['progress'] {
  const met = verdict.statements.filter((s) => s.status === 'met').length;
  const assessed = verdict.statements.filter((s) => s.status === 'met' || s.status === 'partly-met' || s.reasons.some((r) => DECIDED.has(r.code))).length;
  return { met, assessed, total: verdict.statements.length };
}

function awaitingOf(state: LearnerUnitAssessment, unitId: string, learnerUserId: string): AwaitingItem[] {
  const awaiting: AwaitingItem[] = [];
  for (const { item } of state.evidence) {
    if (item.state !== 'submitted' || item.submittedAt === null) continue;
    const pendingMappings = item.mappings.filter((m) => m.unitId === unitId && m.decision === 'pending').length;
    if (pendingMappings > 0) awaiting.push({ learnerUserId, itemId: item.id, title: item.title, submittedAt: item.submittedAt, pendingMappings });
  }
  return awaiting.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
}

/**
 * Every learner on the course's roster, launched or not, with their progress on the launched unit
 * and the items waiting for the assessor. A learner who never opened Attest has no rows and so
 * shows zero progress; the roster, not our tables, says who is on the course. The whole roster is
 * read in a fixed number of queries (assessCourseLearners, loadGradeStatuses), whatever its size.
 */
export async function getAssessorCaseload(db: Database, unit: Unit, assessor: AssessorScope, roster: readonly RosterMember[], asOf: string): Promise<Omit<AssessorCaseload, 'rosterIsShared'>> {
  const ids = roster.map((m) => m.userId);
  const [launched, assessments, grades] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .selectDistinct({ userId: launches.userId })
          .from(launches)
          .where(and(whereCourse(launches, assessor), inArray(launches.userId, ids))),
    assessCourseLearners(db, unit, assessor, ids, asOf),
    loadGradeStatuses(db, assessor, assessor.lineItemUrl, ids),
  ]);
  const hasLaunched = new Set(launched.map((row) => row.userId));
  const learners: CaseloadLearner[] = [];
  for (const member of roster) {
    const state = assessments.get(member.userId);
    if (!state) throw new Error(`assessCourseLearners returned no assessment for roster learner ${member.userId}`);
    const lastEvidenceAt = state.evidence.reduce<string | null>((latest, { item }) => (latest === null || item.updatedAt > latest ? item.updatedAt : latest), null);
    learners.push({
      userId: member.userId,
      name: member.name,
      email: member.email,
      hasLaunched: hasLaunched.has(member.userId),
      progress: progressOf(state.verdict),
      unitState: state.verdict.state,
      lastEvidenceAt,
      awaiting: awaitingOf(state, unit.id, member.userId),
      signOff: stageOf(state.unitSignatures),
      nextStep: state.nextSteps.assessor,
      grade: grades.get(member.userId) ?? NO_GRADE,
    });
  }
  learners.sort((a, b) => (a.name ?? a.userId).localeCompare(b.name ?? b.userId, 'en'));
  const queue = learners.flatMap((l) => l.awaiting).sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  return { unitId: unit.id, unitTitle: unit.title, learners, queue };
}

/** One learner's unit as the assessor works on it: items to judge, own records, plan, report, signatures, grade. */
export async function getAssessorPortfolio(db: Database, unit: Unit, assessor: AssessorScope, learner: RosterMember, asOf: string): Promise<AssessorPortfolio> {
  const scope = learnerScopeIn(assessor, learner.userId);
  // The evidence is read once, by assessLearnerUnit; the judgements' versions come beside it.
  const [state, judgementVersions, unitFeedback, grade] = await Promise.all([
    assessLearnerUnit(db, unit, scope, asOf),
    loadJudgementVersions(db, scope),
    loadUnitFeedback(db, scope, unit.id),
    getGradeStatus(db, assessor, assessor.lineItemUrl, learner.userId),
  ]);
  return {
    learner: { userId: learner.userId, name: learner.name },
    unitId: unit.id,
    unitTitle: unit.title,
    items: toAssessorItems(state.evidence.map(({ item }) => item), judgementVersions, learner.userId),
    records: state.records,
    witnesses: toWitnessList(state.records),
    verdict: state.verdict,
    actionPlan: state.actionPlan,
    report: state.report,
    unitFeedback,
    signOff: toSignOffState(state.unitSignatures, state.withdrawnSignatures, state.gate, grade),
    nextStep: state.nextSteps.assessor,
  };
}

/** What the learner sees of their assessment: the plan, the assessor's records, the report once written, the signatures. */
export async function getLearnerAssessment(db: Database, unit: Unit, scope: LearnerScope, asOf: string): Promise<LearnerAssessment> {
  const state = await assessLearnerUnit(db, unit, scope, asOf);
  const { grade: _grade, ...signOff } = toSignOffState(state.unitSignatures, state.withdrawnSignatures, state.gate, { state: 'none', activityProgress: null, gradingProgress: null, attempts: 0, lastError: null, updatedAt: null });
  return { unitId: unit.id, actionPlan: state.actionPlan, records: state.records, report: state.report, signOff, nextStep: state.nextSteps.learner };
}
