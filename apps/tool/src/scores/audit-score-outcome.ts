import { and, eq } from 'drizzle-orm';
import { appendAuditEntry, systemActor } from '../audit/index.ts';
import type { AuditTransaction } from '../audit/index.ts';
import { auditEntries } from '../db/index.ts';
import type { ScorePassbackRow } from './create-score-passback.ts';

/**
 * A delivery's outcome in the audit trail, by the score worker. The passback row knows no course;
 * the entry that queued it does, so the outcome lands in the same learner's unit history.
 */
export async function auditScoreOutcome(tx: AuditTransaction, row: ScorePassbackRow, outcome: 'sent' | 'failed', detail: { readonly status: number | null; readonly error: string | null }): Promise<void> {
  const [queued] = await tx
    .select({ contextId: auditEntries.contextId, unitId: auditEntries.unitId })
    .from(auditEntries)
    .where(and(eq(auditEntries.issuer, row.issuer), eq(auditEntries.clientId, row.clientId), eq(auditEntries.action, 'score.queued'), eq(auditEntries.subjectType, 'score'), eq(auditEntries.subjectId, row.id)))
    .limit(1);
  await appendAuditEntry(tx, {
    tenant: row,
    contextId: queued?.contextId ?? null,
    actor: systemActor('score-worker'),
    action: outcome === 'sent' ? 'score.sent' : 'score.failed',
    subject: { type: 'score', id: row.id, label: row.lineItemUrl, learnerUserId: row.learnerUserId, unitId: queued?.unitId ?? null },
    content: { passbackId: row.id, state: outcome, lastStatus: detail.status, lastError: detail.error },
  });
}
