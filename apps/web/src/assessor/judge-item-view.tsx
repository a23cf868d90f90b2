import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { get, useForm, type FieldErrors } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { apiRoutes, type AssessorEvidenceItem, type JudgementRequest } from '@attest/contracts';
import { ASSESSMENT_METHODS, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { describeItemChanges, initialJudgements, itemChangeOf, judgementConflictOf, judgementFormSchema, judgementKey, type JudgementForm, type MappingJudgement } from './build-judgement-request.ts';
import { targetName } from './describe-target.ts';
import { FilePreview } from './file-preview.tsx';
import { useFocusFirstError } from './use-focus-first-error.ts';
import { FormActions } from '../components/form-actions.tsx';
import type { SaveState } from '../components/use-form-save.ts';

const workSettingWords = { 'real-job': 'Real job', rwe: 'Realistic working environment', simulation: 'Simulation' } as const;
const decisionWords = { pending: 'Not decided yet', accepted: 'Accept', referred: 'Refer back' } as const;

type ItemChange = { readVersion: number; currentVersion: number; changes: string[] };
/** The forms' save states, and the two refusals only a judgement meets. */
type Save = SaveState | { status: 'conflict'; current: AssessorEvidenceItem } | ({ status: 'item-changed' } & ItemChange);

export interface JudgeItemViewProps {
  api: ApiClient;
  unit: Unit;
  item: AssessorEvidenceItem;
  /** "E2", the learner's own number for it. */
  label: string;
  learnerName: string;
  onJudged: (item: AssessorEvidenceItem) => void;
  onBack: () => void;
}

/**
 * One learner item: its account and files, then a decision, method and feedback for each mapping to
 * this unit. React Hook Form holds the decisions; the resolver parses them with judgementFormSchema
 * (the contract's JudgementRequestSchema for the version read), so what it lets through is the body sent.
 */
export function JudgeItemView({ api, unit, item, label, learnerName, onJudged, onBack }: JudgeItemViewProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [base, setBase] = useState(item);
  const resolver = useMemo(() => zodResolver(judgementFormSchema(base)), [base]);
  // Errors change only on a save, as the other assessor forms' do, so a message never jumps while typing.
  const { handleSubmit, reset, setValue, formState, watch } = useForm<JudgementForm, unknown, JudgementRequest | null>({ defaultValues: { judgements: initialJudgements(item, unit.id) }, resolver, mode: 'onSubmit', reValidateMode: 'onSubmit', shouldFocusError: false });
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const focusFirstError = useFocusFirstError(form);
  const judgements = watch('judgements');

  // Each row's value is the whole judgement, set as one (its `target` key would make RHF's onChange read it as an event).
  const edit = (index: number, change: Partial<MappingJudgement>) => {
    setValue(`judgements.${index}`, { ...judgements[index]!, ...change }, { shouldDirty: true });
    if (save.status === 'saved') setSave({ status: 'idle' });
  };

  /** The form starts again from `current`: what the server now holds. */
  const startFrom = (current: AssessorEvidenceItem) => {
    setBase(current);
    reset({ judgements: initialJudgements(current, unit.id) });
  };

  async function send(request: JudgementRequest | null) {
    if (request === null) return setSave({ status: 'saved' });
    setSave({ status: 'saving' });
    try {
      const saved = await api.call(apiRoutes.judgeEvidence, { params: { itemId: base.id }, body: request });
      startFrom(saved);
      setSave({ status: 'saved' });
      onJudged(saved);
    } catch (error) {
      const failure = asApiRequestError(error);
      const changed = itemChangeOf(failure);
      if (changed !== null) {
        // Nothing was saved: load what the learner submitted now, say what changed, and judge it afresh.
        setSave({ status: 'item-changed', readVersion: changed.readVersion, currentVersion: changed.currentVersion, changes: describeItemChanges(base, changed.current) });
        startFrom(changed.current);
        onJudged(changed.current);
        return;
      }
      // Another assessor's judgement (or any other refusal) leaves the assessor's decisions in the form.
      const current = judgementConflictOf(failure);
      setSave(current === null ? { status: 'error', message: failure.message } : { status: 'conflict', current });
    }
  }

  function refused(errors: FieldErrors<JudgementForm>) {
    // Only a referral without feedback is refused, one error per row.
    const count = Object.keys(errors.judgements ?? {}).filter((key) => /^\d+$/.test(key)).length;
    focusFirstError();
    setSave({ status: 'error', message: count === 1 ? 'One decision needs feedback before it can be saved.' : `${count} decisions need feedback before they can be saved.` });
  }

  function takeTheirs(current: AssessorEvidenceItem) {
    startFrom(current);
    setSave({ status: 'idle' });
    onJudged(current);
  }

  const isSubmitted = base.state === 'submitted';
  return (
    <main className="page" id="main">
      <p>
        <button type="button" className="button button-secondary" onClick={onBack}>
          Back to {learnerName}
        </button>
      </p>
      <p className="eyebrow">{learnerName}</p>
      <h1 ref={heading} tabIndex={-1}>
        Evidence {label}: {base.title}
      </h1>
      {save.status === 'item-changed' ? <ItemChangedNotice readVersion={save.readVersion} currentVersion={save.currentVersion} changes={save.changes} /> : null}
      <dl className="facts">
        <div>
          <dt>Method</dt>
          <dd>{base.method}</dd>
        </div>
        <div>
          <dt>Date of the activity</dt>
          <dd>{formatDate(base.activityDate)}</dd>
        </div>
        <div>
          <dt>Work setting</dt>
          <dd>{workSettingWords[base.workSetting]}</dd>
        </div>
        {base.customerRef === null ? null : (
          <div>
            <dt>Customer</dt>
            <dd>{base.customerRef}</dd>
          </div>
        )}
        {base.occasionRef === null ? null : (
          <div>
            <dt>Occasion</dt>
            <dd>{base.occasionRef}</dd>
          </div>
        )}
        <div>
          <dt>State</dt>
          <dd>{isSubmitted && base.submittedAt !== null ? `Submitted on ${formatDate(base.submittedAt)}` : 'Draft, not yet submitted'}</dd>
        </div>
      </dl>
      {base.description.trim() === '' ? null : <p className="account">{base.description}</p>}

      <section aria-labelledby={`${id}-files`}>
        <h2 id={`${id}-files`}>Files</h2>
        {base.files.length === 0 ? <p>No files.</p> : null}
        <div className="file-previews">
          {base.files.map((file) => (
            <FilePreview key={file.id} api={api} itemId={base.id} file={file} />
          ))}
        </div>
      </section>

      <form
        ref={form}
        aria-labelledby={`${id}-decisions`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (save.status !== 'saving') void handleSubmit(send, refused)(event);
        }}
      >
        <h2 id={`${id}-decisions`}>Decisions</h2>
        {isSubmitted ? null : <p className="notice">This evidence is still a draft: it can be judged once the learner submits it for assessment.</p>}
        {judgements.length === 0 ? <p>This evidence is not mapped to anything in this unit.</p> : null}
        <fieldset className="plain-fieldset" disabled={!isSubmitted}>
          <legend className="visually-hidden">Decisions on {label}</legend>
          {judgements.map((j, index) => (
            <MappingDecision key={judgementKey(j)} unit={unit} judgement={j} error={(get(formState.errors, `judgements.${index}.feedback`) as { message?: string } | undefined)?.message ?? null} onChange={(change) => edit(index, change)} />
          ))}
        </fieldset>
        {save.status === 'conflict' ? <ConflictNotice unit={unit} current={save.current} onTake={() => takeTheirs(save.current)} /> : null}
        <FormActions statusText={save.status === 'saving' ? 'Saving…' : save.status === 'saved' ? 'Decisions saved.' : ''} errorText={save.status === 'error' ? `Not saved: ${save.message}` : null}>
          <button type="submit" className="button" disabled={judgements.length === 0 || !isSubmitted} aria-disabled={save.status === 'saving'}>
            Save decisions
          </button>
        </FormActions>
      </form>
    </main>
  );
}

/** Exported for render tests: one mapping's decision, method and feedback, in its own group. */
export function MappingDecision({ unit, judgement, error, onChange }: { unit: Unit; judgement: MappingJudgement; error: string | null; onChange: (change: Partial<MappingJudgement>) => void }) {
  const id = useId();
  const name = targetName(unit, judgement);
  return (
    <fieldset className="form-section">
      <legend>{name}</legend>
      <fieldset className="choice-group">
        <legend>Decision</legend>
        {(['accepted', 'referred', 'pending'] as const).map((decision) => (
          <div key={decision} className="choice">
            <input id={`${id}-${decision}`} type="radio" name={`${id}-decision`} checked={judgement.decision === decision} onChange={() => onChange({ decision })} />
            <label htmlFor={`${id}-${decision}`}>{decisionWords[decision]}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-method`}>Assessed by</label>
        <select id={`${id}-method`} value={judgement.method} onChange={(event) => onChange({ method: event.target.value as MappingJudgement['method'] })}>
          {ASSESSMENT_METHODS.map((method) => (
            <option key={method.code} value={method.code}>
              {method.code}: {method.labels[0]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-feedback`}>Feedback{judgement.decision === 'referred' ? '' : ' (optional)'}</label>
        <textarea id={`${id}-feedback`} rows={3} value={judgement.feedback} maxLength={5000} aria-invalid={error !== null} aria-describedby={error === null ? undefined : `${id}-error`} onChange={(event) => onChange({ feedback: event.target.value })} />
        {error === null ? null : (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
    </fieldset>
  );
}

/** Exported for render tests: the learner changed the evidence after the assessor opened it; the current version is shown below. */
export function ItemChangedNotice({ readVersion, currentVersion, changes }: ItemChange) {
  const id = useId();
  return (
    <div className="state state-error" role="alert" aria-labelledby={`${id}-title`}>
      <h2 className="state-title" id={`${id}-title`}>
        The learner changed this evidence after you opened it (version {readVersion} → {currentVersion})
      </h2>
      <p>Your decisions were not saved. The current version is shown below; read it and judge it again.</p>
      {changes.length === 0 ? null : (
        <ul className="plain-list" aria-label="What changed">
          {changes.map((change) => (
            <li key={change}>{change}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Exported for render tests: what the other assessor decided, and the way out that overwrites nothing. */
export function ConflictNotice({ unit, current, onTake }: { unit: Unit; current: AssessorEvidenceItem; onTake: () => void }) {
  const id = useId();
  return (
    <div className="state state-error" role="alert" aria-labelledby={`${id}-title`}>
      <h2 className="state-title" id={`${id}-title`}>
        Another assessor judged this evidence first
      </h2>
      <p>Your decisions were not saved and nothing of theirs was overwritten. Their decisions:</p>
      <ul className="plain-list">
        {initialJudgements(current, unit.id).map((j) => (
          <li key={judgementKey(j)}>
            {targetName(unit, j)}: {j.decision === 'pending' ? 'not decided' : j.decision === 'accepted' ? 'accepted' : 'referred back'} ({j.method}){j.feedback === '' ? '' : `, “${j.feedback}”`}
          </li>
        ))}
      </ul>
      <button type="button" className="button button-secondary" onClick={onTake}>
        Load their decisions
      </button>
    </div>
  );
}
