// Where one learner's grade on one unit stands between Attest's latest decision and what the LMS
// gradebook holds. Pure: the caller passes the latest score row and what the result service showed.
//
// The rule that matters: Attest repairs on its own only what it sent and the LMS lost (no result at
// all for the learner). A grade that is there but different, cleared, or kept over Attest's by the
// LMS is somebody's act in the LMS; it is shown for a person to decide and never overwritten by a
// course-wide resync or the periodic reconciliation.
import type { SyncState } from '@attest/contracts';

/** The parts of the latest score row (src/db/schema/score-passbacks.ts) the rule reads. */
export interface DecidedScore {
  readonly state: 'pending' | 'sent' | 'failed';
  /** 0–100, or null: a score without a grade (submitted, or a withdrawn sign-off). */
  readonly scoreGiven: number | null;
  readonly lastError: string | null;
  /** Canvas: a grader's grade the gradebook kept instead of Attest's (0–100), as seen when the score was accepted. */
  readonly keptGraderScore: number | null;
}

/** What the line item's result service showed for this learner. */
export type HeldGrade =
  | { readonly kind: 'result'; readonly score: number | null }
  | { readonly kind: 'no_result' }
  /** The result service answered 404: the activity or its line item was deleted. */
  | { readonly kind: 'line_item_gone' }
  | { readonly kind: 'unreadable'; readonly message: string };

export interface SyncVerdict {
  readonly state: SyncState;
  /** A course or unit resync (and the reconciliation job) repairs this row. */
  readonly isRepairedByBulkResync: boolean;
  /** A person may ask for this row alone to be sent again. */
  readonly canResync: boolean;
}

/** Scores equal to a millionth of a point: the result service may scale through another maximum. */
const sameScore = (a: number, b: number) => Math.abs(a - b) < 1e-6;

export function classifyGradebookSync(decided: DecidedScore, held: HeldGrade): SyncVerdict {
  const verdict = (state: SyncState, isRepairedByBulkResync: boolean, canResync: boolean): SyncVerdict => ({ state, isRepairedByBulkResync, canResync });
  if (held.kind === 'line_item_gone') return verdict('line_item_deleted', false, false);
  if (decided.state === 'pending') return verdict('pending', false, false);
  if (decided.state === 'failed') return verdict('failed', true, true);
  if (held.kind === 'unreadable') return verdict('not_checked', false, false);
  const expected = decided.scoreGiven;
  if (held.kind === 'no_result') {
    // A score without a grade leaves nothing the gradebook must show; a grade it no longer has was lost.
    return expected === null ? verdict('in_sync', false, false) : verdict('missing_in_lms', true, true);
  }
  if (decided.keptGraderScore !== null && (expected === null || !sameScore(decided.keptGraderScore, expected))) return verdict('overridden_in_lms', false, true);
  if (held.score === null) return expected === null ? verdict('in_sync', false, false) : verdict('cleared_in_lms', false, true);
  if (expected === null || !sameScore(held.score, expected)) return verdict('changed_in_lms', false, true);
  return verdict('in_sync', false, false);
}

/** The plain words the sync report shows beside each state. */
export const SYNC_STATE_EXPLANATIONS: Readonly<Record<SyncState, string>> = {
  in_sync: 'The gradebook holds what Attest sent.',
  pending: 'On its way to the gradebook. If the LMS is busy or asked Attest to wait, it is tried again automatically.',
  failed: 'The LMS did not accept this grade and Attest stopped trying. Resync sends it again.',
  missing_in_lms: 'Attest sent this grade but the gradebook no longer has it. Resync (or the regular check) sends it again.',
  changed_in_lms: 'Someone changed this grade by hand in the LMS gradebook, and Attest leaves it as they set it. The LMS keeps a grade set by hand even when Attest sends its own again: to go back to Attest’s grade, undo the change in the LMS gradebook first.',
  overridden_in_lms: 'The LMS keeps a grader’s own grade instead of Attest’s, and Attest leaves it. To go back to Attest’s grade, remove the grader’s grade in the LMS first.',
  cleared_in_lms: 'Someone removed this grade in the LMS gradebook, and Attest leaves it removed. If it should be there, undo the change in the LMS gradebook, then send Attest’s grade again.',
  line_item_deleted: 'The activity or its gradebook column was deleted in the LMS, so no grade can be sent to it. Place the unit in the course again.',
  not_checked: 'The gradebook could not be read just now, so this grade was not checked. Try again later.',
};
