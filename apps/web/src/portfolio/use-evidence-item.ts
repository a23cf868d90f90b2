import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { EvidenceItem } from '@attest/contracts';

/** Every write of one item in this scope runs after the one before it has settled (TanStack Query's mutation scopes). */
export function evidenceScope(key: string): { id: string } {
  return { id: `evidence:${key}` };
}

export interface EvidenceItemState {
  /** The item as the server last confirmed it; null until the first valid save creates it. */
  current: EvidenceItem | null;
  currentRef: MutableRefObject<EvidenceItem | null>;
  /**
   * The item's id and version as the server last stated them, updated the moment a reply arrives.
   * Scoped writes run back to back, before React renders, so they cannot read these from state.
   */
  server: MutableRefObject<{ id: string | null; version: number | null }>;
  /** Takes in a reply: the item moves to it, if it is not older than what is known. */
  noteServer(next: EvidenceItem): void;
  setCurrent(next: EvidenceItem): void;
}

/**
 * The one item an editor works on. `item` is the page's copy: another write of the page (a refresh
 * after an upload) may move it on, and `onNewer` hears of it.
 */
export function useEvidenceItem(item: EvidenceItem | null, onNewer: (next: EvidenceItem) => void): EvidenceItemState {
  const [current, setCurrentState] = useState<EvidenceItem | null>(item);
  const currentRef = useRef(current);
  currentRef.current = current;
  const server = useRef<{ id: string | null; version: number | null }>({ id: item?.id ?? null, version: item?.version ?? null });

  function noteServer(next: EvidenceItem) {
    if (server.current.version === null || next.version >= server.current.version) server.current = { id: next.id, version: next.version };
  }
  function setCurrent(next: EvidenceItem) {
    currentRef.current = next;
    setCurrentState(next);
  }

  useEffect(() => {
    if (item !== null && current !== null && item.id === current.id && item.version > current.version) {
      noteServer(item);
      setCurrent(item);
      onNewer(item);
    }
  }, [item, current]);

  return { current, currentRef, server, noteServer, setCurrent };
}
