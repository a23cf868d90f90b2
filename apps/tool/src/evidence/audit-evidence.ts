import { appendAuditEntry, learnerActor } from '../audit/index.ts';
import type { AuditTransaction } from '../audit/index.ts';
import type { AuditAction } from '@attest/contracts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';

/** One learner act on their portfolio, in the audit trail: the subject is an item or one of its files. */
export async function auditEvidence(
  tx: AuditTransaction,
  scope: LearnerScope,
  action: AuditAction,
  subject: { readonly type: 'evidence' | 'evidence-file'; readonly id: string; readonly label: string | null },
  content: unknown,
): Promise<void> {
  await appendAuditEntry(tx, {
    tenant: scope,
    contextId: scope.contextId,
    actor: learnerActor(scope),
    action,
    subject: { ...subject, learnerUserId: scope.learnerUserId },
    content,
  });
}
