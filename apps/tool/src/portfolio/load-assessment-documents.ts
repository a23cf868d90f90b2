import type { ActionPlan, AssessmentActionPlan, AssessmentReport, AssessmentReportBody } from '@attest/contracts';
import { assessmentActionPlans, assessmentReports, whereLearnerUnit } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';

// The action plan and the assessment report as both sides read them: the learner's next step
// depends on the report (the sign-off gate), so reading them is the portfolio's; writing them is
// the assessor's (assessment/assessment-documents.ts).

export type ActionPlanRow = typeof assessmentActionPlans.$inferSelect;
export type ReportRow = typeof assessmentReports.$inferSelect;

export async function findActionPlan(db: Executor, scope: LearnerScope, unitId: string): Promise<AssessmentActionPlan | null> {
  const [row] = await db.select().from(assessmentActionPlans).where(whereLearnerUnit(assessmentActionPlans, scope, unitId));
  return toActionPlan(row);
}

export async function findReport(db: Executor, scope: LearnerScope, unitId: string, isSigned: boolean): Promise<AssessmentReport | null> {
  const [row] = await db.select().from(assessmentReports).where(whereLearnerUnit(assessmentReports, scope, unitId));
  return toReport(row, isSigned);
}

export function toActionPlan(row: ActionPlanRow | undefined): AssessmentActionPlan | null {
  return row ? { plan: row.plan as ActionPlan, version: row.version, updatedByName: row.updatedByName, updatedAt: row.updatedAt.toISOString() } : null;
}

export function toReport(row: ReportRow | undefined, isSigned: boolean): AssessmentReport | null {
  return row ? { report: row.report as AssessmentReportBody, version: row.version, isSigned, updatedByName: row.updatedByName, updatedAt: row.updatedAt.toISOString() } : null;
}
