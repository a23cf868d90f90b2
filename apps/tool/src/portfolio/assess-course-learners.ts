import { and, eq, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Unit } from '@attest/standards';
import { assessmentActionPlans, assessmentReports, assessorRecords, unitSignatures, unitSignOffs, whereCourse } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import { loadCourseEvidenceRecords } from './load-evidence-items.ts';
import type { CourseKey } from './learner-scope.ts';
import { toLearnerUnitAssessment } from './assess-learner-unit.ts';
import type { LearnerUnitAssessment } from './assess-learner-unit.ts';
import { toActionPlan, toReport } from './load-assessment-documents.ts';
import { toLearnerUnitEvaluation } from './evaluate-learner-unit.ts';
import { RECORD_ORDER, toAssessorRecords } from './load-assessor-records.ts';
import { WITHDRAWN_ORDER, toActiveSignatures } from './load-unit-signatures.ts';


/** Rows grouped by learner, each group in the order the query returned them. */
function byLearner<Row extends { readonly learnerUserId: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.learnerUserId);
    if (group) group.push(row);
    else groups.set(row.learnerUserId, [row]);
  }
  return groups;
}

/**
 * Every listed learner's unit as assessLearnerUnit sees it, for a whole course at once: one query
 * per table for all of them (evidence items with their files, mappings and feedback; assessor
 * records; the engine's sign-offs; signatures, withdrawn ones included; action plans; reports),
 * however many learners there are, then per learner the same pure functions the one-learner path
 * ends in (toLearnerUnitEvaluation, toLearnerUnitAssessment), so the caseload's row and the
 * learner's own page cannot disagree. Every listed learner is in the result, with nothing loaded
 * for one who never opened Attest.
 */
export async function assessCourseLearners(db: Executor, unit: Unit, course: CourseKey, learnerUserIds: readonly string[], asOf: string): Promise<Map<string, LearnerUnitAssessment>> {
  if (learnerUserIds.length === 0) return new Map();
  const ids = [...new Set(learnerUserIds)];
  const ofUnit = (table: Parameters<typeof whereCourse>[0] & { readonly learnerUserId: PgColumn; readonly unitId: PgColumn }) =>
    and(whereCourse(table, course), eq(table.unitId, unit.id), inArray(table.learnerUserId, ids));
  const [evidence, recordRows, signOffRows, signatureRows, planRows, reportRows] = await Promise.all([
    loadCourseEvidenceRecords(db, course, ids),
    db
      .select()
      .from(assessorRecords)
      .where(and(whereCourse(assessorRecords, course), inArray(assessorRecords.learnerUserId, ids)))
      .orderBy(...RECORD_ORDER),
    db.select().from(unitSignOffs).where(ofUnit(unitSignOffs)),
    db.select().from(unitSignatures).where(ofUnit(unitSignatures)).orderBy(...WITHDRAWN_ORDER),
    db.select().from(assessmentActionPlans).where(ofUnit(assessmentActionPlans)),
    db.select().from(assessmentReports).where(ofUnit(assessmentReports)),
  ]);
  const records = byLearner(recordRows);
  const signOffs = byLearner(signOffRows);
  const signatures = byLearner(signatureRows);
  const plans = new Map(planRows.map((row) => [row.learnerUserId, row]));
  const reports = new Map(reportRows.map((row) => [row.learnerUserId, row]));

  const assessments = new Map<string, LearnerUnitAssessment>();
  for (const learnerUserId of ids) {
    const evaluation = toLearnerUnitEvaluation(unit, { evidence: evidence.get(learnerUserId) ?? [], records: toAssessorRecords(records.get(learnerUserId) ?? []), signOffRows: signOffs.get(learnerUserId) ?? [] }, asOf);
    const learnerSignatures = signatures.get(learnerUserId) ?? [];
    const active = toActiveSignatures(learnerSignatures);
    assessments.set(
      learnerUserId,
      toLearnerUnitAssessment(unit, evaluation, {
        unitSignatures: active,
        withdrawnSignatures: learnerSignatures.filter((row) => row.withdrawnAt !== null),
        actionPlan: toActionPlan(plans.get(learnerUserId)),
        report: toReport(reports.get(learnerUserId), active.has('assessor')),
      }),
    );
  }
  return assessments;
}

