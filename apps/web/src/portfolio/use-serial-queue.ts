import { useCallback, useRef } from 'react';

/**
 * Runs tasks one after another. Every write of an item names the version it was based on, so two
 * writes of the same page in flight at once would conflict with each other; queued, each reads the
 * version the previous one left.
 */
export function useSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  const tail = useRef<Promise<unknown>>(Promise.resolve());
  return useCallback(<T,>(task: () => Promise<T>) => {
    const result = tail.current.then(task);
    // A failed task must not stop the ones after it; its caller still sees the failure.
    tail.current = result.catch(() => undefined);
    return result;
  }, []);
}
