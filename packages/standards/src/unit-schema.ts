import { z } from 'zod';
import { ASSESSMENT_METHOD_CODES, SIGN_OFF_ROLES } from './vocabularies.ts';

// Strict objects everywhere: a misspelt key in a data file must be an error, not silently ignored.

const Text = z.string().min(1);
const Ref = z.string().min(1).regex(/^\S(.*\S)?$/, 'a reference has no leading or trailing spaces');

export const AssessmentMethodSchema = z.enum(ASSESSMENT_METHOD_CODES).describe('An assessment method code from the shared vocabulary: O, Q, PE, WT, PD, PA, PF, CS, SE, WQ, APA, WP');
export const SignOffRoleSchema = z.enum(SIGN_OFF_ROLES);

export const StatementSchema = z.strictObject({
  ref: Ref.describe('The reference exactly as printed, e.g. 310.1.1, 1.1, 3'),
  kind: z.enum(['performance-criterion', 'assessment-criterion', 'knowledge', 'standard']).describe('`standard` is a recording-form row the source does not classify'),
  text: Text.describe('The source wording, verbatim'),
  printedRef: Ref.optional().describe('Set by the loader, never in a data file: the ref as printed, when an erratum corrects it'),
  printedText: Text.optional().describe('Set by the loader, never in a data file: the wording as printed, when an erratum corrects it'),
});
export type Statement = z.infer<typeof StatementSchema>;

export const GroupSchema = z.strictObject({
  ref: Ref.nullable().describe('As printed, or implied by its statements (say so in `note`); null when the source prints none'),
  title: Text.nullable(),
  kind: z.enum(['element', 'learning-outcome', 'heading', 'knowledge']),
  note: Text.nullable().optional(),
  statements: z.array(StatementSchema).min(1),
});
export type Group = z.infer<typeof GroupSchema>;

export const ScopeItemSchema = z.strictObject({ ref: Ref, text: Text });
export const ScopeGroupSchema = z.strictObject({
  ref: Ref.nullable(),
  title: Text.nullable(),
  note: Text.nullable().optional(),
  items: z.array(ScopeItemSchema).min(1),
});
export type ScopeGroup = z.infer<typeof ScopeGroupSchema>;

export const EvidenceRequirementSchema = z.strictObject({
  ref: Ref,
  text: Text.nullable().describe('null where the source prints only a column letter or number'),
  wordingSource: Text.optional().describe('Set by the loader, never in a data file: where the wording comes from when a centre supplied it (requirement-wording.yaml)'),
  items: z.array(ScopeItemSchema).optional().describe('Lettered sub-items, e.g. the problem types a–e'),
});
export type EvidenceRequirement = z.infer<typeof EvidenceRequirementSchema>;

const RuleBase = {
  basis: Text.describe('The source sentence this rule transcribes, verbatim'),
  evidenceRequirement: Ref.optional().describe('The evidence requirement whose status this rule decides'),
  note: Text.optional(),
};
const StatementKeys = z.array(Ref).min(1).describe('Statement refs; write kind:ref (pc:3, k:3, ac:1.1, std:101.1.1) where a ref is printed twice');
const ScopeKeys = z.array(Ref).min(1).describe('Scope item keys: group.item (2.b), or the item alone when its group has no ref');

export const ObservationRequiredRuleSchema = z.strictObject({
  kind: z.literal('observation-required'),
  statements: StatementKeys,
  ...RuleBase,
});
export const MethodsAllowedRuleSchema = z.strictObject({
  kind: z.literal('methods-allowed'),
  statements: StatementKeys,
  methods: z.array(AssessmentMethodSchema).min(1),
  ...RuleBase,
});
export const ScopeObservationRuleSchema = z.strictObject({
  kind: z.literal('scope-observation'),
  items: ScopeKeys,
  min: z.number().int().min(1),
  ...RuleBase,
});
export const ScopeCoverageRuleSchema = z.strictObject({
  kind: z.literal('scope-coverage'),
  items: z.union([z.literal('all'), ScopeKeys]),
  methods: z.array(AssessmentMethodSchema).min(1).optional().describe('Methods that may cover the items; any method when absent'),
  ...RuleBase,
});
export const WorkSettingRuleSchema = z.strictObject({
  kind: z.literal('work-setting'),
  // Simulation is never listed: no seed lets it stand as performance evidence.
  allowed: z.array(z.enum(['real-job', 'rwe'])).min(1),
  ...RuleBase,
});
export const SufficiencyOverTimeRuleSchema = z.strictObject({
  kind: z.literal('sufficiency-over-time'),
  distinctCustomers: z.boolean(),
  distinctOccasions: z.boolean(),
  overPeriod: z.boolean(),
  ...RuleBase,
});
export const KnowledgeInferenceRuleSchema = z.strictObject({
  kind: z.literal('knowledge-inference'),
  statements: StatementKeys,
  fromMethods: z.array(AssessmentMethodSchema).min(1),
  ...RuleBase,
});
export const EvidenceRequiredRuleSchema = z.strictObject({
  kind: z.literal('evidence-required'),
  requirements: z.array(Ref).min(1).describe('Evidence requirement keys: 4, or 4.a for a lettered item'),
  ...RuleBase,
});

export const AssessmentRuleSchema = z.discriminatedUnion('kind', [
  ObservationRequiredRuleSchema,
  MethodsAllowedRuleSchema,
  ScopeObservationRuleSchema,
  ScopeCoverageRuleSchema,
  WorkSettingRuleSchema,
  SufficiencyOverTimeRuleSchema,
  KnowledgeInferenceRuleSchema,
  EvidenceRequiredRuleSchema,
]);
export type AssessmentRule = z.infer<typeof AssessmentRuleSchema>;
export type AssessmentRuleKind = AssessmentRule['kind'];

export const SignOffStepSchema = z.strictObject({
  role: SignOffRoleSchema,
  ifSampled: z.boolean().optional(),
  note: Text.optional(),
});
export type SignOffStep = z.infer<typeof SignOffStepSchema>;

export const ErratumSchema = z.strictObject({
  at: Text.describe('Path inside this file, e.g. groups[0].statements[3].text'),
  source: Text.describe('As printed'),
  correction: Text,
  note: Text,
});
export type Erratum = z.infer<typeof ErratumSchema>;

export const UnitSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a unit id is kebab-case: lower-case letters, digits and single hyphens'),
  qualification: z.string().min(1),
  awardingBody: Text.nullable(),
  codes: z.array(Ref),
  title: Text,
  printedTitle: Text.optional().describe('Set by the loader, never in a data file: the title as printed, when an erratum corrects it'),
  level: z.number().int().min(1).max(8).nullable(),
  creditValue: z.number().positive().nullable(),
  guidedLearningHours: z.number().positive().nullable(),
  purpose: Text.nullable(),
  version: Text.nullable(),
  format: z.enum(['element', 'performance-criteria', 'learning-outcome', 'recording-form']),
  source: z.strictObject({ document: Text, section: Text }),
  recordingForm: z
    .strictObject({ knowledgeColumn: z.boolean(), locationReference: z.boolean() })
    .optional()
    .describe('Recording forms only: whether the grid has the U/K (understanding/knowledge) column and the location reference column'),
  groups: z.array(GroupSchema).min(1),
  scope: z.array(ScopeGroupSchema),
  evidenceRequirements: z.array(EvidenceRequirementSchema),
  assessmentRules: z.array(AssessmentRuleSchema),
  signOff: z.array(SignOffStepSchema),
  errata: z.array(ErratumSchema).optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const QualificationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a qualification id is kebab-case'),
  title: Text,
  awardingBody: Text.nullable(),
  level: z.number().int().min(1).max(8).nullable(),
  codes: z.array(Ref).optional(),
  source: z.strictObject({ document: Text, section: Text.optional() }).optional(),
  sources: z.array(z.strictObject({ document: Text, section: Text.optional() })).optional(),
  units: z.array(z.string().min(1)).optional().describe('The ids of the units in this folder, in the order the qualification lists them'),
  note: Text.nullable().optional(),
  errata: z.array(ErratumSchema).optional(),
});
export type Qualification = z.infer<typeof QualificationSchema>;

/**
 * A centre's wording for evidence requirements its recording forms print only as a column number
 * (`requirement-wording.yaml` beside the qualification). The awarding body's evidence-requirements
 * document that defines them is one the centre holds; it is not among the sources of the data.
 */
export const RequirementWordingSchema = z.strictObject({
  qualification: z.string().min(1),
  source: z.strictObject({
    document: Text.describe('The document the wording is copied from, e.g. the awarding body’s evidence requirements for the qualification'),
    suppliedBy: Text.describe('The centre, or the person, who supplied it'),
  }),
  units: z
    .array(
      z.strictObject({
        unit: z.string().min(1).describe('A unit id of this qualification'),
        requirements: z.array(z.strictObject({ ref: Ref.describe('An evidence requirement the unit prints without wording, e.g. 1 or 4.a'), text: Text })).min(1),
      }),
    )
    .min(1),
});
export type RequirementWording = z.infer<typeof RequirementWordingSchema>;

export type Catalogue = { qualifications: Qualification[]; units: Unit[] };
