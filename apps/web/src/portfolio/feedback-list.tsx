import type { Feedback } from '@attest/contracts';

/** Assessor feedback with its action plan, newest last as it was written. */
export function FeedbackList({ feedback, emptyText }: { feedback: readonly Feedback[]; emptyText: string }) {
  if (feedback.length === 0) return <p>{emptyText}</p>;
  return (
    <ul className="feedback-list">
      {feedback.map((entry) => (
        <li key={entry.id} className="feedback">
          <p className="feedback-meta">
            {entry.authorName ?? 'Your assessor'}, <time dateTime={entry.createdAt}>{formatDate(entry.createdAt)}</time>
          </p>
          <p className="feedback-text">{entry.text}</p>
          {entry.actionPlan === null ? null : (
            <div className="action-plan">
              <p className="action-plan-label">Action plan</p>
              <p>{entry.actionPlan}</p>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "3 May 2026" from an ISO date or timestamp; the raw text if it is not one. */
export function formatDate(iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}
