import { useEffect, useReducer, useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { EvidenceDraft, EvidenceItem } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { autosaveReducer, readConflict, shouldSend, startAutosave, toSaveRequest, type AutosaveEvent, type AutosaveState } from './autosave-machine.ts';
import type { EvidenceItemState } from './use-evidence-item.ts';

/** How long typing must pause before a draft is saved. */
export const AUTOSAVE_DELAY_MS = 800;
/** A failed save is retried after a longer pause, so an outage does not lose the text for good. */
export const RETRY_DELAY_MS = 5000;

export interface EvidenceAutosaveOptions {
  api: ApiClient;
  item: EvidenceItemState;
  /** The draft of a new item. */
  blank: EvidenceDraft;
  /** The item's writes run one at a time in this scope. */
  scope: { id: string };
  isLocked: boolean;
  /** The server confirmed a save. */
  onSaved: (item: EvidenceItem) => void;
}

export interface EvidenceAutosave {
  state: AutosaveState;
  /** The state as of the last event, for callbacks that run between renders. */
  stateRef: { readonly current: AutosaveState };
  dispatch: (event: AutosaveEvent) => void;
  edit: (patch: Partial<EvidenceDraft>) => void;
  /** Sends the draft if it needs sending, in the item's scope; null when the item is saved, else why it is not. */
  save: () => Promise<string | null>;
}

/**
 * The text fields' autosave: the tested state machine (autosave-machine.ts) decides what to send,
 * this hook sends it 800 ms after typing stops, retries a failure, and reports a conflict.
 */
export function useEvidenceAutosave({ api, item, blank, scope, isLocked, onSaved }: EvidenceAutosaveOptions): EvidenceAutosave {
  const [state, dispatchState] = useReducer(autosaveReducer, null, () => startAutosave(item.current, blank));
  const stateRef = useRef(state);
  stateRef.current = state;
  const dispatch = (event: AutosaveEvent) => {
    // Read at once by a save queued behind this event, before React renders it.
    stateRef.current = autosaveReducer(stateRef.current, event);
    dispatchState(event);
  };

  const mutation = useMutation({
    scope,
    mutationFn: async (): Promise<string | null> => {
      const before = stateRef.current;
      if (before.status === 'invalid') return before.message ?? 'Fix the form first.';
      if (before.status === 'conflict') return 'Choose which version to keep first.';
      if (!shouldSend(before)) return null;
      dispatch({ type: 'send' });
      const request = toSaveRequest({ ...before, itemId: item.server.current.id, baseVersion: item.server.current.version });
      try {
        const saved = request.method === 'POST' ? await api.call(request.route, request) : await api.call(request.route, request);
        item.noteServer(saved);
        dispatch({ type: 'saved', item: saved });
        item.setCurrent(saved);
        onSaved(saved);
        return null;
      } catch (error) {
        const failure = asApiRequestError(error);
        const conflict = failure.status === 409 ? readConflict(failure.details) : null;
        if (conflict !== null) dispatch({ type: 'conflict', ...conflict });
        else dispatch({ type: 'failed', message: failure.message });
        return conflict !== null ? 'This evidence was changed somewhere else; choose which version to keep first.' : failure.message;
      }
    },
  });
  const save = () => mutation.mutateAsync();

  useEffect(() => {
    const isRetry = state.status === 'failed';
    if ((!shouldSend(state) && !isRetry) || isLocked) return;
    const timer = setTimeout(
      () => {
        if (isRetry) dispatch({ type: 'edit', draft: stateRef.current.draft });
        else void save();
      },
      isRetry ? RETRY_DELAY_MS : AUTOSAVE_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [state, isLocked]);

  function edit(patch: Partial<EvidenceDraft>) {
    if (isLocked) return;
    dispatch({ type: 'edit', draft: { ...stateRef.current.draft, ...patch } });
  }

  return { state, stateRef, dispatch, edit, save };
}
