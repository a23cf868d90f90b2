import { z } from 'zod';
import { safeText } from './safe-text.ts';

/** One member of the launch's context, from NRPS (GET /api/caseload, instructors only). */
export const CaseloadMemberSchema = z.object({
  userId: safeText(),
  name: safeText().nullable(),
  email: safeText().nullable(),
  roles: z.array(safeText()),
  isLearner: z.boolean(),
});
export type CaseloadMember = z.infer<typeof CaseloadMemberSchema>;
export const CaseloadSchema = z.object({ unitId: safeText().nullable(), members: z.array(CaseloadMemberSchema) });
export type Caseload = z.infer<typeof CaseloadSchema>;
