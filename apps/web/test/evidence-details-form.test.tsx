// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useReducer, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { autosaveReducer, startAutosave } from '../src/portfolio/autosave-machine.ts';
import { blankDraft } from '../src/portfolio/evidence-editor.tsx';
import { EvidenceDetailsForm } from '../src/portfolio/evidence-details-form.tsx';
import { SubmitPanel } from '../src/portfolio/submit-panel.tsx';
import type { EvidenceDraft } from '@attest/contracts';

afterEach(cleanup);

/** The form wired to the real autosave reducer, as the editor wires it, for a new item. */
function NewItemForm() {
  const [state, dispatch] = useReducer(autosaveReducer, null, () => startAutosave(null, blankDraft('2026-05-20')));
  return <EvidenceDetailsForm state={state} today="2026-05-20" isLocked={false} onEdit={(patch: Partial<EvidenceDraft>) => dispatch({ type: 'edit', draft: { ...state.draft, ...patch } })} />;
}

describe('the evidence form’s field errors', () => {
  it('shows the title error only once the learner has been in the title, and ties it to the field', () => {
    render(<NewItemForm />);
    const title = screen.getByLabelText('Title');
    // Choosing the evidence type first makes the draft invalid (no title yet), but says nothing in red.
    fireEvent.change(screen.getByLabelText('Evidence type'), { target: { value: 'photo' } });
    expect(screen.queryByText('Give the evidence a title.')).toBeNull();
    expect(title.getAttribute('aria-invalid')).toBe('false');
    fireEvent.blur(title);
    const error = screen.getByText('Give the evidence a title.');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(title.getAttribute('aria-describedby')).toBe(error.id);
    fireEvent.change(title, { target: { value: 'Returns desk log' } });
    expect(screen.queryByText('Give the evidence a title.')).toBeNull();
  });
});

describe('the submit panel', () => {
  it('moves focus to the confirmation once the submission is made, where the submit button was', async () => {
    function Panel() {
      const [isSubmitted, setSubmitted] = useState(false);
      return (
        <SubmitPanel
          isSubmitted={isSubmitted}
          canSubmit
          onSubmit={() => {
            setSubmitted(true);
            return Promise.resolve(null);
          }}
        />
      );
    }
    render(<Panel />);
    fireEvent.click(screen.getByLabelText(/I confirm that the evidence provided is a result of my own work/));
    const button = screen.getByRole('button', { name: 'Submit for assessment' });
    button.focus();
    fireEvent.click(button);
    const confirmation = await screen.findByText('Submitted for assessment. Your assessor can now review it.');
    await waitFor(() => expect(document.activeElement).toBe(confirmation));
  });
});
