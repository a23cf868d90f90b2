import type { Session } from '@attest/contracts';

/** Which page of the assessor screen shows: the caseload, or one learner's portfolio. */
export type AssessorView =
  | { name: 'caseload'; returnedFrom: string | null }
  /** `learnerName` is null when the page was opened by id alone, before the caseload names them. */
  | { name: 'learner'; userId: string; learnerName: string | null; itemId: string | null };

/**
 * Where the assessor lands: the learner the launch names (Canvas SpeedGrader opening a submission),
 * else the caseload. The server decides who may see that learner; this only picks the page.
 */
export function initialAssessorView(session: Pick<Session, 'focusLearnerUserId'>): AssessorView {
  return session.focusLearnerUserId === null ? { name: 'caseload', returnedFrom: null } : { name: 'learner', userId: session.focusLearnerUserId, learnerName: null, itemId: null };
}

/** What the learner's page calls them until their portfolio loads. */
export const UNNAMED_LEARNER = 'Learner';
