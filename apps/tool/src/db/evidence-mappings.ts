import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import { evidenceMappings } from './schema/index.ts';
import type { MappingDecision } from './schema/index.ts';

// `evidence_mappings` is the one table both features write (docs/decisions/0012): the learner says
// which requirements an item evidences (the rows, and the method of those nobody has decided), the
// assessor decides each one (decision, method, feedback, who and when). Every write goes through
// these functions, so which side writes which columns is visible in one file.

export type EvidenceMappingRow = typeof evidenceMappings.$inferSelect;

/** Which requirement of which unit: the key of a mapping within its item. */
export interface MappingKey {
  readonly unitId: string;
  readonly target: string;
  readonly ref: string;
}

const ofMapping = (itemId: string, m: MappingKey) =>
  and(eq(evidenceMappings.itemId, itemId), eq(evidenceMappings.unitId, m.unitId), eq(evidenceMappings.target, m.target), eq(evidenceMappings.ref, m.ref));

/** The item's mappings, in the order they were made. */
export async function loadItemMappings(db: Executor, itemId: string): Promise<EvidenceMappingRow[]> {
  return db.select().from(evidenceMappings).where(eq(evidenceMappings.itemId, itemId)).orderBy(asc(evidenceMappings.createdAt), asc(evidenceMappings.unitId), asc(evidenceMappings.ref));
}

// The learner's writes.

/** New mappings, pending, counting as the item's method until an assessor decides otherwise. */
export async function addItemMappings(db: Executor, itemId: string, keys: readonly MappingKey[], method: string): Promise<void> {
  if (keys.length === 0) return;
  await db.insert(evidenceMappings).values(keys.map((k) => ({ itemId, unitId: k.unitId, target: k.target, ref: k.ref, method })));
}

export async function removeItemMapping(db: Executor, itemId: string, key: MappingKey): Promise<void> {
  await db.delete(evidenceMappings).where(ofMapping(itemId, key));
}

/** Reopening the item sends every decision back to pending: the assessor judged content that is now changing. */
export async function withdrawMappingDecisions(db: Executor, itemId: string): Promise<void> {
  await db.update(evidenceMappings).set({ decision: 'pending', decidedBy: null, decidedAt: null }).where(eq(evidenceMappings.itemId, itemId));
}

/** Mappings nobody has decided follow the item's method (a photo turned witness statement is WT). */
export async function followItemMethod(db: Executor, itemId: string, method: string): Promise<void> {
  await db.update(evidenceMappings).set({ method }).where(and(eq(evidenceMappings.itemId, itemId), eq(evidenceMappings.decision, 'pending')));
}

// The assessor's write.

export interface MappingJudgement {
  readonly decision: MappingDecision;
  readonly method: string;
  readonly feedback: string | null;
  /** The assessor who decided; null when the judgement puts the mapping back to pending. */
  readonly decidedBy: string | null;
}

/** The assessor's decision on one mapping, stamped now unless it is back to pending. */
export async function decideItemMapping(db: Executor, itemId: string, key: MappingKey, judgement: MappingJudgement): Promise<void> {
  await db
    .update(evidenceMappings)
    .set({ decision: judgement.decision, method: judgement.method, feedback: judgement.feedback, decidedBy: judgement.decidedBy, decidedAt: judgement.decidedBy === null ? null : sql`now()` })
    .where(ofMapping(itemId, key));
}
