import { useId, useRef, useState } from 'react';
import { apiRoutes, type AssessmentActionPlan } from '@attest/contracts';
import { ASSESSMENT_METHODS } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { actionPlanFormOf, buildActionPlanRequest, type ActionPlanForm } from './action-plan-form.ts';
import { FormActions } from '../components/form-actions.tsx';

type Save = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };

/** The assessment action plan (seed 004): methods, venue, dates, evidence requirements, feedback arrangements. */
export function ActionPlanEditor({ api, learnerUserId, plan, onSaved }: { api: ApiClient; learnerUserId: string; plan: AssessmentActionPlan | null; onSaved: (plan: AssessmentActionPlan) => void }) {
  const id = useId();
  const [form, setForm] = useState<ActionPlanForm>(() => actionPlanFormOf(plan));
  const [version, setVersion] = useState(plan?.version ?? 0);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useFocusFirstError(formRef);
  const edit = (change: Partial<ActionPlanForm>) => setForm((current) => ({ ...current, ...change }));

  async function submit() {
    if (save.status === 'saving') return;
    const built = buildActionPlanRequest(form, version);
    if (!built.ok) {
      setErrors(built.errors);
      focusFirstError();
      return setSave({ status: 'error', message: 'Check the fields marked above.' });
    }
    setErrors(new Map());
    setSave({ status: 'saving' });
    try {
      const saved = await api.call(apiRoutes.saveActionPlan, { params: { userId: learnerUserId }, body: built.request });
      setVersion(saved.version);
      setSave({ status: 'saved' });
      onSaved(saved);
    } catch (error) {
      const failure = asApiRequestError(error);
      setSave({ status: 'error', message: failure.status === 409 ? 'Another assessor changed the plan meanwhile. Reload the learner to see their version; your text is still here to copy.' : failure.message });
    }
  }

  const methodsError = errors.get('plannedMethods');
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
      <h3 id={`${id}-title`}>Assessment action plan</h3>
      {plan === null ? null : (
        <p className="hint">
          Version {plan.version}, last saved by {plan.updatedByName ?? 'an assessor'} on {formatDate(plan.updatedAt)}.
        </p>
      )}
      <fieldset className="form-section" aria-describedby={methodsError === undefined ? undefined : `${id}-methods-error`}>
        <legend>Evidence assessed by</legend>
        {form.plannedMethods.map((m, index) => (
          <div key={index} className="row-fields">
            <div className="field">
              <label htmlFor={`${id}-method-${index}`}>Method {index + 1}</label>
              <select id={`${id}-method-${index}`} value={m.method} onChange={(e) => edit({ plannedMethods: form.plannedMethods.map((x, i) => (i === index ? { ...x, method: e.target.value as typeof m.method } : x)) })}>
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
              <input id={`${id}-notes-${index}`} type="text" value={m.notes} onChange={(e) => edit({ plannedMethods: form.plannedMethods.map((x, i) => (i === index ? { ...x, notes: e.target.value } : x)) })} />
            </div>
          </div>
        ))}
        <p>
          <button type="button" className="button button-secondary button-small" onClick={() => edit({ plannedMethods: [...form.plannedMethods, { method: '', notes: '' }] })}>
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
        <input id={`${id}-venue`} type="text" value={form.venue} onChange={(e) => edit({ venue: e.target.value })} />
      </div>
      <fieldset className="form-section">
        <legend>Dates</legend>
        {form.dates.length === 0 ? <p className="hint">No dates planned yet.</p> : null}
        {form.dates.map((d, index) => {
          const dateError = errors.get(`dates.${index}.date`);
          const change = (patch: Partial<typeof d>) => edit({ dates: form.dates.map((x, i) => (i === index ? { ...x, ...patch } : x)) });
          return (
            <div key={index} className="row-fields">
              <div className="field">
                <label htmlFor={`${id}-date-${index}`}>Date {index + 1}</label>
                <input id={`${id}-date-${index}`} type="date" value={d.date} aria-invalid={dateError !== undefined} aria-describedby={dateError === undefined ? undefined : `${id}-date-${index}-error`} onChange={(e) => change({ date: e.target.value })} />
                {dateError === undefined ? null : (
                  <p className="field-error" id={`${id}-date-${index}-error`}>
                    {dateError}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor={`${id}-time-${index}`}>Time {index + 1} (optional)</label>
                <input id={`${id}-time-${index}`} type="text" value={d.time} maxLength={20} onChange={(e) => change({ time: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-activity-${index}`}>Activity {index + 1}</label>
                <input id={`${id}-activity-${index}`} type="text" value={d.activity} onChange={(e) => change({ activity: e.target.value })} />
              </div>
            </div>
          );
        })}
        <p>
          <button type="button" className="button button-secondary button-small" onClick={() => edit({ dates: [...form.dates, { date: '', time: '', activity: '' }] })}>
            Add a date
          </button>
        </p>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-requirements`}>Action plan and evidence requirements</label>
        <textarea id={`${id}-requirements`} rows={4} value={form.evidenceRequirements} onChange={(e) => edit({ evidenceRequirements: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-arrangements`}>Feedback arrangements</label>
        <textarea id={`${id}-arrangements`} rows={3} value={form.feedbackArrangements} onChange={(e) => edit({ feedbackArrangements: e.target.value })} />
      </div>
      <FormActions statusText={save.status === 'saving' ? 'Saving…' : save.status === 'saved' ? 'Action plan saved.' : ''} errorText={save.status === 'error' ? `Not saved: ${save.message}` : null}>
        <button type="submit" className="button" aria-disabled={save.status === 'saving'}>
          Save the action plan
        </button>
      </FormActions>
    </form>
  );
}
