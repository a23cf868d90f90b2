import { useMutation } from '@tanstack/react-query';
import { apiRoutes, AUTHENTICITY_DECLARATION, type EvidenceItem } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import type { EvidenceItemState } from './use-evidence-item.ts';

export interface SubmitEvidenceOptions {
  api: ApiClient;
  item: EvidenceItemState;
  /** The item's writes run one at a time in this scope. */
  scope: { id: string };
  /** Saves text still waiting for its pause; null when nothing stops the submission. */
  save: () => Promise<string | null>;
  onSubmitted: (item: EvidenceItem) => void;
}

/**
 * Submission with the candidate's authenticity declaration: the draft is saved first, then the
 * submission names the version that save produced. Both run in the item's scope, so neither can
 * overtake a mapping save already on its way.
 */
export function useSubmitEvidence({ api, item, scope, save, onSubmitted }: SubmitEvidenceOptions): () => Promise<string | null> {
  const mutation = useMutation({
    scope,
    mutationFn: async (): Promise<string | null> => {
      const { id: itemId, version } = item.server.current;
      if (itemId === null || version === null) return 'Save the evidence first.';
      try {
        onSubmitted(await api.call(apiRoutes.submitEvidence, { params: { id: itemId }, body: { baseVersion: version, declaration: AUTHENTICITY_DECLARATION } }));
        return null;
      } catch (error) {
        return asApiRequestError(error).message;
      }
    },
  });
  return async () => {
    const problem = await save();
    if (problem !== null) return problem;
    return mutation.mutateAsync();
  };
}
