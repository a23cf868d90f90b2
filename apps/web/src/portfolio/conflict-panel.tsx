import type { EvidenceItem } from '@attest/contracts';
import { formatDate } from './feedback-list.tsx';

/** The 409: the learner's text stays in the form; the saved copy is shown beside it to choose from. */
export function ConflictPanel({ current, onKeepMine, onTakeTheirs }: { current: EvidenceItem; onKeepMine: () => void; onTakeTheirs: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <h2 className="state-title">This evidence was changed somewhere else</h2>
      <p>
        It was saved from another tab or window after you opened it, so your latest changes were not saved over it. Your text is still in the form below, and Attest has kept both versions. Choose which one to keep working on.
      </p>
      <h3>The saved copy (version {current.version})</h3>
      <dl className="conflict-copy">
        <dt>Title</dt>
        <dd>{current.title}</dd>
        <dt>Description</dt>
        <dd>{current.description === '' ? '(empty)' : current.description}</dd>
        <dt>Date of the activity</dt>
        <dd>{formatDate(current.activityDate)}</dd>
        <dt>Customer</dt>
        <dd>{current.customerRef ?? '(none)'}</dd>
        <dt>Occasion</dt>
        <dd>{current.occasionRef ?? '(none)'}</dd>
      </dl>
      <div className="form-actions">
        <button type="button" className="button" onClick={onKeepMine}>
          Keep my version
        </button>
        <button type="button" className="button button-secondary" onClick={onTakeTheirs}>
          Use the saved copy
        </button>
      </div>
    </div>
  );
}
