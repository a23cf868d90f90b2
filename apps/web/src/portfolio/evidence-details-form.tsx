import { useId, useState, type ReactNode } from 'react';
import type { EvidenceDraft } from '@attest/contracts';
import { findDraftProblem, type AutosaveState } from './autosave-machine.ts';

export const EVIDENCE_TYPES: ReadonlyArray<{ value: EvidenceDraft['evidenceType']; label: string }> = [
  { value: 'work-product', label: 'Work product' },
  { value: 'personal-statement', label: 'Personal statement' },
  { value: 'photo', label: 'Photo' },
  { value: 'recording', label: 'Audio or video recording' },
  { value: 'document', label: 'Document' },
  { value: 'witness-statement', label: 'Witness statement (uploaded)' },
];

export const WORK_SETTING_OPTIONS: ReadonlyArray<{ value: EvidenceDraft['workSetting']; label: string; hint: string }> = [
  { value: 'real-job', label: 'Real job', hint: 'Your everyday work with real customers.' },
  { value: 'rwe', label: 'Realistic working environment', hint: 'A workplace set up to match real work, such as a training restaurant or salon.' },
  { value: 'simulation', label: 'Simulation', hint: 'A role play or exercise; some units do not accept it as performance evidence.' },
];

/**
 * The item's text fields, controlled by the autosave's draft: every keystroke is an `edit` event of
 * the tested autosave machine, which owns validation (findDraftProblem) and what is sent.
 */
export function EvidenceDetailsForm({ state, today, isLocked, onEdit }: { state: AutosaveState; today: string; isLocked: boolean; onEdit: (patch: Partial<EvidenceDraft>) => void }) {
  const id = useId();
  const edit = onEdit;
  // A field's error shows once the learner has been in that field (typed, or left it): a new item
  // opens without a red "Give the evidence a title." the learner has had no chance to act on.
  const [touched, setTouched] = useState<ReadonlySet<'title' | 'activityDate'>>(new Set());
  const touch = (field: 'title' | 'activityDate') => setTouched((current) => (current.has(field) ? current : new Set([...current, field])));
  const editTouching = (field: 'title' | 'activityDate', patch: Partial<EvidenceDraft>) => {
    touch(field);
    edit(patch);
  };
  const problem = state.status === 'invalid' ? findDraftProblem(state.draft) : null;
  const titleError = problem?.field === 'title' && touched.has('title') ? problem.message : null;
  const dateError = problem?.field === 'activityDate' && touched.has('activityDate') ? problem.message : null;
  return (
    <form className="evidence-form" aria-labelledby={`${id}-details`} onSubmit={(event) => event.preventDefault()}>
      <fieldset className="form-section" disabled={isLocked}>
        <legend id={`${id}-details`}>Details</legend>
        <Field id={`${id}-title`} label="Title" error={titleError}>
          <input id={`${id}-title`} type="text" value={state.draft.title} maxLength={200} aria-invalid={titleError !== null} aria-describedby={titleError === null ? undefined : `${id}-title-error`} onChange={(e) => editTouching('title', { title: e.target.value })} onBlur={() => touch('title')} />
        </Field>
        <Field id={`${id}-description`} label="Description or reflective account" hint="What you did, for whom, and how it shows the standards. Write it in your own words.">
          <textarea id={`${id}-description`} rows={6} maxLength={20_000} value={state.draft.description} aria-describedby={`${id}-description-hint`} onChange={(e) => edit({ description: e.target.value })} />
        </Field>
        <Field id={`${id}-date`} label="Date of the activity" error={dateError}>
          <input id={`${id}-date`} type="date" value={state.draft.activityDate} max={today} aria-invalid={dateError !== null} aria-describedby={dateError === null ? undefined : `${id}-date-error`} onChange={(e) => editTouching('activityDate', { activityDate: e.target.value })} onBlur={() => touch('activityDate')} />
        </Field>
        <Field id={`${id}-customer`} label="Customer (optional)" hint="Your own label, such as “Mrs P, returns desk”: units often ask for different customers.">
          <input id={`${id}-customer`} type="text" value={state.draft.customerRef ?? ''} maxLength={200} aria-describedby={`${id}-customer-hint`} onChange={(e) => edit({ customerRef: e.target.value === '' ? null : e.target.value })} />
        </Field>
        <Field id={`${id}-occasion`} label="Occasion (optional)" hint="Your own label, such as “Saturday 3 May rush”: units often ask for different occasions.">
          <input id={`${id}-occasion`} type="text" value={state.draft.occasionRef ?? ''} maxLength={200} aria-describedby={`${id}-occasion-hint`} onChange={(e) => edit({ occasionRef: e.target.value === '' ? null : e.target.value })} />
        </Field>
        <Field id={`${id}-type`} label="Evidence type" hint="A witness statement counts as witness testimony (WT); everything else you bring from work counts as product evidence (PE).">
          <select id={`${id}-type`} value={state.draft.evidenceType} aria-describedby={`${id}-type-hint`} onChange={(e) => edit({ evidenceType: e.target.value as EvidenceDraft['evidenceType'] })}>
            {EVIDENCE_TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="choice-group">
          <legend>Work setting</legend>
          {WORK_SETTING_OPTIONS.map((setting) => (
            <div key={setting.value} className="choice">
              <input id={`${id}-setting-${setting.value}`} type="radio" name={`${id}-setting`} value={setting.value} checked={state.draft.workSetting === setting.value} aria-describedby={`${id}-setting-${setting.value}-hint`} onChange={() => edit({ workSetting: setting.value })} />
              <label htmlFor={`${id}-setting-${setting.value}`}>{setting.label}</label>
              <p className="hint" id={`${id}-setting-${setting.value}-hint`}>
                {setting.hint}
              </p>
            </div>
          ))}
        </fieldset>
      </fieldset>
    </form>
  );
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | null; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
