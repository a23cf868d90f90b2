import { JudgementConflictDetailsSchema, type AssessorEvidenceItem, type EvidenceMapping, type JudgementRequest } from '@attest/contracts';
import type { ApiRequestError } from '../api/api-client.ts';

/** One mapping of the item as the assessor is deciding it; feedback is the textarea's text. */
export interface MappingJudgement {
  unitId: string;
  target: EvidenceMapping['target'];
  ref: string;
  decision: EvidenceMapping['decision'];
  method: EvidenceMapping['method'];
  feedback: string;
}

export const judgementKey = (m: Pick<MappingJudgement, 'unitId' | 'target' | 'ref'>) => `${m.unitId}|${m.target}|${m.ref}`;

/** The item's mappings to the assessor's unit, as the form starts them: the decisions already made. */
export function initialJudgements(item: AssessorEvidenceItem, unitId: string): MappingJudgement[] {
  return item.mappings.filter((m) => m.unitId === unitId).map((m) => ({ unitId: m.unitId, target: m.target, ref: m.ref, decision: m.decision, method: m.method, feedback: m.feedback ?? '' }));
}

/** Errors by judgement key: a referral must say why, since the learner acts on that feedback. */
export function validateJudgements(judgements: readonly MappingJudgement[]): Map<string, string> {
  const errors = new Map<string, string>();
  for (const j of judgements) {
    if (j.decision === 'referred' && j.feedback.trim() === '') errors.set(judgementKey(j), 'Say why this evidence is referred back: the learner sees this feedback.');
  }
  return errors;
}

/**
 * The PUT body: only the mappings whose decision, method or feedback changed, so a save never
 * re-sends (and re-stamps) a decision the assessor did not touch. Null when nothing changed.
 */
export function buildJudgementRequest(item: AssessorEvidenceItem, judgements: readonly MappingJudgement[]): JudgementRequest | null {
  const before = new Map(item.mappings.map((m) => [judgementKey(m), m]));
  const changed = judgements.filter((j) => {
    const old = before.get(judgementKey(j));
    return old === undefined || old.decision !== j.decision || old.method !== j.method || (old.feedback ?? '') !== j.feedback.trim();
  });
  if (changed.length === 0) return null;
  return {
    baseVersion: item.judgementVersion,
    mappings: changed.map((j) => ({ unitId: j.unitId, target: j.target, ref: j.ref, decision: j.decision, method: j.method, feedback: j.feedback.trim() === '' ? null : j.feedback.trim() })),
  };
}

/** The other assessor's copy from a 409, or null when the error is something else. */
export function judgementConflictOf(error: ApiRequestError): AssessorEvidenceItem | null {
  if (error.status !== 409) return null;
  const details = JudgementConflictDetailsSchema.safeParse(error.details);
  return details.success ? details.data.current : null;
}
