import type { ReactNode } from 'react';

/**
 * A form's buttons with its two live regions: progress and success announced politely beside the
 * buttons, a refusal as an alert under them. Both regions are always rendered, empty when there is
 * nothing to say, because screen readers announce changes only to regions already in the page.
 */
export function FormActions({ children, statusText, errorText }: { children: ReactNode; statusText: string; errorText: string | null }) {
  return (
    <>
      <div className="form-actions">
        {children}
        <p role="status" className="save-status">
          {statusText}
        </p>
      </div>
      <div role="alert" className="alert-slot">
        {errorText === null ? null : <p className="form-error">{errorText}</p>}
      </div>
    </>
  );
}
