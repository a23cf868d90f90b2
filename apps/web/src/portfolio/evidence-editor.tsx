import { useEffect, useId, useReducer, useRef, useState, type ReactNode } from 'react';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema, type EvidenceDraft, type EvidenceItem, type EvidenceMappingTarget, type Portfolio } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { autosaveReducer, findDraftProblem, readConflict, saveStatusText, shouldSend, startAutosave, toDraft, toSaveRequest } from './autosave-machine.ts';
import { setTarget, targetsOf, toMappingsRequest, withTargets } from './edit-mappings.ts';
import { EvidenceFiles } from './evidence-files.tsx';
import { EvidenceHistory } from './evidence-history.tsx';
import { FeedbackList, formatDate } from './feedback-list.tsx';
import { MappingEditor } from './mapping-editor.tsx';
import { MissingList } from './missing-list.tsx';
import type { MissingEntry } from './build-missing-list.ts';
import { useSerialQueue } from './use-serial-queue.ts';

/** How long typing must pause before a draft is saved. */
const AUTOSAVE_DELAY_MS = 800;
const MAPPING_DELAY_MS = 400;
const RETRY_DELAY_MS = 5000;

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

export function blankDraft(today: string): EvidenceDraft {
  return { title: '', description: '', evidenceType: 'work-product', activityDate: today, customerRef: null, occasionRef: null, workSetting: 'real-job' };
}

export interface EvidenceEditorProps {
  api: ApiClient;
  unit: Unit;
  portfolio: Portfolio;
  /** null for a new item, created by its first valid save. */
  item: EvidenceItem | null;
  label: string;
  today: string;
  /** The server confirmed a change to the item: the page adopts it and asks for a fresh verdict. */
  onSaved: (item: EvidenceItem) => void;
  /** What the unit still lacks, previewed by the engine as the learner ticks mappings. */
  missing: readonly MissingEntry[];
  /** Unsaved mapping edits, for the engine's preview of the grid and the missing list. */
  onPreview: (item: EvidenceItem) => void;
  onClose: () => void;
}

/** Add or edit one piece of evidence: fields with autosave, files, mappings, submission, feedback. */
export function EvidenceEditor({ api, unit, portfolio, item, label, today, missing, onSaved, onPreview, onClose }: EvidenceEditorProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [state, dispatch] = useReducer(autosaveReducer, null, () => startAutosave(item, blankDraft(today)));
  const stateRef = useRef(state);
  stateRef.current = state;
  const [current, setCurrent] = useState<EvidenceItem | null>(item);
  const currentRef = useRef(current);
  currentRef.current = current;
  // The item's id and version as the server last stated them, updated the moment a reply arrives.
  // Queued writes run back to back, before React renders, so they cannot read these from state.
  const server = useRef<{ id: string | null; version: number | null }>({ id: item?.id ?? null, version: item?.version ?? null });
  const [isReopening, setReopening] = useState(false);
  const [isLeaving, setLeaving] = useState(false);
  const [targets, setTargets] = useState<EvidenceMappingTarget[]>(item === null ? [] : targetsOf(item));
  const targetsRef = useRef(targets);
  targetsRef.current = targets;
  const [mappingStatus, setMappingStatus] = useState('');
  const [mappingError, setMappingError] = useState<string | null>(null);
  const mappingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const enqueue = useSerialQueue();
  // An item a signed-off unit rests on cannot change at all until an assessor reopens that unit.
  const signedUnit = current === null ? undefined : portfolio.signedUnits.find((u) => current.mappings.some((m) => m.unitId === u.unitId));
  const isLocked = (current?.state === 'submitted' && !isReopening) || signedUnit !== undefined;

  useEffect(() => heading.current?.focus(), []);

  function noteServer(next: EvidenceItem) {
    if (server.current.version === null || next.version >= server.current.version) server.current = { id: next.id, version: next.version };
  }

  // Another write of this page (a refresh after an upload) may have moved the item on.
  useEffect(() => {
    if (item !== null && current !== null && item.id === current.id && item.version > current.version) {
      noteServer(item);
      setCurrent(item);
      dispatch({ type: 'version', version: item.version });
    }
  }, [item, current]);

  function adopt(next: EvidenceItem) {
    noteServer(next);
    setCurrent(next);
    dispatch({ type: 'version', version: next.version });
    onSaved(next);
  }

  /** Sends the draft if it needs sending; null when the item is saved, else why it is not. */
  async function save(): Promise<string | null> {
    const before = stateRef.current;
    if (before.status === 'invalid') return before.message ?? 'Fix the form first.';
    if (before.status === 'conflict') return 'Choose which version to keep first.';
    if (!shouldSend(before)) return null;
    dispatch({ type: 'send' });
    const request = toSaveRequest({ ...before, itemId: server.current.id, baseVersion: server.current.version });
    try {
      const saved = request.method === 'POST' ? await api.post(request.path, request.body, EvidenceItemSchema) : await api.put(request.path, request.body, EvidenceItemSchema);
      noteServer(saved);
      dispatch({ type: 'saved', item: saved });
      setCurrent(saved);
      onSaved(saved);
      return null;
    } catch (error) {
      const failure = asApiRequestError(error);
      const conflict = failure.status === 409 ? readConflict(failure.details) : null;
      if (conflict !== null) dispatch({ type: 'conflict', ...conflict });
      else dispatch({ type: 'failed', message: failure.message });
      return conflict !== null ? 'This evidence was changed somewhere else; choose which version to keep first.' : failure.message;
    }
  }

  useEffect(() => {
    const isRetry = state.status === 'failed';
    if ((!shouldSend(state) && !isRetry) || isLocked) return;
    // A failed save is retried after a longer pause, so an outage does not lose the text for good.
    const timer = setTimeout(() => {
      if (isRetry) dispatch({ type: 'edit', draft: stateRef.current.draft });
      else void enqueue(save);
    }, isRetry ? RETRY_DELAY_MS : AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [state, isLocked]);

  // Leaving the item (Back, or the frame closing) must not drop what the timers still hold.
  useEffect(() => {
    const flush = () => {
      if (shouldSend(stateRef.current)) void enqueue(save);
      if (mappingTimer.current !== null) {
        clearTimeout(mappingTimer.current);
        mappingTimer.current = null;
        void enqueue(saveMappings);
      }
    };
    const warn = (event: BeforeUnloadEvent) => {
      const status = stateRef.current.status;
      if (status === 'dirty' || status === 'saving' || status === 'failed' || mappingTimer.current !== null) event.preventDefault();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', warn);
      flush();
    };
    // Mounted once: flush and warn read everything through refs.
  }, []);

  /** Either way the item moves to the server's version; mappings are saved apart from the text, so the server's stand. */
  function resolveConflict(choice: 'keep-mine' | 'take-theirs') {
    const conflict = stateRef.current.conflict;
    if (conflict === null) return;
    adopt(conflict.current);
    const theirs = targetsOf(conflict.current);
    setTargets(theirs);
    targetsRef.current = theirs;
    dispatch({ type: choice });
  }

  function edit(patch: Partial<EvidenceDraft>) {
    if (isLocked) return;
    setLeaving(false);
    dispatch({ type: 'edit', draft: { ...stateRef.current.draft, ...patch } });
  }

  function toggleTarget(target: EvidenceMappingTarget, isChecked: boolean) {
    const base = currentRef.current;
    if (base === null) return;
    const next = setTarget(targetsRef.current, target, isChecked);
    setTargets(next);
    targetsRef.current = next;
    onPreview(withTargets(base, next));
    setMappingError(null);
    setMappingStatus('Saving mappings…');
    if (mappingTimer.current !== null) clearTimeout(mappingTimer.current);
    mappingTimer.current = setTimeout(() => {
      mappingTimer.current = null;
      void enqueue(saveMappings);
    }, MAPPING_DELAY_MS);
  }

  async function saveMappings(): Promise<void> {
    const { id: itemId, version } = server.current;
    if (itemId === null || version === null) return;
    try {
      const saved = await api.put(`/api/evidence/${encodeURIComponent(itemId)}/mappings`, toMappingsRequest(version, targetsRef.current), EvidenceItemSchema);
      adopt(saved);
      setMappingStatus('Mappings saved');
    } catch (error) {
      const failure = asApiRequestError(error);
      const conflict = failure.status === 409 ? readConflict(failure.details) : null;
      if (conflict !== null) {
        // The item is newer on the server. Its mappings are shown rather than overwritten; if its
        // text changed too, the learner chooses between the texts as for any conflicting save.
        const theirs = targetsOf(conflict.current);
        setTargets(theirs);
        targetsRef.current = theirs;
        if (JSON.stringify(toDraft(conflict.current)) === JSON.stringify(stateRef.current.savedDraft)) adopt(conflict.current);
        else dispatch({ type: 'conflict', ...conflict });
        setMappingError('This evidence’s mappings were changed elsewhere, so your last change was not saved. The boxes now show the saved mappings; tick again what you need.');
      } else {
        setMappingError(`Mappings not saved: ${failure.message}`);
      }
      setMappingStatus('');
    }
  }

  const statusText = saveStatusText(state);
  const problem = state.status === 'invalid' ? findDraftProblem(state.draft) : null;
  const titleError = problem?.field === 'title' ? problem.message : null;
  const dateError = problem?.field === 'activityDate' ? problem.message : null;

  return (
    <main className="page" id="main">
      <p>
        <button
          type="button"
          className="button button-secondary"
          aria-describedby={isLeaving ? `${id}-leave-warning` : undefined}
          onClick={() => {
            // A new item is created only by a valid save; text typed without a title would be lost.
            const draft = stateRef.current.draft;
            const hasUnsavedText = server.current.id === null && (draft.description.trim() !== '' || (draft.customerRef ?? '') !== '' || (draft.occasionRef ?? '') !== '');
            if (hasUnsavedText && !isLeaving) setLeaving(true);
            else onClose();
          }}
        >
          {isLeaving ? 'Leave without saving' : 'Back to the unit'}
        </button>
      </p>
      {isLeaving ? (
        <p className="form-error" id={`${id}-leave-warning`} role="alert">
          This evidence has no title yet, so what you typed is not saved. Give it a title to keep it, or leave without saving.
        </p>
      ) : null}
      <h1 ref={heading} tabIndex={-1}>
        {item === null && current === null ? 'Add evidence' : `Evidence ${label}: ${state.draft.title.trim() === '' ? 'untitled' : state.draft.title}`}
      </h1>
      <p className="save-status" role="status" aria-live="polite">
        {statusText}
      </p>

      {state.conflict === null ? null : (
        <ConflictPanel
          current={state.conflict.current}
          onKeepMine={() => resolveConflict('keep-mine')}
          onTakeTheirs={() => resolveConflict('take-theirs')}
        />
      )}

      {current?.state === 'submitted' ? (
        <div className="notice notice-locked">
          <p>
            <strong>Submitted for assessment</strong>
            {current.submittedAt === null ? '' : ` on ${formatDate(current.submittedAt)}`}. It is locked so your assessor sees what you submitted.
          </p>
          {signedUnit !== undefined ? (
            <p>
              It is part of the unit {signedUnit.label}, which your assessor has signed off, so it can no longer change. Your assessor can reopen the unit if something must change.
            </p>
          ) : isReopening ? null : (
            <>
              <p id={`${id}-reopen-hint`}>Changing it takes it back out of assessment: you will need to submit it again. Earlier versions are kept.</p>
              <button type="button" className="button button-secondary" aria-describedby={`${id}-reopen-hint`} onClick={() => setReopening(true)}>
                Edit and reopen this evidence
              </button>
            </>
          )}
        </div>
      ) : null}
      {isReopening && current?.state === 'submitted' ? <p className="notice">Your next change reopens this evidence. Submit it again when you are done.</p> : null}

      <form className="evidence-form" aria-labelledby={`${id}-details`} onSubmit={(event) => event.preventDefault()}>
        <fieldset className="form-section" disabled={isLocked}>
          <legend id={`${id}-details`}>Details</legend>
          <Field id={`${id}-title`} label="Title" error={titleError}>
            <input id={`${id}-title`} type="text" value={state.draft.title} maxLength={200} aria-invalid={titleError !== null} aria-describedby={titleError === null ? undefined : `${id}-title-error`} onChange={(e) => edit({ title: e.target.value })} />
          </Field>
          <Field id={`${id}-description`} label="Description or reflective account" hint="What you did, for whom, and how it shows the standards. Write it in your own words.">
            <textarea id={`${id}-description`} rows={6} maxLength={20_000} value={state.draft.description} aria-describedby={`${id}-description-hint`} onChange={(e) => edit({ description: e.target.value })} />
          </Field>
          <Field id={`${id}-date`} label="Date of the activity" error={dateError}>
            <input id={`${id}-date`} type="date" value={state.draft.activityDate} max={today} aria-invalid={dateError !== null} aria-describedby={dateError === null ? undefined : `${id}-date-error`} onChange={(e) => edit({ activityDate: e.target.value })} />
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

      <section aria-labelledby={`${id}-files-heading`}>
        <h2 id={`${id}-files-heading`}>Files</h2>
        <EvidenceFiles
          api={api}
          item={current}
          usage={portfolio.usage}
          isLocked={isLocked}
          onUploaded={(result) => {
            if ('item' in result) adopt(result.item);
            else if (currentRef.current !== null) {
              const withFile = { ...currentRef.current, files: [...currentRef.current.files, result.file] };
              setCurrent(withFile);
              onSaved(withFile);
            }
          }}
        />
      </section>

      <section aria-labelledby={`${id}-map-heading`}>
        <h2 id={`${id}-map-heading`}>What this evidence shows</h2>
        {current === null ? (
          <p>Give the evidence a title first: you can map it once it is saved.</p>
        ) : (
          <>
            <p className="hint">Tick each statement, scope item or evidence requirement this evidence shows, in this unit or your other units. The recording form and the missing list update as you tick.</p>
            <MappingEditor api={api} unit={unit} otherUnits={portfolio.units.filter((u) => u.unitId !== unit.id)} targets={targets} isDisabled={isLocked} onToggle={toggleTarget} />
            <p role="status" className="status-slot">
              {mappingStatus}
            </p>
            <div role="alert" className="alert-slot">
              {mappingError === null ? null : <p className="form-error">{mappingError}</p>}
            </div>
          </>
        )}
      </section>

      {current === null ? null : <MissingList missing={missing} heading={`Still missing in ${unit.title}`} />}

      {current === null ? null : (
        <SubmitPanel
          isSubmitted={current.state === 'submitted'}
          canSubmit={!isLocked && state.status !== 'conflict'}
          onSubmit={async () => {
            const problem = await enqueue(save);
            if (problem !== null) return problem;
            return enqueue(async () => {
              const { id: itemId, version } = server.current;
              if (itemId === null || version === null) return 'Save the evidence first.';
              try {
                adopt(await api.post(`/api/evidence/${encodeURIComponent(itemId)}/submit`, { baseVersion: version, declaration: AUTHENTICITY_DECLARATION }, EvidenceItemSchema));
                setReopening(false);
                return null;
              } catch (error) {
                return asApiRequestError(error).message;
              }
            });
          }}
        />
      )}

      {current === null ? null : (
        <section aria-labelledby={`${id}-feedback-heading`}>
          <h2 id={`${id}-feedback-heading`}>Assessor feedback</h2>
          <FeedbackList feedback={current.feedback} emptyText="No feedback on this evidence yet." />
          <MappingFeedback item={current} />
        </section>
      )}

      {current === null ? null : <EvidenceHistory api={api} itemId={current.id} version={current.version} />}
    </main>
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

/** The 409: the learner's text stays in the form; the saved copy is shown beside it to choose from. */
export function ConflictPanel({ current, onKeepMine, onTakeTheirs }: { current: EvidenceItem; onKeepMine: () => void; onTakeTheirs: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <h2 className="state-title">This evidence was changed somewhere else</h2>
      <p>
        It was saved from another tab or window after you opened it, so your latest changes were not saved over it. Your text is still in the form below, and Attest has kept both versions. Choose which one to keep working on.
      </p>
      <h3>The saved copy (version {current.version})</h3>
      <dl className="conflict-copy">
        <dt>Title</dt>
        <dd>{current.title}</dd>
        <dt>Description</dt>
        <dd>{current.description === '' ? '(empty)' : current.description}</dd>
        <dt>Date of the activity</dt>
        <dd>{formatDate(current.activityDate)}</dd>
        <dt>Customer</dt>
        <dd>{current.customerRef ?? '(none)'}</dd>
        <dt>Occasion</dt>
        <dd>{current.occasionRef ?? '(none)'}</dd>
      </dl>
      <div className="form-actions">
        <button type="button" className="button" onClick={onKeepMine}>
          Keep my version
        </button>
        <button type="button" className="button button-secondary" onClick={onTakeTheirs}>
          Use the saved copy
        </button>
      </div>
    </div>
  );
}

/** The authenticity declaration and the submit button; exported for render tests. */
export function SubmitPanel({ isSubmitted, canSubmit, onSubmit }: { isSubmitted: boolean; canSubmit: boolean; onSubmit: () => Promise<string | null> }) {
  const id = useId();
  const [isDeclared, setDeclared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const [done, setDone] = useState('');
  if (isSubmitted) {
    // The status region stays in place, so the confirmation of a submission just made is announced.
    return (
      <section aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>Submitted for assessment</h2>
        <p role="status" className="status-slot">
          {done === '' ? 'This evidence is with your assessor.' : done}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Submit for assessment</h2>
      <form
        aria-labelledby={`${id}-heading`}
        onSubmit={(event) => {
          event.preventDefault();
          if (isSubmitting || !canSubmit) return;
          if (!isDeclared) return setError('Tick the declaration to confirm this is your own work.');
          setError(null);
          setSubmitting(true);
          void onSubmit().then((problem) => {
            setSubmitting(false);
            if (problem === null) setDone('Submitted for assessment. Your assessor can now review it.');
            else setError(problem);
          });
        }}
      >
        <fieldset className="form-section">
          <legend>Authenticity declaration</legend>
          <div className="choice">
            <input id={`${id}-declare`} type="checkbox" checked={isDeclared} aria-invalid={error !== null && !isDeclared} aria-describedby={error === null ? undefined : `${id}-error`} onChange={(event) => setDeclared(event.target.checked)} />
            <label htmlFor={`${id}-declare`}>{AUTHENTICITY_DECLARATION}</label>
          </div>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={isSubmitting || !canSubmit}>
            {isSubmitting ? 'Submitting…' : 'Submit for assessment'}
          </button>
        </div>
        <div role="alert" className="alert-slot">
          {error === null ? null : (
            <p className="form-error" id={`${id}-error`}>
              {error}
            </p>
          )}
        </div>
        <p role="status" className="status-slot">
          {done}
        </p>
      </form>
    </section>
  );
}

/** Decisions with the assessor's note on each mapping, where there is one. */
function MappingFeedback({ item }: { item: EvidenceItem }) {
  const notes = item.mappings.filter((m) => m.feedback !== null && m.feedback !== '');
  if (notes.length === 0) return null;
  return (
    <>
      <h3>On each requirement</h3>
      <ul className="plain-list">
        {notes.map((m) => (
          <li key={`${m.unitId}|${m.target}|${m.ref}`}>
            <strong>{m.ref}</strong> ({m.decision}): {m.feedback}
          </li>
        ))}
      </ul>
    </>
  );
}

