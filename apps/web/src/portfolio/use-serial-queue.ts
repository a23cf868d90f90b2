import { useCallback, useRef } from 'react';

/**
 * Runs tasks one after another. Every write of an item names the version it was based on, so two
 * writes of the same page in flight at once would conflict with each other; queued, each reads the
 * version the previous one left.
 */
export function useSerialQueue(): (task: () => Promise<void>) => Promise<void> {
  const tail = useRef<Promise<void>>(Promise.resolve());
  return useCallback((task: () => Promise<void>) => {
    const next = tail.current.then(task).catch(() => undefined);
    tail.current = next;
    return next;
  }, []);
}
