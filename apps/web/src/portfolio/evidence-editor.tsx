import { useEffect, useId, useRef, useState } from 'react';
import type { EvidenceDraft, EvidenceItem, EvidenceMappingTarget, Portfolio } from '@attest/contracts';
import type { Unit } from '@attest/standards';
import type { ApiClient } from '../api/api-client.ts';
import { saveStatusText, shouldSend, toDraft } from './autosave-machine.ts';
import { ConflictPanel } from './conflict-panel.tsx';
import { targetsOf } from './edit-mappings.ts';
import { EvidenceDetailsForm } from './evidence-details-form.tsx';
import { EvidenceFiles } from './evidence-files.tsx';
import { EvidenceHistory } from './evidence-history.tsx';
import { FeedbackList } from './feedback-list.tsx';
import { MappingEditor } from './mapping-editor.tsx';
import { MappingFeedback } from './mapping-feedback.tsx';
import { MissingList } from './missing-list.tsx';
import type { MissingEntry } from './build-missing-list.ts';
import { SubmitPanel } from './submit-panel.tsx';
import { standingOf, SubmittedNotice } from './submitted-notice.tsx';
import { useEvidenceAutosave } from './use-evidence-autosave.ts';
import { evidenceScope, useEvidenceItem } from './use-evidence-item.ts';
import { useMappingAutosave } from './use-mapping-autosave.ts';
import { useSubmitEvidence } from './use-submit-evidence.ts';

// The panels are exported from here too, where the render tests and the page have always found them.
export { ConflictPanel } from './conflict-panel.tsx';
export { EVIDENCE_TYPES, WORK_SETTING_OPTIONS } from './evidence-details-form.tsx';
export { SubmitPanel } from './submit-panel.tsx';
import { blankDraft } from './blank-draft.ts';

export { blankDraft } from './blank-draft.ts';

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
  /** Files picked on the unit page for a new item: the first saves it, and all are uploaded at once. */
  firstFiles?: readonly File[] | undefined;
}

/**
 * Add or edit one piece of evidence: the layout of its panels. The text's autosave, the mappings'
 * autosave and the submission are hooks; all three write the item in one mutation scope, so each
 * write names the version the one before it produced.
 */
export function EvidenceEditor({ api, unit, portfolio, item, label, today, missing, onSaved, onPreview, onClose, firstFiles }: EvidenceEditorProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // An existing item's writes share its id's scope, even with an editor closing a moment before.
  const [scope] = useState(() => evidenceScope(item?.id ?? `new-${id}`));
  const evidence = useEvidenceItem(item, (next) => autosave.dispatch({ type: 'version', version: next.version }));
  const { current } = evidence;
  const [isReopening, setReopening] = useState(false);
  const [isLeaving, setLeaving] = useState(false);
  // The box ticked last, where the mappings' save status is shown.
  const [lastToggled, setLastToggled] = useState<EvidenceMappingTarget | null>(null);
  // An item a signed-off unit rests on cannot change at all until an assessor reopens that unit.
  const signedUnit = current === null ? undefined : portfolio.signedUnits.find((u) => current.mappings.some((m) => m.unitId === u.unitId));
  const isLocked = (current?.state === 'submitted' && !isReopening) || signedUnit !== undefined;
  const isReferred = current?.state === 'submitted' && standingOf(current, signedUnit !== undefined) === 'referred';

  function adopt(next: EvidenceItem) {
    evidence.noteServer(next);
    evidence.setCurrent(next);
    autosave.dispatch({ type: 'version', version: next.version });
    onSaved(next);
  }

  const autosave = useEvidenceAutosave({ api, item: evidence, blank: blankDraft(today), scope, isLocked, onSaved });
  const { state } = autosave;
  const mappings = useMappingAutosave({
    api,
    item: evidence,
    scope,
    onPreview,
    onSaved: adopt,
    // Its text changed too: the learner chooses between the texts as for any conflicting save.
    onConflict: (conflict) => {
      if (JSON.stringify(toDraft(conflict.current)) === JSON.stringify(autosave.stateRef.current.savedDraft)) adopt(conflict.current);
      else autosave.dispatch({ type: 'conflict', ...conflict });
    },
  });
  const submit = useSubmitEvidence({
    api,
    item: evidence,
    scope,
    save: autosave.save,
    onSubmitted: (next) => {
      adopt(next);
      setReopening(false);
    },
  });

  useEffect(() => heading.current?.focus(), []);

  // Leaving the item (Back, or the frame closing) must not drop what the timers still hold.
  const leaving = useRef({ autosave, mappings });
  leaving.current = { autosave, mappings };
  useEffect(() => {
    const flush = () => {
      if (shouldSend(leaving.current.autosave.stateRef.current)) void leaving.current.autosave.save();
      leaving.current.mappings.flush();
    };
    const warn = (event: BeforeUnloadEvent) => {
      const status = leaving.current.autosave.stateRef.current.status;
      if (status === 'dirty' || status === 'saving' || status === 'failed' || leaving.current.mappings.hasPending()) event.preventDefault();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', warn);
      flush();
    };
    // Mounted once: flush and warn read the hooks through a ref.
  }, []);

  /** Either way the item moves to the server's version; mappings are saved apart from the text, so the server's stand. */
  function resolveConflict(choice: 'keep-mine' | 'take-theirs') {
    const conflict = autosave.stateRef.current.conflict;
    if (conflict === null) return;
    adopt(conflict.current);
    mappings.reset(targetsOf(conflict.current));
    autosave.dispatch({ type: choice });
  }

  function edit(patch: Partial<EvidenceDraft>) {
    if (isLocked) return;
    setLeaving(false);
    autosave.edit(patch);
  }

  const statusText = saveStatusText(state);

  return (
    <main className="page" id="main">
      <p>
        <button
          type="button"
          className="button button-secondary"
          aria-describedby={isLeaving ? `${id}-leave-warning` : undefined}
          onClick={() => {
            // A new item is created only by a valid save; text typed without a title would be lost.
            const draft = autosave.stateRef.current.draft;
            const hasUnsavedText = evidence.server.current.id === null && (draft.description.trim() !== '' || (draft.customerRef ?? '') !== '' || (draft.occasionRef ?? '') !== '');
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

      {current?.state === 'submitted' ? <SubmittedNotice item={current} unit={unit} signedUnitLabel={signedUnit?.label ?? null} isReopening={isReopening} onReopen={() => setReopening(true)} /> : null}
      {isReopening && current?.state === 'submitted' ? <p className="notice">Your next change reopens this evidence. Submit it again when you are done.</p> : null}

      <EvidenceDetailsForm state={state} today={today} isLocked={isLocked} onEdit={edit} />

      <section aria-labelledby={`${id}-files-heading`}>
        <h2 id={`${id}-files-heading`}>Files</h2>
        <EvidenceFiles
          api={api}
          item={current}
          draftKind={state.draft.evidenceType}
          firstFiles={item === null ? firstFiles : undefined}
          usage={portfolio.usage}
          isLocked={isLocked}
          saveFirst={async (file) => {
            // A new item is saved by its first file, titled after it unless the learner gave a title.
            if (evidence.currentRef.current !== null) return evidence.currentRef.current;
            autosave.edit(draftForFirstFile(autosave.stateRef.current.draft, file));
            const problem = await autosave.save();
            return problem === null ? evidence.currentRef.current : null;
          }}
          onUploaded={(result) => {
            if ('item' in result) adopt(result.item);
            else if (evidence.currentRef.current !== null) {
              const withFile = { ...evidence.currentRef.current, files: [...evidence.currentRef.current.files, result.file] };
              evidence.setCurrent(withFile);
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
            <MappingEditor
              api={api}
              unit={unit}
              otherUnits={portfolio.units.filter((u) => u.unitId !== unit.id)}
              targets={mappings.targets}
              isDisabled={isLocked}
              onToggle={(target, isChecked) => {
                setLastToggled(target);
                mappings.toggle(target, isChecked);
              }}
              lastToggled={lastToggled === null ? null : { target: lastToggled, status: mappings.status }}
            />
            <p role="status" className="status-slot">
              {mappings.status}
            </p>
            <div role="alert" className="alert-slot">
              {mappings.error === null ? null : <p className="form-error">{mappings.error}</p>}
            </div>
          </>
        )}
      </section>

      {current === null ? null : <MissingList missing={missing} heading={`Still missing in ${unit.title}`} />}

      {current === null ? null : (
        <SubmitPanel
          isSubmitted={current.state === 'submitted'}
          isReferred={isReferred}
          canSubmit={!isLocked && state.status !== 'conflict'}
          onSubmit={submit}
        />
      )}

      {/* A referred item shows its feedback at the top, in the referral notice. */}
      {current === null || isReferred ? null : (
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

/**
 * What a new item is saved as when a file comes before a title: the file's name as its title
 * ("till-display.png" → "till-display"), and a photo or a recording when the kind is still the
 * form's default and the file says which (the browser's own type, before the server's check).
 */
export function draftForFirstFile(draft: EvidenceDraft, file: { readonly name: string; readonly type: string }): Partial<EvidenceDraft> {
  const patch: Partial<EvidenceDraft> = {};
  if (draft.title.trim() === '') patch.title = file.name.replace(/\.[^.]{1,5}$/, '').trim().slice(0, 200) || 'Untitled evidence';
  if (draft.evidenceType === blankDraft('').evidenceType) {
    if (file.type.startsWith('image/')) patch.evidenceType = 'photo';
    else if (file.type.startsWith('audio/') || file.type.startsWith('video/')) patch.evidenceType = 'recording';
  }
  return patch;
}
