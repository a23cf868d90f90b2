import { and, isNull } from 'drizzle-orm';
import type { GradeStatus, RecordedSignature, SignOffGate, SignOffState, WithdrawnSignature } from '@attest/contracts';
import { unitSignatures, unitSignOffs, whereLearnerUnit } from '../db/index.ts';
import type { Transaction } from '../db/index.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { signaturesOf, stageOf } from '../portfolio/load-unit-signatures.ts';
import type { UnitSignatureRole, UnitSignatureRow } from '../portfolio/load-unit-signatures.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { digestOf } from '../db/digest-of.ts';

// The unit's signature chain, written: the candidate's declaration, the assessor's sign-off and
// countersignature, and their withdrawal on reopening. Read through src/portfolio.

export interface SignatureWithdrawal {
  readonly by: { readonly issuer: string; readonly userId: string; readonly name: string | null };
  readonly at: Date;
  readonly reason: string;
}

/**
 * Withdraws every active signature of the unit: the rows stay (the trigger allows only this one
 * change), and the engine's copy in unit_sign_offs goes, so the verdict stops counting them.
 */
export async function withdrawUnitSignatures(tx: Transaction, scope: LearnerScope, unitId: string, withdrawal: SignatureWithdrawal): Promise<UnitSignatureRow[]> {
  const rows = await tx
    .update(unitSignatures)
    .set({ withdrawnAt: withdrawal.at, withdrawnByIssuer: withdrawal.by.issuer, withdrawnByUserId: withdrawal.by.userId, withdrawnByName: withdrawal.by.name, withdrawalReason: withdrawal.reason })
    .where(and(signaturesOf(scope, unitId), isNull(unitSignatures.withdrawnAt)))
    .returning();
  await tx.delete(unitSignOffs).where(whereLearnerUnit(unitSignOffs, scope, unitId));
  // The reopening in the audit trail: who, why, and exactly which signatures it withdrew (by digest).
  await appendAuditEntry(tx, {
    tenant: scope,
    contextId: scope.contextId,
    actor: { type: 'user', userId: withdrawal.by.userId, role: 'assessor', name: withdrawal.by.name },
    action: 'unit.reopened',
    subject: { type: 'unit', id: unitId, label: null, learnerUserId: scope.learnerUserId, unitId },
    content: { reason: withdrawal.reason, withdrawnAt: withdrawal.at.toISOString(), withdrawn: rows.map((row) => ({ id: row.id, role: row.role, digest: row.signedDigest })) },
  });
  return rows;
}

export interface NewUnitSignature {
  readonly role: UnitSignatureRole;
  readonly signer: { readonly issuer: string; readonly userId: string; readonly name: string | null };
  readonly signedAt: Date;
  readonly signedContent: Record<string, unknown>;
  readonly isCountersignatureRequired?: boolean;
}

/** Appends a signature with the digest of exactly what was signed, and the engine's copy of it in unit_sign_offs. */
export async function appendUnitSignature(tx: Transaction, scope: LearnerScope, unitId: string, signature: NewUnitSignature): Promise<UnitSignatureRow> {
  const [row] = await tx
    .insert(unitSignatures)
    .values({
      ...scope,
      unitId,
      role: signature.role,
      signerIssuer: signature.signer.issuer,
      signerUserId: signature.signer.userId,
      signerName: signature.signer.name,
      signedAt: signature.signedAt,
      signedDigest: digestOf(signature.signedContent),
      signedContent: signature.signedContent,
      isCountersignatureRequired: signature.isCountersignatureRequired ?? false,
    })
    .returning();
  if (!row) throw new Error('appendUnitSignature: insert returned no row');
  await tx.insert(unitSignOffs).values({
    ...scope,
    unitId,
    role: signature.role,
    signerUserId: signature.signer.userId,
    signerName: signature.signer.name,
    signedOn: signature.signedAt.toISOString().slice(0, 10),
  });
  // The signature's act in the audit trail; its content is exactly what was signed.
  await appendAuditEntry(tx, {
    tenant: scope,
    contextId: scope.contextId,
    actor: { type: 'user', userId: signature.signer.userId, role: signature.role === 'candidate' ? 'learner' : 'assessor', name: signature.signer.name },
    action: ACTION_OF_ROLE[signature.role],
    subject: { type: 'unit', id: unitId, label: null, learnerUserId: scope.learnerUserId, unitId },
    content: signature.signedContent,
  });
  return row;
}

const ACTION_OF_ROLE = { candidate: 'unit.declared', assessor: 'unit.signed-off', 'assessor-countersignature': 'unit.countersigned' } as const;

export function toRecordedSignature(row: UnitSignatureRow): RecordedSignature {
  return { role: row.role as UnitSignatureRole, issuer: row.signerIssuer, userId: row.signerUserId, name: row.signerName, signedAt: row.signedAt.toISOString(), digest: row.signedDigest, signedContent: row.signedContent };
}

export function toWithdrawnSignature(row: UnitSignatureRow): WithdrawnSignature {
  if (row.withdrawnAt === null || row.withdrawnByUserId === null || row.withdrawalReason === null) throw new Error('toWithdrawnSignature: the signature is not withdrawn');
  return { ...toRecordedSignature(row), withdrawnAt: row.withdrawnAt.toISOString(), withdrawnByUserId: row.withdrawnByUserId, withdrawnByName: row.withdrawnByName, reason: row.withdrawalReason };
}

export function toSignOffState(rows: ReadonlyMap<UnitSignatureRole, UnitSignatureRow>, withdrawn: readonly UnitSignatureRow[], gate: SignOffGate, grade: GradeStatus): SignOffState {
  const pick = (role: UnitSignatureRole) => {
    const row = rows.get(role);
    return row ? toRecordedSignature(row) : null;
  };
  return {
    stage: stageOf(rows),
    candidate: pick('candidate'),
    assessor: pick('assessor'),
    isCountersignatureRequired: rows.get('assessor')?.isCountersignatureRequired ?? false,
    countersignature: pick('assessor-countersignature'),
    withdrawn: withdrawn.map(toWithdrawnSignature),
    gate,
    grade,
  };
}
