import { z } from 'zod';
import { safeText } from './safe-text.ts';

/** The roles Attest acts on, mapped once from the LTI roles claim by the adapter. */
export const AttestRoleSchema = z.enum(['learner', 'instructor', 'administrator']);
export type AttestRole = z.infer<typeof AttestRoleSchema>;

/** Which screen the UI opens, decided by the server from the launch's message type and roles. */
export const LaunchViewSchema = z.enum(['learner-unit', 'instructor-caseload', 'deep-linking']);
export type LaunchView = z.infer<typeof LaunchViewSchema>;

/** GET /api/session — who launched, from where, and what they should see. */
export const SessionSchema = z.object({
  view: LaunchViewSchema,
  user: z.object({
    id: safeText(),
    name: safeText().nullable(),
    roles: z.array(AttestRoleSchema),
    isTeachingAssistant: z.boolean(),
  }),
  platform: z.object({ issuer: safeText(), name: safeText().nullable() }),
  context: z.object({ id: safeText(), title: safeText().nullable() }).nullable(),
  resourceLink: z.object({ id: safeText(), title: safeText().nullable() }).nullable(),
  /** The unit this activity assesses (from the deep-linked custom parameter), if any. */
  unitId: safeText().nullable(),
  /** Whether the launch carries an AGS line item we can post scores to. */
  canPostScores: z.boolean(),
  /**
   * The learner whose unit this launch was made to open, or null for the caseload. Set only for an
   * instructor's launch of a unit whose target link URI names `attest_learner`: Canvas's SpeedGrader
   * launches the submission URL sign-off recorded. It says which page to open, never who may see it:
   * the assessor routes check the roster as for any other learner.
   */
  focusLearnerUserId: safeText().nullable(),
  /** Whether this person may open the administration console (an LMS administrator, or one Attest made; decision 21). */
  canAdminister: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;
