import { useEffect, useId, useRef, useState } from 'react';
import { apiRoutes, type AssessorEvidenceItem } from '@attest/contracts';
import { ASSESSMENT_METHODS, type Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { formatDate } from '../portfolio/feedback-list.tsx';
import { buildJudgementRequest, describeItemChanges, initialJudgements, itemChangeOf, judgementConflictOf, judgementKey, validateJudgements, type MappingJudgement } from './build-judgement-request.ts';
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

/** One learner item: its account and files, then a decision, method and feedback for each mapping to this unit. */
export function JudgeItemView({ api, unit, item, label, learnerName, onJudged, onBack }: JudgeItemViewProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [judgements, setJudgements] = useState(() => initialJudgements(item, unit.id));
  const [base, setBase] = useState(item);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const focusFirstError = useFocusFirstError(form);

  const edit = (key: string, change: Partial<MappingJudgement>) => {
    setJudgements((current) => current.map((j) => (judgementKey(j) === key ? { ...j, ...change } : j)));
    if (save.status === 'saved') setSave({ status: 'idle' });
  };

  async function submit() {
    if (save.status === 'saving') return;
    const found = validateJudgements(judgements);
    setErrors(found);
    if (found.size > 0) {
      focusFirstError();
      setSave({ status: 'error', message: found.size === 1 ? 'One decision needs feedback before it can be saved.' : `${found.size} decisions need feedback before they can be saved.` });
      return;
    }
    const request = buildJudgementRequest(base, judgements);
    if (request === null) return setSave({ status: 'saved' });
    setSave({ status: 'saving' });
    try {
      const saved = await api.call(apiRoutes.judgeEvidence, { params: { itemId: base.id }, body: request });
      setBase(saved);
      setJudgements(initialJudgements(saved, unit.id));
      setSave({ status: 'saved' });
      onJudged(saved);
    } catch (error) {
      const failure = asApiRequestError(error);
      const changed = itemChangeOf(failure);
      if (changed !== null) {
        // Nothing was saved: load what the learner submitted now, say what changed, and judge it afresh.
        setSave({ status: 'item-changed', readVersion: changed.readVersion, currentVersion: changed.currentVersion, changes: describeItemChanges(base, changed.current) });
        setBase(changed.current);
        setJudgements(initialJudgements(changed.current, unit.id));
        setErrors(new Map());
        onJudged(changed.current);
        return;
      }
      const current = judgementConflictOf(failure);
      setSave(current === null ? { status: 'error', message: failure.message } : { status: 'conflict', current });
    }
  }

  function takeTheirs(current: AssessorEvidenceItem) {
    setBase(current);
    setJudgements(initialJudgements(current, unit.id));
    setErrors(new Map());
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
          void submit();
        }}
      >
        <h2 id={`${id}-decisions`}>Decisions</h2>
        {isSubmitted ? null : <p className="notice">This evidence is still a draft: it can be judged once the learner submits it for assessment.</p>}
        {judgements.length === 0 ? <p>This evidence is not mapped to anything in this unit.</p> : null}
        <fieldset className="plain-fieldset" disabled={!isSubmitted}>
          <legend className="visually-hidden">Decisions on {label}</legend>
          {judgements.map((j) => (
            <MappingDecision key={judgementKey(j)} unit={unit} judgement={j} error={errors.get(judgementKey(j)) ?? null} onChange={(change) => edit(judgementKey(j), change)} />
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
