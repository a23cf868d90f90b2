import { useId, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { apiRoutes, FeedbackRequestSchema, type Feedback } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { useFormSave } from '../components/use-form-save.ts';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { FormActions } from '../components/form-actions.tsx';

interface FeedbackForm {
  text: string;
  actionPlan: string;
}

/**
 * The fields as the contract's request: unit feedback (no item), an empty action plan as none, then
 * checked by FeedbackRequestSchema itself, which trims the text and refuses it empty.
 */
export const FeedbackFormSchema = z
  .object({ text: z.string(), actionPlan: z.string() })
  .transform((form): z.input<typeof FeedbackRequestSchema> => ({ itemId: null, text: form.text, actionPlan: form.actionPlan.trim() === '' ? null : form.actionPlan }))
  .pipe(FeedbackRequestSchema);

/** Feedback on the unit with an action plan for the candidate; the learner sees it on their unit page. */
export function FeedbackComposer({ api, learnerUserId, onSent }: { api: ApiClient; learnerUserId: string; onSent: (feedback: Feedback) => void }) {
  const id = useId();
  const { register, handleSubmit, reset, formState } = useForm<FeedbackForm, unknown, z.output<typeof FeedbackFormSchema>>({ defaultValues: { text: '', actionPlan: '' }, resolver: zodResolver(FeedbackFormSchema) });
  const save = useFormSave(
    (body: z.output<typeof FeedbackFormSchema>) => api.call(apiRoutes.addFeedback, { params: { userId: learnerUserId }, body }),
    (sent: Feedback) => {
      reset();
      onSent(sent);
    },
  );
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);
  // The only field the schema can refuse here is the empty (or blank) text.
  const error = formState.errors.text === undefined ? null : 'Write the feedback before sending it.';

  return (
    <form
      ref={formRef}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) =>
        void handleSubmit(
          (valid) => save.save(valid),
          () => {
            save.refuse();
            focusFirstError();
          },
        )(event)
      }
    >
      <h3 id={`${id}-title`}>Give feedback</h3>
      <div className="field">
        <label htmlFor={`${id}-text`}>Feedback to the candidate</label>
        <textarea id={`${id}-text`} rows={4} aria-invalid={error !== null} aria-describedby={error === null ? undefined : `${id}-error`} {...register('text')} />
        {error === null ? null : (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-plan`}>Action plan for the candidate (optional)</label>
        <textarea id={`${id}-plan`} rows={3} {...register('actionPlan')} />
      </div>
      <FormActions statusText={save.state.status === 'saving' ? 'Sending…' : save.state.status === 'saved' ? 'Feedback sent. The learner can see it now.' : ''} errorText={save.state.status === 'error' ? `Not sent: ${save.state.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.state.status === 'saving'}>
          Send feedback
        </button>
      </FormActions>
    </form>
  );
}
