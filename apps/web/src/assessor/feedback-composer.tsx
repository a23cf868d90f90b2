import { useId, useRef, useState } from 'react';
import { apiRoutes, type Feedback } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { FormActions } from '../components/form-actions.tsx';

type Save = { status: 'idle' } | { status: 'saving' } | { status: 'sent' } | { status: 'error'; message: string };

/** Feedback on the unit with an action plan for the candidate; the learner sees it on their unit page. */
export function FeedbackComposer({ api, learnerUserId, onSent }: { api: ApiClient; learnerUserId: string; onSent: (feedback: Feedback) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [actionPlan, setActionPlan] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);

  async function submit() {
    if (save.status === 'saving') return;
    if (text.trim() === '') {
      setError('Write the feedback before sending it.');
      focusFirstError();
      return setSave({ status: 'idle' });
    }
    setError(null);
    setSave({ status: 'saving' });
    try {
      const sent = await api.call(apiRoutes.addFeedback, { params: { userId: learnerUserId }, body: { itemId: null, text: text.trim(), actionPlan: actionPlan.trim() === '' ? null : actionPlan.trim() } });
      setText('');
      setActionPlan('');
      setSave({ status: 'sent' });
      onSent(sent);
    } catch (failure) {
      setSave({ status: 'error', message: asApiRequestError(failure).message });
    }
  }

  return (
    <form
      ref={formRef}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>Give feedback</h3>
      <div className="field">
        <label htmlFor={`${id}-text`}>Feedback to the candidate</label>
        <textarea id={`${id}-text`} rows={4} value={text} aria-invalid={error !== null} aria-describedby={error === null ? undefined : `${id}-error`} onChange={(e) => setText(e.target.value)} />
        {error === null ? null : (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-plan`}>Action plan for the candidate (optional)</label>
        <textarea id={`${id}-plan`} rows={3} value={actionPlan} onChange={(e) => setActionPlan(e.target.value)} />
      </div>
      <FormActions statusText={save.status === 'saving' ? 'Sending…' : save.status === 'sent' ? 'Feedback sent. The learner can see it now.' : ''} errorText={save.status === 'error' ? `Not sent: ${save.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.status === 'saving'}>
          Send feedback
        </button>
      </FormActions>
    </form>
  );
}
