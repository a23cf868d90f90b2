import { useId, useState } from 'react';
import { apiRoutes, type EvidenceHistorySchema } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { queryKeys, useApiQuery } from '../api/api-query.ts';
import { ErrorState } from '../components/error-state.tsx';
import { LoadingState } from '../components/loading-state.tsx';

type Revision = ReturnType<typeof EvidenceHistorySchema.parse>[number];

const kindWords: Record<Revision['kind'], string> = {
  saved: 'Saved',
  submitted: 'Submitted',
  reopened: 'Reopened for editing',
  'conflict-copy': 'Kept from a conflicting save',
};

/** Earlier versions on request: a learner sees that reopening or a conflict lost nothing. */
export function EvidenceHistory({ api, itemId, version }: { api: ApiClient; itemId: string; version: number }) {
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Earlier versions</h2>
      <button type="button" className="button button-secondary" aria-expanded={isOpen} aria-controls={`${id}-panel`} onClick={() => setOpen(!isOpen)}>
        {isOpen ? 'Hide earlier versions' : 'Show earlier versions'}
      </button>
      <div id={`${id}-panel`} hidden={!isOpen}>
        {isOpen ? <LoadedHistory api={api} itemId={itemId} version={version} /> : null}
      </div>
    </section>
  );
}

function LoadedHistory({ api, itemId, version }: { api: ApiClient; itemId: string; version: number }) {
  // Keyed by version: each save is a new version, so the open list reads again after it.
  const [history, retry] = useApiQuery(queryKeys.evidenceHistory(itemId, version), () => api.call(apiRoutes.getEvidenceHistory, { params: { id: itemId } }));
  if (history.status === 'loading') return <LoadingState label="Loading earlier versions…" />;
  if (history.status === 'error') return <ErrorState title="Earlier versions could not be loaded" error={history.error} onRetry={retry} />;
  return <HistoryList revisions={history.data} />;
}

/** The versions, newest first as the server sends them; exported for render tests. */
export function HistoryList({ revisions }: { revisions: readonly Revision[] }) {
  if (revisions.length === 0) return <p>No earlier versions.</p>;
  return (
    <ol className="history-list">
      {revisions.map((revision, index) => (
        <li key={`${revision.version}-${revision.kind}-${index}`}>
          <strong>
            Version {revision.version}: {kindWords[revision.kind]}
          </strong>
          , <time dateTime={revision.savedAt}>{formatTime(revision.savedAt)}</time>
          <p className="hint">
            {revision.draft.title}
            {revision.draft.description === '' ? '' : ` — ${revision.draft.description.length > 160 ? `${revision.draft.description.slice(0, 160)}…` : revision.draft.description}`}
          </p>
        </li>
      ))}
    </ol>
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
