import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { AuditActionSchema, AuditActorTypeSchema } from '@attest/contracts';
import type { LearnerHistory } from '@attest/contracts';
import type { Executor } from '../db/index.ts';
import { auditEntries } from '../db/index.ts';
import type { RosterMember } from '../domain/ports.ts';
import type { AssessorScope } from './assessor-scope.ts';

/**
 * Who did what, when, on one learner's unit: the audit entries of this learner in the assessor's
 * tenant and course, for the launched unit or for no unit in particular (evidence items, which may
 * serve several units). Oldest first. The learner's name comes from the roster; others' names are
 * the ones recorded with their entries.
 */
export async function getLearnerHistory(db: Executor, assessor: AssessorScope, learner: RosterMember): Promise<LearnerHistory> {
  const rows = await db
    .select()
    .from(auditEntries)
    .where(
      and(
        eq(auditEntries.issuer, assessor.issuer),
        eq(auditEntries.clientId, assessor.clientId),
        eq(auditEntries.deploymentId, assessor.deploymentId),
        eq(auditEntries.contextId, assessor.contextId),
        eq(auditEntries.learnerUserId, learner.userId),
        or(eq(auditEntries.unitId, assessor.unitId), isNull(auditEntries.unitId)),
      ),
    )
    .orderBy(asc(auditEntries.sequence));
  return {
    learnerUserId: learner.userId,
    unitId: assessor.unitId,
    entries: rows.map((row) => ({
      sequence: row.sequence,
      action: AuditActionSchema.parse(row.action),
      actor: {
        type: AuditActorTypeSchema.parse(row.actorType),
        userId: row.actorUserId,
        name: row.actorUserId !== null && row.actorUserId === learner.userId ? (learner.name ?? row.actorName) : row.actorName,
        role: row.actorRole,
      },
      subject: { type: row.subjectType, id: row.subjectId, label: row.subjectLabel },
      recordedAt: row.recordedAt.toISOString(),
    })),
  };
}
