import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ApiRequestError } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';

/** Where a form's save stands: the one union the versioned forms show through FormActions. */
export type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };

export interface FormSave<Body> {
  state: SaveState;
  /** Sends the body, unless a save of this form is already on its way. */
  save: (body: Body) => void;
  /** The form refused to send (its fields say why); `message`, if given, goes in the form's alert. */
  refuse: (message?: string) => void;
}

/**
 * A form's save as a TanStack mutation: its pending, success and error states are the form's
 * saving, saved and error; a refusal before sending is the form's own error.
 */
export function useFormSave<Body, Result>(send: (body: Body) => Promise<Result>, onSaved: (result: Result) => void, describeFailure: (failure: ApiRequestError) => string = (failure) => failure.message): FormSave<Body> {
  const [refusal, setRefusal] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: send, onSuccess: onSaved });
  const state: SaveState =
    refusal !== null ? { status: 'error', message: refusal }
    : mutation.isPending ? { status: 'saving' }
    : mutation.isSuccess ? { status: 'saved' }
    : mutation.isError ? { status: 'error', message: describeFailure(asApiRequestError(mutation.error)) }
    : { status: 'idle' };
  return {
    state,
    save(body) {
      if (mutation.isPending) return;
      setRefusal(null);
      mutation.mutate(body);
    },
    refuse(message) {
      mutation.reset();
      setRefusal(message ?? null);
    },
  };
}
