import { useEffect, useRef, useState } from 'react';
import { ApiRequestError } from './api-client.ts';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiRequestError }
  | { status: 'ready'; data: T };

/** Any failure as an ApiRequestError, so screens only ever show messages meant for people. */
export function asApiRequestError(error: unknown): ApiRequestError {
  if (error instanceof ApiRequestError) return error;
  return new ApiRequestError('unexpected-response', 'Something went wrong on this page. Reload the activity from your course.', { cause: error });
}

/**
 * Loads whenever `key` changes and returns the state plus a retry. `load` is a new closure on
 * every render, so `key` (not `load`) says when it asks for something different. A response that
 * arrives after the key changed or the screen closed is dropped, so a slow old answer cannot
 * overwrite a newer one.
 */
export function useApiResource<T>(key: string, load: () => Promise<T>): [Resource<T>, () => void] {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let isCurrent = true;
    setState({ status: 'loading' });
    loadRef.current().then(
      (data) => { if (isCurrent) setState({ status: 'ready', data }); },
      (error: unknown) => { if (isCurrent) setState({ status: 'error', error: asApiRequestError(error) }); },
    );
    return () => { isCurrent = false; };
  }, [key, attempt]);

  return [state, () => setAttempt((n) => n + 1)];
}
