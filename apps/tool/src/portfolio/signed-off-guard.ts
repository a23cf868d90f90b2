import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { SignedOffDetails } from '@attest/contracts';
import { assessorRecords, evidenceMappings, unitSignatures, whereLearner } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { LearnerScope } from './learner-scope.ts';

// A unit an assessor has signed off (an active assessor signature) is final: the evidence, files and
// mappings the signature rests on cannot change until an assessor reopens the unit. An item is
// covered while it has a mapping to a signed unit; mappings to a signed unit cannot be added or
// removed, so the covered items stay exactly those the signature lists.

/** The learner's signed-off units: unit id → the unit's codes and title as the signature names them. */
export async function findSignedUnits(db: Executor, scope: LearnerScope): Promise<Map<string, string>> {
  const rows = await db
    .select({ unitId: unitSignatures.unitId, content: unitSignatures.signedContent })
    .from(unitSignatures)
    .where(and(whereLearner(unitSignatures, scope), eq(unitSignatures.role, 'assessor'), isNull(unitSignatures.withdrawnAt)));
  return new Map(rows.map((row) => [row.unitId, unitLabel(row.unitId, row.content)]));
}

function unitLabel(unitId: string, content: unknown): string {
  const unit = (content as { unit?: { codes?: unknown; title?: unknown } } | null)?.unit;
  const codes = Array.isArray(unit?.codes) ? unit.codes.filter((c): c is string => typeof c === 'string') : [];
  const title = typeof unit?.title === 'string' ? unit.title : unitId;
  return [...codes, title].join(' ');
}

export function signedOffError(unitId: string, label: string): AppError {
  return new AppError('conflict', `The unit ${label} is signed off, so the evidence, files and mappings its sign-off rests on can no longer change. An assessor must reopen the unit first.`, {
    details: { reason: 'unit_signed_off', unitId, unit: label } satisfies SignedOffDetails,
  });
}

/** 409 if any of these units is signed off for the learner. */
export async function refuseIfUnitsSigned(db: Executor, scope: LearnerScope, unitIds: Iterable<string>): Promise<void> {
  const wanted = new Set(unitIds);
  if (wanted.size === 0) return;
  const signed = await findSignedUnits(db, scope);
  for (const unitId of wanted) {
    const label = signed.get(unitId);
    if (label !== undefined) throw signedOffError(unitId, label);
  }
}

/** The signed-off unit the item is mapped to, if any: its draft, state and files are then frozen. */
export async function findCoveringUnit(db: Executor, scope: LearnerScope, itemId: string): Promise<{ unitId: string; label: string } | null> {
  const signed = await findSignedUnits(db, scope);
  if (signed.size === 0) return null;
  const [mapping] = await db
    .select({ unitId: evidenceMappings.unitId })
    .from(evidenceMappings)
    .where(and(eq(evidenceMappings.itemId, itemId), inArray(evidenceMappings.unitId, [...signed.keys()])))
    .limit(1);
  return mapping ? { unitId: mapping.unitId, label: signed.get(mapping.unitId) ?? mapping.unitId } : null;
}

/** 409 if the item is mapped to a signed-off unit. */
export async function refuseIfItemCovered(db: Executor, scope: LearnerScope, itemId: string): Promise<void> {
  const covering = await findCoveringUnit(db, scope, itemId);
  if (covering) throw signedOffError(covering.unitId, covering.label);
}

/**
 * Whether any signature, active or withdrawn, or any signed assessor record names this file: its
 * bytes are then part of a signed record and are never removed from the file store.
 */
export async function isFileInAnySignature(db: Executor, scope: LearnerScope, fileId: string): Promise<boolean> {
  const inUnit = sql`${unitSignatures.signedContent} @> ${JSON.stringify({ evidence: [{ files: [{ id: fileId }] }] })}::jsonb`;
  const [unit] = await db.select({ id: unitSignatures.id }).from(unitSignatures).where(and(whereLearner(unitSignatures, scope), inUnit)).limit(1);
  if (unit) return true;
  const inRecord = sql`${assessorRecords.signedContent} @> ${JSON.stringify({ files: [{ id: fileId }] })}::jsonb`;
  const [record] = await db.select({ id: assessorRecords.id }).from(assessorRecords).where(and(whereLearner(assessorRecords, scope), inRecord)).limit(1);
  return record !== undefined;
}
