import { useId } from 'react';
import type { EvidenceItem } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import { targetName } from '../assessor/describe-target.ts';
import { FeedbackList, formatDate } from './feedback-list.tsx';
import { MappingFeedback } from './mapping-feedback.tsx';

/** What the top of a submitted item says: with the assessor, referred back, or part of a signed-off unit. */
export type SubmittedStanding = 'with-assessor' | 'referred' | 'signed-off';

/**
 * Referred back when the assessor referred any of its mappings: it no longer waits on the
 * assessor but on the learner, whatever its submitted state says.
 */
export function standingOf(item: EvidenceItem, isInSignedUnit: boolean): SubmittedStanding {
  if (isInSignedUnit) return 'signed-off';
  return item.mappings.some((m) => m.decision === 'referred') ? 'referred' : 'with-assessor';
}

/**
 * The notice at the top of a submitted item. A referred item says so first — by whom, on which
 * requirements (with their words), what to do — with the assessor's feedback right there and the
 * reopen action under it, instead of "with your assessor" above feedback far down the page.
 */
export function SubmittedNotice({
  item,
  unit,
  signedUnitLabel,
  isReopening,
  onReopen,
}: {
  item: EvidenceItem;
  unit: Unit;
  signedUnitLabel: string | null;
  isReopening: boolean;
  onReopen: () => void;
}) {
  const id = useId();
  const standing = standingOf(item, signedUnitLabel !== null);
  const reopen = isReopening ? null : (
    <>
      <p id={`${id}-reopen-hint`}>{standing === 'referred' ? 'Reopening it lets you change it; then submit it again for your assessor. Earlier versions are kept.' : 'Changing it takes it back out of assessment: you will need to submit it again. Earlier versions are kept.'}</p>
      <button type="button" className="button button-secondary" aria-describedby={`${id}-reopen-hint`} onClick={onReopen}>
        Edit and reopen this evidence
      </button>
    </>
  );
  if (standing === 'referred') {
    const referred = item.mappings.filter((m) => m.decision === 'referred');
    const by = [...item.feedback].reverse().find((entry) => entry.authorName !== null)?.authorName ?? 'your assessor';
    return (
      <div className="notice notice-referred">
        <p>
          <strong>Referred back by {by}.</strong> This evidence does not yet show {referred.length === 1 ? 'this requirement' : 'these requirements'}:
        </p>
        <ul className="plain-list">
          {referred.map((m) => (
            <li key={`${m.unitId}|${m.target}|${m.ref}`}>{m.unitId === unit.id ? targetName(unit, m) : `${m.ref} (another unit)`}</li>
          ))}
        </ul>
        <p>Read the feedback, change the evidence, then submit it again.</p>
        <h2 className="notice-heading">Feedback from your assessor</h2>
        <FeedbackList feedback={item.feedback} emptyText="Your assessor left no general feedback on this evidence." />
        <MappingFeedback item={item} />
        {reopen}
      </div>
    );
  }
  return (
    <div className="notice notice-locked">
      <p>
        <strong>Submitted for assessment</strong>
        {item.submittedAt === null ? '' : ` on ${formatDate(item.submittedAt)}`}. It is locked so your assessor sees what you submitted.
      </p>
      {standing === 'signed-off' ? <p>It is part of the unit {signedUnitLabel}, which your assessor has signed off, so it can no longer change. Your assessor can reopen the unit if something must change.</p> : reopen}
    </div>
  );
}
