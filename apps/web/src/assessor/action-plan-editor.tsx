import { useId, useRef, useState } from 'react';
import { useFieldArray, useForm, get, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { apiRoutes, type ActionPlan, type AssessmentActionPlan } from '@attest/contracts';
import { ASSESSMENT_METHODS } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { useFormSave } from '../components/use-form-save.ts';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { actionPlanFormOf, ActionPlanFormSchema, actionPlanMessage, type ActionPlanForm } from './action-plan-form.ts';
import { FormActions } from '../components/form-actions.tsx';

/**
 * The assessment action plan (seed 004): methods, venue, dates, evidence requirements, feedback
 * arrangements. React Hook Form holds the fields; the resolver parses them with the contract's
 * ActionPlanSchema (ActionPlanFormSchema), so what it lets through is the body the server takes.
 */
export function ActionPlanEditor({ api, learnerUserId, plan, onSaved }: { api: ApiClient; learnerUserId: string; plan: AssessmentActionPlan | null; onSaved: (plan: AssessmentActionPlan) => void }) {
  const id = useId();
  const [version, setVersion] = useState(plan?.version ?? 0);
  const { register, control, handleSubmit, formState } = useForm<ActionPlanForm, unknown, ActionPlan>({ defaultValues: actionPlanFormOf(plan), resolver: zodResolver(ActionPlanFormSchema) });
  const methods = useFieldArray({ control, name: 'plannedMethods' });
  const dates = useFieldArray({ control, name: 'dates' });
  const save = useFormSave(
    (body: { baseVersion: number; plan: ActionPlan }) => api.call(apiRoutes.saveActionPlan, { params: { userId: learnerUserId }, body }),
    (saved: AssessmentActionPlan) => {
      setVersion(saved.version);
      onSaved(saved);
    },
    (failure) => (failure.status === 409 ? 'Another assessor changed the plan meanwhile. Reload the learner to see their version; your text is still here to copy.' : failure.message),
  );
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);
  // The contract's own messages are for developers; the assessor reads these, by field.
  const errorAt = (path: string) => (get(formState.errors as FieldErrors, path) === undefined ? undefined : actionPlanMessage(path));

  const methodsError = errorAt('plannedMethods');
  return (
    <form
      ref={formRef}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) =>
        void handleSubmit(
          (valid) => save.save({ baseVersion: version, plan: valid }),
          () => {
            save.refuse('Check the fields marked above.');
            focusFirstError();
          },
        )(event)
      }
    >
      <h3 id={`${id}-title`}>Assessment action plan</h3>
      {plan === null ? null : (
        <p className="hint">
          Version {plan.version}, last saved by {plan.updatedByName ?? 'an assessor'} on {formatDate(plan.updatedAt)}.
        </p>
      )}
      <fieldset className="form-section" aria-describedby={methodsError === undefined ? undefined : `${id}-methods-error`}>
        <legend>Evidence assessed by</legend>
        {methods.fields.map((m, index) => (
          <div key={m.id} className="row-fields">
            <div className="field">
              <label htmlFor={`${id}-method-${index}`}>Method {index + 1}</label>
              <select id={`${id}-method-${index}`} defaultValue={m.method} {...register(`plannedMethods.${index}.method`)}>
                <option value="">None</option>
                {ASSESSMENT_METHODS.map((method) => (
                  <option key={method.code} value={method.code}>
                    {method.code}: {method.labels[0]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-notes-${index}`}>What method {index + 1} will cover</label>
              <input id={`${id}-notes-${index}`} type="text" {...register(`plannedMethods.${index}.notes`)} />
            </div>
          </div>
        ))}
        <p>
          <button type="button" className="button button-secondary button-small" onClick={() => methods.append({ method: '', notes: '' }, { shouldFocus: false })}>
            Add a method
          </button>
        </p>
        {methodsError === undefined ? null : (
          <p className="field-error" id={`${id}-methods-error`} tabIndex={-1} data-focus-on-error="">
            {methodsError}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-venue`}>Venue</label>
        <input id={`${id}-venue`} type="text" {...register('venue')} />
      </div>
      <fieldset className="form-section">
        <legend>Dates</legend>
        {dates.fields.length === 0 ? <p className="hint">No dates planned yet.</p> : null}
        {dates.fields.map((d, index) => {
          const dateError = errorAt(`dates.${index}.date`);
          return (
            <div key={d.id} className="row-fields">
              <div className="field">
                <label htmlFor={`${id}-date-${index}`}>Date {index + 1}</label>
                <input id={`${id}-date-${index}`} type="date" aria-invalid={dateError !== undefined} aria-describedby={dateError === undefined ? undefined : `${id}-date-${index}-error`} {...register(`dates.${index}.date`)} />
                {dateError === undefined ? null : (
                  <p className="field-error" id={`${id}-date-${index}-error`}>
                    {dateError}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor={`${id}-time-${index}`}>Time {index + 1} (optional)</label>
                <input id={`${id}-time-${index}`} type="text" maxLength={20} {...register(`dates.${index}.time`)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-activity-${index}`}>Activity {index + 1}</label>
                <input id={`${id}-activity-${index}`} type="text" {...register(`dates.${index}.activity`)} />
              </div>
            </div>
          );
        })}
        <p>
          <button type="button" className="button button-secondary button-small" onClick={() => dates.append({ date: '', time: '', activity: '' }, { shouldFocus: false })}>
            Add a date
          </button>
        </p>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-requirements`}>Action plan and evidence requirements</label>
        <textarea id={`${id}-requirements`} rows={4} {...register('evidenceRequirements')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-arrangements`}>Feedback arrangements</label>
        <textarea id={`${id}-arrangements`} rows={3} {...register('feedbackArrangements')} />
      </div>
      <FormActions statusText={save.state.status === 'saving' ? 'Saving…' : save.state.status === 'saved' ? 'Action plan saved.' : ''} errorText={save.state.status === 'error' ? `Not saved: ${save.state.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.state.status === 'saving'}>
          Save the action plan
        </button>
      </FormActions>
    </form>
  );
}
