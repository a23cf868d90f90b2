import { z } from 'zod';
import { CalendarDateSchema, safeText } from './safe-text.ts';
import { ASSESSMENT_METHOD_CODES, WORK_SETTINGS, type Verdict } from '@attest/standards';
import { LearnerNextStepSchema } from './next-step.ts';

// The learner's portfolio API (issue 3). A learner sees and changes only their own items, in the
// contexts where they launched; every id below is looked up within the caller's tenant, context
// and user, so another tenant's or learner's id answers 404, never 403 (no existence leak).
// An item mapped to a unit an assessor has signed off (issue 8) is frozen: editing, submitting,
// adding or deleting its files, and adding or removing any item's mappings to that unit answer 409
// with details `SignedOffDetails`, nothing changed, until an assessor reopens the unit.

/** What kind of thing the learner is handing in; the server derives the assessment method from it. */
export const EvidenceTypeSchema = z.enum(['work-product', 'personal-statement', 'photo', 'recording', 'document', 'witness-statement']);
export type EvidenceType = z.infer<typeof EvidenceTypeSchema>;

/**
 * How a learner-supplied item counts, in the seeds' method letters: a witness statement is witness
 * testimony (WT); everything else a candidate brings from work is product evidence (PE). Methods the
 * assessor performs (O, Q, PD…) are recorded by assessors, not learners.
 */
export function methodOfEvidenceType(type: EvidenceType): 'PE' | 'WT' {
  return type === 'witness-statement' ? 'WT' : 'PE';
}

export const WorkSettingSchema = z.enum(WORK_SETTINGS);

/** A mapping of one item to one requirement of one unit (possibly another unit of the same course). */
export const EvidenceMappingTargetSchema = z.strictObject({
  unitId: safeText().min(1),
  target: z.enum(['statement', 'scope-item', 'evidence-requirement']),
  /** The requirement's key as the engine's verdict names it (statement ref, `2.b`, `4.a`). */
  ref: safeText().min(1).max(64),
});
export type EvidenceMappingTarget = z.infer<typeof EvidenceMappingTargetSchema>;

export const EvidenceMappingSchema = EvidenceMappingTargetSchema.extend({
  decision: z.enum(['pending', 'accepted', 'referred']),
  feedback: safeText().nullable(),
  method: z.enum(ASSESSMENT_METHOD_CODES),
});
export type EvidenceMapping = z.infer<typeof EvidenceMappingSchema>;

export const EvidenceFileSchema = z.object({
  id: safeText(),
  /** The name as the learner gave it, cleaned for display; never used as a storage path. */
  name: safeText(),
  mediaType: safeText(),
  size: z.number().int().positive(),
  sha256: safeText(),
  uploadedAt: safeText(),
});
export type EvidenceFile = z.infer<typeof EvidenceFileSchema>;

export const FeedbackSchema = z.object({ id: safeText(), authorName: safeText().nullable(), text: safeText(), createdAt: safeText(), actionPlan: safeText().nullable() });
export type Feedback = z.infer<typeof FeedbackSchema>;

/** The fields a learner edits. Dates are calendar dates (YYYY-MM-DD) of the work itself. */
export const EvidenceDraftSchema = z.strictObject({
  title: safeText().trim().min(1, 'Give the evidence a title').max(200),
  description: safeText().max(20_000),
  evidenceType: EvidenceTypeSchema,
  activityDate: CalendarDateSchema,
  /** Learner's own label for the customer ("Mrs P, returns desk"), so distinct customers can be shown. */
  customerRef: safeText().trim().max(200).nullable(),
  /** Learner's own label for the occasion ("Saturday 3 May rush"), for "different occasions". */
  occasionRef: safeText().trim().max(200).nullable(),
  workSetting: WorkSettingSchema,
});
export type EvidenceDraft = z.infer<typeof EvidenceDraftSchema>;

export const EvidenceItemSchema = EvidenceDraftSchema.extend({
  id: safeText(),
  /** Increases on every change; a write must name the version it was based on (409 otherwise). */
  version: z.number().int().positive(),
  state: z.enum(['draft', 'submitted']),
  method: z.enum(ASSESSMENT_METHOD_CODES),
  files: z.array(EvidenceFileSchema),
  mappings: z.array(EvidenceMappingSchema),
  feedback: z.array(FeedbackSchema),
  submittedAt: safeText().nullable(),
  createdAt: safeText(),
  updatedAt: safeText(),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

/** POST /api/evidence — create a draft. */
export const CreateEvidenceRequestSchema = EvidenceDraftSchema;
/** PUT /api/evidence/:id — save (autosave) a draft or edit a submitted item (which reopens it). */
export const UpdateEvidenceRequestSchema = z.strictObject({ baseVersion: z.number().int().positive(), draft: EvidenceDraftSchema });
/** PUT /api/evidence/:id/mappings — replace the item's mappings (decisions of unchanged ones are kept). */
export const UpdateMappingsRequestSchema = z.strictObject({ baseVersion: z.number().int().positive(), mappings: z.array(EvidenceMappingTargetSchema).max(500) });
/** The candidate's authenticity declaration, worded as in the seeds' recording documents. */
export const AUTHENTICITY_DECLARATION = 'I confirm that the evidence provided is a result of my own work';
/** POST /api/evidence/:id/submit */
export const SubmitEvidenceRequestSchema = z.strictObject({ baseVersion: z.number().int().positive(), declaration: z.literal(AUTHENTICITY_DECLARATION) });

/** 409 body details: the server's current copy, so the UI can show both versions. */
export const EvidenceConflictDetailsSchema = z.object({ current: EvidenceItemSchema, conflictCopyId: safeText() });

/** GET /api/evidence/:id/history — every saved version, newest first, including kept conflict copies. */
export const EvidenceRevisionSchema = z.object({ version: z.number().int(), kind: z.enum(['saved', 'submitted', 'reopened', 'conflict-copy']), savedAt: safeText(), draft: EvidenceDraftSchema });
export const EvidenceHistorySchema = z.array(EvidenceRevisionSchema);

/** A unit of the learner's course they may map evidence to (they launched it, or it is placed in the same context). */
export const PortfolioUnitSchema = z.object({ unitId: safeText(), title: safeText(), codes: z.array(safeText()) });

/**
 * What a learner keeps in this course against their quota (bytes of files, evidence items), and
 * what is left; the server refuses an upload or a new item that would pass a limit.
 */
export const StorageUsageSchema = z.object({
  bytesUsed: z.number().int().nonnegative(),
  bytesLimit: z.number().int().positive(),
  bytesLeft: z.number().int().nonnegative(),
  itemsUsed: z.number().int().nonnegative(),
  itemsLimit: z.number().int().positive(),
  itemsLeft: z.number().int().nonnegative(),
});
export type StorageUsage = z.infer<typeof StorageUsageSchema>;

/** GET /api/portfolio — the launched unit's evidence and the server's authoritative verdict. */
export const PortfolioSchema = z.object({
  unitId: safeText(),
  units: z.array(PortfolioUnitSchema),
  items: z.array(EvidenceItemSchema),
  verdict: z.custom<Verdict>((value) => typeof value === 'object' && value !== null && 'statements' in value),
  signedOff: z.object({ at: safeText(), byName: safeText().nullable() }).nullable(),
  /** Units of the course an assessor has signed off for this learner: items mapped to them cannot change. */
  signedUnits: z.array(z.object({ unitId: safeText(), label: safeText() })),
  unitFeedback: z.array(FeedbackSchema),
  /** The learner's next step on this unit, from the same sign-off gate the assessor's sign-off applies. */
  nextStep: LearnerNextStepSchema,
  usage: StorageUsageSchema,
});
export type Portfolio = z.infer<typeof PortfolioSchema>;

/** 409 details when a write would change what a signed-off unit rests on. */
export const SignedOffDetailsSchema = z.object({ reason: z.literal('unit_signed_off'), unitId: safeText(), unit: safeText() });
export type SignedOffDetails = z.infer<typeof SignedOffDetailsSchema>;

/** Upload limits the server enforces; the UI shows them before a learner picks a file. */
export const UPLOAD_LIMITS = { maxFileBytes: 100 * 1024 * 1024, maxFilesPerItem: 20, maxNameBytes: 255 } as const;
