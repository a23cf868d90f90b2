import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { apiRoutes, SUPPLEMENTARY_EVIDENCE_KINDS, type AssessorEvidenceItem, type AssessorRecord, type EvidenceMappingTarget, type RecordKind } from '@attest/contracts';
import { EXPERT_WITNESS_ELIGIBILITY, WITNESS_STATUS_CATEGORIES, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { setTarget } from '../portfolio/edit-mappings.ts';
import { UnitTargets } from '../portfolio/mapping-editor.tsx';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { buildCreateRecordRequest, RECORD_KINDS, recordKindLabel, SUPPLEMENTARY_LABELS, type RecordErrors, type RecordForm } from './record-form.ts';
import { FormActions } from '../components/form-actions.tsx';
import type { SaveState } from '../components/use-form-save.ts';

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

/** Field props tying a control to its error message (WCAG 3.3.1): `aria-invalid` and `aria-describedby`. */
function errorProps(errors: RecordErrors, path: string, id: string) {
  const error = errors.get(path);
  return error === undefined ? { 'aria-invalid': false } : { 'aria-invalid': true, 'aria-describedby': `${id}-error` };
}

function FieldError({ errors, path, id }: { errors: RecordErrors; path: string; id: string }) {
  const error = errors.get(path);
  return error === undefined ? null : (
    <p className="field-error" id={`${id}-error`}>
      {error}
    </p>
  );
}

function TextField({ label, path, value, errors, onChange, isLong, type = 'text', hint, max }: { label: string; path: string; value: string; errors: RecordErrors; onChange: (value: string) => void; isLong?: boolean; type?: 'text' | 'date'; hint?: string; max?: string }) {
  const id = useId();
  const described = [hint === undefined ? null : `${id}-hint`, errors.has(path) ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  const common = { id, value, 'aria-invalid': errors.has(path), 'aria-describedby': described === '' ? undefined : described };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {isLong === true ? <textarea {...common} rows={5} onChange={(e) => onChange(e.target.value)} /> : <input {...common} type={type} max={max} onChange={(e) => onChange(e.target.value)} />}
      <FieldError errors={errors} path={path} id={id} />
    </div>
  );
}


/**
 * A new assessor record of any Appendix 2 kind, mapped to this unit's statements, scope items and
 * knowledge statements. "Save and sign" signs it at once; a draft can be signed from the list.
 */
export function RecordFormView({ api, unit, learnerUserId, items, initial, initialTargets, supersedes, editing = null, today, onSaved, onCancel }: RecordFormViewProps) {
  const id = useId();
  const [form, setForm] = useState(initial);
  const [targets, setTargets] = useState<EvidenceMappingTarget[]>([...initialTargets]);
  const [errors, setErrors] = useState<RecordErrors>(new Map());
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The form replaces the button that opened it, so focus moves to its heading rather than being lost.
  useEffect(() => heading.current?.focus(), []);
  const focusFirstError = useFocusFirstError(formRef);
  const edit = (change: Partial<RecordForm>) => setForm((current) => ({ ...current, ...change }));
  // Once shown, a field's error goes away as soon as the field is right; new ones wait for the next save.
  useEffect(() => {
    setErrors((current) => {
      if (current.size === 0) return current;
      const built = buildCreateRecordRequest(form, targets, { sign: false, supersedes: null });
      const still = built.ok ? new Map<string, string>() : built.errors;
      const next = new Map([...current].filter(([path]) => still.has(path)));
      return next.size === current.size ? current : next;
    });
  }, [form, targets]);
  const recordings = items.flatMap((item) => item.files.filter((f) => f.mediaType.startsWith('audio/') || f.mediaType.startsWith('video/')).map((file) => ({ item, file })));

  async function submit(sign: boolean) {
    if (save.status === 'saving') return;
    const built = buildCreateRecordRequest(form, targets, { sign, supersedes: supersedes?.id ?? null });
    if (!built.ok) {
      setErrors(built.errors);
      focusFirstError();
      setSave({ status: 'error', message: built.errors.size === 1 ? 'One field needs attention.' : `${built.errors.size} fields need attention.` });
      return;
    }
    setErrors(new Map());
    setSave({ status: 'saving' });
    try {
      if (editing === null) {
        onSaved(await api.call(apiRoutes.createRecord, { params: { userId: learnerUserId }, body: built.request }));
      } else {
        // A draft is saved with the version it was read at, then signed with the version that save made.
        const saved = await api.call(apiRoutes.updateRecord, { params: { userId: learnerUserId, recordId: editing.id }, body: { baseVersion: editing.version, content: built.request.content, targets: built.request.targets } });
        onSaved(sign ? await api.call(apiRoutes.signRecord, { params: { userId: learnerUserId, recordId: saved.id }, body: { baseVersion: saved.version } }) : saved);
      }
    } catch (error) {
      setSave({ status: 'error', message: asApiRequestError(error).message });
    }
  }

  const kindFields: Record<RecordKind, ReactNode> = {
    observation: (
      <>
        <TextField label="Place" path="place" value={form.place} errors={errors} onChange={(place) => edit({ place })} />
        <TextField label="What you saw the candidate do" path="observed" value={form.observed} errors={errors} onChange={(observed) => edit({ observed })} isLong hint="Refer to the standards: the criteria, scope and knowledge this shows." />
        <fieldset className="choice-group">
          <legend>Supplementary evidence seen</legend>
          {SUPPLEMENTARY_EVIDENCE_KINDS.map((kind) => (
            <div key={kind}>
              <div className="choice">
                <input id={`${id}-sup-${kind}`} type="checkbox" checked={form.supplementary[kind].isSeen} onChange={(e) => edit({ supplementary: { ...form.supplementary, [kind]: { ...form.supplementary[kind], isSeen: e.target.checked } } })} />
                <label htmlFor={`${id}-sup-${kind}`}>{SUPPLEMENTARY_LABELS[kind]}</label>
              </div>
              {form.supplementary[kind].isSeen ? (
                <div className="field nested-field">
                  <label htmlFor={`${id}-sup-${kind}-where`}>Where the {SUPPLEMENTARY_LABELS[kind].toLowerCase()} can be found</label>
                  <input id={`${id}-sup-${kind}-where`} type="text" value={form.supplementary[kind].location} onChange={(e) => edit({ supplementary: { ...form.supplementary, [kind]: { ...form.supplementary[kind], location: e.target.value } } })} />
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
              <input id={`${id}-mode-${mode}`} type="radio" name={`${id}-mode`} checked={form.mode === mode} onChange={() => edit({ mode })} />
              <label htmlFor={`${id}-mode-${mode}`}>{mode === 'oral' ? 'Oral (Q)' : 'Written (WQ)'}</label>
            </div>
          ))}
        </fieldset>
        {form.questions.map((q, index) => (
          <fieldset key={index} className="form-section">
            <legend>Question {index + 1}</legend>
            <TextField label={`Question ${index + 1}`} path={`questions.${index}.question`} value={q.question} errors={errors} onChange={(question) => edit({ questions: form.questions.map((x, i) => (i === index ? { ...x, question } : x)) })} isLong />
            <TextField label={`Answer ${index + 1}`} path={`questions.${index}.answer`} value={q.answer} errors={errors} onChange={(answer) => edit({ questions: form.questions.map((x, i) => (i === index ? { ...x, answer } : x)) })} isLong />
            {form.questions.length > 1 ? (
              <p>
                <button type="button" className="button button-secondary button-small" onClick={() => edit({ questions: form.questions.filter((_, i) => i !== index) })}>
                  Remove question {index + 1}
                </button>
              </p>
            ) : null}
          </fieldset>
        ))}
        <p>
          <button type="button" className="button button-secondary" onClick={() => edit({ questions: [...form.questions, { question: '', answer: '' }] })}>
            Add a question
          </button>
        </p>
      </>
    ),
    'professional-discussion': (
      <>
        <TextField label="Topics discussed" path="topics" value={form.topics} errors={errors} onChange={(topics) => edit({ topics })} isLong hint="One topic per line." />
        <TextField label="Summary of the discussion" path="summary" value={form.summary} errors={errors} onChange={(summary) => edit({ summary })} isLong />
        <div className="field">
          <label htmlFor={`${id}-recording`}>Recording of the discussion</label>
          <p className="hint" id={`${id}-recording-hint`}>
            An audio or video file uploaded to one of the learner’s items, if the discussion was recorded.
          </p>
          <select id={`${id}-recording`} value={form.recording} aria-describedby={`${id}-recording-hint`} onChange={(e) => edit({ recording: e.target.value })}>
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
    'witness-testimony': <WitnessFields form={form} errors={errors} edit={edit} />,
    'expert-witness': (
      <>
        <WitnessFields form={form} errors={errors} edit={edit} />
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
              <input id={`${id}-elig-${key}`} type="checkbox" checked={form.eligibility[key]} {...errorProps(errors, `eligibility.${key}`, `${id}-elig-${key}`)} onChange={(e) => edit({ eligibility: { ...form.eligibility, [key]: e.target.checked } })} />
              <label htmlFor={`${id}-elig-${key}`}>{EXPERT_WITNESS_ELIGIBILITY.required[index].text}</label>
              <FieldError errors={errors} path={`eligibility.${key}`} id={`${id}-elig-${key}`} />
            </div>
          ))}
          <TextField label="How eligibility was checked" path="eligibility.evidenceOfEligibility" value={form.eligibility.evidenceOfEligibility} errors={errors} onChange={(evidenceOfEligibility) => edit({ eligibility: { ...form.eligibility, evidenceOfEligibility } })} isLong hint="For example the CV or CPD log you saw." />
          <p className="hint">{EXPERT_WITNESS_ELIGIBILITY.desirable}</p>
          <div className="choice">
            <input id={`${id}-elig-award`} type="checkbox" checked={form.eligibility.holdsOrWorksTowardsAssessorAward} onChange={(e) => edit({ eligibility: { ...form.eligibility, holdsOrWorksTowardsAssessorAward: e.target.checked } })} />
            <label htmlFor={`${id}-elig-award`}>Holds or is working towards an assessor award</label>
          </div>
          <div className="choice">
            <input id={`${id}-elig-quality`} type="checkbox" checked={form.eligibility.hasQualityResponsibility} onChange={(e) => edit({ eligibility: { ...form.eligibility, hasQualityResponsibility: e.target.checked } })} />
            <label htmlFor={`${id}-elig-quality`}>Is responsible for the quality of the candidate’s work</label>
          </div>
        </fieldset>
      </>
    ),
    'prior-achievement': (
      <>
        <TextField label="Title of the award" path="title" value={form.title} errors={errors} onChange={(title) => edit({ title })} />
        <TextField label="Awarding body" path="awardingBody" value={form.awardingBody} errors={errors} onChange={(awardingBody) => edit({ awardingBody })} />
        <TextField label="Certificate number (optional)" path="certificateRef" value={form.certificateRef} errors={errors} onChange={(certificateRef) => edit({ certificateRef })} />
        <TextField label="How you checked it" path="verification" value={form.verification} errors={errors} onChange={(verification) => edit({ verification })} isLong hint="How you confirmed the award is authentic and current." />
      </>
    ),
  };

  return (
    <form
      ref={formRef}
      className="record-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>{editing !== null ? `Draft ${recordKindLabel(editing.kind).toLowerCase()}` : supersedes === null ? 'New assessment record' : `Correction of the ${recordKindLabel(supersedes.kind).toLowerCase()}`}</h3>
      {supersedes === null ? null : <p className="notice">The signed record stays as it is; this correction is a new record linked to it, and replaces it in the unit’s verdict once saved.</p>}
      {/* A correction or a draft keeps its kind: the API refuses to change it. */}
      <fieldset className="choice-group" disabled={supersedes !== null || editing !== null}>
        <legend>Record type</legend>
        {RECORD_KINDS.map((kind) => (
          <div key={kind.kind} className="choice">
            <input id={`${id}-kind-${kind.kind}`} type="radio" name={`${id}-kind`} checked={form.kind === kind.kind} aria-describedby={`${id}-kind-${kind.kind}-hint`} onChange={() => edit({ kind: kind.kind })} />
            <label htmlFor={`${id}-kind-${kind.kind}`}>{kind.label}</label>
            <p className="hint" id={`${id}-kind-${kind.kind}-hint`}>
              {kind.hint}
            </p>
          </div>
        ))}
      </fieldset>

      <TextField label={form.kind === 'prior-achievement' ? 'Date of the award' : 'Date'} path="date" value={form.date} errors={errors} onChange={(date) => edit({ date })} type="date" max={today} />
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
                <input id={`${id}-setting-${value}`} type="radio" name={`${id}-setting`} checked={form.workSetting === value} onChange={() => edit({ workSetting: value })} />
                <label htmlFor={`${id}-setting-${value}`}>{label}</label>
              </div>
            ))}
          </fieldset>
          <TextField label="Customer (optional)" path="customerRef" value={form.customerRef} errors={errors} onChange={(customerRef) => edit({ customerRef })} />
          <TextField label="Occasion (optional)" path="occasionRef" value={form.occasionRef} errors={errors} onChange={(occasionRef) => edit({ occasionRef })} />
        </>
      )}
      {kindFields[form.kind]}

      <div className="field">
        <UnitTargets unit={unit} targets={targets} isDisabled={false} onToggle={(target, isChecked) => setTargets((current) => setTarget(current, target, isChecked))} />
        {errors.has('targets') ? (
          <p className="field-error" id={`${id}-targets-error`} tabIndex={-1} data-focus-on-error="">
            {errors.get('targets')}
          </p>
        ) : null}
      </div>

      <FormActions statusText={save.status === 'saving' ? 'Saving…' : ''} errorText={save.status === 'error' ? `Not saved: ${save.message}` : null}>
        <button type="submit" className="button button-secondary" aria-disabled={save.status === 'saving'}>
          Save as draft
        </button>
        <button type="button" className="button" aria-disabled={save.status === 'saving'} onClick={() => void submit(true)}>
          Save and sign
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </FormActions>
    </form>
  );
}

function WitnessFields({ form, errors, edit }: { form: RecordForm; errors: RecordErrors; edit: (change: Partial<RecordForm>) => void }) {
  const id = useId();
  const witness = (change: Partial<RecordForm['witness']>) => edit({ witness: { ...form.witness, ...change } });
  return (
    <>
      <fieldset className="form-section">
        <legend>Witness</legend>
        <TextField label="Witness name" path="witness.name" value={form.witness.name} errors={errors} onChange={(name) => witness({ name })} />
        <TextField label="Contact details" path="witness.contact" value={form.witness.contact} errors={errors} onChange={(contact) => witness({ contact })} />
        <TextField label="Position" path="witness.position" value={form.witness.position} errors={errors} onChange={(position) => witness({ position })} />
        <TextField label="Relationship to the candidate" path="witness.relationshipToCandidate" value={form.witness.relationshipToCandidate} errors={errors} onChange={(relationshipToCandidate) => witness({ relationshipToCandidate })} />
        <div className="field">
          <label htmlFor={`${id}-status`}>Witness status category</label>
          <select id={`${id}-status`} value={form.witness.status} {...errorProps(errors, 'witness.status', `${id}-status`)} onChange={(e) => witness({ status: e.target.value })}>
            <option value="">Choose a category</option>
            {WITNESS_STATUS_CATEGORIES.map((category) => (
              <option key={category.status} value={String(category.status)}>
                {category.status}: {category.text}
              </option>
            ))}
          </select>
          <FieldError errors={errors} path="witness.status" id={`${id}-status`} />
        </div>
      </fieldset>
      <TextField label="Witness statement" path="statement" value={form.statement} errors={errors} onChange={(statement) => edit({ statement })} isLong />
      <TextField label="Units witnessed" path="unitsWitnessed" value={form.unitsWitnessed} errors={errors} onChange={(unitsWitnessed) => edit({ unitsWitnessed })} isLong hint="One unit per line; the witness status list is drawn from these." />
    </>
  );
}
