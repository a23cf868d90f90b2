import { asc } from 'drizzle-orm';
import type { AssessorRecord, RecordContent, RecordedSignature } from '@attest/contracts';
import type { EvidenceFactsSource } from '@attest/standards';
import { assessorRecords, whereLearner } from '../db/index.ts';
import type { Executor } from '../db/index.ts';
import type { LearnerScope } from './learner-scope.ts';

export type AssessorRecordRow = typeof assessorRecords.$inferSelect;

export function recordsInScope(scope: LearnerScope) {
  return whereLearner(assessorRecords, scope);
}

/** Every assessor record of the learner in the course, oldest first, each with the record that corrects it. */
export async function loadAssessorRecords(db: Executor, scope: LearnerScope): Promise<AssessorRecord[]> {
  return toAssessorRecords(await db.select().from(assessorRecords).where(recordsInScope(scope)).orderBy(...RECORD_ORDER));
}

/** Oldest first: the order both the one-learner and the course-wide loads read records in. */
export const RECORD_ORDER = [asc(assessorRecords.createdAt), asc(assessorRecords.id)] as const;

/** One learner's record rows, in RECORD_ORDER, as the API shows them, each with the record that corrects it. */
export function toAssessorRecords(rows: readonly AssessorRecordRow[]): AssessorRecord[] {
  const correctedBy = new Map(rows.flatMap((row) => (row.supersedesId === null ? [] : [[row.supersedesId, row.id] as const])));
  return rows.map((row) => toAssessorRecord(row, correctedBy.get(row.id) ?? null));
}

export function toAssessorRecord(row: AssessorRecordRow, supersededBy: string | null): AssessorRecord {
  const signature: RecordedSignature | null =
    row.signedAt === null || row.signedDigest === null
      ? null
      : { role: 'assessor', issuer: row.signerIssuer ?? row.issuer, userId: row.signerUserId ?? row.authorUserId, name: row.signerName, signedAt: row.signedAt.toISOString(), digest: row.signedDigest, signedContent: row.signedContent };
  return {
    id: row.id,
    learnerUserId: row.learnerUserId,
    unitId: row.unitId,
    kind: row.kind as AssessorRecord['kind'],
    method: row.method as AssessorRecord['method'],
    content: row.content as RecordContent,
    targets: row.targets.map((t) => ({ unitId: t.unitId, target: t.target as 'statement' | 'scope-item' | 'evidence-requirement', ref: t.ref })),
    authorUserId: row.authorUserId,
    authorName: row.authorName,
    version: row.version,
    signature,
    supersedes: row.supersedesId,
    supersededBy,
    createdAt: row.createdAt.toISOString(),
  };
}

const AUTHOR_ROLE: Record<AssessorRecord['kind'], EvidenceFactsSource['authorRole']> = {
  observation: 'assessor',
  questioning: 'assessor',
  'professional-discussion': 'assessor',
  'witness-testimony': 'witness',
  'expert-witness': 'expert-witness',
  'prior-achievement': 'assessor',
};

/**
 * The records that count as evidence: signed and not corrected by a later record. An assessor's own
 * record is their judgement already, so each of its targets counts as accepted; the author is the
 * assessor, or the witness for testimony, as the engine's facts distinguish them.
 */
export function toAssessorFactsSources(records: readonly AssessorRecord[]): EvidenceFactsSource[] {
  return records
    .filter((record) => record.signature !== null && record.supersededBy === null)
    .map((record) => {
      const content = record.content;
      const occasion = content.kind === 'prior-achievement' ? null : content;
      return {
        id: `record:${record.id}`,
        method: record.method,
        authorUserId: content.kind === 'witness-testimony' || content.kind === 'expert-witness' ? `witness:${content.witness.name}` : record.authorUserId,
        authorRole: AUTHOR_ROLE[record.kind],
        ...(content.kind === 'witness-testimony' || content.kind === 'expert-witness' ? { witnessStatus: content.witness.status } : {}),
        activityDate: content.date,
        customerRef: occasion?.customerRef ?? null,
        occasionRef: occasion?.occasionRef ?? null,
        // A prior award is not work done in a setting; it is never performance evidence, so the setting rules never read it.
        workSetting: occasion?.workSetting ?? 'real-job',
        mappings: record.targets.map((t) => ({ ...t, decision: 'accepted' as const })),
      };
    });
}
