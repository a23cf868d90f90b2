import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { get, useFieldArray, useForm, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { apiRoutes, SUPPLEMENTARY_EVIDENCE_KINDS, type AssessorEvidenceItem, type AssessorRecord, type EvidenceMappingTarget, type RecordKind } from '@attest/contracts';
import { EXPERT_WITNESS_ELIGIBILITY, WITNESS_STATUS_CATEGORIES, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { setTarget } from '../portfolio/edit-mappings.ts';
import { UnitTargets } from '../portfolio/mapping-editor.tsx';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { RECORD_KINDS, recordFormErrors, RecordFormSchema, recordKindLabel, signRecordConfirmation, SUPPLEMENTARY_LABELS, type RecordBody, type RecordForm, type RecordFormValues } from './record-form.ts';
import { FormActions } from '../components/form-actions.tsx';
import { ConfirmIrreversible } from '../components/confirm-irreversible.tsx';
import { useFormSave } from '../components/use-form-save.ts';

export interface RecordFormViewProps {
  api: ApiClient;
  unit: Unit;
  learnerUserId: string;
  /** The learner's items, for picking a professional discussion's recording. */
  items: readonly AssessorEvidenceItem[];
  initial: RecordForm;
  initialTargets: readonly EvidenceMappingTarget[];
  /** The signed record this one corrects, or null for a new record. */
  supersedes: AssessorRecord | null;
  /** The unsigned draft being edited (PUT with its version), or null to create a record. */
  editing?: AssessorRecord | null;
  today: string;
  onSaved: (record: AssessorRecord) => void;
  onCancel: () => void;
}

/** The form's fields as the parts below use them: registration, the value it started from, and its error. */
interface Fields {
  register: UseFormRegister<RecordFormValues>;
  /** The field's current value, for an uncontrolled control's first render. */
  valueOf: (path: string) => unknown;
  errorAt: (path: string) => string | undefined;
}

/** Field props tying a control to its error message (WCAG 3.3.1): `aria-invalid` and `aria-describedby`. */
function errorProps(fields: Fields, path: string, id: string) {
  return fields.errorAt(path) === undefined ? { 'aria-invalid': false } : { 'aria-invalid': true, 'aria-describedby': `${id}-error` };
}

function FieldError({ fields, path, id }: { fields: Fields; path: string; id: string }) {
  const error = fields.errorAt(path);
  return error === undefined ? null : (
    <p className="field-error" id={`${id}-error`}>
      {error}
    </p>
  );
}

function TextField({ label, path, fields, isLong, type = 'text', hint, max }: { label: string; path: string; fields: Fields; isLong?: boolean; type?: 'text' | 'date'; hint?: string; max?: string }) {
  const id = useId();
  const hasError = fields.errorAt(path) !== undefined;
  const described = [hint === undefined ? null : `${id}-hint`, hasError ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  // Paths are the form's own (`questions.0.answer`); RHF types them by the values, which a string cannot show.
  const common = { id, defaultValue: String(fields.valueOf(path) ?? ''), 'aria-invalid': hasError, 'aria-describedby': described === '' ? undefined : described, ...fields.register(path as 'place') };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {isLong === true ? <textarea {...common} rows={5} /> : <input {...common} type={type} max={max} />}
      <FieldError fields={fields} path={path} id={id} />
    </div>
  );
}

/** Every field error's path (`witness.name`, `questions.1.answer`), as the form holds them nested. */
function errorPaths(errors: object, prefix = ''): string[] {
  return Object.entries(errors).flatMap(([key, value]: [string, unknown]) => {
    if (value === null || typeof value !== 'object') return [];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return 'type' in value && 'message' in value ? [path] : errorPaths(value, path);
  });
}

/**
 * A new assessor record of any Appendix 2 kind, mapped to this unit's statements, scope items and
 * knowledge statements. "Save and sign" signs it at once; a draft can be signed from the list.
 * React Hook Form holds the fields; the resolver parses them with RecordFormSchema (the contract's
 * RecordContentSchema and request body), so what it lets through is what the server takes.
 */
export function RecordFormView({ api, unit, learnerUserId, items, initial, initialTargets, supersedes, editing = null, today, onSaved, onCancel }: RecordFormViewProps) {
  const id = useId();
  // Errors change on a save only; the effect below takes away those the assessor has put right.
  const { register, control, handleSubmit, watch, getValues, setValue, clearErrors, formState } = useForm<RecordFormValues, unknown, RecordBody>({ defaultValues: { ...initial, targets: [...initialTargets] }, resolver: zodResolver(RecordFormSchema), mode: 'onSubmit', reValidateMode: 'onSubmit', shouldFocusError: false });
  const questions = useFieldArray({ control, name: 'questions' });
  const form = watch();
  const save = useFormSave(async ({ body, sign }: { body: RecordBody; sign: boolean }) => {
    if (editing === null) return api.call(apiRoutes.createRecord, { params: { userId: learnerUserId }, body: { ...body, sign, supersedes: supersedes?.id ?? null } });
    // A draft is saved with the version it was read at, then signed with the version that save made.
    const saved = await api.call(apiRoutes.updateRecord, { params: { userId: learnerUserId, recordId: editing.id }, body: { baseVersion: editing.version, ...body } });
    return sign ? api.call(apiRoutes.signRecord, { params: { userId: learnerUserId, recordId: saved.id }, body: { baseVersion: saved.version } }) : saved;
  }, onSaved);
  const formRef = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The form replaces the button that opened it, so focus moves to its heading rather than being lost.
  useEffect(() => heading.current?.focus(), []);
  const focusFirstError = useFocusFirstError(formRef);
  // Once shown, a field's error goes away as soon as the field is right; new ones wait for the next save.
  useEffect(() => {
    const shown = errorPaths(formState.errors);
    if (shown.length === 0) return;
    const still = recordFormErrors(getValues());
    const gone = shown.filter((path) => !still.has(path));
    if (gone.length > 0) clearErrors(gone as Array<keyof RecordFormValues>);
  });
  const fields: Fields = { register, valueOf: (path) => get(form, path), errorAt: (path) => (get(formState.errors, path) as { message?: string } | undefined)?.message };
  const recordings = items.flatMap((item) => item.files.filter((f) => f.mediaType.startsWith('audio/') || f.mediaType.startsWith('video/')).map((file) => ({ item, file })));

  function refuseInvalid(errors: FieldErrors<RecordFormValues>) {
    const count = errorPaths(errors).length;
    focusFirstError();
    save.refuse(count === 1 ? 'One field needs attention.' : `${count} fields need attention.`);
  }

  function submit(sign: boolean) {
    if (save.state.status === 'saving') return;
    void handleSubmit((body) => save.save({ body, sign }), refuseInvalid)();
  }

  // "Save and sign" checks the fields first, then asks once: a signed record cannot be edited.
  const [toSign, setToSign] = useState<RecordBody | null>(null);
  const signButton = useRef<HTMLButtonElement>(null);
  function askToSign() {
    if (save.state.status === 'saving') return;
    void handleSubmit((body) => setToSign(body), refuseInvalid)();
  }

  const kindFields: Record<RecordKind, ReactNode> = {
    observation: (
      <>
        <TextField label="Place" path="place" fields={fields} />
        <TextField label="What you saw the candidate do" path="observed" fields={fields} isLong hint="Refer to the standards: the criteria, scope and knowledge this shows." />
        <fieldset className="choice-group">
          <legend>Supplementary evidence seen</legend>
          {SUPPLEMENTARY_EVIDENCE_KINDS.map((kind) => (
            <div key={kind}>
              <div className="choice">
                <input id={`${id}-sup-${kind}`} type="checkbox" defaultChecked={form.supplementary[kind].isSeen} {...register(`supplementary.${kind}.isSeen`)} />
                <label htmlFor={`${id}-sup-${kind}`}>{SUPPLEMENTARY_LABELS[kind]}</label>
              </div>
              {form.supplementary[kind].isSeen ? (
                <div className="field nested-field">
                  <label htmlFor={`${id}-sup-${kind}-where`}>Where the {SUPPLEMENTARY_LABELS[kind].toLowerCase()} can be found</label>
                  <input id={`${id}-sup-${kind}-where`} type="text" defaultValue={form.supplementary[kind].location} {...register(`supplementary.${kind}.location`)} />
                </div>
              ) : null}
            </div>
          ))}
        </fieldset>
      </>
    ),
    questioning: (
      <>
        <fieldset className="choice-group">
          <legend>Questions were</legend>
          {(['oral', 'written'] as const).map((mode) => (
            <div key={mode} className="choice">
              <input id={`${id}-mode-${mode}`} type="radio" value={mode} defaultChecked={form.mode === mode} {...register('mode')} />
              <label htmlFor={`${id}-mode-${mode}`}>{mode === 'oral' ? 'Oral (Q)' : 'Written (WQ)'}</label>
            </div>
          ))}
        </fieldset>
        {questions.fields.map((q, index) => (
          <fieldset key={q.id} className="form-section">
            <legend>Question {index + 1}</legend>
            <TextField label={`Question ${index + 1}`} path={`questions.${index}.question`} fields={fields} isLong />
            <TextField label={`Answer ${index + 1}`} path={`questions.${index}.answer`} fields={fields} isLong />
            {questions.fields.length > 1 ? (
              <p>
                <button type="button" className="button button-secondary button-small" onClick={() => questions.remove(index)}>
                  Remove question {index + 1}
                </button>
              </p>
            ) : null}
          </fieldset>
        ))}
        <p>
          <button type="button" className="button button-secondary" onClick={() => questions.append({ question: '', answer: '' }, { shouldFocus: false })}>
            Add a question
          </button>
        </p>
      </>
    ),
    'professional-discussion': (
      <>
        <TextField label="Topics discussed" path="topics" fields={fields} isLong hint="One topic per line." />
        <TextField label="Summary of the discussion" path="summary" fields={fields} isLong />
        <div className="field">
          <label htmlFor={`${id}-recording`}>Recording of the discussion</label>
          <p className="hint" id={`${id}-recording-hint`}>
            An audio or video file uploaded to one of the learner’s items, if the discussion was recorded.
          </p>
          <select id={`${id}-recording`} defaultValue={form.recording} aria-describedby={`${id}-recording-hint`} {...register('recording')}>
            <option value="">No recording</option>
            {recordings.map(({ item, file }) => (
              <option key={file.id} value={`${item.id}|${file.id}`}>
                {file.name} ({item.title})
              </option>
            ))}
          </select>
        </div>
      </>
    ),
    'witness-testimony': <WitnessFields fields={fields} />,
    'expert-witness': (
      <>
        <WitnessFields fields={fields} />
        <fieldset className="form-section">
          <legend>Expert witness eligibility</legend>
          <p className="hint">All three are required by the awarding body.</p>
          {(
            [
              ['supervisoryExperienceTwoYears', 0],
              ['knowsStandards', 1],
              ['cpd', 2],
            ] as const
          ).map(([key, index]) => (
            <div key={key} className="choice">
              <input id={`${id}-elig-${key}`} type="checkbox" defaultChecked={form.eligibility[key]} {...errorProps(fields, `eligibility.${key}`, `${id}-elig-${key}`)} {...register(`eligibility.${key}`)} />
              <label htmlFor={`${id}-elig-${key}`}>{EXPERT_WITNESS_ELIGIBILITY.required[index].text}</label>
              <FieldError fields={fields} path={`eligibility.${key}`} id={`${id}-elig-${key}`} />
            </div>
          ))}
          <TextField label="How eligibility was checked" path="eligibility.evidenceOfEligibility" fields={fields} isLong hint="For example the CV or CPD log you saw." />
          <p className="hint">{EXPERT_WITNESS_ELIGIBILITY.desirable}</p>
          <div className="choice">
            <input id={`${id}-elig-award`} type="checkbox" defaultChecked={form.eligibility.holdsOrWorksTowardsAssessorAward} {...register('eligibility.holdsOrWorksTowardsAssessorAward')} />
            <label htmlFor={`${id}-elig-award`}>Holds or is working towards an assessor award</label>
          </div>
          <div className="choice">
            <input id={`${id}-elig-quality`} type="checkbox" defaultChecked={form.eligibility.hasQualityResponsibility} {...register('eligibility.hasQualityResponsibility')} />
            <label htmlFor={`${id}-elig-quality`}>Is responsible for the quality of the candidate’s work</label>
          </div>
        </fieldset>
      </>
    ),
    'prior-achievement': (
      <>
        <TextField label="Title of the award" path="title" fields={fields} />
        <TextField label="Awarding body" path="awardingBody" fields={fields} />
        <TextField label="Certificate number (optional)" path="certificateRef" fields={fields} />
        <TextField label="How you checked it" path="verification" fields={fields} isLong hint="How you confirmed the award is authentic and current." />
      </>
    ),
  };

  const targetsError = fields.errorAt('targets');
  return (
    <form
      ref={formRef}
      className="record-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit(false);
      }}
    >
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>{editing !== null ? `Draft ${recordKindLabel(editing.kind).toLowerCase()}` : supersedes === null ? 'New assessment record' : `Correction of the ${recordKindLabel(supersedes.kind).toLowerCase()}`}</h3>
      {supersedes === null ? null : <p className="notice">The signed record stays as it is; this correction is a new record linked to it, and replaces it in the unit’s verdict once saved.</p>}
      {/* A correction or a draft keeps its kind: the API refuses to change it. */}
      <fieldset className="choice-group" disabled={supersedes !== null || editing !== null}>
        <legend>Record type</legend>
        {RECORD_KINDS.map((kind) => (
          <div key={kind.kind} className="choice">
            <input id={`${id}-kind-${kind.kind}`} type="radio" value={kind.kind} defaultChecked={form.kind === kind.kind} aria-describedby={`${id}-kind-${kind.kind}-hint`} {...register('kind')} />
            <label htmlFor={`${id}-kind-${kind.kind}`}>{kind.label}</label>
            <p className="hint" id={`${id}-kind-${kind.kind}-hint`}>
              {kind.hint}
            </p>
          </div>
        ))}
      </fieldset>

      <TextField label={form.kind === 'prior-achievement' ? 'Date of the award' : 'Date'} path="date" fields={fields} type="date" max={today} />
      {form.kind === 'prior-achievement' ? null : (
        <>
          <fieldset className="choice-group">
            <legend>Work setting</legend>
            {(
              [
                ['real-job', 'Real job'],
                ['rwe', 'Realistic working environment'],
                ['simulation', 'Simulation'],
              ] as const
            ).map(([value, label]) => (
              <div key={value} className="choice">
                <input id={`${id}-setting-${value}`} type="radio" value={value} defaultChecked={form.workSetting === value} {...register('workSetting')} />
                <label htmlFor={`${id}-setting-${value}`}>{label}</label>
              </div>
            ))}
          </fieldset>
          <TextField label="Customer (optional)" path="customerRef" fields={fields} />
          <TextField label="Occasion (optional)" path="occasionRef" fields={fields} />
        </>
      )}
      {kindFields[form.kind]}

      <div className="field">
        <UnitTargets unit={unit} targets={form.targets} isDisabled={false} onToggle={(target, isChecked) => setValue('targets', setTarget(getValues('targets'), target, isChecked), { shouldDirty: true })} />
        {targetsError === undefined ? null : (
          <p className="field-error" id={`${id}-targets-error`} tabIndex={-1} data-focus-on-error="">
            {targetsError}
          </p>
        )}
      </div>

      <FormActions statusText={save.state.status === 'saving' ? 'Saving…' : ''} errorText={save.state.status === 'error' ? `Not saved: ${save.state.message}` : null}>
        <button type="submit" className="button button-secondary" aria-disabled={save.state.status === 'saving'}>
          Save as draft
        </button>
        <button ref={signButton} type="button" className="button" aria-disabled={save.state.status === 'saving'} aria-expanded={toSign !== null} onClick={askToSign}>
          Save and sign
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </FormActions>
      {toSign === null ? null : (
        <ConfirmIrreversible
          {...signRecordConfirmation(recordKindLabel(form.kind))}
          isBusy={save.state.status === 'saving'}
          onConfirm={() => {
            const body = toSign;
            setToSign(null);
            void save.save({ body, sign: true });
          }}
          onKeep={() => {
            setToSign(null);
            signButton.current?.focus();
          }}
        />
      )}
    </form>
  );
}

function WitnessFields({ fields }: { fields: Fields }) {
  const id = useId();
  return (
    <>
      <fieldset className="form-section">
        <legend>Witness</legend>
        <TextField label="Witness name" path="witness.name" fields={fields} />
        <TextField label="Contact details" path="witness.contact" fields={fields} />
        <TextField label="Position" path="witness.position" fields={fields} />
        <TextField label="Relationship to the candidate" path="witness.relationshipToCandidate" fields={fields} />
        <div className="field">
          <label htmlFor={`${id}-status`}>Witness status category</label>
          <select id={`${id}-status`} defaultValue={String(fields.valueOf('witness.status') ?? '')} {...errorProps(fields, 'witness.status', `${id}-status`)} {...fields.register('witness.status')}>
            <option value="">Choose a category</option>
            {WITNESS_STATUS_CATEGORIES.map((category) => (
              <option key={category.status} value={String(category.status)}>
                {category.status}: {category.text}
              </option>
            ))}
          </select>
          <FieldError fields={fields} path="witness.status" id={`${id}-status`} />
        </div>
      </fieldset>
      <TextField label="Witness statement" path="statement" fields={fields} isLong />
      <TextField label="Units witnessed" path="unitsWitnessed" fields={fields} isLong hint="One unit per line; the witness status list is drawn from these." />
    </>
  );
}
