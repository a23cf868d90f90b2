import { z } from 'zod';
import { ItemChangedDetailsSchema, JudgementConflictDetailsSchema, JudgementRequestSchema, type AssessorEvidenceItem, type EvidenceMapping, type ItemChangedDetails, type JudgementRequest } from '@attest/contracts';
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

export const REFERRAL_NEEDS_FEEDBACK = 'Say why this evidence is referred back: the learner sees this feedback.';

const isReferralWithoutFeedback = (j: Pick<MappingJudgement, 'decision' | 'feedback'>) => j.decision === 'referred' && j.feedback.trim() === '';

/** Errors by judgement key: a referral must say why, since the learner acts on that feedback. */
export function validateJudgements(judgements: readonly MappingJudgement[]): Map<string, string> {
  const errors = new Map<string, string>();
  for (const j of judgements) if (isReferralWithoutFeedback(j)) errors.set(judgementKey(j), REFERRAL_NEEDS_FEEDBACK);
  return errors;
}

/** The judgement form's fields: one entry per mapping of the item to this unit. */
export interface JudgementForm {
  judgements: MappingJudgement[];
}

/**
 * The form's decisions as the contract's PUT body for the item version the assessor read: a
 * referral without feedback is refused at its own row (`judgements.N.feedback`), then only the
 * changed mappings are sent, checked by JudgementRequestSchema itself. Null when nothing changed.
 */
export function judgementFormSchema(read: AssessorEvidenceItem) {
  return z
    .object({
      judgements: z.array(
        z
          .object({
            // Carried as read: the item's own mapping, never typed by the assessor.
            unitId: z.string(),
            target: z.custom<MappingJudgement['target']>(),
            ref: z.string(),
            decision: z.enum(['pending', 'accepted', 'referred']),
            method: z.custom<MappingJudgement['method']>((value) => typeof value === 'string'),
            feedback: z.string(),
          })
          .refine((j) => !isReferralWithoutFeedback(j), { message: REFERRAL_NEEDS_FEEDBACK, path: ['feedback'] }),
      ),
    })
    .transform((form) => buildJudgementRequest(read, form.judgements))
    .pipe(JudgementRequestSchema.nullable());
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
    // The learner's version the assessor read: a judgement never lands on content changed since.
    itemVersion: item.version,
    mappings: changed.map((j) => ({ unitId: j.unitId, target: j.target, ref: j.ref, decision: j.decision, method: j.method, feedback: j.feedback.trim() === '' ? null : j.feedback.trim() })),
  };
}

/** The learner's change from a 409 (the item changed since the assessor read it), or null when the error is something else. */
export function itemChangeOf(error: ApiRequestError): ItemChangedDetails | null {
  if (error.status !== 409) return null;
  const details = ItemChangedDetailsSchema.safeParse(error.details);
  return details.success ? details.data : null;
}

const draftFieldNames = { title: 'Title', description: 'Account', evidenceType: 'Type of evidence', activityDate: 'Date of the activity', customerRef: 'Customer', occasionRef: 'Occasion', workSetting: 'Work setting' } as const;

/** What the learner changed between the version the assessor read and the current one, in words. */
export function describeItemChanges(read: AssessorEvidenceItem, current: AssessorEvidenceItem): string[] {
  const changes: string[] = [];
  for (const [field, name] of Object.entries(draftFieldNames) as [keyof typeof draftFieldNames, string][]) {
    if (read[field] !== current[field]) changes.push(`${name} changed`);
  }
  const readFiles = new Map(read.files.map((f) => [f.id, f]));
  const currentFiles = new Map(current.files.map((f) => [f.id, f]));
  for (const file of current.files) if (!readFiles.has(file.id)) changes.push(`File added: ${file.name}`);
  for (const file of read.files) if (!currentFiles.has(file.id)) changes.push(`File removed: ${file.name}`);
  const key = (m: EvidenceMapping) => judgementKey(m);
  const readMappings = new Set(read.mappings.map(key));
  const currentMappings = new Set(current.mappings.map(key));
  for (const m of current.mappings) if (!readMappings.has(key(m))) changes.push(`Now mapped to ${m.ref}`);
  for (const m of read.mappings) if (!currentMappings.has(key(m))) changes.push(`No longer mapped to ${m.ref}`);
  return changes;
}

/** The other assessor's copy from a 409, or null when the error is something else. */
export function judgementConflictOf(error: ApiRequestError): AssessorEvidenceItem | null {
  if (error.status !== 409 || itemChangeOf(error) !== null) return null;
  const details = JudgementConflictDetailsSchema.safeParse(error.details);
  return details.success ? details.data.current : null;
}
