import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { methodOfRecord } from '@attest/contracts';
import type { AssessorRecord, EvidenceMappingTarget, RecordContent } from '@attest/contracts';
import type { Database, Transaction } from '../db/index.ts';
import { assessorRecords } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { MappingTargetCheck } from '../portfolio/check-mapping-targets.ts';
import { findEvidenceFile } from '../portfolio/find-evidence-file.ts';
import { isUuid } from '../portfolio/learner-scope.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { recordsInScope, toAssessorRecord } from '../portfolio/load-assessor-records.ts';
import type { AssessorRecordRow } from '../portfolio/load-assessor-records.ts';
import { refuseIfUnitsSigned } from '../portfolio/signed-off-guard.ts';
import { appendAuditEntry, assessorActor } from '../audit/index.ts';
import type { AuditTransaction } from '../audit/index.ts';
import type { AuditAction } from '@attest/contracts';
import type { AssessorScope } from './assessor-scope.ts';
import { digestOf } from '../db/digest-of.ts';

const notFound = () => new AppError('not_found', 'There is no assessment record with this id for this learner.');

async function lockRecord(tx: Transaction, scope: LearnerScope, recordId: string): Promise<AssessorRecordRow> {
  if (!isUuid(recordId)) throw notFound();
  const [row] = await tx.select().from(assessorRecords).where(and(recordsInScope(scope), eq(assessorRecords.id, recordId))).for('update');
  if (!row) throw notFound();
  return row;
}

async function correctionOf(tx: Transaction, recordId: string): Promise<string | null> {
  const [row] = await tx.select({ id: assessorRecords.id }).from(assessorRecords).where(eq(assessorRecords.supersedesId, recordId));
  return row?.id ?? null;
}

/** A file a record refers to, as its signature names it: enough for a verifier to check the bytes. */
interface SignedFile {
  readonly id: string;
  readonly itemId: string;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

/** Exactly what an assessor's signature on a record covers: who, whose, what, the files it refers to, and when. */
function signatureOf(assessor: AssessorScope, row: Omit<AssessorRecordRow, 'createdAt' | 'updatedAt' | 'signedAt' | 'signerIssuer' | 'signerUserId' | 'signerName' | 'signedDigest' | 'signedContent'>, files: readonly SignedFile[], signedAt: Date) {
  const signedContent = {
    type: 'assessor-record',
    recordId: row.id,
    tenant: { issuer: row.issuer, clientId: row.clientId, deploymentId: row.deploymentId },
    contextId: row.contextId,
    learnerUserId: row.learnerUserId,
    unitId: row.unitId,
    kind: row.kind,
    method: row.method,
    content: row.content,
    targets: row.targets,
    supersedes: row.supersedesId,
    ...(files.length === 0 ? {} : { files }),
    signer: { issuer: assessor.issuer, userId: assessor.userId, name: assessor.userName },
    signedAt: signedAt.toISOString(),
  };
  return { signedAt, signerIssuer: assessor.issuer, signerUserId: assessor.userId, signerName: assessor.userName, signedDigest: digestOf(signedContent), signedContent };
}

/** The record's act in the audit trail; a signed record's content is exactly what was signed. */
async function auditRecord(tx: AuditTransaction, assessor: AssessorScope, action: AuditAction, row: AssessorRecordRow): Promise<void> {
  await appendAuditEntry(tx, {
    tenant: row,
    contextId: row.contextId,
    actor: assessorActor(assessor),
    action,
    subject: { type: 'assessor-record', id: row.id, label: row.kind, learnerUserId: row.learnerUserId, unitId: row.unitId },
    content: action === 'record.signed' ? row.signedContent : { kind: row.kind, method: row.method, content: row.content, targets: row.targets, supersedes: row.supersedesId, version: row.version },
  });
}

/** A discussion's recording must be an audio or video file already in this learner's portfolio; returns the files the record refers to. */
async function checkRecording(tx: Transaction, scope: LearnerScope, content: RecordContent): Promise<SignedFile[]> {
  if (content.kind !== 'professional-discussion' || content.recording === null) return [];
  const { itemId, fileId } = content.recording;
  const refuse = (message: string) => new AppError('invalid_request', message, { details: [{ path: 'content.recording', code: 'unknown_recording' }] });
  const file = await findEvidenceFile(tx, scope, itemId, fileId);
  if (!file) throw refuse('The recording is not a file in this learner’s portfolio.');
  if (!/^(audio|video)\//.test(file.mediaType)) throw refuse('The recording of a professional discussion must be an audio or video file.');
  return [{ id: fileId, itemId, name: file.name, sha256: file.sha256, size: file.size }];
}

/** The record's own unit and every unit it evidences must still be open: a signed-off unit's records are final. */
function unitsOf(unitId: string, targets: readonly { unitId: string }[]): string[] {
  return [unitId, ...targets.map((t) => t.unitId)];
}

export interface CreateRecordInput {
  readonly content: RecordContent;
  readonly targets: readonly EvidenceMappingTarget[];
  readonly sign: boolean;
  readonly supersedes: string | null;
}

/**
 * Records an assessment of the assessor's own (an Appendix 2 form). Signed on creation or later by
 * its author; a correction of a signed record is a new record naming it in `supersedes`, and the
 * corrected one stops counting towards the verdict but stays, signed and unchanged.
 */
export async function createAssessorRecord(db: Database, assessor: AssessorScope, scope: LearnerScope, input: CreateRecordInput, checkTargets: MappingTargetCheck, now: Date): Promise<AssessorRecord> {
  const targets = await checkTargets(input.targets);
  const row = await db.transaction(async (tx) => {
    await refuseIfUnitsSigned(tx, scope, unitsOf(assessor.unitId, targets));
    const files = await checkRecording(tx, scope, input.content);
    if (input.supersedes !== null) {
      const corrected = await lockRecord(tx, scope, input.supersedes).catch(() => {
        throw new AppError('invalid_request', 'The record this corrects is not one of this learner’s records.', { details: [{ path: 'supersedes', code: 'unknown_record' }] });
      });
      if (corrected.signedAt === null) throw new AppError('rule_violation', 'That record is not signed yet: edit it instead of recording a correction.');
      if ((await correctionOf(tx, corrected.id)) !== null) throw new AppError('conflict', 'That record has already been corrected; correct the latest record instead.');
    }
    const base = {
      id: randomUUID(),
      ...scope,
      unitId: assessor.unitId,
      kind: input.content.kind,
      method: methodOfRecord(input.content),
      content: input.content as unknown as Record<string, unknown>,
      targets: targets.map((t) => ({ unitId: t.unitId, target: t.target, ref: t.ref })),
      authorUserId: assessor.userId,
      authorName: assessor.userName,
      version: 1,
      supersedesId: input.supersedes,
    };
    const [inserted] = await tx
      .insert(assessorRecords)
      .values({ ...base, ...(input.sign ? signatureOf(assessor, base, files, now) : {}) })
      .returning();
    if (!inserted) throw new Error('createAssessorRecord: insert returned no row');
    await auditRecord(tx, assessor, 'record.created', inserted);
    if (inserted.signedAt !== null) await auditRecord(tx, assessor, 'record.signed', inserted);
    return inserted;
  });
  return toAssessorRecord(row, null);
}

/** Edits an unsigned record; a signed one never changes (409), whatever the version says. */
export async function updateAssessorRecord(
  db: Database,
  assessor: AssessorScope,
  scope: LearnerScope,
  recordId: string,
  input: { baseVersion: number; content: RecordContent; targets: readonly EvidenceMappingTarget[] },
  checkTargets: MappingTargetCheck,
): Promise<AssessorRecord> {
  const targets = await checkTargets(input.targets);
  const row = await db.transaction(async (tx) => {
    const current = await lockRecord(tx, scope, recordId);
    if (current.signedAt !== null) {
      throw new AppError('conflict', 'This record is signed and cannot change. Record a correction instead: a new record that names this one as the record it supersedes.', { details: { current: toAssessorRecord(current, await correctionOf(tx, current.id)) } });
    }
    if (current.authorUserId !== assessor.userId) throw new AppError('forbidden', 'Only the assessor who made this record can edit it.');
    if (current.kind !== input.content.kind) throw new AppError('invalid_request', 'A record keeps its kind; make a new record instead.', { details: [{ path: 'content.kind', code: 'kind_changed' }] });
    if (current.version !== input.baseVersion) throw new AppError('conflict', 'This record was saved again after you opened it, so your change was not saved over it.', { details: { current: toAssessorRecord(current, null) } });
    await refuseIfUnitsSigned(tx, scope, unitsOf(current.unitId, [...current.targets, ...targets]));
    await checkRecording(tx, scope, input.content);
    const [updated] = await tx
      .update(assessorRecords)
      .set({ content: input.content as unknown as Record<string, unknown>, method: methodOfRecord(input.content), targets: targets.map((t) => ({ unitId: t.unitId, target: t.target, ref: t.ref })), version: current.version + 1, updatedAt: sql`now()` })
      .where(eq(assessorRecords.id, current.id))
      .returning();
    if (!updated) throw new Error('updateAssessorRecord: update returned no row');
    await auditRecord(tx, assessor, 'record.saved', updated);
    return updated;
  });
  return toAssessorRecord(row, null);
}

/** The author signs the version they read; from then on the row is append-only (also enforced by a trigger). */
export async function signAssessorRecord(db: Database, assessor: AssessorScope, scope: LearnerScope, recordId: string, baseVersion: number, now: Date): Promise<AssessorRecord> {
  const row = await db.transaction(async (tx) => {
    const current = await lockRecord(tx, scope, recordId);
    if (current.signedAt !== null) throw new AppError('conflict', 'This record is already signed.', { details: { current: toAssessorRecord(current, await correctionOf(tx, current.id)) } });
    if (current.authorUserId !== assessor.userId) throw new AppError('forbidden', 'Only the assessor who made this record can sign it.');
    if (current.version !== baseVersion) throw new AppError('conflict', 'This record changed after you opened it; read it again before signing.', { details: { current: toAssessorRecord(current, null) } });
    await refuseIfUnitsSigned(tx, scope, unitsOf(current.unitId, current.targets));
    const files = await checkRecording(tx, scope, current.content as unknown as RecordContent);
    const [signed] = await tx.update(assessorRecords).set(signatureOf(assessor, current, files, now)).where(eq(assessorRecords.id, current.id)).returning();
    if (!signed) throw new Error('signAssessorRecord: update returned no row');
    await auditRecord(tx, assessor, 'record.signed', signed);
    return signed;
  });
  return toAssessorRecord(row, null);
}
