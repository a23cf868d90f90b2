import { and, eq, sql } from 'drizzle-orm';
import type { ActionPlan, AssessmentActionPlan, AssessmentReport, AssessmentReportBody } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { assessmentActionPlans, assessmentReports, whereLearnerUnit } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { findActionPlan, findReport } from '../portfolio/load-assessment-documents.ts';
import { loadUnitSignatures } from '../portfolio/load-unit-signatures.ts';
import { lockLearnerUnit } from '../portfolio/portfolio-locks.ts';
import { appendAuditEntry, assessorActor } from '../audit/index.ts';
import type { AuditTransaction } from '../audit/index.ts';
import type { AssessorScope } from './assessor-scope.ts';

// The action plan and the assessment report: one of each per learner and unit, edited by any
// assessor of the course, so every write names the version it read and a stale one is a 409.
// Written here only; read through src/portfolio/load-assessment-documents.ts.

type Table = typeof assessmentActionPlans | typeof assessmentReports;

function keyOf(table: Table, scope: LearnerScope, unitId: string) {
  return whereLearnerUnit(table, scope, unitId);
}

/** The plan's or report's new version in the audit trail; the subject is the learner's unit's document. */
async function auditDocument(tx: AuditTransaction, assessor: AssessorScope, scope: LearnerScope, kind: 'action-plan' | 'report', content: unknown): Promise<void> {
  await appendAuditEntry(tx, {
    tenant: scope,
    contextId: scope.contextId,
    actor: assessorActor(assessor),
    action: kind === 'action-plan' ? 'action-plan.saved' : 'report.saved',
    subject: { type: kind, id: assessor.unitId, label: null, learnerUserId: scope.learnerUserId, unitId: assessor.unitId },
    content,
  });
}

const staleMessage = (what: string) => `Another assessor saved this ${what} after you opened it, so your change was not saved over theirs. Reload to see their version.`;

export async function saveActionPlan(db: Database, assessor: AssessorScope, scope: LearnerScope, request: { baseVersion: number; plan: ActionPlan }): Promise<AssessmentActionPlan> {
  const by = { updatedBy: assessor.userId, updatedByName: assessor.userName };
  const rows = await db.transaction(async (tx) => {
    const written =
      request.baseVersion === 0
        ? await tx.insert(assessmentActionPlans).values({ ...scope, unitId: assessor.unitId, plan: request.plan, version: 1, ...by }).onConflictDoNothing().returning()
        : await tx
            .update(assessmentActionPlans)
            .set({ plan: request.plan, version: sql`${assessmentActionPlans.version} + 1`, ...by, updatedAt: sql`now()` })
            .where(and(keyOf(assessmentActionPlans, scope, assessor.unitId), eq(assessmentActionPlans.version, request.baseVersion)))
            .returning();
    for (const row of written) await auditDocument(tx, assessor, scope, 'action-plan', { plan: row.plan, version: row.version });
    return written;
  });
  const current = await findActionPlan(db, scope, assessor.unitId);
  if (rows.length === 0 || !current) throw new AppError('conflict', staleMessage('action plan'), { details: { current } });
  return current;
}

export async function saveReport(db: Database, assessor: AssessorScope, scope: LearnerScope, request: { baseVersion: number; report: AssessmentReportBody }): Promise<AssessmentReport> {
  const saved = await db.transaction(async (tx) => {
    await lockLearnerUnit(tx, scope, assessor.unitId);
    // The report is part of what the assessor signed: once signed it is the record, not a draft.
    if ((await loadUnitSignatures(tx, scope, assessor.unitId)).has('assessor')) return 'signed' as const;
    const by = { updatedBy: assessor.userId, updatedByName: assessor.userName };
    const rows =
      request.baseVersion === 0
        ? await tx.insert(assessmentReports).values({ ...scope, unitId: assessor.unitId, report: request.report, version: 1, ...by }).onConflictDoNothing().returning()
        : await tx
            .update(assessmentReports)
            .set({ report: request.report, version: sql`${assessmentReports.version} + 1`, ...by, updatedAt: sql`now()` })
            .where(and(keyOf(assessmentReports, scope, assessor.unitId), eq(assessmentReports.version, request.baseVersion)))
            .returning();
    for (const row of rows) await auditDocument(tx, assessor, scope, 'report', { report: row.report, version: row.version });
    return rows.length === 0 ? ('stale' as const) : ('saved' as const);
  });
  const current = await findReport(db, scope, assessor.unitId, saved === 'signed');
  if (saved === 'signed') throw new AppError('conflict', 'The unit is signed off, so its assessment report can no longer change.', { details: { current } });
  if (saved === 'stale' || !current) throw new AppError('conflict', staleMessage('assessment report'), { details: { current } });
  return current;
}
