import { and, desc, isNotNull, isNull } from 'drizzle-orm';
import type { SignOffState } from '@attest/contracts';
import { unitSignatures, whereLearnerUnit } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';

// The unit's signature chain as both sides read it. Only the assessor's and the candidate's
// signing use cases write it (assessment/unit-signatures.ts).

export type UnitSignatureRow = typeof unitSignatures.$inferSelect;
export type UnitSignatureRole = 'candidate' | 'assessor' | 'assessor-countersignature';

export function signaturesOf(scope: LearnerScope, unitId: string) {
  return whereLearnerUnit(unitSignatures, scope, unitId);
}

/** The unit's active signatures, by role; withdrawn ones no longer count for anything. */
export async function loadUnitSignatures(db: Executor, scope: LearnerScope, unitId: string): Promise<Map<UnitSignatureRole, UnitSignatureRow>> {
  return toActiveSignatures(await db.select().from(unitSignatures).where(and(signaturesOf(scope, unitId), isNull(unitSignatures.withdrawnAt))));
}

/** The active rows among `rows`, by role (one active row per role: the unique index sees to it). */
export function toActiveSignatures(rows: readonly UnitSignatureRow[]): Map<UnitSignatureRole, UnitSignatureRow> {
  return new Map(rows.filter((row) => row.withdrawnAt === null).map((row) => [row.role as UnitSignatureRole, row]));
}

/** Newest withdrawal first (the id only breaks exact ties); active rows, with no withdrawal, sort apart and are filtered out. */
export const WITHDRAWN_ORDER = [desc(unitSignatures.withdrawnAt), desc(unitSignatures.signedAt), desc(unitSignatures.id)] as const;

/** The unit's withdrawn signatures, newest withdrawal first: kept for the record, shown as withdrawn. */
export async function loadWithdrawnSignatures(db: Executor, scope: LearnerScope, unitId: string): Promise<UnitSignatureRow[]> {
  return db
    .select()
    .from(unitSignatures)
    .where(and(signaturesOf(scope, unitId), isNotNull(unitSignatures.withdrawnAt)))
    .orderBy(...WITHDRAWN_ORDER);
}

/** Completed: the assessor signed, and a countersignature was either not needed or given. */
export function stageOf(rows: ReadonlyMap<UnitSignatureRole, UnitSignatureRow>): SignOffState['stage'] {
  const assessor = rows.get('assessor');
  if (!assessor) return 'none';
  if (assessor.isCountersignatureRequired && !rows.has('assessor-countersignature')) return 'awaiting-countersignature';
  return 'completed';
}
