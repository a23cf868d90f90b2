import { useEffect, useId, useRef, useState } from 'react';
import { AUTHENTICITY_DECLARATION } from '@attest/contracts';

/** The authenticity declaration and the submit button; exported for render tests. */
export function SubmitPanel({ isSubmitted, isReferred = false, canSubmit, onSubmit }: { isSubmitted: boolean; isReferred?: boolean; canSubmit: boolean; onSubmit: () => Promise<string | null> }) {
  const id = useId();
  const [isDeclared, setDeclared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [done, setDone] = useState('');
  // The submit button goes away with the submission: focus moves to the confirmation that replaces
  // it, not to the page's body, so a keyboard or screen-reader user is told and stays in place.
  const confirmation = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (isSubmitted && done !== '') confirmation.current?.focus();
  }, [isSubmitted, done]);
  if (isSubmitted) {
    // The status region stays in place, so the confirmation of a submission just made is announced.
    return (
      <section aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>Submitted for assessment</h2>
        <p role="status" className="status-slot" ref={confirmation} tabIndex={-1}>
          {done !== '' ? done : isReferred ? 'Your assessor referred this evidence back: reopen it at the top of the page, change it and submit it again.' : 'This evidence is with your assessor.'}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Submit for assessment</h2>
      <form
        aria-labelledby={`${id}-heading`}
        onSubmit={(event) => {
          event.preventDefault();
          if (isSubmitting || !canSubmit) return;
          if (!isDeclared) return setError('Tick the declaration to confirm this is your own work.');
          setError(null);
          setSubmitting(true);
          void onSubmit().then((problem) => {
            setSubmitting(false);
            if (problem === null) setDone('Submitted for assessment. Your assessor can now review it.');
            else setError(problem);
          });
        }}
      >
        <fieldset className="form-section">
          <legend>Authenticity declaration</legend>
          <div className="choice">
            <input id={`${id}-declare`} type="checkbox" checked={isDeclared} aria-invalid={error !== null && !isDeclared} aria-describedby={error === null ? undefined : `${id}-error`} onChange={(event) => setDeclared(event.target.checked)} />
            <label htmlFor={`${id}-declare`}>{AUTHENTICITY_DECLARATION}</label>
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={isSubmitting || !canSubmit}>
            {isSubmitting ? 'Submitting…' : 'Submit for assessment'}
          </button>
        </div>
        <div role="alert" className="alert-slot">
          {error === null ? null : (
            <p className="form-error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
        <p role="status" className="status-slot">
          {done}
        </p>
      </form>
    </section>
  );
}
