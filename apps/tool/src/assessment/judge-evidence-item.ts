import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AssessorEvidenceItem, EvidenceItem, JudgementRequest } from '@attest/contracts';
import { decideItemMapping, evidenceFeedback, evidenceItems, evidenceJudgements, loadItemMappings } from '../db/index.ts';
import type { Database, Executor } from '../db/index.ts';
import { AppError } from '../errors/app-error.ts';
import { findItemLearner } from '../portfolio/find-item-learner.ts';
import type { LearnerScope } from '../portfolio/learner-scope.ts';
import { inScope, loadEvidenceItems } from '../portfolio/load-evidence-items.ts';
import { lockLearnerItem } from '../portfolio/portfolio-locks.ts';
import { refuseIfUnitsSigned } from '../portfolio/signed-off-guard.ts';
import { appendAuditEntry, assessorActor } from '../audit/index.ts';
import type { AssessorScope } from './assessor-scope.ts';

const notFound = () => new AppError('not_found', 'There is no evidence with this id in your course.');

/** Learner items as an assessor sees them: with the judgement's version and whose they are. */
export async function loadAssessorItems(db: Executor, scope: LearnerScope, ids?: readonly string[]): Promise<AssessorEvidenceItem[]> {
  const items = await loadEvidenceItems(db, scope, ids);
  if (items.length === 0) return [];
  const versions = await db.select().from(evidenceJudgements).where(inArray(evidenceJudgements.itemId, items.map((i) => i.id)));
  return toAssessorItems(items, new Map(versions.map((v) => [v.itemId, v.version])), scope.learnerUserId);
}

/** The judgement version of each of the learner's judged items, by item id (an item never judged has none). */
export async function loadJudgementVersions(db: Executor, scope: LearnerScope): Promise<Map<string, number>> {
  const rows = await db
    .select({ itemId: evidenceJudgements.itemId, version: evidenceJudgements.version })
    .from(evidenceJudgements)
    .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceJudgements.itemId))
    .where(inScope(scope));
  return new Map(rows.map((row) => [row.itemId, row.version]));
}

/** The learner's items as the assessor sees them, from items already loaded and their judgement versions. */
export function toAssessorItems(items: readonly EvidenceItem[], judgementVersions: ReadonlyMap<string, number>, learnerUserId: string): AssessorEvidenceItem[] {
  return items.map((item) => ({ ...item, judgementVersion: judgementVersions.get(item.id) ?? 0, learnerUserId }));
}

const identity = (m: { unitId: string; target: string; ref: string }) => `${m.unitId}\u0000${m.target}\u0000${m.ref}`;

/**
 * Accepts or refers the item's mappings to the launched unit, with feedback and the method used.
 * The judgement has its own version (not the learner's item version), so judging never makes the
 * learner's next autosave a conflict, while two assessors judging at once cannot both win: the
 * second's write names a version that is gone and gets a 409 with the first one's decisions. The
 * request also names the learner's item version the assessor read: a judgement never lands on
 * content the learner changed since (409 with both versions, nothing saved). Once the unit is
 * signed off its judgements are final (409) until an assessor reopens it.
 */
export async function judgeEvidenceItem(db: Database, assessor: AssessorScope, itemId: string, request: JudgementRequest): Promise<AssessorEvidenceItem> {
  const scope = await findItemLearner(db, assessor, itemId);
  if (!scope) throw notFound();
  const outcome = await db.transaction(async (tx) => {
    const item = await lockLearnerItem(tx, scope, itemId);
    if (!item) return 'missing' as const;
    await refuseIfUnitsSigned(tx, scope, [assessor.unitId]);
    if (request.itemVersion !== item.version) return 'item-changed' as const;
    if (item.state !== 'submitted') throw new AppError('rule_violation', 'This evidence is still a draft: the learner has not submitted it for assessment.');
    const claimed =
      request.baseVersion === 0
        ? await tx.insert(evidenceJudgements).values({ itemId, version: 1, judgedBy: assessor.userId }).onConflictDoNothing().returning()
        : await tx
            .update(evidenceJudgements)
            .set({ version: sql`${evidenceJudgements.version} + 1`, judgedBy: assessor.userId, judgedAt: sql`now()` })
            .where(and(eq(evidenceJudgements.itemId, itemId), eq(evidenceJudgements.version, request.baseVersion)))
            .returning();
    if (claimed.length === 0) return 'stale' as const;

    const existing = new Set((await loadItemMappings(tx, itemId)).map(identity));
    for (const [position, mapping] of request.mappings.entries()) {
      if (mapping.unitId !== assessor.unitId) {
        throw new AppError('invalid_request', 'You can judge this item only against the unit you opened.', { details: [{ path: `mappings.${position}.unitId`, code: 'other_unit' }] });
      }
      if (!existing.has(identity(mapping))) {
        throw new AppError('invalid_request', `The learner has not mapped this item to ${mapping.ref}.`, { details: [{ path: `mappings.${position}.ref`, code: 'unknown_mapping' }] });
      }
      await decideItemMapping(tx, itemId, mapping, { decision: mapping.decision, method: mapping.method, feedback: mapping.feedback, decidedBy: mapping.decision === 'pending' ? null : assessor.userId });
    }
    await appendAuditEntry(tx, {
      tenant: scope,
      contextId: scope.contextId,
      actor: assessorActor(assessor),
      action: 'evidence.judged',
      subject: { type: 'evidence', id: itemId, label: item.title, learnerUserId: scope.learnerUserId, unitId: assessor.unitId },
      content: { judgementVersion: claimed[0]?.version ?? null, mappings: request.mappings },
    });
    return 'judged' as const;
  });
  const [current] = await loadAssessorItems(db, scope, [itemId]);
  if (outcome === 'missing' || !current) throw notFound();
  if (outcome === 'item-changed') {
    throw new AppError('conflict', `The learner changed this evidence after you opened it (version ${request.itemVersion} → ${current.version}), so your judgement was not saved. Read the current version and judge it.`, {
      details: { reason: 'item_changed', readVersion: request.itemVersion, currentVersion: current.version, current },
    });
  }
  if (outcome === 'stale') {
    throw new AppError('conflict', 'Another assessor judged this evidence after you opened it, so your decisions were not saved over theirs. Their decisions are shown; judge again if you disagree.', { details: { current } });
  }
  return current;
}

/** Feedback and an action plan for the learner, on one item of theirs or on the unit as a whole. */
export async function addAssessorFeedback(db: Database, assessor: AssessorScope, scope: LearnerScope, input: { itemId: string | null; text: string; actionPlan: string | null }) {
  if (input.itemId !== null) {
    const owner = await findItemLearner(db, assessor, input.itemId);
    if (!owner || owner.learnerUserId !== scope.learnerUserId) throw notFound();
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evidenceFeedback)
      .values({ ...scope, itemId: input.itemId, unitId: input.itemId === null ? assessor.unitId : null, authorUserId: assessor.userId, authorName: assessor.userName, text: input.text, actionPlan: input.actionPlan })
      .returning();
    if (!row) throw new Error('addAssessorFeedback: insert returned no row');
    await appendAuditEntry(tx, {
      tenant: scope,
      contextId: scope.contextId,
      actor: assessorActor(assessor),
      action: 'feedback.added',
      subject: { type: 'feedback', id: row.id, label: null, learnerUserId: scope.learnerUserId, unitId: assessor.unitId },
      content: { itemId: input.itemId, text: input.text, actionPlan: input.actionPlan },
    });
    return row;
  });
}
