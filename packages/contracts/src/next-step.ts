import { z } from 'zod';
import { ASSESSOR_NEXT_STEPS, LEARNER_NEXT_STEPS } from '@attest/standards';

/**
 * Where a learner's unit stands, as the next step of each side (toNextSteps in @attest/standards):
 * the server decides it from the sign-off gate, the UI words it with describeNextStep.
 */
export const LearnerNextStepSchema = z.object({ audience: z.literal('learner'), code: z.enum(LEARNER_NEXT_STEPS), count: z.number().int().nonnegative() });
export const AssessorNextStepSchema = z.object({ audience: z.literal('assessor'), code: z.enum(ASSESSOR_NEXT_STEPS), count: z.number().int().nonnegative() });
