import { z } from 'zod';

/** One member of the launch's context, from NRPS (GET /api/caseload, instructors only). */
export const CaseloadMemberSchema = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  isLearner: z.boolean(),
});
export type CaseloadMember = z.infer<typeof CaseloadMemberSchema>;
export const CaseloadSchema = z.object({ unitId: z.string().nullable(), members: z.array(CaseloadMemberSchema) });
export type Caseload = z.infer<typeof CaseloadSchema>;
