import { z } from 'zod';
import { isCalendarDate } from './day-number.ts';
import { AssessmentMethodSchema, SignOffRoleSchema } from './unit-schema.ts';
import { WORK_SETTINGS } from './vocabularies.ts';

export const IsoDateSchema = z.string().refine(isCalendarDate, 'expected a calendar date written YYYY-MM-DD');

export const EvidenceMappingSchema = z.strictObject({
  target: z.enum(['statement', 'scope-item', 'evidence-requirement']),
  ref: z.string().min(1).describe('A statement ref (or kind:ref), a scope item key (2.b) or an evidence requirement key (4, 4.a)'),
  decision: z.enum(['pending', 'accepted', 'referred']),
});
export type EvidenceMapping = z.infer<typeof EvidenceMappingSchema>;

export const EvidenceItemSchema = z.strictObject({
  id: z.string().min(1),
  method: AssessmentMethodSchema,
  authorId: z.string().min(1),
  authorRole: z.enum(['candidate', 'assessor', 'witness', 'expert-witness']).optional(),
  witnessStatus: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
  date: IsoDateSchema,
  customerId: z.string().min(1).nullable().optional(),
  occasionId: z.string().min(1).nullable().optional(),
  workSetting: z.enum(WORK_SETTINGS),
  mappings: z.array(EvidenceMappingSchema),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const SignatureSchema = z.strictObject({
  role: SignOffRoleSchema,
  signerId: z.string().min(1),
  date: IsoDateSchema,
});
export type Signature = z.infer<typeof SignatureSchema>;

export const PortfolioFactsSchema = z
  .strictObject({
    unitId: z.string().min(1),
    candidateId: z.string().min(1).optional(),
    evidence: z.array(EvidenceItemSchema),
    signatures: z.array(SignatureSchema).default([]),
    sampledBy: z.array(z.enum(['internal-verifier', 'external-verifier'])).default([]),
    countersignaturesRequired: z.array(z.enum(['assessor', 'internal-verifier'])).default([]),
  })
  .superRefine((facts, ctx) => {
    const seen = new Set<string>();
    facts.evidence.forEach((item, index) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['evidence', index, 'id'], message: `evidence id ${item.id} appears twice` });
      seen.add(item.id);
    });
  });
export type PortfolioFacts = z.infer<typeof PortfolioFactsSchema>;
export type PortfolioFactsInput = z.input<typeof PortfolioFactsSchema>;

export const PolicySchema = z.strictObject({
  minDistinctCustomers: z.number().int().min(1).default(2),
  minDistinctOccasions: z.number().int().min(1).default(2),
  // The seeds leave "a sufficient period of time" to the assessor; by default a period means
  // evidence from more than one day, and a centre sets its own figure.
  minPeriodDays: z.number().int().min(0).default(1),
  // "valid, sufficient, current and authentic" (seed 004): three years is a common centre rule.
  evidenceCurrencyDays: z.number().int().min(1).default(1095),
  // A centre may forbid inference even where the awarding body allows it, never the reverse.
  allowKnowledgeInference: z.boolean().default(true),
});
export type Policy = z.infer<typeof PolicySchema>;
export const DEFAULT_POLICY: Policy = PolicySchema.parse({});
