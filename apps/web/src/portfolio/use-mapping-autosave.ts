import { useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { apiRoutes, type EvidenceItem, type EvidenceMappingTarget } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { readConflict } from './autosave-machine.ts';
import { setTarget, targetsOf, toMappingsRequest, withTargets } from './edit-mappings.ts';
import type { EvidenceItemState } from './use-evidence-item.ts';

/** Ticks are gathered for this long, so a run of them is one save. */
export const MAPPING_DELAY_MS = 400;

export interface MappingAutosaveOptions {
  api: ApiClient;
  item: EvidenceItemState;
  /** The item's writes run one at a time in this scope. */
  scope: { id: string };
  /** Unsaved ticks, for the engine's preview of the grid and the missing list. */
  onPreview: (item: EvidenceItem) => void;
  /** The server confirmed the mappings. */
  onSaved: (item: EvidenceItem) => void;
  /**
   * The item is newer on the server. Its mappings are shown rather than overwritten; the caller
   * decides what to do with its text.
   */
  onConflict: (conflict: { current: EvidenceItem; conflictCopyId: string }) => void;
}

export interface MappingAutosave {
  targets: EvidenceMappingTarget[];
  status: string;
  error: string | null;
  toggle: (target: EvidenceMappingTarget, isChecked: boolean) => void;
  /** Shows these mappings as the saved ones (after a conflict is resolved). */
  reset: (targets: EvidenceMappingTarget[]) => void;
  /** Sends ticks still waiting for their pause at once; for leaving the item. */
  flush: () => void;
  hasPending: () => boolean;
}

/** The mapping ticks' autosave, 400 ms after the last tick, in the item's scope of writes. */
export function useMappingAutosave({ api, item, scope, onPreview, onSaved, onConflict }: MappingAutosaveOptions): MappingAutosave {
  const [targets, setTargets] = useState<EvidenceMappingTarget[]>(item.current === null ? [] : targetsOf(item.current));
  const targetsRef = useRef(targets);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  function reset(next: EvidenceMappingTarget[]) {
    targetsRef.current = next;
    setTargets(next);
  }

  const mutation = useMutation({
    scope,
    mutationFn: async (): Promise<void> => {
      const { id: itemId, version } = item.server.current;
      if (itemId === null || version === null) return;
      try {
        const saved = await api.call(apiRoutes.updateEvidenceMappings, { params: { id: itemId }, body: toMappingsRequest(version, targetsRef.current) });
        onSaved(saved);
        setStatus('Mappings saved');
      } catch (failure) {
        const problem = asApiRequestError(failure);
        const conflict = problem.status === 409 ? readConflict(problem.details) : null;
        if (conflict !== null) {
          reset(targetsOf(conflict.current));
          onConflict(conflict);
          setError('This evidence’s mappings were changed elsewhere, so your last change was not saved. The boxes now show the saved mappings; tick again what you need.');
        } else {
          setError(`Mappings not saved: ${problem.message}`);
        }
        setStatus('');
      }
    },
  });

  function toggle(target: EvidenceMappingTarget, isChecked: boolean) {
    const base = item.currentRef.current;
    if (base === null) return;
    const next = setTarget(targetsRef.current, target, isChecked);
    reset(next);
    onPreview(withTargets(base, next));
    setError(null);
    setStatus('Saving mappings…');
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void mutation.mutateAsync();
    }, MAPPING_DELAY_MS);
  }

  function flush() {
    if (timer.current === null) return;
    clearTimeout(timer.current);
    timer.current = null;
    void mutation.mutateAsync();
  }

  return { targets, status, error, toggle, reset, flush, hasPending: () => timer.current !== null };
}
