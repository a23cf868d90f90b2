import { z } from 'zod';
import { CalendarDateSchema, safeText } from './safe-text.ts';
import { ASSESSMENT_METHOD_CODES, WORK_SETTINGS, type Verdict } from '@attest/standards';
import { EvidenceItemSchema, EvidenceMappingTargetSchema, FeedbackSchema } from './evidence.ts';
import { AssessorNextStepSchema, LearnerNextStepSchema } from './next-step.ts';

// The assessor's API. Every /api/assessor route needs an Instructor (or Administrator)
// resource-link launch of a unit activity in a course: the unit is the launch's unit, the learners
// are the course's NRPS roster. A learner's launch gets 403; a user id that is not a learner of the
// launched course (another course, another tenant) gets 404, never 403 (no existence leak).
// Each route's method, path, body, answer and error details are in the route table (routes.ts).

const Version = z.number().int().min(0);
const Text = (max: number) => safeText().trim().min(1).max(max);

/** The unit-level statements of the seeds' unit sign-off block (seed 000), signed verbatim. */
export const CANDIDATE_UNIT_DECLARATION = 'I confirm that the evidence provided is a result of my own work';
export const ASSESSOR_UNIT_DECLARATION = 'I confirm that the candidate has demonstrated competence by satisfying all of the criteria for this unit';

/** AGS score delivery for one learner on this activity's line item ('none': nothing sent yet). */
export const GradeStatusSchema = z.object({
  state: z.enum(['none', 'pending', 'sent', 'failed']),
  activityProgress: safeText().nullable(),
  gradingProgress: safeText().nullable(),
  attempts: z.number().int(),
  /** The LMS's answer when it refused or failed ("LMS answered 503: …"). */
  lastError: safeText().nullable(),
  updatedAt: safeText().nullable(),
  /**
   * Canvas: a grade a tutor entered by hand in SpeedGrader, which the gradebook keeps instead of
   * Attest's (Attest never overwrites or clears it); on the 0–100 scale. Absent or null otherwise.
   */
  keptGraderScore: z.number().nullable().optional(),
});
export type GradeStatus = z.infer<typeof GradeStatusSchema>;

export const ProgressSchema = z.object({ met: z.number().int(), assessed: z.number().int(), total: z.number().int() });

export const AwaitingItemSchema = z.object({
  learnerUserId: safeText(),
  itemId: safeText(),
  title: safeText(),
  submittedAt: safeText(),
  /** Mappings to this unit still awaiting a decision. */
  pendingMappings: z.number().int(),
});
export type AwaitingItem = z.infer<typeof AwaitingItemSchema>;

export const SignOffStageSchema = z.enum(['none', 'awaiting-countersignature', 'completed']);

export const CaseloadLearnerSchema = z.object({
  userId: safeText(),
  name: safeText().nullable(),
  email: safeText().nullable(),
  /** False for learners on the roster who have not opened Attest yet (zero progress). */
  hasLaunched: z.boolean(),
  progress: ProgressSchema,
  unitState: z.enum(['not-started', 'in-progress', 'ready-for-sign-off', 'signed-off', 'verified']),
  lastEvidenceAt: safeText().nullable(),
  /** Oldest first. */
  awaiting: z.array(AwaitingItemSchema),
  signOff: SignOffStageSchema,
  /** The assessor's next step for this learner; "Ready for sign-off" only while the sign-off gate is open. */
  nextStep: AssessorNextStepSchema,
  grade: GradeStatusSchema,
});
export type CaseloadLearner = z.infer<typeof CaseloadLearnerSchema>;

/** GET /api/assessor/caseload — every learner of the course, and one queue of items awaiting assessment. */
export const AssessorCaseloadSchema = z.object({
  unitId: safeText(),
  unitTitle: safeText(),
  learners: z.array(CaseloadLearnerSchema),
  /** Every learner's items awaiting a decision on this unit, oldest submission first. */
  queue: z.array(AwaitingItemSchema),
  /**
   * Whether the LMS shares the course's roster with Attest (NRPS). When it does not, `learners` are
   * only those who have opened Attest in the course, and the screen says so.
   */
  rosterIsShared: z.boolean(),
});
export type AssessorCaseload = z.infer<typeof AssessorCaseloadSchema>;

/** Attest cannot check assessor awards (A1/D32/TAQA); it records what was declared, and by whom. */
export const AssessorProfileSchema = z.object({
  userId: safeText(),
  name: safeText().nullable(),
  /** Unmarked assessors count as qualified; "not yet qualified" is marked by themselves or an administrator. */
  qualification: z.enum(['qualified', 'not-yet-qualified']),
  setBy: safeText().nullable(),
  setAt: safeText().nullable(),
});
export type AssessorProfile = z.infer<typeof AssessorProfileSchema>;
export const QualificationRequestSchema = z.strictObject({ qualification: z.enum(['qualified', 'not-yet-qualified']) });

// ---- Judging a learner's evidence -------------------------------------------------------------

export const JudgedMappingSchema = EvidenceMappingTargetSchema.extend({
  decision: z.enum(['pending', 'accepted', 'referred']),
  /** The method by which the assessor assessed this evidence for this requirement. */
  method: z.enum(ASSESSMENT_METHOD_CODES),
  feedback: safeText().trim().max(5000).nullable(),
}).refine((m) => m.decision !== 'referred' || (m.feedback !== null && m.feedback.length > 0), { message: 'Say why evidence is referred back', path: ['feedback'] });

/** PUT /api/assessor/evidence/:itemId/judgement — decisions on the item's existing mappings (others untouched). */
export const JudgementRequestSchema = z.strictObject({
  /** The item's `judgementVersion` the assessor read (0 before any judgement). */
  baseVersion: Version,
  /** The learner item's `version` the assessor read: a judgement lands only on that version. */
  itemVersion: z.number().int().min(1),
  mappings: z.array(JudgedMappingSchema).min(1).max(500),
});
export type JudgementRequest = z.infer<typeof JudgementRequestSchema>;

/** A learner's item as the assessor sees it: the learner's item plus the judgement's own version. */
export const AssessorEvidenceItemSchema = EvidenceItemSchema.extend({ judgementVersion: Version, learnerUserId: safeText() });
export type AssessorEvidenceItem = z.infer<typeof AssessorEvidenceItemSchema>;
/** 409 details: another assessor judged first; nothing was overwritten. */
export const JudgementConflictDetailsSchema = z.object({ current: AssessorEvidenceItemSchema });
/** 409 details: the learner changed the item after the assessor read it; nothing was saved. */
export const ItemChangedDetailsSchema = z.object({ reason: z.literal('item_changed'), readVersion: z.number().int(), currentVersion: z.number().int(), current: AssessorEvidenceItemSchema });
export type ItemChangedDetails = z.infer<typeof ItemChangedDetailsSchema>;

// ---- Assessor records (seed 004, Appendix 2) -------------------------------------------------

export const SUPPLEMENTARY_EVIDENCE_KINDS = ['work-products', 'photographs', 'e-evidence', 'third-party-confirmation'] as const;
const WitnessStatusSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

/** Where the assessed work happened: the same facts the engine checks for learner evidence. */
const Occasion = {
  date: CalendarDateSchema,
  workSetting: z.enum(WORK_SETTINGS),
  customerRef: safeText().trim().max(200).nullable(),
  occasionRef: safeText().trim().max(200).nullable(),
};

export const ObservationContentSchema = z.strictObject({
  kind: z.literal('observation'),
  ...Occasion,
  place: Text(500),
  /** "Please record what you saw the candidate do". */
  observed: Text(20_000),
  supplementaryEvidence: z.array(z.strictObject({ kind: z.enum(SUPPLEMENTARY_EVIDENCE_KINDS), location: safeText().trim().max(500) })).max(50),
});

export const QuestioningContentSchema = z.strictObject({
  kind: z.literal('questioning'),
  ...Occasion,
  /** Oral questioning counts as Q, written questions as WQ. */
  mode: z.enum(['oral', 'written']),
  questions: z.array(z.strictObject({ question: Text(5000), answer: Text(20_000) })).min(1).max(100),
});

export const ProfessionalDiscussionContentSchema = z.strictObject({
  kind: z.literal('professional-discussion'),
  ...Occasion,
  topics: z.array(Text(500)).min(1).max(50),
  summary: Text(20_000),
  /** An audio or video recording already uploaded to one of the learner's items (item id + file id), if one was made; checked to exist. */
  recording: z.strictObject({ itemId: safeText(), fileId: safeText() }).nullable(),
});

export const WitnessSchema = z.strictObject({
  name: Text(200),
  contact: Text(500),
  position: Text(200),
  relationshipToCandidate: Text(200),
  /** Seed 004's witness status categories 1–5 (WITNESS_STATUS_CATEGORIES). */
  status: WitnessStatusSchema,
});

export const WitnessTestimonyContentSchema = z.strictObject({
  kind: z.literal('witness-testimony'),
  ...Occasion,
  witness: WitnessSchema,
  statement: Text(20_000),
  /** Unit ids (or printed unit codes) the witness attests to; the witness status list derives from these. */
  unitsWitnessed: z.array(Text(100)).min(1).max(50),
});

/** Seed 004's "Record of expert witness": every required criterion must be confirmed, with its evidence. */
export const ExpertWitnessEligibilitySchema = z.strictObject({
  supervisoryExperienceTwoYears: z.literal(true, 'An expert witness needs at least two years’ supervisory, managerial or training experience in the unit'),
  knowsStandards: z.literal(true, 'An expert witness must know the standards they attest to'),
  cpd: z.literal(true, 'An expert witness must show appropriate continuous professional development'),
  /** How each was checked (CV, CPD log…). */
  evidenceOfEligibility: Text(5000),
  /** Desirable: holds or works towards an assessor award, or is responsible for the quality of the candidate's work. */
  holdsOrWorksTowardsAssessorAward: z.boolean(),
  hasQualityResponsibility: z.boolean(),
});

export const ExpertWitnessContentSchema = z.strictObject({
  kind: z.literal('expert-witness'),
  ...Occasion,
  witness: WitnessSchema,
  eligibility: ExpertWitnessEligibilitySchema,
  statement: Text(20_000),
  unitsWitnessed: z.array(Text(100)).min(1).max(50),
});

export const PriorAchievementContentSchema = z.strictObject({
  kind: z.literal('prior-achievement'),
  /** The date of the award. */
  date: CalendarDateSchema,
  title: Text(500),
  awardingBody: Text(500),
  certificateRef: safeText().trim().max(200).nullable(),
  /** How the assessor checked it is authentic and current. */
  verification: Text(5000),
});

export const RecordContentSchema = z.discriminatedUnion('kind', [
  ObservationContentSchema,
  QuestioningContentSchema,
  ProfessionalDiscussionContentSchema,
  WitnessTestimonyContentSchema,
  ExpertWitnessContentSchema,
  PriorAchievementContentSchema,
]);
export type RecordContent = z.infer<typeof RecordContentSchema>;
export type RecordKind = RecordContent['kind'];

/** The method letter each record counts as in the engine. */
export function methodOfRecord(content: RecordContent): (typeof ASSESSMENT_METHOD_CODES)[number] {
  switch (content.kind) {
    case 'observation':
      return 'O';
    case 'questioning':
      return content.mode === 'oral' ? 'Q' : 'WQ';
    case 'professional-discussion':
      return 'PD';
    case 'witness-testimony':
    case 'expert-witness':
      return 'WT';
    case 'prior-achievement':
      return 'APA';
  }
}

/** Who signed (LMS identity), when, and the SHA-256 of the canonical JSON of exactly what was signed. */
export const RecordedSignatureSchema = z.object({
  role: z.enum(['assessor', 'assessor-countersignature', 'candidate']),
  issuer: safeText(),
  userId: safeText(),
  name: safeText().nullable(),
  signedAt: safeText(),
  /** Hex SHA-256 of the canonical JSON (keys sorted, no spaces) of `signedContent`. */
  digest: safeText().regex(/^[0-9a-f]{64}$/),
  signedContent: z.unknown(),
});
export type RecordedSignature = z.infer<typeof RecordedSignatureSchema>;

export const AssessorRecordSchema = z.object({
  id: safeText(),
  learnerUserId: safeText(),
  /** The unit activity it was recorded from; its targets may reach other units of the course. */
  unitId: safeText(),
  kind: z.enum(['observation', 'questioning', 'professional-discussion', 'witness-testimony', 'expert-witness', 'prior-achievement']),
  method: z.enum(ASSESSMENT_METHOD_CODES),
  content: RecordContentSchema,
  targets: z.array(EvidenceMappingTargetSchema),
  authorUserId: safeText(),
  authorName: safeText().nullable(),
  /** Unsigned records may be edited (with baseVersion); a signed one never changes. */
  version: z.number().int().positive(),
  signature: RecordedSignatureSchema.nullable(),
  /** The signed record this one corrects; a superseded record no longer counts towards the verdict. */
  supersedes: safeText().nullable(),
  supersededBy: safeText().nullable(),
  createdAt: safeText(),
});
export type AssessorRecord = z.infer<typeof AssessorRecordSchema>;

/** POST …/records — `sign: true` signs on creation; `supersedes` names the signed record this corrects. */
export const CreateRecordRequestSchema = z.strictObject({
  content: RecordContentSchema,
  targets: z.array(EvidenceMappingTargetSchema).min(1).max(500),
  sign: z.boolean(),
  supersedes: safeText().nullable().default(null),
});
export type CreateRecordRequest = z.input<typeof CreateRecordRequestSchema>;
export const UpdateRecordRequestSchema = z.strictObject({ baseVersion: z.number().int().positive(), content: RecordContentSchema, targets: z.array(EvidenceMappingTargetSchema).min(1).max(500) });
export const SignRecordRequestSchema = z.strictObject({ baseVersion: z.number().int().positive() });

// ---- Planning, feedback, report ----------------------------------------------------------------

export const ActionPlanSchema = z.strictObject({
  /** "Evidences assessed by": the methods planned, with what each will cover. */
  plannedMethods: z.array(z.strictObject({ method: z.enum(ASSESSMENT_METHOD_CODES), notes: safeText().trim().max(2000) })).min(1).max(20),
  venue: safeText().trim().max(500),
  dates: z.array(z.strictObject({ date: CalendarDateSchema, time: safeText().trim().max(20).nullable(), activity: safeText().trim().max(500) })).max(50),
  /** "Action plan/evidence requirements". */
  evidenceRequirements: safeText().trim().max(10_000),
  feedbackArrangements: safeText().trim().max(5000),
});
export type ActionPlan = z.infer<typeof ActionPlanSchema>;
export const AssessmentActionPlanSchema = z.object({ plan: ActionPlanSchema, version: z.number().int().positive(), updatedByName: safeText().nullable(), updatedAt: safeText() });
export type AssessmentActionPlan = z.infer<typeof AssessmentActionPlanSchema>;
/** PUT …/action-plan — baseVersion 0 creates the plan. */
export const ActionPlanRequestSchema = z.strictObject({ baseVersion: Version, plan: ActionPlanSchema });

/** POST …/feedback — on one item (`itemId`) or on the unit as a whole (no itemId). */
export const FeedbackRequestSchema = z.strictObject({
  itemId: safeText().nullable().default(null),
  text: Text(20_000),
  actionPlan: safeText().trim().max(10_000).nullable().default(null),
});
export type FeedbackRequest = z.input<typeof FeedbackRequestSchema>;

/** Seed 004's assessment report checks, in the order of ASSESSMENT_REPORT_CHECKS (yes = true). */
export const ReportChecksSchema = z.strictObject({
  moreSkillsEvidenceRequired: z.boolean(),
  moreKnowledgeEvidenceRequired: z.boolean(),
  morePortfolioEvidenceRequired: z.boolean(),
  skillsMet: z.boolean(),
  knowledgeMet: z.boolean(),
  evidenceValidSufficientCurrentAuthentic: z.boolean(),
  properlyAuthenticated: z.boolean(),
});
export type ReportChecks = z.infer<typeof ReportChecksSchema>;
export const AssessmentReportBodySchema = z.strictObject({
  checks: ReportChecksSchema,
  comments: safeText().trim().max(20_000),
  outcome: z.enum(['competent', 'not-yet-competent']),
});
export type AssessmentReportBody = z.infer<typeof AssessmentReportBodySchema>;
export const AssessmentReportSchema = z.object({ report: AssessmentReportBodySchema, version: z.number().int().positive(), isSigned: z.boolean(), updatedByName: safeText().nullable(), updatedAt: safeText() });
export type AssessmentReport = z.infer<typeof AssessmentReportSchema>;
/** PUT …/report — baseVersion 0 creates it; refused once the unit is signed. */
export const ReportRequestSchema = z.strictObject({ baseVersion: Version, report: AssessmentReportBodySchema });

// ---- Sign-off ---------------------------------------------------------------------------------

/** One reason the gate is shut, in plain English (the engine's reason rendered), with where it applies. */
export const BlockingReasonSchema = z.object({
  where: z.enum(['statement', 'scope-item', 'evidence-requirement', 'rule', 'unit', 'sign-off']),
  /** The statement key, scope item key, requirement key or rule index; null for the unit. */
  ref: safeText().nullable(),
  code: safeText(),
  message: safeText(),
});
export type BlockingReason = z.infer<typeof BlockingReasonSchema>;

export const SignOffGateSchema = z.object({ isOpen: z.boolean(), blocking: z.array(BlockingReasonSchema) });
export type SignOffGate = z.infer<typeof SignOffGateSchema>;

/** A signature an assessor withdrew by reopening the unit: kept, with who withdrew it, when and why. */
export const WithdrawnSignatureSchema = RecordedSignatureSchema.extend({
  withdrawnAt: safeText(),
  withdrawnByUserId: safeText(),
  withdrawnByName: safeText().nullable(),
  reason: safeText(),
});
export type WithdrawnSignature = z.infer<typeof WithdrawnSignatureSchema>;

/** Where the unit's signature chain stands for one learner. */
export const SignOffStateSchema = z.object({
  stage: SignOffStageSchema,
  candidate: RecordedSignatureSchema.nullable(),
  assessor: RecordedSignatureSchema.nullable(),
  /** Required when the signing assessor was marked not yet qualified. */
  isCountersignatureRequired: z.boolean(),
  countersignature: RecordedSignatureSchema.nullable(),
  /** Signatures withdrawn when an assessor reopened the unit, newest first. */
  withdrawn: z.array(WithdrawnSignatureSchema),
  gate: SignOffGateSchema,
  grade: GradeStatusSchema,
});
export type SignOffState = z.infer<typeof SignOffStateSchema>;

/** POST …/sign-off — the assessor signs the report they read (its version) with the seeds' statement. */
export const SignOffRequestSchema = z.strictObject({ reportVersion: z.number().int().positive(), declaration: z.literal(ASSESSOR_UNIT_DECLARATION) });
export const CountersignRequestSchema = z.strictObject({ declaration: z.literal(ASSESSOR_UNIT_DECLARATION) });
/**
 * POST …/reopen — an assessor who may sign the unit off withdraws its signatures (candidate's
 * declaration, assessor's sign-off, countersignature) with a reason; the rows stay, marked withdrawn.
 */
export const ReopenUnitRequestSchema = z.strictObject({ reason: Text(2000) });
export type ReopenUnitRequest = z.infer<typeof ReopenUnitRequestSchema>;
export const CandidateDeclarationRequestSchema = z.strictObject({ declaration: z.literal(CANDIDATE_UNIT_DECLARATION) });
/** 422 details of a refused sign-off. */
export const SignOffRefusalDetailsSchema = z.object({ gate: SignOffGateSchema });

// ---- Views ------------------------------------------------------------------------------------

/** Seed 004's witness status list, derived from the signed witness testimony and expert witness records. */
export const WitnessListEntrySchema = z.object({
  name: safeText(),
  position: safeText(),
  contact: safeText(),
  relationshipToCandidate: safeText(),
  status: WitnessStatusSchema,
  /** The seeds' wording of the status category. */
  statusText: safeText(),
  isExpertWitness: z.boolean(),
  unitsWitnessed: z.array(safeText()),
  recordIds: z.array(safeText()),
});
export type WitnessListEntry = z.infer<typeof WitnessListEntrySchema>;

/** GET /api/assessor/learners/:userId/portfolio */
export const AssessorPortfolioSchema = z.object({
  learner: z.object({ userId: safeText(), name: safeText().nullable() }),
  unitId: safeText(),
  unitTitle: safeText(),
  items: z.array(AssessorEvidenceItemSchema),
  records: z.array(AssessorRecordSchema),
  witnesses: z.array(WitnessListEntrySchema),
  verdict: z.custom<Verdict>((value) => typeof value === 'object' && value !== null && 'statements' in value),
  actionPlan: AssessmentActionPlanSchema.nullable(),
  report: AssessmentReportSchema.nullable(),
  unitFeedback: z.array(FeedbackSchema),
  signOff: SignOffStateSchema,
  nextStep: AssessorNextStepSchema,
});
export type AssessorPortfolio = z.infer<typeof AssessorPortfolioSchema>;

/** GET /api/learner/assessment — what the learner sees of their assessment on the launched unit. */
export const LearnerAssessmentSchema = z.object({
  unitId: safeText(),
  actionPlan: AssessmentActionPlanSchema.nullable(),
  records: z.array(AssessorRecordSchema),
  report: AssessmentReportSchema.nullable(),
  signOff: SignOffStateSchema.omit({ grade: true }),
  nextStep: LearnerNextStepSchema,
});
export type LearnerAssessment = z.infer<typeof LearnerAssessmentSchema>;
