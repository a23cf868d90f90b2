import { useState } from 'react';

export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Runs tasks one after another. Every write of an item names the version it was based on, so two
 * writes of the same page in flight at once would conflict with each other; queued, each starts
 * only once the previous reply has been taken in.
 */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T,>(task: () => Promise<T>) => {
    const result = tail.then(task);
    // A failed task must not stop the ones after it; its caller still sees the failure.
    tail = result.catch(() => undefined);
    return result;
  };
}

/** One queue for the lifetime of the component. */
export function useSerialQueue(): SerialQueue {
  const [queue] = useState(createSerialQueue);
  return queue;
}
